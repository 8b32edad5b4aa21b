/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bounce-layout-lines.h"
#include "provider-layouts.h"

/* Gmail and Google Workspace (formerly G Suite).  One file for the three
 * readers of Google's notices: today's (parse_gmail_current and, for the
 * notices it does not take, read_google_notice), and the one from before
 * the "** Address not found **" style (bounce_layout_gmail, below). */

/* Gmail and Google Workspace, the notices of today: a heading between
 * asterisks ("** Address not found **", "** Domain not found **",
 * "** Message blocked **", "** Message not delivered **", "** Delivery
 * incomplete **"), a sentence naming the recipient ("Your message wasn't
 * delivered to <address> because ...", "Your message to <address> has
 * been blocked.", "There was a temporary problem delivering your message
 * to <address>. Gmail will retry ..."), an optional "Learn more here:"
 * link, then "The response from the remote server was:" (or "The response
 * was:") and the reply.  Learnt from such notices quoted in public
 * archives (a QEMU MAINTAINERS commit of 2023 quoting
 * "** Message blocked **", a Xen development list message of 2025 quoting
 * "** Address not found **"), and from the headings Sisimai's
 * Lhost::GoogleWorkspace starts at; the links they carry point to Google's
 * help (https://support.google.com/mail/?p=NoSuchUser).  The notice never
 * names the command. */

/* Headings and sentences that name the condition, used only when the
 * notice quotes no response: "** Address not found **" heads refusals of
 * every kind (a null MX, a missing domain, a filter), and the response
 * says which. */
static const BouncePhrase gmail_phrases[] = {
  { "because the domain ", "hostunknown" },
  { "** Domain not found **", "hostunknown" },
  { "because the address couldn't be found", "userunknown" },
};

/* The headings Google writes; an ordinary message may well have a line
 * between asterisks. */
static const char * const gmail_headings[] = {
  "** Address not found **",
  "** Domain not found **",
  "** Message blocked **",
  "** Message not delivered **",
  "** Delivery incomplete **",
};

static gboolean
gmail_heading (const BounceLine *l)
{
  const char *s;
  gsize n;

  bounce_line_trim (l, &s, &n);
  if (n < 6 || s[0] != '*' || s[1] != '*')
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (gmail_headings); i++)
    if (bounce_line_starts (l, gmail_headings[i]))
      return TRUE;
  return FALSE;
}

static gboolean
read_gmail_current (BounceLayoutDoc *d)
{
  int head = -1, response = -1;
  char *address = NULL;
  g_autofree char *sentence = NULL;
  const char *s;
  gsize n;
  guint last;
  BounceFact *r;
  g_autoptr(GString) diag = g_string_new (NULL);
  g_autoptr(GString) heading = NULL;

  for (guint i = 0; i < d->lines->len && head < 0; i++)
    if (gmail_heading (bounce_doc_line (d, i)))
      head = i;
  if (head < 0)
    return FALSE;
  /* the sentence naming the recipient, up to the response */
  for (guint i = head + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (bounce_line_starts (l, "The response from the remote server was:") ||
          bounce_line_starts (l, "The response was:"))
        {
          response = i;
          break;
        }
      if (address == NULL &&
          (bounce_line_starts (l, "Your message wasn't delivered to ") ||
           bounce_line_starts (l, "Your message to ") ||
           bounce_line_starts (l, "There was a problem delivering your message to ") ||
           bounce_line_starts (l, "There was a temporary problem delivering your message to ")))
        {
          bounce_line_trim (l, &s, &n);
          address = bounce_address_in (s, n);
          /* (a sentence without an address leaves address NULL, and the
           * next one is read too: the one before is freed, not leaked;
           * found by fuzz/fuzz-formats under LeakSanitizer) */
          g_free (sentence);
          sentence = g_strndup (s, n);
        }
    }
  if (address == NULL)
    return FALSE;
  last = response >= 0 ? (guint) response : (guint) head;
  for (guint i = last + 1; response >= 0 && i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (bounce_line_is_blank (l))
        {
          if (diag->len > 0)
            break;
          continue;
        }
      if (bounce_line_starts (l, "Final-Recipient:") || bounce_line_starts (l, "Reporting-MTA:"))
        break;
      bounce_diag_append_line (diag, l);
      last = i;
    }
  r = bounce_doc_add_fact (d, address, head, last);
  bounce_fact_set_diag (r, diag);
  r->command_unknown = TRUE;
  heading = g_string_new_len (bounce_doc_line (d, head)->s, bounce_doc_line (d, head)->len);
  if (diag->len == 0)
    {
      g_string_append_c (heading, ' ');
      g_string_append (heading, sentence);
      r->reason = g_strdup (bounce_phrase_reason (gmail_phrases, G_N_ELEMENTS (gmail_phrases), heading->str));
    }
  if (bounce_mem_find (heading->str, heading->len, "** Delivery incomplete **") != NULL)
    r->action = g_strdup ("delayed");
  return TRUE;
}

/* The same notices read more loosely, for what read_gmail_current() does
 * not take (several recipients, or none named in the notice).  Since about 2014: a heading between two pairs of stars, a paragraph that names the
 * recipient, and the remote server's reply after "The response was:" or
 * "The response from the remote server was:":
 *
 *   ** Address not found **
 *
 *   Your message wasn't delivered to bob@example.net because the address
 *   couldn't be found, or is unable to receive mail.
 *
 *   The response from the remote server was:
 *   550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown
 *
 * "** Delivery incomplete **" warns of a temporary problem; "** Message
 * not delivered **" and "** Message blocked **" are failures.  A notice
 * about the sender's own settings ("Send mail as") names no recipient:
 * the returned message's To: does.  The SMTP command is never shown.
 * Learnt from Google's help page "Fix bounced or rejected emails"
 * (https://support.google.com/mail/answer/6596) and Sisimai's
 * Lhost::GSuite and Lhost::GoogleWorkspace, which read the same layout
 * with and without a delivery report. */

/* Google's own sentences (the DNS ones decided below). */
static const BouncePhrase google_phrases[] = {
  { "because the address couldn't be found. Check for typos or unnecessary spaces and try again.", "userunknown" },
  { "Null MX", "notaccept" },
  { "had no relevant answers.", "networkerror" },
};

static gboolean
google_is_end (const BounceLine *l)
{
  return bounce_line_starts (l, "----- Original message -----") ||
         bounce_line_starts (l, "----- Message header follows -----") ||
         bounce_line_starts (l, "Content-Type: message/") || bounce_line_starts (l, "Content-Type: text/rfc822") ||
         bounce_line_starts (l, "Reporting-MTA:") || bounce_line_starts (l, "Final-Recipient:");
}

static void
google_reason (BounceFact *fact)
{
  const char *t = fact->text;
  gsize n = strlen (t);
  g_autofree char *reply = NULL;
  g_autofree char *status = NULL;

  if (bounce_fact_phrase_reason (fact, google_phrases, G_N_ELEMENTS (google_phrases), t))
    return;
  /* "DNS Error: DNS type 'mx' lookup of example.org responded with code
   * NXDOMAIN Domain name not found": the domain does not exist when a
   * permanent code says so; otherwise the lookup failed for now */
  if (bounce_mem_find (t, n, "responded with code NXDOMAIN") == NULL &&
      bounce_mem_find (t, n, "Domain name not found") == NULL)
    return;
  bounce_extract_first_codes (t, &reply, &status);
  fact->reason = g_strdup ((reply != NULL && reply[0] == '5') || (status != NULL && status[0] == '5')
                           ? "hostunknown" : "networkerror");
}

static gboolean
read_google_notice (BounceLayoutDoc *d)
{
  int heading = -1;
  guint i;
  gboolean temporary;
  g_autoptr(GString) diag = g_string_new (NULL);
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  guint first = 0, last = 0;
  int response = 0;          /* 1 after "The response was:", 2 in the reply */

  for (i = 0; i < d->lines->len && heading < 0; i++)
    if (gmail_heading (bounce_doc_line (d, i)))
      heading = i;
  if (heading < 0)
    return FALSE;
  /* the heading alone is too little: Google's sentences follow it */
  if (bounce_doc_find (d, heading, "The response was:") < 0 &&
      bounce_doc_find (d, heading, "The response from the remote server was:") < 0 &&
      bounce_doc_find (d, heading, "wasn't delivered to") < 0 &&
      bounce_doc_find (d, heading, "problem delivering your message to") < 0 &&
      bounce_doc_find (d, heading, "Your message to ") < 0)
    return FALSE;
  temporary = bounce_line_contains (bounce_doc_line (d, heading), "incomplete") ||
              bounce_doc_find (d, heading, "There was a temporary problem") >= 0;

  for (i = heading + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (google_is_end (l))
        break;
      if (bounce_line_starts (l, "The response"))
        response = 1;
      else if (response == 1 && !bounce_line_is_blank (l))
        response = 2;
      else if (response == 2 && bounce_line_is_blank (l))
        break;   /* the reply's paragraph is the last of the notice */
      if (bounce_line_is_blank (l) || bounce_line_starts (l, "Learn more") || bounce_line_starts (l, "LEARN MORE"))
        continue;
      /* the recipients are named in the first paragraph */
      if (addresses->len == 0 || i == last + 1)
        {
          gsize from = 0, s, e;
          char *address;

          while ((address = bounce_extract_address (l->s, l->len, from, &s, &e)) != NULL)
            {
              from = e;
              if (bounce_doc_is_ignored_address (d, address))
                {
                  g_free (address);
                  continue;
                }
              if (addresses->len == 0)
                first = i;
              last = i;
              g_ptr_array_add (addresses, address);
            }
        }
      bounce_diag_append_line (diag, l);
    }
  if (addresses->len == 0 && bounce_doc_original_header (d, "To") != NULL)
    {
      /* "Send mail as" and the like: the message's own recipient */
      const char *to = bounce_doc_original_header (d, "To");
      char *address = to != NULL ? bounce_extract_address (to, -1, 0, NULL, NULL) : NULL;

      if (address != NULL)
        g_ptr_array_add (addresses, address);
      first = last = heading;
    }
  for (guint k = 0; k < addresses->len; k++)
    {
      BounceFact *fact = bounce_doc_add_fact (d, g_strdup (addresses->pdata[k]), first, MAX (last, i - 1));

      bounce_fact_set_diag (fact, diag);
      if (temporary)
        fact->action = g_strdup ("delayed");
      fact->command = bounce_extract_smtp_command (diag->str, diag->len);
      fact->command_unknown = fact->command == BOUNCE_SMTP_COMMAND_NONE;
      if (fact->text != NULL)
        google_reason (fact);
    }
  return d->out->len > 0;
}

static gboolean
parse_gmail_current (BounceLayoutDoc *d)
{
  guint before = d->out->len;

  if (!read_gmail_current (d))
    return read_google_notice (d);
  /* Google's own words in the reply it quotes (DNS, null MX) */
  for (guint i = before; i < d->out->len; i++)
    {
      BounceFact *fact = d->out->pdata[i];

      if (fact->reason == NULL && fact->text != NULL)
        google_reason (fact);
    }
  return TRUE;
}

const BounceLayout bounce_layout_gmail_current = {
  .name = "gmail-current",
  .title = "Gmail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_gmail_current,
};

/* Gmail's notices from before its "** Address not found **" style (the
 * newer style is read above):
 *
 *   Delivery to the following recipient failed permanently:
 *
 *        bob@example.net
 *
 *   Technical details of permanent failure:
 *   Google tried to deliver your message, but it was rejected by the
 *   server for the recipient domain example.net by mx.example.net.
 *   [192.0.2.25].
 *
 *   The error that the other server returned was:
 *   550 5.1.1 <bob@example.net>... User Unknown (state 14).
 *
 * or "... has been delayed:" for a warning.  Each address is indented on a
 * line of its own; everything up to the next address or the returned
 * message explains it.  "(state N)" says at which step of Gmail's SMTP
 * session the reply came, hence the command.  Learnt from Sisimai's
 * Lhost::Gmail (Lhost::Google in its older releases), which collected the
 * state numbers from Gmail's help forum threads. */

static const char * const gmail_openers[] = {
  "Delivery to the following recipient failed permanently:",
  "Delivery to the following recipients failed permanently:",
  "Delivery to the following recipient has been delayed:",
  "Delivery to the following recipients has been delayed:",
  "Delivery to the following recipient failed temporarily:",
  NULL
};

/* Gmail's own sentences when no server replied at all. */
static const BouncePhrase gmail_old_phrases[] = {
  { "DNS Error: Could not contact DNS servers", "expired" },
  { "Delivery to the following recipient has been delayed", "expired" },
  { "The recipient server did not accept our requests to connect", "expired" },
  { "DNS Error: Domain name not found", "hostunknown" },
  { "DNS Error: DNS server returned answer with no data", "hostunknown" },
};

/* The step of the session: "(state 14)" and what it means. */
static const struct {
  int state;
  BounceSmtpCommand command;
  const char *reason;
} gmail_states[] = {
  { 6, BOUNCE_SMTP_COMMAND_MAIL, "systemerror" },      /* "Remote server does not support TLS" */
  { 8, BOUNCE_SMTP_COMMAND_CONNECT, "systemerror" },   /* AUTH failed */
  { 9, BOUNCE_SMTP_COMMAND_CONNECT, "systemerror" },   /* TLS certificate trouble */
  { 12, BOUNCE_SMTP_COMMAND_CONNECT, "norelaying" },   /* no authenticated relay */
  { 13, BOUNCE_SMTP_COMMAND_CONNECT, "blocked" },      /* refused at EHLO */
  { 14, BOUNCE_SMTP_COMMAND_RCPT, "userunknown" },
  { 15, BOUNCE_SMTP_COMMAND_DATA, "filtered" },
  { 17, BOUNCE_SMTP_COMMAND_DATA, "filtered" },
  { 18, BOUNCE_SMTP_COMMAND_DATA, "filtered" },
};

static gboolean
gmail_is_end (const BounceLine *l)
{
  return bounce_line_starts (l, "----- Original message -----") ||
         bounce_line_starts (l, "----- Message header follows -----");
}

/* "(state 14)" in text, or -1. */
static int
gmail_state (const char *text)
{
  const char *p = text != NULL ? strstr (text, "(state ") : NULL;
  int state = -1;

  for (; p != NULL; p = strstr (p + 1, "(state "))
    if (g_ascii_isdigit (p[7]))
      state = atoi (p + 7);
  return state;
}

/* A recipient with no details of its own ("Delivery to the following
 * recipient failed permanently:", the address, then the returned message)
 * keeps Gmail's opening sentence as what was said about it: Sisimai's
 * Lhost::Gmail reads its diagnosis from that sentence on (Sisimai 5.3.0
 * lib/Sisimai/Lhost/Gmail.pm, Debian libsisimai-perl 5.3.0-1, and 4.25
 * alike: the opener is not skipped), so such a recipient has a diagnosis
 * that names no cause, which lib/Sisimai/Reason.pm find() calls onhold,
 * not undefined (a notice with no text at all). */
static void
gmail_finish (BounceFact       *fact,
              GString          *diag,
              const BounceLine *opener)
{
  int state;
  g_autofree char *status = NULL;

  if (diag->len == 0 && opener != NULL)
    bounce_diag_append_line (diag, opener);
  bounce_fact_set_diag (fact, diag);
  if (fact->text == NULL)
    return;
  state = gmail_state (fact->text);
  for (gsize i = 0; i < G_N_ELEMENTS (gmail_states); i++)
    if (gmail_states[i].state == state)
      {
        fact->command = gmail_states[i].command;
        fact->reason = g_strdup (gmail_states[i].reason);
      }
  if (fact->reason == NULL)
    bounce_fact_phrase_reason (fact, gmail_old_phrases, G_N_ELEMENTS (gmail_old_phrases), fact->text);
  /* A precise status in the quoted reply says more than the step it came
   * at ("550 5.2.2 ... Mailbox Full (state 14)" is a full mailbox); one
   * with a zero subject or detail ("554 5.7.0 Header error (state 18)")
   * does not, and the step's reading stands, as in Sisimai's
   * Lhost::Gmail. */
  bounce_extract_first_codes (fact->text, NULL, &status);
  if (fact->reason != NULL && status != NULL && strstr (status, ".0") == NULL && state >= 0)
    g_clear_pointer (&fact->reason, g_free);
  if (fact->command == BOUNCE_SMTP_COMMAND_NONE)
    fact->command = bounce_extract_smtp_command (fact->text, -1);
}

static gboolean
parse_gmail (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_any_start (d, 0, gmail_openers);
  const BounceLine *opener, *current_opener = NULL;
  BounceFact *current = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);
  gboolean delayed;

  if (start < 0)
    return FALSE;
  opener = bounce_doc_line (d, start);
  delayed = bounce_line_contains (opener, "delayed");
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      char *address = NULL;

      if (gmail_is_end (l))
        break;
      if (l->len > 0 && (l->s[0] == ' ' || l->s[0] == '\t'))
        address = bounce_address_alone (l);
      if (address != NULL)
        {
          if (current != NULL)
            gmail_finish (current, diag, current_opener);
          g_string_truncate (diag, 0);
          current = bounce_doc_add_fact (d, address, i, i);
          current_opener = opener;
          if (delayed)
            current->action = g_strdup ("delayed");
          continue;
        }
      if (current == NULL || bounce_line_is_blank (l))
        continue;
      /* a later opener starts the next list ("... failed permanently:"
       * after "... has been delayed:") */
      if (bounce_doc_find_any_start (d, i, gmail_openers) == (int) i)
        {
          opener = l;
          delayed = bounce_line_contains (l, "delayed");
          continue;
        }
      bounce_diag_append_line (diag, l);
      current->end = l->offset + l->len;
    }
  if (current != NULL)
    gmail_finish (current, diag, current_opener);
  return d->out->len > 0;
}

const BounceLayout bounce_layout_gmail = {
  .name = "gmail",
  .title = "Gmail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_gmail,
};
