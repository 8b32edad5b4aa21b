/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"

/* What users paste and open, read as a new user would meet it: the
 * examples of the issue "Every phrase the field knows", pasted fragments
 * (addresses in quotes and brackets, the send-error dialogs of Outlook,
 * Thunderbird and Apple Mail, webmail views without headers, replies
 * without a code), and messages that are not bounces, said as what they
 * are. */

static BounceReport *
analyze (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  BounceReport *report = bounce_analyze_bytes (bytes, "fragment", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

/* The report's kind, its first recipient's address (NULL if none stated)
 * and reason. */
static void
check (const char *text,
       BounceKind  kind,
       const char *address,
       const char *reason)
{
  g_autoptr(BounceReport) report = analyze (text);
  GListModel *recipients = bounce_report_get_recipients (report);
  g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, 0);
  const char *got_address = r != NULL ? bounce_recipient_get_address (r) : NULL;
  const char *got_reason = r != NULL ? bounce_recipient_get_reason (r) : NULL;

  if (bounce_report_get_kind (report) != kind || g_strcmp0 (got_reason, reason) != 0 ||
      (reason != NULL && g_strcmp0 (got_address, address) != 0))
    g_test_fail_printf ("kind %d, %s, %s; expected kind %d, %s, %s for: %s", bounce_report_get_kind (report),
                        got_address ? got_address : "(no address)", got_reason ? got_reason : "(no recipient)",
                        kind, address ? address : "(no address)", reason ? reason : "(no recipient)", text);
}

/* ------------------------------------------------------------------ */
/* The examples of the issue                                            */

static void
test_issue_unknown_user_wordings (void)
{
  check ("550 User [bob@example.net] does not exist (in reply to RCPT TO command)\n",
         BOUNCE_KIND_FAILURE, "bob@example.net", "userunknown");
  check ("550 ** No mail box available for this user **\n", BOUNCE_KIND_FAILURE, NULL, "userunknown");
  check ("550-<bob@example.net> is not a known user on this system\n",
         BOUNCE_KIND_FAILURE, "bob@example.net", "userunknown");
  check ("554 Rcpt <bob@example.net> does not exist\n", BOUNCE_KIND_FAILURE, "bob@example.net", "userunknown");
}

/* The recipient's address is not the server's words: "dmarc" in it is
 * not a DMARC failure. */
static void
test_issue_address_is_not_wording (void)
{
  const char *dsn =
    "Reporting-MTA: dns; mx.example.org\n"
    "\n"
    "Final-Recipient: rfc822; dmarc@reports.example.com\n"
    "Action: failed\n"
    "Status: 5.0.1\n"
    "Diagnostic-Code: smtp; 550 5.0.1 Recipient rejected\n";
  g_autoptr(BounceReport) report = analyze (dsn);
  g_autoptr(BounceRecipient) r = g_list_model_get_item (bounce_report_get_recipients (report), 0);

  g_assert_nonnull (r);
  g_assert_cmpstr (bounce_recipient_get_address (r), ==, "dmarc@reports.example.com");
  g_assert_cmpstr (bounce_recipient_get_reason (r), !=, "authfailure");
  /* nor is "filtered" in filtered@example.net a filter */
  check ("Final-Recipient: rfc822; filtered@example.net\nAction: failed\nStatus: 5.1.1\n"
         "Diagnostic-Code: smtp; 550 5.1.1 <filtered@example.net>... User unknown\n",
         BOUNCE_KIND_FAILURE, "filtered@example.net", "userunknown");
}

/* Nor is the returned original message: a copy of the user's own mail
 * that talks about spam, viruses, a full mailbox and a blocklist says
 * nothing about why delivery failed, and names no list. */
static void
test_issue_original_is_not_wording (void)
{
  static const char text[] =
    "From: MAILER-DAEMON@mx.example.org\n"
    "To: alice@example.org\n"
    "Subject: failure notice\n"
    "Date: Mon, 1 Jul 2024 10:00:00 +0000\n"
    "\n"
    "Hi. This is the qmail-send program at mx.example.org.\n"
    "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
    "This is a permanent error; I've given up. Sorry it didn't work out.\n"
    "\n"
    "<bob@example.net>:\n"
    "Sorry, I couldn't deliver this message.\n"
    "\n"
    "--- Below this line is a copy of the message.\n"
    "\n"
    "From: alice@example.org\n"
    "To: bob@example.net\n"
    "Subject: Our spam filter and the virus scanner\n"
    "\n"
    "Hi Bob, the mailbox is full of spam, the virus scanner flagged a trojan and\n"
    "our IP is blocked by Spamhaus (zen.spamhaus.org). Policy violation again.\n";
  static const char * const not_these[] = {
    "spamdetected", "virusdetected", "mailboxfull", "blocked", "policyviolation", "filtered", NULL
  };
  g_autoptr(BounceReport) report = analyze (text);
  g_autoptr(BounceRecipient) r = g_list_model_get_item (bounce_report_get_recipients (report), 0);

  g_assert_nonnull (r);
  g_assert_cmpstr (bounce_recipient_get_address (r), ==, "bob@example.net");
  g_assert_false (g_strv_contains (not_these, bounce_recipient_get_reason (r)));
  g_assert_cmpuint (bounce_report_get_blocklists (report)->len, ==, 0);
}

/* An IMail bounce: no code, no delivery report, only its sentence. */
static void
test_issue_imail (void)
{
  check ("From: IMail Server <postmaster@mail.example.com>\n"
         "To: alice@example.org\n"
         "Subject: Undeliverable Mail\n"
         "Date: Mon, 1 Jul 2024 10:00:00 +0000\n"
         "Message-ID: <1@mail.example.com>\n"
         "\n"
         "Invalid final delivery userid: bob@example.net\n"
         "Original message follows.\n"
         "\n"
         "From: alice@example.org\n"
         "To: bob@example.net\n"
         "Subject: Hello\n"
         "\n"
         "Hi Bob\n",
         BOUNCE_KIND_FAILURE, "bob@example.net", "userunknown");
}

/* Wordings Mail::DeliveryStatus::BounceParser knows (its _std_reason),
 * quoted with a bare 550 that says nothing by itself. */
static void
test_bounceparser_wordings (void)
{
  static const struct { const char *words; const char *reason; } cases[] = {
    { "Sorry, not our customer", "userunknown" },
    { "Sorry, this server doesn't handle mail for that user", "userunknown" },
    { "user mail-box not found", "userunknown" },
    { "account not activated", "userunknown" },
    { "Address is administratively disabled", "suspend" },
    { "User mailbox exceeds allowed size", "mailboxfull" },
    { "Host example.net: no data record of requested type", "hostunknown" },
    { "Rejected by MCSpamSignature", "spamdetected" },
    { "NOT JUNKEMAILFILTER", "spamdetected" },
    { "RESOLVER.RST.SendSizeLimit.Sender; message too large for this sender", "mesgtoobig" },
    { "Message Rejected Class=size", "mesgtoobig" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("Diagnostic-Code: smtp; 550 %s\n", cases[i].words);

      check (text, BOUNCE_KIND_FAILURE, NULL, cases[i].reason);
    }
}

/* Spam words in answer to RCPT TO, before the message was sent, give way
 * to the words of a block in the same reply, with or without a status:
 * Sisimai's SpamDetected.pm true() (v5.1.0) takes no spam before DATA, and
 * Blocked.pm's "is not allowed to send mail from" speaks next (Reason.pm,
 * get()).  A pasted Postfix paragraph has no Status field to weigh. */
static void
test_spam_words_before_data (void)
{
  check ("<bob@example.net>: host mx.example.net[192.0.2.7] said: 550 Message rejected as spam:\n"
         "    192.0.2.1 is not allowed to send mail from example.org (in reply to RCPT TO\n"
         "    command)\n",
         BOUNCE_KIND_FAILURE, "bob@example.net", "blocked");
  check ("<bob@example.net>: host mx.example.net[192.0.2.7] said: 550 Rejected (NOT\n"
         "    JUNKEMAILFILTER): 192.0.2.1 is not allowed to send mail from example.org (in\n"
         "    reply to RCPT TO command)\n",
         BOUNCE_KIND_FAILURE, "bob@example.net", "blocked");
  /* after DATA the spam words stand */
  check ("<bob@example.net>: host mx.example.net[192.0.2.7] said: 550 Message rejected as spam:\n"
         "    192.0.2.1 is not allowed to send mail from example.org (in reply to end of\n"
         "    DATA command)\n",
         BOUNCE_KIND_FAILURE, "bob@example.net", "spamdetected");
}

/* Exchange's delay warning names the address in double quotes between its
 * fixed sentences, as flufl.bounce's simplewarning.py reads it; pasted, it
 * is a warning about that address, whose reason its sentence gives. */
static void
test_exchange_advisory_warning (void)
{
  check ("This is an advisory-only email.  Please do not reply to it.\n"
         "\t\t\n"
         "Delivery of email to this address\n"
         "\t\t\n"
         "\"dana@example.net\"\n"
         "\t\t\n"
         "has been postponed due to a full mailbox.\n"
         "\t\t\n"
         "We will continue to try to deliver your message over the next few days.\n"
         "\t\t\n"
         "The first 50 lines of your original message follow:\n"
         "Subject: Minutes\n",
         BOUNCE_KIND_DELAY, "dana@example.net", "mailboxfull");
}

/* A 550 or 554 whose words name no condition says only that something was
 * refused: the cause is not clear ("onhold", as Sisimai leaves it), not
 * "your sender address was refused". */
static void
test_bare_refusal (void)
{
  check ("Diagnostic-Code: smtp; 550 Your message is redundant\n", BOUNCE_KIND_FAILURE, NULL, "onhold");
  check ("Diagnostic-Code: smtp; 554 Transaction failed for no stated reason\n", BOUNCE_KIND_FAILURE, NULL, "onhold");
}

/* SMTP32, IMail's mailer, writes "undeliverable" and "to" two spaces apart. */
static void
test_issue_imail_spaced (void)
{
  check ("From: \"Postmaster\" <postmaster@mail.example.com>\n"
         "To: alice@example.org\n"
         "Subject: Undeliverable Mail\n"
         "X-Mailer: <SMTP32 v8.05>\n"
         "\n"
         "undeliverable  to bob@example.net\n"
         "\n"
         "\n"
         "Original message follows.\n"
         "\n"
         "Message removed\n",
         BOUNCE_KIND_FAILURE, "bob@example.net", "undefined");
}

/* A colleague's message full of numbers is not a bounce, pasted or opened. */
static void
test_issue_ordinary_mail (void)
{
  const char *body =
    "Hi Tom,\n"
    "\n"
    "550 new customers signed up this quarter, 5.1 percent more than planned.\n"
    "Call me at 451 555 0199 when you are back.\n"
    "\n"
    "Anna\n";
  g_autofree char *message = g_strconcat ("From: Anna <anna@example.com>\n"
                                          "To: Tom <tom@example.org>\n"
                                          "Subject: Numbers\n"
                                          "Date: Mon, 1 Jul 2024 10:00:00 +0000\n"
                                          "Message-ID: <2@example.com>\n"
                                          "\n", body, NULL);
  g_autoptr(BounceReport) report = NULL;
  g_autofree char *description = NULL;

  check (body, BOUNCE_KIND_NOT_BOUNCE, NULL, NULL);
  check ("550 new customers this month! Call me at 451 555 0199.\n", BOUNCE_KIND_NOT_BOUNCE, NULL, NULL);
  report = analyze (message);
  g_assert_cmpint (bounce_report_get_kind (report), ==, BOUNCE_KIND_NOT_BOUNCE);
  description = bounce_report_describe (report);
  g_assert_true (g_str_has_prefix (description, "This is an ordinary message, not a bounce"));
}

/* Outlook's send-error dialog names the address in quotes. */
static void
test_issue_outlook_dialogs (void)
{
  check ("Task 'anna@contoso.example - Sending' reported error (0x800CCC79) : 'Your e-mail message "
         "could not be sent. The rejected e-mail address was 'partner@tailspin.example'. Subject "
         "'Quarterly numbers', Account: 'anna@contoso.example', Server: 'smtp.contoso.example', "
         "Protocol: SMTP, Server Response: '550 5.7.1 Unable to relay', Port: 25, Secure(SSL): No, "
         "Server Error: 550, Error Number: 0x800CCC79'\n",
         BOUNCE_KIND_FAILURE, "partner@tailspin.example", "norelaying");
  /* the address without the quote before it */
  check ("Message delivery to 'legal@treyresearch.example' failed.\n",
         BOUNCE_KIND_FAILURE, "legal@treyresearch.example", "onhold");
}

/* Challenge-response (Boxbe, BoxTrapper) and "add me to your whitelist"
 * requests are not bounces. */
static void
test_issue_challenge_response (void)
{
  g_autoptr(BounceReport) report = NULL;
  g_autofree char *description = NULL;

  check ("From: Bob via Boxbe <notifications@boxbe.example>\n"
         "To: alice@example.org\n"
         "Subject: Request to join Bob's Guest List\n"
         "Date: Mon, 1 Jul 2024 10:00:00 +0000\n"
         "Message-ID: <3@boxbe.example>\n"
         "\n"
         "Hello alice@example.org,\n"
         "\n"
         "Your message to bob@example.net about \"Offer\" is waiting for your verification.\n"
         "Bob uses Boxbe to keep his inbox free of unwanted mail. Please verify that you are a\n"
         "real sender and your message will be delivered to his inbox.\n",
         BOUNCE_KIND_CHALLENGE, NULL, NULL);
  check ("From: bob@example.net\n"
         "To: alice@example.org\n"
         "Subject: verify#1234-5678\n"
         "Date: Mon, 1 Jul 2024 10:00:00 +0000\n"
         "Message-ID: <4@example.net>\n"
         "\n"
         "The message you sent requires verification: this mailbox uses an anti-spam filter. "
         "Please reply to this message, or add yourself to my whitelist, and your message "
         "will be delivered.\n",
         BOUNCE_KIND_CHALLENGE, NULL, NULL);
  /* TMDA and Bluebottle mark their requests in a header of their own */
  check ("From: bob@example.net\n"
         "To: alice@example.org\n"
         "Subject: Re: lunch\n"
         "X-Delivery-Agent: TMDA/1.1.12 (Macallan)\n"
         "\n"
         "I'm protecting myself from spam. Reply to this message to release the one you sent.\n",
         BOUNCE_KIND_CHALLENGE, NULL, NULL);
  check ("From: bob@example.net\n"
         "To: alice@example.org\n"
         "Subject: Re: lunch\n"
         "X-Bluebottle-Request: sender-verification\n"
         "\n"
         "Your message could not be delivered until you answer the question below.\n",
         BOUNCE_KIND_CHALLENGE, NULL, NULL);
  /* asked in the passive, by an automatic reply that says it is one
   * (EarthLink's spamBlocker): a challenge all the same */
  check ("From: bob@example.net\n"
         "To: alice@example.org\n"
         "Subject: Re: lunch\n"
         "Precedence: auto_reply\n"
         "\n"
         "Sorry for this automatic reply. I read mail only from senders I know. To be added to "
         "our list of allowed senders, fill out the form at the link below.\n",
         BOUNCE_KIND_CHALLENGE, NULL, NULL);
  /* Boxbe's request sent as a delivery report (Action failed, Status
   * 4.7.0, "X-Boxbe-Notice; Sender not pre-approved") */
  check ("From: noreply@boxbe.example\n"
         "To: alice@example.org\n"
         "Subject: Re: Offer\n"
         "MIME-Version: 1.0\n"
         "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
         "\n"
         "--B\n"
         "Content-Type: text/plain\n"
         "\n"
         "Hello Alice,\n"
         "\n"
         "Your message about \"Offer\" has been waitlisted.\n"
         "Please add yourself to my Boxbe Guest List so your messages will go to my Inbox.\n"
         "\n"
         "--B\n"
         "Content-Type: message/delivery-status\n"
         "\n"
         "Reporting-MTA: dns; boxbe.example\n"
         "Action: failed\n"
         "\n"
         "Final-Recipient: rfc822; bob@example.net\n"
         "Diagnostic-Code: X-Boxbe-Notice; Sender not pre-approved.  Follow instructions in above notice\n"
         "Status: 4.7.0\n"
         "\n"
         "--B--\n",
         BOUNCE_KIND_CHALLENGE, NULL, NULL);
  /* pasted, without headers */
  report = analyze ("I am protecting myself from junk mail. Please add me to your safe senders list, "
                    "then confirm that you sent this message by clicking the link below.\n");
  g_assert_cmpint (bounce_report_get_kind (report), ==, BOUNCE_KIND_CHALLENGE);
  description = bounce_report_describe (report);
  g_assert_true (g_str_has_prefix (description, "This is a challenge-response request, not a bounce"));
}

/* ------------------------------------------------------------------ */
/* Not a bounce, said clearly                                           */

static void
test_autoreply (void)
{
  check ("From: Bob <bob@example.net>\n"
         "To: alice@example.org\n"
         "Subject: Out of Office: Offer\n"
         "Auto-Submitted: auto-replied\n"
         "Date: Mon, 1 Jul 2024 10:00:00 +0000\n"
         "Message-ID: <5@example.net>\n"
         "\n"
         "I am out of the office until 8 July.\n",
         BOUNCE_KIND_AUTOREPLY, "bob@example.net", "vacation");
  /* pasted, without its headers */
  check ("Thank you for your message. I am away on vacation until 8 July with limited access to "
         "e-mail, and will answer upon my return.\n",
         BOUNCE_KIND_AUTOREPLY, NULL, "vacation");
  check ("Vielen Dank für Ihre Nachricht. Ich bin bis zum 8. Juli nicht im Büro.\n",
         BOUNCE_KIND_AUTOREPLY, NULL, "vacation");
}

/* A read receipt (RFC 8098), whole or pasted. */
static void
test_read_receipt (void)
{
  g_autoptr(BounceReport) report = NULL;
  g_autofree char *description = NULL;

  check ("From: Bob <bob@example.net>\n"
         "To: alice@example.org\n"
         "Subject: Read: Offer\n"
         "Date: Mon, 1 Jul 2024 10:00:00 +0000\n"
         "Message-ID: <6@example.net>\n"
         "MIME-Version: 1.0\n"
         "Content-Type: multipart/report; report-type=disposition-notification; boundary=\"b\"\n"
         "\n"
         "--b\n"
         "Content-Type: text/plain\n"
         "\n"
         "The message sent on 1 July to bob@example.net was displayed.\n"
         "--b\n"
         "Content-Type: message/disposition-notification\n"
         "\n"
         "Final-Recipient: rfc822; bob@example.net\n"
         "Original-Message-ID: <offer@example.org>\n"
         "Disposition: manual-action/MDN-sent-manually; displayed\n"
         "--b--\n",
         BOUNCE_KIND_READ_RECEIPT, NULL, NULL);
  report = analyze ("Your message\n\n  To: Bob\n  Subject: Offer\n  Sent: 01.07.2024 10:00\n\n"
                    "was read on 01.07.2024 10:05.\n");
  g_assert_cmpint (bounce_report_get_kind (report), ==, BOUNCE_KIND_READ_RECEIPT);
  description = bounce_report_describe (report);
  g_assert_true (g_str_has_prefix (description, "This is a read receipt, not a bounce"));
}

/* A delivery success notice: a DSN that says "delivered", or its words. */
static void
test_delivered (void)
{
  check ("From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\n"
         "To: alice@example.org\n"
         "Subject: Successful Mail Delivery Report\n"
         "Date: Mon, 1 Jul 2024 10:00:00 +0000\n"
         "Message-ID: <8@mx.example.org>\n"
         "MIME-Version: 1.0\n"
         "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n"
         "\n"
         "--b\n"
         "Content-Type: text/plain\n"
         "\n"
         "Your message was successfully delivered to the destination(s) listed below.\n"
         "--b\n"
         "Content-Type: message/delivery-status\n"
         "\n"
         "Reporting-MTA: dns; mx.example.org\n"
         "\n"
         "Final-Recipient: rfc822; bob@example.net\n"
         "Action: delivered\n"
         "Status: 2.0.0\n"
         "--b--\n",
         BOUNCE_KIND_DELIVERED, "bob@example.net", "delivered");
  check ("Your message has been delivered to the following recipients:\n\n"
         "bob@example.net (bob@example.net)\n\nSubject: Offer\n",
         BOUNCE_KIND_DELIVERED, "bob@example.net", "delivered");
}

/* A feedback (ARF) report's human part, pasted. */
static void
test_feedback_words (void)
{
  g_autoptr(BounceReport) report =
    analyze ("This is an email abuse report for an email message received from IP 192.0.2.1 on "
             "Mon, 1 Jul 2024 10:00:00 +0000.\n");

  g_assert_cmpint (bounce_report_get_kind (report), ==, BOUNCE_KIND_FEEDBACK);
  g_assert_cmpstr (bounce_report_get_feedback_type (report), ==, "abuse");
}

/* A bounce for mail the user never sent: the returned message was written
 * by someone at another organisation and never went through the user's. */
static void
test_backscatter (void)
{
  const char *head =
    "From: Mail Delivery System <MAILER-DAEMON@mx.recipient.example>\n"
    "To: alice@example.org\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "Date: Mon, 1 Jul 2024 10:00:00 +0000\n"
    "Message-ID: <7@mx.recipient.example>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n"
    "\n"
    "--b\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.recipient.example\n"
    "\n"
    "Final-Recipient: rfc822; nobody@recipient.example\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n"
    "--b\n"
    "Content-Type: text/rfc822-headers\n"
    "\n";
  g_autofree char *forged = g_strconcat (head,
                                         "Received: from unknown (HELO pc-203-0-113-7) ([203.0.113.7]) by mx.recipient.example with SMTP; Mon, 1 Jul 2024 09:59:00 +0000\n"
                                         "From: \"Cheap Offers\" <sales@pharma.example>\n"
                                         "To: nobody@recipient.example\n"
                                         "Subject: Best prices\n"
                                         "Message-ID: <x@pharma.example>\n"
                                         "--b--\n", NULL);
  g_autofree char *own = g_strconcat (head,
                                      "Received: from pc.example.org ([198.51.100.4]) by smtp.example.org with ESMTPSA; Mon, 1 Jul 2024 09:59:00 +0000\n"
                                      "From: Alice <alice@example.org>\n"
                                      "To: nobody@recipient.example\n"
                                      "Subject: Hello\n"
                                      "Message-ID: <y@example.org>\n"
                                      "--b--\n", NULL);
  g_autoptr(BounceReport) backscatter = analyze (forged);
  g_autoptr(BounceReport) genuine = analyze (own);
  g_autofree char *description = bounce_report_describe (backscatter);

  g_assert_cmpint (bounce_report_get_kind (backscatter), ==, BOUNCE_KIND_FAILURE);
  g_assert_true (bounce_report_get_backscatter (backscatter));
  g_assert_true (strstr (description, "backscatter") != NULL);
  g_assert_false (bounce_report_get_backscatter (genuine));

  /* A bounce to a role or machine address is a system's, never backscatter;
   * the same names inside a person's address are not roles. */
  {
    static const struct {
      const char *to;
      gboolean role;
    } cases[] = {
      { "Postmaster@example.org", TRUE }, { "root@example.org", TRUE }, { "ADMINISTRATOR@example.org", TRUE },
      { "no-reply@example.org", TRUE }, { "do-notreply@example.org", TRUE }, { "www-data@example.org", TRUE },
      { "owner-list@example.org", TRUE }, { "list-Bounces+x=y@example.org", TRUE }, { "list-request@example.org", TRUE },
      { "MAILER-DAEMON@example.org", TRUE }, { "mdaemon-x@example.org", TRUE },
      { "rooted@example.org", FALSE }, { "administrators@example.org", FALSE }, { "owner@example.org", FALSE },
      { "donotreplyx@example.org", FALSE }, { "request@example.org", FALSE }, { "mailer@example.org", FALSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *to = g_strdup_printf ("To: %s\n", cases[i].to);
        g_autofree char *head_to = NULL;
        g_autoptr(BounceReport) report = NULL;
        g_auto(GStrv) parts = g_strsplit (forged, "To: alice@example.org\n", 2);

        head_to = g_strjoinv (to, parts);
        report = analyze (head_to);
        g_test_message ("%s", cases[i].to);
        g_assert_true (bounce_report_get_backscatter (report) == !cases[i].role);
      }
  }
}

/* ------------------------------------------------------------------ */
/* Pasted fragments                                                     */

static void
test_quoted_addresses (void)
{
  check ("550 5.1.1 'bob@example.net': user unknown\n", BOUNCE_KIND_FAILURE, "bob@example.net", "userunknown");
  check ("550 5.1.1 \"bob@example.net\": user unknown\n", BOUNCE_KIND_FAILURE, "bob@example.net", "userunknown");
  check ("550 5.1.1 (bob@example.net) user unknown\n", BOUNCE_KIND_FAILURE, "bob@example.net", "userunknown");
  check ("550 5.1.1 [bob@example.net] user unknown\n", BOUNCE_KIND_FAILURE, "bob@example.net", "userunknown");
}

/* Thunderbird's send errors (its smtp-error-sending-recipient-command and
 * smtp-error-sending-from-command messages) and Apple Mail's. */
static void
test_client_dialogs (void)
{
  check ("An error occurred while sending mail. The mail server responded:\n"
         "5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table.\n"
         "Please check the message recipient \"bob@example.net\" and try again.\n",
         BOUNCE_KIND_FAILURE, "bob@example.net", "userunknown");
  check ("Cannot Send Mail\n"
         "A copy has been placed in your Outbox. The recipient “bob@example.net” was rejected by the "
         "server because it does not allow relaying.\n",
         BOUNCE_KIND_FAILURE, "bob@example.net", "norelaying");
}

/* A refusal of the sender names the sender's address, and perhaps the
 * login's (Postfix's reject_sender_login_mismatch): neither is a failed
 * recipient.  A reply that puts its enhanced code before the address
 * ("550 5.1.1 <a@b>: ...") is the recipient's line, so the words the
 * mail program adds after it are not what the server said. */
static void
test_sender_refusal_and_reply_line (void)
{
  g_autoptr(BounceReport) report = NULL;
  g_autoptr(BounceRecipient) r = NULL;
  const char *said;

  check ("Sending of the message failed.\n"
         "An error occurred while sending mail. The mail server responded: 553 5.7.1 <alice@example.org>: "
         "Sender address rejected: not owned by user bob@example.org. Please verify that your email address "
         "is correct in your account settings and try again.\n",
         BOUNCE_KIND_FAILURE, NULL, "rejected");
  check ("The mail server responded:\n"
         "554 5.7.1 <alice@example.org>: Sender address rejected: Access denied\n",
         BOUNCE_KIND_FAILURE, NULL, "rejected");

  report = analyze ("An error occurred while sending mail. The mail server responded:\n"
                    "550 5.1.1 <carol@example.net>: Recipient address rejected: User unknown in virtual "
                    "mailbox table\n"
                    "Please check the message recipient \"carol@example.net\" and try again.\n");
  r = g_list_model_get_item (bounce_report_get_recipients (report), 0);
  g_assert_nonnull (r);
  g_assert_cmpstr (bounce_recipient_get_address (r), ==, "carol@example.net");
  g_assert_cmpstr (bounce_recipient_get_reason (r), ==, "userunknown");
  said = bounce_recipient_get_diagnostic (r);
  g_assert_cmpstr (said, ==, "550 5.1.1 <carol@example.net>: Recipient address rejected: User unknown in virtual "
                             "mailbox table");
}

/* The first recipient's "Server said" and the command the reply answered. */
static void
check_said (const char        *text,
            const char        *address,
            const char        *said,
            const char        *reason)
{
  g_autoptr(BounceReport) report = analyze (text);
  g_autoptr(BounceRecipient) r = g_list_model_get_item (bounce_report_get_recipients (report), 0);

  g_assert_nonnull (r);
  g_assert_cmpstr (bounce_recipient_get_address (r), ==, address);
  g_assert_cmpstr (bounce_recipient_get_diagnostic (r), ==, said);
  g_assert_cmpstr (bounce_recipient_get_reason (r), ==, reason);
}

/* A mail program's send error (src/core/layouts/mail-client.c): the
 * server's reply is what lies between the program's sentences, without the
 * full stop the program adds and with a multi-line reply's repeated codes
 * dropped; which sentence follows says which command it answered. */
static void
test_client_reply (void)
{
  /* Thunderbird's smtp-error-sending-recipient-command, one paragraph */
  check_said ("Sending of the message failed.\n"
              "An error occurred while sending mail. The mail server responded: 5.1.1 <bob@example.net>: "
              "Recipient address rejected: User unknown in virtual mailbox table. Please check the message "
              "recipient \"bob@example.net\" and try again.\n",
              "bob@example.net",
              "5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table",
              "userunknown");
  /* a multi-line reply, its code on every line, the recipient's name on
   * the line after the program's sentence starts */
  check_said ("An error occurred while sending mail. The mail server responded:\n"
              "5.2.2 The email account that you tried to reach is over quota. Please direct\n"
              "5.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaPerm a1-v6si2 - gsmtp.\n"
              " Please check the message recipient\n"
              "\"carol@example.org\" and try again.\n",
              "carol@example.org",
              "5.2.2 The email account that you tried to reach is over quota. Please direct the recipient to "
              "https://support.google.com/mail/?p=OverQuotaPerm a1-v6si2 - gsmtp",
              "mailboxfull");
  /* smtp-error-sending-from-command: the sender refused, no recipient */
  check_said ("An error occurred while sending mail. The mail server responded: 553 5.7.1 <alice@example.org>: "
              "Sender address rejected: not logged in. Please verify that your email address is correct in "
              "your account settings and try again.\n",
              NULL,
              "553 5.7.1 <alice@example.org>: Sender address rejected: not logged in",
              "rejected");
  /* smtp-error-sending-data-command: the message refused */
  check_said ("An Outgoing server (SMTP) error occurred while sending mail. The server responded:  "
              "554 5.7.1 Message rejected: virus found in attachment.\n",
              NULL,
              "554 5.7.1 Message rejected: virus found in attachment",
              "virusdetected");
  /* Outlook's send error: the reply ends at its message's closing quote */
  check_said ("Task 'mail.example.org - Sending' reported error (0x800CCC79) : 'Your outgoing (SMTP) e-mail "
              "server has reported an internal error. If you continue to receive this message, contact your "
              "server administrator or Internet service provider (ISP). The server responded: 550 5.7.1 Unable "
              "to relay for dave@example.com'\n",
              "dave@example.com",
              "550 5.7.1 Unable to relay for dave@example.com",
              "norelaying");
  check_said ("Task 'mail.example.org - Sending' reported error (0x800CCC78) : 'Unable to send the message. "
              "Please verify the e-mail address in your account properties.  The server responded: 553 5.7.1 "
              "<alice@example.org>: Sender address rejected: not owned by user alice.'\n",
              NULL,
              "553 5.7.1 <alice@example.org>: Sender address rejected: not owned by user alice",
              "rejected");
  /* Thunderbird in German and in French (a no-break space before the
   * colon, the recipient unquoted) */
  check_said ("Fehler beim Senden der Nachricht: Der Mail-Server antwortete:\n"
              "5.1.1 <max@example.de>: Recipient address rejected: User unknown in virtual mailbox table.\n"
              "Bitte überprüfen Sie die E-Mail-Adresse des Empfängers \"max@example.de\" und wiederholen Sie "
              "den Vorgang.\n",
              "max@example.de",
              "5.1.1 <max@example.de>: Recipient address rejected: User unknown in virtual mailbox table",
              "userunknown");
  check_said ("Une erreur est survenue lors de l’envoi de l’e-mail. Le serveur de courrier a répondu\xc2\xa0: "
              "552 5.2.2 <jean@example.fr>: Mailbox full. Veuillez vérifier l’adresse du destinataire "
              "jean@example.fr et essayer à nouveau.\n",
              "jean@example.fr",
              "552 5.2.2 <jean@example.fr>: Mailbox full",
              "mailboxfull");
  check_said ("Fehler beim Senden der Nachricht. Der Mail-Server antwortete: 554 5.7.1 <anna@example.de>: "
              "Sender address rejected: Access denied. Bitte überprüfen Sie, ob Ihre E-Mail-Adresse in den "
              "Konten-Einstellungen stimmt und wiederholen Sie den Vorgang.\n",
              NULL,
              "554 5.7.1 <anna@example.de>: Sender address rejected: Access denied",
              "rejected");
}

/* A delay warning's recipient is still being tried: the words of a final
 * failure ("could not be delivered for 3 days", which Postfix's delay
 * warning writes as Sendmail's final notice does) do not lead its
 * explanation, though they still name the reason. */
static void
test_delay_not_given_up (void)
{
  g_autoptr(BounceReport) report =
    analyze ("# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
             "\n"
             "Your message could not be delivered for 3 days, 20 hours, 0 minutes.\n"
             "It will be retried until it is 5 days, 0 hours, 0 minutes old.\n"
             "\n"
             "For further assistance, please send mail to <postmaster>\n"
             "\n"
             "<erin@example.net>: 454 4.4.4 [internal] no MX or A for domain\n");
  g_autoptr(BounceRecipient) r = g_list_model_get_item (bounce_report_get_recipients (report), 0);
  GPtrArray *entries;
  gboolean listed = FALSE;

  g_assert_nonnull (r);
  g_assert_cmpint (bounce_report_get_kind (report), ==, BOUNCE_KIND_DELAY);
  g_assert_cmpstr (bounce_recipient_get_address (r), ==, "erin@example.net");
  entries = bounce_recipient_get_entries (r);
  g_assert_nonnull (entries);
  g_assert_cmpuint (entries->len, >, 1);
  g_assert_cmpstr (bounce_entry_get_id (entries->pdata[0]), !=, "rule.wording.expired");
  for (guint i = 0; i < entries->len; i++)
    listed |= g_strcmp0 (bounce_entry_get_id (entries->pdata[i]), "rule.wording.expired") == 0;
  g_assert_true (listed);
}

/* A mail program's send error (mail-client.c) is no bounce from a server
 * that keeps the message: nothing was sent and nothing retries it.  A
 * temporary refusal must not read "still being tried, you do not need to
 * send it again" (it did before), and the report says it was not sent. */
static void
test_send_error_not_sent (void)
{
  const char *temporary =
    "Sending of the message failed.\n"
    "An error occurred while sending mail. The mail server responded: 451 4.7.1 <bob@example.net>: "
    "Recipient address rejected: Greylisted, please try again later. Please check the message "
    "recipient \"bob@example.net\" and try again.\n";
  const char *permanent =
    "Task 'mail.example.org - Sending' reported error (0x800CCC78) : 'Unable to send the message. "
    "Please verify the e-mail address in your account properties.  The server responded: 550 5.1.1 "
    "<carol@example.org>: Recipient address rejected: User unknown in local recipient table.'\n";
  g_autoptr(BounceReport) report = analyze (temporary);
  g_autoptr(BounceRecipient) r = g_list_model_get_item (bounce_report_get_recipients (report), 0);
  g_autofree char *description = bounce_report_describe (report);
  g_autofree char *advice = bounce_report_describe_send_error (report);
  g_autoptr(BounceReport) final = analyze (permanent);
  g_autofree char *final_advice = bounce_report_describe_send_error (final);
  g_autoptr(BounceReport) bounce = analyze ("Subject: Undelivered Mail Returned to Sender\n"
                                            "From: MAILER-DAEMON@example.org (Mail Delivery System)\n"
                                            "\n"
                                            "<dan@example.net>: host mx.example.net[192.0.2.7] said: 451 4.7.1 "
                                            "Greylisted, please try again later (in reply to RCPT TO command)\n");

  g_assert_nonnull (r);
  g_assert_true (bounce_report_get_send_error (report));
  g_assert_cmpint (bounce_report_get_kind (report), ==, BOUNCE_KIND_FAILURE);
  g_assert_cmpint (bounce_report_get_outcome (report), ==, BOUNCE_OUTCOME_GAVE_UP);
  g_assert_cmpint (bounce_recipient_get_outcome (r), ==, BOUNCE_OUTCOME_GAVE_UP);
  g_assert_nonnull (strstr (description, "send error"));
  g_assert_nonnull (strstr (advice, "not sent"));
  g_assert_nonnull (strstr (advice, "send it again later"));
  {
    g_autofree char *text = bounce_report_to_text (report);

    /* (not "given up after temporary errors": nothing was tried again) */
    g_assert_nonnull (strstr (text, "Result: not sent (the refusal is temporary)"));
  }

  g_assert_true (bounce_report_get_send_error (final));
  g_assert_cmpint (bounce_report_get_outcome (final), ==, BOUNCE_OUTCOME_PERMANENT);
  g_assert_nonnull (strstr (final_advice, "will not help until the cause below is fixed"));

  /* a server's delay notice stays what it is */
  g_assert_false (bounce_report_get_send_error (bounce));
  g_assert_null (bounce_report_describe_send_error (bounce));
}

/* Whether the sender steps of a report's first recipient mention text. */
static gboolean
first_steps_mention (BounceReport *report,
                     const char   *text)
{
  g_autoptr(BounceRecipient) r = g_list_model_get_item (bounce_report_get_recipients (report), 0);
  g_autoptr(GPtrArray) steps = NULL;

  g_assert_nonnull (r);
  steps = bounce_recipient_select_steps (r, FALSE);
  g_assert_cmpuint (steps->len, >, 0);
  for (guint i = 0; i < steps->len; i++)
    if (strstr (((BounceStep *) steps->pdata[i])->text, text) != NULL)
      return TRUE;
  return FALSE;
}

/* A step marked "sent" (the catalogue's "If you never sent the original
 * message, your address was forged ...") is not shown for a send error:
 * the user has just pressed Send. */
static void
test_send_error_steps (void)
{
  g_autoptr(BounceReport) not_sent =
    analyze ("Sending of the message failed.\n"
             "An error occurred while sending mail. The mail server responded: 550 5.1.1 <bob@example.net>: "
             "Recipient address rejected: User unknown in virtual mailbox table. Please check the message "
             "recipient \"bob@example.net\" and try again.\n");
  g_autoptr(BounceReport) returned =
    analyze ("Subject: Undelivered Mail Returned to Sender\n"
             "From: MAILER-DAEMON@example.org (Mail Delivery System)\n"
             "\n"
             "<bob@example.net>: host mx.example.net[192.0.2.7] said: 550 5.1.1 <bob@example.net>: "
             "Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO "
             "command)\n");

  g_assert_true (bounce_report_get_send_error (not_sent));
  g_assert_false (first_steps_mention (not_sent, "never sent"));
  g_assert_true (first_steps_mention (not_sent, "typos"));
  g_assert_false (bounce_report_get_send_error (returned));
  g_assert_true (first_steps_mention (returned, "never sent"));
}

/* ... and when no rule or code explains a delayed recipient, its reason's
 * entry ("Delivery kept failing and the sending server gave up") does not
 * lead either: the catalogue's entry for an announced delay does. */
static void
test_delay_without_cause (void)
{
  g_autoptr(BounceReport) report =
    analyze ("From: Symantec_AntiVirus_for_SMTP_Gateways@example.org\n"
             "Subject: Delivery failure notification\n"
             "\n"
             "Your message with Subject: Lunch\n"
             "could not be delivered to the following recipients:\n"
             "\n"
             "fran@example.net\n"
             "\n"
             "Please do not resend your original message.\n"
             "Delivery attempts will continue to be made for 5  day(s).\n");
  g_autoptr(BounceRecipient) r = g_list_model_get_item (bounce_report_get_recipients (report), 0);
  GPtrArray *entries;

  g_assert_nonnull (r);
  g_assert_cmpstr (bounce_recipient_get_address (r), ==, "fran@example.net");
  g_assert_cmpstr (bounce_recipient_get_reason (r), ==, "expired");
  g_assert_cmpstr (bounce_recipient_get_action (r), ==, "delayed");
  entries = bounce_recipient_get_entries (r);
  g_assert_nonnull (entries);
  g_assert_cmpstr (bounce_entry_get_id (entries->pdata[0]), ==, "rule.generic.delayed");
}

/* A report on several recipients is headed by one whose reason names a
 * cause, not by the first one when its reply says too little. */
static void
test_headline_names_a_cause (void)
{
  g_autoptr(BounceReport) report =
    analyze ("This is the mail system at host mx.example.org.\n"
             "\n"
             "I'm sorry to have to inform you that your message could not\n"
             "be delivered to one or more recipients.\n"
             "\n"
             "                   The mail system\n"
             "\n"
             "<ann@example.net>: host mx.example.net[192.0.2.1] said: 550 Your E-Mail is\n"
             "    redundant (in reply to RCPT TO command)\n"
             "\n"
             "<bob@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1\n"
             "    <bob@example.net>: Recipient address rejected: User unknown (in reply to\n"
             "    RCPT TO command)\n");
  BounceRecipient *main_recipient = bounce_report_get_main_recipient (report);
  BounceEntry *verdict = bounce_report_get_verdict (report);

  g_assert_nonnull (main_recipient);
  g_assert_cmpstr (bounce_recipient_get_address (main_recipient), ==, "bob@example.net");
  g_assert_nonnull (verdict);
  g_assert_cmpstr (bounce_entry_get_id (verdict), ==, "reason.userunknown");
}

/* Webmail shows a bounce's body without its headers. */
static void
test_webmail_views (void)
{
  check ("Address not found\n"
         "Your message wasn't delivered to bob@example.net because the address couldn't be found, "
         "or is unable to receive mail.\n"
         "The response from the remote server was:\n"
         "550 5.1.1 The email account that you tried to reach does not exist.\n",
         BOUNCE_KIND_FAILURE, "bob@example.net", "userunknown");
  check ("Delivery has failed to these recipients or groups:\n"
         "\n"
         "bob@example.net\n"
         "\n"
         "Diagnostic information for administrators:\n"
         "Remote Server returned '552 5.2.2 Mailbox full'\n",
         BOUNCE_KIND_FAILURE, "bob@example.net", "mailboxfull");
}

/* A reply text without any code. */
static void
test_replies_without_code (void)
{
  check ("Sorry, no mailbox here by that name.\n", BOUNCE_KIND_FAILURE, NULL, "userunknown");
  check ("Mailbox full\n", BOUNCE_KIND_FAILURE, NULL, "mailboxfull");
  check ("The email account that you tried to reach does not exist.\n", BOUNCE_KIND_FAILURE, NULL, "userunknown");
}

/* Servers' wording in other languages (src/core/catalogue/phrases-languages.json). */
static void
test_other_languages (void)
{
  check ("550 Benutzer hat zu viele Mails auf dem Server. / User has too many messages on the server\n",
         BOUNCE_KIND_FAILURE, NULL, "mailboxfull");
  check ("Diagnostic-Code: smtp; 550 Speicherplatz des Kontos ueberschritten\n", BOUNCE_KIND_FAILURE, NULL, "mailboxfull");
  check ("Diagnostic-Code: smtp; 550 Die E-Mail-Adresse des Empfängers existiert nicht\n",
         BOUNCE_KIND_FAILURE, NULL, "userunknown");
  check ("Diagnostic-Code: smtp; 550 La dirección de correo electrónico del destinatario no existe\n",
         BOUNCE_KIND_FAILURE, NULL, "userunknown");
  check ("Diagnostic-Code: smtp; 550 L'account email che hai cercato di raggiungere non esiste\n",
         BOUNCE_KIND_FAILURE, NULL, "userunknown");
  /* (452: still being tried) */
  check ("Diagnostic-Code: smtp; 452 A caixa de entrada do destinatário está sem espaço de armazenamento\n",
         BOUNCE_KIND_DELAY, NULL, "mailboxfull");
  check ("Diagnostic-Code: smtp; 550 l'adresse à laquelle ce message a été envoyé n'accepte plus de messages\n",
         BOUNCE_KIND_FAILURE, NULL, "hasmoved");
  check ("Diagnostic-Code: smtp; 550 Nieprawidłowa nazwa użytkownika\n", BOUNCE_KIND_FAILURE, NULL, "userunknown");
  check ("Diagnostic-Code: smtp; 550 送信先のメール アカウントは存在しません\n",
         BOUNCE_KIND_FAILURE, NULL, "userunknown");
  check ("Diagnostic-Code: smtp; 550 收件人空间不足\n", BOUNCE_KIND_FAILURE, NULL, "mailboxfull");
  check ("Diagnostic-Code: smtp; 550 该用户不存在\n", BOUNCE_KIND_FAILURE, NULL, "userunknown");
  /* Domino's router in French and Spanish, Lotus Notes' in Japanese
   * (Sisimai's Lhost::Domino and Lhost::Notes), pasted without the rest
   * of their report */
  check ("Diagnostic-Code: smtp; 550 User kim (kim@example.fr) non r\xc3\xa9pertori\xc3\xa9 dans l'annuaire Domino\n",
         BOUNCE_KIND_FAILURE, "kim@example.fr", "userunknown");
  check ("Diagnostic-Code: smtp; 550 User kim (kim@example.es) no se encuentra en el Directorio de Domino\n",
         BOUNCE_KIND_FAILURE, "kim@example.es", "userunknown");
  check ("Diagnostic-Code: smtp; 550 kim@example.jp \xe3\x83\x87\xe3\x82\xa3\xe3\x83\xac\xe3\x82\xaf\xe3\x83\x88"
         "\xe3\x83\xaa\xe3\x81\xae\xe3\x83\xaa\xe3\x82\xb9\xe3\x83\x88\xe3\x81\xab\xe3\x81\x82\xe3\x82\x8a"
         "\xe3\x81\xbe\xe3\x81\x9b\xe3\x82\x93\n",
         BOUNCE_KIND_FAILURE, "kim@example.jp", "userunknown");
  /* Aruba PEC (Italian certified mail): a box that takes no uncertified
   * mail, as Aruba's guide quotes its reply */
  check ("Diagnostic-Code: smtp; 554 <kim@example.it>: Messaggio rifiutato dal sistema. Indirizzo destinatario "
         "sconosciuto o non abilitato alla ricezione di posta non certificata\n",
         BOUNCE_KIND_FAILURE, "kim@example.it", "filtered");
}

/* More of the servers' wording in other languages, each pasted as a
 * reply with its code and as the sentence alone (a notification's human
 * part pasted without its headers): Gmail's sending-limits help in
 * German, French and Japanese (a recipient receiving mail too fast), WEB.DE's
 * German replies (unknown user, storage exceeded), Gmail's Japanese notices
 * (a full inbox, a missing address, mail reported as spam).  Each fails
 * without its entry: the sentence alone is then no bounce at all. */
static void
test_other_languages_more (void)
{
  static const struct { const char *text; const char *reason; } cases[] = {
    { "Der Nutzer, den Sie kontaktieren möchten, empfängt E-Mails in einer Geschwindigkeit, "
      "die verhindert, dass zusätzliche Nachrichten übermittelt werden.", "speeding" },
    { "Der Nutzer empfaengt E-Mails in einer Geschwindigkeit, die verhindert, dass weitere Nachrichten "
      "uebermittelt werden", "speeding" },
    { "Benutzer nicht bekannt", "userunknown" },
    { "Benutzer hat das Speichervolumen ueberschritten. / User has exhausted allowed storage space.", "mailboxfull" },
    { "Benutzer hat das Speichervolumen überschritten.", "mailboxfull" },
    { "L'utilisateur que vous tentez de contacter reçoit des e-mails à un rythme qui empêche la "
      "distribution de tout nouveau message.", "speeding" },
    { "L'utilisateur que vous tentez de contacter recoit des e-mails a un rythme qui empeche la "
      "distribution de tout nouveau message.", "speeding" },
    { "宛先の受信トレイの空き容量不足", "mailboxfull" },
    { "bob@example.net にメールを配信できませんでした。宛先の受信トレイがいっぱいか、宛先で現在多数のメールを受信しています。",
      "mailboxfull" },
    { "受信者のメールアドレスが存在しません", "userunknown" },
    { "メールが迷惑メールとして報告されたか、メールが一時的に拒否されました", "spamdetected" },
    { "送信先がメール受信数の制限を超過しています", "speeding" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* the reason a 4xx reply gives is still being tried: 5xx for all */
      g_autofree char *replied = g_strdup_printf ("550 <bob@example.net>: %s\n", cases[i].text);
      g_autofree char *alone = g_strdup_printf ("%s\n", cases[i].text);

      check (replied, BOUNCE_KIND_FAILURE, "bob@example.net", cases[i].reason);
      check (alone, BOUNCE_KIND_FAILURE, strstr (alone, "bob@") != NULL ? "bob@example.net" : NULL,
             cases[i].reason);
    }
}

/* Gmail's Japanese notice says the mail could not be delivered
 * ("... にメールを配信できませんでした"): with a reply code and no reason
 * the engine knows, a pasted notice is still a bounce, like its English
 * "could not be delivered". */
static void
test_localized_failure_statement (void)
{
  check ("550 bob@example.net にメールを配信できませんでした。\n", BOUNCE_KIND_FAILURE, "bob@example.net", "onhold");
  /* the words alone, without code or address, are not enough */
  check ("にメールを配信できませんでした\n", BOUNCE_KIND_NOT_BOUNCE, NULL, NULL);
}

/* An Exchange Online NDR pasted from a mail program: its admin part names
 * the server that wrote it ("DSN generated by:", older ones "Generating
 * server:"), while the sender's address and the relays of its message-hops
 * table belong to others and must not decide who reported it (and so which
 * provider's reading of 5.1.10 applies). */
static void
test_exchange_ndr_reporter (void)
{
  static const char *const ndrs[] = {
    "Your message to carol@example.org couldn't be delivered.\n"
    "carol wasn't found at example.org.\n\n"
    "More Info for Email Admins\n"
    "Status code: 550 5.1.10\n\n"
    "Original Message Details\n"
    "Sender Address:   news@bulk.example.net\n"
    "Recipient Address:   carol@example.org\n\n"
    "Error Details\n"
    "Reported error: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\n"
    "DSN generated by:   AB1PR02MB0001.eurprd02.prod.outlook.com\n\n"
    "Message Hops\n"
    "HOP  TIME (UTC)  FROM  TO  WITH  RELAY TIME\n"
    "1  3/2/2024  b7-1.smtp-out.eu-west-1.amazonses.com  AB1PEPF0001.mail.protection.outlook.com  ESMTP  1 sec\n",
    "Delivery has failed to these recipients or groups:\n\n"
    "carol@example.org\n"
    "The e-mail address you entered couldn't be found.\n\n"
    "Diagnostic information for administrators:\n\n"
    "Generating server: CD2PR11MB0002.namprd11.prod.outlook.com\n\n"
    "carol@example.org\n"
    "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n\n"
    "Original message headers:\n\n"
    "Received: from mail-wm1-f41.google.com (209.85.128.41) by CD2PR11MB0002.namprd11.prod.outlook.com\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (ndrs); i++)
    {
      g_autoptr(BounceReport) report = analyze (ndrs[i]);

      g_assert_cmpstr (bounce_report_get_provider (report), ==, "microsoft");
      check (ndrs[i], BOUNCE_KIND_FAILURE, "carol@example.org", "userunknown");
    }
}

/* A notice that greets its reader greets the sender: the address after
 * "Hello" or "Dear" is never taken for the failed recipient. */
static void
test_greeting_is_sender (void)
{
  /* Google Groups' letter, pasted without its headers: it names no address */
  check ("Hello mira.holt@example.com,\n"
         "\n"
         "We're writing to let you know that the group you tried to contact (fieldwork) may not exist, "
         "or you may not have permission to post messages to the group. A few more details on why you "
         "weren't able to post:\n"
         "\n"
         " * You might have spelled or formatted the group name incorrectly.\n"
         " * The owner of the group may have removed this group.\n"
         " * You may need to join the group before receiving permission to post.\n"
         " * This group may not be open to posting.\n"
         "\n"
         "If you have questions related to this or any other Google Group, visit the Help Center at "
         "https://groups.google.com/support/.\n"
         "\n"
         "Thanks,\n"
         "\n"
         "Google Groups\n",
         BOUNCE_KIND_FAILURE, NULL, "rejected");
  /* a greeting, then the recipient named in the text */
  check ("Dear mira.holt@example.com,\n"
         "\n"
         "Your message to tomas.berg@example.net could not be delivered.\n"
         "The server said: 550 5.1.1 User unknown\n",
         BOUNCE_KIND_FAILURE, "tomas.berg@example.net", "userunknown");
}

/* "refused to talk to me" is Postfix's own framing of any greeting it was
 * refused (smtp_proto.c), not the receiving server's words: the reason
 * comes from the reply after it.  Sisimai counts it as a block only when
 * the reply says "Blocked" (Reason/Blocked.pm). */
static void
test_greeting_refused_is_not_a_block (void)
{
  check ("This is the mail system at host mail.example.org.\n"
         "\n"
         "I'm sorry to have to inform you that your message could not\n"
         "be delivered to one or more recipients.\n"
         "\n"
         "                   The mail system\n"
         "\n"
         "<nora.quint@example.net>: host mx.example.net[192.0.2.41] refused to talk to\n"
         "    me: 421 4.4.2 mx.example.net Error: timeout exceeded\n",
         BOUNCE_KIND_FAILURE, "nora.quint@example.net", "networkerror");
  check ("<nora.quint@example.net>: host mx.example.net[192.0.2.41] refused to talk to\n"
         "    me: 554 Blocked - see https://www.example.net/blocked\n",
         BOUNCE_KIND_FAILURE, "nora.quint@example.net", "blocked");
}

/* A notice forwarded inline to the helpdesk and pasted whole: the header
 * lines the mail program writes under "Forwarded message" are the
 * notice's own, and their To: is the user who got it (the sender of the
 * failed message), never the failed recipient. */
#define GROUPS_LETTER \
  "Hello mira.holt@example.com,\n" \
  "\n" \
  "We're writing to let you know that the group you tried to contact (fieldwork) may not exist, " \
  "or you may not have permission to post messages to the group. A few more details on why you " \
  "weren't able to post:\n" \
  "\n" \
  " * You might have spelled or formatted the group name incorrectly.\n" \
  " * The owner of the group may have removed this group.\n" \
  " * You may need to join the group before receiving permission to post.\n" \
  " * This group may not be open to posting.\n" \
  "\n" \
  "If you have questions related to this or any other Google Group, visit the Help Center at " \
  "https://groups.google.com/support/.\n" \
  "\n" \
  "Thanks,\n" \
  "\n" \
  "Google Groups\n"

/* Gmail's forward of it, as the user pastes it: the user's words, the
 * marker line and the notice's own header lines */
#define GMAIL_FORWARD \
  "Can you check this? I can't post to the list.\n" \
  "\n" \
  "---------- Forwarded message ---------\n" \
  "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n" \
  "Date: Mon, Dec 7, 2026 at 9:12 AM\n" \
  "Subject: Delivery Status Notification (Failure)\n" \
  "To: <mira.holt@example.com>\n" \
  "\n" \
  "\n"

static void
test_forwarded_inline (void)
{
  /* Gmail's forward of Google Groups' letter: the letter names no address */
  check (GMAIL_FORWARD GROUPS_LETTER,
         BOUNCE_KIND_FAILURE, NULL, "rejected");
  /* ... with the returned post under it: its To: is the group */
  check (GMAIL_FORWARD GROUPS_LETTER
         "\n"
         "\n"
         "----- Original message -----\n"
         "\n"
         "Date: Mon, 7 Dec 2026 09:12:01 +0100\n"
         "From: Mira Holt <mira.holt@example.com>\n"
         "To: fieldwork@googlegroups.com\n"
         "Subject: Field notes for Tuesday\n"
         "\n"
         "Hello all, the notes are attached.\n",
         BOUNCE_KIND_FAILURE, "fieldwork@googlegroups.com", "rejected");
  /* Thunderbird's forward (a tab after each name) of a notice whose text
   * names nobody; read as the forwarded message, which names no SMTP
   * command, so its "User unknown" is a filter's as it would be in the
   * notice itself (/diagnose/unknown-user-without-command) */
  check ("Why do I keep getting these?\n"
         "\n"
         "-------- Forwarded Message --------\n"
         "Subject: \tReturned mail: User unknown\n"
         "Date: \tMon, 7 Dec 2026 08:02:11 +0100\n"
         "From: \tMail Delivery Subsystem <MAILER-DAEMON@mail.example.org>\n"
         "To: \tmira.holt@example.org\n"
         "\n"
         "The original message was received at Mon, 7 Dec 2026 08:02:09 +0100.\n"
         "The message could not be delivered: User unknown.\n",
         BOUNCE_KIND_FAILURE, NULL, "filtered");
}

/* An out-of-office reply forwarded inline, as Outlook ("Name <address>"
 * under its rule of underscores) and Apple Mail (every line of the
 * forwarded message quoted) write it, pasted whole: the reply's text
 * names nobody, the forwarded header's From: is the person away. */
#define AWAY_TEXT \
  "Thank you for your note. I am on leave until 4 January and read no mail\n" \
  "before then. For urgent questions please call the front desk.\n" \
  "\n" \
  "Oskar Lind\n"

static void
test_forwarded_autoreply (void)
{
  check ("Is this one of those bounces?\n"
         "\n"
         "________________________________\n"
         "From: Oskar Lind <oskar.lind@example.net>\n"
         "Sent: Monday, December 7, 2026 10:41 AM\n"
         "To: Mira Holt <mira.holt@example.com>\n"
         "Subject: Out of office: Budget draft\n"
         "\n" AWAY_TEXT,
         BOUNCE_KIND_AUTOREPLY, "oskar.lind@example.net", "vacation");
  check ("\n"
         "\n"
         "Begin forwarded message:\n"
         "\n"
         "> From: Oskar Lind <oskar.lind@example.net>\n"
         "> Subject: Out of office: Budget draft\n"
         "> Date: December 7, 2026 at 10:41:02 AM GMT+1\n"
         "> To: mira.holt@example.com\n"
         ">\n"
         "> Thank you for your note. I am on leave until 4 January and read no mail\n"
         "> before then. For urgent questions please call the front desk.\n"
         ">\n"
         "> Oskar Lind\n",
         BOUNCE_KIND_AUTOREPLY, "oskar.lind@example.net", "vacation");
}

/* A notice quoted whole in a reply, pasted: the attribution line Gmail and
 * Apple Mail write above the quote names the notice's sender with its
 * address ("On <date> <name> <address> wrote:"; Gmail folds it when it is
 * long); that address is never the failed recipient. */
#define QUOTED_NOTICE \
  ">\n" \
  "> Delivery to the following recipients did not succeed.\n" \
  ">\n" \
  ">     Addressee: [SMTP:lena.voss@example.net]\n" \
  ">     Server said: 550 5.1.1 mailbox unavailable\n"

static void
test_quoted_in_reply (void)
{
  check ("What does this mean?\n"
         "\n"
         "On Mon, Dec 7, 2026 at 10:02 AM Mail Administrator <postmaster@mx.example.org> wrote:\n"
         "\n" QUOTED_NOTICE,
         BOUNCE_KIND_FAILURE, "lena.voss@example.net", "userunknown");
  check ("What does this mean?\n"
         "\n"
         "On Mon, Dec 7, 2026 at 10:02 AM Mail Delivery Subsystem <\n"
         "postmaster@mx.example.org> wrote:\n"
         "\n" QUOTED_NOTICE,
         BOUNCE_KIND_FAILURE, "lena.voss@example.net", "userunknown");
  check ("Am 07.12.2026 um 10:02 schrieb Mail Administrator <postmaster@mx.example.org>:\n"
         "\n" QUOTED_NOTICE,
         BOUNCE_KIND_FAILURE, "lena.voss@example.net", "userunknown");
  /* an out-of-office reply quoted the same way names nobody else: the
   * person away is the one on the attribution line */
  check ("Is this a bounce?\n"
         "\n"
         "On Mon, Dec 7, 2026 at 10:41 AM Oskar Lind <oskar.lind@example.net> wrote:\n"
         "\n"
         "> Hello, I am away until 4 January and unable to read your message.\n",
         BOUNCE_KIND_AUTOREPLY, "oskar.lind@example.net", "vacation");
}

/* A delivery report's fields pasted alone (the message/delivery-status
 * part, RFC 3464), as AOL's relay writes them: a vendor's X- fields among
 * the per-message fields and no empty line before the recipient's.  The
 * X- field must not make the paste pass for a message's header. */
static void
test_report_fields_alone (void)
{
  check ("Reporting-MTA: dns; relay-3.example.com\n"
         "X-Outbound-Mail-Relay-Queue-ID: 4F2A13800011B\n"
         "X-Outbound-Mail-Relay-Sender: rfc822; mira.holt@example.com\n"
         "Arrival-Date: Mon, 7 Dec 2026 09:12:01 -0500 (EST)\n"
         "Final-Recipient: rfc822; tomas.berg@example.net\n"
         "Original-Recipient: rfc822;tomas.berg@example.net\n"
         "Action: failed\n"
         "Status: 5.2.2\n"
         "Remote-MTA: dns; mx.example.net\n"
         "Diagnostic-Code: smtp; 552 5.2.2 <tomas.berg@example.net>... Mailbox Full\n",
         BOUNCE_KIND_FAILURE, "tomas.berg@example.net", "mailboxfull");
}

/* The human part of a Postfix report, pasted, names the server that
 * refused ("host ... said:", Postfix's bounce(5) text) and the command:
 * that server is the one whose provider table Sisimai would read, so a
 * provider's words from a server Sisimai has no table for (Yahoo's older
 * mx.mail.yahoo.com hosts; v5.1.0 lib/Sisimai/Rhost.pm selects YahooInc
 * for *.yahoodns.net) are read as generic words after DATA are, a
 * filter's, as in the whole message; from a yahoodns.net host, or with no
 * host named, they keep their meaning. */
static void
test_named_server_selects_table (void)
{
  const char *head =
    "This is the mail system at host mail.example.org.\n"
    "\n"
    "I'm sorry to have to inform you that your message could not\n"
    "be delivered to one or more recipients. It's attached below.\n"
    "\n"
    "                   The mail system\n"
    "\n";
  g_autofree char *old_mx = g_strconcat (head,
    "<lena.moss@yahoo.com>: host e.mx.mail.yahoo.com[192.0.2.25] said: 554\n"
    "    delivery error: dd This user doesn't have a yahoo.com account\n"
    "    (lena.moss@yahoo.com) [0] - mta12.mail.example.yahoo.com (in reply to end\n"
    "    of DATA command)\n", NULL);
  g_autofree char *yahoodns = g_strconcat (head,
    "<lena.moss@yahoo.com>: host mta6.am0.yahoodns.net[192.0.2.26] said: 554\n"
    "    delivery error: dd This user doesn't have a yahoo.com account\n"
    "    (lena.moss@yahoo.com) [0] - mta12.mail.example.yahoo.com (in reply to end\n"
    "    of DATA command)\n", NULL);

  check (old_mx, BOUNCE_KIND_FAILURE, "lena.moss@yahoo.com", "filtered");
  check (yahoodns, BOUNCE_KIND_FAILURE, "lena.moss@yahoo.com", "userunknown");
  check ("554 delivery error: dd This user doesn't have a yahoo.com account (lena.moss@yahoo.com) [0]\n",
         BOUNCE_KIND_FAILURE, "lena.moss@yahoo.com", "userunknown");
}

/* Words Sisimai's Reason::MesgTooBig lists since after v5.1.0 (its
 * lib/Sisimai/Reason/MesgTooBig.pm at commit 0a5bf618): the human text
 * of a report whose Status field says "Exceeded maximum inbound message
 * size", which a user pastes without that field. */
static void
test_incoming_size_words (void)
{
  check ("Your message could not be delivered to\n"
         "\n"
         "    kim.berg@example.org\n"
         "\n"
         "Your message has exceeded the maximum incoming message size of this server.\n",
         BOUNCE_KIND_FAILURE, "kim.berg@example.org", "mesgtoobig");
}

/* A reply whose accents are written decomposed (Unicode NFD, "a" and the
 * combining U+0308 for "ä", as macOS and some mail programs write text),
 * or left out, reads as the same reply written composed (NFC): the
 * catalogue's phrases (phrases-languages.json: Google's German, French
 * and Polish wordings) and its rules' patterns (Orange's "Service refusé",
 * rules-isp.json) are found in each.  Unicode Standard Annex #15
 * (https://unicode.org/reports/tr15/) defines both forms. */
static void
test_accents_as_written (void)
{
  static const struct {
    const char *composed;     /* NFC */
    const char *decomposed;   /* NFD */
    const char *bare;         /* without accents, as ASCII text writes it */
    BounceKind kind;
    const char *reason;
  } cases[] = {
    { "550 <bob@example.net>: Der Posteingang des Empf\xc3\xa4ngers ist voll\n",
      "550 <bob@example.net>: Der Posteingang des Empfa\xcc\x88ngers ist voll\n",
      "550 <bob@example.net>: Der Posteingang des Empfangers ist voll\n", BOUNCE_KIND_FAILURE, "mailboxfull" },
    { "550 <bob@example.net>: Die E-Mail-Adresse des Empf\xc3\xa4ngers existiert nicht\n",
      "550 <bob@example.net>: Die E-Mail-Adresse des Empfa\xcc\x88ngers existiert nicht\n",
      "550 <bob@example.net>: Die E-Mail-Adresse des Empfangers existiert nicht\n", BOUNCE_KIND_FAILURE, "userunknown" },
    { "550 <bob@example.net>: L'adresse \xc3\xa9lectronique du destinataire a chang\xc3\xa9\n",
      "550 <bob@example.net>: L'adresse e\xcc\x81lectronique du destinataire a change\xcc\x81\n",
      "550 <bob@example.net>: L'adresse electronique du destinataire a change\n", BOUNCE_KIND_FAILURE, "hasmoved" },
    { "550 <bob@example.net>: Nieprawid\xc5\x82owa nazwa u\xc5\xbcytkownika\n",
      "550 <bob@example.net>: Nieprawid\xc5\x82owa nazwa uz\xcc\x87ytkownika\n",
      "550 <bob@example.net>: Nieprawidlowa nazwa uzytkownika\n", BOUNCE_KIND_FAILURE, "userunknown" },
    { "452 <bob@example.net>: Il re\xc3\xa7oit des e-mails \xc3\xa0 un rythme qui emp\xc3\xaa" "che la distribution\n",
      "452 <bob@example.net>: Il rec\xcc\xa7oit des e-mails a\xcc\x80 un rythme qui empe\xcc\x82" "che la distribution\n",
      "452 <bob@example.net>: Il recoit des e-mails a un rythme qui empeche la distribution\n", BOUNCE_KIND_DELAY, "speeding" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      check (cases[i].composed, cases[i].kind, "bob@example.net", cases[i].reason);
      check (cases[i].decomposed, cases[i].kind, "bob@example.net", cases[i].reason);
      check (cases[i].bare, cases[i].kind, "bob@example.net", cases[i].reason);
    }
  /* a pattern's accented letter, in either form */
  check ("421 mwinf5c79 ME Service refus\xc3\xa9. Veuillez essayer plus tard.\n",
         BOUNCE_KIND_DELAY, NULL, "blocked");
  check ("421 mwinf5c79 ME Service refuse\xcc\x81. Veuillez essayer plus tard.\n",
         BOUNCE_KIND_DELAY, NULL, "blocked");
}

/* The findings of a decomposed text (whose "a" and U+0308 are two
 * characters) are where the text has them, in bytes and in characters:
 * the window highlights them there.  Only the matching of rules and
 * phrases reads the text folded or composed. */
static void
test_accents_findings_in_place (void)
{
  const char *text = "Empfa\xcc\x88nger <bob@example.net>: 552 5.2.2 Der Posteingang des "
                     "Empfa\xcc\x88ngers ist voll (mx.example.net)\n";
  g_autoptr(BounceReport) report = analyze (text);
  const char *shown = bounce_report_get_text (report);
  GPtrArray *findings = bounce_report_get_findings (report);
  GListModel *recipients = bounce_report_get_recipients (report);
  g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, 0);
  gboolean seen_code = FALSE;

  g_assert_nonnull (r);
  g_assert_cmpstr (bounce_recipient_get_reason (r), ==, "mailboxfull");
  g_assert_cmpstr (shown, ==, text);
  g_assert_cmpuint (findings->len, >=, 3);
  for (guint i = 0; i < findings->len; i++)
    {
      BounceFinding *f = findings->pdata[i];

      g_assert_true (g_utf8_offset_to_pointer (shown, f->offset) == shown + f->byte_offset);
      g_assert_cmpint (f->length, ==, g_utf8_strlen (shown + f->byte_offset, f->byte_length));
      if (f->kind == BOUNCE_FINDING_ENHANCED_CODE)
        {
          g_assert_cmpstr (f->text, ==, "5.2.2");
          g_assert_cmpuint (f->byte_offset, ==, strstr (text, "5.2.2") - text);
          /* (the U+0308 before it counts as a character of its own) */
          g_assert_cmpint (f->offset, ==, g_utf8_strlen (text, strstr (text, "5.2.2") - text));
          g_assert_cmpint (f->offset, ==, 34);
          g_assert_cmpuint (f->byte_offset, ==, 35);
          seen_code = TRUE;
        }
      else
        g_assert_true (strncmp (shown + f->byte_offset, f->text, f->byte_length) == 0 ||
                       g_ascii_strncasecmp (shown + f->byte_offset, f->text, f->byte_length) == 0);
    }
  g_assert_true (seen_code);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();
  g_test_add_func ("/fragments/issue/unknown-user-wordings", test_issue_unknown_user_wordings);
  g_test_add_func ("/fragments/issue/address-is-not-wording", test_issue_address_is_not_wording);
  g_test_add_func ("/fragments/issue/original-is-not-wording", test_issue_original_is_not_wording);
  g_test_add_func ("/fragments/issue/imail", test_issue_imail);
  g_test_add_func ("/fragments/spam-words-before-data", test_spam_words_before_data);
  g_test_add_func ("/fragments/exchange-advisory-warning", test_exchange_advisory_warning);
  g_test_add_func ("/fragments/issue/imail-spaced", test_issue_imail_spaced);
  g_test_add_func ("/fragments/bounceparser-wordings", test_bounceparser_wordings);
  g_test_add_func ("/fragments/bare-refusal", test_bare_refusal);
  g_test_add_func ("/fragments/issue/ordinary-mail", test_issue_ordinary_mail);
  g_test_add_func ("/fragments/issue/outlook-dialogs", test_issue_outlook_dialogs);
  g_test_add_func ("/fragments/issue/challenge-response", test_issue_challenge_response);
  g_test_add_func ("/fragments/not-a-bounce/autoreply", test_autoreply);
  g_test_add_func ("/fragments/not-a-bounce/read-receipt", test_read_receipt);
  g_test_add_func ("/fragments/not-a-bounce/delivered", test_delivered);
  g_test_add_func ("/fragments/not-a-bounce/feedback-words", test_feedback_words);
  g_test_add_func ("/fragments/not-a-bounce/backscatter", test_backscatter);
  g_test_add_func ("/fragments/pasted/quoted-addresses", test_quoted_addresses);
  g_test_add_func ("/fragments/pasted/client-dialogs", test_client_dialogs);
  g_test_add_func ("/fragments/pasted/client-reply", test_client_reply);
  g_test_add_func ("/fragments/pasted/send-error-not-sent", test_send_error_not_sent);
  g_test_add_func ("/fragments/pasted/send-error-steps", test_send_error_steps);
  g_test_add_func ("/fragments/pasted/accents-as-written", test_accents_as_written);
  g_test_add_func ("/fragments/pasted/accents-findings-in-place", test_accents_findings_in_place);
  g_test_add_func ("/fragments/pasted/delay-not-given-up", test_delay_not_given_up);
  g_test_add_func ("/fragments/pasted/delay-without-cause", test_delay_without_cause);
  g_test_add_func ("/fragments/pasted/headline-names-a-cause", test_headline_names_a_cause);
  g_test_add_func ("/fragments/pasted/sender-refusal-and-reply-line", test_sender_refusal_and_reply_line);
  g_test_add_func ("/fragments/pasted/webmail-views", test_webmail_views);
  g_test_add_func ("/fragments/pasted/replies-without-code", test_replies_without_code);
  g_test_add_func ("/fragments/pasted/other-languages", test_other_languages);
  g_test_add_func ("/fragments/pasted/other-languages-more", test_other_languages_more);
  g_test_add_func ("/fragments/pasted/localized-failure-statement", test_localized_failure_statement);
  g_test_add_func ("/fragments/pasted/exchange-ndr-reporter", test_exchange_ndr_reporter);
  g_test_add_func ("/fragments/pasted/greeting-is-sender", test_greeting_is_sender);
  g_test_add_func ("/fragments/pasted/greeting-refused-is-not-a-block", test_greeting_refused_is_not_a_block);
  g_test_add_func ("/fragments/pasted/forwarded-inline", test_forwarded_inline);
  g_test_add_func ("/fragments/pasted/report-fields-alone", test_report_fields_alone);
  g_test_add_func ("/fragments/pasted/forwarded-autoreply", test_forwarded_autoreply);
  g_test_add_func ("/fragments/pasted/quoted-in-reply", test_quoted_in_reply);
  g_test_add_func ("/fragments/pasted/named-server-selects-table", test_named_server_selects_table);
  g_test_add_func ("/fragments/pasted/incoming-size-words", test_incoming_size_words);
  return g_test_run ();
}
