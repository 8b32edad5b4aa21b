/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bounce-core.h"
#include "bounce-input-view.h"
#include "bounce-links-group.h"
#include "bounce-verdict.h"

G_BEGIN_DECLS

/* At most this much of a message goes into the text view; the whole
 * message is still analysed. */
#define BOUNCE_WINDOW_MAX_SHOWN (128 * 1024)

#define BOUNCE_TYPE_WINDOW (bounce_window_get_type ())
G_DECLARE_FINAL_TYPE (BounceWindow, bounce_window, BOUNCE, WINDOW, AdwApplicationWindow)

void              bounce_window_open_file         (BounceWindow *self,
                                                   GFile        *file);
/* Runs a pending (debounced) analysis right away. */
void              bounce_window_analyze_now       (BounceWindow *self);
gboolean          bounce_window_get_busy          (BounceWindow *self);
/* Whether the report page is still being filled: its verdict and first
 * recipients are shown, the rest is added in later main-loop turns. */
gboolean          bounce_window_get_filling       (BounceWindow *self);
BounceReport     *bounce_window_get_report        (BounceWindow *self);
/* "welcome", "report", "not-bounce" or "error". */
const char       *bounce_window_get_page          (BounceWindow *self);

BounceInputView  *bounce_window_get_input_view    (BounceWindow *self);
BounceVerdict    *bounce_window_get_verdict       (BounceWindow *self);
BounceLinksGroup *bounce_window_get_links_group   (BounceWindow *self);
GtkListBox       *bounce_window_get_recipients_list (BounceWindow *self);
GtkListBox       *bounce_window_get_codes_list    (BounceWindow *self);
GtkWidget        *bounce_window_get_entry_cards   (BounceWindow *self);
/* Where the last text is kept when restore-last-text is on. */
char             *bounce_window_get_state_file    (void);

G_END_DECLS
