/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"
#include "bounce-layouts.h"

/* The layouts of mail providers and services (src/core/layouts/:
 * gmail-current.c, microsoft365.c, facebook.c, ...), each on a sample written for these
 * tests in tests/layouts/<name>.eml (made-up hosts and addresses): the
 * layout's own facts (recipient, command, its reason), what the engine
 * makes of the whole message, and of the message's first text part
 * pasted alone, as a helpdesk user has it. */

typedef struct {
  const char *file;
  const char *layout;            /* the layout whose facts the message gives */
  const char *address;           /* its first recipient */
  guint n;                       /* how many */
  BounceSmtpCommand command;     /* the command the layout reports */
  gboolean command_unknown;      /* ... or that it never shows one */
  const char *layout_reason;     /* the layout's own reason, or NULL */
  const char *text;              /* words of the fact's text, or NULL */
  const char *reason;            /* the engine's reason for the recipient */
  const char *reply;             /* and its reply code, or NULL */
  /* the text part alone: the layout that reads it (NULL: not this layout;
   * with no reason either, the part names no recipient at all), the
   * engine's reason and reply */
  const char *pasted_layout;
  const char *pasted_reason;
  const char *pasted_reply;
} Sample;

#define NONE BOUNCE_SMTP_COMMAND_NONE
#define RCPT BOUNCE_SMTP_COMMAND_RCPT
#define DATA BOUNCE_SMTP_COMMAND_DATA

static const Sample samples[] = {
  { "facebook.eml", "facebook", "carol@example.com", 1, NONE, TRUE, "filtered", NULL,
    "filtered", "550", NULL, NULL, NULL },
  { "exchange2003.eml", "exchange2003", "bob@example.net", 1, NONE, TRUE, "userunknown", "(000C05A6) Unknown Recipient",
    "userunknown", NULL, "exchange2003", "userunknown", NULL },
  { "gmail.eml", "gmail", "bob@example.net", 1, RCPT, FALSE, "userunknown", "(state 14)",
    "userunknown", "550", "gmail", "userunknown", "550" },
  { "google-workspace.eml", "gmail-current", "bob@example.net", 1, NONE, TRUE, NULL, "Recipient address rejected",
    "userunknown", "550", "gmail-current", "userunknown", "550" },
  { "google-groups.eml", "google-groups", "team@googlegroups.com", 1, NONE, TRUE, "rejected", "the group you tried to contact",
    "rejected", NULL, NULL, NULL, NULL },
  { "amazon-ses.eml", "cisco-secure-email", "bob@example.net", 1, NONE, TRUE, NULL, "Recipient address rejected",
    "userunknown", "550", "cisco-secure-email", "userunknown", "550" },
  { "receiving-ses.eml", "receiving-ses", "bob@example.net", 1, NONE, TRUE, "filtered", NULL,
    "filtered", "550", NULL, NULL, NULL },
  { "sendgrid.eml", "sendgrid", "bob@example.net", 1, RCPT, FALSE, NULL, "User Unknown in RCPT TO",
    "userunknown", "550", "sendgrid", "userunknown", "550" },
  { "aol.eml", "aol", "bob@example.net", 1, NONE, TRUE, "hostunknown", NULL,
    "hostunknown", NULL, NULL, NULL, NULL },
  { "bigfoot.eml", "bigfoot", "bob@example.net", 1, RCPT, FALSE, NULL, NULL,
    "userunknown", "553", NULL, NULL, NULL },
  { "biglobe.eml", "biglobe", "bob@example.ne.jp", 1, NONE, TRUE, "mailboxfull", "exceeded the local limit",
    "mailboxfull", NULL, "biglobe", "mailboxfull", NULL },
  { "deutsche-telekom.eml", "deutsche-telekom", "bob@example.de", 1, NONE, TRUE, NULL, "552 5.2.2 <bob@example.de> Quota exceeded",
    "mailboxfull", "552", "deutsche-telekom", "mailboxfull", "552" },
  { "gmx.eml", "gmx", "bob@example.net", 1, RCPT, FALSE, NULL, "5.1.1 <bob@example.net>... User Unknown",
    "userunknown", NULL, "gmx", "userunknown", NULL },
  { "einsundeins.eml", "einsundeins", "bob@example.fr", 1, DATA, FALSE, NULL, "550 5.2.0 Mail refused by policy",
    "filtered", "550", "einsundeins", "filtered", "550" },
  /* the same notice with the address and the reply indented under it */
  { "einsundeins-indented.eml", "einsundeins", "bob@example.fr", 1, DATA, FALSE, NULL,
    "550 5.2.0 Mail refused by policy", "filtered", "550", "einsundeins", "filtered", "550" },
  { "mailru.eml", "mailru", "bob@example.net", 1, NONE, FALSE, "contenterror", "Too many \"Received\" headers",
    "contenterror", NULL, "mailru", "contenterror", NULL },
  { "yahoo.eml", "yahoo", "bob@example.net", 1, RCPT, FALSE, NULL, "Mailbox Full",
    "mailboxfull", "550", "x4", "mailboxfull", "550" },
  { "yandex.eml", "yandex", "bob@example.net", 1, RCPT, FALSE, NULL, "(in reply to RCPT TO command)",
    "userunknown", "550", "yandex", "userunknown", "550" },
  { "office365.eml", "office365", "bob@example.net", 1, NONE, TRUE, "userunknown", "RESOLVER.ADR.RecipientNotFound",
    "userunknown", "550", "office365", "userunknown", "550" },
  { "exchange2007.eml", "exchange2007", "bob@example.org", 1, NONE, TRUE, "userunknown", "RESOLVER.ADR.RecipNotFound",
    "userunknown", "550", "exchange2007", "userunknown", "550" },
  /* Exchange's account of a remote server's refusal: an on-premises
   * report names no command (Sisimai's Lhost::Exchange2007 reads none;
   * only its Lhost::Office365 takes RCPT TO from these words), so "User
   * unknown" at no command is a filter's (Reason/Filtered.pm, true()) */
  { "exchange2007-remote.eml", "exchange2007", "bob@example.net", 1, NONE, TRUE, NULL,
    "unknown recipient or mailbox unavailable -> 550 User unknown",
    "filtered", "550", "exchange2007", "userunknown", "550" },
  { "outlook.eml", "outlook", "bob@example.net", 1, NONE, TRUE, "userunknown", NULL,
    "userunknown", "550", "outlook", NULL, NULL },
  { "verizon.eml", "verizon", "5551234567@vzwpix.com", 1, NONE, TRUE, "userunknown", "no such user here",
    "userunknown", "550", "james", NULL, "550" },
  { "zoho.eml", "zoho", "bob@example.net", 1, NONE, FALSE, "expired", "Host not reachable",
    "expired", "421", "zoho", "expired", "421" },
  /* the carrier's notices are told by its domains, which a pasted part
   * about a recipient elsewhere does not name */
  { "ezweb.eml", "au", "bob@example.jp", 1, RCPT, FALSE, NULL, "User unknown",
    "userunknown", "550", NULL, "userunknown", "550" },
  { "kddi.eml", "au", "bob@example.jp", 1, NONE, FALSE, "mailboxfull", "As their mailbox is full",
    "mailboxfull", NULL, NULL, NULL, NULL },
};

static char *
sample_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "layouts", name, NULL);
}

static GBytes *
load (const char *name)
{
  g_autofree char *path = sample_path (name);
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

/* The message's first text part, as a mail program shows it. */
static GBytes *
first_text_part (GBytes *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceInput) input = bounce_input_new_from_bytes (message, NULL, &error);
  GPtrArray *segments;

  g_assert_no_error (error);
  segments = bounce_input_get_segments (input);
  for (guint i = 0; i < segments->len; i++)
    {
      BounceSegment *seg = segments->pdata[i];

      if (seg->kind == BOUNCE_SEGMENT_TEXT && seg->end > seg->start)
        return g_bytes_new (bounce_input_get_text (input) + seg->start, seg->end - seg->start);
    }
  g_assert_not_reached ();
}

static GPtrArray *
layout_facts (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceInput) input = bounce_input_new_from_bytes (bytes, NULL, &error);

  g_assert_no_error (error);
  return bounce_layouts_parse_text (input, 0);
}

static BounceReport *
analyze (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  BounceReport *report = bounce_analyze_bytes (bytes, "sample", NULL, &error);

  g_assert_no_error (error);
  return report;
}

static BounceRecipient *
first_recipient (BounceReport *report)
{
  GListModel *list = bounce_report_get_recipients (report);

  g_assert_cmpuint (g_list_model_get_n_items (list), >, 0);
  return g_list_model_get_item (list, 0);
}

static void
test_sample (gconstpointer data)
{
  const Sample *s = data;
  g_autoptr(GBytes) message = load (s->file);
  g_autoptr(GPtrArray) facts = layout_facts (message);
  g_autoptr(BounceReport) report = analyze (message);
  g_autoptr(BounceRecipient) r = NULL;
  g_autoptr(GBytes) pasted = NULL;
  g_autoptr(GPtrArray) pasted_facts = NULL;
  g_autoptr(BounceReport) pasted_report = NULL;
  BounceFact *f;

  /* the layout's own reading */
  g_assert_nonnull (facts);
  g_assert_cmpuint (facts->len, ==, s->n);
  f = facts->pdata[0];
  g_assert_cmpstr (f->layout, ==, s->layout);
  g_assert_cmpstr (f->address, ==, s->address);
  g_assert_cmpint (f->command, ==, s->command);
  g_assert_cmpint (f->command_unknown, ==, s->command_unknown);
  g_assert_cmpstr (f->reason, ==, s->layout_reason);
  if (s->text != NULL)
    {
      g_assert_nonnull (f->text);
      if (strstr (f->text, s->text) == NULL)
        g_error ("%s: \"%s\" not in \"%s\"", s->file, s->text, f->text);
    }

  /* the engine on the whole message */
  r = first_recipient (report);
  g_assert_cmpstr (bounce_recipient_get_address (r), ==, s->address);
  g_assert_cmpstr (bounce_recipient_get_reason (r), ==, s->reason);
  g_assert_cmpstr (bounce_recipient_get_reply_code (r), ==, s->reply);

  /* the text part alone */
  pasted = first_text_part (message);
  pasted_facts = layout_facts (pasted);
  pasted_report = analyze (pasted);
  if (s->pasted_layout == NULL)
    {
      /* nothing in the part tells the layout; the generic scan may still
       * find the recipient */
      g_assert_true (pasted_facts == NULL || g_strcmp0 (((BounceFact *) pasted_facts->pdata[0])->layout, s->layout) != 0);
      if (s->pasted_reason == NULL)
        return;
    }
  else
    {
      g_assert_nonnull (pasted_facts);
      f = pasted_facts->pdata[0];
      g_assert_cmpstr (f->layout, ==, s->pasted_layout);
      g_assert_cmpstr (f->address, ==, s->address);
    }
  g_clear_object (&r);
  r = first_recipient (pasted_report);
  g_assert_cmpstr (bounce_recipient_get_address (r), ==, s->address);
  if (s->pasted_reason != NULL)
    g_assert_cmpstr (bounce_recipient_get_reason (r), ==, s->pasted_reason);
  g_assert_cmpstr (bounce_recipient_get_reply_code (r), ==, s->pasted_reply);
}

/* A feedback report pasted as text: its opening sentence and fields. */
static void
test_arf_pasted (void)
{
  g_autoptr(GBytes) message = load ("arf.eml");
  g_autoptr(GBytes) pasted = first_text_part (message);
  g_autoptr(BounceReport) whole = analyze (message);
  g_autoptr(BounceReport) report = analyze (pasted);
  g_autoptr(BounceRecipient) r = first_recipient (report);
  g_autoptr(GBytes) sentence = NULL;
  g_autoptr(BounceReport) sentence_report = NULL;
  g_autoptr(BounceRecipient) anonymous = NULL;
  const char *text = "This is an opt-out report for an email message received from IP\n"
                     "192.0.2.89 on Tue, 3 Nov 2026 09:00:00 +0000.\n";

  g_assert_cmpint (bounce_report_get_kind (whole), ==, BOUNCE_KIND_FEEDBACK);
  g_assert_cmpint (bounce_report_get_kind (report), ==, BOUNCE_KIND_FEEDBACK);
  g_assert_cmpstr (bounce_report_get_feedback_type (report), ==, "abuse");
  g_assert_cmpstr (bounce_recipient_get_address (r), ==, "bob@example.net");
  g_assert_cmpstr (bounce_recipient_get_reason (r), ==, "feedback");

  /* the sentence alone says what kind of report it is, not for whom */
  sentence = g_bytes_new_static (text, strlen (text));
  sentence_report = analyze (sentence);
  g_assert_cmpint (bounce_report_get_kind (sentence_report), ==, BOUNCE_KIND_FEEDBACK);
  g_assert_cmpstr (bounce_report_get_feedback_type (sentence_report), ==, "opt-out");
  anonymous = first_recipient (sentence_report);
  g_assert_null (bounce_recipient_get_address (anonymous));
  g_assert_cmpstr (bounce_recipient_get_reason (anonymous), ==, "feedback");
}

/* Amazon WorkMail's verdict quotes the remote server's last reply, which
 * says what happened; its text part repeats the report's fields. */
static void
test_amazon_workmail (void)
{
  g_autoptr(GBytes) message = load ("amazon-workmail.eml");
  g_autoptr(GBytes) pasted = first_text_part (message);
  GBytes *inputs[] = { message, pasted };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(BounceReport) report = analyze (inputs[i]);
      g_autoptr(BounceRecipient) r = first_recipient (report);

      g_assert_cmpstr (bounce_recipient_get_address (r), ==, "bob@example.net");
      /* the reply of its 5.4.7 status's class, not the quoted 421 */
      g_assert_cmpstr (bounce_recipient_get_reply_code (r), ==, "554");
      g_assert_cmpstr (bounce_recipient_get_reason (r), ==, "expired");
    }
}

/* au by KDDI's spam filter marks the notices of what it refused. */
static void
test_au_spam_filter (void)
{
  const char *text = "From: Postmaster@ezweb.ne.jp\n"
                     "Subject: Mail System Error - Returned Mail\n"
                     "X-SPASIGN: NG\n"
                     "\n"
                     "Each of the following recipients was rejected by a remote mail server.\n"
                     "\n"
                     "<bob@example.jp>\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GPtrArray) facts = layout_facts (bytes);
  BounceFact *f;

  g_assert_nonnull (facts);
  f = facts->pdata[0];
  g_assert_cmpstr (f->layout, ==, "au");
  g_assert_cmpstr (f->reason, ==, "filtered");
}

/* Text that only talks about reports is no report. */
static void
test_arf_negative (void)
{
  const char *text = "Hi Bob,\n"
                     "this is a reminder that the quarterly report for an email campaign is due.\n"
                     "Feedback-Type: none of your business\n";
  /* a delivery report that calls itself a report for a message */
  const char *dsn = "This is a delivery failure report for an email message you sent.\n"
                    "\n"
                    "<bob@example.net>: 550 5.1.1 User unknown\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(BounceReport) report = analyze (bytes);
  g_autoptr(GBytes) dsn_bytes = g_bytes_new_static (dsn, strlen (dsn));
  g_autoptr(BounceReport) dsn_report = analyze (dsn_bytes);

  g_assert_cmpint (bounce_report_get_kind (report), !=, BOUNCE_KIND_FEEDBACK);
  g_assert_cmpint (bounce_report_get_kind (dsn_report), ==, BOUNCE_KIND_FAILURE);
}

/* Automatic replies as RFC 3834 and the auto-responders mark them, and
 * the system mail that is never one. */
static void
test_autoreply (void)
{
  static const struct {
    const char *headers;
    BounceKind kind;
  } cases[] = {
    { "From: bob@example.net\nSubject: Re: hello\nPrecedence: auto_reply\n", BOUNCE_KIND_AUTOREPLY },
    { "From: bob@example.net\nSubject: Re: hello\nX-Apple-Action: vacation\n", BOUNCE_KIND_AUTOREPLY },
    { "From: bob@example.net\nSubject: Automatic reply: hello\n", BOUNCE_KIND_AUTOREPLY },
    { "From: root@example.net\nSubject: Out of office: hello\n", BOUNCE_KIND_NOT_BOUNCE },
    { "From: bob@example.net\nTo: root@example.org\nSubject: Auto: hello\n", BOUNCE_KIND_NOT_BOUNCE },
    { "From: bob@example.net\nSubject: *** SECURITY information for host ***\nPrecedence: auto_reply\n",
      BOUNCE_KIND_NOT_BOUNCE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("%sDate: Tue, 03 Nov 2026 10:00:00 +0000\n"
                                               "Message-Id: <1@example.net>\n\n"
                                               "I am away until Monday and will read your message then.\n",
                                               cases[i].headers);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(BounceReport) report = analyze (bytes);

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpint (bounce_report_get_kind (report), ==, cases[i].kind);
    }
}

/* Exchange's MTA lists a recipient of its own directory by display name
 * (Microsoft KB Q193321): still a failed recipient, with no address; and
 * the MSEXCH line ends an entry, so the returned message's text after it is
 * not the server's words. */
static void
test_exchange2003_display_name (void)
{
  const char *text = "Return-Path: <>\n"
                     "From: System Administrator <postmaster@example.org>\n"
                     "To: alice@example.org\n"
                     "Subject: Undeliverable: quarterly figures\n"
                     "X-Mailer: Internet Mail Service (5.5.2657.72)\n"
                     "\n"
                     "Your message\n"
                     "\n"
                     "  To:      team@example.net\n"
                     "  Subject: quarterly figures\n"
                     "  Sent:    Tue, 3 Nov 2026 09:58:12 +0100\n"
                     "\n"
                     "did not reach the following recipient(s):\n"
                     "\n"
                     "'Test User' on 3/11/26 10:00:00\n"
                     "    The recipient name is not recognized\n"
                     "    The MTS-ID of the original message is: c=US;a= ;p=Example\n"
                     "    MSEXCH:MSExchangeMTA:EXAMPLE:MAIL1\n"
                     "\n"
                     "Hello team, the figures are attached.\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GPtrArray) facts = layout_facts (bytes);
  g_autoptr(BounceReport) report = analyze (bytes);
  g_autoptr(BounceRecipient) r = NULL;
  BounceFact *f;

  g_assert_nonnull (facts);
  g_assert_cmpuint (facts->len, ==, 1);
  f = facts->pdata[0];
  g_assert_cmpstr (f->layout, ==, "exchange2003");
  g_assert_null (f->address);
  g_assert_true (f->nameless);
  g_assert_nonnull (strstr (f->text, "MSEXCH:MSExchangeMTA"));
  g_assert_null (strstr (f->text, "figures are attached"));

  g_assert_cmpint (bounce_report_get_kind (report), ==, BOUNCE_KIND_FAILURE);
  r = first_recipient (report);
  g_assert_null (bounce_recipient_get_address (r));
  g_assert_null (strstr (bounce_recipient_get_diagnostic (r), "figures are attached"));
}

/* Each layout keeps to its own: ordinary mail and the other samples. */
static void
test_negative (void)
{
  const char *text = "From: alice@example.org\n"
                     "To: bob@example.net\n"
                     "Subject: Delivery Status Notification\n"
                     "\n"
                     "Hi Bob,\n"
                     "** Address not found ** is what the old system said.\n"
                     "Delivery has failed to these recipients or groups: none, all fine.\n"
                     "\n"
                     "   ----- The following addresses had delivery problems -----\n"
                     "carol@example.com\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GPtrArray) facts = layout_facts (bytes);

  for (guint i = 0; facts != NULL && i < facts->len; i++)
    {
      BounceFact *f = facts->pdata[i];

      g_assert_cmpstr (f->layout, !=, "gmail-current");
      g_assert_cmpstr (f->layout, !=, "office365");
      g_assert_cmpstr (f->layout, !=, "biglobe");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();
  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *name = g_strdup_printf ("/layouts-providers/%s", samples[i].file);

      *strrchr (name, '.') = '\0';
      g_test_add_data_func (name, &samples[i], test_sample);
    }
  g_test_add_func ("/layouts-providers/arf-pasted", test_arf_pasted);
  g_test_add_func ("/layouts-providers/arf-negative", test_arf_negative);
  g_test_add_func ("/layouts-providers/amazon-workmail", test_amazon_workmail);
  g_test_add_func ("/layouts-providers/au-spam-filter", test_au_spam_filter);
  g_test_add_func ("/layouts-providers/autoreply", test_autoreply);
  g_test_add_func ("/layouts-providers/negative", test_negative);
  g_test_add_func ("/layouts-providers/exchange2003-display-name", test_exchange2003_display_name);
  return g_test_run ();
}
