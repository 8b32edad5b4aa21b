/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"

#define SAMPLE_TEXT \
  "Subject: Undelivered Mail Returned to Sender\n" \
  "\n" \
  "<nobody@b.example>: host mx.b.example[8.8.8.8] said: 550 5.1.1 User unknown\n"

static BounceEntry *
entry_from_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  BounceEntry *entry;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  entry = bounce_entry_new_from_json (json_node_get_object (json_parser_get_root (parser)), &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  return entry;
}

/* The most specific entry has sender steps but no admin steps: the admin
 * remedy must come from the next entry. */
#define ENHANCED_JSON \
  "{\"id\": \"enhanced.test.5.1.1\", \"kind\": \"enhanced\", \"code\": \"5.1.1\"," \
  " \"title\": \"The address does not exist\"," \
  " \"explanation\": \"The receiving server has no mailbox with this address.\"," \
  " \"sender\": [\"Check the address for typing mistakes.\", \"Ask the recipient for a current address.\"]," \
  " \"reason\": \"userunknown\", \"temporary\": false," \
  " \"source\": \"https://www.rfc-editor.org/rfc/rfc3463\"}"

#define REASON_JSON \
  "{\"id\": \"reason.test.userunknown\", \"kind\": \"reason\", \"code\": \"userunknown\"," \
  " \"title\": \"Unknown recipient\"," \
  " \"explanation\": \"The address is unknown.\"," \
  " \"sender\": [\"Remove the address.\"]," \
  " \"admin\": [\"Look at the server log for the exact rejection.\", \"Check the alias tables.\"]}"

#define REPLY_JSON \
  "{\"id\": \"reply.test.550\", \"kind\": \"reply\", \"code\": \"550\"," \
  " \"title\": \"Mailbox unavailable\", \"explanation\": \"The server refused the mailbox.\"}"

#define LIST_JSON \
  "{\"id\": \"blocklist.test\", \"kind\": \"blocklist\", \"title\": \"Test List\"," \
  " \"explanation\": \"A test list.\", \"lookup_ip\": \"https://lists.example.org/ip/{ip}\"}"

static void
add_finding (BounceReport      *report,
             BounceFindingKind  kind,
             const char        *text,
             glong              offset,
             const char        *entry_id)
{
  BounceFinding *finding = g_new0 (BounceFinding, 1);

  finding->kind = kind;
  finding->text = g_strdup (text);
  finding->offset = offset;
  finding->length = g_utf8_strlen (text, -1);
  finding->byte_offset = offset;
  finding->byte_length = strlen (text);
  finding->entry_id = g_strdup (entry_id);
  g_ptr_array_add (bounce_report_get_findings (report), finding);
}

static BounceReport *
build_report (const char *diagnostic)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceInput) input = bounce_input_new_from_text (SAMPLE_TEXT, -1, &error);
  g_autoptr(BounceEntry) enhanced = entry_from_json (ENHANCED_JSON);
  g_autoptr(BounceEntry) reason = entry_from_json (REASON_JSON);
  g_autoptr(BounceEntry) reply = entry_from_json (REPLY_JSON);
  g_autoptr(BounceEntry) list = entry_from_json (LIST_JSON);
  g_autoptr(BounceRecipient) first = bounce_recipient_new ();
  g_autoptr(BounceRecipient) second = bounce_recipient_new ();
  BounceReport *report;
  BounceLink *link;
  const char *text;

  g_assert_no_error (error);
  report = bounce_report_new (input, "sample.eml");
  text = bounce_report_get_text (report);
  g_assert_nonnull (text);

  bounce_report_set_kind (report, BOUNCE_KIND_FAILURE);
  bounce_report_set_provider (report, "postfix");
  bounce_report_set_verdict (report, reason);

  bounce_recipient_set_address (first, "nobody@b.example");
  bounce_recipient_set_status (first, "5.1.1");
  bounce_recipient_set_reply_code (first, "550");
  bounce_recipient_set_reason (first, "userunknown");
  bounce_recipient_set_hard_bounce (first, TRUE);
  bounce_recipient_set_permanence (first, BOUNCE_PERMANENCE_PERMANENT);
  bounce_recipient_set_action (first, "failed");
  bounce_recipient_set_remote_mta (first, "mx.b.example");
  bounce_recipient_set_diagnostic (first, diagnostic);
  bounce_recipient_add_entry (first, enhanced);
  bounce_recipient_add_entry (first, reply);
  bounce_recipient_add_entry (first, reason);
  bounce_report_add_recipient (report, first);

  /* Nothing known: every optional field must come out as null. */
  bounce_recipient_set_reason (second, "undefined");
  bounce_report_add_recipient (report, second);
  bounce_report_set_outcome (report, BOUNCE_OUTCOME_PERMANENT, first);

  add_finding (report, BOUNCE_FINDING_REPLY_CODE, "550", 89, "reply.test.550");
  add_finding (report, BOUNCE_FINDING_ENHANCED_CODE, "5.1.1", 93, "enhanced.test.5.1.1");
  add_finding (report, BOUNCE_FINDING_IPV4, "8.8.8.8", 79, NULL);

  g_ptr_array_add (bounce_report_get_ips (report), g_strdup ("8.8.8.8"));
  g_ptr_array_add (bounce_report_get_domains (report), g_strdup ("b.example"));
  g_ptr_array_add (bounce_report_get_blocklists (report), g_object_ref (list));

  link = g_new0 (BounceLink, 1);
  link->title = g_strdup ("Check 8.8.8.8 on Test List");
  link->url = g_strdup ("https://lists.example.org/ip/8.8.8.8");
  link->service_id = g_strdup ("blocklist.test");
  link->target = g_strdup ("8.8.8.8");
  link->named = TRUE;
  g_ptr_array_add (bounce_report_get_links (report), link);

  return report;
}

static void
assert_members (JsonObject         *object,
                const char * const *expected)
{
  g_autoptr(GList) members = json_object_get_members (object);

  g_assert_cmpuint (g_list_length (members), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    if (!json_object_has_member (object, expected[i]))
      g_error ("member “%s” missing", expected[i]);
}

static void
test_json_shape (void)
{
  g_autoptr(BounceReport) report = build_report ("smtp; 550 5.1.1 <nobody@b.example>: User unknown");
  g_autofree char *json = bounce_report_to_json (report, FALSE);
  g_autofree char *pretty = bounce_report_to_json (report, TRUE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *top_keys[] = { "source", "is_bounce", "kind", "description", "backscatter", "send_error", "feedback_type", "provider",
                             "repaired_utf8", "verdict", "recipients", "codes", "ips", "domains",
                             "blocklists", "links", NULL };
  const char *verdict_keys[] = { "outcome", "recipient", "entry", NULL };
  const char *recipient_keys[] = { "address", "original_address", "status", "status_inferred", "reply_code", "reason", "hard_bounce",
                                   "temporary", "outcome", "action", "remote_mta", "diagnostic",
                                   "will_retry_until", "entries", "title", "explanation",
                                   "remedy", NULL };
  const char *code_keys[] = { "text", "kind", "offset", "length", "entry", NULL };
  const char *link_keys[] = { "title", "url", "service", "target", "named", "closed", NULL };
  JsonObject *root, *r0, *r1, *remedy, *code, *link;
  JsonArray *recipients, *codes, *entries;

  g_assert_null (strchr (json, '\n'));
  g_assert_nonnull (strchr (pretty, '\n'));

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  assert_members (root, top_keys);

  g_assert_cmpstr (json_object_get_string_member (root, "source"), ==, "sample.eml");
  g_assert_true (json_object_get_boolean_member (root, "is_bounce"));
  g_assert_cmpstr (json_object_get_string_member (root, "kind"), ==, "failure");
  g_assert_true (json_object_get_null_member (root, "feedback_type"));
  g_assert_cmpstr (json_object_get_string_member (root, "provider"), ==, "postfix");
  g_assert_false (json_object_get_boolean_member (root, "repaired_utf8"));
  {
    JsonObject *verdict = json_object_get_object_member (root, "verdict");

    assert_members (verdict, verdict_keys);
    g_assert_cmpstr (json_object_get_string_member (verdict, "outcome"), ==, "permanent");
    g_assert_cmpint (json_object_get_int_member (verdict, "recipient"), ==, 0);
    g_assert_cmpstr (json_object_get_string_member (verdict, "entry"), ==, "reason.test.userunknown");
  }

  recipients = json_object_get_array_member (root, "recipients");
  g_assert_cmpuint (json_array_get_length (recipients), ==, 2);
  r0 = json_array_get_object_element (recipients, 0);
  assert_members (r0, recipient_keys);
  g_assert_cmpstr (json_object_get_string_member (r0, "address"), ==, "nobody@b.example");
  g_assert_cmpstr (json_object_get_string_member (r0, "status"), ==, "5.1.1");
  g_assert_false (json_object_get_boolean_member (r0, "status_inferred"));
  g_assert_cmpstr (json_object_get_string_member (r0, "reply_code"), ==, "550");
  g_assert_cmpstr (json_object_get_string_member (r0, "reason"), ==, "userunknown");
  g_assert_true (json_object_get_boolean_member (r0, "hard_bounce"));
  g_assert_false (json_object_get_null_member (r0, "temporary"));
  g_assert_false (json_object_get_boolean_member (r0, "temporary"));
  g_assert_cmpstr (json_object_get_string_member (r0, "outcome"), ==, "permanent");
  g_assert_cmpstr (json_object_get_string_member (r0, "action"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (r0, "remote_mta"), ==, "mx.b.example");
  g_assert_true (json_object_get_null_member (r0, "will_retry_until"));
  entries = json_object_get_array_member (r0, "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (entries, 0), ==, "enhanced.test.5.1.1");
  g_assert_cmpstr (json_array_get_string_element (entries, 2), ==, "reason.test.userunknown");
  g_assert_cmpstr (json_object_get_string_member (r0, "title"), ==, "The address does not exist");
  g_assert_cmpstr (json_object_get_string_member (r0, "explanation"), ==,
                   "The receiving server has no mailbox with this address.");
  remedy = json_object_get_object_member (r0, "remedy");
  assert_members (remedy, (const char *[]) { "sender", "admin", "sender_steps", "admin_steps", NULL });
  g_assert_cmpstr (json_object_get_string_member (remedy, "sender"), ==,
                   "1. Check the address for typing mistakes.\n2. Ask the recipient for a current address.");
  g_assert_cmpstr (json_object_get_string_member (remedy, "admin"), ==,
                   "1. Look at the server log for the exact rejection.\n2. Check the alias tables.");
  /* the same steps one by one, none of them conditional */
  {
    JsonArray *steps = json_object_get_array_member (remedy, "sender_steps");
    JsonObject *step;

    g_assert_cmpuint (json_array_get_length (steps), ==, 2);
    step = json_array_get_object_element (steps, 1);
    assert_members (step, (const char *[]) { "text", "condition", NULL });
    g_assert_cmpstr (json_object_get_string_member (step, "text"), ==, "Ask the recipient for a current address.");
    g_assert_true (json_object_get_null_member (step, "condition"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (remedy, "admin_steps")), ==, 2);
  }

  r1 = json_array_get_object_element (recipients, 1);
  assert_members (r1, recipient_keys);
  g_assert_true (json_object_get_null_member (r1, "address"));
  g_assert_true (json_object_get_null_member (r1, "status"));
  g_assert_true (json_object_get_null_member (r1, "temporary"));
  g_assert_false (json_object_get_boolean_member (r1, "hard_bounce"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (r1, "entries")), ==, 0);

  /* Only code findings, not the IP. */
  codes = json_object_get_array_member (root, "codes");
  g_assert_cmpuint (json_array_get_length (codes), ==, 2);
  code = json_array_get_object_element (codes, 1);
  assert_members (code, code_keys);
  g_assert_cmpstr (json_object_get_string_member (code, "text"), ==, "5.1.1");
  g_assert_cmpstr (json_object_get_string_member (code, "kind"), ==,
                   bounce_finding_kind_to_string (BOUNCE_FINDING_ENHANCED_CODE));
  g_assert_cmpint (json_object_get_int_member (code, "offset"), ==, 93);
  g_assert_cmpint (json_object_get_int_member (code, "length"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (code, "entry"), ==, "enhanced.test.5.1.1");

  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (root, "ips"), 0), ==,
                   "8.8.8.8");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (root, "domains"), 0), ==,
                   "b.example");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (root, "blocklists"), 0), ==,
                   "blocklist.test");

  link = json_array_get_object_element (json_object_get_array_member (root, "links"), 0);
  assert_members (link, link_keys);
  g_assert_cmpstr (json_object_get_string_member (link, "url"), ==, "https://lists.example.org/ip/8.8.8.8");
  g_assert_cmpstr (json_object_get_string_member (link, "service"), ==, "blocklist.test");
  g_assert_true (json_object_get_boolean_member (link, "named"));
  g_assert_false (json_object_get_boolean_member (link, "closed"));
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

static void
test_text (void)
{
  g_autoptr(BounceReport) report =
    build_report ("smtp; 550 5.1.1 <nobody@b.example>: Recipient address rejected: User unknown "
                  "in virtual mailbox table \033[31mred\033]0;title\007 and a very long tail of "
                  "words that certainly does not fit on one line of a terminal window at all");
  g_autofree char *text = bounce_report_to_text (report);
  g_auto(GStrv) lines = NULL;

  assert_contains (text, "Not delivered: Unknown recipient");
  assert_contains (text, "permanent failure");
  assert_contains (text, "nobody@b.example");
  assert_contains (text, "mx.b.example");
  assert_contains (text, "The address does not exist");
  assert_contains (text, "What you can do:");
  assert_contains (text, "1. Check the address for typing mistakes.");
  assert_contains (text, "2. Ask the recipient for a current address.");
  assert_contains (text, "For the mail administrator:");
  assert_contains (text, "1. Look at the server log");
  assert_contains (text, "https://www.rfc-editor.org/rfc/rfc3463");
  assert_contains (text, "Codes found:");
  assert_contains (text, "Mailbox unavailable");
  assert_contains (text, "Test List");
  assert_contains (text, "https://lists.example.org/ip/8.8.8.8");
  assert_contains (text, "(address not stated)");

  /* No terminal control sequence from the bounce gets through. */
  g_assert_null (strchr (text, '\033'));
  g_assert_null (strchr (text, '\007'));

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* Only a single unbreakable word (a URL) may overflow. */
      if (g_utf8_strlen (lines[i], -1) > 80 && strstr (lines[i], "https://") == NULL)
        g_error ("line too long: “%s”", lines[i]);
    }
}

static void
test_summary (void)
{
  g_autoptr(BounceReport) report = build_report ("smtp; 550 5.1.1 User unknown");
  g_autofree char *summary = bounce_report_to_summary (report);

  assert_contains (summary, "Not delivered: Unknown recipient");
  assert_contains (summary, "- nobody@b.example [550 5.1.1]: The address does not exist");
  assert_contains (summary, "550, 5.1.1");
  assert_contains (summary, "Explanation:");
  assert_contains (summary, "Next steps:\n1. Check the address for typing mistakes.");
  assert_contains (summary, "https://lists.example.org/ip/8.8.8.8");
}

static void
test_not_bounce (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceInput) input = bounce_input_new_from_text ("Hello, see you tomorrow.\n", -1, &error);
  g_autoptr(BounceReport) report = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  report = bounce_report_new (input, NULL);
  bounce_report_set_kind (report, BOUNCE_KIND_NOT_BOUNCE);

  text = bounce_report_to_text (report);
  assert_contains (text, "This does not look like a bounce");
  assert_contains (text, "5.1.1");   /* says what was looked for */

  json = bounce_report_to_json (report, FALSE);
  assert_contains (json, "\"kind\":\"not-bounce\"");
  assert_contains (json, "\"is_bounce\":false");
  assert_contains (json, "\"source\":null");
}

static void
test_other_kinds (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceInput) input = bounce_input_new_from_text ("Report\n", -1, &error);
  struct {
    BounceKind kind;
    const char *json_kind;
    const char *headline;
  } cases[] = {
    { BOUNCE_KIND_AUTOREPLY, "autoreply", "automatic reply" },
    { BOUNCE_KIND_DELIVERED, "delivered", "delivery success report" },
    { BOUNCE_KIND_FEEDBACK, "feedback", "abuse report" },
    { BOUNCE_KIND_DELAY, "delay", "not been delivered yet" },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BounceReport) report = bounce_report_new (input, "x");
      g_autofree char *text = NULL;
      g_autofree char *json = NULL;
      g_autofree char *expected = g_strdup_printf ("\"kind\":\"%s\"", cases[i].json_kind);

      bounce_report_set_kind (report, cases[i].kind);
      if (cases[i].kind == BOUNCE_KIND_FEEDBACK)
        bounce_report_set_feedback_type (report, "abuse");
      text = bounce_report_to_text (report);
      json = bounce_report_to_json (report, FALSE);
      assert_contains (text, cases[i].headline);
      assert_contains (json, expected);
      if (cases[i].kind == BOUNCE_KIND_FEEDBACK)
        assert_contains (json, "\"feedback_type\":\"abuse\"");
    }
}

/* CSV fields are quoted when needed, and text a spreadsheet would run as a
 * formula is made plain text. */
static void
test_csv (void)
{
  g_autoptr(BounceReport) report = build_report ("=HYPERLINK(\"https://evil.example/\",\"x\"), \"quoted\"\nline");
  g_autofree char *csv = bounce_report_to_csv (report, FALSE);
  g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);

  g_assert_cmpstr (lines[0], ==,
                   "sample.eml,1,,,nobody@b.example,permanent,yes,userunknown,5.1.1,550,mx.b.example,"
                   "\"'=HYPERLINK(\"\"https://evil.example/\"\",\"\"x\"\"), \"\"quoted\"\"\nline\"");
  /* the second recipient: nothing known */
  g_assert_cmpstr (lines[1], ==, "sample.eml,1,,,,failed,no,undefined,,,,");
  g_assert_cmpstr (lines[2], ==, "");
}

#define TWO_BOUNCES \
  "From MAILER-DAEMON  Mon Mar  2 09:14:05 2026\n" \
  "From: Mail Delivery System <MAILER-DAEMON@mx1.example.org>\n" \
  "To: owner@example.com\n" \
  "Subject: Undelivered Mail Returned to Sender\n" \
  "Date: Mon, 2 Mar 2026 09:14:05 +0100\n" \
  "\n" \
  "<ann@example.net>: host mx.example.net[192.0.2.25] said: 554 5.7.1\n" \
  "    Service unavailable; Client host [8.8.8.8] blocked using zen.spamhaus.org\n" \
  "    (in reply to RCPT TO command)\n" \
  "\n" \
  "From MAILER-DAEMON  Tue Mar  3 07:40:12 2026\n" \
  "From: Mail Delivery System <MAILER-DAEMON@mx1.example.org>\n" \
  "To: owner@example.com\n" \
  "Subject: Undelivered Mail Returned to Sender\n" \
  "Date: Tue, 3 Mar 2026 07:40:12 +0100\n" \
  "\n" \
  "<erik@example.com>: host mx.example.com[198.51.100.9] said: 552 5.2.2\n" \
  "    <erik@example.com>: Mailbox full (in reply to RCPT TO command)\n"

static gboolean
has_code (BounceReport *report,
          const char   *code)
{
  GPtrArray *codes = bounce_report_get_codes (report);

  for (guint i = 0; i < codes->len; i++)
    if (g_str_equal (((BounceFinding *) codes->pdata[i])->text, code))
      return TRUE;
  return FALSE;
}

/* A message of an mbox gets its own codes, lists and links, at the whole
 * input's offsets, only when asked; the whole report stays as it was. */
static void
test_message_details (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (TWO_BOUNCES, strlen (TWO_BOUNCES));
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, NULL, NULL, &error);
  GListModel *messages;
  g_autoptr(BounceReport) first = NULL;
  g_autoptr(BounceReport) second = NULL;
  const char *text;
  guint n_findings;
  GPtrArray *codes;

  g_assert_no_error (error);
  messages = bounce_report_get_message_reports (report);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 2);
  first = g_list_model_get_item (messages, 0);
  second = g_list_model_get_item (messages, 1);
  g_assert_cmpuint (bounce_report_get_findings (first)->len, ==, 0);
  g_assert_true (has_code (report, "554") && has_code (report, "552"));
  n_findings = bounce_report_get_findings (report)->len;
  /* Each message's Date, read: 2 March 2026 09:14:05 +0100, and 3 March 07:40:12;
   * the whole file has none. */
  g_assert_cmpint (bounce_report_get_time (first), ==, 1772439245);
  g_assert_cmpint (bounce_report_get_time (second) - bounce_report_get_time (first), ==, 22 * 3600 + 26 * 60 + 7);
  g_assert_cmpint (bounce_report_get_time (report), ==, G_MININT64);

  bounce_analyze_message (report, first, NULL);
  bounce_analyze_message (report, second, NULL);
  bounce_analyze_message (report, second, NULL);  /* once only */
  g_assert_cmpuint (bounce_report_get_findings (report)->len, ==, n_findings);
  g_assert_true (has_code (first, "554") && has_code (first, "5.7.1"));
  g_assert_false (has_code (first, "552"));
  g_assert_true (has_code (second, "552") && has_code (second, "5.2.2"));
  g_assert_false (has_code (second, "554"));
  g_assert_cmpuint (bounce_report_get_findings (first)->len + bounce_report_get_findings (second)->len, <=, n_findings);

  /* The same offsets as the whole input's display text. */
  text = bounce_report_get_text (report);
  codes = bounce_report_get_codes (second);
  for (guint i = 0; i < codes->len; i++)
    {
      BounceFinding *f = codes->pdata[i];

      g_assert_true (strncmp (text + f->byte_offset, f->text, f->byte_length) == 0);
      g_assert_nonnull (f->entry_id);
    }

  /* The list is named by the first message alone. */
  g_assert_cmpuint (bounce_report_get_blocklists (report)->len, >, 0);
  g_assert_cmpuint (bounce_report_get_blocklists (first)->len, ==, bounce_report_get_blocklists (report)->len);
  g_assert_cmpuint (bounce_report_get_blocklists (second)->len, ==, 0);
  g_assert_cmpuint (bounce_report_get_links (first)->len, >, 0);
  g_assert_cmpuint (bounce_report_get_links (second)->len, ==, 0);
}

typedef struct {
  GString *text;
  guint pieces;
} Pieces;

static void
collect_piece (const char *data,
               gsize       length,
               gpointer    user_data)
{
  Pieces *p = user_data;

  g_string_append_len (p->text, data, length);
  p->pieces++;
}

/* A report of many recipients is written in pieces, and the pieces make
 * exactly what the whole-string functions and JsonGenerator (over the
 * report's JsonNode) make. */
static void
test_streamed (void)
{
  g_autoptr(GString) dsn = g_string_new ("From: MAILER-DAEMON@mx.example.net\n"
                                         "To: sender@example.org\n"
                                         "Subject: Undelivered Mail Returned to Sender\n"
                                         "MIME-Version: 1.0\n"
                                         "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
                                         "--b\nContent-Type: text/plain\n\nNot delivered.\n\n"
                                         "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceReport) report = NULL;
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < 600; i++)
    g_string_append_printf (dsn, "\nFinal-Recipient: rfc822; user%u@example.com\nAction: failed\n"
                                 "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <user%u@example.com>: "
                                 "\"quoted\" user unknown\n", i, i);
  g_string_append (dsn, "\n--b--\n");
  bytes = g_bytes_new (dsn->str, dsn->len);
  report = bounce_analyze_bytes (bytes, "streamed", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (bounce_report_get_recipients (report)), ==, 600);
  node = bounce_report_to_json_node (report);

  for (guint pretty = 0; pretty < 2; pretty++)
    {
      Pieces p = { g_string_new (NULL), 0 };
      BounceJsonWriter *json = bounce_json_writer_new (pretty, collect_piece, &p);
      g_autofree char *whole = bounce_report_to_json (report, pretty);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *generated = NULL;

      bounce_report_write_json (report, json, NULL, NULL);
      bounce_json_writer_free (json);
      g_assert_cmpuint (p.pieces, >, 1);
      g_assert_cmpstr (p.text->str, ==, whole);
      json_generator_set_pretty (generator, pretty);
      json_generator_set_root (generator, node);
      generated = json_generator_to_data (generator, NULL);
      g_assert_cmpstr (whole, ==, generated);
      g_string_free (p.text, TRUE);
    }

  {
    Pieces p = { g_string_new (NULL), 0 };
    g_autofree char *whole = bounce_report_to_text (report);

    bounce_report_write_text (report, collect_piece, &p);
    g_assert_cmpuint (p.pieces, >, 1);
    g_assert_cmpstr (p.text->str, ==, whole);
    g_string_free (p.text, TRUE);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();

  g_test_add_func ("/report/json-shape", test_json_shape);
  g_test_add_func ("/report/message-details", test_message_details);
  g_test_add_func ("/report/text", test_text);
  g_test_add_func ("/report/summary", test_summary);
  g_test_add_func ("/report/not-bounce", test_not_bounce);
  g_test_add_func ("/report/other-kinds", test_other_kinds);
  g_test_add_func ("/report/csv", test_csv);
  g_test_add_func ("/report/streamed", test_streamed);

  return g_test_run ();
}
