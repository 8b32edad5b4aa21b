/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gmime/gmime.h>

#include "bounce-report.h"

struct _BounceReport
{
  GObject parent_instance;

  BounceInput *input;
  char *source;
  BounceKind kind;
  gboolean backscatter;
  char *feedback_type;
  char *provider;
  GListStore *recipients;
  GPtrArray *findings;
  GPtrArray *codes;
  GPtrArray *ips;
  GPtrArray *domains;
  GPtrArray *blocklists;
  GPtrArray *links;
  BounceEntry *verdict;
  BounceOutcome outcome;
  BounceRecipient *main_recipient;
  GListStore *message_reports;  /* BounceReport, one per message of an mbox, or NULL */
  /* In their place when read message by message: BounceMessageSummary,
   * their BounceSummaryRecipient, and the strings of both */
  GArray *message_summaries;
  GArray *summary_recipients;
  GStringChunk *summary_strings;
  guint message_index;
  char *subject;
  char *date;
  gint64 time;  /* date as Unix time, or G_MININT64 */
  BounceTruncated truncated;
};

G_DEFINE_FINAL_TYPE (BounceReport, bounce_report, G_TYPE_OBJECT)

static void
bounce_report_finalize (GObject *object)
{
  BounceReport *self = (BounceReport *)object;

  g_clear_object (&self->input);
  g_free (self->source);
  g_free (self->feedback_type);
  g_free (self->provider);
  g_clear_object (&self->recipients);
  g_clear_pointer (&self->codes, g_ptr_array_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->ips, g_ptr_array_unref);
  g_clear_pointer (&self->domains, g_ptr_array_unref);
  g_clear_pointer (&self->blocklists, g_ptr_array_unref);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_clear_object (&self->verdict);
  g_clear_object (&self->main_recipient);
  g_clear_object (&self->message_reports);
  g_clear_pointer (&self->message_summaries, g_array_unref);
  g_clear_pointer (&self->summary_recipients, g_array_unref);
  g_clear_pointer (&self->summary_strings, g_string_chunk_free);
  g_free (self->subject);
  g_free (self->date);

  G_OBJECT_CLASS (bounce_report_parent_class)->finalize (object);
}

static void
bounce_report_class_init (BounceReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bounce_report_finalize;
}

static void
bounce_report_init (BounceReport *self)
{
  self->recipients = g_list_store_new (BOUNCE_TYPE_RECIPIENT);
  self->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_finding_free);
  self->ips = g_ptr_array_new_with_free_func (g_free);
  self->domains = g_ptr_array_new_with_free_func (g_free);
  self->blocklists = g_ptr_array_new_with_free_func (g_object_unref);
  self->links = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_link_free);
  self->time = G_MININT64;
}

BounceReport *
bounce_report_new (BounceInput *input,
                   const char  *source)
{
  BounceReport *self;

  g_return_val_if_fail (BOUNCE_IS_INPUT (input), NULL);

  self = g_object_new (BOUNCE_TYPE_REPORT, NULL);
  self->input = g_object_ref (input);
  self->source = g_strdup (source);
  return self;
}

BounceInput *
bounce_report_get_input (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return self->input;
}

const char *
bounce_report_get_source (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return self->source;
}

const char *
bounce_report_get_text (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return bounce_input_get_text (self->input);
}

BounceKind
bounce_report_get_kind (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), BOUNCE_KIND_NOT_BOUNCE);
  return self->kind;
}

void
bounce_report_set_kind (BounceReport *self,
                        BounceKind    kind)
{
  g_return_if_fail (BOUNCE_IS_REPORT (self));
  self->kind = kind;
}

gboolean
bounce_report_get_is_bounce (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), FALSE);
  return self->kind == BOUNCE_KIND_FAILURE || self->kind == BOUNCE_KIND_DELAY;
}

gboolean
bounce_report_get_backscatter (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), FALSE);
  return self->backscatter;
}

void
bounce_report_set_backscatter (BounceReport *self,
                               gboolean      value)
{
  g_return_if_fail (BOUNCE_IS_REPORT (self));
  self->backscatter = value;
}

gboolean
bounce_report_get_send_error (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), FALSE);

  /* (what its recipients say: a mail program's refusal is one of them) */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->recipients)); i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (G_LIST_MODEL (self->recipients), i);

      if (bounce_recipient_get_not_sent (r))
        return TRUE;
    }
  return FALSE;
}

const char *
bounce_report_get_feedback_type (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return self->feedback_type;
}

void
bounce_report_set_feedback_type (BounceReport *self,
                                 const char   *value)
{
  g_return_if_fail (BOUNCE_IS_REPORT (self));
  g_free (self->feedback_type);
  self->feedback_type = g_strdup (value);
}

const char *
bounce_report_get_provider (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return self->provider;
}

void
bounce_report_set_provider (BounceReport *self,
                            const char   *value)
{
  g_return_if_fail (BOUNCE_IS_REPORT (self));
  g_free (self->provider);
  self->provider = g_strdup (value);
}

GListModel *
bounce_report_get_recipients (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return G_LIST_MODEL (self->recipients);
}

void
bounce_report_add_recipient (BounceReport    *self,
                             BounceRecipient *recipient)
{
  g_return_if_fail (BOUNCE_IS_REPORT (self));
  g_return_if_fail (BOUNCE_IS_RECIPIENT (recipient));
  g_list_store_append (self->recipients, recipient);
}

GPtrArray *
bounce_report_get_findings (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return self->findings;
}

GPtrArray *
bounce_report_get_codes (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);

  /* Derived from the findings, which are complete once the analyzer has
   * returned the report. */
  if (self->codes == NULL)
    {
      self->codes = g_ptr_array_new ();
      for (guint i = 0; i < self->findings->len; i++)
        {
          BounceFinding *f = self->findings->pdata[i];

          if (f->kind == BOUNCE_FINDING_REPLY_CODE ||
              f->kind == BOUNCE_FINDING_ENHANCED_CODE ||
              f->kind == BOUNCE_FINDING_PROVIDER_TOKEN)
            g_ptr_array_add (self->codes, f);
        }
    }
  return self->codes;
}

GPtrArray *
bounce_report_get_ips (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return self->ips;
}

GPtrArray *
bounce_report_get_domains (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return self->domains;
}

GPtrArray *
bounce_report_get_blocklists (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return self->blocklists;
}

GPtrArray *
bounce_report_get_links (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return self->links;
}

BounceEntry *
bounce_report_get_verdict (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return self->verdict;
}

void
bounce_report_set_verdict (BounceReport *self,
                           BounceEntry  *entry)
{
  g_return_if_fail (BOUNCE_IS_REPORT (self));
  g_set_object (&self->verdict, entry);
}

BounceOutcome
bounce_report_get_outcome (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), BOUNCE_OUTCOME_NONE);
  return self->outcome;
}

BounceRecipient *
bounce_report_get_main_recipient (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return self->main_recipient;
}

void
bounce_report_set_outcome (BounceReport    *self,
                           BounceOutcome    outcome,
                           BounceRecipient *main_recipient)
{
  g_return_if_fail (BOUNCE_IS_REPORT (self));
  self->outcome = outcome;
  g_set_object (&self->main_recipient, main_recipient);
}

void
bounce_report_set_message (BounceReport  *self,
                           guint          index,
                           BounceMessage *message)
{
  g_return_if_fail (BOUNCE_IS_REPORT (self));
  self->message_index = index;
  g_free (self->subject);
  g_free (self->date);
  self->subject = message ? g_strdup (bounce_fields_lookup (message->headers, "Subject")) : NULL;
  self->date = message ? g_strdup (bounce_fields_lookup (message->headers, "Date")) : NULL;
  self->time = G_MININT64;
  if (self->date != NULL)
    {
      g_autoptr(GDateTime) when = g_mime_utils_header_decode_date (self->date);

      if (when != NULL)
        self->time = g_date_time_to_unix (when);
    }
}

guint
bounce_report_get_message_index (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), 0);
  return self->message_index;
}

const char *
bounce_report_get_subject (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return self->subject;
}

const char *
bounce_report_get_date (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  return self->date;
}

gint64
bounce_report_get_time (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), G_MININT64);
  return self->time;
}

void
bounce_report_add_message_report (BounceReport *self,
                                  BounceReport *message_report)
{
  g_return_if_fail (BOUNCE_IS_REPORT (self));
  g_return_if_fail (BOUNCE_IS_REPORT (message_report));
  if (self->message_reports == NULL)
    self->message_reports = g_list_store_new (BOUNCE_TYPE_REPORT);
  g_list_store_append (self->message_reports, message_report);
}

GListModel *
bounce_report_get_message_reports (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  if (self->message_reports == NULL)
    self->message_reports = g_list_store_new (BOUNCE_TYPE_REPORT);
  return G_LIST_MODEL (self->message_reports);
}

BounceTruncated
bounce_report_get_truncated (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), BOUNCE_TRUNCATED_NONE);
  return self->truncated;
}

void
bounce_report_add_truncated (BounceReport    *self,
                             BounceTruncated  what)
{
  g_return_if_fail (BOUNCE_IS_REPORT (self));
  self->truncated |= what;
}

/* A string of a summary, kept with the others in one block (an mbox of
 * 100,000 messages has as many dates and subjects); the words that repeat
 * (status, reason, provider) once. */
static const char *
summary_string (BounceReport *self,
                const char   *value,
                gboolean      repeats)
{
  if (value == NULL)
    return NULL;
  return repeats ? g_string_chunk_insert_const (self->summary_strings, value)
                 : g_string_chunk_insert (self->summary_strings, value);
}

void
bounce_report_add_message_summary (BounceReport *self,
                                   BounceReport *message_report)
{
  GListModel *recipients;
  BounceMessageSummary m;

  g_return_if_fail (BOUNCE_IS_REPORT (self));
  g_return_if_fail (BOUNCE_IS_REPORT (message_report));

  if (self->message_summaries == NULL)
    {
      self->message_summaries = g_array_new (FALSE, FALSE, sizeof (BounceMessageSummary));
      self->summary_recipients = g_array_new (FALSE, FALSE, sizeof (BounceSummaryRecipient));
      self->summary_strings = g_string_chunk_new (64 * 1024);
    }

  recipients = G_LIST_MODEL (message_report->recipients);
  m.index = message_report->message_index;
  m.date = summary_string (self, message_report->date, FALSE);
  m.subject = summary_string (self, message_report->subject, FALSE);
  m.kind = message_report->kind;
  m.provider = summary_string (self, message_report->provider, TRUE);
  m.outcome = message_report->outcome;
  m.first_recipient = self->summary_recipients->len;
  m.n_recipients = g_list_model_get_n_items (recipients);
  for (guint i = 0; i < m.n_recipients; i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, i);
      BounceSummaryRecipient sr = {
        summary_string (self, bounce_recipient_get_address (r), FALSE),
        summary_string (self, bounce_recipient_get_status (r), TRUE),
        summary_string (self, bounce_recipient_get_reason (r), TRUE),
        bounce_recipient_get_outcome (r),
        bounce_recipient_get_hard_bounce (r),
      };

      g_array_append_val (self->summary_recipients, sr);
    }
  g_array_append_val (self->message_summaries, m);
}

guint
bounce_report_get_n_message_summaries (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), 0);

  return self->message_summaries != NULL ? self->message_summaries->len : 0;
}

const BounceMessageSummary *
bounce_report_get_message_summary (BounceReport *self,
                                   guint         index)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  g_return_val_if_fail (index < bounce_report_get_n_message_summaries (self), NULL);

  return &g_array_index (self->message_summaries, BounceMessageSummary, index);
}

const BounceSummaryRecipient *
bounce_report_get_summary_recipient (BounceReport               *self,
                                     const BounceMessageSummary *message,
                                     guint                       index)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);
  g_return_val_if_fail (message != NULL && index < message->n_recipients, NULL);

  return &g_array_index (self->summary_recipients, BounceSummaryRecipient, message->first_recipient + index);
}
