/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-classify.h"
#include "bounce-diagnose.h"
#include "bounce-engine.h"
#include "bounce-provenance.h"

/* The engine: per message, the layouts say what they know about each
 * recipient (layouts/), the facts about each recipient are merged here,
 * and each recipient is judged (bounce-evidence.c, bounce-judge.c).  No
 * server is known by name here. */

typedef struct {
  GHashTable *keys;         /* recipient_key() of the report's recipients */
  guint n_indexed;          /* how many of them are in keys */
} Reported;

const char *
bounce_context_header (BounceMessageContext *ctx,
                       const char           *name)
{
  if (ctx->message == NULL)
    return NULL;
  return bounce_fields_lookup (ctx->message->headers, name);
}

static char *
address_from_value (const char *value)
{
  return bounce_extract_address (value, -1, 0, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* Reports that are not about failures                                  */

static void
add_simple_recipient (BounceMessageContext *ctx,
                      const char           *address,
                      const char           *reason)
{
  g_autoptr(BounceRecipient) r = bounce_recipient_new ();
  BounceEntry *e = bounce_catalogue_find_reason (ctx->catalogue, reason);
  const char *type = bounce_report_get_feedback_type (ctx->report);

  bounce_recipient_set_address (r, address);
  bounce_recipient_set_reason (r, reason);
  /* A feedback report's type may have an entry of its own: an
   * "auth-failure" report (RFC 6591; DMARC's failure reports, RFC 7489
   * 7.3) or an "opt-out" is no spam complaint, as the reason's entry says
   * of "abuse". */
  if (g_strcmp0 (reason, "feedback") == 0 && type != NULL)
    {
      g_autofree char *id = g_strconcat ("rule.feedback.", type, NULL);
      BounceEntry *typed = bounce_catalogue_lookup (ctx->catalogue, id);

      /* a type without an entry of its own, other than "abuse" (RFC
       * 5965 7.3: fraud, virus, other; RFC 6650: not-spam) */
      if (typed == NULL && g_ascii_strcasecmp (type, "abuse") != 0)
        typed = bounce_catalogue_lookup (ctx->catalogue, "rule.feedback.other");

      if (typed != NULL)
        bounce_recipient_add_entry (r, typed);
    }
  if (e != NULL)
    bounce_recipient_add_entry (r, e);
  bounce_report_add_recipient (ctx->report, r);
  if (ctx->message_report != NULL)
    bounce_report_add_recipient (ctx->message_report, r);
}

/* What is said of the whole report is said of the message's too. */
static void
set_kind (BounceMessageContext *ctx,
          BounceKind            kind,
          const char           *feedback_type)
{
  bounce_report_set_kind (ctx->report, kind);
  if (feedback_type != NULL)
    bounce_report_set_feedback_type (ctx->report, feedback_type);
  if (ctx->message_report == NULL)
    return;
  bounce_report_set_kind (ctx->message_report, kind);
  if (feedback_type != NULL)
    bounce_report_set_feedback_type (ctx->message_report, feedback_type);
}

/* One-click unsubscribe requests (Apple Mail's "X-Apple-Unsubscribe") are
 * opt-out feedback, not bounces. */
static gboolean
handle_unsubscribe (BounceMessageContext *ctx)
{
  g_autofree char *address = NULL;

  if (bounce_context_header (ctx, "X-Apple-Unsubscribe") == NULL)
    return FALSE;
  set_kind (ctx, BOUNCE_KIND_FEEDBACK, "opt-out");
  address = address_from_value (bounce_context_header (ctx, "From"));
  add_simple_recipient (ctx, address, "feedback");
  return TRUE;
}

/* A feedback report (RFC 5965), or a provider's complaint a layout turned
 * into its fields. */
static gboolean
handle_feedback (BounceMessageContext *ctx,
                 GPtrArray            *fields)
{
  const char *type = fields != NULL ? bounce_fields_lookup (fields, "Feedback-Type") : NULL;
  g_autofree char *lower = NULL;
  guint added = 0;

  if (type == NULL)
    return FALSE;
  lower = g_ascii_strdown (type, -1);
  set_kind (ctx, BOUNCE_KIND_FEEDBACK, g_strstrip (lower));
  for (guint i = 0; i < fields->len; i++)
    {
      BounceField *f = fields->pdata[i];

      if (g_ascii_strcasecmp (f->name, "Original-Rcpt-To") == 0 ||
          g_ascii_strcasecmp (f->name, "Removal-Recipient") == 0)
        {
          g_autofree char *address = address_from_value (f->value);

          add_simple_recipient (ctx, address, "feedback");
          added++;
        }
    }
  if (added == 0)
    {
      const char *to = ctx->message && ctx->message->original_headers ?
                       bounce_fields_lookup (ctx->message->original_headers, "To") : NULL;
      g_autofree char *address = address_from_value (to);

      add_simple_recipient (ctx, address, "feedback");
    }
  return TRUE;
}

/* A text that lists no failed recipient may still say what it is in its
 * own words: an out-of-office note, a delivery success notice or the
 * human part of a feedback report, pasted without headers or fields. */
static void
handle_words (BounceMessageContext *ctx)
{
  const char *original_to = ctx->message && ctx->message->original_headers ?
                            bounce_fields_lookup (ctx->message->original_headers, "To") : NULL;
  g_autofree char *address = NULL;
  const char *feedback_type;

  if (bounce_classify_autoreply_words (ctx))
    {
      address = address_from_value (bounce_context_header (ctx, "From"));
      bounce_report_set_kind (ctx->report, BOUNCE_KIND_AUTOREPLY);
      add_simple_recipient (ctx, address, "vacation");
    }
  else if ((feedback_type = bounce_classify_feedback_words (ctx)) != NULL)
    {
      address = original_to ? address_from_value (original_to) : NULL;
      bounce_report_set_kind (ctx->report, BOUNCE_KIND_FEEDBACK);
      bounce_report_set_feedback_type (ctx->report, feedback_type);
      add_simple_recipient (ctx, address, "feedback");
    }
  else if (bounce_classify_delivered_words (ctx))
    {
      address = original_to ? address_from_value (original_to)
                            : bounce_classify_named_recipient (ctx->notification->str);
      bounce_report_set_kind (ctx->report, BOUNCE_KIND_DELIVERED);
      add_simple_recipient (ctx, address, "delivered");
    }
}

/* A read receipt (RFC 8098) or a challenge-response request: reports
 * about a message, not failures, though a challenge quotes the message and
 * sometimes words a rule knows ("verify"). */
static gboolean
handle_not_a_failure (BounceMessageContext *ctx,
                      GPtrArray            *listed)
{
  BounceKind kind;

  if (bounce_classify_challenge_report (ctx, listed))
    {
      bounce_report_set_kind (ctx->report, BOUNCE_KIND_CHALLENGE);
      return TRUE;
    }
  if (listed->len > 0)
    return FALSE;
  /* the human part of a feedback report, pasted, says what it is */
  if (ctx->message == NULL && bounce_classify_feedback_words (ctx) != NULL)
    {
      handle_words (ctx);
      return TRUE;
    }
  if (bounce_classify_looks_like_read_receipt (ctx))
    {
      g_autoptr(GPtrArray) layout = bounce_layouts_run (ctx->doc, BOUNCE_LAYOUT_TEXT, NULL);

      /* a Sieve "reject" (RFC 5429) is sent as a disposition notification
       * too; a server layout that reads a refusal in it says so */
      if (layout->len > 0)
        return FALSE;
      kind = BOUNCE_KIND_READ_RECEIPT;
    }
  else if (bounce_classify_looks_like_challenge (ctx))
    kind = BOUNCE_KIND_CHALLENGE;
  else
    return FALSE;
  bounce_report_set_kind (ctx->report, kind);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Facts                                                                */

/* A report's fields give the list; a layout of the same message adds the
 * failed command and its own wording for the recipients it also names. */
static void
merge_layout (GPtrArray *listed,
              GPtrArray *layout)
{
  /* A report whose only Final-Recipient holds no address ("rfc822;
   * @mx.example.org") names its recipient in the text alone. */
  if (listed->len == 1 && layout->len == 1 && ((BounceFact *) listed->pdata[0])->address == NULL)
    ((BounceFact *) listed->pdata[0])->address = g_strdup (((BounceFact *) layout->pdata[0])->address);
  for (guint i = 0; i < listed->len; i++)
    {
      BounceFact *c = listed->pdata[i];
      BounceFact *l = bounce_facts_find (layout, c->address);

      /* The text names the recipient by the address the sender wrote
       * (the report's Original-Recipient), not the one the server
       * delivered to: the reader knows that one. */
      if (l == NULL && c->original != NULL && (l = bounce_facts_find (layout, c->original)) != NULL)
        {
          g_free (c->address);
          c->address = g_steal_pointer (&c->original);
        }
      if (l == NULL)
        continue;
      c->from_layout = TRUE;
      if (c->original == NULL && l->original != NULL)
        c->original = g_strdup (l->original);
      c->command = l->command;
      c->command_unknown = l->command_unknown;
      c->retried = l->retried;
      c->not_sent = l->not_sent;
      c->pseudo_class_set = l->pseudo_class_set;
      c->pseudo_temporary = l->pseudo_temporary;
      c->pseudo_reason = l->pseudo_reason;
      /* a report without Remote-MTA (RFC 3464 2.3.5: optional) whose
       * text names the server that refused ("host: mx.example.net") */
      if (c->remote_mta == NULL && l->remote_mta != NULL)
        c->remote_mta = g_strdup (l->remote_mta);
      if (l->text != NULL && *l->text != '\0' && !c->said_decides)
        {
          g_free (c->said);
          c->said = g_strdup (l->text);
        }
      if (l->reason != NULL && (l->code_reason || (c->reason == NULL && !bounce_status_is_specific (c->status))))
        {
          g_free (c->reason);
          c->reason = g_strdup (l->reason);
        }
    }
}

/* ... and the text scan adds what the notification says for each; a lone
 * recipient with no text of its own keeps an empty text (the reply may be
 * elsewhere in the notification). */
static void
merge_text (BounceMessageContext *ctx,
            GPtrArray            *listed,
            GPtrArray            *scanned)
{
  for (guint i = 0; i < listed->len; i++)
    {
      BounceFact *c = listed->pdata[i];
      BounceFact *t = bounce_facts_find (scanned, c->address);

      if (t != NULL && t->text != NULL)
        {
          c->text = g_strdup (t->text);
          if (c->reply == NULL)
            {
              c->start = t->start;
              c->end = t->end;
            }
        }
      else if (listed->len == 1 && scanned->len == 0 && ctx->notification->len > 0)
        c->text = g_strdup ("");
    }
}

/* A recipient whose only text is the whole notification. */
static BounceFact *
whole_notification_fact (BounceMessageContext *ctx,
                         const char           *address_value)
{
  BounceFact *c = bounce_fact_new ("text", address_from_value (address_value));

  c->text = g_strdup (ctx->notification->str);
  c->whole_notification = TRUE;
  return c;
}

/* The envelope recipient the returned message's last hop names: the "for"
 * clause of its topmost Received field (RFC 5321 4.4, "FOR" names the
 * recipient the message was accepted for; Postfix and Sendmail write it
 * in angle brackets when there was one recipient, Exim bare).  Its To
 * names whoever the sender addressed, which is not the failed recipient
 * when the message came through a mailing list or an alias, or went to a
 * Bcc recipient.  NULL when there is no such clause. */
static char *
returned_envelope_recipient (BounceMessageContext *ctx)
{
  const char *received = ctx->message && ctx->message->original_headers ?
                         bounce_fields_lookup (ctx->message->original_headers, "Received") : NULL;
  const char *semicolon, *p;

  if (received == NULL)
    return NULL;
  /* the clauses end at the date, after the last ";" */
  semicolon = strrchr (received, ';');
  for (p = received; (p = strstr (p, "for ")) != NULL && (semicolon == NULL || p < semicolon); p += 4)
    {
      const char *q = p + 4;
      gsize n;

      if (p > received && !g_ascii_isspace (p[-1]))
        continue;
      q += strspn (q, " \t\r\n");
      /* "for <bob@example.net>" (Postfix, Sendmail), "for bob@example.net" (Exim) */
      if (*q == '<')
        {
          const char *close = strchr (q, '>');

          n = close != NULL && (semicolon == NULL || close < semicolon) ? (gsize) (close + 1 - q) : 0;
        }
      else
        n = strcspn (q, " \t\r\n;");
      return n > 0 && memchr (q, '@', n) != NULL ? bounce_extract_address (q, n, 0, NULL, NULL) : NULL;
    }
  return NULL;
}

/* A bounce that lists nobody: codes but no recipient line (a fragment, or
 * a server that does not repeat the address), or a report from the mail
 * system (a mailer daemon's From, a null Return-Path) that says in so many words
 * that the message was not delivered, make one recipient, from
 * X-Failed-Recipients, the returned message or the text; a message with
 * only X-Failed-Recipients makes one per address.  FALSE when neither
 * applies: not a bounce. */
static gboolean
unlisted_recipients (BounceMessageContext *ctx,
                     GPtrArray            *out)
{
  const char *failed = bounce_context_header (ctx, "X-Failed-Recipients");

  if (bounce_classify_looks_like_autoreply (ctx))
    return FALSE;
  if (bounce_classify_has_error_codes (ctx->notification->str) || bounce_classify_is_delivery_report (ctx) ||
      bounce_classify_fragment_names_failure (ctx) ||
      (failed == NULL && ctx->message != NULL && bounce_classify_from_mail_system (ctx) &&
       bounce_classify_states_failure (ctx)))
    {
      const char *to = ctx->message && ctx->message->original_headers ?
                       bounce_fields_lookup (ctx->message->original_headers, "To") : NULL;
      g_autofree char *envelope = failed == NULL ? returned_envelope_recipient (ctx) : NULL;
      g_autofree char *named = failed == NULL && to == NULL && envelope == NULL ?
                               bounce_classify_named_recipient (ctx->notification->str) : NULL;

      g_ptr_array_add (out, whole_notification_fact (ctx, failed ? failed : envelope ? envelope : to ? to : named));
      return TRUE;
    }
  if (ctx->message != NULL && failed != NULL)
    {
      g_auto(GStrv) list = g_strsplit (failed, ",", -1);

      for (guint i = 0; list[i]; i++)
        g_ptr_array_add (out, whole_notification_fact (ctx, list[i]));
      return TRUE;
    }
  return FALSE;
}

/* Which facts list the message's recipients: a report's fields, else a
 * known layout's (better than a scan for addresses), else the scan's when
 * the message looks like a bounce; NULL when it lists nobody. */
static GPtrArray *
recipient_facts (BounceMessageContext *ctx,
                 GPtrArray            *listed,
                 gsize                *text_limit)
{
  g_autoptr(GPtrArray) layout = bounce_layouts_run (ctx->doc, BOUNCE_LAYOUT_TEXT, NULL);
  g_autoptr(GPtrArray) scanned = bounce_layouts_run (ctx->doc, BOUNCE_LAYOUT_SCAN, NULL);
  gboolean known_layout = layout->len > 0;
  gboolean bounce_like;

  *text_limit = BOUNCE_NOTIFICATION_LIMIT;
  if (known_layout && listed->len == 0)
    {
      g_ptr_array_unref (scanned);
      scanned = g_steal_pointer (&layout);
      *text_limit = BOUNCE_LAYOUT_SCAN_LIMIT;
    }
  else
    merge_layout (listed, layout);
  /* Headers are the usual sign; failing that, a recipient line next to
   * SMTP error codes is (forwarded bounces, carriers' own formats).  A
   * pasted text has to say it is a server's report, not just hold a
   * number such as 550. */
  if (ctx->message == NULL)
    bounce_like = known_layout || bounce_classify_fragment_is_bounce (ctx, scanned->len > 0);
  else
    bounce_like = known_layout || bounce_classify_looks_like_bounce (ctx) ||
                  (scanned->len > 0 && bounce_classify_has_error_codes (ctx->notification->str)) ||
                  bounce_classify_reads_as_failure_report (ctx);
  /* (a notice that says the message was delivered, and no error code) */
  if (bounce_like && !known_layout && bounce_classify_delivered_words (ctx))
    bounce_like = FALSE;
  merge_text (ctx, listed, scanned);

  if (listed->len > 0)
    {
      *text_limit = 0;
      return g_ptr_array_ref (listed);
    }
  if (bounce_like && scanned->len > 0)
    return g_steal_pointer (&scanned);
  if (bounce_like && unlisted_recipients (ctx, scanned))
    return g_steal_pointer (&scanned);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* The message                                                          */

static char *
recipient_key (BounceRecipient *r)
{
  const char *parts[] = {
    bounce_recipient_get_address (r),
    bounce_recipient_get_status (r),
    bounce_recipient_get_diagnostic (r),
  };
  GString *key = g_string_new (NULL);

  /* Length-prefixed, so that NULL, "" and separators in the text never collide. */
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] == NULL)
        g_string_append (key, "-;");
      else
        g_string_append_printf (key, "%" G_GSIZE_FORMAT ":%s;", strlen (parts[i]), parts[i]);
    }
  return g_string_free (key, FALSE);
}

/* Same address, status and diagnostic as a recipient already in the report.
 * The keys of the report's recipients are indexed as they appear, so that an
 * mbox of many thousand reports is not quadratic. */
static gboolean
already_reported (BounceMessageContext *ctx,
                  Reported             *reported,
                  BounceRecipient      *r)
{
  GListModel *list = bounce_report_get_recipients (ctx->report);
  guint n = g_list_model_get_n_items (list);
  g_autofree char *key = NULL;

  for (; reported->n_indexed < n; reported->n_indexed++)
    {
      g_autoptr(BounceRecipient) other = g_list_model_get_item (list, reported->n_indexed);

      g_hash_table_add (reported->keys, recipient_key (other));
    }
  key = recipient_key (r);
  return g_hash_table_contains (reported->keys, key);
}

/* number: the message's place in the whole input. */
static void
diagnose_message (BounceMessageContext *ctx,
                  Reported             *reported,
                  guint                 number)
{
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) facts = NULL;
  gsize text_limit = 0;

  bounce_classify_words (ctx);
  ctx->provider = bounce_provenance_detect (ctx, &ctx->provider_reports);
  if (bounce_report_get_provider (ctx->report) == NULL && ctx->provider != NULL)
    bounce_report_set_provider (ctx->report, ctx->provider);
  if (ctx->message_report != NULL)
    bounce_report_set_provider (ctx->message_report, ctx->provider);

  /* (a provider's complaint in JSON is found by its layout) */
  listed = bounce_layouts_run (ctx->doc, BOUNCE_LAYOUT_FIELDS, NULL);
  if (handle_feedback (ctx, ctx->message ? ctx->message->feedback_fields : NULL) ||
      handle_feedback (ctx, ctx->doc->feedback) || handle_unsubscribe (ctx) ||
      handle_not_a_failure (ctx, listed))
    return;

  facts = recipient_facts (ctx, listed, &text_limit);
  if (facts == NULL)
    {
      if (bounce_classify_looks_like_autoreply (ctx))
        {
          g_autofree char *address = address_from_value (bounce_context_header (ctx, "From"));

          if (bounce_report_get_kind (ctx->report) == BOUNCE_KIND_NOT_BOUNCE)
            bounce_report_set_kind (ctx->report, BOUNCE_KIND_AUTOREPLY);
          if (ctx->message_report != NULL)
            bounce_report_set_kind (ctx->message_report, BOUNCE_KIND_AUTOREPLY);
          add_simple_recipient (ctx, address, "vacation");
        }
      else if (bounce_report_get_kind (ctx->report) == BOUNCE_KIND_NOT_BOUNCE)
        handle_words (ctx);
      return;
    }
  if (bounce_classify_is_backscatter (ctx))
    bounce_report_set_backscatter (ctx->report, TRUE);

  /* A list cut at a limit is said so (issue 16): the fields stop at
   * BOUNCE_MAX_RECIPIENTS, the text is read up to text_limit. */
  if ((text_limit == 0 && ctx->message != NULL && ctx->message->dsn_truncated) ||
      (text_limit > 0 && bounce_layouts_list_cut (ctx->doc, facts, text_limit)))
    bounce_report_add_truncated (ctx->report, BOUNCE_TRUNCATED_RECIPIENTS);

  ctx->n_recipients = facts->len;
  ctx->one_explanation = TRUE;
  for (guint i = 0; i < facts->len && ctx->one_explanation; i++)
    {
      BounceFact *f = facts->pdata[i];

      ctx->one_explanation = (f->reply == NULL || *f->reply == '\0') && f->said == NULL && f->status == NULL &&
                             f->reason == NULL && (f->text == NULL || !bounce_classify_has_error_codes (f->text));
    }
  for (guint i = 0; i < facts->len; i++)
    {
      g_autoptr(BounceRecipient) r = NULL;

      if (g_list_model_get_n_items (bounce_report_get_recipients (ctx->report)) >= BOUNCE_MAX_RECIPIENTS)
        {
          bounce_report_add_truncated (ctx->report, BOUNCE_TRUNCATED_RECIPIENTS);
          break;
        }
      r = bounce_recipient_new ();
      bounce_judge (ctx, facts->pdata[i], r);
      if (ctx->message_report != NULL)
        bounce_report_add_recipient (ctx->message_report, r);
      /* An mbox may hold the same report twice ("Postmaster Copy: ..."):
       * the whole input's list names each recipient once. */
      if (number > 0 && already_reported (ctx, reported, r))
        continue;
      bounce_report_add_recipient (ctx->report, r);
    }
}

/* The verdict; and only a bounce or a report has a reporting side: an
 * ordinary message or an automatic reply that came through a provider was
 * not reported by it, so no "Reported by" for those. */
static void
finish_report (BounceReport    *report,
               BounceCatalogue *catalogue)
{
  bounce_report_decide_verdict (report, catalogue);
  if (bounce_report_get_kind (report) == BOUNCE_KIND_NOT_BOUNCE ||
      bounce_report_get_kind (report) == BOUNCE_KIND_AUTOREPLY)
    bounce_report_set_provider (report, NULL);
}

struct _BounceDiagnosis
{
  BounceReport *report;
  BounceCatalogue *catalogue;
  Reported reported;
};

BounceDiagnosis *
bounce_diagnosis_new (BounceReport    *report,
                      BounceCatalogue *catalogue)
{
  BounceDiagnosis *self = g_new0 (BounceDiagnosis, 1);

  self->report = g_object_ref (report);
  self->catalogue = catalogue;
  self->reported.keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
bounce_diagnosis_free (BounceDiagnosis *self)
{
  if (self == NULL)
    return;
  g_object_unref (self->report);
  g_hash_table_unref (self->reported.keys);
  g_free (self);
}

BounceReport *
bounce_diagnosis_add_message (BounceDiagnosis *self,
                              BounceInput     *input,
                              guint            index,
                              guint            number,
                              gboolean         several)
{
  GPtrArray *messages = bounce_input_get_messages (input);
  BounceMessageContext ctx = { 0 };
  g_autofree char *sender = NULL;

  ctx.report = self->report;
  ctx.catalogue = self->catalogue;
  ctx.message = bounce_input_get_is_message (input) && index < messages->len ? messages->pdata[index] : NULL;
  /* An mbox of several messages: each also gets a report of its own. */
  if (several)
    {
      ctx.message_report = bounce_report_new (input, bounce_report_get_source (self->report));
      bounce_report_set_message (ctx.message_report, number, ctx.message);
    }
  if (ctx.message != NULL)
    sender = address_from_value (bounce_fields_lookup (ctx.message->headers, "To"));
  ctx.doc = bounce_layout_doc_new (input, index, sender, NULL);
  ctx.notification = bounce_input_collect_notification (input, ctx.doc->seg_begin, ctx.doc->seg_end,
                                                        BOUNCE_NOTIFICATION_LIMIT);
  ctx.doc->notification = ctx.notification->str;
  diagnose_message (&ctx, &self->reported, number);
  bounce_layout_doc_free (ctx.doc);
  g_string_free (ctx.notification, TRUE);
  g_free (ctx.provider);
  if (ctx.message_report != NULL)
    finish_report (ctx.message_report, self->catalogue);
  return ctx.message_report;
}

gboolean
bounce_diagnosis_is_full (BounceDiagnosis *self)
{
  return g_list_model_get_n_items (bounce_report_get_recipients (self->report)) >= BOUNCE_MAX_RECIPIENTS;
}

void
bounce_diagnosis_finish (BounceDiagnosis *self)
{
  finish_report (self->report, self->catalogue);
}

void
bounce_diagnose (BounceReport    *report,
                 BounceCatalogue *catalogue)
{
  BounceInput *input = bounce_report_get_input (report);
  GPtrArray *messages = bounce_input_get_messages (input);
  /* A pasted fragment has no headers to go by. */
  guint n_messages = messages && bounce_input_get_is_message (input) ? messages->len : 0;
  g_autoptr(BounceDiagnosis) diagnosis = bounce_diagnosis_new (report, catalogue);

  if (n_messages == 1)
    bounce_report_set_message (report, 0, messages->pdata[0]);

  for (guint i = 0; i < MAX (n_messages, 1); i++)
    {
      g_autoptr(BounceReport) message_report = bounce_diagnosis_add_message (diagnosis, input, i, i,
                                                                             n_messages > 1);

      if (message_report != NULL)
        bounce_report_add_message_report (report, message_report);
      /* The report is full: the reports still to come are not read. */
      if (i + 1 < n_messages && bounce_diagnosis_is_full (diagnosis))
        {
          bounce_report_add_truncated (report, BOUNCE_TRUNCATED_RECIPIENTS);
          break;
        }
    }
  bounce_diagnosis_finish (diagnosis);
}
