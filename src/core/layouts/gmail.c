/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Gmail's notices from before its "** Address not found **" style (the
 * newer style is google-workspace.c):
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
static const BouncePhrase gmail_phrases[] = {
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

static void
gmail_finish (BounceFact *fact,
              GString    *diag)
{
  int state;
  g_autofree char *status = NULL;

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
    bounce_fact_phrase_reason (fact, gmail_phrases, G_N_ELEMENTS (gmail_phrases), fact->text);
  /* A precise status in the quoted reply says more than the step it came
   * at ("550 5.2.2 ... Mailbox Full (state 14)" is a full mailbox). */
  bounce_extract_first_codes (fact->text, NULL, &status);
  if (fact->reason != NULL && status != NULL && strstr (status, ".0.") == NULL && state >= 0)
    g_clear_pointer (&fact->reason, g_free);
  if (fact->command == BOUNCE_SMTP_COMMAND_NONE)
    fact->command = bounce_extract_smtp_command (fact->text, -1);
}

static gboolean
parse_gmail (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_any_start (d, 0, gmail_openers);
  BounceFact *current = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);
  gboolean delayed;

  if (start < 0)
    return FALSE;
  delayed = bounce_line_contains (bounce_doc_line (d, start), "delayed");
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
            gmail_finish (current, diag);
          g_string_truncate (diag, 0);
          current = bounce_doc_add_fact (d, address, i, i);
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
          delayed = bounce_line_contains (l, "delayed");
          continue;
        }
      bounce_diag_append_line (diag, l);
      current->end = l->offset + l->len;
    }
  if (current != NULL)
    gmail_finish (current, diag);
  return d->out->len > 0;
}

const BounceLayout bounce_layout_gmail = {
  .name = "gmail",
  .title = "Gmail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_gmail,
};
