/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* Cisco Secure Email Gateway (IronPort, AsyncOS), its default bounce
 * notification: "The following message to <address> was undeliverable."
 * then "The reason for the problem:" and a line of AsyncOS's own, the
 * status code and its class ("5.1.0 - Unknown address error", "5.3.0 -
 * Other mail system problem", "4.4.7/5.4.7 - Delivery expired (message too
 * old)"), followed by the remote reply when there was one ("550-'5.1.1
 * ...'").  Learnt from such notices quoted in public mailing-list archives
 * (lists.sourceforge.net 2024-2025, the linux-media list in August 2025),
 * the reports sent by IronPort appliances.  Amazon SES sends the same
 * notice when it reports by mail (Sisimai's Lhost::AmazonSES reads it), so
 * this layout reads it for both.  The notice never names the command. */

static const BouncePhrase cisco_phrases[] = {
  { "Delivery expired (message too old)", "expired" },
};

static gboolean
parse_cisco (BounceLayoutDoc *d)
{
  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *v, *end;
      gsize n;
      char *address;
      BounceFact *r;
      guint last = i;
      g_autoptr(GString) diag = NULL;

      if (!bounce_line_value (l, "The following message to ", &v, &n) ||
          (end = bounce_mem_find (v, n, " was undeliverable")) == NULL)
        continue;
      if (i + 1 >= d->lines->len)
        return FALSE;
      {
        int why = bounce_doc_find_start (d, i + 1, "The reason for the problem:");

        /* the reason follows at once (a blank line may come between) */
        if (why < 0 || why > (int) i + 2)
          return FALSE;
        last = why;
      }
      address = bounce_address_in (v, end - v);
      if (address == NULL)
        return FALSE;
      diag = g_string_new (NULL);
      for (guint j = last + 1; j < d->lines->len; j++)
        {
          const BounceLine *m = bounce_doc_line (d, j);

          if (bounce_line_is_blank (m) || bounce_line_starts (m, "Reporting-MTA:"))
            break;
          bounce_diag_append_line (diag, m);
          last = j;
        }
      r = bounce_doc_add_fact (d, address, i, last);
      bounce_fact_set_diag (r, diag);
      r->command_unknown = TRUE;
      r->reason = g_strdup (bounce_phrase_reason (cisco_phrases, G_N_ELEMENTS (cisco_phrases), diag->str));
      return TRUE;
    }
  return FALSE;
}

const BounceLayout bounce_layout_cisco = {
  .name = "cisco-secure-email",
  .title = "Cisco Secure Email",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_cisco,
};
