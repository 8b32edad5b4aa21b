/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bounce-table-row.h"

struct _BounceTableRow
{
  GObject          parent_instance;

  BounceReport    *message;
  BounceRecipient *recipient;
  const char      *reason;
  const char      *kind;
  char            *short_date;
  char            *haystack;  /* the columns, case-folded, for the filter */
};

G_DEFINE_FINAL_TYPE (BounceTableRow, bounce_table_row, G_TYPE_OBJECT)

static void
bounce_table_row_finalize (GObject *object)
{
  BounceTableRow *self = BOUNCE_TABLE_ROW (object);

  g_clear_object (&self->message);
  g_clear_object (&self->recipient);
  g_free (self->short_date);
  g_free (self->haystack);

  G_OBJECT_CLASS (bounce_table_row_parent_class)->finalize (object);
}

static void
bounce_table_row_class_init (BounceTableRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bounce_table_row_finalize;
}

static void
bounce_table_row_init (BounceTableRow *self)
{
}

static const char *
kind_label (BounceRecipient *recipient)
{
  switch (bounce_recipient_get_outcome (recipient))
    {
    case BOUNCE_OUTCOME_DELAYED:
      return C_("bounce", "Delayed");
    case BOUNCE_OUTCOME_PERMANENT:
      return C_("bounce", "Permanent");
    case BOUNCE_OUTCOME_GAVE_UP:
      /* Translators: a temporary problem, but the server stopped trying */
      return C_("bounce", "Temporary, gave up");
    case BOUNCE_OUTCOME_UNKNOWN:
      return C_("bounce", "Failed");
    case BOUNCE_OUTCOME_NONE:
    default:
      break;
    }
  switch (bounce_recipient_get_permanence (recipient))
    {
    case BOUNCE_PERMANENCE_TEMPORARY:
      return C_("bounce", "Temporary");
    case BOUNCE_PERMANENCE_PERMANENT:
      return C_("bounce", "Permanent");
    case BOUNCE_PERMANENCE_UNKNOWN:
    default:
      return "";
    }
}

/* The day of a message's Date in the local time zone, in the few
 * characters a table column can give it (the whole Date is in the cell's
 * tooltip); the Date as written when it cannot be read. */
static char *
short_date (BounceReport *message)
{
  gint64 time = bounce_report_get_time (message);
  g_autoptr(GDateTime) when = NULL;
  const char *date;

  if (time != G_MININT64)
    when = g_date_time_new_from_unix_local (time);
  if (when != NULL)
    /* Translators: the day of a message in the recipients table of a file
     * of several messages (g_date_time_format(), e.g. "%d.%m.%Y"): keep
     * it short and numeric, the table is narrow */
    return g_date_time_format (when, C_("table date", "%Y-%m-%d"));
  date = bounce_report_get_date (message);
  return g_strdup (date != NULL ? date : "");
}

BounceTableRow *
bounce_table_row_new (BounceReport    *message,
                      BounceRecipient *recipient)
{
  BounceTableRow *self;
  GPtrArray *entries;
  const char *title = NULL;
  g_autofree char *all = NULL;

  g_return_val_if_fail (BOUNCE_IS_REPORT (message), NULL);
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (recipient), NULL);

  self = g_object_new (BOUNCE_TYPE_TABLE_ROW, NULL);
  self->message = g_object_ref (message);
  self->recipient = g_object_ref (recipient);

  entries = bounce_recipient_get_entries (recipient);
  if (entries != NULL && entries->len > 0)
    title = bounce_entry_get_title (g_ptr_array_index (entries, 0));
  self->reason = title != NULL ? title : bounce_recipient_get_reason (recipient);
  self->kind = kind_label (recipient);
  self->short_date = short_date (message);

  all = g_strjoin ("\n", bounce_table_row_get_address (self), self->reason, self->kind,
                   bounce_table_row_get_date (self), self->short_date,
                   bounce_recipient_get_status (recipient) ? bounce_recipient_get_status (recipient) : "",
                   bounce_recipient_get_reply_code (recipient) ? bounce_recipient_get_reply_code (recipient) : "",
                   bounce_recipient_get_reason (recipient), NULL);
  self->haystack = g_utf8_casefold (all, -1);
  return self;
}

BounceReport *
bounce_table_row_get_message (BounceTableRow *self)
{
  g_return_val_if_fail (BOUNCE_IS_TABLE_ROW (self), NULL);
  return self->message;
}

BounceRecipient *
bounce_table_row_get_recipient (BounceTableRow *self)
{
  g_return_val_if_fail (BOUNCE_IS_TABLE_ROW (self), NULL);
  return self->recipient;
}

guint
bounce_table_row_get_index (BounceTableRow *self)
{
  g_return_val_if_fail (BOUNCE_IS_TABLE_ROW (self), 0);
  return bounce_report_get_message_index (self->message);
}

const char *
bounce_table_row_get_address (BounceTableRow *self)
{
  const char *address;

  g_return_val_if_fail (BOUNCE_IS_TABLE_ROW (self), "");
  address = bounce_recipient_get_address (self->recipient);
  return address != NULL ? address : "";
}

const char *
bounce_table_row_get_reason (BounceTableRow *self)
{
  g_return_val_if_fail (BOUNCE_IS_TABLE_ROW (self), "");
  return self->reason != NULL ? self->reason : "";
}

const char *
bounce_table_row_get_kind (BounceTableRow *self)
{
  g_return_val_if_fail (BOUNCE_IS_TABLE_ROW (self), "");
  return self->kind;
}

const char *
bounce_table_row_get_date (BounceTableRow *self)
{
  const char *date;

  g_return_val_if_fail (BOUNCE_IS_TABLE_ROW (self), "");
  date = bounce_report_get_date (self->message);
  return date != NULL ? date : "";
}

const char *
bounce_table_row_get_short_date (BounceTableRow *self)
{
  g_return_val_if_fail (BOUNCE_IS_TABLE_ROW (self), "");
  return self->short_date;
}

gint64
bounce_table_row_get_time (BounceTableRow *self)
{
  g_return_val_if_fail (BOUNCE_IS_TABLE_ROW (self), G_MININT64);
  return bounce_report_get_time (self->message);
}

gboolean
bounce_table_row_matches (BounceTableRow     *self,
                          const char * const *folded_words)
{
  g_return_val_if_fail (BOUNCE_IS_TABLE_ROW (self), FALSE);

  for (guint i = 0; folded_words != NULL && folded_words[i] != NULL; i++)
    if (*folded_words[i] != '\0' && strstr (self->haystack, folded_words[i]) == NULL)
      return FALSE;
  return TRUE;
}
