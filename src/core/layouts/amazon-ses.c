/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>

#include "bounce-json.h"
#include "bounce-layout.h"
#include "bounce-layouts.h"
#include "provider-layouts.h"

/* Amazon SES reports bounces, complaints and deliveries as JSON (bare, or
 * inside an SNS envelope whose "Message" holds it) instead of a DSN.  The
 * fields map onto the DSN's, so the usual path handles them.  Learnt from
 * the SES developer guide, "Contents of notifications for Amazon SES"
 * (https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html). */

static JsonParser *
parse_json_object (const char *text,
                   gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return g_steal_pointer (&parser);
}

static void
add_field (GPtrArray  *fields,
           const char *name,
           const char *value)
{
  if (value != NULL)
    g_ptr_array_add (fields, bounce_field_new (name, value));
}

/* The bounce object's "bounceSubType" names the cause for some bounces
 * (SES developer guide, "Bounce types"); the ones that say what went wrong
 * map onto reasons as Sisimai reads them: MailboxFull and MessageTooLarge
 * (lib/Sisimai/Lhost/AmazonSES.pm at 7cc297102dbd, $bouncetype), and
 * ContentRejected and AttachmentRejected (lhost/via-amazonses.go at
 * cfd93a444b06, reasonpair).  General, NoEmail, Suppressed,
 * OnAccountSuppressionList and Undetermined say nothing of the cause
 * (Sisimai's newest Go release calls the two suppression subtypes a reason
 * of their own, "suppressed", which the catalogue does not have). */
#define SES_SUBTYPE_FIELD "X-Amazon-SES-Bounce-SubType"

static const struct {
  const char *subtype;
  const char *reason;
} ses_subtypes[] = {
  { "MailboxFull", "mailboxfull" },
  { "MessageTooLarge", "mesgtoobig" },
  { "ContentRejected", "contenterror" },
  { "AttachmentRejected", "securityerror" },
};

static const char *
ses_subtype_reason (BounceFieldGroup *group)
{
  const char *subtype = bounce_fields_lookup (group->fields, SES_SUBTYPE_FIELD);

  for (gsize i = 0; subtype != NULL && i < G_N_ELEMENTS (ses_subtypes); i++)
    if (g_ascii_strcasecmp (subtype, ses_subtypes[i].subtype) == 0)
      return ses_subtypes[i].reason;
  return NULL;
}

static void
bounce_groups (JsonObject *root,
               GPtrArray  *groups)
{
  JsonObject *bounce = bounce_json_member_object (root, "bounce");
  JsonArray *list = bounce_json_member_array (bounce, "bouncedRecipients");
  const char *kind = bounce_json_member_string (bounce, "bounceType");
  gboolean transient = kind && g_ascii_strcasecmp (kind, "Transient") == 0;

  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *r = bounce_json_object (json_array_get_element (list, i));
      const char *action = bounce_json_member_string (r, "action");
      BounceFieldGroup *g;

      if (r == NULL)
        continue;
      g = bounce_field_group_new ();

      add_field (g->fields, "Final-Recipient", bounce_json_member_string (r, "emailAddress"));
      add_field (g->fields, "Action", action ? action : (transient ? "delayed" : "failed"));
      add_field (g->fields, "Status", bounce_json_member_string (r, "status"));
      add_field (g->fields, "Diagnostic-Code", bounce_json_member_string (r, "diagnosticCode"));
      add_field (g->fields, "Remote-MTA", bounce_json_member_string (bounce, "remoteMtaIp"));
      add_field (g->fields, SES_SUBTYPE_FIELD, bounce_json_member_string (bounce, "bounceSubType"));
      g_ptr_array_add (groups, g);
    }
}

static void
delivery_groups (JsonObject *root,
                 GPtrArray  *groups)
{
  JsonObject *delivery = bounce_json_member_object (root, "delivery");
  JsonArray *list = bounce_json_member_array (delivery, "recipients");
  const char *response = bounce_json_member_string (delivery, "smtpResponse");
  g_autofree char *status = NULL;

  if (response != NULL)
    bounce_extract_first_codes (response, NULL, &status);
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      const char *address = bounce_json_string (json_array_get_element (list, i));
      BounceFieldGroup *g;

      if (address == NULL)
        continue;
      g = bounce_field_group_new ();
      add_field (g->fields, "Final-Recipient", address);
      add_field (g->fields, "Action", "delivered");
      add_field (g->fields, "Status", status);
      add_field (g->fields, "Diagnostic-Code", response);
      add_field (g->fields, "Remote-MTA", bounce_json_member_string (delivery, "remoteMtaIp"));
      g_ptr_array_add (groups, g);
    }
}

static GPtrArray *
complaint_fields (JsonObject *root)
{
  JsonObject *complaint = bounce_json_member_object (root, "complaint");
  JsonArray *list = bounce_json_member_array (complaint, "complainedRecipients");
  const char *feedback = bounce_json_member_string (complaint, "complaintFeedbackType");
  GPtrArray *fields = g_ptr_array_new_with_free_func (bounce_field_free);

  add_field (fields, "Feedback-Type", feedback ? feedback : "abuse");
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *r = bounce_json_object (json_array_get_element (list, i));

      add_field (fields, "Original-Rcpt-To", bounce_json_member_string (r, "emailAddress"));
    }
  return fields;
}

static gboolean
parse_amazon_ses (BounceLayoutDoc *d)
{
  const char *n = d->notification;
  const char *open;
  const char *close;
  g_autoptr(JsonParser) outer = NULL;
  g_autoptr(JsonParser) inner = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  JsonObject *root;
  const char *message;
  const char *type;

  if (n == NULL || strstr (n, "notificationType") == NULL || strlen (n) > 4 * 1024 * 1024)
    return FALSE;
  open = strchr (n, '{');
  close = strrchr (n, '}');
  if (open == NULL || close == NULL || close < open)
    return FALSE;
  {
    /* Mail gateways fold long lines, even inside JSON strings. */
    g_autoptr(GString) json = g_string_new_len (open, close - open + 1);

    g_string_replace (json, "\n ", "", 0);
    g_string_replace (json, "\n", " ", 0);
    outer = parse_json_object (json->str, json->len);
  }
  if (outer == NULL)
    return FALSE;
  root = json_node_get_object (json_parser_get_root (outer));
  /* Delivered through Amazon SNS: the notification is the string "Message"
   * of SNS's own envelope. */
  message = bounce_json_member_string (root, "Message");
  if (bounce_json_member_string (root, "notificationType") == NULL && message != NULL)
    {
      inner = parse_json_object (message, strlen (message));
      if (inner == NULL)
        return FALSE;
      root = json_node_get_object (json_parser_get_root (inner));
    }
  type = bounce_json_member_string (root, "notificationType");
  if (type == NULL)
    return FALSE;

  groups = g_ptr_array_new_with_free_func (bounce_field_group_free);
  g_ptr_array_add (groups, bounce_field_group_new ());   /* per-message group */
  if (g_ascii_strcasecmp (type, "Bounce") == 0)
    bounce_groups (root, groups);
  else if (g_ascii_strcasecmp (type, "Delivery") == 0)
    delivery_groups (root, groups);
  else if (g_ascii_strcasecmp (type, "Complaint") == 0)
    d->feedback = complaint_fields (root);
  bounce_dsn_facts (d, groups);
  return TRUE;
}

const BounceLayout bounce_layout_amazon_ses = {
  .name = "amazon-ses",
  .title = "Amazon SES notification",
  .kind = BOUNCE_LAYOUT_FIELDS,
  .parse = parse_amazon_ses,
  .field_reason = ses_subtype_reason,
};

/* Amazon SES also reports by mail, in two styles.  The first ("The
 * following message to <bob@example.net> was undeliverable." / "The
 * reason for the problem:" / "5.1.0 - Unknown address error 550-'5.1.1
 * ...'") is the notice Cisco Secure Email writes too, and
 * cisco-secure-email.c reads it for both.  The second, read here: "An
 * error occurred while trying to deliver the mail to the following
 * recipients:" and the addresses, one a line, with a delivery report
 * after them.  The command is never shown.  Learnt from Sisimai's
 * Lhost::AmazonSES. */

static gboolean
parse_amazon_ses_text (BounceLayoutDoc *d)
{
  int list = bounce_doc_find_start (d, 0, "An error occurred while trying to deliver the mail to the following recipients:");

  if (list < 0)
    return FALSE;
  for (guint i = list + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      char *address = bounce_address_alone (l);
      BounceFact *fact;

      if (address == NULL)
        {
          if (bounce_line_is_blank (l) && d->out->len == 0)
            continue;
          break;
        }
      fact = bounce_doc_add_fact (d, address, i, i);
      fact->command_unknown = TRUE;
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_amazon_ses_text = {
  .name = "amazon-ses-text",
  .title = "Amazon SES",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_amazon_ses_text,
};
