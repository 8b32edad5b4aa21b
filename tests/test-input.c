/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <gmime/gmime.h>

#include "bounce-core.h"
#include "corpus-common.h"
#include "bounce-input.h"

/* ------------------------------------------------------------------ */
/* Helpers */

static char *
read_sample (const char *name,
             gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "input", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

/* Every input must satisfy these, whatever it was. */
static void
check_invariants (BounceInput *input)
{
  const char *text = bounce_input_get_text (input);
  gsize length = bounce_input_get_text_length (input);
  GPtrArray *segments = bounce_input_get_segments (input);
  GPtrArray *messages = bounce_input_get_messages (input);
  gsize pos = 0;

  g_assert_nonnull (text);
  g_assert_cmpuint (strlen (text), ==, length);
  g_assert_true (g_utf8_validate (text, length, NULL));
  g_assert_null (strchr (text, '\r'));
  g_assert_cmpuint (messages->len, >=, 1);

  /* The segments cover the display text in order, without gaps. */
  for (guint i = 0; i < segments->len; i++)
    {
      BounceSegment *segment = g_ptr_array_index (segments, i);

      g_assert_cmpuint (segment->start, ==, pos);
      g_assert_cmpuint (segment->end, >, segment->start);
      g_assert_cmpuint (segment->message_index, <, messages->len);
      pos = segment->end;
    }
  if (length > 0)
    g_assert_cmpuint (pos, ==, length);

  for (guint i = 0; i < messages->len; i++)
    {
      BounceMessage *message = g_ptr_array_index (messages, i);

      for (guint j = 0; j < message->dsn_groups->len; j++)
        {
          BounceFieldGroup *group = g_ptr_array_index (message->dsn_groups, j);

          g_assert_cmpuint (group->message_index, ==, i);
          g_assert_cmpuint (group->start, <=, group->end);
          g_assert_cmpuint (group->end, <=, length);
        }
    }
}

static BounceInput *
decode_text (const char *text,
             gssize      length)
{
  g_autoptr(GError) error = NULL;
  BounceInput *input = bounce_input_new_from_text (text, length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (input);
  check_invariants (input);
  return input;
}

static BounceInput *
decode_sample (const char *name)
{
  gsize length;
  g_autofree char *contents = read_sample (name, &length);

  return decode_text (contents, length);
}

static BounceMessage *
message_at (BounceInput *input,
            guint        index)
{
  GPtrArray *messages = bounce_input_get_messages (input);

  g_assert_cmpuint (index, <, messages->len);
  return g_ptr_array_index (messages, index);
}

static BounceFieldGroup *
group_at (BounceMessage *message,
          guint          index)
{
  g_assert_cmpuint (index, <, message->dsn_groups->len);
  return g_ptr_array_index (message->dsn_groups, index);
}

static GString *
segment_kinds (BounceInput *input)
{
  static const char letters[] = "HTDFOB";
  GPtrArray *segments = bounce_input_get_segments (input);
  GString *kinds = g_string_new (NULL);

  for (guint i = 0; i < segments->len; i++)
    {
      BounceSegment *segment = g_ptr_array_index (segments, i);

      g_string_append_c (kinds, letters[segment->kind]);
    }
  return kinds;
}

/* Text of the first segment of a kind, or NULL. */
static char *
segment_text (BounceInput       *input,
              BounceSegmentKind  kind)
{
  GPtrArray *segments = bounce_input_get_segments (input);

  for (guint i = 0; i < segments->len; i++)
    {
      BounceSegment *segment = g_ptr_array_index (segments, i);

      if (segment->kind == kind)
        return g_strndup (bounce_input_get_text (input) + segment->start,
                          segment->end - segment->start);
    }
  return NULL;
}

static char *
replace_newlines (const char *text,
                  const char *newline)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv (newline, lines);
}

/* A bounce whose returned message follows the line marker. */
static BounceInput *
decode_with_marker (const char *marker)
{
  g_autofree char *msg = g_strdup_printf ("From: postmaster@example.org\n"
                                          "Subject: Returned mail\n"
                                          "\n"
                                          "550 5.1.1 <nobody@example.net>... User unknown\n"
                                          "\n"
                                          "%s\n"
                                          "From: sender@example.com\n"
                                          "Subject: Hello\n"
                                          "\n"
                                          "Body of the original.\n", marker);

  return decode_text (msg, -1);
}

/* ------------------------------------------------------------------ */

/* Tests */

static void
test_fragment (void)
{
  const char *line = "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'";
  g_autoptr(BounceInput) input = decode_text (line, -1);
  GPtrArray *segments = bounce_input_get_segments (input);
  BounceSegment *segment;

  g_assert_false (bounce_input_get_is_message (input));
  g_assert_false (bounce_input_get_repaired (input));
  g_assert_cmpstr (bounce_input_get_text (input), ==, line);
  g_assert_cmpuint (segments->len, ==, 1);
  segment = g_ptr_array_index (segments, 0);
  g_assert_cmpint (segment->kind, ==, BOUNCE_SEGMENT_TEXT);
  g_assert_cmpuint (segment->start, ==, 0);
  g_assert_cmpuint (segment->end, ==, strlen (line));
  g_assert_cmpuint (message_at (input, 0)->headers->len, ==, 0);
  g_assert_cmpuint (message_at (input, 0)->dsn_groups->len, ==, 0);
}

static void
test_fragment_header_like (void)
{
  /* "Error: ..." looks like a header line but is not a message. */
  g_autoptr(BounceInput) input = decode_text ("Error: 554 5.7.1 Message rejected as spam\n", -1);

  g_assert_false (bounce_input_get_is_message (input));
  g_assert_cmpstr (bounce_input_get_text (input), ==, "Error: 554 5.7.1 Message rejected as spam\n");
}

static void
test_dsn (void)
{
  g_autoptr(BounceInput) input = decode_sample ("dsn.eml");
  g_autoptr(GString) kinds = segment_kinds (input);
  const char *text = bounce_input_get_text (input);
  BounceMessage *message = message_at (input, 0);
  BounceFieldGroup *group;
  g_autofree char *dsn_text = NULL;

  g_assert_true (bounce_input_get_is_message (input));
  g_assert_false (bounce_input_get_repaired (input));
  g_assert_cmpuint (bounce_input_get_messages (input)->len, ==, 1);
  g_assert_cmpstr (kinds->str, ==, "HTDOB");

  g_assert_cmpstr (message->content_type, ==, "multipart/report");
  g_assert_cmpstr (message->report_type, ==, "delivery-status");
  g_assert_cmpstr (bounce_fields_lookup (message->headers, "subject"), ==, "Unzustellbar: Grüße");
  g_assert_cmpstr (bounce_fields_lookup (message->headers, "Return-Path"), ==, "<>");
  /* Folded headers are unfolded. */
  g_assert_true (g_str_has_suffix (bounce_fields_lookup (message->headers, "Received"),
                                   "for <sender@example.com>; Tue, 12 Mar 2024 10:00:00 +0100 (CET)"));
  g_assert_null (strchr (bounce_fields_lookup (message->headers, "Received"), '\n'));
  g_assert_nonnull (bounce_fields_lookup (message->headers, "Content-Type"));
  g_assert_null (bounce_fields_lookup (message->headers, "X-Not-There"));

  /* Quoted-printable (with a soft line break) and base64 are decoded. */
  g_assert_nonnull (strstr (text, "because the café owner was not found."));
  g_assert_nonnull (strstr (text, "Hello, here are the figures.\nSecond line.\n"));
  g_assert_nonnull (strstr (text, "Subject: Unzustellbar: Grüße\n"));
  g_assert_null (strstr (text, "MIME-encapsulated"));
  g_assert_null (strstr (text, "--BOUNDARY-1"));

  g_assert_cmpuint (message->dsn_groups->len, ==, 3);
  group = group_at (message, 0);
  g_assert_cmpstr (bounce_fields_lookup (group->fields, "Reporting-MTA"), ==, "dns; mx.example.org");
  g_assert_null (bounce_fields_lookup (group->fields, "Final-Recipient"));
  g_assert_true (g_str_has_prefix (text + group->start, "Reporting-MTA:"));

  group = group_at (message, 1);
  g_assert_cmpstr (bounce_fields_lookup (group->fields, "Final-Recipient"), ==, "rfc822; nobody@example.net");
  g_assert_cmpstr (bounce_fields_lookup (group->fields, "Original-Recipient"), ==, "rfc822;nobody@example.net");
  g_assert_cmpstr (bounce_fields_lookup (group->fields, "Action"), ==, "failed");
  g_assert_cmpstr (bounce_fields_lookup (group->fields, "status"), ==, "5.1.1");
  g_assert_cmpstr (bounce_fields_lookup (group->fields, "Diagnostic-Code"), ==,
                   "smtp; 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown");
  g_assert_true (g_str_has_prefix (text + group->start, "Final-Recipient: rfc822; nobody@example.net"));
  g_assert_cmpmem (text + group->end - 22, 22, "rejected: User unknown", 22);

  group = group_at (message, 2);
  g_assert_cmpstr (bounce_fields_lookup (group->fields, "Final-Recipient"), ==, "rfc822; full@example.net");
  g_assert_cmpstr (bounce_fields_lookup (group->fields, "Status"), ==, "4.2.2");

  dsn_text = segment_text (input, BOUNCE_SEGMENT_DELIVERY_STATUS);
  g_assert_true (g_str_has_prefix (dsn_text, "Reporting-MTA: dns; mx.example.org\n"));

  g_assert_nonnull (message->original_headers);
  g_assert_cmpstr (bounce_fields_lookup (message->original_headers, "Subject"), ==, "Quarterly figures");
  g_assert_cmpstr (bounce_fields_lookup (message->original_headers, "Message-ID"), ==, "<orig-1@example.com>");
  g_assert_null (message->feedback_fields);
}

static void
test_line_endings (void)
{
  gsize length;
  g_autofree char *lf = read_sample ("dsn.eml", &length);
  g_autofree char *crlf = replace_newlines (lf, "\r\n");
  g_autofree char *cr = replace_newlines (lf, "\r");
  g_autoptr(BounceInput) a = decode_text (lf, -1);
  g_autoptr(BounceInput) b = decode_text (crlf, -1);
  g_autoptr(BounceInput) c = decode_text (cr, -1);
  BounceInput *inputs[] = { b, c };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      BounceMessage *ma = message_at (a, 0);
      BounceMessage *mb = message_at (inputs[i], 0);
      g_autoptr(GString) ka = segment_kinds (a);
      g_autoptr(GString) kb = segment_kinds (inputs[i]);

      g_assert_cmpstr (bounce_input_get_text (a), ==, bounce_input_get_text (inputs[i]));
      g_assert_cmpstr (ka->str, ==, kb->str);
      g_assert_false (bounce_input_get_repaired (inputs[i]));
      g_assert_cmpuint (ma->headers->len, ==, mb->headers->len);
      for (guint j = 0; j < ma->headers->len; j++)
        {
          BounceField *fa = g_ptr_array_index (ma->headers, j);
          BounceField *fb = g_ptr_array_index (mb->headers, j);

          g_assert_cmpstr (fa->name, ==, fb->name);
          g_assert_cmpstr (fa->value, ==, fb->value);
        }
      g_assert_cmpuint (ma->dsn_groups->len, ==, mb->dsn_groups->len);
      for (guint j = 0; j < ma->dsn_groups->len; j++)
        {
          BounceFieldGroup *ga = group_at (ma, j);
          BounceFieldGroup *gb = group_at (mb, j);

          g_assert_cmpuint (ga->start, ==, gb->start);
          g_assert_cmpuint (ga->end, ==, gb->end);
          g_assert_cmpuint (ga->fields->len, ==, gb->fields->len);
          for (guint k = 0; k < ga->fields->len; k++)
            {
              BounceField *fa = g_ptr_array_index (ga->fields, k);
              BounceField *fb = g_ptr_array_index (gb->fields, k);

              g_assert_cmpstr (fa->name, ==, fb->name);
              g_assert_cmpstr (fa->value, ==, fb->value);
            }
        }
    }

  /* A fragment too. */
  {
    g_autoptr(BounceInput) f1 = decode_text ("line one\r\nline two\rline three\n", -1);

    g_assert_cmpstr (bounce_input_get_text (f1), ==, "line one\nline two\nline three\n");
  }
  /* CR CR LF, CR before a NUL, NUL bytes (dropped) and a CR at the end */
  {
    g_autoptr(BounceInput) f2 = decode_text ("one\r\r\ntwo\0three\r\0\nfour\r", 23);

    g_assert_cmpstr (bounce_input_get_text (f2), ==, "one\n\ntwothree\n\nfour\n");
  }
}

static void
test_rfc2047 (void)
{
  const char *msg =
    "From: =?ISO-8859-1?Q?Andr=E9?= <andre@example.org>\n"
    "To: user@example.com\n"
    "Subject: =?UTF-8?B?VW56dXN0ZWxsYmFyOiBHcsO8w59l?=\n"
    " =?ISO-8859-15?Q?_=A4uro?=\n"
    "\n"
    "Body.\n";
  g_autoptr(BounceInput) input = decode_text (msg, -1);
  BounceMessage *message = message_at (input, 0);

  g_assert_true (bounce_input_get_is_message (input));
  g_assert_cmpstr (bounce_fields_lookup (message->headers, "Subject"), ==, "Unzustellbar: Grüße €uro");
  g_assert_nonnull (strstr (bounce_fields_lookup (message->headers, "From"), "André"));
  g_assert_nonnull (strstr (bounce_input_get_text (input), "Subject: Unzustellbar: Grüße €uro\n"));
}

static void
test_latin1_part (void)
{
  const char *msg =
    "From: postmaster@example.de\n"
    "Subject: Unzustellbar\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=iso-8859-1\n"
    "Content-Transfer-Encoding: 8bit\n"
    "\n"
    "Gr\xfc\xdf" "e aus K\xf6ln: Empf\xe4nger unbekannt\n";
  g_autoptr(BounceInput) input = decode_text (msg, -1);

  g_assert_nonnull (strstr (bounce_input_get_text (input), "Grüße aus Köln: Empfänger unbekannt\n"));
  /* A labelled charset is not a repair. */
  g_assert_false (bounce_input_get_repaired (input));
}

static void
test_invalid_utf8 (void)
{
  {
    /* Unlabelled 8-bit text: read as a Western legacy charset. */
    g_autoptr(BounceInput) input = decode_text ("Caf\xe9: 550 user unknown\n", -1);

    g_assert_true (bounce_input_get_repaired (input));
    g_assert_cmpstr (bounce_input_get_text (input), ==, "Café: 550 user unknown\n");
  }
  {
    /* Labelled UTF-8 that is not: the bad bytes are replaced. */
    const char *msg =
      "From: postmaster@example.org\n"
      "Subject: test\n"
      "Content-Type: text/plain; charset=utf-8\n"
      "\n"
      "bad \xff\xfe bytes, good \xc3\xa9\n";
    g_autoptr(BounceInput) input = decode_text (msg, -1);

    g_assert_true (bounce_input_get_repaired (input));
    g_assert_nonnull (strstr (bounce_input_get_text (input), "bad "));
    g_assert_nonnull (strstr (bounce_input_get_text (input), " bytes, good é\n"));
  }
  {
    /* Valid UTF-8 is left alone. */
    g_autoptr(BounceInput) input = decode_text ("Grüße: 550 user unknown", -1);

    g_assert_false (bounce_input_get_repaired (input));
  }
}

static void
test_unlabelled_japanese (void)
{
  {
    /* EUC-JP without a charset label (some Japanese carriers do this). */
    g_autoptr(BounceInput) input = decode_text ("550 \xc1\xf7\xbf\xae\xa4\xc7\xa4\xad\xa4\xde"
                                                "\xa4\xbb\xa4\xf3\xa4\xc7\xa4\xb7\xa4\xbf\xa1\xa3\n", -1);

    g_assert_true (bounce_input_get_repaired (input));
    g_assert_cmpstr (bounce_input_get_text (input), ==, "550 送信できませんでした。\n");
  }
  {
    /* ISO-2022-JP is 7-bit: valid UTF-8, but its escapes must not show. */
    g_autoptr(BounceInput) input = decode_text ("550 \x1b$BAw?.$G$-$^$;$s$G$7$?!#\x1b(B\n", -1);

    g_assert_cmpstr (bounce_input_get_text (input), ==, "550 送信できませんでした。\n");
  }
}

static void
test_global_dsn (void)
{
  g_autoptr(BounceInput) input = decode_sample ("global-dsn.eml");
  g_autoptr(GString) kinds = segment_kinds (input);
  BounceMessage *message = message_at (input, 0);
  BounceFieldGroup *group;
  g_autofree char *headers_text = NULL;

  g_assert_cmpstr (kinds->str, ==, "HTDO");
  g_assert_cmpstr (message->report_type, ==, "global-delivery-status");
  g_assert_cmpuint (message->dsn_groups->len, ==, 2);
  group = group_at (message, 1);
  g_assert_cmpstr (bounce_fields_lookup (group->fields, "Final-Recipient"), ==,
                   "utf-8; józef@przykład.example.pl");
  g_assert_cmpstr (bounce_fields_lookup (group->fields, "Diagnostic-Code"), ==,
                   "smtp; 550 5.1.1 Użytkownik nie istnieje");

  /* text/rfc822-headers: shown as original headers, fields decoded. */
  headers_text = segment_text (input, BOUNCE_SEGMENT_ORIGINAL_HEADERS);
  g_assert_true (g_str_has_prefix (headers_text, "From: Sender <sender@example.com>\n"));
  g_assert_nonnull (message->original_headers);
  g_assert_cmpstr (bounce_fields_lookup (message->original_headers, "Subject"), ==, "Réunion");
  g_assert_cmpstr (bounce_fields_lookup (message->original_headers, "Message-ID"), ==, "<orig-2@example.com>");
}

static void
test_html_only (void)
{
  g_autoptr(BounceInput) input = decode_sample ("html-only.eml");
  const char *text = bounce_input_get_text (input);
  g_autoptr(GString) kinds = segment_kinds (input);

  g_assert_cmpstr (kinds->str, ==, "HT");
  g_assert_nonnull (strstr (text, "Delivery has failed to these recipients:\n"));
  g_assert_nonnull (strstr (text, "\nnobody@example.net\nR&D <team> été\n"));
  g_assert_nonnull (strstr (text, "Remote Server returned '550 5.1.1 User unknown'"));
  g_assert_null (strstr (text, "<p>"));
  g_assert_null (strstr (text, "color"));
  g_assert_null (strstr (text, "alert"));
  g_assert_null (strstr (text, "comment"));
}

/* A <pre> element keeps its line ends (Exchange's HTML reports show the
 * original headers in one); outside it blanks still collapse. */
static void
test_html_pre (void)
{
  const char *msg =
    "From: postmaster@example.org\n"
    "Subject: Undeliverable: test\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/html\n"
    "\n"
    "<p>Original   message\nheaders:</p>\n"
    "<pre>\nReceived: from a.example.org\n (192.0.2.1) by b.example.org\r\n"
    "To: &lt;x@example.net&gt;\n"
    "Subject:  test\n"
    "</pre>\n"
    "<p>after\n  text</p>\n";
  g_autoptr(BounceInput) input = decode_text (msg, -1);
  const char *text = bounce_input_get_text (input);

  g_assert_nonnull (strstr (text, "Original message headers:\n\n"
                                  "Received: from a.example.org\n"
                                  " (192.0.2.1) by b.example.org\n"
                                  "To: <x@example.net>\n"
                                  "Subject:  test\n"));
  g_assert_nonnull (strstr (text, "\nafter text"));
}

static void
test_alternative_prefers_plain (void)
{
  const char *msg =
    "From: postmaster@example.org\n"
    "Subject: failure\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/alternative; boundary=\"b\"\n"
    "\n"
    "--b\n"
    "Content-Type: text/html\n"
    "\n"
    "<p>HTML version</p>\n"
    "--b\n"
    "Content-Type: text/plain\n"
    "\n"
    "Plain version\n"
    "--b--\n";
  g_autoptr(BounceInput) input = decode_text (msg, -1);

  g_assert_nonnull (strstr (bounce_input_get_text (input), "Plain version"));
  g_assert_null (strstr (bounce_input_get_text (input), "HTML version"));
}

static void
test_mbox (void)
{
  g_autoptr(BounceInput) input = decode_sample ("two.mbox");
  GPtrArray *segments = bounce_input_get_segments (input);
  const char *text = bounce_input_get_text (input);
  gboolean seen[2] = { FALSE, FALSE };

  g_assert_true (bounce_input_get_is_message (input));
  g_assert_cmpuint (bounce_input_get_messages (input)->len, ==, 2);
  g_assert_cmpstr (bounce_fields_lookup (message_at (input, 0)->headers, "Subject"), ==, "First failure");
  g_assert_cmpstr (bounce_fields_lookup (message_at (input, 1)->headers, "Subject"), ==, "Second failure");
  g_assert_nonnull (strstr (text, "550 5.1.1 user unknown"));
  g_assert_nonnull (strstr (text, "552 5.2.2 mailbox full"));
  g_assert_null (strstr (text, "From MAILER-DAEMON"));
  /* The first message's text comes first. */
  g_assert_true (strstr (text, "550 5.1.1") < strstr (text, "552 5.2.2"));

  for (guint i = 0; i < segments->len; i++)
    {
      BounceSegment *segment = g_ptr_array_index (segments, i);

      seen[segment->message_index] = TRUE;
    }
  g_assert_true (seen[0] && seen[1]);
}

static void
test_feedback_report (void)
{
  g_autoptr(BounceInput) input = decode_sample ("arf.eml");
  g_autoptr(GString) kinds = segment_kinds (input);
  BounceMessage *message = message_at (input, 0);

  g_assert_cmpstr (kinds->str, ==, "HTFOB");
  g_assert_cmpstr (message->report_type, ==, "feedback-report");
  g_assert_nonnull (message->feedback_fields);
  g_assert_cmpstr (bounce_fields_lookup (message->feedback_fields, "Feedback-Type"), ==, "abuse");
  g_assert_cmpstr (bounce_fields_lookup (message->feedback_fields, "Source-IP"), ==, "192.0.2.1");
  g_assert_cmpuint (message->dsn_groups->len, ==, 0);
  g_assert_cmpstr (bounce_fields_lookup (message->original_headers, "Subject"), ==, "Earn money");
}

static void
test_plain_text_copy (void)
{
  g_autoptr(BounceInput) input = decode_sample ("plain-copy.eml");
  g_autoptr(GString) kinds = segment_kinds (input);
  BounceMessage *message = message_at (input, 0);
  g_autofree char *notification = segment_text (input, BOUNCE_SEGMENT_TEXT);
  g_autofree char *body = segment_text (input, BOUNCE_SEGMENT_ORIGINAL_BODY);

  g_assert_cmpstr (kinds->str, ==, "HTOB");
  g_assert_nonnull (strstr (notification, "550 5.1.1 <nobody@example.net>"));
  g_assert_null (strstr (notification, "Lunch"));
  g_assert_cmpstr (body, ==, "Shall we meet at noon?\n");
  g_assert_nonnull (message->original_headers);
  g_assert_cmpstr (bounce_fields_lookup (message->original_headers, "Subject"), ==, "Lunch on Friday?");
  g_assert_true (g_str_has_suffix (bounce_fields_lookup (message->original_headers, "Received"),
                                   "for nobody@example.net; Tue, 12 Mar 2024 10:00:00 +0000"));
}

static void
test_unmarked_copy (void)
{
  /* The original pasted after the notice without a marker line. */
  const char *msg =
    "From: postmaster@example.org\n"
    "Subject: Returned mail\n"
    "\n"
    "Received: is not the start of a copy in the first paragraph.\n"
    "\n"
    "550 5.1.1 <nobody@example.net>... User unknown\n"
    "\n"
    "Received: from client.example.com (client.example.com [192.0.2.5])\n"
    "\tby mx.example.org with SMTP id 123\n"
    "From: sender@example.com\n"
    "Subject: Hello\n"
    "\n"
    "Body of the original.\n";
  g_autoptr(BounceInput) input = decode_text (msg, -1);
  g_autoptr(GString) kinds = segment_kinds (input);
  g_autofree char *notification = segment_text (input, BOUNCE_SEGMENT_TEXT);

  g_assert_cmpstr (kinds->str, ==, "HTOB");
  g_assert_true (g_str_has_suffix (notification, "User unknown\n\n"));
  g_assert_cmpstr (bounce_fields_lookup (message_at (input, 0)->original_headers, "Subject"), ==, "Hello");
}

static void
test_marker_lines (void)
{
  /* Each kind of marker line before a pasted copy, also where the marker
   * regex matches more than its words in ASCII: a U+017F for an 's', a CR
   * before the line feed. */
  const char * const markers[] = {
    "----- Original message -----",
    "-----Original Message-----",
    "=== Copy of the original message ===",
    "*** Returned e-mail ***",
    "Original message follows:",
    "Message headers follow",
    "Below this line is a copy of the message.",
    "Your message reads (in part):",
    "The headers of the original message are following:",
    "----- Original me\xc5\xbf\xc5\xbf" "age -----",
    "Original message headers\r",
    /* each kind is tried alone, when the line has what that kind needs:
     * a rule and words of the first kind, tried because the line ends as
     * the second kind does; the third kind */
    "----- Original email message headers",
    "-- Your message reads",
    "> Content-Type: message/rfc822",
    /* lines outside ASCII, tried on how they start */
    "Below this line is a copy of the me\xc5\xbf\xc5\xbf" "age.",
    "> Your me\xc5\xbf\xc5\xbf" "age reads (in part):",
    "\t** The header of the original me\xc5\xbf\xc5\xbf" "age is following **",
    "Message headers follow\xc2\x85",
    ">> CONTENT-TYPE: text/rfc822-headers; charset=\"utf-8\" (\xc3\xa9)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    {
      g_autoptr(BounceInput) input = decode_with_marker (markers[i]);

      g_test_message ("%s", markers[i]);
      g_assert_nonnull (message_at (input, 0)->original_headers);
      g_assert_cmpstr (bounce_fields_lookup (message_at (input, 0)->original_headers, "Subject"), ==, "Hello");
    }
}

/* The rule kind of marker line ("------ This is a copy of the message
 * ------") is read by hand in a line of printable ASCII; a line is a marker
 * exactly when one of the three kinds' regexes matches it, on lines made of
 * the rule kind's phrases with other rules, blanks, cases and endings. */
static void
test_rule_marker_lines (void)
{
  static const char * const leads[] = { "", " ", "\t", ">", "> ", " >>" };
  static const char * const rules[] = { "--", "-", "==", "_*", "*****", "-=-=", "", "- -" };
  static const char * const gaps[] = { "", " ", "\t", "  " };
  static const char * const phrases[] = {
    "original message", "Returned  mail", "unsent\te-mail", "undelivered email", "undeliverable message",
    "failed mail", "rejected message", "bounced mail", "your message", "start of original message",
    "Start  of\tthe original message", "start of the returned mail", "start of returned", "original mailbox",
    "original messages", "original", "this is a copy of the message", "this is a copy of your message",
    "this is a copy of a message", "below this line is a copy of", "below is a copy of", "below  is a copy of",
    "a copy of the message", "copy of your original message", "a copy of the original  message",
    "the header of the original message", "the headers of the original message",
    "the text of the original message", "the body of the original message", "message header follows",
    "original mail info", "original mail", "content-type: message/rfc822",
  };
  static const char * const tails[] = { "", " -----", "s", "_", "1", ".", " follows:", "x" };
  g_autoptr(GRegex) rule = g_regex_new ("^[ \\t>]*(?:[-=_*]{2,}[ \\t]*(?:(?:start[ \\t]+of[ \\t]+(?:the[ \\t]+)?)?"
                                        "(?:original|returned|unsent|undelivered|undeliverable|failed|rejected|bounced|your)"
                                        "[ \\t]+(?:message|mail|e-mail|email)\\b|this is a copy of (?:the|your) message"
                                        "|below (?:this line )?is a copy of|(?:a )?copy of (?:the|your) (?:original )?message"
                                        "|the (?:header|headers|text) of the original message|message header follows"
                                        "|original mail info))", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) plain = g_regex_new ("^[ \\t>]*(?:(?:original message (?:follows|headers?)"
                                         "|(?:original )?message headers? follows?"
                                         "|below (?:this line )?is a copy of the (?:original )?message"
                                         "|included is a copy of the message header"
                                         "|this is a copy of the message, including all the headers"
                                         "|your message reads(?: \\(in part\\))?"
                                         "|the (?:header|headers) of the original message (?:is|are) following"
                                         ")[ \\t.:-]*$)", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) type = g_regex_new ("^[ \\t>]*(?:content-type:[ \\t]*(?:message/rfc822|message/global|text/rfc822-headers)\\b)",
                                        G_REGEX_CASELESS, 0, NULL);
  GRand *rand = g_rand_new_with_seed (20261207);
  guint markers = 0;

  for (guint n = 0; n < 3000; n++)
    {
      g_autofree char *line = NULL;
      g_autoptr(BounceInput) input = NULL;
      gboolean expected;

      line = g_strconcat (leads[g_rand_int_range (rand, 0, G_N_ELEMENTS (leads))],
                          rules[g_rand_int_range (rand, 0, G_N_ELEMENTS (rules))],
                          gaps[g_rand_int_range (rand, 0, G_N_ELEMENTS (gaps))],
                          phrases[g_rand_int_range (rand, 0, G_N_ELEMENTS (phrases))],
                          tails[g_rand_int_range (rand, 0, G_N_ELEMENTS (tails))], NULL);
      for (char *c = line; *c != '\0'; c++)
        if (g_rand_int_range (rand, 0, 3) == 0)
          *c = g_ascii_toupper (*c);
      expected = g_regex_match (rule, line, 0, NULL) || g_regex_match (plain, line, 0, NULL) ||
                 g_regex_match (type, line, 0, NULL);
      input = decode_with_marker (line);
      if ((message_at (input, 0)->original_headers != NULL) != expected)
        g_error ("\"%s\": a marker by the regexes: %d", line, expected);
      markers += expected;
    }
  g_assert_cmpuint (markers, >, 500);
  g_rand_free (rand);
}

static void
test_rfc822_base64 (void)
{
  /* "From: a@example.com\nSubject: Inner base64\n\nInner body text.\n" */
  const char *msg =
    "From: postmaster@example.org\n"
    "Subject: x\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=zz\n"
    "\n"
    "--zz\n"
    "Content-Type: text/plain\n"
    "\n"
    "Bounce.\n"
    "--zz\n"
    "Content-Type: message/rfc822\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "RnJvbTogYUBleGFtcGxlLmNvbQpTdWJqZWN0OiBJbm5lciBiYXNlNjQKCklubmVyIGJvZHkgdGV4dC4K\n"
    "--zz--\n";
  g_autoptr(BounceInput) input = decode_text (msg, -1);
  g_autoptr(GString) kinds = segment_kinds (input);
  g_autofree char *body = segment_text (input, BOUNCE_SEGMENT_ORIGINAL_BODY);

  g_assert_cmpstr (kinds->str, ==, "HTOB");
  g_assert_cmpstr (bounce_fields_lookup (message_at (input, 0)->original_headers, "Subject"), ==, "Inner base64");
  g_assert_cmpstr (body, ==, "Inner body text.\n");
}

static void
test_transfer_encoded (void)
{
  /* The returned message's headers say base64, its own parts are 7bit. */
  const char *plain =
    "From: MAILER-DAEMON@example.org\n"
    "Subject: Undelivered Mail\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=zz\n"
    "\n"
    "--zz\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "Content-Transfer-Encoding: 7bit\n"
    "\n"
    "550 5.1.1 <a@example.net>: user unknown\n"
    "--zz\n"
    "Content-Type: text/rfc822-headers\n"
    "\n"
    "From: a@example.com\n"
    "Content-Transfer-Encoding: base64\n"
    "--zz--\n";
  const char *qp =
    "From: MAILER-DAEMON@example.org\n"
    "Subject: Undelivered Mail\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "550 5.1.1 <m.m=C3=BCller@example.net>: user unknown\n";
  g_autoptr(BounceInput) a = decode_text (plain, -1);
  g_autoptr(BounceInput) b = decode_text (qp, -1);
  g_autoptr(BounceInput) c = decode_text ("550 5.1.1 user unknown\n", -1);

  g_assert_false (bounce_input_get_transfer_encoded (a));
  g_assert_true (bounce_input_get_transfer_encoded (b));
  g_assert_nonnull (strstr (bounce_input_get_text (b), "m.müller@example.net"));
  g_assert_false (bounce_input_get_transfer_encoded (c));
}

static void
test_report_third_part_text (void)
{
  /* RFC 6522 section 3: a report's parts after its machine-readable part
   * are the returned message, even as text/plain (Oracle Communications
   * Messaging Server sends the returned headers so).  Its words, here a
   * virus scanner's header, are the original's, not the notice's. */
  const char *msg =
    "From: postmaster@mx.example.org\n"
    "Subject: Delivery Notification: Delivery has been delayed\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
    "\n"
    "--B\n"
    "Content-Type: text/plain\n"
    "\n"
    "This is an automatically generated delivery status notification.\n"
    "\n"
    "--B\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns;mx.example.org\n"
    "\n"
    "Final-Recipient: rfc822;bob@example.net\n"
    "Action: delayed\n"
    "Status: 4.4.7 (unable to deliver this message after 1 day)\n"
    "\n"
    "--B\n"
    "Content-Type: text/plain\n"
    "\n"
    "Return-path: <alice@example.org>\n"
    "X-Virus-Status: infected=no, virus scanned\n"
    "From: Alice <alice@example.org>\n"
    "To: bob@example.net\n"
    "Subject: Lunch\n"
    "\n"
    "See you at noon.\n"
    "--B--\n";
  g_autoptr(BounceInput) input = decode_text (msg, -1);
  g_autoptr(GString) kinds = segment_kinds (input);
  g_autofree char *original = segment_text (input, BOUNCE_SEGMENT_ORIGINAL_HEADERS);
  g_autoptr(BounceReport) report = NULL;
  g_autoptr(BounceRecipient) recipient = NULL;

  g_assert_cmpstr (kinds->str, ==, "HTDOB");
  g_assert_nonnull (original);
  g_assert_nonnull (strstr (original, "X-Virus-Status"));

  report = bounce_analyze_input (input, NULL, bounce_catalogue_get_default ());
  g_assert_cmpuint (g_list_model_get_n_items (bounce_report_get_recipients (report)), ==, 1);
  recipient = g_list_model_get_item (bounce_report_get_recipients (report), 0);
  g_assert_cmpstr (bounce_recipient_get_reason (recipient), ==, "expired");
}

static void
test_dsn_in_text (void)
{
  /* A non-MIME notice quoting delivery-status fields, with no blank line
   * between the per-message and the per-recipient ones. */
  const char *msg =
    "From: postmaster@example.org\n"
    "Subject: Delivery failure\n"
    "\n"
    "Your message could not be delivered.\n"
    "\n"
    "Reporting-MTA: dns; mx.example.org\n"
    "Final-Recipient: rfc822; one@example.net\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Final-Recipient: rfc822; two@example.net\n"
    "Action: failed\n"
    "Status: 5.2.2\n"
    "Diagnostic-Code: smtp; 552 Mailbox\n"
    "\tfull\n";
  g_autoptr(BounceInput) input = decode_text (msg, -1);
  BounceMessage *message = message_at (input, 0);

  g_assert_cmpuint (message->dsn_groups->len, ==, 3);
  g_assert_cmpstr (bounce_fields_lookup (group_at (message, 0)->fields, "Reporting-MTA"), ==, "dns; mx.example.org");
  g_assert_cmpstr (bounce_fields_lookup (group_at (message, 1)->fields, "Final-Recipient"), ==, "rfc822; one@example.net");
  g_assert_cmpstr (bounce_fields_lookup (group_at (message, 2)->fields, "Status"), ==, "5.2.2");
  g_assert_cmpstr (bounce_fields_lookup (group_at (message, 2)->fields, "Diagnostic-Code"), ==, "smtp; 552 Mailbox full");

  /* A pasted fragment of only recipient fields gets an empty per-message group. */
  {
    g_autoptr(BounceInput) fragment = decode_text ("Final-Recipient: rfc822; x@example.net\n"
                                                   "Action: failed\nStatus: 5.1.1\n", -1);
    BounceMessage *m = message_at (fragment, 0);

    g_assert_false (bounce_input_get_is_message (fragment));
    g_assert_cmpuint (m->dsn_groups->len, ==, 2);
    g_assert_cmpuint (group_at (m, 0)->fields->len, ==, 0);
    g_assert_cmpstr (bounce_fields_lookup (group_at (m, 1)->fields, "Status"), ==, "5.1.1");
  }
}

static void
test_empty (void)
{
  const char *inputs[] = { "", "   ", "\n\n\t \r\n" };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BounceInput) input = bounce_input_new_from_text (inputs[i], -1, &error);

      g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_EMPTY);
      g_assert_null (input);
    }
}

static void
test_binary (void)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static (png, sizeof png - 1);
  g_autoptr(BounceInput) input = bounce_input_new_from_bytes (bytes, NULL, &error);
  g_autofree char *controls = g_malloc (2048);

  g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_BINARY);
  g_assert_null (input);
  g_clear_error (&error);

  /* No magic, but mostly control bytes. */
  for (gsize i = 0; i < 2048; i++)
    controls[i] = (i % 3 == 0) ? 'a' : (char) (i % 8 + 1);
  {
    g_autoptr(BounceInput) other = bounce_input_new_from_text (controls, 2048, &error);

    g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_BINARY);
    g_assert_null (other);
  }
  g_clear_error (&error);

  /* Each byte value one in five: binary for the control characters that
   * text does not hold (not tab, LF, VT, FF, CR, nor ESC of ISO-2022), for
   * DEL, and for no other byte. */
  for (guint b = 0; b < 256; b++)
    {
      gboolean control = (b < 0x20 && b != '\t' && b != '\n' && b != '\v' && b != '\f' && b != '\r' && b != 0x1b) ||
                         b == 0x7f;
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(BounceInput) one = NULL;

      for (guint i = 0; i < 200; i++)
        {
          g_string_append (text, "abcd");
          g_string_append_c (text, (char) b);
        }
      g_string_append (text, "end");
      one = bounce_input_new_from_text (text->str, text->len, &error);
      if (control)
        {
          g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_BINARY);
          g_assert_null (one);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_nonnull (one);
        }
      g_clear_error (&error);
    }
}

static void
test_nul_bytes (void)
{
  static const char text[] = "550 5.1.1\0 user\0 unknown\n";
  g_autoptr(BounceInput) input = decode_text (text, sizeof text - 1);

  g_assert_cmpstr (bounce_input_get_text (input), ==, "550 5.1.1 user unknown\n");
  g_assert_cmpuint (bounce_input_get_text_length (input), ==, strlen ("550 5.1.1 user unknown\n"));
}

static void
test_long_line (void)
{
  gsize size = 10 * 1024 * 1024;
  g_autofree char *text = g_malloc (size + 1);
  g_autoptr(BounceInput) input = NULL;
  gint64 start;

  for (gsize i = 0; i < size; i++)
    text[i] = "abcdefgh 550 "[i % 13];
  text[size] = '\0';

  start = g_get_monotonic_time ();
  input = decode_text (text, size);
  g_test_message ("10 MB line: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (bounce_input_get_text_length (input), ==, size);
}

/* GMime's parser grows a header's buffer bit by bit: a 1 MB folded header
 * took 52 s under AddressSanitizer.  Header fields are cut at 64 KiB before
 * GMime sees them; the rest of the message is read as before. */
static void
test_long_header (void)
{
  g_autoptr(GString) folded = g_string_new ("From: MAILER-DAEMON@mx.example.org\nX-Long: a\n");
  g_autoptr(GString) line = g_string_new ("From: MAILER-DAEMON@mx.example.org\nX-Long: ");
  GString *cases[] = { folded, line };

  for (guint i = 0; i < 100000; i++)
    g_string_append (folded, " continued\n");
  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (line, 'a');
  g_string_append_c (line, '\n');

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BounceInput) input = NULL;
      BounceMessage *message;
      const char *value;

      g_string_append (cases[i], "Subject: Undelivered Mail Returned to Sender\n"
                                 "Content-Type: multipart/mixed; boundary=B\n\n"
                                 "--B\nContent-Type: text/plain\nX-Part-Long: b\n");
      for (guint j = 0; j < 50000; j++)
        g_string_append (cases[i], " folded\n");
      g_string_append (cases[i], "\n<bob@example.net>: 550 5.1.1 User unknown\n--B--\n");

      input = decode_text (cases[i]->str, cases[i]->len);
      message = message_at (input, 0);
      value = bounce_fields_lookup (message->headers, "X-Long");
      g_assert_nonnull (value);
      g_assert_cmpuint (strlen (value), <=, 64 * 1024);
      g_assert_cmpuint (strlen (value), >, 32 * 1024);
      g_assert_cmpstr (bounce_fields_lookup (message->headers, "Subject"), ==,
                       "Undelivered Mail Returned to Sender");
      g_assert_nonnull (strstr (bounce_input_get_text (input), "550 5.1.1 User unknown"));
      g_assert_cmpuint (bounce_input_get_text_length (input), <, 300 * 1024);
    }
}

/* A parameter that lost its fold: "boundary=..." at the start of the line
 * after "Content-Type: multipart/alternative; ...;".  The part's boundary
 * was lost and its two alternatives were shown as one undecoded text
 * (quoted-printable soft breaks, the HTML alternative too).  Read as a
 * folded line, the alternatives are parts again.  A line that is not a
 * parameter, or that follows a field not ending in ";", is left as it is. */
static void
test_unfolded_parameter (void)
{
  static const char *const head =
    "From: postmaster@example.org\n"
    "Subject: Undeliverable: hello\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/alternative; differences=Content-Type;\n"
    "boundary=\"ALT\"\n"
    "\n"
    "--ALT\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "Remote server returned unknown recipien=\n"
    "t or mailbox unavailable\n"
    "--ALT\n"
    "Content-Type: text/html; charset=us-ascii\n"
    "\n"
    "<p>html alternative</p>\n"
    "--ALT--\n";
  g_autoptr(BounceInput) input = decode_text (head, -1);
  const char *text = bounce_input_get_text (input);
  g_autoptr(GString) unrelated = g_string_new ("From: postmaster@example.org\n"
                                               "Subject: a=b\n"
                                               "flag=on\n"
                                               "\n"
                                               "body\n");
  g_autoptr(BounceInput) plain = NULL;

  g_assert_nonnull (strstr (text, "unknown recipient or mailbox unavailable"));
  g_assert_null (strstr (text, "recipien="));
  g_assert_null (strstr (text, "html alternative"));

  /* "flag=on" after a field that does not end in ";" is not made part
   * of that field. */
  plain = decode_text (unrelated->str, unrelated->len);
  g_assert_cmpstr (bounce_fields_lookup (message_at (plain, 0)->headers, "Subject"), ==, "a=b");
}

/* A header name in Latin-1 ("X-Virus-Sc\347anned") reached the display
 * text as it was, invalid UTF-8 that the extractor's JIT-compiled patterns
 * then read (found by fuzz/fuzz-input). */
static void
test_invalid_header_name (void)
{
  static const char text[] = "From: MAILER-DAEMON@mx.example.org\n"
                             "X-Virus-Sc\347anned: clamav at mx.example.jp\n"
                             "Subject: Undelivered Mail Returned to Sender\n\n"
                             "<bob@example.net>: 550 5.1.1 User unknown\n";
  g_autoptr(BounceInput) input = decode_text (text, -1);

  g_assert_true (bounce_input_get_repaired (input));
  g_assert_nonnull (strstr (bounce_input_get_text (input), "anned: clamav"));
}

static void
test_truncated_mime (void)
{
  g_autoptr(BounceInput) input = decode_sample ("truncated.eml");
  BounceMessage *message = message_at (input, 0);

  /* An unknown charset name falls back to plain text. */
  g_assert_nonnull (strstr (bounce_input_get_text (input), "550 5.7.1 Relaying denied"));
  /* Garbage after valid base64 does not lose the report. */
  g_assert_cmpuint (message->dsn_groups->len, ==, 2);
  g_assert_cmpstr (bounce_fields_lookup (group_at (message, 1)->fields, "Status"), ==, "5.7.1");
  g_assert_cmpstr (bounce_fields_lookup (message->original_headers, "Subject"), ==, "Truncat");

  /* Cut in the middle of a header block of a part. */
  {
    const char *msg =
      "From: a@example.org\nSubject: x\nContent-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: te";
    g_autoptr(BounceInput) cut = decode_text (msg, -1);

    g_assert_true (bounce_input_get_is_message (cut));
  }
  /* A multipart without a boundary parameter. */
  {
    const char *msg =
      "From: a@example.org\nSubject: x\nContent-Type: multipart/report\n\nThe text is still here.\n";
    g_autoptr(BounceInput) noboundary = decode_text (msg, -1);

    g_assert_nonnull (strstr (bounce_input_get_text (noboundary), "The text is still here."));
  }
}

static char *
nested_multiparts (guint depth)
{
  GString *msg = g_string_new ("From: a@example.org\nSubject: deep\nMIME-Version: 1.0\n"
                               "Content-Type: multipart/mixed; boundary=\"b0\"\n\n");

  for (guint i = 0; i < depth; i++)
    g_string_append_printf (msg, "--b%u\nContent-Type: multipart/mixed; boundary=\"b%u\"\n\n", i, i + 1);
  g_string_append_printf (msg, "--b%u\nContent-Type: text/plain\n\ndeep inside\n", depth);
  for (guint i = depth + 1; i > 0; i--)
    g_string_append_printf (msg, "--b%u--\n", i - 1);
  return g_string_free (msg, FALSE);
}

static void
test_nested_multiparts (void)
{
  guint depths[] = { 40, 1000 };

  for (gsize i = 0; i < G_N_ELEMENTS (depths); i++)
    {
      g_autofree char *msg = nested_multiparts (depths[i]);
      gint64 start = g_get_monotonic_time ();
      g_autoptr(BounceInput) input = decode_text (msg, -1);

      g_test_message ("%u nested multiparts: %.1f ms", depths[i], (g_get_monotonic_time () - start) / 1000.0);
      g_assert_true (bounce_input_get_is_message (input));
      g_assert_cmpstr (bounce_fields_lookup (message_at (input, 0)->headers, "Subject"), ==, "deep");
      if (depths[i] > 100)
        g_assert_nonnull (strstr (bounce_input_get_text (input), "deep inside"));
    }
}

/* A sparse file over the limit: refused before anything is read. */
static void
test_too_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(BounceInput) input = NULL;
  int fd;

  fd = g_file_open_tmp ("bounce-input-XXXXXX.eml", &path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ftruncate (fd, 100 * 1000 * 1000), ==, 0);
  close (fd);

  file = g_file_new_for_path (path);
  input = bounce_input_new_from_file (file, NULL, &error);
  g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "The input is 100.0\u00a0MB; the limit is 67.1\u00a0MB");
  g_assert_null (input);
  g_clear_error (&error);

  /* The same through GBytes: a mapping of the sparse file costs no memory. */
  {
    g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, &error);
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(BounceInput) other = NULL;

    g_assert_no_error (error);
    bytes = g_mapped_file_get_bytes (mapped);
    other = bounce_input_new_from_bytes (bytes, NULL, &error);
    g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_TOO_LARGE);
    g_assert_null (other);
  }

  g_unlink (path);
}

static void
test_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "input", "dsn.eml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/bounce.eml");
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceInput) input = bounce_input_new_from_file (file, NULL, &error);
  g_autoptr(BounceInput) none = NULL;

  g_assert_no_error (error);
  check_invariants (input);
  g_assert_cmpuint (message_at (input, 0)->dsn_groups->len, ==, 3);

  none = bounce_input_new_from_file (missing, NULL, &error);
  g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "/nonexistent/bounce.eml"));
  g_assert_null (none);
}

/* A device or a FIFO has no size to check first: it is read in chunks and
 * refused as soon as it passes the limit (reading /dev/zero whole ran out
 * of memory after gigabytes).  The subprocess runs with a memory limit,
 * so reading without a bound fails fast there. */
static void
test_file_unbounded (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GFile) zero = g_file_new_for_path ("/dev/zero");
      g_autoptr(GError) error = NULL;
      g_autoptr(BounceInput) input = NULL;
#if !defined(__SANITIZE_ADDRESS__)
      struct rlimit limit = { 1024 * 1024 * 1024, 1024 * 1024 * 1024 };

      setrlimit (RLIMIT_AS, &limit);
#endif
      input = bounce_input_new_from_file (zero, NULL, &error);
      g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_TOO_LARGE);
      g_assert_null (input);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_cancelled (void)
{
  gsize length;
  g_autofree char *contents = read_sample ("dsn.eml", &length);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceInput) input = NULL;

  g_cancellable_cancel (cancellable);
  input = bounce_input_new_from_bytes (bytes, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (input);
}

/* bounce_input_plain_header_value(): where it gives a value, GMime's
 * g_mime_header_get_value() gives the same (every header of every part of
 * the corpus files and of a message with folds, tabs, CR LF and white space
 * at the ends); NULL for an encoded word, 8-bit bytes and control
 * characters, which GMime decodes. */
static guint plain_values;

static void
check_plain_headers (GMimeObject *object)
{
  GMimeHeaderList *list = g_mime_object_get_header_list (object);

  for (int i = 0; list != NULL && i < g_mime_header_list_get_count (list); i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (list, i);
      const char *raw = g_mime_header_get_raw_value (header);
      g_autofree char *plain = raw != NULL ? bounce_input_plain_header_value (raw) : NULL;

      if (plain == NULL)
        continue;
      g_assert_cmpstr (plain, ==, g_mime_header_get_value (header));
      plain_values++;
    }
}

static void
check_plain_part (GMimeObject *parent,
                  GMimeObject *part,
                  gpointer     data)
{
  check_plain_headers (part);
  if (GMIME_IS_MESSAGE_PART (part))
    {
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (part));

      if (inner != NULL)
        {
          check_plain_headers (GMIME_OBJECT (inner));
          g_mime_message_foreach (inner, check_plain_part, NULL);
        }
    }
}

static void
check_plain_message (const char *data,
                     gsize       len)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (data, len);
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

  if (message != NULL)
    {
      check_plain_headers (GMIME_OBJECT (message));
      g_mime_message_foreach (message, check_plain_part, NULL);
      g_object_unref (message);
    }
  g_object_unref (parser);
  g_object_unref (stream);
}

static void
test_plain_header_value (void)
{
  static const char folded[] =
    "From: Mail Delivery System <MAILER-DAEMON@example.org>\r\n"
    "Subject:   Undelivered\r\n\tMail  Returned\t to Sender  \r\n"
    "X-Two-Folds: a\r\n  b\n\tc\r\n \r\n"
    "X-Empty:\r\n"
    "X-Spaces:   \t \r\n"
    "Received: from mx.example.org (mx.example.org [192.0.2.1])\n\tby relay; Mon, 7 Dec 2026 01:00:00 +0000\n"
    "\r\n"
    "Body\r\n";
  static const char * const others[] = {
    "=?UTF-8?Q?caf=C3=A9?=", "caf\xc3\xa9", "a\x01" "b", "a\fb", "x =?iso-8859-1?q?a?=",
  };
  g_autoptr(GPtrArray) texts = corpus_read_texts (corpus_all_dirs);

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    g_assert_null (bounce_input_plain_header_value (others[i]));
  {
    g_autofree char *unfolded = bounce_input_plain_header_value (" a\r\n\tb = c? \r\n");

    g_assert_cmpstr (unfolded, ==, "a\tb = c?");
  }

  plain_values = 0;
  check_plain_message (folded, sizeof folded - 1);
  g_assert_cmpuint (plain_values, ==, 6);
  for (guint i = 0; i < texts->len; i++)
    check_plain_message (((CorpusText *) texts->pdata[i])->contents, ((CorpusText *) texts->pdata[i])->length);
  g_assert_cmpuint (texts->len, >, 400);
  g_assert_cmpuint (plain_values, >, 10000);
}

/* The header lines of the decoded text: a plain value (its cleaning is
 * cheaper than clean_value()'s, which the others go through) reads as the
 * value GMime decodes, tabs and folds made single spaces, ends trimmed. */
static void
test_plain_header_lines (void)
{
  static const char message[] =
    "From: Mail Delivery System <MAILER-DAEMON@example.org>\r\n"
    "Subject:   Undelivered\r\n\tMail  Returned\t to Sender  \r\n"
    "X-Two-Folds: a\r\n  b\n\tc\r\n \r\n"
    "X-Tabs:\tone\t\ttwo\t\r\n"
    "X-Encoded: =?UTF-8?Q?caf=C3=A9?=\tau\r\n lait\r\n"
    "\r\n"
    "Body\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (message, sizeof message - 1);
  g_autoptr(BounceInput) input = bounce_input_new_from_bytes (bytes, NULL, NULL);
  const char *text;

  g_assert_nonnull (input);
  text = bounce_input_get_text (input);
  g_assert_nonnull (strstr (text, "From: Mail Delivery System <MAILER-DAEMON@example.org>\n"));
  g_assert_nonnull (strstr (text, "Subject: Undelivered Mail  Returned  to Sender\n"));
  g_assert_nonnull (strstr (text, "X-Two-Folds: a  b c\n"));
  g_assert_nonnull (strstr (text, "X-Tabs: one  two\n"));
  g_assert_nonnull (strstr (text, "X-Encoded: caf\xc3\xa9 au lait\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();

  g_test_add_func ("/input/fragment", test_fragment);
  g_test_add_func ("/input/fragment-header-like", test_fragment_header_like);
  g_test_add_func ("/input/dsn", test_dsn);
  g_test_add_func ("/input/line-endings", test_line_endings);
  g_test_add_func ("/input/rfc2047", test_rfc2047);
  g_test_add_func ("/input/plain-header-value", test_plain_header_value);
  g_test_add_func ("/input/plain-header-lines", test_plain_header_lines);
  g_test_add_func ("/input/latin1-part", test_latin1_part);
  g_test_add_func ("/input/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/input/unlabelled-japanese", test_unlabelled_japanese);
  g_test_add_func ("/input/global-dsn", test_global_dsn);
  g_test_add_func ("/input/html-only", test_html_only);
  g_test_add_func ("/input/html-pre", test_html_pre);
  g_test_add_func ("/input/alternative-prefers-plain", test_alternative_prefers_plain);
  g_test_add_func ("/input/mbox", test_mbox);
  g_test_add_func ("/input/feedback-report", test_feedback_report);
  g_test_add_func ("/input/plain-text-copy", test_plain_text_copy);
  g_test_add_func ("/input/unmarked-copy", test_unmarked_copy);
  g_test_add_func ("/input/marker-lines", test_marker_lines);
  g_test_add_func ("/input/rule-marker-lines", test_rule_marker_lines);
  g_test_add_func ("/input/rfc822-base64", test_rfc822_base64);
  g_test_add_func ("/input/dsn-in-text", test_dsn_in_text);
  g_test_add_func ("/input/report-third-part-text", test_report_third_part_text);
  g_test_add_func ("/input/transfer-encoded", test_transfer_encoded);
  g_test_add_func ("/input/hostile/empty", test_empty);
  g_test_add_func ("/input/hostile/binary", test_binary);
  g_test_add_func ("/input/hostile/nul-bytes", test_nul_bytes);
  g_test_add_func ("/input/hostile/long-line", test_long_line);
  g_test_add_func ("/input/hostile/long-header", test_long_header);
  g_test_add_func ("/input/hostile/unfolded-parameter", test_unfolded_parameter);
  g_test_add_func ("/input/hostile/invalid-header-name", test_invalid_header_name);
  g_test_add_func ("/input/hostile/truncated-mime", test_truncated_mime);
  g_test_add_func ("/input/hostile/nested-multiparts", test_nested_multiparts);
  g_test_add_func ("/input/hostile/too-large", test_too_large);
  g_test_add_func ("/input/file", test_file);
  g_test_add_func ("/input/file-unbounded", test_file_unbounded);
  g_test_add_func ("/input/cancelled", test_cancelled);

  return g_test_run ();
}
