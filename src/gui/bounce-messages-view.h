/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bounce-core.h"

G_BEGIN_DECLS

/* A file of several messages (an mbox): each message with its own verdict,
 * and a table of every recipient of every message that can be filtered and
 * exported as CSV (bounce_report_to_csv), for cleaning a mailing list.  The
 * table is hidden while a message is selected: the window shows that
 * message's recipients in detail instead. */
#define BOUNCE_TYPE_MESSAGES_VIEW (bounce_messages_view_get_type ())
G_DECLARE_FINAL_TYPE (BounceMessagesView, bounce_messages_view, BOUNCE, MESSAGES_VIEW, AdwBin)

GtkWidget    *bounce_messages_view_new              (void);

/* The whole input's report; the view shows itself only when the report
 * holds more than one message.  NULL clears it. */
void          bounce_messages_view_set_report       (BounceMessagesView  *self,
                                                     BounceReport        *report);
guint         bounce_messages_view_get_n_messages   (BounceMessagesView  *self);
/* What the list says of a message: its verdict in words (translated). */
char         *bounce_messages_view_dup_verdict      (BounceMessagesView  *self,
                                                     guint                position);
/* Selects the message whose result is shown, or GTK_INVALID_LIST_POSITION for all. */
void          bounce_messages_view_select_message   (BounceMessagesView  *self,
                                                     guint                position);
/* The selected message's report, or NULL (the whole file); the
 * "selected-message" property, notified when it changes. */
BounceReport *bounce_messages_view_get_selected_message (BounceMessagesView *self);
void          bounce_messages_view_set_filter_text  (BounceMessagesView  *self,
                                                     const char          *text);
/* The table's rows (BounceTableRow) after the filter, in the order shown. */
GListModel   *bounce_messages_view_get_rows         (BounceMessagesView  *self);
GtkWidget    *bounce_messages_view_get_message_list (BounceMessagesView  *self);
/* Writes bounce_report_to_csv (report, TRUE) to file, in a thread. */
void          bounce_messages_view_export_async     (BounceMessagesView  *self,
                                                     GFile               *file,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean      bounce_messages_view_export_finish    (BounceMessagesView  *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
