/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* Sendmail (8.x and V5).  Learnt from Sendmail 8's and V5's returned-mail
 * notices (the "----- Transcript of session follows -----" layout of
 * sendmail's savemail.c) and Sisimai's Lhost::Sendmail and
 * Lhost::V5sendmail. */

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
  if (memchr (s + i, ' ', dots - (s + i)) != NULL || memchr (s + i, '@', dots - (s + i)) == NULL)
    return NULL;
  *codes_len = i;
  *text = dots + 4;
  *text_len = s + n - *text;
  return bounce_address_in (s + i, dots - (s + i));
}

static gboolean
parse_sendmail (BounceLayoutDoc *d)
{
  int list = -1, transcript;
  gboolean delayed = FALSE;
  BounceSmtpCommand command = BOUNCE_SMTP_COMMAND_NONE;
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autoptr(GString) unclaimed = g_string_new (NULL);
  BounceSmtpCommand unclaimed_command = BOUNCE_SMTP_COMMAND_NONE;
  BounceFact *last = NULL;

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

  /* The list: an address per line, with "(reason: ...)" under it. */
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
        continue;   /* "(expanded from: ...)" */
      if (memchr (s, '@', n) != NULL && memchr (s, ' ', n) == NULL)
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

  /* The transcript: the command, the server's reply, then Sendmail's own
   * summary line naming the recipient. */
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
              unclaimed_command = command;
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
      if (r == NULL && list < 0 && coded)
        r = bounce_doc_add_fact (d, g_steal_pointer (&address), i, i);
      if (r == NULL)
        continue;
      /* "550 5.1.1 <a@b>... User unknown": the enhanced code is Sendmail's
       * verdict for the recipient, the one its DSN gives as Status */
      if (coded && r->layout_status == NULL)
        {
          g_autofree char *codes = g_strndup (s, codes_len);

          bounce_extract_first_codes (codes, NULL, &r->layout_status);
        }
      if (reply->len > 0 && (reply->str[0] == '4' || reply->str[0] == '5'))
        {
          /* the server's own words beat Sendmail's summary of them */
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
      g_string_truncate (reply, 0);
      r->end = MAX (r->end, l->offset + l->len);
    }
  /* A refusal no summary line claimed belongs to a lone recipient, or,
   * when it answered DATA (the message itself), to every recipient the
   * transcript says nothing else about. */
  if (reply->len > 0 && (reply->str[0] == '4' || reply->str[0] == '5'))
    {
      g_string_assign (unclaimed, reply->str);
      unclaimed_command = command;
    }
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
  return d->out->len > 0;
}

const BounceLayout bounce_layout_sendmail = {
  .name = "sendmail",
  .title = "Sendmail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_sendmail,
};
