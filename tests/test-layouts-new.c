/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"
#include "bounce-layouts.h"

/* The layouts learnt from servers' own documentation and source.  Each
 * sample under tests/layouts/ was written for these tests after the
 * server's wording, with made-up hosts and addresses; every check runs on
 * the whole message and on its text part pasted alone. */

static GPtrArray *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceInput) input = bounce_input_new_from_text (text, -1, &error);

  g_assert_no_error (error);
  return bounce_layouts_parse_text (input, 0);
}

/* The body of the sample's first text/plain part (or of the message when
 * it has no parts), as a user would copy it from a mail program. */
static char *
text_part (const char *message)
{
  g_autofree char *lower = g_ascii_strdown (message, -1);
  const char *p = strstr (lower, "content-type: text/plain");
  const char *body, *end;

  if (p == NULL || strstr (lower, "multipart/") == NULL)
    p = message;
  else
    p = message + (p - lower);
  body = strstr (p, "\n\n");
  g_assert_nonnull (body);
  body += 2;
  end = p == message ? NULL : strstr (body, "\n--");
  return end ? g_strndup (body, end - body) : g_strdup (body);
}

typedef void (*Check) (GPtrArray *facts,
                       gboolean   pasted);

static void
run_sample (const char *file,
            Check       check)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "layouts", file, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) whole = parse (text);
    g_autofree char *part = text_part (text);
    g_autoptr(GPtrArray) pasted = parse (part);

    g_assert_nonnull (whole);
    g_assert_nonnull (pasted);
    check (whole, FALSE);
    check (pasted, TRUE);
  }
}

static BounceFact *
nth (GPtrArray  *list,
     guint       i,
     const char *layout,
     const char *address)
{
  BounceFact *r;

  g_assert_nonnull (list);
  g_assert_cmpuint (i, <, list->len);
  r = list->pdata[i];
  g_assert_cmpstr (r->layout, ==, layout);
  g_assert_cmpstr (r->address, ==, address);
  return r;
}

/* ------------------------------------------------------------------ */

static void
check_hmailserver (GPtrArray *list,
                   gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 3);
  r = nth (list, 0, "hmailserver", "bob@example.net");
  g_assert_cmpstr (r->text, ==,
                   "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_RCPT);
  g_assert_false (r->command_unknown);
  g_assert_null (r->reason);
  r = nth (list, 1, "hmailserver", "carol@example.org");
  g_assert_cmpstr (r->text, ==, "Inbox is full The recipients inbox is full.");
  g_assert_cmpstr (r->reason, ==, "mailboxfull");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_NONE);
  r = nth (list, 2, "hmailserver", "dave@example.com");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_DATA);
}

static void
test_hmailserver (void)
{
  run_sample ("hmailserver.eml", check_hmailserver);
}

static void
test_hmailserver_not_exchange (void)
{
  /* Exchange 5.5's notice opens the same way, without hMailServer's
   * detail lines */
  g_autoptr(GPtrArray) list = parse (
    "Your message did not reach some or all of the intended recipients.\n"
    "\n"
    "The following recipient(s) could not be reached:\n"
    "\n"
    "      bob@example.net on 3/4/2025 9:12 AM\n"
    "            The e-mail account does not exist at the organization this message was sent to.\n"
    "            <mail.example.net #5.1.1>\n");

  for (guint i = 0; list != NULL && i < list->len; i++)
    g_assert_cmpstr (((BounceFact *) list->pdata[i])->layout, !=, "hmailserver");
}

static void
check_haraka (GPtrArray *list,
              gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 2);
  r = nth (list, 0, "haraka", "bob@example.net");
  g_assert_cmpstr (r->text, ==, "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown");
  g_assert_true (r->command_unknown);
  r = nth (list, 1, "haraka", "erin@example.net");
  g_assert_cmpstr (r->text, ==, "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown");
}

static void
test_haraka (void)
{
  run_sample ("haraka.eml", check_haraka);
}

static void
test_gmail_current_not_ordinary (void)
{
  /* a line between asterisks in ordinary mail is no Gmail heading */
  g_autoptr(GPtrArray) list = parse (
    "From: alice@example.org\n"
    "Subject: minutes\n"
    "\n"
    "** Action items **\n"
    "\n"
    "Your message to bob@example.net about the budget was forwarded to the board.\n");

  for (guint i = 0; list != NULL && i < list->len; i++)
    g_assert_cmpstr (((BounceFact *) list->pdata[i])->layout, !=, "gmail-current");
}

static void
check_stalwart (GPtrArray *list,
                gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 3);
  r = nth (list, 0, "stalwart", "slow@example.com");
  g_assert_cmpstr (r->action, ==, "delayed");
  /* the details name the condition, not the layout */
  g_assert_null (r->reason);
  g_assert_cmpstr (r->text, ==, "connection to 'mx.example.com' failed: Connection timed out");
  r = nth (list, 1, "stalwart", "bob@example.net");
  g_assert_null (r->action);
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_RCPT);
  g_assert_cmpstr (r->text, ==, "550 5.1.1 Recipient address rejected: User unknown");
  g_assert_cmpstr (r->layout_status, ==, "5.1.1");
  g_assert_null (r->reason);
  r = nth (list, 2, "stalwart", "frank@example.net");
  g_assert_cmpint (r->command, ==, BOUNCE_SMTP_COMMAND_NONE);
  g_assert_cmpstr (r->text, ==, "554 5.7.1 Message refused by policy");
}

static void
test_stalwart (void)
{
  run_sample ("stalwart.eml", check_stalwart);
}

static void
check_chasquid (GPtrArray *list,
                gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "chasquid", "bob@example.net");
  g_assert_cmpstr (r->text, ==, "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown");
  g_assert_true (r->command_unknown);
}

static void
test_chasquid (void)
{
  run_sample ("chasquid.eml", check_chasquid);
}

static void
check_mox (GPtrArray *list,
           gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "mox", "bob@example.net");
  g_assert_cmpstr (r->text, ==, "550 5.1.1 mailbox unknown");
  g_assert_true (r->command_unknown);
  g_assert_null (r->action);
}

static void
test_mox (void)
{
  run_sample ("mox.eml", check_mox);
}

static void
test_mox_delayed (void)
{
  g_autoptr(GPtrArray) list = parse (
    "\n"
    "Delivery has been delayed of your email to:\n"
    "\n"
    "\tslow@example.com\n"
    "\n"
    "Next attempts to deliver: in 4 hours, 8 hours and 16 hours.\n"
    "If these attempts all fail, you will receive a notice.\n"
    "\n"
    "Error during the last delivery attempt:\n"
    "\n"
    "\tdial tcp 192.0.2.7:25: connect: connection refused\n");
  BounceFact *r = nth (list, 0, "mox", "slow@example.com");

  g_assert_cmpstr (r->action, ==, "delayed");
  g_assert_cmpstr (r->text, ==, "dial tcp 192.0.2.7:25: connect: connection refused");
}

static void
check_maddy (GPtrArray *list,
             gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "maddy", "bob@example.net");
  g_assert_cmpstr (r->text, ==, "550 5.1.1 No such user here");
  g_assert_true (r->command_unknown);
}

static void
test_maddy (void)
{
  run_sample ("maddy.eml", check_maddy);
}

static void
check_microsoft365 (GPtrArray *list,
                    gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "microsoft365", "bob@example.net");
  g_assert_cmpstr (r->text, ==,
                   "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient bob@example.net not found by SMTP address lookup");
  g_assert_cmpstr (r->layout_status, ==, "5.1.10");
  g_assert_cmpstr (r->reason, ==, "userunknown");
  g_assert_true (r->command_unknown);
}

static void
test_microsoft365 (void)
{
  run_sample ("microsoft365.eml", check_microsoft365);
}

static void
test_microsoft365_remote (void)
{
  /* a refusal by the remote server: no sentence of Microsoft's names it */
  g_autoptr(GPtrArray) list = parse (
    "Your message to carol@example.com couldn't be delivered.\n"
    "The recipient's email system rejected it.\n"
    "\n"
    "More Info for Email Admins\n"
    "Status code: 550 5.7.350\n"
    "\n"
    "Original Message Details\n"
    "Recipient Address:\tcarol@example.com\n"
    "\n"
    "Error Details\n"
    "Reported error:\t550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 The message\n"
    "matches a profile the Internet community may consider spam.\n"
    "DSN generated by:\tBY5PR09MB0002.namprd09.prod.outlook.example\n"
    "Remote server:\tmx.example.com\n");
  BounceFact *r = nth (list, 0, "microsoft365", "carol@example.com");

  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (r->text, ==,
                   "550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 The message "
                   "matches a profile the Internet community may consider spam.");
  g_assert_cmpstr (r->layout_status, ==, "5.7.350");
  g_assert_null (r->reason);
}

static void
check_gmail_current (GPtrArray *list,
                     gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "gmail-current", "bob@example.net");
  g_assert_cmpstr (r->text, ==,
                   "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in local recipient table");
  /* the response tells, not the heading */
  g_assert_null (r->reason);
  g_assert_true (r->command_unknown);
}

static void
test_gmail_current (void)
{
  run_sample ("gmail-current.eml", check_gmail_current);
}

static void
test_gmail_current_delay (void)
{
  g_autoptr(GPtrArray) list = parse (
    "** Delivery incomplete **\n"
    "\n"
    "There was a temporary problem delivering your message to slow@example.com. Gmail will retry "
    "for 47 more hours. You'll be notified if the delivery fails permanently.\n"
    "\n"
    "The response from the remote server was:\n"
    "451 4.3.0 Temporary lookup failure\n");
  BounceFact *r = nth (list, 0, "gmail-current", "slow@example.com");

  g_assert_cmpstr (r->action, ==, "delayed");
  g_assert_cmpstr (r->text, ==, "451 4.3.0 Temporary lookup failure");
  g_assert_null (r->reason);
}

static void
check_masqmail (GPtrArray *list,
                gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "masqmail", "bob@example.net");
  g_assert_cmpstr (r->text, ==,
                   "host=mx.example.net ip=192.0.2.31: 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown");
  g_assert_true (r->command_unknown);
}

static void
test_masqmail (void)
{
  run_sample ("masqmail.eml", check_masqmail);
}

static void
check_nullmailer (GPtrArray *list,
                  gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "nullmailer", "bob@example.net");
  g_assert_cmpstr (r->text, ==, "");
  g_assert_true (r->command_unknown);
  g_assert_null (r->action);
}

static void
test_nullmailer (void)
{
  run_sample ("nullmailer.eml", check_nullmailer);
}

/* CommuniGate Pro: a block per recipient, its module's line dropped from
 * what the server said, the remote host from "host ... says:". */
static void
check_communigate (GPtrArray *list,
                   gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 2);
  r = nth (list, 0, "communigate", "bob@example.net");
  g_assert_cmpstr (r->text, ==, "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown");
  g_assert_cmpstr (r->remote_mta, ==, "mx.example.net");
  g_assert_true (r->command_unknown);
  r = nth (list, 1, "communigate", "carol@example.org");
  g_assert_cmpstr (r->text, ==, "account is full (quota exceeded)");
  g_assert_null (r->remote_mta);
}

static void
test_communigate (void)
{
  run_sample ("communigate.eml", check_communigate);
}

static void
check_dovecot (GPtrArray *list,
               gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "dovecot", "bob@example.net");
  g_assert_cmpstr (r->text, ==, "I do not accept mail from this sender.");
  g_assert_cmpstr (r->reason, ==, "filtered");
  g_assert_true (r->command_unknown);
}

static void
test_dovecot (void)
{
  g_autoptr(GPtrArray) quota = parse (
    "Your message to <carol@example.net> was automatically rejected:\n"
    "Quota exceeded (mailbox for user is full)\n");

  run_sample ("dovecot.eml", check_dovecot);
  g_assert_cmpstr (nth (quota, 0, "dovecot", "carol@example.net")->reason, ==, "mailboxfull");
}

static void
test_cyrus (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "layouts", "cyrus.eml", NULL);
  g_autofree char *text = NULL;
  g_autofree char *part = NULL;
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(GPtrArray) pasted = NULL;
  BounceFact *r;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  whole = parse (text);
  r = nth (whole, 0, "cyrus", "bob@example.net");
  g_assert_cmpuint (whole->len, ==, 1);
  g_assert_cmpstr (r->text, ==, "Mail from this sender is not accepted here.");
  g_assert_cmpstr (r->reason, ==, "filtered");
  g_assert_true (r->command_unknown);
  /* the text part alone names no recipient: nothing to say about one */
  part = text_part (text);
  pasted = parse (part);
  for (guint i = 0; pasted != NULL && i < pasted->len; i++)
    g_assert_cmpstr (((BounceFact *) pasted->pdata[i])->layout, !=, "cyrus");
}

static void
check_cisco (GPtrArray *list,
             gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "cisco-secure-email", "bob@example.net");
  g_assert_cmpstr (r->text, ==,
                   "5.1.0 - Unknown address error 550-'5.1.1 <bob@example.net>: Recipient address rejected: "
                   "User unknown in local recipient table'");
  g_assert_null (r->reason);
  g_assert_true (r->command_unknown);
}

static void
test_cisco (void)
{
  g_autoptr(GPtrArray) expired = parse (
    "The following message to <slow@example.com> was undeliverable.\n"
    "The reason for the problem:\n"
    "5.4.7 - Delivery expired (message too old) 'timeout'\n");

  run_sample ("cisco-secure-email.eml", check_cisco);
  g_assert_cmpstr (nth (expired, 0, "cisco-secure-email", "slow@example.com")->reason, ==, "expired");
}

static void
check_smartermail (GPtrArray *list,
                   gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 3);
  r = nth (list, 0, "smartermail", "bob@example.net");
  g_assert_cmpstr (r->text, ==, "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown");
  g_assert_null (r->reason);
  g_assert_true (r->command_unknown);
  r = nth (list, 1, "smartermail", "carol@example.com");
  g_assert_cmpstr (r->text, ==, "The mailbox is full");
  g_assert_cmpstr (r->reason, ==, "mailboxfull");
  r = nth (list, 2, "smartermail", "dave@nowhere.example");
  g_assert_cmpstr (r->text, ==,
                   "Failed to connect to the recipients mail server. No MX records were found for the "
                   "'nowhere.example' domain. Failed all attempts to connect to the recipients mail server.");
  g_assert_cmpstr (r->reason, ==, "hostunknown");
}

static void
test_smartermail (void)
{
  run_sample ("smartermail.eml", check_smartermail);
}

static void
check_xmail (GPtrArray *list,
             gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "xmail", "bob@example.net");
  g_assert_cmpstr (r->text, ==, "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown");
  g_assert_true (r->command_unknown);
  g_assert_null (r->reason);
}

static void
test_xmail (void)
{
  /* a reply of several lines, closed on the last */
  g_autoptr(GPtrArray) wrapped = parse (
    "[<00>] XMail bounce: Rcpt=[carol@example.com];Error=[421-4.7.0 Try again later,\n"
    "421 4.7.0 closing connection. The maximum number of delivery attempts has been reached]\n"
    "\n"
    "[<01>] Error sending message [1.ABC] from [mail.example.org].\n");
  BounceFact *r;

  run_sample ("xmail.eml", check_xmail);
  r = nth (wrapped, 0, "xmail", "carol@example.com");
  g_assert_cmpstr (r->text, ==,
                   "421-4.7.0 Try again later, 421 4.7.0 closing connection. The maximum number of delivery "
                   "attempts has been reached");
  g_assert_cmpstr (r->reason, ==, "expired");
}

static void
check_citadel (GPtrArray *list,
               gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 2);
  r = nth (list, 0, "citadel", "bob@example.net");
  g_assert_cmpstr (r->text, ==, "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown");
  g_assert_true (r->command_unknown);
  g_assert_false (r->retried);
  r = nth (list, 1, "citadel", "carol@example.com");
  g_assert_cmpstr (r->text, ==, "552 5.2.2 Mailbox full");
}

static void
test_citadel (void)
{
  g_autoptr(GPtrArray) gave_up = parse (
    "A message you sent could not be delivered to some or all of its recipients\n"
    "due to prolonged unavailability of its destination(s).\n"
    "Giving up on the following addresses:\n"
    "\n"
    " slow@example.com: 421 4.3.2 Service not available\n");

  run_sample ("citadel.eml", check_citadel);
  g_assert_true (nth (gave_up, 0, "citadel", "slow@example.com")->retried);
}

static void
check_synchronet (GPtrArray *list,
                  gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "synchronet", "bob@example.net");
  g_assert_cmpstr (r->text, ==, "550 5.1.1 No such user");
  g_assert_true (r->command_unknown);
}

static void
test_synchronet (void)
{
  run_sample ("synchronet.eml", check_synchronet);
}

static void
check_slimta (GPtrArray *list,
              gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 2);
  r = nth (list, 0, "slimta", "bob@example.net");
  g_assert_cmpstr (r->text, ==, "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown");
  g_assert_true (r->command_unknown);
  nth (list, 1, "slimta", "erin@example.net");
}

static void
test_slimta (void)
{
  run_sample ("slimta.eml", check_slimta);
}

static void
check_james_dsn (GPtrArray *list,
                 gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "james-dsn", "bob@example.net");
  g_assert_cmpstr (r->text, ==,
                   "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table");
  g_assert_true (r->command_unknown);
}

static void
test_james_dsn (void)
{
  /* James 2: the addresses and the error straight after the introduction */
  g_autoptr(GPtrArray) old = parse (
    "Hi. This is the James mail server at james.example.org.\n"
    "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
    "This is a permanent error; I've given up. Sorry it didn't work out.\n"
    "\n"
    "carol@example.com\n"
    "550 5.2.2 Mailbox full\n"
    "\n"
    "The original message is attached.\n");
  BounceFact *r;

  run_sample ("james-dsn.eml", check_james_dsn);
  r = nth (old, 0, "james-dsn", "carol@example.com");
  g_assert_cmpuint (old->len, ==, 1);
  g_assert_cmpstr (r->text, ==, "550 5.2.2 Mailbox full");
}

static void
check_twisted (GPtrArray *list,
               gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "twisted", "bob@example.net");
  g_assert_cmpstr (r->text, ==, "");
  g_assert_true (r->command_unknown);
}

static void
test_twisted (void)
{
  run_sample ("twisted.eml", check_twisted);
}

static void
check_simplelogin (GPtrArray *list,
                   gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "simplelogin", "bob@example.net");
  g_assert_cmpstr (r->text, ==, "Email cannot be sent to bob@example.net from your alias shop.offers@aliases.example");
  g_assert_null (r->reason);
  g_assert_true (r->command_unknown);
}

static void
test_simplelogin (void)
{
  g_autoptr(GPtrArray) mailbox = parse (
    "An email sent to your alias shop.offers@aliases.example from news@shop.example was bounced "
    "by your mailbox carol@example.com.\n"
    "\n"
    "This is usually because your mailbox service thinks the email is a spam.\n");

  run_sample ("simplelogin.eml", check_simplelogin);
  nth (mailbox, 0, "simplelogin", "carol@example.com");
}

static void
check_forwardemail (GPtrArray *list,
                    gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "forwardemail", "bob@example.net");
  g_assert_cmpstr (r->text, ==,
                   "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table");
  g_assert_true (r->command_unknown);
  g_assert_null (r->action);
}

static void
test_forwardemail (void)
{
  g_autoptr(GPtrArray) delayed = parse (
    "Your message is delayed and will be retried later to slow@example.com due to an error.\n"
    "\n"
    "The response was:\n"
    "\n"
    "421 4.7.0 Try again later\n");

  run_sample ("forwardemail.eml", check_forwardemail);
  g_assert_cmpstr (nth (delayed, 0, "forwardemail", "slow@example.com")->action, ==, "delayed");
}

static void
check_mailman (GPtrArray *list,
               gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "mailman", "garden@lists.example.org");
  g_assert_cmpstr (r->text, ==, "Non-members are not allowed to post messages to this list.");
  g_assert_cmpstr (r->reason, ==, "rejected");
  g_assert_true (r->command_unknown);
}

static void
test_mailman (void)
{
  /* Mailman 2 names the list, not its address: the owner's tells it */
  g_autoptr(GPtrArray) old = parse (
    "Your request to the 'Garden' mailing-list:\n"
    "\n"
    "\tPosting of your message titled \"Seeds\"\n"
    "\n"
    "Has been rejected by the list moderator.\n"
    "\n"
    "The moderator gave the following reason for rejecting your request:\n"
    "\n"
    "        Off topic\n"
    "\n"
    "Any questions or comments should be directed to garden-owner@lists.example.org.\n");
  g_autoptr(GPtrArray) rules = parse (
    "Your message to the garden@lists.example.org mailing-list was rejected for the following reasons:\n"
    "\n"
    "The message is not from a list member\n"
    "\n"
    "The original message as received by Mailman is attached.\n");
  BounceFact *r;

  run_sample ("mailman.eml", check_mailman);
  r = nth (old, 0, "mailman", "garden@lists.example.org");
  g_assert_cmpstr (r->text, ==, "Off topic");
  r = nth (rules, 0, "mailman", "garden@lists.example.org");
  g_assert_cmpstr (r->text, ==, "The message is not from a list member");
}

static void
check_addy (GPtrArray *list,
            gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "addy", "bob@example.net");
  g_assert_null (r->reason);
  g_assert_true (r->command_unknown);
}

static void
test_addy (void)
{
  run_sample ("addy.eml", check_addy);
}

static void
check_sympa (GPtrArray *list,
             gboolean   pasted)
{
  BounceFact *r;

  g_assert_cmpuint (list->len, ==, 1);
  r = nth (list, 0, "sympa", "choir@lists.example.org");
  g_assert_cmpstr (r->text, ==,
                   "Your message could not be sent because its size (7340 kB) was over the maximum size "
                   "(5120 kB) allowed on this list.");
  g_assert_cmpstr (r->reason, ==, "mesgtoobig");
  g_assert_true (r->command_unknown);
}

static void
test_sympa (void)
{
  g_autoptr(GPtrArray) unknown = parse (
    "This is an automatic response sent by Sympa Mailing Lists Manager.\n"
    "Impossible to distribute your message for list 'chior@lists.example.org' for the following reason:\n"
    "\n"
    "The following address is not a known mailing list:\n"
    "\n"
    "\tchior@lists.example.org\n"
    "\n"
    "To find out the correct listname, ask for this server's lists directory:\n");
  g_autoptr(GPtrArray) moderated = parse (
    "Your message for list choir@lists.example.org\n"
    "has been rejected by the moderator (conductor@example.org).\n");

  run_sample ("sympa.eml", check_sympa);
  g_assert_cmpstr (nth (unknown, 0, "sympa", "chior@lists.example.org")->reason, ==, "userunknown");
  g_assert_cmpstr (nth (moderated, 0, "sympa", "choir@lists.example.org")->reason, ==, "rejected");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();

  g_test_add_func ("/layouts-new/hmailserver", test_hmailserver);
  g_test_add_func ("/layouts-new/hmailserver-not-exchange", test_hmailserver_not_exchange);
  g_test_add_func ("/layouts-new/haraka", test_haraka);
  g_test_add_func ("/layouts-new/stalwart", test_stalwart);
  g_test_add_func ("/layouts-new/chasquid", test_chasquid);
  g_test_add_func ("/layouts-new/mox", test_mox);
  g_test_add_func ("/layouts-new/mox-delayed", test_mox_delayed);
  g_test_add_func ("/layouts-new/maddy", test_maddy);

  g_test_add_func ("/layouts-new/microsoft365", test_microsoft365);
  g_test_add_func ("/layouts-new/microsoft365-remote", test_microsoft365_remote);
  g_test_add_func ("/layouts-new/gmail-current", test_gmail_current);
  g_test_add_func ("/layouts-new/gmail-current-delay", test_gmail_current_delay);
  g_test_add_func ("/layouts-new/gmail-current-not-ordinary", test_gmail_current_not_ordinary);

  g_test_add_func ("/layouts-new/masqmail", test_masqmail);
  g_test_add_func ("/layouts-new/nullmailer", test_nullmailer);
  g_test_add_func ("/layouts-new/communigate", test_communigate);
  g_test_add_func ("/layouts-new/dovecot", test_dovecot);
  g_test_add_func ("/layouts-new/cyrus", test_cyrus);
  g_test_add_func ("/layouts-new/cisco-secure-email", test_cisco);

  g_test_add_func ("/layouts-new/smartermail", test_smartermail);
  g_test_add_func ("/layouts-new/xmail", test_xmail);
  g_test_add_func ("/layouts-new/citadel", test_citadel);
  g_test_add_func ("/layouts-new/synchronet", test_synchronet);

  g_test_add_func ("/layouts-new/slimta", test_slimta);
  g_test_add_func ("/layouts-new/james-dsn", test_james_dsn);

  g_test_add_func ("/layouts-new/twisted", test_twisted);
  g_test_add_func ("/layouts-new/simplelogin", test_simplelogin);
  g_test_add_func ("/layouts-new/forwardemail", test_forwardemail);

  g_test_add_func ("/layouts-new/mailman", test_mailman);
  g_test_add_func ("/layouts-new/addy", test_addy);

  g_test_add_func ("/layouts-new/sympa", test_sympa);

  return g_test_run ();
}
