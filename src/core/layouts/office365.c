/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Microsoft Office 365 (Exchange Online) reports of about 2015 to 2020:
 *
 *   Delivery has failed to these recipients or groups:
 *
 *   bob@example.net<mailto:bob@example.net>
 *   The email address wasn't found at the destination domain. ...
 *
 *   Diagnostic information for administrators:
 *
 *   Generating server: EXAMPLE01.eurprd01.prod.outlook.com
 *
 *   bob@example.net
 *   Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; ...'
 *
 *   Original message headers:
 *
 * The block for administrators is Exchange's (exchange2007.c reads it);
 * the list at the top names the recipients when it is missing.  The
 * status codes Microsoft documents for Exchange Online name the condition.
 * Learnt from Microsoft's "Email non-delivery reports in Exchange Online"
 * (https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online)
 * and Sisimai's Lhost::Office365. */

extern const BounceLayout bounce_layout_exchange2007;

static const char * const office365_starts[] = {
  "Delivery has failed to these recipients or groups:",
  "Falha na entrega a estes destinatários ou grupos:",
  "Uw bericht kan niet worden bezorgd bij de volgende geadresseerden of groepen:",
  NULL
};

/* Exchange Online's status codes and what Microsoft says they mean. */
static const struct {
  const char *status;       /* a prefix when it ends with '*' */
  const char *reason;
} office365_statuses[] = {
  { "4.4.7", "expired" },
  { "4.4.312", "networkerror" },
  { "4.4.316", "expired" },
  { "4.7.26", "authfailure" },
  { "4.7.5**", "blocked" },
  { "4.7.6**", "blocked" },
  { "4.7.85*", "blocked" },
  { "4.7.86*", "blocked" },
  { "4.7.87*", "blocked" },
  { "4.7.88*", "blocked" },
  { "4.7.89*", "blocked" },
  { "5.0.350", "contenterror" },
  { "5.1.10", "userunknown" },
  { "5.4.1", "norelaying" },
  { "5.4.6", "networkerror" },
  { "5.4.312", "networkerror" },
  { "5.4.316", "expired" },
  { "5.6.11", "contenterror" },
  { "5.7.12", "rejected" },
  { "5.7.13", "rejected" },
  { "5.7.124", "rejected" },
  { "5.7.133", "rejected" },
  { "5.7.134", "rejected" },
  { "5.7.135", "rejected" },
  { "5.7.136", "rejected" },
  { "5.7.23", "blocked" },
  { "5.7.25", "networkerror" },
  { "5.7.501", "spamdetected" },
  { "5.7.502", "spamdetected" },
  { "5.7.503", "spamdetected" },
  { "5.7.504", "filtered" },
  { "5.7.505", "filtered" },
  { "5.7.506", "blocked" },
  { "5.7.507", "blocked" },
  { "5.7.508", "toomanyconn" },
  { "5.7.509", "authfailure" },
  { "5.7.510", "notaccept" },
  { "5.7.511", "rejected" },
  { "5.7.512", "policyviolation" },
  { "5.7.57", "securityerror" },
  { "5.7.606", "blocked" },
  { "5.7.607", "blocked" },
  { "5.7.608", "blocked" },
  { "5.7.609", "blocked" },
  { "5.7.61*", "blocked" },
  { "5.7.62*", "blocked" },
  { "5.7.63*", "blocked" },
  { "5.7.64*", "blocked" },
  { "5.7.7**", "toomanyconn" },
};

static gboolean
status_matches (const char *status,
                const char *pattern)
{
  gsize n = strlen (pattern), k = 0;

  while (k < n && pattern[k] != '*')
    k++;
  if (strncmp (status, pattern, k) != 0)
    return FALSE;
  /* each '*' stands for one digit */
  for (; k < n; k++)
    if (!g_ascii_isdigit (status[k]))
      return FALSE;
  return status[n] == '\0';
}

static gboolean
is_office365 (BounceLayoutDoc *d)
{
  static const char * const headers[] = {
    "X-MS-Exchange-Message-Is-Ndr", "X-Microsoft-Antispam-PRVS", "X-MS-Exchange-CrossTenant-OriginalArrivalTime",
    "X-MS-Exchange-CrossTenant-FromEntityHeader", "X-MS-Exchange-Transport-CrossTenantHeadersStamped",
  };
  guint signs = 0;

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    signs += bounce_doc_header (d, headers[i]) != NULL;
  signs += bounce_doc_received_has (d, ".outlook.com");
  /* pasted: the generating server is Microsoft's */
  signs += bounce_doc_find (d, 0, ".prod.outlook.com") >= 0 || bounce_doc_find (d, 0, ".outbound.protection.outlook.com") >= 0;
  signs += bounce_doc_find (d, 0, "<mailto:") >= 0;
  return signs >= 1;
}

/* "bob@example.net<mailto:bob@example.net>" under the opening sentence. */
static void
office365_list (BounceLayoutDoc *d,
                guint            start)
{
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *mailto = bounce_mem_find (l->s, l->len, "<mailto:");

      if (bounce_doc_find_start (d, i, "Diagnostic information for administrators:") == (int) i)
        break;
      if (mailto != NULL)
        {
          BounceFact *fact = bounce_doc_add_fact (d, bounce_address_in (l->s, mailto - l->s), i, i);

          fact->command_unknown = TRUE;
        }
    }
}

static gboolean
parse_office365 (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_any_start (d, 0, office365_starts);

  if (start < 0 || !is_office365 (d))
    return FALSE;
  if (!bounce_layout_exchange2007.parse (d))
    office365_list (d, start);
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *fact = d->out->pdata[i];
      g_autofree char *status = NULL;

      if (fact->text == NULL)
        continue;
      if (fact->command == BOUNCE_SMTP_COMMAND_NONE &&
          strstr (fact->text, "unknown recipient or mailbox unavailable ->") != NULL)
        fact->command = BOUNCE_SMTP_COMMAND_RCPT;
      if (fact->reason != NULL)
        continue;
      bounce_extract_first_codes (fact->text, NULL, &status);
      for (guint k = 0; status != NULL && k < G_N_ELEMENTS (office365_statuses); k++)
        if (status_matches (status, office365_statuses[k].status))
          {
            fact->reason = g_strdup (office365_statuses[k].reason);
            break;
          }
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_office365 = {
  .name = "office365",
  .title = "Microsoft Office 365",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_office365,
};
