/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* maddy.  Learnt from its source (https://github.com/foxcpp/maddy,
 * internal/dsn/dsn.go): "This is the mail delivery system at <host>." and
 * "Unfortunately, your message could not be delivered to one or more
 * recipients.", a message ID and dates, then one line per recipient,
 * "Delivery to <address> failed with error: <error>".  The error is the
 * remote reply or maddy's own; it names the command only when the text
 * says so. */

static gboolean
parse_maddy (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "This is the mail delivery system at ");

  if (start < 0 || bounce_doc_find_start (d, start, "Unfortunately, your message could not be delivered") < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *v, *sep;
      gsize n;
      char *address;
      BounceFact *r;
      g_autoptr(GString) diag = NULL;

      if (!bounce_line_value (l, "Delivery to ", &v, &n) ||
          (sep = bounce_mem_find (v, n, " failed with error:")) == NULL)
        continue;
      address = bounce_address_in (v, sep - v);
      if (address == NULL)
        continue;
      r = bounce_doc_add_fact (d, address, i, i);
      diag = g_string_new (NULL);
      sep += strlen (" failed with error:");
      bounce_diag_append (diag, sep, n - (sep - v));
      bounce_fact_set_diag (r, diag);
      r->command = r->text ? bounce_extract_smtp_command (r->text, -1) : BOUNCE_SMTP_COMMAND_NONE;
      r->command_unknown = r->command == BOUNCE_SMTP_COMMAND_NONE;
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_maddy = {
  .name = "maddy",
  .title = "maddy",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_maddy,
};
