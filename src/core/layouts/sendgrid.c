/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* SendGrid's bounces (from apps@sendgrid.net, "Undelivered Mail Returned
 * to Sender"):
 *
 *   This is an automatically generated message from SendGrid.
 *
 *   I'm sorry to have to tell you that your message was not able to be
 *   delivered to one of its intended recipients.
 *
 *   user:000000:<bob@example.net> : 192.0.2.250 : mx.example.net:[192.0.2.153] :
 *     550 5.1.1 <bob@example.net>... User Unknown  in RCPT TO
 *
 * and a delivery report.  A recipient's line holds colon-separated
 * fields, the address among them in angle brackets; the reply follows,
 * indented, and ends with the command it answered ("in RCPT TO", "in MAIL
 * FROM", "in End of DATA").  Learnt from Sisimai's Lhost::SendGrid. */

static gboolean
parse_sendgrid (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "This is an automatically generated message from SendGrid.");
  BounceFact *current = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (start < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *lt, *gt;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (bounce_mem_has_prefix (s, n, "Content-Type:") || bounce_mem_has_prefix (s, n, "Reporting-MTA:") ||
          bounce_mem_has_prefix (s, n, "------"))
        break;
      lt = memchr (s, '<', n);
      gt = lt != NULL ? memchr (lt, '>', s + n - lt) : NULL;
      if (l->len > 0 && l->s[0] != ' ' && l->s[0] != '\t' && gt != NULL && n > 0 && s[n - 1] == ':' &&
          bounce_mem_find (s, n, " : ") != NULL && memchr (lt, '@', gt - lt) != NULL)
        {
          if (current != NULL)
            bounce_fact_set_diag (current, diag);
          g_string_truncate (diag, 0);
          current = bounce_doc_add_fact (d, bounce_address_in (lt + 1, gt - lt - 1), i, i);
          continue;
        }
      if (current == NULL || n == 0)
        continue;
      if (l->s[0] != ' ' && l->s[0] != '\t')
        {
          bounce_fact_set_diag (current, diag);
          current = NULL;
          continue;
        }
      bounce_diag_append (diag, s, n);
      current->end = l->offset + l->len;
      /* "... User Unknown  in RCPT TO", "in MAIL FROM", "in End of DATA" */
      if (current->command == BOUNCE_SMTP_COMMAND_NONE)
        current->command = bounce_extract_smtp_command (s, n);
      if (current->command == BOUNCE_SMTP_COMMAND_NONE && bounce_mem_find (s, n, " in End of DATA") != NULL)
        current->command = BOUNCE_SMTP_COMMAND_DATA;
    }
  if (current != NULL)
    bounce_fact_set_diag (current, diag);
  return d->out->len > 0;
}

const BounceLayout bounce_layout_sendgrid = {
  .name = "sendgrid",
  .title = "SendGrid",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_sendgrid,
};
