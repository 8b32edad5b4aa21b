/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* MailFoundry, a mail filtering appliance.  Its notice (Subject "Message
 * delivery has failed") reads "Unable to deliver message to: <addr>",
 * "Delivery failed for the following reason:", then "Server mx[ip]
 * failed with: <reply>" and "This has been a permanent failure.".
 * Learnt from Sisimai's Lhost::MailFoundry; no reason table.  It never
 * names an SMTP command. */

static gboolean
parse_mailfoundry (BounceLayoutDoc *d)
{
  BounceFact *current = NULL;
  gboolean reading = FALSE;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (bounce_doc_find_start (d, 0, "Delivery failed for the following reason:") < 0)
    return FALSE;
  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (bounce_mem_has_prefix (s, n, "Unable to deliver message to: <"))
        {
          if (current != NULL)
            bounce_fact_set_diag (current, diag);
          g_string_truncate (diag, 0);
          reading = FALSE;
          current = bounce_doc_add_fact (d, bounce_address_in (s + 30, n - 30), i, i);
          continue;
        }
      if (current == NULL)
        continue;
      if (bounce_mem_has_prefix (s, n, "Delivery failed for the following reason:"))
        {
          reading = TRUE;
          continue;
        }
      /* the reason, up to the verdict or the copy of the message */
      if (!reading || n == 0 || s[0] == '-' || bounce_mem_has_prefix (s, n, "This has been a "))
        {
          reading = reading && n == 0 && diag->len == 0;
          continue;
        }
      bounce_diag_append (diag, s, n);
      current->end = l->offset + l->len;
    }
  if (current != NULL)
    bounce_fact_set_diag (current, diag);
  for (guint i = 0; i < d->out->len; i++)
    ((BounceFact *) d->out->pdata[i])->command_unknown = TRUE;
  return d->out->len > 0;
}

const BounceLayout bounce_layout_mailfoundry = {
  .name = "mailfoundry",
  .title = "MailFoundry",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_mailfoundry,
};
