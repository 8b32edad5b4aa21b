/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "bounce-core.h"

G_BEGIN_DECLS

/* One row of the recipients table of a file of several messages: a
 * recipient with the message it came from. */
#define BOUNCE_TYPE_TABLE_ROW (bounce_table_row_get_type ())
G_DECLARE_FINAL_TYPE (BounceTableRow, bounce_table_row, BOUNCE, TABLE_ROW, GObject)

BounceTableRow  *bounce_table_row_new           (BounceReport    *message,
                                                 BounceRecipient *recipient);

BounceReport    *bounce_table_row_get_message   (BounceTableRow *self);
BounceRecipient *bounce_table_row_get_recipient (BounceTableRow *self);
guint            bounce_table_row_get_index     (BounceTableRow *self);  /* 0 for the first message */
const char      *bounce_table_row_get_address   (BounceTableRow *self);  /* never NULL */
const char      *bounce_table_row_get_reason    (BounceTableRow *self);  /* what the catalogue calls it */
const char      *bounce_table_row_get_kind      (BounceTableRow *self);  /* temporary, permanent, ... translated */
const char      *bounce_table_row_get_date      (BounceTableRow *self);  /* never NULL */
/* The day of that Date, short and numeric, in the local time zone ("2026-03-02"
 * in English); the Date as written when it cannot be read.  Never NULL. */
const char      *bounce_table_row_get_short_date (BounceTableRow *self);
/* The message's Date header as Unix time; G_MININT64 when it has none or
 * it cannot be read, so such rows sort first. */
gint64           bounce_table_row_get_time      (BounceTableRow *self);
/* Whether every case-folded word is in one of the columns (TRUE for none). */
gboolean         bounce_table_row_matches       (BounceTableRow     *self,
                                                 const char * const *folded_words);

G_END_DECLS
