/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"
#include "bounce-layout-families.h"

/* Sendmail 8.  Learnt from Sendmail's returned-mail notices (the
 * "----- The following addresses had permanent fatal errors -----" list
 * and the "----- Transcript of session follows -----" of sendmail's
 * savemail.c: ">>> command", "<<< reply", then Sendmail's own summary line
 * per recipient) and Sisimai's Lhost::Sendmail, which has no reason table:
 * Sendmail's summaries and the replies go to the catalogue.  V5's notices
 * (v5sendmail.c) are read with the same transcript reader. */

/* "550 5.1.1 <a@b>... User unknown" or "<a@b>... Deferred: ..." — Sendmail's
 * own one-line summary for a recipient; returns the address and the text
 * after the "... ". */
static char *
sendmail_summary (const char  *s,
                  gsize        n,
                  gboolean    *coded,
                  gsize       *codes_len,
                  const char **text,
                  gsize       *text_len)
{
  const char *dots = bounce_mem_find (s, n, "... ");
  gsize i = 0;

  *coded = FALSE;
  if (dots == NULL)
    return NULL;
  if (n > 4 && g_ascii_isdigit (s[0]) && g_ascii_isdigit (s[1]) && g_ascii_isdigit (s[2]) && s[3] == ' ')
    {
      *coded = TRUE;
      i = 4;
      /* an enhanced code after the reply code */
      while (i < n && s[i] != ' ' && s[i] != '<')
        i++;
      while (i < n && s[i] == ' ')
        i++;
    }
  /* the address is all that stands between the codes and the dots */
  if (bounce_mem_has_unquoted (s + i, dots - (s + i), " ") || memchr (s + i, '@', dots - (s + i)) == NULL)
    return NULL;
  *codes_len = i;
  *text = dots + 4;
  *text_len = s + n - *text;
  return bounce_address_in (s + i, dots - (s + i));
}

/* The list: an address per line, with "(reason: ...)" under it. */
static void
read_list (BounceLayoutDoc *d,
           int              list,
           gboolean         delayed)
{
  BounceFact *last = NULL;

  for (guint i = list >= 0 ? (guint) list + 1 : d->lines->len; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (n == 0 && d->out->len > 0)
        break;
      if (n == 0 || bounce_mem_has_prefix (s, n, "-----"))
        {
          if (n > 0)
            break;
          continue;
        }
      if (bounce_mem_has_prefix (s, n, "(reason:") && last != NULL)
        {
          g_autoptr(GString) diag = g_string_new (NULL);

          bounce_diag_append (diag, s + 8, n - 8 - (s[n - 1] == ')'));
          bounce_fact_set_diag (last, diag);
          continue;
        }
      if (s[0] == '(')
        {
          /* "(expanded from: <bob@example.org>)": the alias the sender wrote */
          if (last != NULL && last->original == NULL && bounce_mem_has_prefix (s, n, "(expanded from:"))
            last->original = bounce_address_in (s + 15, n - 15);
          continue;
        }
      if (memchr (s, '@', n) != NULL && !bounce_mem_has_unquoted (s, n, " "))
        {
          g_autofree char *address = bounce_address_in (s, n);

          if (address != NULL && bounce_doc_find_fact (d, address) == NULL)
            {
              last = bounce_doc_add_fact (d, g_steal_pointer (&address), i, i);
              if (delayed)
                last->action = g_strdup ("delayed");
            }
        }
    }
}

/* A transcript's summary line names its recipient: the enhanced code on it
 * is Sendmail's verdict (the Status its DSN gives); the server's reply
 * before it, when it refused, beats Sendmail's summary of it. */
static void
claim_reply (BounceFact        *r,
             const char        *s,
             gsize              codes_len,
             gboolean           coded,
             const char        *text,
             gsize              text_len,
             GString           *reply,
             BounceSmtpCommand  command)
{
  if (coded && r->layout_status == NULL)
    {
      g_autofree char *codes = g_strndup (s, codes_len);

      bounce_extract_first_codes (codes, NULL, &r->layout_status);
    }
  if (reply->len > 0 && (reply->str[0] == '4' || reply->str[0] == '5'))
    {
      bounce_fact_set_diag (r, reply);
      r->command = command;
    }
  else if (r->text == NULL)
    {
      g_autoptr(GString) diag = g_string_new (NULL);

      /* "550 5.1.2 Host unknown (...)": the codes, then the text */
      if (!(text_len > 3 && g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[1]) &&
            g_ascii_isdigit (text[2])))
        bounce_diag_append (diag, s, codes_len);
      bounce_diag_append (diag, text, text_len);
      bounce_fact_set_diag (r, diag);
    }
}

/* The transcript: the command, the server's reply, then Sendmail's own
 * summary line naming the recipient.  A refusal no summary line claimed
 * is left in unclaimed, with the command it answered. */
static void
read_transcript (BounceLayoutDoc   *d,
                 int                transcript,
                 gboolean           listed,
                 GString           *unclaimed,
                 BounceSmtpCommand *unclaimed_command)
{
  BounceSmtpCommand command = BOUNCE_SMTP_COMMAND_NONE;
  g_autoptr(GString) reply = g_string_new (NULL);

  for (guint i = transcript >= 0 ? (guint) transcript + 1 : d->lines->len; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *text;
      gsize n, text_len, codes_len;
      gboolean coded;
      g_autofree char *address = NULL;
      BounceFact *r;

      bounce_line_trim (l, &s, &n);
      if (bounce_mem_has_prefix (s, n, "-----"))
        break;
      if (bounce_mem_find (s, n, "while talking to") != NULL)
        {
          if (reply->len > 0 && (reply->str[0] == '4' || reply->str[0] == '5'))
            {
              g_string_assign (unclaimed, reply->str);
              *unclaimed_command = command;
            }
          command = BOUNCE_SMTP_COMMAND_NONE;
          g_string_truncate (reply, 0);
          continue;
        }
      if (bounce_mem_has_prefix (s, n, ">>>"))
        {
          command = bounce_extract_smtp_command (s, n);
          g_string_truncate (reply, 0);
          continue;
        }
      if (bounce_mem_has_prefix (s, n, "<<<"))
        {
          bounce_diag_append (reply, s + 3, n - 3);
          continue;
        }
      address = sendmail_summary (s, n, &coded, &codes_len, &text, &text_len);
      if (address == NULL)
        continue;
      r = bounce_doc_find_fact (d, address);
      if (r == NULL && !listed && coded)
        r = bounce_doc_add_fact (d, g_steal_pointer (&address), i, i);
      if (r == NULL)
        continue;
      claim_reply (r, s, codes_len, coded, text, text_len, reply, command);
      g_string_truncate (reply, 0);
      r->end = MAX (r->end, l->offset + l->len);
    }
  if (reply->len > 0 && (reply->str[0] == '4' || reply->str[0] == '5'))
    {
      g_string_assign (unclaimed, reply->str);
      *unclaimed_command = command;
    }
}

gboolean
bounce_sendmail_read (BounceLayoutDoc *d)
{
  int list = -1, transcript;
  gboolean delayed = FALSE;
  g_autoptr(GString) unclaimed = g_string_new (NULL);
  BounceSmtpCommand unclaimed_command = BOUNCE_SMTP_COMMAND_NONE;

  for (guint i = 0; i < d->lines->len && list < 0; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (bounce_line_starts (l, "----- The following addresses had"))
        {
          list = i;
          delayed = bounce_line_contains (l, "transient");
        }
    }
  transcript = bounce_doc_find_start (d, 0, "----- Transcript of session follows");
  if (list < 0 && transcript < 0)
    return FALSE;

  read_list (d, list, delayed);
  read_transcript (d, transcript, list >= 0, unclaimed, &unclaimed_command);
  /* A refusal no summary line claimed belongs to a lone recipient, or,
   * when it answered DATA (the message itself), to every recipient the
   * transcript says nothing else about. */
  if (unclaimed->len > 0 && (d->out->len == 1 || unclaimed_command == BOUNCE_SMTP_COMMAND_DATA))
    for (guint i = 0; i < d->out->len; i++)
      {
        BounceFact *r = d->out->pdata[i];

        if (r->command == BOUNCE_SMTP_COMMAND_NONE)
          {
            bounce_fact_set_diag (r, unclaimed);
            r->command = unclaimed_command;
          }
      }
  /* Sendmail shows every SMTP conversation (">>> RCPT To:<...>"): without
   * one, it decided alone (a local mailer, DNS, a connection), and there
   * was no command. */
  if (transcript < 0 || bounce_doc_find_start (d, transcript, ">>>") < 0)
    for (guint i = 0; i < d->out->len; i++)
      {
        BounceFact *r = d->out->pdata[i];

        r->command_unknown = r->command == BOUNCE_SMTP_COMMAND_NONE;
      }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_sendmail = {
  .name = "sendmail",
  .title = "Sendmail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = bounce_sendmail_read,
};
