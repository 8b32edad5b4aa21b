/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* Trend Micro InterScan.  Learnt from Trend Micro InterScan Messaging
 * Security's notices, as Sisimai's Lhost::InterScanMSS reads them. */

static gboolean
parse_interscan (BounceLayoutDoc *d)
{
  int start = bounce_doc_find (d, 0, "InterScan");

  if (start < 0)
    return FALSE;
  for (guint i = start; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *lt;
      gsize n;
      BounceFact *r;
      g_autoptr(GString) diag = NULL;

      bounce_line_trim (l, &s, &n);
      if (bounce_mem_has_prefix (s, n, "Reason:"))
        {
          s += 7, n -= 7;
          while (n > 0 && *s == ' ')
            s++, n--;
        }
      if (!bounce_mem_has_prefix (s, n, "Unable to deliver message to <"))
        continue;
      lt = s + strlen ("Unable to deliver message to ");
      r = bounce_doc_add_fact (d, bounce_address_in (lt, n - (lt - s)), i, i);
      diag = g_string_new (NULL);
      bounce_diag_append (diag, s, n);
      bounce_fact_set_diag (r, diag);
      /* InterScan's own sentence: it could not resolve the address. */
      if (bounce_mem_find (s, n, "check if address is correct") != NULL)
        r->reason = g_strdup ("userunknown");
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_interscan = {
  .name = "interscan",
  .title = "Trend Micro InterScan",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_interscan,
};
