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
/* The title of the row root (an AdwActionRow or AdwExpanderRow titled
 * address, a mail address) breaks it after its "@" where it does not fit
 * on a line, and inside its name or domain only where that does not fit
 * either: not "dora.lind@example.or" over "g", as beside a badge at 360 px. */
void bounce_wrap_address               (GtkWidget  *root,
                                        const char *address);

/* The narrowest width, in characters, given to wrapping labels (titles,
 * then other text; the .ui files say the same numbers): without one GTK
 * finds it by laying the text out a word a line. */
#define BOUNCE_WRAP_TITLE_CHARS 12
#define BOUNCE_WRAP_TEXT_CHARS  20

/* Gives the wrapping labels of a status page (an AdwStatusPage, whose
 * labels are its own) a narrowest width in characters (12 for the title,
 * 20 for the rest), far below the narrowest window's page, so that GTK does
 * not find it by laying their text out at width 0, a word a line (a third
 * of laying out the window's first frame).  Nothing changes on screen. */
void bounce_wrap_status_page           (GtkWidget *page);

/* Lays out the children of a widget that holds wrapping labels as a plain
 * row: each child gets at least its minimum width, then its natural width,
 * and the expanding ones share the rest; the row is as high as its highest
 * child at that width, and its width never depends on a height.
 *
 * GTK asks for widths for a given height in many places (a GtkBox finds a
 * row's width by trying one height after the other, list views and boxes
 * pass heights on), and a wrapping label answers each such question by
 * laying out its text at a series of widths: hundreds of text layouts for
 * one explanation card.  Given to a box of labels, or to a bin around
 * them, this stops those questions there.  Spacing is in pixels; a GtkBox
 * must not be given a new spacing or orientation afterwards. */
void bounce_wrap_set_row_layout        (GtkWidget *box,
                                        int        spacing);

G_END_DECLS
