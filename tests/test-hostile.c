/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"

/* Hostile and broken inputs through the whole analyser and every output
 * format: each must end with a report or a BOUNCE_ERROR, never a crash or a
 * hang.  Timing is printed by the benchmarks, not asserted here. */

static BounceReport *
analyze_owned (GString  *text,
               GError  **error)
{
  g_autoptr(GBytes) bytes = g_string_free_to_bytes (text);

  return bounce_analyze_bytes (bytes, "hostile", NULL, error);
}

static void
check_outputs (BounceReport *report)
{
  g_autofree char *json = bounce_report_to_json (report, FALSE);
  g_autofree char *text = bounce_report_to_text (report);
  g_autofree char *summary = bounce_report_to_summary (report);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_utf8_validate (summary, -1, NULL));
}

static BounceReport *
analyze_checked (GString *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceReport) report = analyze_owned (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  check_outputs (report);
  return g_steal_pointer (&report);
}

static void
expect_report (GString *text)
{
  g_object_unref (analyze_checked (text));
}

/* A failure report whose n recipients all have the given reason. */
static void
expect_failure (GString    *text,
                guint       n,
                const char *reason)
{
  g_autoptr(BounceReport) report = analyze_checked (text);
  GListModel *recipients = bounce_report_get_recipients (report);

  g_assert_cmpint (bounce_report_get_kind (report), ==, BOUNCE_KIND_FAILURE);
  g_assert_cmpuint (g_list_model_get_n_items (recipients), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, i);

      g_assert_cmpstr (bounce_recipient_get_reason (r), ==, reason);
    }
}

static void
expect_error (GString *text,
              int      code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceReport) report = analyze_owned (text, &error);

  g_assert_null (report);
  g_assert_error (error, BOUNCE_ERROR, code);
  g_assert_nonnull (error->message);
}

static GString *
repeat (const char *piece,
        gsize       total)
{
  GString *s = g_string_sized_new (total + strlen (piece));

  while (s->len < total)
    g_string_append (s, piece);
  return s;
}

static void
test_empty_and_binary (void)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
  static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";

  expect_error (g_string_new (""), BOUNCE_ERROR_EMPTY);
  expect_error (g_string_new (" \n\t\r\n  "), BOUNCE_ERROR_EMPTY);
  expect_error (g_string_new_len (png, sizeof png - 1), BOUNCE_ERROR_BINARY);
  expect_error (g_string_new_len (elf, sizeof elf - 1), BOUNCE_ERROR_BINARY);
  expect_error (g_string_new_len ("PK\x03\x04\x14\0\0\0\x08\0", 10), BOUNCE_ERROR_BINARY);
  expect_error (g_string_new ("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), BOUNCE_ERROR_BINARY);
}

static void
test_bad_text (void)
{
  /* NUL bytes and invalid UTF-8 inside an otherwise real bounce line */
  expect_failure (g_string_new_len ("550 5.1.1 <a@example.net>:\0 User\0 unknown\n", 43),
                  1, "userunknown");
  expect_failure (g_string_new ("550 5.1.1 \xff\xfe\xc3\x28 User unknown \xed\xa0\x80\n"),
                  1, "userunknown");
  /* one 10 MB line of digits, dots and '@' (stress for the extractor and
   * the diagnosis patterns) */
  expect_report (repeat ("550.5.1.1@1.2.3.4 [", 10 * 1000 * 1000));
  expect_report (repeat ("@@@...@a.b@", 2 * 1000 * 1000));
  /* deeply nested brackets and quotes */
  expect_report (repeat ("(<[\"'", 1000 * 1000));
}

static void
test_huge_reports (void)
{
  GString *many = g_string_new ("From: MAILER-DAEMON@mx.example.org\nTo: a@example.com\n"
                                "Subject: Undelivered Mail\nMIME-Version: 1.0\n"
                                "Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n"
                                "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\n");
  GString *folded = g_string_new ("From: MAILER-DAEMON@mx.example.org\nSubject: x\nX-Long: a\n");
  GString *address = g_string_new ("550 5.1.1 <");
  GString *mbox = g_string_new (NULL);

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (many, "Final-Recipient: rfc822; user%u@example.net\nAction: failed\n"
                                  "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 unknown\n\n", i);
  g_string_append (many, "--B--\n");
  expect_failure (many, 5000, "userunknown");

  for (guint i = 0; i < 100000; i++)
    g_string_append (folded, " continued\n");
  g_string_append (folded, "\nbody\n");
  expect_report (folded);

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (address, 'x');
  g_string_append (address, "@example.net>: User unknown\n");
  expect_failure (address, 1, "userunknown");

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (mbox, "From MAILER-DAEMON Thu Jul  2 12:05:%02u 2020\n"
                                  "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered\n\n"
                                  "<u%u@example.net>: 550 5.1.1 User unknown\n\n", i % 60, i);
  expect_failure (mbox, 2000, "userunknown");
}

/* Many reports in one mbox, each naming a blocklist and the sending IP:
 * the duplicate check, the segment lookups and the IP list were quadratic
 * (a 60,000-message mbox took over five minutes, now about 12 s).  The
 * analyser keeps at most 50,000 findings (MAX_FINDINGS in
 * bounce-analyzer.c); before that cap, 200,000 distinct IPs took 74 s. */
static void
test_many_blocked_reports (void)
{
  GString *mbox = g_string_new (NULL);
  GString *ips = g_string_new ("<b@example.net>: host mx[192.0.2.1] said: 550 5.7.1 blocked using "
                               "zen.spamhaus.org\n");
  g_autoptr(BounceReport) report = NULL;
  g_autoptr(BounceReport) ip_report = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *list;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (mbox, "From MAILER-DAEMON Thu Jul  2 12:05:00 2020\n"
                                  "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered\n\n"
                                  "<u%u@example.net>: 550 5.7.1 blocked, client 8.%u.%u.1 listed in "
                                  "zen.spamhaus.org\n\n", i, i / 256 % 256, i % 256);
  /* the same report again: an mbox often holds a copy */
  g_string_append (mbox, "From MAILER-DAEMON Thu Jul  2 12:05:00 2020\n"
                         "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered\n\n"
                         "<u0@example.net>: 550 5.7.1 blocked, client 8.0.0.1 listed in "
                         "zen.spamhaus.org\n\n");
  report = analyze_checked (mbox);
  g_assert_cmpuint (g_list_model_get_n_items (bounce_report_get_recipients (report)), ==, 5000);
  list = bounce_report_get_ips (report);
  g_assert_cmpuint (list->len, ==, 5000);
  g_assert_cmpstr (list->pdata[0], ==, "8.0.0.1");
  g_assert_cmpstr (list->pdata[4999], ==, "8.19.135.1");

  /* 100,000 different public addresses, each named twice */
  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (ips, "client %u.%u.%u.9 listed, client %u.%u.%u.9 listed\n",
                            11 + i / 65536, i / 256 % 256, i % 256,
                            11 + i / 65536, i / 256 % 256, i % 256);
  ip_report = analyze_checked (ips);
  g_assert_cmpuint (bounce_report_get_findings (ip_report)->len, ==, 50000);
  list = bounce_report_get_ips (ip_report);
  g_assert_cmpuint (list->len, >, 20000);
  for (guint i = 0; i < list->len; i++)
    g_assert_true (g_hash_table_add (seen, list->pdata[i]));
}

static void
test_broken_mime (void)
{
  GString *nested = g_string_new ("From: a@example.com\nMIME-Version: 1.0\n"
                                  "Content-Type: multipart/mixed; boundary=b0\n\n");

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (nested, "--b%u\nContent-Type: multipart/mixed; boundary=b%u\n\n", i, i + 1);
  expect_report (nested);

  /* truncated in the middle of a part, and base64 that is not base64 */
  expect_report (g_string_new ("From: MAILER-DAEMON@mx.example.org\nMIME-Version: 1.0\n"
                               "Content-Type: multipart/report; report-type=delivery-status; boundary=\"X\"\n\n"
                               "--X\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
                               "!!!not*base64***\n--X\nContent-Type: message/delivery-status\n\n"
                               "Final-Recipient: rfc822; a@exa"));
  /* 20 MB of repeated bounce text */
  expect_failure (repeat ("<b@example.net>: host mx[192.0.2.1] said: 550 5.7.1 blocked using zen.spamhaus.org\n",
                          20 * 1000 * 1000),
                  1, "blocked");
}

static void
test_too_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceReport) report = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size = BOUNCE_INPUT_MAX_SIZE + 1;
  char *data = g_malloc (size);

  memset (data, 'a', size);
  bytes = g_bytes_new_take (data, size);
  report = bounce_analyze_bytes (bytes, "too-large", NULL, &error);
  g_assert_null (report);
  g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_TOO_LARGE);
}

/* The "truncated" object of the report's JSON: NULL when nothing was cut. */
static JsonObject *
truncated_of (BounceReport *report,
              JsonParser   *parser)
{
  g_autofree char *json = bounce_report_to_json (report, FALSE);
  JsonObject *root;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  return json_object_has_member (root, "truncated") ?
         json_object_get_object_member (root, "truncated") : NULL;
}

static GString *
dsn_with_recipients (guint n)
{
  GString *s = g_string_new ("From: MAILER-DAEMON@mx.example.org\nTo: a@example.com\n"
                             "Subject: Undelivered Mail\nMIME-Version: 1.0\n"
                             "Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n"
                             "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "Final-Recipient: rfc822; user%u@example.net\nAction: failed\n"
                               "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 unknown\n\n", i);
  g_string_append (s, "--B--\n");
  return s;
}

/* A DSN may list any number of recipients; the report keeps the first
 * BOUNCE_MAX_RECIPIENTS (448,871 recipients took 60 s and 3 GB) and says
 * that it cut the list. */
static void
test_recipient_cap (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(BounceReport) report = analyze_checked (dsn_with_recipients (BOUNCE_MAX_RECIPIENTS + 500));
  g_autoptr(BounceReport) small = analyze_checked (dsn_with_recipients (3));
  g_autoptr(BounceRecipient) last = NULL;
  JsonObject *truncated;
  GString *mbox = g_string_new (NULL);
  g_autoptr(BounceReport) mbox_report = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (bounce_report_get_recipients (report)), ==,
                    BOUNCE_MAX_RECIPIENTS);
  last = g_list_model_get_item (bounce_report_get_recipients (report), BOUNCE_MAX_RECIPIENTS - 1);
  g_assert_cmpstr (bounce_recipient_get_address (last), ==, "user9999@example.net");
  truncated = truncated_of (report, parser);
  g_assert_nonnull (truncated);
  g_assert_true (json_object_get_boolean_member (truncated, "recipients"));

  /* nothing cut, nothing said */
  g_assert_null (truncated_of (small, parser));

  /* the same over the reports of an mbox */
  for (guint i = 0; i < BOUNCE_MAX_RECIPIENTS + 10; i++)
    g_string_append_printf (mbox, "From MAILER-DAEMON Thu Jul  2 12:05:00 2020\n"
                                  "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered\n\n"
                                  "<u%u@example.net>: 550 5.1.1 User unknown\n\n", i);
  mbox_report = analyze_checked (mbox);
  g_assert_cmpuint (g_list_model_get_n_items (bounce_report_get_recipients (mbox_report)), ==,
                    BOUNCE_MAX_RECIPIENTS);
  truncated = truncated_of (mbox_report, parser);
  g_assert_nonnull (truncated);
  g_assert_true (json_object_get_boolean_member (truncated, "recipients"));
}

/* Plain-text recipient lists are read up to a limit (the notification
 * limit, less for a known layout): a list that goes on past it is cut, and
 * the report says so instead of ending silently (551 of an Exim list,
 * 1,662 of a Postfix one). */
static void
test_text_list_cut (void)
{
  GString *postfix = g_string_new ("From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
                                   "To: a@example.com\nSubject: Undelivered Mail Returned to Sender\n\n"
                                   "This is the mail system at host mx.example.org.\n\n");
  GString *exim = g_string_new ("From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
                                "To: a@example.com\n"
                                "Subject: Mail delivery failed: returning message to sender\n\n"
                                "This message was created automatically by mail delivery software.\n\n"
                                "A message that you sent could not be delivered to one or more of its\n"
                                "recipients. This is a permanent error. The following address(es) failed:\n\n");
  GString *short_list = g_string_new (postfix->str);
  GString *long_tail = g_string_new (postfix->str);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(BounceReport) report = NULL;
  JsonObject *truncated;

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (postfix, "<user%u@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1\n"
                                     "    <user%u@example.net>: Recipient address rejected: User unknown (in\n"
                                     "    reply to RCPT TO command)\n\n", i, i);
  report = analyze_checked (postfix);
  g_assert_cmpuint (g_list_model_get_n_items (bounce_report_get_recipients (report)), <, 3000);
  truncated = truncated_of (report, parser);
  g_assert_nonnull (truncated);
  g_assert_true (json_object_get_boolean_member (truncated, "recipients"));
  g_clear_object (&report);

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (exim, "  user%u@example.net\n    host mx.example.net [192.0.2.1]\n"
                                  "    SMTP error from remote mail server after RCPT TO:<user%u@example.net>:\n"
                                  "    550 5.1.1 User unknown\n", i, i);
  report = analyze_checked (exim);
  g_assert_cmpuint (g_list_model_get_n_items (bounce_report_get_recipients (report)), <, 1000);
  truncated = truncated_of (report, parser);
  g_assert_nonnull (truncated);
  g_assert_true (json_object_get_boolean_member (truncated, "recipients"));
  g_clear_object (&report);

  /* A short list whose text goes on with something else (a long returned
   * message) is whole. */
  g_string_append (short_list, "<kim@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 "
                               "User unknown (in reply to RCPT TO command)\n\n");
  for (guint i = 0; i < 20000; i++)
    g_string_append (short_list, "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n");
  report = analyze_checked (short_list);
  g_assert_cmpuint (g_list_model_get_n_items (bounce_report_get_recipients (report)), ==, 1);
  g_assert_null (truncated_of (report, parser));
  g_clear_object (&report);
  g_string_free (long_tail, TRUE);
}

/* The codes and addresses stop at 50,000 findings: said, not silent. */
static void
test_codes_cut (void)
{
  GString *ips = g_string_new ("<b@example.net>: host mx[192.0.2.1] said: 550 5.7.1 blocked using "
                               "zen.spamhaus.org\n");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(BounceReport) report = NULL;
  g_autoptr(BounceReport) normal = NULL;
  JsonObject *truncated;

  for (guint i = 0; i < 60000; i++)
    g_string_append_printf (ips, "client %u.%u.%u.9 listed\n", 11 + i / 65536, i / 256 % 256, i % 256);
  report = analyze_checked (ips);
  truncated = truncated_of (report, parser);
  g_assert_nonnull (truncated);
  g_assert_true (json_object_get_boolean_member (truncated, "codes"));

  normal = analyze_checked (g_string_new ("<b@example.net>: 550 5.1.1 User unknown\n"));
  g_assert_null (truncated_of (normal, parser));
}

/* A bounce followed by padding of NUL bytes (a file cut short, a disk
 * image) is the bounce: the text that is there is analysed, not refused
 * as binary. */
static void
test_nul_padding (void)
{
  GString *padded = g_string_new ("From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail\n\n"
                                  "<bob@example.net>: host mx.example.net[192.0.2.7] said: "
                                  "550 5.1.1 User unknown (in reply to RCPT TO command)\n");
  GString *nuls = g_string_new (NULL);

  g_string_set_size (nuls, 1024 * 1024);
  memset (nuls->str, 0, nuls->len);
  g_string_append_len (padded, nuls->str, nuls->len);
  g_string_free (nuls, TRUE);
  expect_failure (padded, 1, "userunknown");

  /* only NULs: nothing to analyse */
  nuls = g_string_new (NULL);
  g_string_set_size (nuls, 4096);
  memset (nuls->str, 0, nuls->len);
  expect_error (nuls, BOUNCE_ERROR_EMPTY);
}

/* Inputs the fuzzer found (tests/hostile/). */
static void
test_fuzzer_finds (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "hostile", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      char *contents;
      gsize len;

      if (!g_str_has_suffix (name, ".eml"))
        continue;
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      expect_report (g_string_new_len (contents, len));
      g_free (contents);
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

/* Header names come raw from the message.  One with invalid UTF-8 once
 * reached a provider pattern, whose JIT-compiled code (compiled once the
 * pattern is hot) read past the string: analyse it often enough for that. */
static void
test_invalid_header_name (void)
{
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(BounceReport) report = NULL;

      report = analyze_checked (g_string_new ("From: MAILER-DAEMON@mx.example.org\n"
                                              "X-Virus-Sc\347anned: clamav at mx.example.jp\n"
                                              "X-SenderID: Sendmail Sender-ID Filter v1.0.0\n"
                                              "Subject: Undelivered Mail Returned to Sender\n"
                                              "\n"
                                              "<bob@example.net>: host mx.example.net[192.0.2.7] said: "
                                              "550 5.1.1 User unknown (in reply to RCPT TO command)\n"));
      g_assert_cmpuint (g_list_model_get_n_items (bounce_report_get_recipients (report)), ==, 1);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();
  g_test_add_func ("/hostile/empty-and-binary", test_empty_and_binary);
  g_test_add_func ("/hostile/bad-text", test_bad_text);
  g_test_add_func ("/hostile/huge-reports", test_huge_reports);
  g_test_add_func ("/hostile/many-blocked-reports", test_many_blocked_reports);
  g_test_add_func ("/hostile/broken-mime", test_broken_mime);
  g_test_add_func ("/hostile/too-large", test_too_large);
  g_test_add_func ("/hostile/recipient-cap", test_recipient_cap);
  g_test_add_func ("/hostile/text-list-cut", test_text_list_cut);
  g_test_add_func ("/hostile/codes-cut", test_codes_cut);
  g_test_add_func ("/hostile/nul-padding", test_nul_padding);
  g_test_add_func ("/hostile/fuzzer-finds", test_fuzzer_finds);
  g_test_add_func ("/hostile/invalid-header-name", test_invalid_header_name);
  return g_test_run ();
}
