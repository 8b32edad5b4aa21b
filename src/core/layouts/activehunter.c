/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* TransWARE Active!hunter, a mail filter.  Its notices look like
 * Sendmail's but list each recipient as ">>> addr <addr>" under "-----
 * The following addresses had permanent fatal errors -----", with the
 * refusal as the first line of its "----- Transcript of session follows
 * -----"; it adds an X-AHMailID header.  Learnt from Sisimai's
 * Lhost::Activehunter.  The notice never says which SMTP command the
 * refusal answered. */

static gboolean
parse_activehunter (BounceLayoutDoc *d)
{
  int list = bounce_doc_find_start (d, 0, "----- The following addresses had permanent fatal errors -----");
  int transcript;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (list < 0)
    return FALSE;
  transcript = bounce_doc_find_start (d, list, "----- Transcript of session follows -----");
  for (guint i = list + 1; i < d->lines->len && (transcript < 0 || i < (guint) transcript); i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *lt;
      gsize n;

      bounce_line_trim (l, &s, &n);
      /* ">>> kijitora@example.org <kijitora@example.org>" */
      if (!bounce_mem_has_prefix (s, n, ">>> ") || s[n - 1] != '>')
        continue;
      for (lt = s + n - 1; lt > s && *lt != '<'; lt--)
        ;
      if (lt == s)
        continue;
      bounce_doc_add_fact (d, bounce_address_in (lt + 1, s + n - lt - 2), i, i);
    }
  if (d->out->len == 0)
    return FALSE;
  /* the first line of the transcript that says something */
  for (guint i = transcript >= 0 ? (guint) transcript + 1 : d->lines->len; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (n > 0 && g_ascii_isalnum (s[0]))
        {
          bounce_diag_append (diag, s, n);
          break;
        }
      if (n > 0 && s[0] == '-')
        break;
    }
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *r = d->out->pdata[i];

      bounce_fact_set_diag (r, diag);
      r->layout_status = bounce_hash_status_in (diag->str);
      r->command_unknown = TRUE;
    }
  return TRUE;
}

const BounceLayout bounce_layout_activehunter = {
  .name = "activehunter",
  .title = "TransWARE Active!hunter",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_activehunter,
};
