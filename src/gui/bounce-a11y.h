/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* GTK 4.8 names a button with a mnemonic label by its raw label and then
 * by its text ("_Paste Paste"); without the label property the name is the
 * text alone.  Fixes every such button below root (root included). */
void bounce_a11y_fix_mnemonic_buttons (GtkWidget *root);

/* libadwaita 1.2's toasts have the same button problem and an unnamed
 * close button: names them as they appear in the overlay. */
void bounce_a11y_watch_toasts (AdwToastOverlay *overlay);

G_END_DECLS
