/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Pango hyphenates a word it has to break ("hotmail.co-m", "outl-ook.com"),
 * which shows an address or host name that does not exist.  These make
 * labels break such words without a hyphen. */
void bounce_wrap_label_without_hyphens (GtkLabel  *label);
/* Every label below root, root included (the labels inside libadwaita's
 * rows as well as our own). */
void bounce_wrap_without_hyphens       (GtkWidget *root);

G_END_DECLS
