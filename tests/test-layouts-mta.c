/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"
#include "bounce-input.h"
#include "bounce-layouts.h"

/* The layouts of mail servers and appliances (Postfix, Sendmail, Exim,
 * qmail, Courier, Domino, ... and the unnamed families x1-x6): each reads
 * its sample in tests/layouts/<name>.eml, written for these tests with
 * made-up hosts and addresses, twice: as the whole message and as its
 * first text part pasted alone, the way a helpdesk user has it.  Both
 * must give the same recipients, the server's reply, the failed SMTP
 * command (or say the layout never shows it) and the reason. */

typedef struct {
  const char *sample;          /* tests/layouts/<sample>.eml */
  const char *layout;          /* the layout that must read it */
  guint n_recipients;
  const char *address;         /* the first recipient */
  const char *text;            /* a piece of that recipient's text (the reply) */
  BounceSmtpCommand command;   /* what the reply answered */
  gboolean command_unknown;    /* the layout never shows it */
  const char *layout_reason;   /* the reason the layout's own words state, or NULL */
  const char *reason;          /* the reason the engine gives the first recipient */
  const char *address2;        /* another recipient, and the reason the layout states for */
  const char *layout_reason2;  /* it (NULL: none) */
  const char *pasted_layout;   /* the layout that reads the text part alone, when it
                                * is another (a copy's notice without its headers) */
  gboolean pasted_differs;     /* the text part alone lacks what only the DSN fields or
                                * the headers hold: recipients and reply still found,
                                * the rest not compared */
} Sample;

static BounceInput *
load_sample (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.eml", name);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "layouts", file, NULL);
  g_autoptr(GFile) gfile = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  BounceInput *input = bounce_input_new_from_file (gfile, NULL, &error);

  g_assert_no_error (error);
  return input;
}

/* The first text part of input, as a mail program shows it. */
static char *
first_text_part (BounceInput *input)
{
  GPtrArray *segments = bounce_input_get_segments (input);

  for (guint i = 0; i < segments->len; i++)
    {
      BounceSegment *seg = segments->pdata[i];

      if (seg->kind == BOUNCE_SEGMENT_TEXT && seg->end > seg->start)
        return g_strndup (bounce_input_get_text (input) + seg->start, seg->end - seg->start);
    }
  g_assert_not_reached ();
  return NULL;
}

static BounceInput *
input_from_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  BounceInput *input = bounce_input_new_from_text (text, -1, &error);

  g_assert_no_error (error);
  return input;
}

/* The reason the whole engine gives the first recipient of text. */
static char *
engine_reason (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "sample", NULL, &error);
  g_autoptr(BounceRecipient) r = NULL;

  g_assert_no_error (error);
  r = g_list_model_get_item (bounce_report_get_recipients (report), 0);
  g_assert_nonnull (r);
  return g_strdup (bounce_recipient_get_reason (r));
}

static void
check_facts (const Sample *s,
             BounceInput  *input,
             const char   *text,
             gboolean      pasted)
{
  g_autoptr(GPtrArray) facts = bounce_layouts_parse_text (input, 0);
  g_autofree char *reason = NULL;
  BounceFact *f;

  g_assert_nonnull (facts);
  g_assert_cmpuint (facts->len, ==, s->n_recipients);
  f = facts->pdata[0];
  g_assert_cmpstr (f->layout, ==, pasted && s->pasted_layout != NULL ? s->pasted_layout : s->layout);
  g_assert_cmpstr (f->address, ==, s->address);
  g_assert_nonnull (f->text);
  if (strstr (f->text, s->text) == NULL)
    g_error ("%s%s: \"%s\" not in the text \"%s\"", s->sample, pasted ? " (pasted)" : "", s->text, f->text);
  if (s->address2 != NULL)
    {
      BounceFact *other = bounce_facts_find (facts, s->address2);

      g_assert_nonnull (other);
      if (!pasted || !s->pasted_differs)
        g_assert_cmpstr (other->reason, ==, s->layout_reason2);
    }
  if (pasted && s->pasted_differs)
    return;
  g_assert_cmpint (f->command, ==, s->command);
  g_assert_cmpint (f->command_unknown, ==, s->command_unknown);
  g_assert_cmpstr (f->reason, ==, s->layout_reason);
  reason = engine_reason (text);
  g_assert_cmpstr (reason, ==, s->reason);
}

static void
test_sample (gconstpointer data)
{
  const Sample *s = data;
  g_autoptr(BounceInput) whole = load_sample (s->sample);
  g_autofree char *pasted_text = first_text_part (whole);
  g_autoptr(BounceInput) pasted = input_from_text (pasted_text);

  check_facts (s, whole, bounce_input_get_text (whole), FALSE);
  check_facts (s, pasted, pasted_text, TRUE);
}

#define RCPT BOUNCE_SMTP_COMMAND_RCPT
#define DATA BOUNCE_SMTP_COMMAND_DATA
#define MAIL BOUNCE_SMTP_COMMAND_MAIL
#define CONNECT BOUNCE_SMTP_COMMAND_CONNECT
#define NONE BOUNCE_SMTP_COMMAND_NONE

static const Sample samples[] = {
  { .sample = "exim", .layout = "exim", .n_recipients = 2, .address = "bob@example.net",
    .text = "550 5.1.1 <bob@example.net>: Recipient address rejected", .command = RCPT,
    .reason = "userunknown", .address2 = "carol@example.com", .layout_reason2 = "hostunknown" },
  { .sample = "mxlogic", .layout = "mxlogic", .pasted_layout = "exim", .n_recipients = 1,
    .address = "bob@example.net", .text = "550 5.1.1 <bob@example.net>... User Unknown",
    .command = NONE, .reason = "userunknown" },
  { .sample = "qmail", .layout = "qmail", .n_recipients = 2, .address = "bob@example.net",
    .text = "Remote host said: 550 5.1.1 <bob@example.net>", .command = RCPT, .reason = "userunknown",
    .address2 = "carol@nowhere.example.com", .layout_reason2 = "hostunknown" },
  { .sample = "x4", .layout = "x4", .n_recipients = 1, .address = "bob@example.net",
    .text = "Sorry, no mailbox here by that name. (#5.1.1)", .command_unknown = TRUE,
    .layout_reason = "userunknown", .reason = "userunknown" },
  { .sample = "x2", .layout = "x2", .n_recipients = 1, .address = "bob@example.net",
    .text = "Sorry, I wasn't able to establish an SMTP connection.", .command = NONE,
    .layout_reason = "networkerror", .reason = "networkerror" },
  /* x2 never shows the command, and is not qmail-local: "user unknown"
   * wording without RCPT or an X.1.1 status is a filter's
   * (Sisimai::Reason::Filtered->true) */
  { .sample = "x2-user", .layout = "x2", .n_recipients = 1, .address = "bob@example.net",
    .text = "This user doesn't have a example.net account", .command = NONE,
    .reason = "filtered" },
  { .sample = "postfix", .layout = "postfix", .n_recipients = 2, .address = "bob@example.net",
    .text = "said: 550 5.1.1 <bob@example.net>: Recipient address rejected", .command = RCPT,
    .reason = "userunknown", .address2 = "carol@example.org" },
  { .sample = "sendmail", .layout = "sendmail", .n_recipients = 1, .address = "bob@example.net",
    .text = "550 5.1.1 <bob@example.net>... User unknown", .command = RCPT, .reason = "userunknown" },
  { .sample = "v5sendmail", .layout = "v5sendmail", .n_recipients = 1, .address = "bob@example.net",
    .text = "550 <bob@example.net>... User unknown", .command = RCPT, .reason = "userunknown" },
  { .sample = "activehunter", .layout = "activehunter", .n_recipients = 1, .address = "bob@example.net",
    .text = "550 sorry, no mailbox here by that name (#5.1.1 - chkusr)", .command_unknown = TRUE,
    .reason = "userunknown" },
  { .sample = "courier", .layout = "courier", .n_recipients = 2, .address = "bob@example.net",
    .text = "550 5.1.1 <bob@example.net>... User Unknown", .command = RCPT, .reason = "userunknown",
    .address2 = "carol@nowhere.example.com", .layout_reason2 = "hostunknown" },
  { .sample = "opensmtpd", .layout = "opensmtpd", .n_recipients = 2, .address = "bob@example.net",
    .text = "550 5.2.2 <bob@example.net>: Recipient address rejected: Mailbox full", .command_unknown = TRUE,
    .reason = "mailboxfull", .address2 = "carol@nowhere.example.com", .layout_reason2 = "hostunknown" },
  { .sample = "dragonfly", .layout = "dragonfly", .n_recipients = 1, .address = "bob@example.net",
    .text = "did not like our RCPT TO: 550 5.1.1 <bob@example.net>", .command = RCPT, .reason = "userunknown" },
  { .sample = "domino", .layout = "domino", .n_recipients = 1, .address = "bob@example.net",
    .text = "User bob (bob@example.net) not listed in Domino Directory", .command_unknown = TRUE,
    .layout_reason = "userunknown", .reason = "userunknown" },
  { .sample = "notes", .layout = "notes", .n_recipients = 1, .address = "bob@notes.example.net",
    .text = "User not listed in public Name & Address Book", .command_unknown = TRUE,
    .layout_reason = "userunknown", .reason = "userunknown" },
  { .sample = "imailserver", .layout = "imailserver", .n_recipients = 1, .address = "bob@example.net",
    .text = "Invalid final delivery userid: bob@example.net", .command_unknown = TRUE,
    .layout_reason = "userunknown", .reason = "userunknown" },
  /* IMail's spam filter names the link it found on a blocklist */
  { .sample = "imailserver-spam", .layout = "imailserver", .n_recipients = 1, .address = "bob@example.net",
    .text = "554 Blacklisted URL in message", .command_unknown = TRUE,
    .layout_reason = "spamdetected", .reason = "spamdetected" },
  { .sample = "mfilter", .layout = "mfilter", .n_recipients = 1, .address = "bob@example.net",
    .text = "550 5.1.1 <bob@example.net>: Recipient address rejected", .command = RCPT,
    .reason = "userunknown" },
  { .sample = "fml", .layout = "fml", .n_recipients = 1, .address = "staff@lists.example.org",
    .text = "You are not a member of this mailing list", .command_unknown = TRUE,
    .layout_reason = "rejected", .reason = "rejected" },
  /* x1 never shows the command, but says nothing else either: its bare
   * "User unknown" is read as a filter's, as the reference parsers do */
  { .sample = "x1", .layout = "x1", .n_recipients = 1, .address = "bob@example.net",
    .text = "User unknown", .reason = "filtered" },
  { .sample = "x3", .layout = "x3", .n_recipients = 1, .address = "bob@example.net",
    .text = "553 5.3.0 <bob@example.net>... No such user here", .command = RCPT, .reason = "userunknown" },
  { .sample = "x6", .layout = "x6", .n_recipients = 1, .address = "bob@example.net",
    .text = "It responded as follows: [550 5.1.1 User unknown]", .command = RCPT, .reason = "userunknown" },
  { .sample = "amavis", .layout = "amavis", .n_recipients = 1, .address = "bob@example.net",
    .text = "554 5.7.0 Reject, id=12345-01 - INFECTED: Eicar-Signature", .command_unknown = TRUE,
    .layout_reason = "virusdetected", .reason = "virusdetected" },
  { .sample = "barracuda", .layout = "barracuda", .n_recipients = 1, .address = "bob@example.net",
    .text = "was blocked by our Spam & Virus Firewall", .command_unknown = TRUE, .reason = "spamdetected",
    .pasted_differs = TRUE },
  { .sample = "mcafee", .layout = "mcafee", .n_recipients = 1, .address = "bob@example.net",
    .text = "User (bob@example.net) unknown.", .command_unknown = TRUE, .layout_reason = "userunknown",
    .reason = "userunknown" },
  { .sample = "messagelabs", .layout = "messagelabs", .n_recipients = 1, .address = "bob@example.net",
    .text = "550 bob@example.net... No such user", .command_unknown = TRUE, .layout_reason = "userunknown",
    .reason = "userunknown" },
  { .sample = "mimecast", .layout = "mimecast", .n_recipients = 1, .address = "bob@example.net",
    .text = "5.4.1 Recipient address rejected: Access denied.", .command_unknown = TRUE, .reason = "userunknown" },
  { .sample = "mailfoundry", .layout = "mailfoundry", .n_recipients = 1, .address = "bob@example.net",
    .text = "failed with: 550 5.1.1 <bob@example.net>: Recipient address rejected", .command_unknown = TRUE,
    .reason = "userunknown" },
  { .sample = "mailmarshal", .layout = "mailmarshal", .n_recipients = 1, .address = "bob@example.net",
    .text = "550 5.1.1 User unknown", .command_unknown = TRUE, .reason = "userunknown" },
  { .sample = "messagingserver", .layout = "messagingserver", .n_recipients = 1, .address = "bob@example.net",
    .text = "550 5.1.1 <bob@example.net>... User Unknown", .command_unknown = TRUE, .reason = "userunknown" },
  { .sample = "interscan", .layout = "interscan", .n_recipients = 1, .address = "bob@example.net",
    .text = "550 5.1.1 <bob@example.net>... user unknown", .command = RCPT, .reason = "userunknown" },
  /* SurfControl and James never show the command either, and are left
   * unmarked like x1 */
  { .sample = "surfcontrol", .layout = "surfcontrol", .n_recipients = 1, .address = "bob@example.net",
    .text = "550 bob@example.net... No such user", .reason = "filtered" },
  { .sample = "james", .layout = "james", .n_recipients = 1, .address = "bob@example.net",
    .text = "550 - Requested action not taken: no such user here", .reason = "filtered" },
};

/* Only in the whole message: the layout is in its headers and the
 * attached report, and the text part names no recipient. */
static const Sample whole_only[] = {
  /* Notes' failure reasons with no address under them: the recipient is
   * the returned message's To: */
  { .sample = "notes-noaddr", .layout = "notes", .n_recipients = 1, .address = "bob@notes.example.net",
    .text = "User not listed in public Name & Address Book", .command_unknown = TRUE,
    .layout_reason = "userunknown", .reason = "userunknown" },
  { .sample = "x5", .layout = "x5", .n_recipients = 1, .address = "bob@example.net",
    .text = "550 5.1.1 <bob@example.net>... User unknown", .command_unknown = TRUE, .reason = "userunknown" },
};

static void
test_whole_only (gconstpointer data)
{
  const Sample *s = data;
  g_autoptr(BounceInput) whole = load_sample (s->sample);

  check_facts (s, whole, bounce_input_get_text (whole), FALSE);
}

static GPtrArray *
parse_text (const char *text)
{
  g_autoptr(BounceInput) input = input_from_text (text);

  return bounce_layouts_parse_text (input, 0);
}

static BounceFact *
nth (GPtrArray *facts,
     guint      i)
{
  g_assert_nonnull (facts);
  g_assert_cmpuint (i, <, facts->len);
  return facts->pdata[i];
}

/* Postfix's own decisions show no command; its warnings are delays. */
static void
test_postfix_notices (void)
{
  {
    g_autoptr(GPtrArray) facts = parse_text (
      "This is the mail system at host mail.example.org.\n"
      "\n"
      "####################################################################\n"
      "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
      "####################################################################\n"
      "\n"
      "Your message could not be delivered for more than 4 hour(s).\n"
      "It will be retried until it is 5 day(s) old.\n"
      "\n"
      "                   The mail system\n"
      "\n"
      "<bob@example.net>: connect to mx.example.net[192.0.2.25]:25: Connection timed\n"
      "    out\n");
    BounceFact *f = nth (facts, 0);

    g_assert_cmpuint (facts->len, ==, 1);
    g_assert_cmpstr (f->layout, ==, "postfix");
    g_assert_cmpstr (f->action, ==, "delayed");
    g_assert_cmpstr (f->text, ==, "connect to mx.example.net[192.0.2.25]:25: Connection timed out");
    g_assert_true (f->command_unknown);
  }
  {
    /* a record whose address is not one ('<x@>') but that says what it
     * was expanded from: no recipient, and the alias read for it is
     * freed (it leaked; found by fuzz-formats under LeakSanitizer, and
     * this test leaks without the fix in a build with
     * -Db_sanitize=address) */
    g_autoptr(GPtrArray) facts = parse_text (
      "This is the mail system at host mail.example.org.\n"
      "\n"
      "                   The mail system\n"
      "\n"
      "<x@> (expanded from <list@example.org>): unknown user\n"
      "\n"
      "<carol@example.net>: host mx.example.net[192.0.2.25] said: 550 5.1.1 User\n"
      "    unknown (in reply to RCPT TO command)\n");
    BounceFact *f = nth (facts, 0);

    g_assert_cmpuint (facts->len, ==, 1);
    g_assert_cmpstr (f->address, ==, "carol@example.net");
    g_assert_null (f->original);
  }
  {
    /* a greeting refused */
    g_autoptr(GPtrArray) facts = parse_text (
      "This is the mail system at host mail.example.org.\n"
      "\n"
      "                   The mail system\n"
      "\n"
      "<bob@example.net>: host mx.example.net[192.0.2.25] refused to talk to me:\n"
      "    554 5.7.1 Service unavailable; client host blocked\n");
    BounceFact *f = nth (facts, 0);

    g_assert_cmpint (f->command, ==, BOUNCE_SMTP_COMMAND_CONNECT);
    g_assert_false (f->command_unknown);
  }
  {
    /* the SMTP server's transcript for the postmaster */
    g_autoptr(GPtrArray) facts = parse_text (
      "Transcript of session follows.\n"
      "\n"
      " Out: 220 mx.example.org ESMTP Postfix\n"
      " In:  EHLO client.example.net\n"
      " Out: 250 mx.example.org\n"
      " In:  MAIL FROM:<alice@example.net>\n"
      " Out: 250 2.1.0 Ok\n"
      " In:  RCPT TO:<bob@example.org>\n"
      " Out: 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table\n"
      " In:  RCPT TO:<carol@example.org>\n"
      " Out: 250 2.1.5 Ok\n"
      " In:  DATA\n"
      " Out: 554 5.7.1 Message rejected by content filter\n"
      " In:  QUIT\n"
      " Out: 221 2.0.0 Bye\n"
      "\n"
      "For other details, see the local mail logfile\n");
    BounceFact *f = nth (facts, 0);

    g_assert_cmpuint (facts->len, ==, 2);
    g_assert_cmpstr (f->address, ==, "bob@example.org");
    g_assert_cmpint (f->command, ==, BOUNCE_SMTP_COMMAND_RCPT);
    g_assert_true (g_str_has_prefix (f->text, "550 5.1.1 <bob@example.org>"));
    f = nth (facts, 1);
    g_assert_cmpstr (f->address, ==, "carol@example.org");
    g_assert_cmpint (f->command, ==, BOUNCE_SMTP_COMMAND_DATA);
    g_assert_cmpstr (f->text, ==, "554 5.7.1 Message rejected by content filter");
  }
}

/* qmail's table is read against the first line of the reply it quotes
 * too (Sisimai's Lhost::qmail "alterrors"): a remote server's "not enough
 * free space" is a full system, whatever "mailbox unavailable" says. */
static void
test_qmail_reply_table (void)
{
  g_autoptr(GPtrArray) facts = parse_text (
    "Hi. This is the qmail-send program at mail.example.org.\n"
    "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
    "This is a permanent error; I've given up. Sorry it didn't work out.\n"
    "\n"
    "<bob@example.net>:\n"
    "192.0.2.7 does not like recipient.\n"
    "Remote host said: 452 Requested action not taken: mailbox unavailable (not enough free space)\n"
    "Giving up on 192.0.2.7.\n"
    "\n"
    "--- Below this line is a copy of the message.\n");
  BounceFact *f = nth (facts, 0);

  g_assert_cmpstr (f->layout, ==, "qmail");
  g_assert_cmpstr (f->reason, ==, "systemfull");
  g_assert_cmpint (f->command, ==, BOUNCE_SMTP_COMMAND_RCPT);
}

/* Exchange's RESOLVER.RST.RecipSizeLimit: the message is larger than the
 * recipient accepts (Sisimai's Lhost::Exchange2007: mesgtoobig). */
static void
test_exchange2007_size (void)
{
  static const char text[] =
    "From: postmaster@example.org\n"
    "To: alice@example.org\n"
    "Subject: Undeliverable: hello\n"
    "Content-Language: en-US\n"
    "\n"
    "Delivery has failed to these recipients or groups:\n"
    "\n"
    "Diagnostic information for administrators:\n"
    "\n"
    "Generating server: mail.example.org\n"
    "\n"
    "bob@example.net\n"
    "#550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient ##\n"
    "\n"
    "Original message headers:\n";
  g_autofree char *reason = engine_reason (text);
  g_autoptr(GPtrArray) facts = parse_text (text);
  BounceFact *f = nth (facts, 0);

  g_assert_cmpstr (f->layout, ==, "exchange2007");
  g_assert_cmpstr (f->reason, ==, "mesgtoobig");
  g_assert_cmpstr (reason, ==, "mesgtoobig");
}

/* Office 365's headline when the receiving server refused the message
 * names that server first ("<host> rejected your message to the following
 * e-mail addresses:"); the report is still Office 365's and its status
 * table applies (Sisimai's Lhost::Office365: 5.4.1 is norelaying). */
static void
test_office365_rejected_headline (void)
{
  static const char text[] =
    "From: postmaster@example.org\n"
    "To: alice@example.org\n"
    "Subject: Undeliverable: hello\n"
    "X-MS-Exchange-Message-Is-Ndr:\n"
    "\n"
    "mx1.example.net rejected your message to the following email addresses:\n"
    "\n"
    "Bob (bob@example.net)<mailto:bob@example.net>\n"
    "\n"
    "Diagnostic information for administrators:\n"
    "\n"
    "Generating server: XY0PR01MB0001.eurprd01.prod.outlook.com\n"
    "\n"
    "bob@example.net\n"
    "mx1.example.net\n"
    "Remote Server returned '550 5.4.1 Relay access denied'\n"
    "\n"
    "Original message headers:\n";
  g_autoptr(GPtrArray) facts = parse_text (text);
  BounceFact *f = nth (facts, 0);

  g_assert_cmpuint (facts->len, ==, 1);
  g_assert_cmpstr (f->layout, ==, "office365");
  g_assert_cmpstr (f->address, ==, "bob@example.net");
  g_assert_cmpstr (f->reason, ==, "norelaying");
}

/* SendGrid's report says "Action: expired" when it stopped retrying: the
 * time to deliver ran out (Sisimai's Lhost::SendGrid: expired), whatever
 * the last reply was. */
static void
test_sendgrid_action_expired (void)
{
  static const char text[] =
    "From: MAILER-DAEMON\n"
    "Return-Path: <apps@sendgrid.net>\n"
    "To: alice@example.org\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"zz\"\n"
    "\n"
    "--zz\n"
    "Content-Type: text/plain\n"
    "\n"
    "This is an automatically generated message from SendGrid.\n"
    "\n"
    "Your message could not be delivered to a recipient.\n"
    "\n"
    "--zz\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "X-SendGrid-QueueID: 4242\n"
    "\n"
    "Final-Recipient: rfc822; carol@example.net\n"
    "Action: expired\n"
    "Status: 4.0.0\n"
    "Diagnostic-Code: smtp; 421 Too many errors on this connection\n"
    "\n"
    "--zz--\n";
  g_autofree char *reason = engine_reason (text);
  g_autoptr(GPtrArray) facts = parse_text (text);
  BounceFact *f = nth (facts, 0);

  g_assert_cmpuint (facts->len, ==, 1);
  g_assert_cmpstr (f->layout, ==, "sendgrid");
  g_assert_cmpstr (f->address, ==, "carol@example.net");
  g_assert_cmpstr (f->reason, ==, "expired");
  g_assert_cmpstr (reason, ==, "expired");
}

/* Exchange 2003's codes for a remote refusal name no condition: the
 * remote words after the code do (Sisimai's Lhost::Exchange2003 judges
 * them alone), not Exchange's general sentence above them. */
static void
test_exchange2003_remote_code (void)
{
  static const char text[] =
    "From: System Administrator <postmaster@example.org>\n"
    "To: alice@example.org\n"
    "Subject: Undeliverable: hello\n"
    "X-MS-Embedded-Report: \n"
    "\n"
    "Your message\n"
    "\n"
    "  To:      bob@example.net\n"
    "  Subject: hello\n"
    "\n"
    "did not reach the following recipient(s):\n"
    "\n"
    "bob@example.net on Mon, 7 Dec 2026 01:00:05 +0000\n"
    "    The recipient name is not recognized\n"
    "    MSEXCH:IMS:Example:EXAMPLE:MAIL1 0 (000B09AA) Unable to relay for bob@example.net\n";
  g_autofree char *reason = engine_reason (text);
  g_autoptr(GPtrArray) facts = parse_text (text);
  BounceFact *f = nth (facts, 0);

  g_assert_cmpstr (f->layout, ==, "exchange2003");
  g_assert_null (f->reason);
  g_assert_cmpstr (reason, ==, "norelaying");
}

/* m-FILTER's notice without "-------SMTP command": the delivery failed
 * before any command (Sisimai's Lhost::mFILTER reads it too). */
static void
test_mfilter_no_command (void)
{
  g_autoptr(GPtrArray) facts = parse_text (
    "From: postmaster@example.org\n"
    "To: alice@example.org\n"
    "Subject: failure notice\n"
    "X-Mailer: m-FILTER\n"
    "\n"
    "bob@example.net\n"
    "\n"
    "-------server message\n"
    "Host not found: example.net\n"
    "\n"
    "-------original message\n"
    "From: alice@example.org\n"
    "To: bob@example.net\n"
    "Subject: hi\n");
  BounceFact *f = nth (facts, 0);

  g_assert_cmpuint (facts->len, ==, 1);
  g_assert_cmpstr (f->layout, ==, "mfilter");
  g_assert_cmpstr (f->address, ==, "bob@example.net");
  g_assert_cmpstr (f->text, ==, "Host not found: example.net");
  g_assert_true (f->command_unknown);
}

/* amavisd-new's category tag ("- BAD HEADER:", "- Message size exceeds
 * recipient's size limit") names the reason, as Sisimai's Lhost::Amavis
 * keeps it, over other words in its reply. */
static void
test_amavis_tag (void)
{
  static const char * const replies[][3] = {
    { "554 5.6.3 Reject, id=12345-01 - BAD HEADER: nonencoded 8-bit character", "5.6.3", "contenterror" },
    { "552 5.3.4 Reject, id=12345-01 - Message size exceeds recipient's size limit", "5.3.4", "exceedlimit" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "From: \"Content-filter at mail.example.org\" <postmaster@mail.example.org>\n"
        "To: alice@example.org\n"
        "Subject: Undeliverable mail, MTA-BLOCKED\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"BB\"\n"
        "\n"
        "--BB\n"
        "Content-Type: text/plain\n"
        "\n"
        "This nondelivery report was generated by the program amavisd-new at host\n"
        "mail.example.org.\n"
        "\n"
        "The message WAS NOT delivered to:\n"
        "<bob@example.net>:\n"
        "   %s\n"
        "\n"
        "--BB\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; mail.example.org\n"
        "\n"
        "Final-Recipient: rfc822; bob@example.net\n"
        "Action: failed\n"
        "Status: %s\n"
        "Diagnostic-Code: smtp; %s\n"
        "\n"
        "--BB--\n", replies[i][0], replies[i][1], replies[i][0]);
      g_autofree char *reason = engine_reason (text);

      g_assert_cmpstr (reason, ==, replies[i][2]);
    }
}

/* Gmail's older notice that names the recipient and nothing more: the
 * opening sentence is what was said about it (Sisimai 5.3.0 and 4.25
 * lib/Sisimai/Lhost/Gmail.pm keep it in the diagnosis), so the cause is
 * on hold, not undefined (lib/Sisimai/Reason.pm find()).  A second
 * recipient under a later "has been delayed:" keeps that opener. */
static void
test_gmail_opener_only (void)
{
  static const char text[] =
    "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
    "To: alice@example.org\n"
    "Subject: Delivery Status Notification (Failure)\n"
    "\n"
    "This is an automatically generated Delivery Status Notification\n"
    "\n"
    "Delivery to the following recipient failed permanently:\n"
    "\n"
    "     bob@example.net\n"
    "\n"
    "Delivery to the following recipient has been delayed:\n"
    "\n"
    "     carol@example.net\n"
    "\n"
    "   ----- Original message -----\n"
    "\n"
    "Message removed\n";
  g_autofree char *reason = engine_reason (text);
  g_autoptr(GPtrArray) facts = parse_text (text);

  g_assert_cmpuint (facts->len, ==, 2);
  g_assert_cmpstr (nth (facts, 0)->layout, ==, "gmail");
  g_assert_cmpstr (nth (facts, 0)->text, ==, "Delivery to the following recipient failed permanently:");
  g_assert_cmpstr (nth (facts, 1)->text, ==, "Delivery to the following recipient has been delayed:");
  g_assert_cmpstr (nth (facts, 1)->reason, ==, "expired");
  g_assert_cmpstr (reason, ==, "onhold");
}

/* PowerMTA names its verdict in a field of its delivery report, which
 * wins over the reply's vaguer words; the text part names the recipient
 * only. */
static void
test_powermta (void)
{
  g_autoptr(BounceInput) whole = load_sample ("powermta");
  g_autofree char *pasted = first_text_part (whole);
  g_autofree char *reason = engine_reason (bounce_input_get_text (whole));
  g_autoptr(GBytes) bytes = g_bytes_new (pasted, strlen (pasted));
  g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "pasted", NULL, NULL);
  g_autoptr(BounceRecipient) r = g_list_model_get_item (bounce_report_get_recipients (report), 0);

  g_assert_cmpstr (reason, ==, "userunknown");
  g_assert_nonnull (r);
  g_assert_cmpstr (bounce_recipient_get_address (r), ==, "bob@example.net");
}

/* Ordinary mail that quotes a layout's words is none of them. */
static void
test_not_a_layout (void)
{
  static const char * const texts[] = {
    "From: alice@example.org\nTo: bob@example.net\nSubject: your question\n\n"
    "Hi Bob, the bounce said \"The mail system\" and then nothing else.\n"
    "<carol@example.com>: I think that was it.\n",
    "From: alice@example.org\nSubject: minutes\n\n"
    "Your message\n\n  Subject: minutes\n\nwas read by Carol.\n",
    "From: alice@example.org\nSubject: notes\n\n"
    "Your message to: bob@example.net\nwas lovely, thanks.\n"
    "-- bob@example.net\n"
    "Recipient address: bob@example.net\nReason: none\n",
    "From: alice@example.org\nSubject: filters\n\n"
    "We run amavisd-new and Barracuda here.\n"
    "The message WAS NOT relayed to:\n  <bob@example.net>: we forgot.\n",
    "From: alice@example.org\nSubject: transcript\n\n"
    "In: the meeting\nOut: of time\nTranscript of session follows.\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(BounceInput) input = input_from_text (texts[i]);
      g_autoptr(GPtrArray) facts = bounce_layouts_parse_text (input, 0);

      if (facts != NULL)
        g_error ("text %u read as %s", i, ((BounceFact *) facts->pdata[0])->layout);
    }
}

/* Whether bob@example.net is among the addresses the generic scan finds. */
static gboolean
scan_finds_bob (const char *text)
{
  g_autoptr(BounceInput) input = input_from_text (text);
  g_autoptr(BounceLayoutDoc) doc = bounce_layout_doc_new (input, 0, NULL, text);
  g_autoptr(GPtrArray) facts = bounce_layouts_run (doc, BOUNCE_LAYOUT_SCAN, NULL);

  for (guint i = 0; facts != NULL && i < facts->len; i++)
    if (g_strcmp0 (((BounceFact *) facts->pdata[i])->address, "bob@example.net") == 0)
      return TRUE;
  return FALSE;
}

/* The generic scan's reading of the words around an address, where its
 * caseless patterns match more than their words in ASCII: a U+017F for an
 * 's', a no-break space after "Return-Path:", other scripts' digits in a
 * reply code.  (Its quick tests before each pattern must let these
 * through.) */
static void
test_text_scan_unicode (void)
{
  /* "Addreſſ:" before the address says it is a recipient */
  g_assert_true (scan_finds_bob ("Your message could not be delivered.\n"
                                 "\n"
                                 "Addre\xc5\xbf\xc5\xbf: bob@example.net\n"));
  g_assert_false (scan_finds_bob ("Your message could not be delivered.\n"
                                  "\n"
                                  "Sent on behalf of: bob@example.net\n"));
  /* a reply code in Arabic-Indic digits after the 5 */
  g_assert_true (scan_finds_bob ("Your message could not be delivered.\n"
                                 "\n"
                                 "5\xd9\xa5\xd9\xa0 <bob@example.net>... Refused\n"));
  g_assert_false (scan_finds_bob ("Your message could not be delivered.\n"
                                  "\n"
                                  "5.0.0 <bob@example.net>... Refused\n"));
  /* the address after "Return-Path:" and a no-break space is the sender's */
  g_assert_false (scan_finds_bob ("Your message could not be delivered to the recipients below.\n"
                                  "\n"
                                  "Return-Path:\xc2\xa0\n"
                                  "<bob@example.net>\n"
                                  "\n"
                                  "Failed:\n"
                                  "<carol@example.org>\n"));
  g_assert_true (scan_finds_bob ("Your message could not be delivered to the recipients below.\n"
                                 "\n"
                                 "Return-Path: none\n"
                                 "<bob@example.net>\n"));
}

/* After an address at a line's start, words that say what went wrong make
 * it a recipient: read by hand in ASCII, as the pattern below matches them
 * (whole words, any case, blanks between), on texts of its words, near
 * misses and other words around them. */
static void
test_text_scan_error_words (void)
{
  static const char * const words[] = {
    "user unknown", "unknown\tuser", "unknown host", "unknown  domain", "unknown address", "unknown recipient",
    "does not exist", "no such", "not found", "rejected", "refused", "denied", "blocked", "blacklisted",
    "listed", "quota", "full", "undeliverable", "could not be delivered", "failed", "failure", "unavailable",
    "not allowed", "spam", "invalid", "disabled", "suspended", "timeout", "timedout", "time out", "timed out",
    "timed  out", "time", "error", "errors", "user", "unknown", "does not", "no", "not", "fully", "spammer",
    "unlisted", "x", "_", "1", "-", ".", "(", " ", "  ", "\t", "mailbox", "quotas",
  };
  g_autoptr(GRegex) regex = g_regex_new ("\\b(?:user\\s+unknown|unknown\\s+(?:user|host|domain|address|recipient)|"
                                         "does\\s+not\\s+exist|no\\s+such|not\\s+found|rejected|refused|denied|"
                                         "blocked|blacklisted|listed|quota|full|undeliverable|could\\s+not\\s+be\\s+delivered|"
                                         "failed|failure|unavailable|not\\s+allowed|spam|invalid|disabled|suspended|"
                                         "timed?\\s*out|error)\\b",
                                         G_REGEX_CASELESS | G_REGEX_MULTILINE, 0, NULL);
  GRand *rand = g_rand_new_with_seed (20261207);
  guint found = 0;

  for (guint n = 0; n < 3000; n++)
    {
      g_autoptr(GString) after = g_string_new ("Recipient ");
      g_autofree char *text = NULL;
      gboolean expected;
      guint parts = g_rand_int_range (rand, 1, 5);

      for (guint i = 0; i < parts; i++)
        for (const char *c = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]; *c != '\0'; c++)
          g_string_append_c (after, g_rand_boolean (rand) ? *c : g_ascii_toupper (*c));
      expected = g_regex_match (regex, after->str + strlen ("Recipient"), 0, NULL);
      text = g_strdup_printf ("Your message could not be delivered.\n\nbob@example.net %s\n", after->str);
      if (scan_finds_bob (text) != expected)
        g_error ("\"%s\": the regex %d", after->str, expected);
      found += expected;
    }
  g_assert_cmpuint (found, >, 500);
  g_rand_free (rand);
}

/* The replies quoted in a verdict ("...minutes.<421 4.4.2 Connection timed
 * out>") and in the list of attempts ("returned '550 5.1.1 ...'"), also
 * after other angle brackets and quotes. */
static void
test_quoted_replies (void)
{
  BounceQuotedReply q = { 0 };

  g_assert_true (bounce_layouts_verdict_quote ("554 4.4.7 Message expired: unable to deliver in 840 minutes."
                                               "<421 4.4.2 Connection timed out>", &q));
  g_assert_cmpstr (q.reply, ==, "421");
  g_assert_cmpstr (q.enhanced, ==, "4.4.2");
  g_assert_true (bounce_layouts_verdict_quote ("<bob@example.net>: <x> <3> Message expired; "
                                               "<550 5.1.1 User unknown>", &q));
  g_assert_cmpstr (q.reply, ==, "550");
  g_assert_cmpstr (q.enhanced, ==, "5.1.1");
  g_assert_false (bounce_layouts_verdict_quote ("554 4.4.7 Message expired <bob@example.net>", &q));

  g_assert_true (bounce_layouts_attempt_reply ("Remote Server at mx.example.net (192.0.2.7) returned "
                                               "'550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'", FALSE, &q));
  g_assert_cmpstr (q.said, ==, "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found");
  g_assert_cmpstr (q.enhanced, ==, "5.1.1");
  g_assert_true (bounce_layouts_attempt_reply ("'s 'x' 3' Remote Server at mx.example.net (192.0.2.7) RETURNED  "
                                               "'451 4.4.0 Primary target IP address responded with: \"421\"'",
                                               FALSE, &q));
  g_assert_cmpstr (q.reply, ==, "451");
  g_assert_false (bounce_layouts_attempt_reply ("Remote Server at mx.example.net (192.0.2.7) returned '250 OK'",
                                                FALSE, &q));
  bounce_quoted_reply_clear (&q);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *path = g_strdup_printf ("/layouts-mta/%s", samples[i].sample);

      g_test_add_data_func (path, &samples[i], test_sample);
    }
  for (guint i = 0; i < G_N_ELEMENTS (whole_only); i++)
    {
      g_autofree char *path = g_strdup_printf ("/layouts-mta/%s", whole_only[i].sample);

      g_test_add_data_func (path, &whole_only[i], test_whole_only);
    }
  g_test_add_func ("/layouts-mta/postfix-notices", test_postfix_notices);
  g_test_add_func ("/layouts-mta/qmail-reply-table", test_qmail_reply_table);
  g_test_add_func ("/layouts-mta/exchange2007-size", test_exchange2007_size);
  g_test_add_func ("/layouts-mta/office365-rejected-headline", test_office365_rejected_headline);
  g_test_add_func ("/layouts-mta/sendgrid-action-expired", test_sendgrid_action_expired);
  g_test_add_func ("/layouts-mta/exchange2003-remote-code", test_exchange2003_remote_code);
  g_test_add_func ("/layouts-mta/mfilter-no-command", test_mfilter_no_command);
  g_test_add_func ("/layouts-mta/amavis-tag", test_amavis_tag);
  g_test_add_func ("/layouts-mta/powermta", test_powermta);
  g_test_add_func ("/layouts-mta/not-a-layout", test_not_a_layout);
  g_test_add_func ("/layouts-mta/text-scan-unicode", test_text_scan_unicode);
  g_test_add_func ("/layouts-mta/quoted-replies", test_quoted_replies);
  g_test_add_func ("/layouts-mta/text-scan-error-words", test_text_scan_error_words);
  g_test_add_func ("/layouts-mta/gmail-opener-only", test_gmail_opener_only);
  return g_test_run ();
}
