/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* nullmailer.  Learnt from its source (nullmailer-dsn.cc,
 * https://github.com/bruceg/nullmailer): "This is the nullmailer delivery
 * system.  The message attached below could not be delivered to one or
 * more of the intended recipients:" ("has not been delivered" for a delay
 * notice, which adds "Delivery will continue to be attempted until ..."),
 * then each recipient as a tab-indented "<address>".  The reason is only in
 * the delivery-status part; the text never names the command. */

static gboolean
parse_nullmailer (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "This is the nullmailer delivery system.");
  gboolean delayed;

  if (start < 0)
    return FALSE;
  delayed = bounce_doc_find (d, start, "has not been delivered") >= 0 &&
            bounce_doc_find (d, start, "could not be delivered") < 0;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      char *address;
      BounceFact *r;

      if (bounce_line_is_blank (l))
        {
          if (d->out->len > 0)
            break;
          continue;
        }
      if (!bounce_line_is_indented (l))
        {
          if (d->out->len > 0)
            break;
          continue;
        }
      address = bounce_line_lone_address (l);
      if (address == NULL)
        break;
      r = bounce_doc_add_fact (d, address, i, i);
      r->command_unknown = TRUE;
      if (delayed)
        r->action = g_strdup ("delayed");
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_nullmailer = {
  .name = "nullmailer",
  .title = "nullmailer",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_nullmailer,
};
