/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* slimta (python-slimta, and its Lua predecessor).  Learnt from its bounce
 * template (https://github.com/slimta/python-slimta, slimta/bounce.py,
 * default_header_template): "Delivery failed for:" and the recipients as
 * "- address" lines, then "Destination host responded:" and the reply,
 * "<code> <message>", which answered a command the text never names. */

static gboolean
parse_slimta (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "Delivery failed for:");
  int responded;
  guint last;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (start < 0)
    return FALSE;
  responded = bounce_doc_find_start (d, start, "Destination host responded:");
  if (responded < 0)
    return FALSE;
  last = responded;
  for (guint i = responded + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (bounce_line_is_blank (l) || bounce_line_starts (l, "--"))
        break;
      bounce_diag_append_line (diag, l);
      last = i;
    }
  for (guint i = start + 1; (int) i < responded; i++)
    {
      char *address = bounce_line_lone_address (bounce_doc_line (d, i));
      BounceFact *r;

      if (address == NULL)
        continue;
      r = bounce_doc_add_fact (d, address, i, last);
      bounce_fact_set_diag (r, diag);
      r->command_unknown = TRUE;
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_slimta = {
  .name = "slimta",
  .title = "slimta",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_slimta,
};
