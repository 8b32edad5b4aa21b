/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bounce-catalogue.h"
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
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The steps one by one: their text, and the case they apply to when the
 * bounce does not tell whether they do (else null). */
static void
add_steps (JsonBuilder *builder,
           const char  *name,
           GPtrArray   *steps)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      const BounceStep *step = steps->pdata[i];

      json_builder_begin_object (builder);
      add_string (builder, "text", step->text);
      add_string (builder, "condition", step->condition);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_string_array (JsonBuilder *builder,
                  const char  *name,
                  GPtrArray   *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strings != NULL && i < strings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (strings, i));
  json_builder_end_array (builder);
}

static void
add_recipient (JsonBuilder     *builder,
               BounceRecipient *recipient)
{
  GPtrArray *entries = bounce_recipient_get_entries (recipient);
  BounceEntry *first = recipient_first_entry (recipient);
  g_autoptr(GPtrArray) sender_steps = recipient_steps (recipient, FALSE);
  g_autoptr(GPtrArray) admin_steps = recipient_steps (recipient, TRUE);
  g_autofree char *sender = join_steps (sender_steps);
  g_autofree char *admin = join_steps (admin_steps);

  json_builder_begin_object (builder);

  add_string (builder, "address", bounce_recipient_get_address (recipient));
  add_string (builder, "status", bounce_recipient_get_status (recipient));
  json_builder_set_member_name (builder, "status_inferred");
  json_builder_add_boolean_value (builder, bounce_recipient_get_status_inferred (recipient));
  add_string (builder, "reply_code", bounce_recipient_get_reply_code (recipient));
  add_string (builder, "reason", bounce_recipient_get_reason (recipient));

  json_builder_set_member_name (builder, "hard_bounce");
  json_builder_add_boolean_value (builder, bounce_recipient_get_hard_bounce (recipient));

  json_builder_set_member_name (builder, "temporary");
  switch (bounce_recipient_get_permanence (recipient))
    {
    case BOUNCE_PERMANENCE_TEMPORARY:
      json_builder_add_boolean_value (builder, TRUE);
      break;
    case BOUNCE_PERMANENCE_PERMANENT:
      json_builder_add_boolean_value (builder, FALSE);
      break;
    case BOUNCE_PERMANENCE_UNKNOWN:
    default:
      json_builder_add_null_value (builder);
      break;
    }

  add_string (builder, "action", bounce_recipient_get_action (recipient));
  add_string (builder, "remote_mta", bounce_recipient_get_remote_mta (recipient));
  add_string (builder, "diagnostic", bounce_recipient_get_diagnostic (recipient));
  add_string (builder, "will_retry_until", bounce_recipient_get_will_retry_until (recipient));

  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    json_builder_add_string_value (builder, bounce_entry_get_id (g_ptr_array_index (entries, i)));
  json_builder_end_array (builder);

  add_string (builder, "title", first != NULL ? bounce_entry_get_title (first) : NULL);
  add_string (builder, "explanation", recipient_explanation (recipient));

  json_builder_set_member_name (builder, "remedy");
  json_builder_begin_object (builder);
  add_string (builder, "sender", sender);
  add_string (builder, "admin", admin);
  add_steps (builder, "sender_steps", sender_steps);
  add_steps (builder, "admin_steps", admin_steps);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}

/* "verdict": what became of the message, the index of the recipient the
 * headline is about, and the entry that gives the headline. */
static void
add_verdict (JsonBuilder  *builder,
             BounceReport *self)
{
  BounceRecipient *main_recipient = bounce_report_get_main_recipient (self);
  BounceEntry *verdict = bounce_report_get_verdict (self);
  GListModel *recipients = bounce_report_get_recipients (self);
  guint position = 0;

  json_builder_set_member_name (builder, "verdict");
  json_builder_begin_object (builder);
  add_string (builder, "outcome", bounce_outcome_to_string (bounce_report_get_outcome (self)));
  json_builder_set_member_name (builder, "recipient");
  if (main_recipient != NULL && g_list_store_find (G_LIST_STORE (recipients), main_recipient, &position))
    json_builder_add_int_value (builder, position);
  else
    json_builder_add_null_value (builder);
  add_string (builder, "entry", verdict != NULL ? bounce_entry_get_id (verdict) : NULL);
  json_builder_end_object (builder);
}

/* "messages", for an input of several (an mbox): each message's own
 * verdict and recipients, so a list owner sees which bounce said what. */
static void
add_messages (JsonBuilder  *builder,
              BounceReport *self)
{
  GListModel *messages = bounce_report_get_message_reports (self);
  guint n = g_list_model_get_n_items (messages);

  if (n == 0)
    return;
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BounceReport) m = g_list_model_get_item (messages, i);
      GListModel *recipients = bounce_report_get_recipients (m);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, bounce_report_get_message_index (m));
      add_string (builder, "date", bounce_report_get_date (m));
      add_string (builder, "subject", bounce_report_get_subject (m));
      add_string (builder, "kind", kind_to_string (bounce_report_get_kind (m)));
      add_string (builder, "provider", bounce_report_get_provider (m));
      add_string (builder, "outcome", bounce_outcome_to_string (bounce_report_get_outcome (m)));
      json_builder_set_member_name (builder, "recipients");
      json_builder_begin_array (builder);
      for (guint j = 0; j < g_list_model_get_n_items (recipients); j++)
        {
          g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, j);

          json_builder_begin_object (builder);
          add_string (builder, "address", bounce_recipient_get_address (r));
          add_string (builder, "status", bounce_recipient_get_status (r));
          add_string (builder, "reason", bounce_recipient_get_reason (r));
          add_string (builder, "outcome", bounce_outcome_to_string (bounce_recipient_get_outcome (r)));
          json_builder_set_member_name (builder, "hard_bounce");
          json_builder_add_boolean_value (builder, bounce_recipient_get_hard_bounce (r));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

JsonNode *
bounce_report_to_json_node (BounceReport *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  BounceInput *input;
  GListModel *recipients;
  GPtrArray *codes;
  GPtrArray *blocklists;
  GPtrArray *links;

  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);

  input = bounce_report_get_input (self);
  recipients = bounce_report_get_recipients (self);
  codes = bounce_report_get_codes (self);
  blocklists = bounce_report_get_blocklists (self);
  links = bounce_report_get_links (self);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  add_string (builder, "source", bounce_report_get_source (self));
  json_builder_set_member_name (builder, "is_bounce");
  /* Any delivery report (failure, delay, success, feedback, auto-reply)
   * counts; "kind" says which.  Only ordinary mail is false. */
  json_builder_add_boolean_value (builder, bounce_report_get_kind (self) != BOUNCE_KIND_NOT_BOUNCE);
  add_string (builder, "kind", kind_to_string (bounce_report_get_kind (self)));
  add_string (builder, "feedback_type", bounce_report_get_feedback_type (self));
  add_string (builder, "provider", bounce_report_get_provider (self));
  json_builder_set_member_name (builder, "repaired_utf8");
  json_builder_add_boolean_value (builder, input != NULL && bounce_input_get_repaired (input));
  add_verdict (builder, self);

  json_builder_set_member_name (builder, "recipients");
  json_builder_begin_array (builder);
  for (guint i = 0; recipients != NULL && i < g_list_model_get_n_items (recipients); i++)
    {
      g_autoptr(BounceRecipient) recipient = g_list_model_get_item (recipients, i);

      add_recipient (builder, recipient);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "codes");
  json_builder_begin_array (builder);
  for (guint i = 0; codes != NULL && i < codes->len; i++)
    {
      BounceFinding *finding = g_ptr_array_index (codes, i);

      json_builder_begin_object (builder);
      add_string (builder, "text", finding->text);
      add_string (builder, "kind", bounce_finding_kind_to_string (finding->kind));
      json_builder_set_member_name (builder, "offset");
      json_builder_add_int_value (builder, finding->offset);
      json_builder_set_member_name (builder, "length");
      json_builder_add_int_value (builder, finding->length);
      add_string (builder, "entry", finding->entry_id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_messages (builder, self);
  add_string_array (builder, "ips", bounce_report_get_ips (self));
  add_string_array (builder, "domains", bounce_report_get_domains (self));

  json_builder_set_member_name (builder, "blocklists");
  json_builder_begin_array (builder);
  for (guint i = 0; blocklists != NULL && i < blocklists->len; i++)
    json_builder_add_string_value (builder, bounce_entry_get_id (g_ptr_array_index (blocklists, i)));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "links");
  json_builder_begin_array (builder);
  for (guint i = 0; links != NULL && i < links->len; i++)
    {
      BounceLink *link = g_ptr_array_index (links, i);

      json_builder_begin_object (builder);
      add_string (builder, "title", link->title);
      add_string (builder, "url", link->url);
      add_string (builder, "service", link->service_id);
      add_string (builder, "target", link->target);
      json_builder_set_member_name (builder, "named");
      json_builder_add_boolean_value (builder, link->named);
      json_builder_set_member_name (builder, "closed");
      json_builder_add_boolean_value (builder, link->closed);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* Only when something was cut: what a script must know it did not get. */
  if (bounce_report_get_truncated (self) != BOUNCE_TRUNCATED_NONE)
    {
      BounceTruncated truncated = bounce_report_get_truncated (self);

      json_builder_set_member_name (builder, "truncated");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "recipients");
      json_builder_add_boolean_value (builder, (truncated & BOUNCE_TRUNCATED_RECIPIENTS) != 0);
      json_builder_set_member_name (builder, "codes");
      json_builder_add_boolean_value (builder, (truncated & BOUNCE_TRUNCATED_CODES) != 0);
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
bounce_report_to_json (BounceReport *self,
                       gboolean      pretty)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);

  root = bounce_report_to_json_node (self);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
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

static char *
headline (BounceReport *self)
{
  BounceEntry *verdict = bounce_report_get_verdict (self);
  const char *title = verdict != NULL ? bounce_entry_get_title (verdict) : NULL;

  switch (bounce_report_get_kind (self))
    {
    case BOUNCE_KIND_FAILURE:
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
      return g_strdup (_("This is an abuse report (feedback loop), not a bounce"));
    case BOUNCE_KIND_NOT_BOUNCE:
    default:
      return g_strdup (_("This does not look like a bounce"));
    }
}

/* What the verdict means for the person who sent the message. */
static char *
meaning (BounceReport *self)
{
  BounceKind kind = bounce_report_get_kind (self);
  const char *until;

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
    case BOUNCE_KIND_NOT_BOUNCE:
    default:
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

char *
bounce_report_to_text (BounceReport *self)
{
  GString *out;
  GListModel *recipients;
  BounceInput *input;
  GPtrArray *links;
  GPtrArray *blocklists;
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *head = NULL;
  g_autofree char *what = NULL;
  guint n_recipients;

  g_return_val_if_fail (BOUNCE_IS_REPORT (self), NULL);

  out = g_string_new (NULL);
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

  return g_string_free (out, FALSE);
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
