/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* SurfControl (Websense) E-mail Filter.  Learnt from SurfControl (Websense)
 * E-mail Filter's non-delivery notices, as Sisimai's Lhost::SurfControl
 * reads them (no reason table). */

/* "Addressed To: addr" for each recipient, then "Failed to send to
 * identified host," and "addr: [ip], <reply>". */
static gboolean
parse_surfcontrol (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "A transcript of the attempts to send the message follows");

  if (start < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (bounce_mem_has_prefix (s, n, "--- Message non-deliverable"))
        break;
      if (bounce_mem_has_prefix (s, n, "Addressed To:"))
        bounce_doc_add_fact (d, bounce_address_in (s + 13, n - 13), i, i);
    }
  for (guint j = 0; j < d->out->len; j++)
    {
      BounceFact *r = d->out->pdata[j];
      g_autoptr(GString) diag = g_string_new (NULL);

      /* pass 0: the transcript line naming this address; pass 1, when
       * none does (the list or alias was expanded), the first one below
       * this recipient's "Addressed To:" and above the next one's */
      for (int pass = 0; pass < 2 && diag->len == 0; pass++)
        for (guint i = start + 1; i < d->lines->len; i++)
          {
            const BounceLine *l = bounce_doc_line (d, i);
            const char *s, *close;
            gsize n;
            g_autofree char *address = NULL;

            bounce_line_trim (l, &s, &n);
            if (bounce_mem_has_prefix (s, n, "--- Message non-deliverable"))
              break;
            if (pass == 1 && bounce_mem_has_prefix (s, n, "Addressed To:"))
              {
                if (l->offset > r->start)
                  break;
                continue;
              }
            /* "addr: [192.0.2.2], 554 Service currently unavailable" */
            close = memchr (s, ']', n);
            if (close == NULL || close + 2 >= s + n || close[1] != ',' || memchr (s, '@', close - s) == NULL)
              continue;
            if (pass == 0)
              {
                address = bounce_address_in (s, memchr (s, ':', n) ? (gsize) ((const char *) memchr (s, ':', n) - s) : n);
                if (g_strcmp0 (address, r->address) != 0)
                  continue;
              }
            else if (l->offset < r->start)
              continue;
            bounce_diag_append (diag, close + 2, s + n - close - 2);
            /* (an address named twice gets the first transcript line, which
             * may come before its second "Addressed To:") */
            r->end = MAX (r->start, l->offset + l->len);
            break;
          }
      bounce_fact_set_diag (r, diag);
      /* The transcript shows the replies, never the commands, yet it is
       * left unmarked (command_unknown): the reference parsers read a
       * "No such user" reply without its command as a filter's, and so
       * does the judge for a layout with no command. */
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_surfcontrol = {
  .name = "surfcontrol",
  .title = "SurfControl E-mail Filter",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_surfcontrol,
};
