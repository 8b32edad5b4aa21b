/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>

#include "bounce-layout.h"
#include "bounce-layouts.h"
#include "provider-layouts.h"

/* Amazon SES reports bounces, complaints and deliveries as JSON (bare, or
 * inside an SNS envelope whose "Message" holds it) instead of a DSN.  The
 * fields map onto the DSN's, so the usual path handles them.  Learnt from
 * the SES developer guide, "Contents of notifications for Amazon SES"
 * (https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html). */

static const char *
json_string (JsonObject *o,
             const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonObject *
json_object (JsonObject *o,
             const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
json_array (JsonObject *o,
            const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* The list's i-th element as an object or a string, or NULL when it is
 * something else: the mail is anyone's, and json-glib's own
 * json_array_get_object_element and json_array_get_string_element raise a
 * critical on an element of another type. */
static JsonObject *
element_object (JsonArray *list,
                guint      i)
{
  JsonNode *n = json_array_get_element (list, i);

  return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static const char *
element_string (JsonArray *list,
                guint      i)
{
  JsonNode *n = json_array_get_element (list, i);

  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

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

static void
bounce_groups (JsonObject *root,
               GPtrArray  *groups)
{
  JsonObject *bounce = json_object (root, "bounce");
  JsonArray *list = json_array (bounce, "bouncedRecipients");
  const char *kind = json_string (bounce, "bounceType");
  gboolean transient = kind && g_ascii_strcasecmp (kind, "Transient") == 0;

  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *r = element_object (list, i);
      BounceFieldGroup *g;

      if (r == NULL)
        continue;
      g = bounce_field_group_new ();

      add_field (g->fields, "Final-Recipient", json_string (r, "emailAddress"));
      add_field (g->fields, "Action", json_string (r, "action") ? json_string (r, "action")
                                                               : (transient ? "delayed" : "failed"));
      add_field (g->fields, "Status", json_string (r, "status"));
      add_field (g->fields, "Diagnostic-Code", json_string (r, "diagnosticCode"));
      add_field (g->fields, "Remote-MTA", json_string (bounce, "remoteMtaIp"));
      g_ptr_array_add (groups, g);
    }
}

static void
delivery_groups (JsonObject *root,
                 GPtrArray  *groups)
{
  JsonObject *delivery = json_object (root, "delivery");
  JsonArray *list = json_array (delivery, "recipients");
  const char *response = json_string (delivery, "smtpResponse");
  g_autofree char *status = NULL;

  if (response != NULL)
    bounce_extract_first_codes (response, NULL, &status);
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      BounceFieldGroup *g;

      if (element_string (list, i) == NULL)
        continue;
      g = bounce_field_group_new ();
      add_field (g->fields, "Final-Recipient", element_string (list, i));
      add_field (g->fields, "Action", "delivered");
      add_field (g->fields, "Status", status);
      add_field (g->fields, "Diagnostic-Code", response);
      add_field (g->fields, "Remote-MTA", json_string (delivery, "remoteMtaIp"));
      g_ptr_array_add (groups, g);
    }
}

static GPtrArray *
complaint_fields (JsonObject *root)
{
  JsonObject *complaint = json_object (root, "complaint");
  JsonArray *list = json_array (complaint, "complainedRecipients");
  const char *feedback = json_string (complaint, "complaintFeedbackType");
  GPtrArray *fields = g_ptr_array_new_with_free_func (bounce_field_free);

  add_field (fields, "Feedback-Type", feedback ? feedback : "abuse");
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    add_field (fields, "Original-Rcpt-To",
               json_string (element_object (list, i), "emailAddress"));
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
  if (json_string (root, "notificationType") == NULL && json_string (root, "Message") != NULL)
    {
      const char *message = json_string (root, "Message");

      inner = parse_json_object (message, strlen (message));
      if (inner == NULL)
        return FALSE;
      root = json_node_get_object (json_parser_get_root (inner));
    }
  type = json_string (root, "notificationType");
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
