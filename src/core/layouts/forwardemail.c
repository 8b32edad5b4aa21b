/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* Forward Email (the open-source forwarding and mail service).  Learnt
 * from its bounce builder (https://github.com/forwardemail/forwardemail.net,
 * helpers/create-bounce.js): "Your message wasn't delivered to <address>
 * due to an error." (or "Your message is delayed and will be retried later
 * to <address> due to an error." for a temporary failure), then "The
 * response was:" and the remote reply, converted to plain text.  It never
 * names the command. */

static gboolean
parse_forwardemail (BounceLayoutDoc *d)
{
  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *v, *end;
      gsize n;
      gboolean delayed;
      char *address;
      guint last = i;
      BounceFact *r;
      g_autoptr(GString) diag = NULL;

      if (!bounce_line_value (l, "Your message ", &v, &n) ||
          (end = bounce_mem_find (v, n, " due to an error.")) == NULL)
        continue;
      delayed = bounce_mem_has_prefix (v, n, "is delayed and will be retried later to ");
      if (!delayed && !bounce_mem_has_prefix (v, n, "wasn't delivered to "))
        continue;
      address = bounce_address_in (v, end - v);
      if (address == NULL)
        return FALSE;
      diag = g_string_new (NULL);
      {
        int response = bounce_doc_find_start (d, i + 1, "The response was:");

        for (guint j = response >= 0 ? (guint) response + 1 : d->lines->len; j < d->lines->len; j++)
          {
            const BounceLine *m = bounce_doc_line (d, j);

            if (bounce_line_is_blank (m))
              {
                if (diag->len > 0)
                  break;
                continue;
              }
            if (bounce_line_starts (m, "Arrival-Date:") || bounce_line_starts (m, "Final-Recipient:"))
              break;
            bounce_diag_append_line (diag, m);
            last = j;
          }
      }
      r = bounce_doc_add_fact (d, address, i, last);
      bounce_fact_set_diag (r, diag);
      r->command_unknown = TRUE;
      if (delayed)
        r->action = g_strdup ("delayed");
      return TRUE;
    }
  return FALSE;
}

const BounceLayout bounce_layout_forwardemail = {
  .name = "forwardemail",
  .title = "Forward Email",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_forwardemail,
};
