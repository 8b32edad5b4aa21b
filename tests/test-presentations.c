/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"

/* The same bounce handed over another way gives the same answer: forwarded
 * as an attachment (every bounce of the corpus), quoted with "> " in a
 * reply, forwarded inline by a mail program.  (bench-presentations measures
 * the same over the whole corpus for ten presentations.) */

typedef struct {
  guint n;
  GPtrArray *lines;  /* "address status reason hard" per recipient */
  BounceKind kind;
} Answer;

static void
answer_clear (Answer *a)
{
  g_clear_pointer (&a->lines, g_ptr_array_unref);
}

static void
answer_of (GBytes *bytes,
           Answer *a)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, NULL, NULL, &error);
  GListModel *recipients;

  g_assert_no_error (error);
  a->lines = g_ptr_array_new_with_free_func (g_free);
  a->kind = bounce_report_get_kind (report);
  recipients = bounce_report_get_recipients (report);
  a->n = g_list_model_get_n_items (recipients);
  for (guint i = 0; i < a->n; i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, i);

      g_ptr_array_add (a->lines, g_strdup_printf ("%s %s %s %s", bounce_recipient_get_address (r),
                                                  bounce_recipient_get_status (r),
                                                  bounce_recipient_get_reason (r),
                                                  bounce_recipient_get_hard_bounce (r) ? "hard" : "soft"));
    }
}

/* Empty when both give the same answer, else what differs. */
static char *
answer_diff (const Answer *orig,
             const Answer *got)
{
  if (orig->kind != got->kind)
    return g_strdup_printf ("kind %d -> %d", orig->kind, got->kind);
  if (orig->n != got->n)
    return g_strdup_printf ("%u recipients -> %u", orig->n, got->n);
  for (guint i = 0; i < orig->n; i++)
    if (!g_str_equal (orig->lines->pdata[i], got->lines->pdata[i]))
      return g_strdup_printf ("%s -> %s", (char *) orig->lines->pdata[i], (char *) got->lines->pdata[i]);
  return NULL;
}

static GBytes *
text_bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* "Forward as attachment": the bounce whole, as message/rfc822, in a new
 * message with a line of the user's own. */
static GBytes *
forward_attached (GBytes *original)
{
  GString *m = g_string_new ("From: Carol User <carol@example.com>\n"
                             "To: Helpdesk <helpdesk@example.com>\n"
                             "Subject: Fwd: my mail did not arrive\n"
                             "Date: Tue, 2 May 2023 09:00:00 +0200\n"
                             "MIME-Version: 1.0\n"
                             "Content-Type: multipart/mixed; boundary=\"=_fwd_4d2e\"\n"
                             "\n"
                             "--=_fwd_4d2e\n"
                             "Content-Type: text/plain; charset=UTF-8\n"
                             "\n"
                             "Could you look at the attached message? 550 of my mails bounce.\n"
                             "\n"
                             "--=_fwd_4d2e\n"
                             "Content-Type: message/rfc822\n"
                             "Content-Disposition: attachment; filename=\"bounce.eml\"\n"
                             "\n");

  g_string_append_len (m, g_bytes_get_data (original, NULL), g_bytes_get_size (original));
  if (m->str[m->len - 1] != '\n')
    g_string_append_c (m, '\n');
  g_string_append (m, "--=_fwd_4d2e--\n");
  return g_string_free_to_bytes (m);
}

/* Every bounce of the corpus, forwarded as an attachment, gives the
 * original's recipients, statuses, reasons and hard/soft flags. */
static void
test_forward_attached_corpus (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "corpus", "eml", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint files = 0, differ = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *diff = NULL;
      g_autoptr(GBytes) original = NULL;
      g_autoptr(GBytes) wrapped = NULL;
      Answer orig = { 0 }, got = { 0 };
      char *contents;
      gsize len;

      if (!g_str_has_suffix (name, ".eml") || !g_file_get_contents (path, &contents, &len, NULL))
        continue;
      original = g_bytes_new_take (contents, len);
      /* an mbox of several bounces is no one message to forward */
      {
        g_autoptr(BounceInput) input = bounce_input_new_from_bytes (original, NULL, NULL);

        if (input == NULL || bounce_input_get_messages (input)->len != 1)
          continue;
      }
      wrapped = forward_attached (original);
      answer_of (original, &orig);
      answer_of (wrapped, &got);
      diff = answer_diff (&orig, &got);
      files++;
      if (diff != NULL)
        {
          differ++;
          g_test_message ("%s forwarded as attachment: %s", name, diff);
        }
      answer_clear (&orig);
      answer_clear (&got);
    }
  g_assert_cmpuint (files, >, 300);
  if (differ > 0)
    g_test_fail_printf ("%u of %u bounces read differently forwarded as an attachment", differ, files);
}

/* A message that is not a bounce, forwarded as an attachment, stays what
 * it is; the wrapper's own text is read when the attachment says nothing. */
static void
test_forward_attached_not_bounce (void)
{
  g_autoptr(GBytes) plain = text_bytes ("From: Dave <dave@example.org>\n"
                                        "To: Carol <carol@example.com>\n"
                                        "Subject: lunch\n"
                                        "Date: Mon, 1 May 2023 10:00:00 +0200\n"
                                        "\n"
                                        "See you at noon.\n");
  g_autoptr(GBytes) wrapped = forward_attached (plain);
  Answer got = { 0 };

  answer_of (wrapped, &got);
  g_assert_cmpint (got.kind, ==, BOUNCE_KIND_NOT_BOUNCE);
  g_assert_cmpuint (got.n, ==, 0);
  answer_clear (&got);
}

static const char postfix_text[] =
  "This is the mail system at host mail.example.org.\n"
  "\n"
  "I'm sorry to have to inform you that your message could not\n"
  "be delivered to one or more recipients. It's attached below.\n"
  "\n"
  "                   The mail system\n"
  "\n"
  "<bob@example.net>: host mx.example.net[192.0.2.7] said: 550 5.1.1\n"
  "    <bob@example.net>: Recipient address rejected: User unknown in local\n"
  "    recipient table (in reply to RCPT TO command)\n"
  "\n"
  "<eve@example.net>: host mx.example.net[192.0.2.7] said: 452 4.2.2\n"
  "    <eve@example.net>: Mailbox full (in reply to RCPT TO command)\n";

static const char exim_text[] =
  "This message was created automatically by mail delivery software.\n"
  "\n"
  "A message that you sent could not be delivered to one or more of its\n"
  "recipients. This is a permanent error. The following address(es) failed:\n"
  "\n"
  "  frank@example.net\n"
  "    host mx.example.net [192.0.2.9]\n"
  "    SMTP error from remote mail server after RCPT TO:<frank@example.net>:\n"
  "    550 5.2.1 The email account that you tried to reach is disabled.\n";

/* Exim's text for a message it relayed (its "A message sent by" form), with
 * the copy of the returned message after its marker line. */
static const char exim_relayed_text[] =
  "This message was created automatically by mail delivery software.\n"
  "\n"
  "A message sent by\n"
  "\n"
  "  <alice@example.com>\n"
  "\n"
  "could not be delivered to one or more of its recipients. The following\n"
  "address(es) failed:\n"
  "\n"
  "  frank@example.net\n"
  "    (ultimately generated from info@example.net)\n"
  "    all hosts have been failing for a long time and were last tried after this message arrived\n"
  "\n"
  "------ This is a copy of the message, including all the headers. ------\n"
  "\n"
  "Return-path: <alice@example.com>\n"
  "From: Alice <alice@example.com>\n"
  "To: info@example.net\n"
  "Subject: report\n"
  "\n"
  "Hello\n";

/* Each line of text behind "> " (">" alone on an empty line), after an
 * attribution line, in a reply with headers of its own. */
static GBytes *
quoted_reply (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *m = g_string_new ("From: Carol User <carol@example.com>\n"
                             "To: Helpdesk <helpdesk@example.com>\n"
                             "Subject: Re: Undelivered Mail Returned to Sender\n"
                             "Date: Tue, 2 May 2023 09:00:00 +0200\n"
                             "\n"
                             "What does this mean?\n"
                             "\n"
                             "On Mon, 1 May 2023 10:12:13 +0200, Mail Delivery System wrote:\n");

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i + 1] != NULL || lines[i][0] != '\0')
      g_string_append_printf (m, lines[i][0] ? "> %s\n" : ">\n", lines[i]);
  return g_string_free_to_bytes (m);
}

static void
check_same (GBytes     *original,
            GBytes     *presented,
            const char *what)
{
  Answer orig = { 0 }, got = { 0 };
  g_autofree char *diff = NULL;

  answer_of (original, &orig);
  answer_of (presented, &got);
  g_assert_cmpuint (orig.n, >, 0);
  diff = answer_diff (&orig, &got);
  if (diff != NULL)
    g_test_fail_printf ("%s: %s", what, diff);
  answer_clear (&orig);
  answer_clear (&got);
}

/* A bounce quoted in a reply reads as the bounce pasted alone. */
static void
test_quoted_reply (void)
{
  const char *texts[] = { postfix_text, exim_text, exim_relayed_text };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) original = text_bytes (texts[i]);
      g_autoptr(GBytes) quoted = quoted_reply (texts[i]);
      g_autofree char *pasted_text = NULL;
      g_autoptr(GBytes) pasted = NULL;
      GString *q = g_string_new (NULL);
      g_auto(GStrv) lines = g_strsplit (texts[i], "\n", -1);

      check_same (original, quoted, "quoted in a reply");
      /* the quoted lines alone, pasted (">" with and without a space) */
      for (guint l = 0; lines[l] != NULL; l++)
        g_string_append_printf (q, l % 2 ? "> %s\n" : ">%s\n", lines[l]);
      pasted_text = g_string_free (q, FALSE);
      pasted = text_bytes (pasted_text);
      check_same (original, pasted, "quoted lines pasted");
    }
}

/* One or two quoted lines (a server quoting a command, ">>> RCPT TO") are
 * not a reply: the text stays as it is. */
static void
test_quoted_few_lines_kept (void)
{
  const char *text = "... while talking to mx.example.net.:\n"
                     ">>> RCPT To:<gina@example.net>\n"
                     "<<< 550 5.1.1 <gina@example.net>... User unknown\n";
  g_autoptr(GBytes) bytes = text_bytes (text);
  g_autoptr(BounceInput) input = bounce_input_new_from_bytes (bytes, NULL, NULL);

  g_assert_nonnull (input);
  g_assert_nonnull (strstr (bounce_input_get_text (input), ">>> RCPT To:<gina@example.net>"));
}

/* The notice of a mailing-list manager (fml): without its headers a
 * person's message quoting it is no bounce, with the forwarded header
 * fields it is one. */
static const char fml_text[] =
  "You are not a member of this mailing list <cats@lists.example.org>.\n"
  "\n"
  "If you know the general guide of this list, please send mail with\n"
  "the mail body\n"
  "\n"
  "\tguide\n"
  "\n"
  "to the address\n"
  "\n"
  "\tcats-ctl@lists.example.org\n";

/* Forwarded inline, as Thunderbird, Outlook, Gmail and Apple Mail write it
 * (Apple Mail quotes the forwarded message with "> "). */
static GBytes *
forward_inline (guint       style,
                const char *subject,
                const char *from,
                const char *text)
{
  GString *m = g_string_new (NULL);

  g_string_append_printf (m, "From: Carol User <carol@example.com>\n"
                          "To: Helpdesk <helpdesk@example.com>\n"
                          "Subject: Fwd: %s\n"
                          "Date: Tue, 2 May 2023 09:00:00 +0200\n"
                          "\n"
                          "Why did this happen?\n"
                          "\n", subject);
  switch (style)
    {
    case 0:
      g_string_append_printf (m, "-------- Forwarded Message --------\nSubject: \t%s\n"
                              "Date: \tMon, 1 May 2023 10:12:13 +0200\nFrom: \t%s\n"
                              "To: \tcarol@example.com\n\n\n%s", subject, from, text);
      break;
    case 1:
      g_string_append_printf (m, "________________________________\nFrom: %s\n"
                              "Sent: Monday, May 1, 2023 10:12 AM\nTo: carol@example.com\n"
                              "Subject: %s\n\n%s", from, subject, text);
      break;
    case 2:
      g_string_append_printf (m, "---------- Forwarded message ---------\nFrom: %s\n"
                              "Date: Mon, May 1, 2023 at 10:12 AM\nSubject: %s\n"
                              "To: <carol@example.com>\n\n\n%s", from, subject, text);
      break;
    default:
      {
        g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

        g_string_append_printf (m, "Begin forwarded message:\n\n> From: %s\n"
                                "> Date: 1 May 2023 10:12:13 GMT+2\n> To: carol@example.com\n"
                                "> Subject: %s\n>\n", from, subject);
        for (guint i = 0; lines[i] != NULL; i++)
          if (lines[i + 1] != NULL || lines[i][0] != '\0')
            g_string_append_printf (m, lines[i][0] ? "> %s\n" : ">\n", lines[i]);
      }
      break;
    }
  return g_string_free_to_bytes (m);
}

/* A notice forwarded inline reads as the notice with its headers. */
static void
test_forward_inline (void)
{
  const char *subject = "NOT MEMBER article from carol@example.com";
  const char *from = "list-admin@lists.example.org";
  g_autofree char *with_headers = g_strdup_printf ("From: %s\nTo: carol@example.com\nSubject: %s\n"
                                                   "Date: Mon, 1 May 2023 10:12:13 +0200\n\n%s",
                                                   from, subject, fml_text);
  g_autoptr(GBytes) original = text_bytes (with_headers);
  g_autoptr(GBytes) pasted = text_bytes (fml_text);

  check_same (original, pasted, "the notice pasted");
  for (guint style = 0; style < 4; style++)
    {
      g_autoptr(GBytes) forwarded = forward_inline (style, subject, from, fml_text);
      g_autofree char *what = g_strdup_printf ("forwarded inline, style %u", style);

      check_same (original, forwarded, what);
    }
}

/* An ordinary message forwarded inline is still no bounce, and a marker
 * line without header fields after it is text like any other. */
static void
test_forward_inline_not_bounce (void)
{
  g_autoptr(GBytes) forwarded = forward_inline (0, "lunch", "Dave <dave@example.org>",
                                                "See you at noon; room 550, second floor.\n");
  g_autoptr(GBytes) bare = text_bytes ("From: Carol <carol@example.com>\nTo: Dave <dave@example.org>\n"
                                       "Subject: notes\n\n-------- Original Message --------\n"
                                       "nothing to see here\n");
  Answer got = { 0 };

  answer_of (forwarded, &got);
  g_assert_cmpint (got.kind, ==, BOUNCE_KIND_NOT_BOUNCE);
  answer_clear (&got);
  answer_of (bare, &got);
  g_assert_cmpint (got.kind, ==, BOUNCE_KIND_NOT_BOUNCE);
  answer_clear (&got);
}

/* A whole report pasted: the delivery-status fields come after the
 * notice's "copy of the original message" line (OpenSMTPD's order, its
 * parts shown one after the other); they are the report's, and the
 * returned message's headers after them are still the original's. */
static void
test_pasted_report_after_marker (void)
{
  g_autoptr(GBytes) pasted = text_bytes (
    "This is the MAILER-DAEMON, please DO NOT REPLY to this email.\n"
    "\n"
    "A message is delayed for more than 4 hours for the following\n"
    "list of recipients:\n"
    "\n"
    "ivan@example.net: Connection refused\n"
    "\n"
    "Below is a copy of the original message:\n"
    "\n"
    "Reporting-MTA: dns; mail.example.org\n"
    "\n"
    "Final-Recipient: rfc822; ivan@example.net\n"
    "Action: delayed\n"
    "Status: 4.4.1\n"
    "\n"
    "Received: from mail.example.org (localhost [127.0.0.1])\n"
    "\tby mail.example.org with ESMTP id 1a2b3c4d\n"
    "From: Alice <alice@example.com>\n"
    "To: judy@example.org\n"
    "Subject: minutes\n"
    "\n"
    "Hello\n");
  g_autoptr(BounceInput) input = bounce_input_new_from_bytes (pasted, NULL, NULL);
  BounceMessage *m = g_ptr_array_index (bounce_input_get_messages (input), 0);
  Answer got = { 0 };

  g_assert_nonnull (m->original_headers);
  g_assert_cmpstr (bounce_fields_lookup (m->original_headers, "To"), ==, "judy@example.org");
  answer_of (pasted, &got);
  g_assert_cmpint (got.kind, ==, BOUNCE_KIND_DELAY);
  g_assert_cmpuint (got.n, ==, 1);
  g_assert_true (g_str_has_prefix (got.lines->pdata[0], "ivan@example.net 4.4.1 "));
  answer_clear (&got);
}

/* The first text part of a Postfix notice alone: the failure template
 * says the message was returned, so a last 4xx reply is final there; the
 * delay template's 4xx reply is still being retried. */
static void
test_pasted_postfix_templates (void)
{
  static const char records[] =
    "                   The mail system\n"
    "\n"
    "<kim@example.org>: host mx.example.org[192.0.2.4] said: 450 4.2.0\n"
    "    <kim@example.org>: Recipient address rejected: try again later (in\n"
    "    reply to RCPT TO command)\n";
  g_autofree char *failure = g_strconcat ("This is the mail system at host mail.example.com.\n\n"
                                          "I'm sorry to have to inform you that your message could not\n"
                                          "be delivered to one or more recipients. It's attached below.\n\n",
                                          records, NULL);
  g_autofree char *delay = g_strconcat ("This is the mail system at host mail.example.com.\n\n"
                                        "####### THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #######\n\n"
                                        "Your message could not be delivered for more than 4 hour(s).\n"
                                        "It will be retried until it is 5 day(s) old.\n\n",
                                        records, NULL);
  g_autoptr(GBytes) failure_bytes = text_bytes (failure);
  g_autoptr(GBytes) delay_bytes = text_bytes (delay);
  Answer got = { 0 };

  answer_of (failure_bytes, &got);
  g_assert_cmpint (got.kind, ==, BOUNCE_KIND_FAILURE);
  answer_clear (&got);
  answer_of (delay_bytes, &got);
  g_assert_cmpint (got.kind, ==, BOUNCE_KIND_DELAY);
  answer_clear (&got);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();

  g_test_add_func ("/presentations/forward-attached/corpus", test_forward_attached_corpus);
  g_test_add_func ("/presentations/forward-attached/not-a-bounce", test_forward_attached_not_bounce);
  g_test_add_func ("/presentations/forward-inline/notice", test_forward_inline);
  g_test_add_func ("/presentations/forward-inline/not-a-bounce", test_forward_inline_not_bounce);
  g_test_add_func ("/presentations/pasted/report-after-copy-marker", test_pasted_report_after_marker);
  g_test_add_func ("/presentations/pasted/postfix-templates", test_pasted_postfix_templates);
  g_test_add_func ("/presentations/quoted/reply", test_quoted_reply);
  g_test_add_func ("/presentations/quoted/few-lines-kept", test_quoted_few_lines_kept);
  return g_test_run ();
}
