/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* Twisted Mail (twisted.mail, the Python mail framework's relay).  Learnt
 * from its bounce generator (https://github.com/twisted/twisted,
 * src/twisted/mail/bounce.py, generateBounce()): "Subject: Returned Mail:
 * see transcript for details", and unless the relay passed a transcript of
 * its own, "I'm sorry, the following address has permanent errors:
 * <address>." / "I've given up, and I will not retry the message again.";
 * the delivery-status part only names the final recipient.  No reply and
 * no command are quoted. */

static gboolean
parse_twisted (BounceLayoutDoc *d)
{
  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *v;
      gsize n;
      char *address;
      BounceFact *r;

      if (!bounce_line_value (l, "I'm sorry, the following address has permanent errors:", &v, &n))
        continue;
      address = bounce_address_in (v, n);
      if (address == NULL)
        return FALSE;
      r = bounce_doc_add_fact (d, address, i, i);
      r->command_unknown = TRUE;
      return TRUE;
    }
  return FALSE;
}

const BounceLayout bounce_layout_twisted = {
  .name = "twisted",
  .title = "Twisted Mail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_twisted,
};
