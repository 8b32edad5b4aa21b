/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* Digital Arts m-FILTER.  Its notice (X-Mailer: m-FILTER, Subject:
 * failure notice) says in Japanese that the message could not be sent,
 * lists the addresses one per line, then "-------server message" over the
 * remote reply and "-------SMTP command" over the command it answered,
 * before "-------original message".  Learnt from Sisimai's
 * Lhost::mFILTER; no reason table. */

static gboolean
parse_mfilter (BounceLayoutDoc *d)
{
  int server = bounce_doc_find_start (d, 0, "-------server message");
  int command = bounce_doc_find_start (d, 0, "-------SMTP command");
  g_autoptr(GString) diag = g_string_new (NULL);
  BounceSmtpCommand cmd = BOUNCE_SMTP_COMMAND_NONE;
  gboolean shown = FALSE;

  /* the server's message; the command under it only when there was one
   * (Sisimai's Lhost::mFILTER reads the notice without it too: a
   * delivery that failed before any SMTP command) */
  if (server < 0)
    return FALSE;
  if (command < server)
    command = -1;
  for (guint i = 0; i < (guint) server; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (n > 3 && memchr (s, '@', n) != NULL && !bounce_mem_has_unquoted (s, n, " "))
        bounce_doc_add_fact (d, bounce_address_in (s, n), i, i);
    }
  for (guint i = server + 1; i < (command >= 0 ? (guint) command : d->lines->len); i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (bounce_line_starts (l, "-------"))
        break;
      if (!bounce_line_is_blank (l))
        {
          bounce_diag_append_line (diag, l);
          break;
        }
    }
  /* the command alone on its line: "RCPT", "DATA", "MAIL" */
  for (guint i = command + 1; command >= 0 && i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (n == 0)
        continue;
      if (s[0] == '-')
        break;
      shown = TRUE;
      if (bounce_mem_has_prefix (s, n, "RCPT"))
        cmd = BOUNCE_SMTP_COMMAND_RCPT;
      else if (bounce_mem_has_prefix (s, n, "MAIL"))
        cmd = BOUNCE_SMTP_COMMAND_MAIL;
      else if (bounce_mem_has_prefix (s, n, "DATA") || bounce_mem_has_prefix (s, n, "BDAT"))
        cmd = BOUNCE_SMTP_COMMAND_DATA;
      else if (bounce_mem_has_prefix (s, n, "HELO") || bounce_mem_has_prefix (s, n, "EHLO") ||
               bounce_mem_has_prefix (s, n, "CONN"))
        cmd = BOUNCE_SMTP_COMMAND_CONNECT;
      break;
    }
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *r = d->out->pdata[i];

      bounce_fact_set_diag (r, diag);
      r->command = cmd;
      r->command_unknown = !shown;
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_mfilter = {
  .name = "mfilter",
  .title = "Digital Arts m-FILTER",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_mfilter,
};
