/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bounce-catalogue.h"
#include "bounce-json-writer.h"
#include "bounce-report.h"

/* Terminal output: lines are wrapped to this many characters. */
#define WRAP_WIDTH 78
/* At most this many "more information" links per recipient. */
#define MAX_SOURCES 3

static const char *
kind_to_string (BounceKind kind)
{
  switch (kind)
    {
    case BOUNCE_KIND_FAILURE:
      return "failure";
    case BOUNCE_KIND_DELAY:
      return "delay";
    case BOUNCE_KIND_AUTOREPLY:
      return "autoreply";
    case BOUNCE_KIND_DELIVERED:
      return "delivered";
    case BOUNCE_KIND_FEEDBACK:
      return "feedback";
    case BOUNCE_KIND_CHALLENGE:
      return "challenge";
    case BOUNCE_KIND_READ_RECEIPT:
      return "read-receipt";
    case BOUNCE_KIND_NOT_BOUNCE:
    default:
      return "not-bounce";
    }
}

/* The steps of the wanted kind that apply to the recipient, from the most
 * specific entry that has any; NULL when none has. */
static GPtrArray *
recipient_steps (BounceRecipient *recipient,
                 gboolean         admin)
{
  GPtrArray *steps = bounce_recipient_select_steps (recipient, admin);

  if (steps->len == 0)
    g_clear_pointer (&steps, g_ptr_array_unref);
  return steps;
}

static BounceEntry *
recipient_first_entry (BounceRecipient *recipient)
{
  GPtrArray *entries = bounce_recipient_get_entries (recipient);

  if (entries == NULL || entries->len == 0)
    return NULL;

  return g_ptr_array_index (entries, 0);
}

/* The first entry that has an explanation (a bare rule might not). */
static const char *
recipient_explanation (BounceRecipient *recipient)
{
  GPtrArray *entries = bounce_recipient_get_entries (recipient);

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const char *text = bounce_entry_get_explanation (g_ptr_array_index (entries, i));

      if (text != NULL && *text != '\0')
        return text;
    }

  return NULL;
}

static char *
join_steps (GPtrArray *steps)
{
  GString *out;

  if (steps == NULL || steps->len == 0)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < steps->len; i++)
    {
      g_autofree char *text = bounce_step_to_string (steps->pdata[i]);

      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out, "%u. %s", i + 1, text);
    }

  return g_string_free (out, FALSE);
}

/* Text from the bounce itself goes to a terminal: control characters (escape
 * sequences in particular) must not reach it. */
static char *
sanitize (const char *text)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text));
  p = text;
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Skip one byte only, to resynchronise on the next character. */
          g_string_append_unichar (out, 0xFFFD);
          p++;
          continue;
        }
      if (c == '\n' || c == '\t')
        g_string_append_c (out, ' ');
      else if (g_unichar_iscntrl (c))
        g_string_append_c (out, '?');
      else
        g_string_append_unichar (out, c);
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

/* ---- JSON ---- */

static void
add_string (BounceJsonWriter *json,
            const char       *name,
            const char       *value)
{
  bounce_json_writer_member (json, name);
  if (value != NULL)
    bounce_json_writer_string (json, value);
  else
    bounce_json_writer_null (json);
}

/* The steps one by one: their text, and the case they apply to when the
 * bounce does not tell whether they do (else null). */
static void
add_steps (BounceJsonWriter *json,
           const char       *name,
           GPtrArray        *steps)
{
  bounce_json_writer_member (json, name);
  bounce_json_writer_begin_array (json);
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      const BounceStep *step = steps->pdata[i];

      bounce_json_writer_begin_object (json);
      add_string (json, "text", step->text);
      add_string (json, "condition", step->condition);
      bounce_json_writer_end_object (json);
    }
  bounce_json_writer_end_array (json);
}

static void
add_string_array (BounceJsonWriter *json,
                  const char       *name,
                  GPtrArray        *strings)
{
  bounce_json_writer_member (json, name);
  bounce_json_writer_begin_array (json);
  for (guint i = 0; strings != NULL && i < strings->len; i++)
    bounce_json_writer_string (json, g_ptr_array_index (strings, i));
  bounce_json_writer_end_array (json);
}

/* "temporary": the class of the failure, as its status says (RFC 3463
 * section 3.1: class 4 is a persistent transient failure, even when the
 * sending server has abandoned the message; class 5 a permanent one).  A
 * pseudo status's class is the server's reply code or words (see
 * pseudo_status() in bounce-judge.c).  This is how Sisimai tells a
 * temporary error from a permanent one (v5.1.0 lib/Sisimai/SMTP/Error.pm,
 * is_permanent(): class 4 "Temporary error", 5 "Permanent error"; its
 * Fact.pm reports that class as the first digit of "deliverystatus"), so a
 * Postfix report that gave up after "4.4.1 connection timed out" is
 * temporary here.  What became of the message (still tried, given up,
 * failed for good) is "outcome".  Without a status (a delivered
 * recipient), the recipient's permanence. */
static void
add_temporary (BounceJsonWriter *json,
               BounceRecipient  *recipient)
{
  const char *status = bounce_recipient_get_status (recipient);

  bounce_json_writer_member (json, "temporary");
  if (status != NULL && (status[0] == '4' || status[0] == '5'))
    {
      bounce_json_writer_boolean (json, status[0] == '4');
      return;
    }
  switch (bounce_recipient_get_permanence (recipient))
    {
    case BOUNCE_PERMANENCE_TEMPORARY:
      bounce_json_writer_boolean (json, TRUE);
      break;
    case BOUNCE_PERMANENCE_PERMANENT:
      bounce_json_writer_boolean (json, FALSE);
      break;
    case BOUNCE_PERMANENCE_UNKNOWN:
    default:
      bounce_json_writer_null (json);
      break;
    }
}

static void
add_recipient (BounceJsonWriter *json,
               BounceRecipient  *recipient)
{
  GPtrArray *entries = bounce_recipient_get_entries (recipient);
  BounceEntry *first = recipient_first_entry (recipient);
  g_autoptr(GPtrArray) sender_steps = recipient_steps (recipient, FALSE);
  g_autoptr(GPtrArray) admin_steps = recipient_steps (recipient, TRUE);
  g_autofree char *sender = join_steps (sender_steps);
  g_autofree char *admin = join_steps (admin_steps);

  bounce_json_writer_begin_object (json);

  add_string (json, "address", bounce_recipient_get_address (recipient));
  add_string (json, "original_address", bounce_recipient_get_original_address (recipient));
  add_string (json, "status", bounce_recipient_get_status (recipient));
  bounce_json_writer_member (json, "status_inferred");
  bounce_json_writer_boolean (json, bounce_recipient_get_status_inferred (recipient));
  add_string (json, "reply_code", bounce_recipient_get_reply_code (recipient));
  add_string (json, "reason", bounce_recipient_get_reason (recipient));

  bounce_json_writer_member (json, "hard_bounce");
  bounce_json_writer_boolean (json, bounce_recipient_get_hard_bounce (recipient));

  add_temporary (json, recipient);
  add_string (json, "outcome", bounce_outcome_to_string (bounce_recipient_get_outcome (recipient)));

  add_string (json, "action", bounce_recipient_get_action (recipient));
  add_string (json, "remote_mta", bounce_recipient_get_remote_mta (recipient));
  add_string (json, "diagnostic", bounce_recipient_get_diagnostic (recipient));
  add_string (json, "will_retry_until", bounce_recipient_get_will_retry_until (recipient));

  bounce_json_writer_member (json, "entries");
  bounce_json_writer_begin_array (json);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    bounce_json_writer_string (json, bounce_entry_get_id (g_ptr_array_index (entries, i)));
  bounce_json_writer_end_array (json);

  add_string (json, "title", first != NULL ? bounce_entry_get_title (first) : NULL);
  add_string (json, "explanation", recipient_explanation (recipient));

  bounce_json_writer_member (json, "remedy");
  bounce_json_writer_begin_object (json);
  add_string (json, "sender", sender);
  add_string (json, "admin", admin);
  add_steps (json, "sender_steps", sender_steps);
  add_steps (json, "admin_steps", admin_steps);
  bounce_json_writer_end_object (json);

  bounce_json_writer_end_object (json);
}

/* "verdict": what became of the message, the index of the recipient the
 * headline is about, and the entry that gives the headline. */
static void
add_verdict (BounceJsonWriter *json,
             BounceReport     *self)
{
  BounceRecipient *main_recipient = bounce_report_get_main_recipient (self);
  BounceEntry *verdict = bounce_report_get_verdict (self);
  GListModel *recipients = bounce_report_get_recipients (self);
  guint position = 0;

  bounce_json_writer_member (json, "verdict");
  bounce_json_writer_begin_object (json);
  add_string (json, "outcome", bounce_outcome_to_string (bounce_report_get_outcome (self)));
  bounce_json_writer_member (json, "recipient");
  if (main_recipient != NULL && g_list_store_find (G_LIST_STORE (recipients), main_recipient, &position))
    bounce_json_writer_int (json, position);
  else
    bounce_json_writer_null (json);
  add_string (json, "entry", verdict != NULL ? bounce_entry_get_id (verdict) : NULL);
  bounce_json_writer_end_object (json);
}

static void
begin_message (BounceJsonWriter *json,
               guint             index,
               const char       *date,
               const char       *subject,
               BounceKind        kind,
               const char       *provider,
               BounceOutcome     outcome)
{
  bounce_json_writer_begin_object (json);
  bounce_json_writer_member (json, "index");
  bounce_json_writer_int (json, index);
  add_string (json, "date", date);
  add_string (json, "subject", subject);
  add_string (json, "kind", kind_to_string (kind));
  add_string (json, "provider", provider);
  add_string (json, "outcome", bounce_outcome_to_string (outcome));
  bounce_json_writer_member (json, "recipients");
  bounce_json_writer_begin_array (json);
}

static void
add_message_recipient (BounceJsonWriter *json,
                       const char       *address,
                       const char       *status,
                       const char       *reason,
                       BounceOutcome     outcome,
                       gboolean          hard_bounce)
{
  bounce_json_writer_begin_object (json);
  add_string (json, "address", address);
  add_string (json, "status", status);
  add_string (json, "reason", reason);
  add_string (json, "outcome", bounce_outcome_to_string (outcome));
  bounce_json_writer_member (json, "hard_bounce");
  bounce_json_writer_boolean (json, hard_bounce);
  bounce_json_writer_end_object (json);
}

static void
end_message (BounceJsonWriter *json)
{
  bounce_json_writer_end_array (json);
  bounce_json_writer_end_object (json);
}

/* "messages", for an input of several (an mbox): each message's own
 * verdict and recipients, so a list owner sees which bounce said what.
 * From the messages' reports, or from what is kept of them when the input
 * was read message by message. */
static void
add_messages (BounceJsonWriter *json,
              BounceReport     *self)
{
  GListModel *messages = bounce_report_get_message_reports (self);
  guint n_summaries = bounce_report_get_n_message_summaries (self);
  guint n = g_list_model_get_n_items (messages);

  if (n == 0 && n_summaries == 0)
    return;
  bounce_json_writer_member (json, "messages");
  bounce_json_writer_begin_array (json);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BounceReport) m = g_list_model_get_item (messages, i);
      GListModel *recipients = bounce_report_get_recipients (m);

      begin_message (json, bounce_report_get_message_index (m), bounce_report_get_date (m),
                     bounce_report_get_subject (m), bounce_report_get_kind (m),
                     bounce_report_get_provider (m), bounce_report_get_outcome (m));
      for (guint j = 0; j < g_list_model_get_n_items (recipients); j++)
        {
          g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, j);

          add_message_recipient (json, bounce_recipient_get_address (r), bounce_recipient_get_status (r),
                                 bounce_recipient_get_reason (r), bounce_recipient_get_outcome (r),
                                 bounce_recipient_get_hard_bounce (r));
        }
      end_message (json);
    }
  for (guint i = 0; i < n_summaries; i++)
    {
      const BounceMessageSummary *m = bounce_report_get_message_summary (self, i);

      begin_message (json, m->index, m->date, m->subject, m->kind, m->provider, m->outcome);
      for (guint j = 0; j < m->n_recipients; j++)
        {
          const BounceSummaryRecipient *r = bounce_report_get_summary_recipient (self, m, j);

          add_message_recipient (json, r->address, r->status, r->reason, r->outcome, r->hard_bounce);
        }
      end_message (json);
    }
  bounce_json_writer_end_array (json);
}

void
bounce_report_write_json (BounceReport     *self,
                          BounceJsonWriter *json,
                          const char       *extra_member,
                          JsonNode         *extra_value)
{
  BounceInput *input;
  GListModel *recipients;
  GPtrArray *codes;
  GPtrArray *blocklists;
  GPtrArray *links;

  g_return_if_fail (BOUNCE_IS_REPORT (self));
  g_return_if_fail (json != NULL);

  input = bounce_report_get_input (self);
  recipients = bounce_report_get_recipients (self);
  codes = bounce_report_get_codes (self);
  blocklists = bounce_report_get_blocklists (self);
  links = bounce_report_get_links (self);

  bounce_json_writer_begin_object (json);

  add_string (json, "source", bounce_report_get_source (self));
  bounce_json_writer_member (json, "is_bounce");
  /* Any delivery report (failure, delay, success, feedback, auto-reply)
   * counts; "kind" says which.  Only ordinary mail is false. */
  bounce_json_writer_boolean (json, bounce_report_get_kind (self) != BOUNCE_KIND_NOT_BOUNCE);
  add_string (json, "kind", kind_to_string (bounce_report_get_kind (self)));
  {
    g_autofree char *description = bounce_report_describe (self);

    add_string (json, "description", description);
  }
  bounce_json_writer_member (json, "backscatter");
  bounce_json_writer_boolean (json, bounce_report_get_backscatter (self));
  bounce_json_writer_member (json, "send_error");
  bounce_json_writer_boolean (json, bounce_report_get_send_error (self));
  add_string (json, "feedback_type", bounce_report_get_feedback_type (self));
  add_string (json, "provider", bounce_report_get_provider (self));
  bounce_json_writer_member (json, "repaired_utf8");
  bounce_json_writer_boolean (json, input != NULL && bounce_input_get_repaired (input));
  add_verdict (json, self);

  bounce_json_writer_member (json, "recipients");
  bounce_json_writer_begin_array (json);
  for (guint i = 0; recipients != NULL && i < g_list_model_get_n_items (recipients); i++)
    {
      g_autoptr(BounceRecipient) recipient = g_list_model_get_item (recipients, i);

      add_recipient (json, recipient);
    }
  bounce_json_writer_end_array (json);

  bounce_json_writer_member (json, "codes");
  bounce_json_writer_begin_array (json);
  for (guint i = 0; codes != NULL && i < codes->len; i++)
    {
      BounceFinding *finding = g_ptr_array_index (codes, i);

      bounce_json_writer_begin_object (json);
      add_string (json, "text", finding->text);
      add_string (json, "kind", bounce_finding_kind_to_string (finding->kind));
      bounce_json_writer_member (json, "offset");
      bounce_json_writer_int (json, finding->offset);
      bounce_json_writer_member (json, "length");
      bounce_json_writer_int (json, finding->length);
      add_string (json, "entry", finding->entry_id);
      bounce_json_writer_end_object (json);
    }
  bounce_json_writer_end_array (json);

  add_messages (json, self);
  add_string_array (json, "ips", bounce_report_get_ips (self));
  add_string_array (json, "domains", bounce_report_get_domains (self));

  bounce_json_writer_member (json, "blocklists");
  bounce_json_writer_begin_array (json);
  for (guint i = 0; blocklists != NULL && i < blocklists->len; i++)
    bounce_json_writer_string (json, bounce_entry_get_id (g_ptr_array_index (blocklists, i)));
  bounce_json_writer_end_array (json);

  bounce_json_writer_member (json, "links");
  bounce_json_writer_begin_array (json);
  for (guint i = 0; links != NULL && i < links->len; i++)
    {
      BounceLink *link = g_ptr_array_index (links, i);

      bounce_json_writer_begin_object (json);
      add_string (json, "title", link->title);
      add_string (json, "url", link->url);
      add_string (json, "service", link->service_id);
      add_string (json, "target", link->target);
      bounce_json_writer_member (json, "named");
      bounce_json_writer_boolean (json, link->named);
      bounce_json_writer_member (json, "closed");
      bounce_json_writer_boolean (json, link->closed);
      bounce_json_writer_end_object (json);
    }
  bounce_json_writer_end_array (json);

  /* Only when something was cut: what a script must know it did not get. */
  if (bounce_report_get_truncated (self) != BOUNCE_TRUNCATED_NONE)
    {
      BounceTruncated truncated = bounce_report_get_truncated (self);

      bounce_json_writer_member (json, "truncated");
      bounce_json_writer_begin_object (json);
      bounce_json_writer_member (json, "recipients");
      bounce_json_writer_boolean (json, (truncated & BOUNCE_TRUNCATED_RECIPIENTS) != 0);
      bounce_json_writer_member (json, "codes");
      bounce_json_writer_boolean (json, (truncated & BOUNCE_TRUNCATED_CODES) != 0);
      bounce_json_writer_end_object (json);
    }

  if (extra_member != NULL && extra_value != NULL)
    {
      bounce_json_writer_member (json, extra_member);
      bounce_json_writer_node (json, extra_value);
    }

  bounce_json_writer_end_object (json);
}

JsonNode *
bounce_report_to_json_node (BounceReport *self)
{
  BounceJsonWriter *json;

  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);

  json = bounce_json_writer_new_node ();
  bounce_report_write_json (self, json, NULL, NULL);
  return bounce_json_writer_free (json);
}

static void
append_to_string (const char *data,
                  gsize       length,
                  gpointer    user_data)
{
  g_string_append_len (user_data, data, length);
}

char *
bounce_report_to_json (BounceReport *self,
                       gboolean      pretty)
{
  GString *out;
  BounceJsonWriter *json;

  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);

  out = g_string_new (NULL);
  json = bounce_json_writer_new (pretty, append_to_string, out);
  bounce_report_write_json (self, json, NULL, NULL);
  bounce_json_writer_free (json);
  return g_string_free (out, FALSE);
}

/* ---- Shared by the text report and the summary ---- */

/* When the sending server keeps trying until: the main recipient's date,
 * else the first any recipient gives.  The recipient object keeps the
 * string alive; the report keeps the recipient alive. */
static const char *
retry_until (BounceReport *self)
{
  BounceRecipient *main_recipient = bounce_report_get_main_recipient (self);
  GListModel *recipients = bounce_report_get_recipients (self);

  if (main_recipient != NULL && bounce_recipient_get_will_retry_until (main_recipient) != NULL)
    return bounce_recipient_get_will_retry_until (main_recipient);
  for (guint i = 0; recipients != NULL && i < g_list_model_get_n_items (recipients); i++)
    {
      g_autoptr(BounceRecipient) recipient = g_list_model_get_item (recipients, i);
      const char *until = bounce_recipient_get_will_retry_until (recipient);

      if (until != NULL)
        return until;
    }
  return NULL;
}

/* The input was a whole message with headers, not a pasted fragment. */
static gboolean
is_message (BounceReport *self)
{
  BounceInput *input = bounce_report_get_input (self);

  return input != NULL && bounce_input_get_is_message (input);
}

/* The report's ARF feedback type (RFC 5965 3.1, kept in lower case) is type. */
static gboolean
is_feedback_type (BounceReport *self,
                  const char   *type)
{
  return g_strcmp0 (bounce_report_get_feedback_type (self), type) == 0;
}

/* Only an "abuse" report is a complaint that a user marked the message as
 * spam (RFC 5965 7.3): an "auth-failure" report is a receiver's automatic
 * report of a message that failed authentication (RFC 6591, which DMARC's
 * failure reports use, RFC 7489 7.3), an "opt-out" an unsubscribe request,
 * and fraud, virus, other and RFC 6650's not-spam are reports of other
 * kinds. */
static gboolean
is_complaint (BounceReport *self)
{
  return bounce_report_get_feedback_type (self) == NULL || is_feedback_type (self, "abuse");
}

const char *
bounce_report_feedback_headline (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);

  if (bounce_report_get_kind (self) != BOUNCE_KIND_FEEDBACK || is_complaint (self))
    return NULL;
  if (is_feedback_type (self, "auth-failure"))
    return _("This is an authentication failure report (DMARC), not a bounce");
  if (is_feedback_type (self, "opt-out"))
    return _("This is an unsubscribe request, not a bounce");
  return _("This is a feedback report, not a bounce");
}

char *
bounce_report_describe_feedback (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);

  if (bounce_report_get_kind (self) != BOUNCE_KIND_FEEDBACK || is_complaint (self))
    return NULL;
  if (is_feedback_type (self, "auth-failure"))
    return g_strdup (_("A receiving server reports a message sent in your domain’s name that "
                       "failed its SPF, DKIM or DMARC checks (feedback type “auth-failure”). "
                       "Such reports are sent automatically to the address in the domain’s "
                       "DMARC record: nobody complained, and the report does not say whether "
                       "the message was delivered."));
  if (is_feedback_type (self, "opt-out"))
    return g_strdup (_("A recipient asked to stop receiving mail like this message (feedback "
                       "type “opt-out”), for example with their mail program’s Unsubscribe "
                       "button. The message itself was delivered."));
  /* Translators: %s is an ARF feedback type such as "virus" */
  return g_strdup_printf (_("A mailbox provider sent a report about a message sent from "
                            "your systems (feedback type “%s”). The message itself was "
                            "delivered."),
                          bounce_report_get_feedback_type (self));
}

char *
bounce_report_describe (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);

  switch (bounce_report_get_kind (self))
    {
    case BOUNCE_KIND_FAILURE:
      if (bounce_report_get_send_error (self))
        return g_strdup (_("This is a send error from your mail program: your outgoing mail "
                           "server refused the message, so it was not sent."));
      if (bounce_report_get_backscatter (self))
        return g_strdup (_("This is a bounce for a message you did not send: someone else used your "
                           "address as its sender (backscatter)."));
      return g_strdup (_("This is a bounce: your message could not be delivered."));
    case BOUNCE_KIND_DELAY:
      return g_strdup (_("This is a delay warning: the message has not been delivered yet and the "
                         "sending server keeps trying."));
    case BOUNCE_KIND_AUTOREPLY:
      return g_strdup (_("This is an automatic reply, not a bounce: the message was delivered."));
    case BOUNCE_KIND_DELIVERED:
      return g_strdup (_("This is a delivery success notice, not a bounce: the message was delivered."));
    case BOUNCE_KIND_FEEDBACK:
      if (is_feedback_type (self, "opt-out"))
        return g_strdup (_("This is an unsubscribe request, not a bounce: a recipient asked to stop "
                           "receiving this mail."));
      if (is_feedback_type (self, "auth-failure"))
        return g_strdup (_("This is an authentication failure report, not a bounce: a receiving "
                           "server reports a message in your domain’s name that failed its SPF, "
                           "DKIM or DMARC checks."));
      return g_strdup (_("This is a feedback report, not a bounce: the message was delivered and "
                         "a recipient or their provider reported it."));
    case BOUNCE_KIND_CHALLENGE:
      return g_strdup (_("This is a challenge-response request, not a bounce: the recipient’s "
                         "filter holds the message until the sender confirms it."));
    case BOUNCE_KIND_READ_RECEIPT:
      return g_strdup (_("This is a read receipt, not a bounce: the message was delivered and "
                         "the recipient’s mail program reports what was done with it."));
    case BOUNCE_KIND_NOT_BOUNCE:
    default:
      if (is_message (self))
        return g_strdup (_("This is an ordinary message, not a bounce: no mail server reports a "
                           "delivery problem in it."));
      return g_strdup (_("This does not look like a bounce: no mail server’s report of a delivery "
                         "problem was found in the text."));
    }
}

static char *
headline (BounceReport *self)
{
  BounceEntry *verdict = bounce_report_get_verdict (self);
  const char *title = verdict != NULL ? bounce_entry_get_title (verdict) : NULL;

  switch (bounce_report_get_kind (self))
    {
    case BOUNCE_KIND_FAILURE:
      if (title != NULL && bounce_report_get_send_error (self))
        /* Translators: %s is the reason, e.g. "The address does not exist";
         * said of a message the user's mail program could not send */
        return g_strdup_printf (_("Not sent: %s"), title);
      if (bounce_report_get_send_error (self))
        return g_strdup (_("Your message was not sent"));
      if (title != NULL)
        /* Translators: %s is the reason, e.g. "The address does not exist" */
        return g_strdup_printf (_("Not delivered: %s"), title);
      return g_strdup (_("Your message could not be delivered"));
    case BOUNCE_KIND_DELAY:
      if (title != NULL)
        /* Translators: %s is the reason, e.g. "The mailbox is full" */
        return g_strdup_printf (_("Delayed, not yet delivered: %s"), title);
      return g_strdup (_("Your message has not been delivered yet"));
    case BOUNCE_KIND_AUTOREPLY:
      return g_strdup (_("This is an automatic reply, not a bounce"));
    case BOUNCE_KIND_DELIVERED:
      return g_strdup (_("This is a delivery success report, not a bounce"));
    case BOUNCE_KIND_FEEDBACK:
      if (bounce_report_feedback_headline (self) != NULL)
        return g_strdup (bounce_report_feedback_headline (self));
      return g_strdup (_("This is an abuse report (feedback loop), not a bounce"));
    case BOUNCE_KIND_CHALLENGE:
      return g_strdup (_("This is a challenge-response request, not a bounce"));
    case BOUNCE_KIND_READ_RECEIPT:
      return g_strdup (_("This is a read receipt, not a bounce"));
    case BOUNCE_KIND_NOT_BOUNCE:
    default:
      if (is_message (self))
        return g_strdup (_("This is an ordinary message, not a bounce"));
      return g_strdup (_("This does not look like a bounce"));
    }
}

char *
bounce_report_describe_send_error (BounceReport *self)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);

  if (!bounce_report_get_send_error (self) || bounce_report_get_kind (self) != BOUNCE_KIND_FAILURE)
    return NULL;
  /* (no server keeps it: a temporary refusal is given up at once, see
   * bounce_recipient_get_outcome()) */
  switch (bounce_report_get_outcome (self))
    {
    case BOUNCE_OUTCOME_PERMANENT:
      return g_strdup (_("The message was not sent: it should still be in your mail program, in "
                         "the window you wrote it in or in the Outbox. Sending it again will not "
                         "help until the cause below is fixed."));
    case BOUNCE_OUTCOME_GAVE_UP:
    case BOUNCE_OUTCOME_DELAYED:
      return g_strdup (_("The message was not sent: it should still be in your mail program, in "
                         "the window you wrote it in or in the Outbox. The refusal is temporary: "
                         "send it again later, or once the cause below is fixed."));
    case BOUNCE_OUTCOME_UNKNOWN:
    case BOUNCE_OUTCOME_NONE:
    default:
      return g_strdup (_("The message was not sent: it should still be in your mail program, in "
                         "the window you wrote it in or in the Outbox. Check the explanation "
                         "below before sending it again."));
    }
}

/* What the verdict means for the person who sent the message. */
static char *
meaning (BounceReport *self)
{
  BounceKind kind = bounce_report_get_kind (self);
  const char *until;
  char *send_error = bounce_report_describe_send_error (self);

  if (send_error != NULL)
    return send_error;
  switch (kind)
    {
    case BOUNCE_KIND_FAILURE:
    case BOUNCE_KIND_DELAY:
      break;
    case BOUNCE_KIND_AUTOREPLY:
      return g_strdup (_("The recipient’s server answered automatically (for example with an "
                         "out-of-office notice). Your message was delivered; nothing needs to be done."));
    case BOUNCE_KIND_DELIVERED:
      return g_strdup (_("The receiving side confirms that your message was delivered. "
                         "Nothing needs to be done."));
    case BOUNCE_KIND_FEEDBACK:
      {
        const char *type = bounce_report_get_feedback_type (self);

        char *other = bounce_report_describe_feedback (self);

        if (other != NULL)
          return other;
        if (type != NULL)
          /* Translators: %s is an ARF feedback type such as "abuse" */
          return g_strdup_printf (_("A mailbox provider forwarded a complaint about a message "
                                    "sent from your systems (feedback type “%s”): one of its users "
                                    "marked it as spam. The message itself was delivered."),
                                  type);
        return g_strdup (_("A mailbox provider forwarded a complaint about a message sent from "
                           "your systems: one of its users marked it as spam. The message itself "
                           "was delivered."));
      }
    case BOUNCE_KIND_CHALLENGE:
      return g_strdup (_("The recipient accepts mail only from approved senders, through a "
                         "challenge-response service such as Boxbe or BoxTrapper, and holds your "
                         "message until you confirm you sent it. If you wrote to this recipient, "
                         "follow the request; if you did not, ignore it: your address was used by "
                         "someone else."));
    case BOUNCE_KIND_READ_RECEIPT:
      return g_strdup (_("The recipient’s mail program sent this notice when your message was "
                         "opened or deleted. It was delivered; nothing needs to be done."));
    case BOUNCE_KIND_NOT_BOUNCE:
    default:
      if (is_message (self))
        return g_strdup (_("It has no delivery status report (RFC 3464), does not come from a mail "
                           "server and carries none of the wording of a bounce: numbers in it such "
                           "as 550 are not error codes. If a bounce was forwarded inside it, open "
                           "the original bounce instead."));
      return g_strdup (_("No delivery status report (RFC 3464), no SMTP reply code such as 550, "
                         "no enhanced status code such as 5.1.1 and none of the usual wording of "
                         "a bounce message was found. If this is a bounce, use the whole "
                         "message including its headers."));
    }

  until = retry_until (self);

  switch (bounce_report_get_outcome (self))
    {
    case BOUNCE_OUTCOME_PERMANENT:
      return g_strdup (_("This is a permanent failure: sending the same message again will not "
                         "help until the cause is fixed."));
    case BOUNCE_OUTCOME_GAVE_UP:
      return g_strdup (_("The problem was temporary, but the sending server has stopped trying. "
                         "Send the message again once the cause is fixed."));
    case BOUNCE_OUTCOME_DELAYED:
      if (until != NULL)
        /* Translators: %s is a date and time from the bounce */
        return g_strdup_printf (_("This is a temporary problem: the sending server will keep "
                                  "trying until %s. You do not need to send the message again yet."),
                                until);
      return g_strdup (_("This is a temporary problem: the sending server will keep trying for "
                         "a while (usually up to a few days). You do not need to send the "
                         "message again yet."));
    case BOUNCE_OUTCOME_UNKNOWN:
    case BOUNCE_OUTCOME_NONE:
    default:
      return g_strdup (_("The bounce does not say whether the problem is permanent or temporary."));
    }
}

static const char *
finding_kind_label (BounceFindingKind kind)
{
  switch (kind)
    {
    case BOUNCE_FINDING_REPLY_CODE:
      return _("SMTP reply code");
    case BOUNCE_FINDING_ENHANCED_CODE:
      return _("Enhanced status code");
    case BOUNCE_FINDING_PROVIDER_TOKEN:
      return _("Provider code");
    case BOUNCE_FINDING_IPV4:
    case BOUNCE_FINDING_IPV6:
    case BOUNCE_FINDING_HOSTNAME:
    case BOUNCE_FINDING_EMAIL:
    case BOUNCE_FINDING_DNSBL_ZONE:
    case BOUNCE_FINDING_URL:
    default:
      return _("Code");
    }
}

/* Titles of code findings: the recipients' entries usually hold them; the
 * built-in catalogue is only consulted for the rest. */
static const char *
entry_title_for_id (BounceReport *self,
                    const char   *id)
{
  GListModel *recipients = bounce_report_get_recipients (self);
  BounceEntry *entry;

  if (id == NULL)
    return NULL;

  for (guint i = 0; recipients != NULL && i < g_list_model_get_n_items (recipients); i++)
    {
      g_autoptr(BounceRecipient) recipient = g_list_model_get_item (recipients, i);
      GPtrArray *entries = bounce_recipient_get_entries (recipient);

      for (guint j = 0; entries != NULL && j < entries->len; j++)
        {
          entry = g_ptr_array_index (entries, j);
          if (g_strcmp0 (bounce_entry_get_id (entry), id) == 0)
            return bounce_entry_get_title (entry);
        }
    }

  entry = bounce_catalogue_lookup (bounce_catalogue_get_default (), id);
  return entry != NULL ? bounce_entry_get_title (entry) : NULL;
}

/* Code findings with the same text are listed once. */
static GPtrArray *
unique_codes (BounceReport *self)
{
  GPtrArray *codes = bounce_report_get_codes (self);
  GPtrArray *out = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; codes != NULL && i < codes->len; i++)
    {
      BounceFinding *finding = g_ptr_array_index (codes, i);

      if (finding->text == NULL || !g_hash_table_add (seen, finding->text))
        continue;
      g_ptr_array_add (out, finding);
    }

  return out;
}

/* Word-wraps text; the first line starts with first_prefix, the others with
 * spaces of the same width.  Words longer than a line (URLs) stay whole. */
static void
append_wrapped (GString    *out,
                const char *first_prefix,
                const char *text)
{
  g_autofree char *clean = sanitize (text);
  g_auto(GStrv) words = NULL;
  glong indent = g_utf8_strlen (first_prefix, -1);
  glong width = MAX (WRAP_WIDTH - indent, 20);
  glong column = 0;
  gboolean line_empty = TRUE;

  g_string_append (out, first_prefix);

  if (clean == NULL)
    {
      g_string_append_c (out, '\n');
      return;
    }

  words = g_strsplit (clean, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      glong len = g_utf8_strlen (words[i], -1);

      if (len == 0)
        continue;

      if (!line_empty && column + 1 + len > width)
        {
          g_string_append_c (out, '\n');
          for (glong k = 0; k < indent; k++)
            g_string_append_c (out, ' ');
          column = 0;
          line_empty = TRUE;
        }
      if (!line_empty)
        {
          g_string_append_c (out, ' ');
          column++;
        }
      g_string_append (out, words[i]);
      column += len;
      line_empty = FALSE;
    }

  g_string_append_c (out, '\n');
}

static void
append_steps (GString    *out,
              const char *indent,
              GPtrArray  *steps)
{
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%s%u. ", indent, i + 1);
      g_autofree char *text = bounce_step_to_string (steps->pdata[i]);

      append_wrapped (out, prefix, text);
    }
}

static const char *
recipient_outcome_label (BounceRecipient *recipient)
{
  switch (bounce_recipient_get_outcome (recipient))
    {
    case BOUNCE_OUTCOME_PERMANENT:
      if (bounce_recipient_get_hard_bounce (recipient))
        return _("permanent (hard bounce: the address cannot receive mail)");
      return _("permanent");
    case BOUNCE_OUTCOME_GAVE_UP:
      /* (a mail program's send error: nothing was tried again) */
      if (bounce_recipient_get_not_sent (recipient))
        return _("not sent (the refusal is temporary)");
      return _("given up after temporary errors");
    case BOUNCE_OUTCOME_DELAYED:
      return _("temporary, still being tried");
    case BOUNCE_OUTCOME_UNKNOWN:
    case BOUNCE_OUTCOME_NONE:
    default:
      return NULL;
    }
}

/* Information pages of the recipient's entries (no lookup templates). */
static GPtrArray *
recipient_sources (BounceRecipient *recipient)
{
  GPtrArray *entries = bounce_recipient_get_entries (recipient);
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; entries != NULL && i < entries->len && out->len < MAX_SOURCES; i++)
    {
      const char *url = bounce_entry_get_source_url (g_ptr_array_index (entries, i));

      if (url == NULL || strchr (url, '{') != NULL)
        continue;
      if (g_ptr_array_find_with_equal_func (out, url, g_str_equal, NULL))
        continue;
      g_ptr_array_add (out, (gpointer) url);
    }

  return out;
}

static void
append_label_value (GString    *out,
                    const char *label,
                    const char *value)
{
  g_autofree char *prefix = NULL;

  if (value == NULL)
    return;

  prefix = g_strdup_printf ("  %s ", label);
  append_wrapped (out, prefix, value);
}

static void
append_recipient_text (GString         *out,
                       BounceRecipient *recipient)
{
  BounceEntry *first = recipient_first_entry (recipient);
  const char *explanation = recipient_explanation (recipient);
  g_autoptr(GPtrArray) sender = recipient_steps (recipient, FALSE);
  g_autoptr(GPtrArray) admin = recipient_steps (recipient, TRUE);
  const char *address = bounce_recipient_get_address (recipient);
  const char *action = bounce_recipient_get_action_label (recipient);
  g_autofree char *codes = bounce_recipient_format_codes (recipient);
  g_autofree char *result = NULL;
  g_autoptr(GPtrArray) sources = recipient_sources (recipient);

  append_wrapped (out, _("Recipient: "), address != NULL ? address : _("(address not stated)"));

  if (action != NULL && recipient_outcome_label (recipient) != NULL)
    /* Translators: the first %s is a DSN action such as "failed" or "delayed",
     * the second whether the failure is permanent or temporary */
    result = g_strdup_printf (_("%s, %s"), action, recipient_outcome_label (recipient));
  else if (action != NULL)
    result = g_strdup (action);
  else
    result = g_strdup (recipient_outcome_label (recipient));

  /* Translators: the address the sender wrote, which the receiving server
   * delivered to the recipient's address above (an alias, a forward) */
  append_label_value (out, _("Sent to:"), bounce_recipient_get_original_address (recipient));
  append_label_value (out, _("Result:"), result);
  append_label_value (out, _("Codes:"), codes);
  append_label_value (out, _("Server:"), bounce_recipient_get_remote_mta (recipient));
  append_label_value (out, _("Server said:"), bounce_recipient_get_diagnostic (recipient));
  append_label_value (out, _("Retrying until:"), bounce_recipient_get_will_retry_until (recipient));

  if (first != NULL)
    {
      g_string_append_c (out, '\n');
      append_wrapped (out, "  ", bounce_entry_get_title (first));
    }
  if (explanation != NULL)
    append_wrapped (out, "  ", explanation);

  if (sender != NULL)
    {
      g_string_append_c (out, '\n');
      g_string_append_printf (out, "  %s\n", _("What you can do:"));
      append_steps (out, "    ", sender);
    }

  if (admin != NULL)
    {
      g_string_append_c (out, '\n');
      g_string_append_printf (out, "  %s\n", _("For the mail administrator:"));
      append_steps (out, "    ", admin);
    }

  if (sources->len > 0)
    {
      g_string_append_c (out, '\n');
      g_string_append_printf (out, "  %s\n", _("More information:"));
      for (guint i = 0; i < sources->len; i++)
        g_string_append_printf (out, "    %s\n", (const char *) g_ptr_array_index (sources, i));
    }
}

static void
append_links_text (GString   *out,
                   GPtrArray *links,
                   gboolean   compact)
{
  for (guint i = 0; links != NULL && i < links->len; i++)
    {
      BounceLink *link = g_ptr_array_index (links, i);
      g_autofree char *title = NULL;

      if (link->closed)
        /* Translators: %s is a link title such as "SORBS has shut down" */
        title = g_strdup_printf (_("%s (closed: information only, not a live check)"), link->title);
      else if (link->named)
        /* Translators: %s is a link title such as "Check 192.0.2.1 on Spamhaus" */
        title = g_strdup_printf (_("%s (named in the bounce)"), link->title);
      else
        title = g_strdup (link->title);

      if (compact)
        g_string_append_printf (out, "- %s: %s\n", title, link->url);
      else
        {
          append_wrapped (out, "  ", title);
          g_string_append_printf (out, "    %s\n", link->url);
        }
    }
}

/* ---- Text report ---- */

/* What is written so far goes out once it is this long (at the end of a
 * recipient, so always after a whole line). */
#define TEXT_FLUSH_SIZE (64 * 1024)

static void
text_flush (GString         *out,
            BounceWriteFunc  write,
            gpointer         user_data,
            gboolean         all)
{
  if (write == NULL || out->len == 0 || (!all && out->len < TEXT_FLUSH_SIZE))
    return;
  write (out->str, out->len, user_data);
  g_string_truncate (out, 0);
}

/* The readable report into out; with write, handed on in pieces as it
 * grows instead of kept whole. */
static void
write_text (BounceReport    *self,
            GString         *out,
            BounceWriteFunc  write,
            gpointer         user_data)
{
  GListModel *recipients;
  BounceInput *input;
  GPtrArray *links;
  GPtrArray *blocklists;
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *head = NULL;
  g_autofree char *what = NULL;
  guint n_recipients;

  recipients = bounce_report_get_recipients (self);
  n_recipients = recipients != NULL ? g_list_model_get_n_items (recipients) : 0;
  input = bounce_report_get_input (self);
  links = bounce_report_get_links (self);
  blocklists = bounce_report_get_blocklists (self);
  codes = unique_codes (self);
  head = headline (self);
  what = meaning (self);

  if (bounce_report_get_source (self) != NULL)
    append_wrapped (out, _("Input: "), bounce_report_get_source (self));

  append_wrapped (out, "", head);
  append_wrapped (out, "", what);
  if (bounce_report_get_backscatter (self))
    append_wrapped (out, "", _("The returned message was not sent from your address: it names "
                                "someone at another organisation as its sender, and your address "
                                "only as the address for bounces. Someone else used your address "
                                "(backscatter): you can delete this bounce. Change your password "
                                "only if your Sent folder shows mail you did not write."));

  if (bounce_report_get_provider (self) != NULL)
    {
      BounceEntry *provider = bounce_catalogue_find_provider (bounce_catalogue_get_default (),
                                                              bounce_report_get_provider (self));

      append_wrapped (out, _("Reported by: "),
                      provider ? bounce_entry_get_title (provider) : bounce_report_get_provider (self));
    }

  if (input != NULL && bounce_input_get_repaired (input))
    append_wrapped (out, "", _("Note: the input was not valid text in its character set and "
                                "has been repaired; a few characters may be shown wrongly."));
  if (bounce_report_get_truncated (self) & BOUNCE_TRUNCATED_RECIPIENTS)
    append_wrapped (out, "", _("Note: the bounce names more recipients than are listed here; "
                                "the list was cut short."));
  if (bounce_report_get_truncated (self) & BOUNCE_TRUNCATED_CODES)
    append_wrapped (out, "", _("Note: the input holds more codes and addresses than were read; "
                                "only its beginning was searched."));

  if (n_recipients > 0)
    {
      g_string_append_c (out, '\n');
      g_string_append_printf (out,
                              ngettext ("%u recipient:\n", "%u recipients:\n", n_recipients),
                              n_recipients);
      for (guint i = 0; i < n_recipients; i++)
        {
          g_autoptr(BounceRecipient) recipient = g_list_model_get_item (recipients, i);

          g_string_append_c (out, '\n');
          append_recipient_text (out, recipient);
          text_flush (out, write, user_data, FALSE);
        }
    }

  if (codes->len > 0)
    {
      g_string_append_c (out, '\n');
      g_string_append_printf (out, "%s\n", _("Codes found:"));
      for (guint i = 0; i < codes->len; i++)
        {
          BounceFinding *finding = g_ptr_array_index (codes, i);
          const char *title = entry_title_for_id (self, finding->entry_id);
          g_autofree char *prefix = g_strdup_printf ("  %-8s ", finding->text);
          g_autofree char *line = NULL;

          if (title != NULL)
            /* Translators: "Enhanced status code: The address does not exist" */
            line = g_strdup_printf (_("%s: %s"), finding_kind_label (finding->kind), title);
          else
            line = g_strdup (finding_kind_label (finding->kind));
          append_wrapped (out, prefix, line);
        }
    }

  if (blocklists != NULL && blocklists->len > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < blocklists->len; i++)
        {
          if (i > 0)
            g_string_append (names, ", ");
          g_string_append (names, bounce_entry_get_title (g_ptr_array_index (blocklists, i)));
        }
      g_string_append_c (out, '\n');
      append_wrapped (out, _("Blocklists named in the bounce: "), names->str);
    }

  if (links != NULL && links->len > 0)
    {
      g_string_append_c (out, '\n');
      g_string_append_printf (out, "%s\n", _("Blocklist checks:"));
      append_links_text (out, links, FALSE);
    }

  text_flush (out, write, user_data, TRUE);
}

char *
bounce_report_to_text (BounceReport *self)
{
  GString *out;

  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);

  out = g_string_new (NULL);
  write_text (self, out, NULL, NULL);
  return g_string_free (out, FALSE);
}

void
bounce_report_write_text (BounceReport    *self,
                          BounceWriteFunc  write,
                          gpointer         user_data)
{
  g_autoptr(GString) out = NULL;

  g_return_if_fail (BOUNCE_IS_REPORT (self));
  g_return_if_fail (write != NULL);

  out = g_string_sized_new (TEXT_FLUSH_SIZE + 4096);
  write_text (self, out, write, user_data);
}

/* ---- Ticket summary ---- */

char *
bounce_report_to_summary (BounceReport *self)
{
  GString *out;
  GListModel *recipients;
  GPtrArray *links;
  g_autoptr(GPtrArray) codes = NULL;
  BounceRecipient *main_recipient = NULL;
  g_autofree char *head = NULL;
  g_autofree char *what = NULL;
  guint n_recipients;

  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);

  out = g_string_new (NULL);
  recipients = bounce_report_get_recipients (self);
  n_recipients = recipients != NULL ? g_list_model_get_n_items (recipients) : 0;
  links = bounce_report_get_links (self);
  codes = unique_codes (self);
  main_recipient = bounce_report_get_main_recipient (self);
  head = headline (self);
  what = meaning (self);

  g_string_append_printf (out, "%s\n%s\n", head, what);

  if (n_recipients > 0)
    {
      g_string_append_c (out, '\n');
      g_string_append_printf (out,
                              ngettext ("%u recipient:\n", "%u recipients:\n", n_recipients),
                              n_recipients);
      for (guint i = 0; i < n_recipients; i++)
        {
          g_autoptr(BounceRecipient) recipient = g_list_model_get_item (recipients, i);
          BounceEntry *first = recipient_first_entry (recipient);
          g_autofree char *address = sanitize (bounce_recipient_get_address (recipient));
          g_autofree char *rcodes = bounce_recipient_format_codes (recipient);
          g_autofree char *server = sanitize (bounce_recipient_get_remote_mta (recipient));
          g_autofree char *diagnostic = sanitize (bounce_recipient_get_diagnostic (recipient));

          g_string_append_printf (out, "- %s", address != NULL ? address : _("(address not stated)"));
          if (rcodes != NULL)
            g_string_append_printf (out, " [%s]", rcodes);
          if (first != NULL)
            g_string_append_printf (out, ": %s", bounce_entry_get_title (first));
          g_string_append_c (out, '\n');
          if (server != NULL)
            g_string_append_printf (out, "  %s %s\n", _("Server:"), server);
          if (diagnostic != NULL)
            g_string_append_printf (out, "  %s %s\n", _("Server said:"), diagnostic);
        }
    }

  if (codes->len > 0)
    {
      g_string_append_printf (out, "\n%s ", _("Codes:"));
      for (guint i = 0; i < codes->len; i++)
        {
          BounceFinding *finding = g_ptr_array_index (codes, i);

          g_string_append_printf (out, i > 0 ? ", %s" : "%s", finding->text);
        }
      g_string_append_c (out, '\n');
    }

  if (main_recipient != NULL)
    {
      const char *explanation = recipient_explanation (main_recipient);
      g_autoptr(GPtrArray) sender_steps = recipient_steps (main_recipient, FALSE);
      g_autoptr(GPtrArray) admin_steps = recipient_steps (main_recipient, TRUE);
      g_autofree char *sender = join_steps (sender_steps);
      g_autofree char *admin = join_steps (admin_steps);

      if (explanation != NULL)
        g_string_append_printf (out, "\n%s\n%s\n", _("Explanation:"), explanation);
      if (sender != NULL)
        g_string_append_printf (out, "\n%s\n%s\n", _("Next steps:"), sender);
      if (admin != NULL)
        g_string_append_printf (out, "\n%s\n%s\n", _("For the mail administrator:"), admin);
    }

  if (links != NULL && links->len > 0)
    {
      g_string_append_printf (out, "\n%s\n", _("Blocklist checks:"));
      append_links_text (out, links, TRUE);
    }

  return g_string_free (out, FALSE);
}

/* ---- CSV ---- */

/* One CSV field (RFC 4180): quoted when it holds a separator, a quote or
 * a line break.  A field that a spreadsheet would take for a formula (it
 * starts with = + - @ or a control character) gets a leading apostrophe:
 * bounce text is written by strangers. */
static void
append_csv_field (GString    *out,
                  const char *value,
                  gboolean    last)
{
  const char *v = value != NULL ? value : "";
  gboolean formula = strchr ("=+-@\t\r", v[0]) != NULL && v[0] != '\0';

  if (formula || strpbrk (v, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      if (formula)
        g_string_append_c (out, '\'');
      for (const char *p = v; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, v);
  g_string_append (out, last ? "\r\n" : ",");
}

static void
append_csv_rows (GString      *out,
                 BounceReport *report,
                 guint         message)
{
  GListModel *recipients = bounce_report_get_recipients (report);
  g_autofree char *number = g_strdup_printf ("%u", message + 1);

  for (guint i = 0; i < g_list_model_get_n_items (recipients); i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, i);
      const char *status = bounce_recipient_get_status_inferred (r) ? NULL : bounce_recipient_get_status (r);

      append_csv_field (out, bounce_report_get_source (report), FALSE);
      append_csv_field (out, number, FALSE);
      append_csv_field (out, bounce_report_get_date (report), FALSE);
      append_csv_field (out, bounce_report_get_subject (report), FALSE);
      append_csv_field (out, bounce_recipient_get_address (r), FALSE);
      append_csv_field (out, bounce_outcome_to_string (bounce_recipient_get_outcome (r)), FALSE);
      append_csv_field (out, bounce_recipient_get_hard_bounce (r) ? "yes" : "no", FALSE);
      append_csv_field (out, bounce_recipient_get_reason (r), FALSE);
      append_csv_field (out, status, FALSE);
      append_csv_field (out, bounce_recipient_get_reply_code (r), FALSE);
      append_csv_field (out, bounce_recipient_get_remote_mta (r), FALSE);
      append_csv_field (out, bounce_recipient_get_diagnostic (r), TRUE);
    }
}

char *
bounce_report_to_csv (BounceReport *self,
                      gboolean      header)
{
  GListModel *messages;
  GString *out = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (BOUNCE_IS_REPORT (self), g_string_free (out, FALSE));

  /* The column names are the JSON's keys, not translated: scripts read them. */
  if (header)
    g_string_append (out, "source,message,date,subject,recipient,outcome,hard_bounce,reason,"
                          "status,reply_code,remote_mta,diagnostic\r\n");
  messages = bounce_report_get_message_reports (self);
  n = g_list_model_get_n_items (messages);
  if (n == 0)
    append_csv_rows (out, self, bounce_report_get_message_index (self));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BounceReport) m = g_list_model_get_item (messages, i);

      append_csv_rows (out, m, bounce_report_get_message_index (m));
    }
  return g_string_free (out, FALSE);
}
