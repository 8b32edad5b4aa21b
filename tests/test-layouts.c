/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"
#include "bounce-layouts.h"
#include "bounce-layout.h"
#include "layout-samples.h"

/* Samples written for these tests: each follows one server's layout with
 * made-up hosts and addresses. */

static GPtrArray *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceInput) input = bounce_input_new_from_text (text, -1, &error);

  g_assert_no_error (error);
  return bounce_layouts_parse_text (input, 0);
}

static BounceFact *
nth (GPtrArray *list,
     guint      i)
{
  g_assert_nonnull (list);
  g_assert_cmpuint (i, <, list->len);
  return list->pdata[i];
}

/* RFC 5321 4.1.2 (and RFC 5322 3.4.1): a local part may be a quoted string,
 * blanks and all; the layouts that read "an address alone" take it whole
 * instead of losing the recipient, and bounce_mem_has_unquoted() is what
 * they ask. */
static void
test_quoted_local_part (void)
{
  static const struct {
    const char *layout;
    const char *text;
  } samples[] = {
    { "postfix",
      "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
      "Subject: Undelivered Mail Returned to Sender\n"
      "\n"
      "This is the mail system at host mx.example.org.\n"
      "\n"
      "I'm sorry to have to inform you that your message could not\n"
      "be delivered to one or more recipients. It's attached below.\n"
      "\n"
      "                   The mail system\n"
      "\n"
      "<\"john smith\"@example.net>: host mx.example.net[192.0.2.7] said: 550 5.1.1\n"
      "    <\"john smith\"@example.net>... User unknown (in reply to RCPT TO command)\n" },
    { "exim",
      "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
      "Subject: Mail delivery failed: returning message to sender\n"
      "\n"
      "This message was created automatically by mail delivery software.\n"
      "\n"
      "A message that you sent could not be delivered to one or more of its\n"
      "recipients. This is a permanent error. The following address(es) failed:\n"
      "\n"
      "  \"john smith\"@example.net\n"
      "    SMTP error from remote mail server after RCPT TO:<\"john smith\"@example.net>:\n"
      "    550 5.1.1 User unknown\n" },
    { "qmail",
      "From: MAILER-DAEMON@mx.example.org\n"
      "Subject: failure notice\n"
      "\n"
      "Hi. This is the qmail-send program at mx.example.org.\n"
      "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
      "This is a permanent error; I've given up. Sorry it didn't work out.\n"
      "\n"
      "<\"john smith\"@example.net>:\n"
      "192.0.2.7 does not like recipient.\n"
      "Remote host said: 550 no such mailbox here\n"
      "Giving up on 192.0.2.7.\n" },
    { "domino",
      "Subject: DELIVERY FAILURE: User john smith not listed in Domino Directory\n"
      "\n"
      "Your message\n"
      "\n"
      "  Subject: lunch\n"
      "\n"
      "was not delivered to:\n"
      "\n"
      "  \"john smith\"@example.net\n"
      "\n"
      "because:\n"
      "\n"
      "  User john smith (\"john smith\"@example.net) not listed in Domino Directory\n" },
    { "sendmail",
      "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
      "Subject: Returned mail: Host unknown (Name server: example.net: host not found)\n"
      "\n"
      "   ----- Transcript of session follows -----\n"
      "550 example.net (smtp)... 550 Host unknown\n"
      "554 <\"john smith\"@example.net>... 550 Host unknown (Authoritative answer from name server)\n" },
    { "imailserver",
      "X-Mailer: <SMTP32 v8.22>\n"
      "Subject: Undeliverable Mail\n"
      "\n"
      "Unknown user: \"john smith\"@example.net\n"
      "\n"
      "\n"
      "Original message follows.\n" },
    { "exchange2003",
      "X-Mailer: Internet Mail Service (5.5.1960.3)\n"
      "Subject: Undeliverable: lunch\n"
      "\n"
      "Your message\n"
      "\n"
      "  To:      bob@example.org\n"
      "  Subject: lunch\n"
      "  Sent:    Thu, 29 Apr 2010 00:00:00 -0000\n"
      "\n"
      "did not reach the following recipient(s):\n"
      "\n"
      "\"john smith\"@example.net on Thu, 29 Apr 2010 00:00:00 -0000\n"
      "    The recipient name is not recognized\n" },
    { "messagelabs",
      "From: Mail Delivery System <MAILER-DAEMON@messagelabs.com>\n"
      "Subject: Mail Delivery Failure\n"
      "X-Msg-Ref: server-1.tower-2.messagelabs.com!1793800000!1234567!1\n"
      "\n"
      "This is the mail delivery agent at Symantec Email Security.cloud.\n"
      "\n"
      "I was unable to deliver your message to the following addresses:\n"
      "\n"
      "\"john smith\"@example.net\n"
      "\n"
      "Reason: 550 No such user\n"
      "\n"
      "The message subject was: lunch\n" },
    { "mimecast",
      "From: Postmaster <postmaster@example.org>\n"
      "Subject: [Postmaster] Email Delivery Failure\n"
      "Message-Id: <0123456789-1793800000000@eu-mta-12.eu.mimecast.lan>\n"
      "\n"
      "An email that you attempted to send to the following address could not be delivered:\n"
      "-- \"john smith\"@example.net\n"
      "\n"
      "The problem appears to be :\n"
      "-- Recipient email address is possibly incorrect\n"
      "\n"
      "Additional information follows :\n"
      "-- 5.4.1 Recipient address rejected: Access denied.\n" },
    { "mfilter",
      "From: MAILER-DAEMON@gw.example.org\n"
      "Subject: failure notice\n"
      "X-Mailer: m-FILTER\n"
      "\n"
      "\xe4\xbb\xa5\xe4\xb8\x8b\xe3\x81\xae\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\xe3\x82\xa2\xe3\x83\x89\xe3\x83\xac\xe3\x82\xb9\xe3\x81\xb8\xe3\x81\xae\xe9\x80\x81\xe4\xbf\xa1\xe3\x81\xab\xe5\xa4\xb1\xe6\x95\x97\xe3\x81\x97\xe3\x81\xbe\xe3\x81\x97\xe3\x81\x9f\xe3\x80\x82\n"
      "\"john smith\"@example.net\n"
      "\n"
      "\n"
      "-------server message\n"
      "550 5.1.1 User unknown\n"
      "\n"
      "-------SMTP command\n"
      "RCPT\n" },
    { "notes",
      "From: Mail Router <postmaster@notes.example.org>\n"
      "Subject: Undeliverable message\n"
      "\n"
      "------- Failure Reasons  --------\n"
      "\n"
      "User not listed in public Name & Address Book\n"
      "\"john smith\"@example.net\n" },
    { "mailmarshal",
      "From: postmaster@relay.example.org\n"
      "Subject: Undeliverable Mail: \"lunch\"\n"
      "\n"
      "Your message:\n"
      "   From:    alice@example.org\n"
      "   Subject: lunch\n"
      "\n"
      "Could not be delivered because of\n"
      "\n"
      "550 5.1.1 User unknown\n"
      "\n"
      "The following recipients were affected:\n"
      "    \"john smith\"@example.net\n"
      "\n"
      "Additional Information\n" },
    { "citadel",
      "From: Citadel <postmaster@bbs.example.org>\n"
      "Subject: Delivery Status Notification (Failure)\n"
      "X-Mailer: Citadel\n"
      "\n"
      "A message you sent could not be delivered to some or all of its recipients.\n"
      "The following addresses were undeliverable:\n"
      "\n"
      " \"john smith\"@example.net: 550 5.1.1 User unknown\n" },
    { "au",
      "From: Postmaster@ezweb.ne.jp\n"
      "Subject: Mail System Error - Returned Mail\n"
      "\n"
      "Each of the following recipients was rejected by a remote mail server.\n"
      "\n"
      "    Recipient: <\"john smith\"@example.net>\n"
      "    >>> RCPT TO:<\"john smith\"@example.net>\n"
      "    <<< 550 User unknown\n" },
    { "deutsche-telekom",
      "From: Mail Delivery System <Mailer-Daemon@t-online.de>\n"
      "Subject: mail failed, returning to sender\n"
      "\n"
      "|------------------------- Failed addresses follow: ---------------------|\n"
      " <\"john smith\"@example.net>\n"
      "   552 5.2.2 Quota exceeded (mailbox for user is full)\n"
      "|------------------------- Message text follows: ------------------------|\n" },
    { "deutsche-telekom",
      "From: Mail Delivery System <Mailer-Daemon@t-online.de>\n"
      "Subject: mail failed, returning to sender\n"
      "\n"
      "|------------------------- Message log follows: -------------------------|\n"
      "no valid recipients were found for this message\n"
      "|------------------------- Failed addresses follow: ---------------------|\n"
      " \"john smith\"@example.net ... failed: unknown user\n"
      "|------------------------- Message text follows: ------------------------|\n" },
    { "zoho",
      "From: mailer-daemon@mail.zoho.example\n"
      "Subject: Undelivered Mail Returned to Sender\n"
      "\n"
      "This message was created automatically by mail delivery software.\n"
      "A message that you sent could not be delivered to one or more of its recipients.\n"
      "\n"
      "\"john smith\"@example.net Invalid Address, ERROR_CODE :550, ERROR_CODE :Requested action not taken: mailbox unavailable\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(GPtrArray) list = parse (samples[i].text);

      g_test_message ("%s", samples[i].layout);
      g_assert_cmpstr (nth (list, 0)->layout, ==, samples[i].layout);
      g_assert_cmpstr (nth (list, 0)->address, ==, "\"john smith\"@example.net");
    }

  g_assert_false (bounce_mem_has_unquoted ("\"john smith\"@example.net", 24, " "));
  g_assert_false (bounce_mem_has_unquoted ("\"a\\\" b\"@example.net", 20, " "));
  g_assert_true (bounce_mem_has_unquoted ("\"john\" smith@example.net", 24, " "));
  g_assert_true (bounce_mem_has_unquoted ("bob@example.net <x>", 19, "<>"));
  g_assert_false (bounce_mem_has_unquoted ("bob@example.net", 15, " \t<>"));
}

/* RFC 6533 3: a "utf-8" recipient in a message/delivery-status, which is
 * ASCII, writes what is beyond ASCII as "\x{HEX}" (utf-8-addr-xtext); the
 * address is the one that stands for. */
static void
test_dsn_utf8_xtext (void)
{
  static const char text[] = 
    "From: MAILER-DAEMON@mx.example.org\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n"
    "\n"
    "--b\n"
    "Content-Type: text/plain\n"
    "\n"
    "Your message could not be delivered.\n"
    "\n"
    "--b\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.org\n"
    "\n"
    "Final-Recipient: utf-8; J\\x{F6}rg@b\\x{FC}cher.example\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "\n"
    "Final-Recipient: utf-8; bob\\x{7A}@example.net\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "\n"
    "--b--\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "xtext", NULL, &error);
  GListModel *recipients;
  g_autoptr(BounceRecipient) first = NULL;
  g_autoptr(BounceRecipient) second = NULL;

  g_assert_no_error (error);
  recipients = bounce_report_get_recipients (report);


  g_assert_cmpuint (g_list_model_get_n_items (recipients), ==, 2);
  first = g_list_model_get_item (recipients, 0);
  second = g_list_model_get_item (recipients, 1);
  g_assert_cmpstr (bounce_recipient_get_address (first), ==, "j\xc3\xb6rg@b\xc3\xbc" "cher.example");
  /* (an ASCII character is never written so: the value is left as it is) */
  g_assert_cmpstr (bounce_recipient_get_address (second), ==, "x{7a}@example.net");
}

/* A local part written as an RFC 2047 encoded word, as some servers echo
 * it (RFC 2047 5 (3) forbids it there): lower case would corrupt its
 * base64, so it is kept as written, in the text and in the report alike;
 * the domain is folded (RFC 5321 2.4). */
static void
test_encoded_word_local_part (void)
{
  static const char text[] =
    "From: MAILER-DAEMON@mx.example.org\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n"
    "\n"
    "--b\n"
    "Content-Type: text/plain\n"
    "\n"
    "This is the mail system at host mx.example.org.\n"
    "\n"
    "                   The mail system\n"
    "\n"
    "<=?UTF-8?B?SsO2cmcgU21pdGg=?=@Example.NET>: host mx.example.net[192.0.2.7] said:\n"
    "    550 5.1.1 User unknown (in reply to RCPT TO command)\n"
    "\n"
    "--b\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.org\n"
    "\n"
    "Final-Recipient: rfc822; =?UTF-8?B?SsO2cmcgU21pdGg=?=@Example.NET\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "\n"
    "--b--\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "encoded-word", NULL, &error);
  GListModel *recipients;
  g_autoptr(BounceRecipient) first = NULL;

  g_assert_no_error (error);
  recipients = bounce_report_get_recipients (report);
  g_assert_cmpuint (g_list_model_get_n_items (recipients), ==, 1);
  first = g_list_model_get_item (recipients, 0);
  g_assert_cmpstr (bounce_recipient_get_address (first), ==, "=?UTF-8?B?SsO2cmcgU21pdGg=?=@example.net");
}

static void
test_negative (void)
{
  g_autoptr(GPtrArray) list = parse ("From: alice@example.org\n"
                                     "To: bob@example.net\n"
                                     "Subject: lunch\n"
                                     "\n"
                                     "Hi Bob,\n"
                                     "<carol@example.com>:\n"
                                     "shall we meet at noon? Carol says she is in.\n");

  g_assert_null (list);
}

static void
test_qmail (void)
{
  g_autoptr(GPtrArray) list = parse (
    "From: MAILER-DAEMON@mx.example.org\n"
    "Subject: failure notice\n"
    "\n"
    "Hi. This is the qmail-send program at mx.example.org.\n"
    "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
    "This is a permanent error; I've given up. Sorry it didn't work out.\n"
    "\n"
    "<nobody@example.net>:\n"
    "192.0.2.7 does not like recipient.\n"
    "Remote host said: 550 no such mailbox here\n"
    "Giving up on 192.0.2.7.\n"
    "\n"
    "<late@example.com>:\n"
    "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n"
    "I'm not going to try again; this message has been in the queue too long.\n"
    "\n"
    "--- Below this line is a copy of the message.\n"
    "\n"
    "To: <nobody@example.net>\n");
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 2);
  r = nth (list, 0);
  g_assert_cmpstr (r->layout, ==, "qmail");
  g_assert_cmpstr (r->address, ==, "nobody@example.net");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_RCPT);
  g_assert_cmpstr (r->text, ==,
                   "192.0.2.7 does not like recipient. Remote host said: 550 no such mailbox here "
                   "Giving up on 192.0.2.7.");
  g_assert_null (r->reason);
  r = nth (list, 1);
  g_assert_cmpstr (r->address, ==, "late@example.com");
  g_assert_cmpstr (r->layout_status, ==, "4.4.1");
  g_assert_cmpstr (r->reason, ==, "networkerror");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_NONE);
}

static void
test_qmail_data (void)
{
  g_autoptr(GPtrArray) list = parse (
    "Subject: failure notice\n"
    "\n"
    "Unable to deliver message to the following address(es).\n"
    "\n"
    "<filtered@example.net>:\n"
    "192.0.2.9 failed after I sent the message.\n"
    "Remote host said: 554 message refused by policy\n"
    "\n"
    "--- Original message follows.\n");
  BounceFact *r = nth (list, 0);

  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (r->address, ==, "filtered@example.net");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_DATA);
}

static void
test_bracket_list (void)
{
  g_autoptr(GPtrArray) list = parse (
    "Subject: Returned Mail: undeliverable\n"
    "\n"
    "The original message was received at Mon, 1 Mar 2021 10:00:00 +0900\n"
    "from sender@example.org\n"
    "\n"
    "---The following addresses had delivery errors---\n"
    "\n"
    "first@example.net [Mailbox full]\n"
    "second@example.com [User unknown]\n"
    "\n");
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 2);
  r = nth (list, 0);
  g_assert_cmpstr (r->address, ==, "first@example.net");
  g_assert_cmpstr (r->text, ==, "Mailbox full");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_NONE);
  r = nth (list, 1);
  g_assert_cmpstr (r->address, ==, "second@example.com");
  g_assert_cmpstr (r->text, ==, "User unknown");
}

static void
test_starred_dsn (void)
{
  g_autoptr(GPtrArray) list = parse (
    "Subject: Delivery status notification\n"
    "\n"
    "      This is an automatically generated Delivery Status Notification.\n"
    "\n"
    "Delivery to the following recipients was aborted after 2.0 hour(s):\n"
    "\n"
    "  * someone@example.net\n"
    "\n"
    "======================================\n"
    "            Technical details:\n"
    "\n"
    "SMTP:RCPT host mx.example.net: 550 5.1.1 mailbox not known\n"
    "\n"
    "======================================\n");
  BounceFact *r = nth (list, 0);

  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (r->address, ==, "someone@example.net");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_RCPT);
  g_assert_cmpstr (r->text, ==, "host mx.example.net: 550 5.1.1 mailbox not known");
  /* A server reply is to blame, not the time spent. */
  g_assert_null (r->reason);
}

static void
test_notes (void)
{
  g_autoptr(GPtrArray) list = parse (
    "Subject: Undeliverable message\n"
    "\n"
    "------- Failure Reasons  --------\n"
    "\n"
    "User not listed in public Name & Address Book\n"
    "ghost@example.jp\n"
    "\n"
    "------- Returned Message --------\n"
    "To: ghost@example.jp\n");
  BounceFact *r = nth (list, 0);

  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (r->address, ==, "ghost@example.jp");
  g_assert_cmpstr (r->text, ==, "User not listed in public Name & Address Book");
  g_assert_cmpstr (r->reason, ==, "userunknown");
}

static void
test_interscan (void)
{
  g_autoptr(GPtrArray) list = parse (
    "Subject: Mail could not be delivered\n"
    "\n"
    "Message from InterScan Messaging Security Suite\n"
    "\n"
    "Unable to deliver message to <wrong@example.org> (and other recipients in the same domain). "
    "Please check if address is correct.\n");
  BounceFact *r = nth (list, 0);

  g_assert_cmpstr (r->address, ==, "wrong@example.org");
  g_assert_cmpstr (r->reason, ==, "userunknown");
}

static void
test_fml (void)
{
  g_autoptr(GPtrArray) list = parse (
    "From: list-admin@example.org\n"
    "Subject: NOT MEMBER article from outsider@example.com\n"
    "X-MLServer: fml [fml 4.0]\n"
    "Message-ID: <202101010000.FML12345@example.org>\n"
    "\n"
    "You are not a member of this mailing list <list@example.org>.\n"
    "\n"
    "Original mail as follows:\n"
    "\n"
    "   From: outsider@example.com\n");
  BounceFact *r = nth (list, 0);

  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (r->address, ==, "list@example.org");
  g_assert_cmpstr (r->reason, ==, "rejected");
}

static void
test_fml_post (void)
{
  /* An ordinary post through an fml list is not a refusal notice. */
  g_autoptr(GPtrArray) list = parse (
    "From: member@example.com\n"
    "Subject: [list:00123] meeting notes\n"
    "X-MLServer: fml [fml 4.0]\n"
    "Message-ID: <202101010000.FML12345@example.org>\n"
    "\n"
    "The notes are on the wiki, ask <owner@example.org>.\n");

  g_assert_null (list);
}

static void
test_fml_no_copy (void)
{
  /* Some notices do not return the post. */
  g_autoptr(GPtrArray) list = parse (
    "From: list-admin@example.org\n"
    "Subject: You outsider@example.com are not member (list ML)\n"
    "X-MLServer: fml [fml 4.0]\n"
    "\n"
    "You are not a member of this mailing list <list@example.org>.\n"
    "\n"
    "If you know the general guide of this list, send \"guide\".\n");

  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (nth (list, 0)->reason, ==, "rejected");
}

static void
test_exim (void)
{
  g_autoptr(GPtrArray) list = parse (
    "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
    "Subject: Mail delivery failed: returning message to sender\n"
    "\n"
    EXIM_FAILED_INTRO
    "  nobody@example.net\n"
    "    host mx.example.net [192.0.2.9]\n"
    "    SMTP error from remote mail server after RCPT TO:<nobody@example.net>:\n"
    "    550 5.1.1 no such user\n"
    "  <gone@example.com>: 550 unknown user\n"
    "  far@example.info\n"
    "    Unrouteable address\n"
    "\n"
    "------ This is a copy of the message, including all the headers. ------\n"
    "\n"
    "To: other@example.net\n");
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 3);
  r = nth (list, 0);
  g_assert_cmpstr (r->layout, ==, "exim");
  g_assert_cmpstr (r->address, ==, "nobody@example.net");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_RCPT);
  g_assert_null (r->reason);
  r = nth (list, 1);
  g_assert_cmpstr (r->address, ==, "gone@example.com");
  g_assert_cmpstr (r->text, ==, "550 unknown user");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_NONE);
  r = nth (list, 2);
  g_assert_cmpstr (r->address, ==, "far@example.info");
  g_assert_cmpstr (r->reason, ==, "hostunknown");
}

static void
test_opensmtpd (void)
{
  g_autoptr(GPtrArray) list = parse (
    "Subject: Delivery status notification: failed\n"
    "From: Mailer Daemon <MAILER-DAEMON@mx.example.org>\n"
    "\n"
    OPENSMTPD_INTRO
    "    An error has occurred while attempting to deliver a message for\n"
    "    the following list of recipients:\n"
    "\n"
    "nobody@example.net: 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown\n"
    "someone@gone.example: Domain does not exist\n"
    "\n"
    "    Below is a copy of the original message:\n"
    "\n"
    "To: other@example.com\n");
  BounceFact *r = nth (list, 0);

  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (r->layout, ==, "opensmtpd");
  g_assert_cmpstr (r->address, ==, "nobody@example.net");
  g_assert_true (g_str_has_prefix (r->text, "550 5.1.1 <nobody@example.net>"));
  /* a remote reply: the layout adds no reason of its own, and never names
   * the command */
  g_assert_null (r->reason);
  g_assert_true (r->command_unknown);
  g_assert_null (r->action);
  r = nth (list, 1);
  g_assert_cmpstr (r->address, ==, "someone@gone.example");
  g_assert_cmpstr (r->text, ==, "Domain does not exist");
  g_assert_cmpstr (r->reason, ==, "hostunknown");
}

static void
test_opensmtpd_delay (void)
{
  g_autoptr(GPtrArray) list = parse (
    "Subject: Delivery status notification: warning\n"
    "\n"
    OPENSMTPD_INTRO
    "    A message is delayed for more than 4 hours for the following\n"
    "    list of recipients:\n"
    "\n"
    "slow@example.net: Network error on destination MXs\n"
    "\n"
    "    Please note that this is only a temporary failure report.\n");
  BounceFact *r = nth (list, 0);

  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (r->address, ==, "slow@example.net");
  g_assert_cmpstr (r->action, ==, "delayed");
  g_assert_cmpstr (r->reason, ==, "networkerror");
}

static void
test_exim_local_delivery (void)
{
  {
    /* a pipe command that failed, with what it printed */
    g_autoptr(GPtrArray) list = parse (
      "Subject: Mail delivery failed: returning message to sender\n"
      "\n"
      EXIM_FAILED_INTRO
      "  pipe to |/usr/local/bin/autoreply --config /etc/autoreply\n"
      "    generated by helpdesk@example.net\n"
      "\n"
      "The following text was generated during the delivery attempt:\n"
      "\n"
      "------ pipe to |/usr/local/bin/autoreply --config /etc/autoreply\n"
      "       generated by helpdesk@example.net ------\n"
      "\n"
      "autoreply: cannot open /etc/autoreply: Permission denied\n"
      "\n"
      "------ This is a copy of the message, including all the headers. ------\n");
    BounceFact *r = nth (list, 0);

    g_assert_cmpuint (list->len, ==, 1);
    g_assert_cmpstr (r->address, ==, "helpdesk@example.net");
    g_assert_cmpstr (r->reason, ==, "mailererror");
    g_assert_cmpstr (r->text, ==, "autoreply: cannot open /etc/autoreply: Permission denied");
  }
  {
    /* a file delivery whose "generated by" names no address: the
     * X-Failed-Recipients header does; the route is not the diagnostic */
    g_autoptr(GPtrArray) list = parse (
      "X-Failed-Recipients: bob@example.net\n"
      "Subject: Mail delivery failed: returning message to sender\n"
      "\n"
      EXIM_FAILED_INTRO
      "  save to /var/mail/bob\n"
      "    generated by bob\n"
      "    mailbox is full: retry timeout exceeded\n"
      "\n"
      "------ This is a copy of the message, including all the headers. ------\n");
    BounceFact *r = nth (list, 0);

    g_assert_cmpuint (list->len, ==, 1);
    g_assert_cmpstr (r->address, ==, "bob@example.net");
    g_assert_cmpstr (r->text, ==, "mailbox is full: retry timeout exceeded");
    g_assert_cmpstr (r->reason, ==, "mailboxfull");
    g_assert_true (r->retried);
    g_assert_null (r->pseudo_reason);
  }
  {
    /* an alias: the address it came from is not part of the error */
    g_autoptr(GPtrArray) list = parse (
      "Subject: Mail delivery failed: returning message to sender\n"
      "\n"
      EXIM_FAILED_INTRO
      "  carol@example.net\n"
      "    (ultimately generated from team@example.org)\n"
      "    retry timeout exceeded\n");
    BounceFact *r = nth (list, 0);

    g_assert_cmpstr (r->address, ==, "carol@example.net");
    g_assert_cmpstr (r->text, ==, "retry timeout exceeded");
    g_assert_cmpstr (r->reason, ==, "expired");
  }
}

static void
test_exim_delay (void)
{
  g_autoptr(GPtrArray) list = parse (
    "Subject: Warning: message 1abcde-000123-AB delayed 24 hours\n"
    "\n"
    "This message was created automatically by mail delivery software.\n"
    "A message that you sent has not yet been delivered to one or more of its\n"
    "recipients after more than 24 hours on the queue on mx.example.org.\n"
    "\n"
    "The address to which the message has not yet been delivered is:\n"
    "\n"
    "  slow@example.net\n"
    "    Delay reason: SMTP error from remote mail server after MAIL FROM:<a@example.org>:\n"
    "    451 try again later\n"
    "\n"
    "No action is required on your part.\n");
  BounceFact *r = nth (list, 0);

  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (r->address, ==, "slow@example.net");
  g_assert_cmpstr (r->action, ==, "delayed");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_MAIL);
  /* the reference parsers' code for a refused sender in this layout */
  g_assert_cmpstr (r->pseudo_reason, ==, "onhold");
  g_assert_false (r->retried);
}

/* Exim's notice that it froze a message (src/moan.c, moan_tell_someone()):
 * the frozen sentence opens it and the addresses still to go follow. */
static void
test_exim_frozen (void)
{
  g_autoptr(GPtrArray) list = parse (
    "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
    "Subject: Message frozen\n"
    "\n"
    "Message 1abcde-000123-AB has been frozen (delivery error message).\n"
    "The sender is <>.\n"
    "The following address(es) have yet to be delivered:\n"
    "  bob@example.net: Mailing to remote domains not supported\n"
    "  carol@example.net: forced freeze\n");
  BounceFact *r = nth (list, 0);

  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (r->address, ==, "bob@example.net");
  g_assert_cmpstr (r->action, ==, "delayed");
  g_assert_nonnull (strstr (r->text, "Mailing to remote domains not supported"));
  g_assert_cmpstr (r->reason, ==, "expired");
  r = nth (list, 1);
  g_assert_cmpstr (r->address, ==, "carol@example.net");
  g_assert_cmpstr (r->reason, ==, "expired");
}

/* Exim's notice of errors a redirect router skipped in a forward file
 * (src/moan.c, moan_skipped_syntax_errors()): the address each error
 * quotes, the error's words for the reason. */
static void
test_exim_router_errors (void)
{
  g_autoptr(GPtrArray) list = parse (
    "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
    "Subject: error(s) in forwarding or filtering\n"
    "\n"
    "The userforward router encountered the following error(s):\n"
    "\n"
    "  malformed address: carol@example.net may not follow <bob@example.net> in the address\n"
    "  \"bob@example.net carol@example.net\"\n"
    "\n"
    "  domain missing in source-routed address in the address\n"
    "  \"@relay.example.net:dave@example.net\"\n"
    "\n"
    "Other addresses were processed normally.\n");
  BounceFact *r = nth (list, 0);

  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (r->address, ==, "bob@example.net");
  g_assert_cmpstr (r->reason, ==, "syntaxerror");
  g_assert_nonnull (strstr (r->text, "malformed address:"));
  r = nth (list, 1);
  g_assert_cmpstr (r->address, ==, "dave@example.net");
  g_assert_cmpstr (r->reason, ==, "syntaxerror");
}

/* Amazon SES's JSON notification names the cause in "bounceSubType" for
 * some bounces; the reason follows it even when the quoted reply says
 * nothing more. */
static void
test_amazon_ses_subtype (void)
{
  static const struct {
    const char *subtype;
    const char *reason;
  } cases[] = {
    { "MailboxFull", "mailboxfull" },
    { "MessageTooLarge", "mesgtoobig" },
    { "ContentRejected", "contenterror" },
    { "AttachmentRejected", "securityerror" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "From: no-reply@sns.amazonaws.com\n"
        "Subject: AWS Notification Message\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "\n"
        "{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Transient\","
        "\"bounceSubType\":\"%s\",\"bouncedRecipients\":[{\"emailAddress\":\"bob@example.net\","
        "\"action\":\"failed\",\"status\":\"5.0.0\",\"diagnosticCode\":\"smtp; 550 message refused\"}],"
        "\"reportingMTA\":\"dsn; a1-2.smtp-out.us-west-2.amazonses.com\"},"
        "\"mail\":{\"source\":\"alice@example.org\",\"destination\":[\"bob@example.net\"]}}\n",
        cases[i].subtype);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(GError) error = NULL;
      g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "ses", NULL, &error);
      g_autoptr(BounceRecipient) r = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (bounce_report_get_recipients (report)), ==, 1);
      r = g_list_model_get_item (bounce_report_get_recipients (report), 0);
      g_assert_cmpstr (bounce_recipient_get_address (r), ==, "bob@example.net");
      g_assert_cmpstr (bounce_recipient_get_reason (r), ==, cases[i].reason);
    }
}

static void
test_au (void)
{
  g_autoptr(GPtrArray) filtered = parse (
    "From: Postmaster@ezweb.ne.jp\n"
    "Subject: Mail System Error - Returned Mail\n"
    "\n"
    "<someone@ezweb.ne.jp>\n"
    "Each of the following recipients was rejected by a remote mail server.\n"
    "----------------------------------------\n");
  g_autoptr(GPtrArray) transcript = parse (
    "From: Postmaster@ezweb.ne.jp\n"
    "Subject: Mail System Error - Returned Mail\n"
    "\n"
    "Each of the following recipients was rejected by a remote\n"
    "mail server.\n"
    "    Recipient: <nobody@ezweb.ne.jp>\n"
    "    >>> RCPT TO:<nobody@ezweb.ne.jp>\n"
    "    <<< 550 <nobody@ezweb.ne.jp>: User unknown\n");
  g_autoptr(GPtrArray) expired = parse (
    "From: Postmaster@ezweb.ne.jp\n"
    "\n"
    "Your message was not delivered within 0 days and 1 hours.\n"
    "Remote host is not responding.\n"
    "The following recipients did not receive this message:\n"
    "<late@ezweb.ne.jp>\n");
  BounceFact *r;

  r = nth (filtered, 0);
  g_assert_cmpstr (r->address, ==, "someone@ezweb.ne.jp");
  g_assert_cmpstr (r->reason, ==, "filtered");
  r = nth (transcript, 0);
  g_assert_cmpstr (r->address, ==, "nobody@ezweb.ne.jp");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_RCPT);
  g_assert_cmpstr (r->text, ==, "550 <nobody@ezweb.ne.jp>: User unknown");
  g_assert_null (r->reason);
  r = nth (expired, 0);
  g_assert_cmpstr (r->reason, ==, "expired");
}

static void
test_zoho (void)
{
  g_autoptr(GPtrArray) list = parse (
    "From: mailer-daemon@mail.zoho.example\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "\n"
    "This message was created automatically by mail delivery software.\n"
    "A message that you sent could not be delivered to one or more of its recipients.\n"
    "\n"
    "gone@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :Requested action not taken: mailbox unavailable\n"
    "far@example.net Error, ERROR_CODE :421, ERROR_CODE :, Host not reachable.\n"
    "[Status: Error, Address: <slow@example.com>, ResponseCode 421, , Host not reachable.]\n");
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 3);
  r = nth (list, 0);
  g_assert_cmpstr (r->address, ==, "gone@example.org");
  g_assert_cmpstr (r->text, ==, "550 Requested action not taken: mailbox unavailable");
  g_assert_null (r->reason);
  r = nth (list, 1);
  g_assert_cmpstr (r->text, ==, "421 Host not reachable.");
  g_assert_cmpstr (r->reason, ==, "expired");
  r = nth (list, 2);
  g_assert_cmpstr (r->address, ==, "slow@example.com");
  g_assert_cmpstr (r->text, ==, "421 Host not reachable.");
}

/* A temporary reply other than Zoho's "Host not reachable" is not an
 * expiry of the layout's own: its words are read as any other's (Sisimai's
 * Lhost/Zoho.pm names only that one). */
static void
test_zoho_other_temporary (void)
{
  g_autoptr(GPtrArray) list = parse (
    "From: mailer-daemon@mail.zoho.example\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "\n"
    "This message was created automatically by mail delivery software.\n"
    "A message that you sent could not be delivered to one or more of its recipients.\n"
    "\n"
    "[Status: Error, Address: <busy@example.com>, ResponseCode 450, , Too many connections from your host.]\n");
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0);
  g_assert_cmpstr (r->address, ==, "busy@example.com");
  g_assert_cmpstr (r->text, ==, "450 Too many connections from your host.");
  g_assert_null (r->reason);
}

/* A Zoho notice whose quoted-printable soft line breaks were never
 * decoded: the line ending in "=" goes on in the next one, as Sisimai's
 * Lhost::Zoho reads it. */
static void
test_zoho_soft_breaks (void)
{
  g_autoptr(GPtrArray) list = parse (
    "From: mailer-daemon@mail.zoho.example\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "\n"
    "This message was created automatically by mail delivery software.\n"
    "A message that you sent could not be delivered to one or more of its recip=\n"
    "ients. This is a permanent error.=20\n"
    "\n"
    "nobody@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.=\n"
    "1 <nobody@example.org>... User Unknown\n"
    "far@example.net Error, ERROR_CODE :421, ERROR_CODE :, Host not reach=\n"
    "able.\n");
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 2);
  r = nth (list, 0);
  g_assert_cmpstr (r->address, ==, "nobody@example.org");
  g_assert_cmpstr (r->text, ==, "550 5.1.1 <nobody@example.org>... User Unknown");
  r = nth (list, 1);
  g_assert_cmpstr (r->address, ==, "far@example.net");
  g_assert_cmpstr (r->text, ==, "421 Host not reachable.");
  g_assert_cmpstr (r->reason, ==, "expired");
}

static void
test_verizon (void)
{
  g_autoptr(GPtrArray) list = parse (
    "From: postmaster@vzwpix.example\n"
    "Subject: Undeliverable Message\n"
    "\n"
    "Message could not be delivered to mobile.\n"
    "Error: No valid recipients for this MM\n"
    "Original Message:\n"
    "From: Alice <alice@example.org>\n"
    "To: 5550100@vzwpix.example\n");
  BounceFact *r = nth (list, 0);

  g_assert_cmpstr (r->address, ==, "5550100@vzwpix.example");
  g_assert_cmpstr (r->reason, ==, "userunknown");
}

/* Gmail's older notice: "(state N)" gives the step and its reading; a
 * precise status in the reply (5.2.2) says more, a status with a zero
 * subject or detail (5.7.0) does not, as in Sisimai's Lhost::Gmail. */
static void
test_gmail_state (void)
{
  static const struct {
    const char *reply;
    const char *reason;
  } cases[] = {
    { "554 554 5.7.0 Header error (state 18).", "filtered" },
    { "550 550 5.1.0 Address rejected (state 17).", "filtered" },
    { "550 550 5.2.2 <bob@example.net>... Mailbox Full (state 14).", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
        "Subject: Delivery Status Notification (Failure)\n"
        "\n"
        "This is an automatically generated Delivery Status Notification\n"
        "\n"
        "Delivery to the following recipient failed permanently:\n"
        "\n"
        "     bob@example.net\n"
        "\n"
        "Technical details of permanent failure:\n"
        "Google tried to deliver your message, but it was rejected by the recipient\n"
        "domain. The error that the other server returned was: %s\n",
        cases[i].reply);
      g_autoptr(GPtrArray) list = parse (text);
      BounceFact *r = nth (list, 0);

      g_assert_cmpstr (r->address, ==, "bob@example.net");
      g_assert_cmpstr (r->reason, ==, cases[i].reason);
    }
}

static void
test_james (void)
{
  g_autoptr(GPtrArray) list = parse (
    "From: postmaster@mail.example.org\n"
    "Subject: Undeliverable mail: test\n"
    "\n"
    "Error: Invalid user address\n"
    "\n"
    "Error message below:\n"
    "550 - Requested action not taken: no such user here\n"
    "\n"
    "Message details:\n"
    "  Subject: test\n"
    "  MAIL FROM: alice@example.com\n"
    "  RCPT TO: nobody@example.org\n"
    "  From: alice@example.com\n");
  BounceFact *r = nth (list, 0);

  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (r->layout, ==, "james");
  g_assert_cmpstr (r->address, ==, "nobody@example.org");
  g_assert_cmpstr (r->text, ==, "550 - Requested action not taken: no such user here");
}

static void
test_surfcontrol (void)
{
  g_autoptr(GPtrArray) list = parse (
    "From: postmaster@filter.example.org\n"
    "Subject: Message could not be delivered\n"
    "\n"
    "Your message could not be sent.\n"
    "A transcript of the attempts to send the message follows.\n"
    "The number of attempts made: 1\n"
    "Addressed To: nobody@example.com\n"
    "Thu 29 Apr 2010 23:34:45 +0900\n"
    "Failed to send to identified host,\n"
    "nobody@example.com: [192.0.2.5], 550 nobody@example.com... No such user\n"
    "--- Message non-deliverable.\n");
  BounceFact *r = nth (list, 0);

  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (r->address, ==, "nobody@example.com");
  g_assert_cmpstr (r->text, ==, "550 nobody@example.com... No such user");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_NONE);
}

/* A list address whose transcript names the member it was expanded to:
 * the reply below the recipient's "Addressed To:" is its own, as Sisimai's
 * Lhost::SurfControl gives each transcript line to the recipient above. */
static void
test_surfcontrol_expanded (void)
{
  g_autoptr(GPtrArray) list = parse (
    "From: postmaster@filter.example.org\n"
    "Subject: Message could not be delivered\n"
    "\n"
    "Your message could not be sent.\n"
    "A transcript of the attempts to send the message follows.\n"
    "The number of attempts made: 1\n"
    "Addressed To: team@example.com\n"
    "Thu 29 Apr 2010 23:34:45 +0900\n"
    "Failed to send to identified host,\n"
    "member@example.org: [192.0.2.5], 550 5.2.2 member@example.org... Mailbox full\n"
    "Addressed To: other@example.com\n"
    "other@example.com: [192.0.2.6], 550 other@example.com... No such user\n"
    "--- Message non-deliverable.\n");
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 2);
  r = nth (list, 0);
  g_assert_cmpstr (r->address, ==, "team@example.com");
  g_assert_cmpstr (r->text, ==, "550 5.2.2 member@example.org... Mailbox full");
  r = nth (list, 1);
  g_assert_cmpstr (r->address, ==, "other@example.com");
  g_assert_cmpstr (r->text, ==, "550 other@example.com... No such user");
}

/* The same address "Addressed To:" twice: its second record took the end
 * of the first transcript line, before its own start (found by
 * fuzz/fuzz-formats).  Every range runs forwards. */
static void
test_surfcontrol_repeated (void)
{
  g_autoptr(GPtrArray) list = parse (
    "From: postmaster@filter.example.org\n"
    "Subject: Message could not be delivered\n"
    "\n"
    "A transcript of the attempts to send the message follows.\n"
    "Addressed To: nobody@example.com\n"
    "nobody@example.com: [192.0.2.5], 550 nobody@example.com... No such user\n"
    "Addressed To: nobody@example.com\n"
    "--- Message non-deliverable.\n");

  g_assert_nonnull (list);
  for (guint i = 0; i < list->len; i++)
    {
      BounceFact *r = list->pdata[i];

      g_assert_cmpuint (r->start, <=, r->end);
    }
}

static void
test_sendmail (void)
{
  g_autoptr(GPtrArray) list = parse (
    "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
    "Subject: Returned mail: see transcript for details\n"
    "\n"
    "The original message was received at Wed, 26 Feb 2014 06:05:47 -0500\n"
    "\n"
    "   ----- The following addresses had permanent fatal errors -----\n"
    "<gone@example.net>\n"
    "    (reason: 550 5.1.1 <gone@example.net>... User Unknown)\n"
    "<far@example.com>\n"
    "    (reason: 550 5.1.2 Host unknown)\n"
    "\n"
    "   ----- Transcript of session follows -----\n"
    "... while talking to mx.example.net.:\n"
    ">>> RCPT To:<gone@example.net>\n"
    "<<< 550-5.1.1 No such\n"
    "<<< 550 5.1.1 user here\n"
    "550 5.1.1 <gone@example.net>... User unknown\n"
    "550 5.1.2 <far@example.com>... Host unknown (Name server: example.com: host not found)\n"
    "\n"
    "   ----- Original message follows -----\n");
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 2);
  r = nth (list, 0);
  g_assert_cmpstr (r->layout, ==, "sendmail");
  g_assert_cmpstr (r->address, ==, "gone@example.net");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_RCPT);
  g_assert_cmpstr (r->text, ==, "550-5.1.1 No such 550 5.1.1 user here");
  /* Sendmail's summary line gives its verdict, the DSN's Status */
  g_assert_cmpstr (r->layout_status, ==, "5.1.1");
  r = nth (list, 1);
  g_assert_cmpstr (r->address, ==, "far@example.com");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_NONE);
  g_assert_cmpstr (r->text, ==, "550 5.1.2 Host unknown");
  g_assert_cmpstr (r->layout_status, ==, "5.1.2");
}

static void
test_v5sendmail (void)
{
  /* V5 Sendmail: no list, only the transcript's summary lines */
  g_autoptr(GPtrArray) list = parse (
    "From: Mail Delivery Subsystem <MAILER-DAEMON@dns.example.org>\n"
    "Subject: Returned mail: Host unknown\n"
    "\n"
    "   ----- Transcript of session follows -----\n"
    "550 example.org (smtp)... 550 Host unknown\n"
    "554 <kuro@example.org>... 550 Host unknown (Authoritative answer from name server)\n"
    "\n"
    "   ----- Unsent message follows -----\n");
  BounceFact *r = nth (list, 0);

  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (r->address, ==, "kuro@example.org");
  g_assert_cmpstr (r->text, ==, "550 Host unknown (Authoritative answer from name server)");
}

/* A recipient's text is cut at a length, never inside a character. */
static void
test_long_diagnostic (void)
{
  g_autoptr(GString) text = g_string_new (EXIM_FAILED_INTRO
                                          "  bob@example.net\n"
                                          "    x");
  g_autoptr(GPtrArray) list = NULL;

  /* one ASCII byte first, so that the two-byte characters straddle every
   * even length */
  for (guint i = 0; i < 3000; i++)
    g_string_append (text, "\303\251");
  g_string_append_c (text, '\n');
  list = parse (text->str);
  g_assert_nonnull (nth (list, 0)->text);
  g_assert_true (g_utf8_validate (nth (list, 0)->text, -1, NULL));
  g_assert_cmpuint (strlen (nth (list, 0)->text), >, 1000);
}

/* bounce_mem_find() and bounce_mem_has_prefix(), case aside, against a
 * plain byte-by-byte search: the needle at either end, in either case, its
 * first byte met many times before it, no letter first, and not there. */
static const char *
naive_find (const char *s,
            gsize       len,
            const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n > 0 && i + n <= len; i++)
    if (g_ascii_strncasecmp (s + i, needle, n) == 0)
      return s + i;
  return NULL;
}

static void
test_mem_find (void)
{
  static const char * const texts[] = {
    "Final-Recipient: rfc822; user@example.com",
    "rrrrRRRRrecipient RECIPIENT",
    "said: 550 5.1.1",
    "",
    "r",
  };
  static const char * const needles[] = {
    "recipient", "RECIPIENT", "final-", "example.com", "5.1.1", "550 ", ": ", "rfc822;", "x", "r",
    "rrrrRRRRrecipient RECIPIENTs",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    for (guint j = 0; j < G_N_ELEMENTS (needles); j++)
      {
        gsize len = strlen (texts[i]);

        /* (and a length short of the text's end, which must bound it) */
        for (gsize cut = 0; cut <= MIN (len, 3); cut++)
          {
            g_assert_true (bounce_mem_find (texts[i], len - cut, needles[j]) ==
                           naive_find (texts[i], len - cut, needles[j]));
            g_assert_cmpint (bounce_mem_has_prefix (texts[i], len - cut, needles[j]), ==,
                             naive_find (texts[i], MIN (len - cut, strlen (needles[j])), needles[j]) == texts[i]);
          }
      }
  g_assert_true (bounce_mem_has_prefix ("abc", 3, ""));
  g_assert_null (bounce_mem_find ("abc", 3, ""));
}

/* bounce_line_starts(): the line without the white space at its ends
 * begins with the prefix, in either case; a prefix longer than that is not
 * at its start, even where the line's trailing white space would hold it. */
static void
test_line_starts (void)
{
  static const struct {
    const char *line;
    const char *prefix;
    gboolean starts;
  } cases[] = {
    { "  Final-Recipient: rfc822; a@b", "final-recipient:", TRUE },
    { "\tABC\r", "abc", TRUE },
    { "abc  ", "abc ", FALSE },
    { "abc \t", "abc", TRUE },
    { "xabc", "abc", FALSE },
    { "", "a", FALSE },
    { "   ", "", TRUE },
    { "", "", TRUE },
    { "\r", "\r", FALSE },
    { " a", "ab", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BounceLine line = { cases[i].line, strlen (cases[i].line), 0 };

      g_assert_cmpint (bounce_line_starts (&line, cases[i].prefix), ==, cases[i].starts);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();

  g_test_add_func ("/formats/negative", test_negative);
  g_test_add_func ("/formats/line-starts", test_line_starts);
  g_test_add_func ("/formats/qmail", test_qmail);
  g_test_add_func ("/formats/sendmail", test_sendmail);
  g_test_add_func ("/formats/v5sendmail", test_v5sendmail);
  g_test_add_func ("/formats/surfcontrol", test_surfcontrol);
  g_test_add_func ("/formats/surfcontrol-repeated", test_surfcontrol_repeated);
  g_test_add_func ("/formats/surfcontrol-expanded", test_surfcontrol_expanded);
  g_test_add_func ("/formats/james", test_james);
  g_test_add_func ("/formats/zoho", test_zoho);
  g_test_add_func ("/formats/zoho-soft-breaks", test_zoho_soft_breaks);
  g_test_add_func ("/formats/zoho-other-temporary", test_zoho_other_temporary);
  g_test_add_func ("/formats/verizon", test_verizon);
  g_test_add_func ("/formats/au", test_au);
  g_test_add_func ("/formats/exim", test_exim);
  g_test_add_func ("/formats/exim-delay", test_exim_delay);
  g_test_add_func ("/formats/exim-frozen", test_exim_frozen);
  g_test_add_func ("/formats/exim-router-errors", test_exim_router_errors);
  g_test_add_func ("/formats/amazon-ses-subtype", test_amazon_ses_subtype);
  g_test_add_func ("/formats/exim-local-delivery", test_exim_local_delivery);
  g_test_add_func ("/formats/qmail-data", test_qmail_data);
  g_test_add_func ("/formats/bracket-list", test_bracket_list);
  g_test_add_func ("/formats/starred-dsn", test_starred_dsn);
  g_test_add_func ("/formats/notes", test_notes);
  g_test_add_func ("/formats/interscan", test_interscan);
  g_test_add_func ("/formats/fml", test_fml);
  g_test_add_func ("/formats/fml-post", test_fml_post);
  g_test_add_func ("/formats/fml-no-copy", test_fml_no_copy);
  g_test_add_func ("/formats/opensmtpd", test_opensmtpd);
  g_test_add_func ("/formats/gmail-state", test_gmail_state);
  g_test_add_func ("/formats/long-diagnostic", test_long_diagnostic);
  g_test_add_func ("/formats/opensmtpd-delay", test_opensmtpd_delay);
  g_test_add_func ("/formats/mem-find", test_mem_find);
  g_test_add_func ("/formats/quoted-local-part", test_quoted_local_part);
  g_test_add_func ("/formats/dsn-utf8-xtext", test_dsn_utf8_xtext);
  g_test_add_func ("/formats/encoded-word-local-part", test_encoded_word_local_part);

  return g_test_run ();
}
