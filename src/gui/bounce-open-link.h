/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Opens an https link in the browser.  When that fails (no browser), the
 * nearest toast overlay above widget says so and offers to copy the link,
 * instead of GTK's raw "Could not show link" dialog. */
void bounce_open_link (GtkWidget  *widget,
                       const char *url);

G_END_DECLS
