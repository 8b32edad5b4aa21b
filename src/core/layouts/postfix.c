/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* Postfix.  Learnt from Postfix's bounce(5) manual
 * (https://www.postfix.org/bounce.5.html: the notices' fixed text, "This is
 * the mail system at host ...", the "The mail system" signature) and its
 * bounce daemon's log format, one "<addr>: why" record per recipient,
 * continued on lines indented by four spaces, the remote server's reply
 * quoted as "host mx[ip] said: ... (in reply to RCPT TO command)"; and
 * Sisimai's Lhost::Postfix, which also reads the transcript that Postfix's
 * SMTP server mails to the postmaster ("Postfix SMTP server: errors from
 * ..."; smtpd_chat.c).  Postfix has no reason table of its own: its
 * sentences and the replies it quotes go to the catalogue. */

/* "This is the mail system at host mx.example.org." (or "the Postfix
 * program", or another mail_name) */
static gboolean
postfix_intro (const BounceLine *l)
{
  const char *s;
  gsize n;

  bounce_line_trim (l, &s, &n);
  return bounce_mem_has_prefix (s, n, "This is the ") && bounce_mem_find (s, n, " at host ") != NULL;
}

/* The signature over the records: "The mail system", "The Postfix
 * program", "The <mail_name> program". */
static gboolean
postfix_signature (const BounceLine *l)
{
  const char *s;
  gsize n;

  bounce_line_trim (l, &s, &n);
  if (n == strlen ("The mail system") && bounce_mem_has_prefix (s, n, "The mail system"))
    return TRUE;
  return n < 40 && bounce_mem_has_prefix (s, n, "The ") && n > 12 &&
         g_ascii_strncasecmp (s + n - 8, " program", 8) == 0;
}

/* "<addr>: why" or "<addr> (expanded from <alias>): why" at the start of
 * a line; the address, where the explanation starts and the alias the
 * sender wrote (or NULL). */
static char *
postfix_record (const BounceLine *l,
                const char      **rest,
                gsize            *rest_len,
                char            **expanded_from)
{
  const char *s = l->s, *gt, *colon;
  gsize n = l->len;
  char *address;

  if (n < 6 || s[0] != '<')
    return NULL;
  gt = memchr (s, '>', n);
  if (gt == NULL || memchr (s, '@', gt - s) == NULL || bounce_mem_has_unquoted (s, gt - s, " "))
    return NULL;
  colon = gt + 1;
  if (colon < s + n && *colon == ' ' && bounce_mem_has_prefix (colon + 1, s + n - colon - 1, "(expanded from <"))
    {
      const char *close = memchr (colon, ')', s + n - colon);

      if (close == NULL)
        return NULL;
      *expanded_from = bounce_address_in (colon, close - colon);
      colon = close + 1;
    }
  if (colon >= s + n || *colon != ':')
    {
      g_clear_pointer (expanded_from, g_free);
      return NULL;
    }
  *rest = colon + 1;
  *rest_len = s + n - *rest;
  address = bounce_address_in (s + 1, gt - s - 1);
  /* (no record without an address: nor its alias) */
  if (address == NULL)
    g_clear_pointer (expanded_from, g_free);
  return address;
}

/* The end of the records: a delivery report's fields or a MIME boundary,
 * shown by a mail program that puts every part in one view. */
static gboolean
postfix_is_end (const BounceLine *l)
{
  return bounce_line_starts (l, "--") || bounce_line_starts (l, "Reporting-MTA:") ||
         bounce_line_starts (l, "Final-Recipient:") || bounce_line_starts (l, "Content-Type:") ||
         bounce_line_starts (l, "Content-Description:");
}

static void
postfix_finish (BounceFact *r,
                GString    *diag,
                const char *action)
{
  gboolean replied;

  bounce_fact_set_diag (r, diag);
  if (action != NULL)
    r->action = g_strdup (action);
  if (r->text == NULL)
    return;
  replied = strstr (r->text, " said:") != NULL;
  /* "(in reply to RCPT TO command)", "while sending end of data" */
  r->command = bounce_extract_smtp_command (r->text, -1);
  /* "host mx[192.0.2.7] refused to talk to me: 554 ...": the greeting */
  if (r->command == BOUNCE_SMTP_COMMAND_NONE && strstr (r->text, "refused to talk to me") != NULL)
    {
      r->command = BOUNCE_SMTP_COMMAND_CONNECT;
      replied = TRUE;
    }
  /* Postfix decided alone (a local delivery, DNS, a connection that
   * failed): there was no SMTP command to show. */
  r->command_unknown = r->command == BOUNCE_SMTP_COMMAND_NONE && !replied;
}

static gboolean
read_records (BounceLayoutDoc *d,
              guint            from,
              const char      *action)
{
  BounceFact *current = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);

  for (guint i = from; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *rest;
      gsize rest_len;
      char *address;
      char *expanded_from = NULL;

      if (postfix_is_end (l))
        break;
      address = postfix_record (l, &rest, &rest_len, &expanded_from);
      if (address != NULL)
        {
          if (current != NULL)
            postfix_finish (current, diag, action);
          g_string_truncate (diag, 0);
          current = bounce_doc_add_fact (d, address, i, i);
          current->original = expanded_from;
          bounce_diag_append (diag, rest, rest_len);
          continue;
        }
      if (current == NULL)
        continue;
      /* a record goes on (indented, or not when a mail program re-wrapped
       * it) up to a blank line */
      if (bounce_line_is_blank (l))
        {
          postfix_finish (current, diag, action);
          g_string_truncate (diag, 0);
          current = NULL;
          continue;
        }
      bounce_diag_append_line (diag, l);
      current->end = l->offset + l->len;
    }
  if (current != NULL)
    postfix_finish (current, diag, action);
  return d->out->len > 0;
}

/* The transcript Postfix's SMTP server sends the postmaster: " In:  RCPT
 * TO:<addr>" and " Out: 550 ..." lines; each recipient gets the first
 * refusal after it was named (or of the message, at DATA). */
static gboolean
read_transcript (BounceLayoutDoc *d,
                 guint            from)
{
  BounceSmtpCommand command = BOUNCE_SMTP_COMMAND_NONE;
  BounceFact *last = NULL;

  for (guint i = from; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (bounce_mem_has_prefix (s, n, "In:"))
        {
          s += 3, n -= 3;
          while (n > 0 && *s == ' ')
            s++, n--;
          if (bounce_mem_has_prefix (s, n, "RCPT TO:"))
            {
              char *address = bounce_address_in (s + 8, n - 8);

              command = BOUNCE_SMTP_COMMAND_RCPT;
              last = address != NULL ? bounce_doc_add_fact (d, address, i, i) : NULL;
            }
          else if (bounce_mem_has_prefix (s, n, "MAIL FROM:"))
            command = BOUNCE_SMTP_COMMAND_MAIL;
          else if (bounce_mem_has_prefix (s, n, "DATA") || bounce_mem_has_prefix (s, n, "BDAT"))
            command = BOUNCE_SMTP_COMMAND_DATA;
          else if (bounce_mem_has_prefix (s, n, "EHLO") || bounce_mem_has_prefix (s, n, "HELO") ||
                   bounce_mem_has_prefix (s, n, "STARTTLS") || bounce_mem_has_prefix (s, n, "AUTH"))
            command = BOUNCE_SMTP_COMMAND_CONNECT;
          continue;
        }
      if (!bounce_mem_has_prefix (s, n, "Out:"))
        continue;
      s += 4, n -= 4;
      while (n > 0 && *s == ' ')
        s++, n--;
      if (n < 3 || (s[0] != '4' && s[0] != '5'))
        continue;
      /* a refusal of the recipient just named, or of the whole message */
      for (guint k = 0; k < d->out->len; k++)
        {
          BounceFact *r = d->out->pdata[k];
          g_autoptr(GString) diag = NULL;

          if (r->text != NULL || (command != BOUNCE_SMTP_COMMAND_DATA && r != last))
            continue;
          diag = g_string_new (NULL);
          bounce_diag_append (diag, s, n);
          bounce_fact_set_diag (r, diag);
          r->command = command;
          r->end = l->offset + l->len;
        }
    }
  return d->out->len > 0;
}

static gboolean
parse_postfix (BounceLayoutDoc *d)
{
  int intro = -1, signature = -1;
  const char *action = NULL;

  for (guint i = 0; i < d->lines->len && signature < 0; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (intro < 0 && postfix_intro (l))
        intro = i;
      else if (intro >= 0 && postfix_signature (l))
        signature = i;
    }
  if (signature >= 0)
    {
      /* the notice says what kind it is between the two */
      for (guint i = intro; i < (guint) signature; i++)
        {
          const BounceLine *l = bounce_doc_line (d, i);

          if (bounce_line_contains (l, "THIS IS A WARNING ONLY"))
            action = "delayed";
          /* bounce(5), failure_template ("I'm sorry to have to inform you
           * that your message could not / be delivered to one or more
           * recipients."): the message was returned, so each record is
           * final even when the last reply was a 4xx one (the message
           * outlived the queue, or a 4xx reply was made final) */
          else if (bounce_line_contains (l, "to inform you that your message could not") && action == NULL)
            action = "failed";
          else if (bounce_line_contains (l, "was successfully delivered"))
            action = "delivered";
          else if (bounce_line_contains (l, "was successfully relayed"))
            action = "relayed";
        }
      return read_records (d, signature + 1, action);
    }
  /* "Postfix SMTP server: errors from client[ip]": the session */
  {
    int transcript = bounce_doc_find_start (d, 0, "Transcript of session follows.");

    if (transcript < 0 || bounce_doc_find_start (d, transcript, "Out: ") < 0 ||
        bounce_doc_find_start (d, transcript, "In: ") < 0)
      return FALSE;
    return read_transcript (d, transcript + 1);
  }
}

const BounceLayout bounce_layout_postfix = {
  .name = "postfix",
  .title = "Postfix",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_postfix,
};
