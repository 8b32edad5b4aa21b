/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* Verizon Wireless' picture-message gateway.  Learnt from Verizon Wireless'
 * picture-message gateway notices, as Sisimai's Lhost::Verizon reads them. */

static gboolean
parse_verizon (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "Message could not be delivered to mobile.");
  int original;
  g_autoptr(GString) diag = g_string_new (NULL);
  BounceFact *r;

  if (start < 0)
    return FALSE;
  original = bounce_doc_find_start (d, start, "Original Message:");
  if (original < 0)
    return FALSE;
  for (guint i = start; i < (guint) original; i++)
    bounce_diag_append_line (diag, bounce_doc_line (d, i));
  for (guint i = original + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (!bounce_mem_has_prefix (s, n, "To:"))
        continue;
      r = bounce_doc_add_fact (d, bounce_address_in (s + 3, n - 3), start, i);
      bounce_fact_set_diag (r, diag);
      if (bounce_mem_find (diag->str, diag->len, "No valid recipients") != NULL)
        r->reason = g_strdup ("userunknown");
      break;
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_verizon = {
  .name = "verizon",
  .title = "Verizon Wireless",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_verizon,
};
