/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Yandex.Mail runs Postfix: "This is the mail system at host yandex.ru.",
 * then per recipient "<bob@example.net>: host mx.example.net[192.0.2.1]
 * said: 550 5.1.1 ... (in reply to RCPT TO command)", continued on
 * indented lines, and a delivery report.  Learnt from Postfix's bounce(8)
 * templates and Sisimai's Lhost::Yandex. */

static gboolean
yandex_is_end (const BounceLine *l)
{
  return bounce_line_starts (l, "Content-Type:") || bounce_line_starts (l, "Reporting-MTA:") ||
         bounce_line_starts (l, "--");
}

static gboolean
parse_yandex (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "This is the mail system at host yandex.ru.");
  BounceFact *current = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (start < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *gt;

      if (yandex_is_end (l))
        break;
      gt = l->len > 3 && l->s[0] == '<' ? memchr (l->s, '>', l->len) : NULL;
      if (gt != NULL && gt + 1 < l->s + l->len && gt[1] == ':' && memchr (l->s, '@', gt - l->s) != NULL &&
          memchr (l->s, ' ', gt - l->s) == NULL)
        {
          if (current != NULL)
            bounce_fact_set_diag (current, diag);
          g_string_truncate (diag, 0);
          current = bounce_doc_add_fact (d, bounce_address_in (l->s + 1, gt - l->s - 1), i, i);
          bounce_diag_append (diag, gt + 2, l->s + l->len - gt - 2);
          continue;
        }
      if (current == NULL)
        continue;
      if (bounce_line_is_blank (l) || (l->s[0] != ' ' && l->s[0] != '\t'))
        {
          bounce_fact_set_diag (current, diag);
          g_string_truncate (diag, 0);
          current = NULL;
          continue;
        }
      bounce_diag_append_line (diag, l);
      current->end = l->offset + l->len;
    }
  if (current != NULL)
    bounce_fact_set_diag (current, diag);
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *fact = d->out->pdata[i];

      /* "(in reply to RCPT TO command)"; Postfix says so whenever a server replied */
      fact->command = bounce_extract_smtp_command (fact->text, -1);
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_yandex = {
  .name = "yandex",
  .title = "Yandex.Mail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_yandex,
};
