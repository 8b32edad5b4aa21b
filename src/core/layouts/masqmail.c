/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* masqmail.  Learnt from its failure template
 * (https://github.com/ossilator/masqmail, tpl/failmsg.tpl): "This message
 * was sent to you by the mailer daemon (masqmail <version>)", "Sorry, but
 * your mail could not be delivered to all recipients.", "Delivery to the
 * following recipients failed permanently and has been given up:", the
 * failed recipients, then "This error message may give you a hint about
 * what caused the failure:" and one error text for all of them, up to "If
 * you need help, write to <postmaster@...>".  The error never names the
 * command. */

static gboolean
parse_masqmail (BounceLayoutDoc *d)
{
  int list = bounce_doc_find_start (d, 0, "Delivery to the following recipients failed permanently");
  int hint, help;
  guint first;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (list < 0 || bounce_doc_find_start (d, 0, "This message was sent to you by the mailer daemon") < 0)
    return FALSE;
  hint = bounce_doc_find_start (d, list, "This error message may give you a hint");
  if (hint < 0)
    return FALSE;
  help = bounce_doc_find_start (d, hint, "If you need help, write to");
  /* the error: from the line after "... the\nfailure:" to the help line */
  first = hint + 1;
  if (first < d->lines->len && bounce_line_starts (bounce_doc_line (d, first), "failure:"))
    first++;
  for (guint i = first; i < d->lines->len && (help < 0 || (int) i < help); i++)
    bounce_diag_append_line (diag, bounce_doc_line (d, i));
  for (guint i = list + 1; (int) i < hint; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n, from = 0;

      bounce_line_trim (l, &s, &n);
      /* "up:" ends the wrapped heading */
      while (from < n)
        {
          gsize a, b;
          char *address = bounce_extract_address (s, n, from, &a, &b);
          BounceFact *r;

          if (address == NULL)
            break;
          from = b;
          r = bounce_doc_add_fact (d, address, i, help > 0 ? (guint) help - 1 : (guint) hint);
          bounce_fact_set_diag (r, diag);
          r->command_unknown = TRUE;
        }
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_masqmail = {
  .name = "masqmail",
  .title = "masqmail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_masqmail,
};
