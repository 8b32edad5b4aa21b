/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bounce-core.h"

G_BEGIN_DECLS

#define BOUNCE_TYPE_INPUT_VIEW (bounce_input_view_get_type ())
G_DECLARE_FINAL_TYPE (BounceInputView, bounce_input_view, BOUNCE, INPUT_VIEW, AdwBin)

GtkTextView   *bounce_input_view_get_text_view    (BounceInputView *self);
GtkTextBuffer *bounce_input_view_get_buffer       (BounceInputView *self);
gboolean       bounce_input_view_get_empty        (BounceInputView *self);
/* The whole buffer text, newly allocated. */
char          *bounce_input_view_dup_text         (BounceInputView *self);
/* Replaces the text without emitting ::text-edited. */
void           bounce_input_view_set_text         (BounceInputView *self,
                                                   const char      *text,
                                                   gssize           length);
/* Highlights the findings (BounceFinding; character offsets into the
 * buffer text).  Findings that do not fit the buffer are skipped. */
void           bounce_input_view_set_findings     (BounceInputView *self,
                                                   GPtrArray       *findings);
void           bounce_input_view_clear_findings   (BounceInputView *self);
/* The finding highlighted at a character offset, or NULL. */
BounceFinding *bounce_input_view_get_finding_at   (BounceInputView *self,
                                                   glong            offset);
/* Selects characters [start, end) and scrolls there; FALSE when that part
 * is not in the buffer. */
gboolean       bounce_input_view_select_chars     (BounceInputView *self,
                                                   glong            start,
                                                   glong            end);
/* Scrolls so that the character at offset is in view (no selection). */
void           bounce_input_view_scroll_to_chars  (BounceInputView *self,
                                                   glong            offset);
/* TRUE while the view keeps the last scroll target in sight. */
gboolean       bounce_input_view_get_scroll_pending (BounceInputView *self);
/* Shows the catalogue entry of the finding at offset in a popover. */
gboolean       bounce_input_view_popup_entry_at   (BounceInputView *self,
                                                   glong            offset);
/* A notice above the text; action_name may be NULL for no button. */
void           bounce_input_view_set_notice       (BounceInputView *self,
                                                   const char      *text,
                                                   const char      *button_label,
                                                   const char      *action_name);
const char    *bounce_input_view_get_notice       (BounceInputView *self);
void           bounce_input_view_set_show_admin   (BounceInputView *self,
                                                   gboolean         show_admin);

G_END_DECLS
