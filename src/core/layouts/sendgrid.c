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

/* SendGrid writes "Action: expired" in its delivery report when it gave
 * up retrying: the delivery time ran out (Sisimai's Lhost::SendGrid
 * names it expired). */
static gboolean
group_expired (BounceFieldGroup *group)
{
  const char *action = bounce_fields_lookup (group->fields, "Action");

  while (action != NULL && (*action == ' ' || *action == '\t'))
    action++;
  return action != NULL && g_ascii_strncasecmp (action, "expired", 7) == 0;
}

static void
sendgrid_group (BounceFact       *fact,
                BounceFieldGroup *group,
                gpointer          data)
{
  if (group_expired (group))
    fact->reason = g_strdup ("expired");
}

/* the text's recipients whose report says the same */
static void
sendgrid_expired (BounceLayoutDoc *d)
{
  GPtrArray *groups = bounce_doc_has_dsn (d) ? d->message->dsn_groups : NULL;

  for (guint i = 1; groups != NULL && i < groups->len; i++)
    {
      BounceFieldGroup *group = groups->pdata[i];
      const char *final = bounce_fields_lookup (group->fields, "Final-Recipient");
      g_autofree char *address = final != NULL ? bounce_extract_address (final, -1, 0, NULL, NULL) : NULL;
      BounceFact *fact = address != NULL ? bounce_doc_find_fact (d, address) : NULL;

      if (fact != NULL && fact->reason == NULL && group_expired (group))
        fact->reason = g_strdup ("expired");
    }
}

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
  if (d->out->len > 0)
    sendgrid_expired (d);
  else
    bounce_doc_group_facts (d, sendgrid_group, NULL);
  return d->out->len > 0;
}

const BounceLayout bounce_layout_sendgrid = {
  .name = "sendgrid",
  .title = "SendGrid",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_sendgrid,
};
