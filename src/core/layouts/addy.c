/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* addy.io (formerly AnonAddy), the e-mail alias service, which tells its
 * user in its own words when a message it forwarded to the user's own
 * mailbox (a "recipient" in its terms) was refused.  Learnt from its
 * notification template (https://github.com/anonaddy/anonaddy,
 * resources/views/mail/failed_delivery_notification.blade.php): "New
 * Failed Delivery", "An attempt to deliver a message to your recipient
 * <address> has failed your recipient's mail server (<host>) rejected it."
 * The reason is only on its web page ("You can visit the failed deliveries
 * page to see the reason"); the notice for an alias's outbound message
 * names no recipient, and a quarantine notice is no bounce.  No command is
 * named. */

static gboolean
parse_addy (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "An attempt to deliver a message to your recipient ");

  if (start < 0 || bounce_doc_find (d, 0, "New Failed Delivery") < 0)
    return FALSE;
  for (guint i = start; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *v, *end;
      gsize n;
      char *address;
      BounceFact *r;
      g_autoptr(GString) diag = NULL;

      if (!bounce_line_value (l, "An attempt to deliver a message to your recipient ", &v, &n) ||
          (end = bounce_mem_find (v, n, " has failed")) == NULL)
        continue;
      address = bounce_address_in (v, end - v);
      if (address == NULL)
        return FALSE;
      r = bounce_doc_add_fact (d, address, i, i);
      diag = g_string_new (NULL);
      bounce_diag_append_line (diag, l);
      bounce_fact_set_diag (r, diag);
      r->command_unknown = TRUE;
      return TRUE;
    }
  return FALSE;
}

const BounceLayout bounce_layout_addy = {
  .name = "addy",
  .title = "addy.io",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_addy,
};
