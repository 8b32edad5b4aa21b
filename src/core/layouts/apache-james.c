/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* Apache James.  Learnt from Apache James' bounce mailet
 * (org.apache.james.transport.mailets.Bounce) and Sisimai's
 * Lhost::ApacheJames. */

/* "Error message below:" then the server's reply, then "Message details:"
 * listing the envelope, whose "RCPT TO:" lines are the recipients. */
static gboolean
parse_james (BounceLayoutDoc *d)
{
  int below = bounce_doc_find_start (d, 0, "Error message below:");
  int details;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (below < 0)
    return FALSE;
  details = bounce_doc_find_start (d, below, "Message details:");
  if (details < 0)
    return FALSE;
  for (guint i = below + 1; i < (guint) details; i++)
    bounce_diag_append_line (diag, bounce_doc_line (d, i));
  for (guint i = details + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;
      BounceFact *r;

      bounce_line_trim (l, &s, &n);
      if (n > 0 && s[0] == '-')
        break;
      if (!bounce_mem_has_prefix (s, n, "RCPT TO:"))
        continue;
      r = bounce_doc_add_fact (d, bounce_address_in (s + 8, n - 8), i, i);
      bounce_fact_set_diag (r, diag);
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_james = {
  .name = "james",
  .title = "Apache James",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_james,
};
