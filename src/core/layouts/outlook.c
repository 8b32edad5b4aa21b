/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Outlook.com (formerly Hotmail, Windows Live) reported with a delivery
 * report under a short text that names the recipients but not the
 * reason:
 *
 *   This is an automatically generated Delivery Status Notification.
 *
 *   Delivery to the following recipients failed.
 *
 *          bob@example.net
 *
 * ("... has been delayed." for a warning).  The report's Diagnostic-Code,
 * when there is one, holds the reply; two of Outlook.com's sentences name
 * the condition, whatever the status beside them.  The command is never shown.  Learnt from Sisimai's
 * Lhost::Outlook. */

static const BouncePhrase outlook_phrases[] = {
  { "The mail could not be delivered to the recipient because the domain is not reachable", "hostunknown" },
  { "Requested action not taken: mailbox unavailable", "userunknown" },
};

static const char * const outlook_lists[] = {
  "Delivery to the following recipients failed.",
  "Delivery to the following recipients has been delayed.",
  "Delivery to the following recipient failed.",
  "Delivery to the following recipient has been delayed.",
  NULL
};

static gboolean
is_outlook (BounceLayoutDoc *d)
{
  guint signs = 0;

  signs += bounce_doc_header_has (d, "Subject", "Delivery Status Notification");
  signs += bounce_doc_header (d, "X-Message-Delivery") != NULL;
  signs += bounce_doc_header (d, "X-Message-Info") != NULL;
  signs += bounce_doc_received_has (d, ".hotmail.com");
  return signs >= 2;
}

static gboolean
parse_outlook (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "This is an automatically generated Delivery Status Notification");
  int list = start >= 0 ? bounce_doc_find_any_start (d, start, outlook_lists) : -1;
  gboolean delayed;

  /* a pasted notice has no headers to tell: its layout is the same */
  if (list < 0 || (d->is_message && !is_outlook (d)))
    return FALSE;
  delayed = bounce_line_contains (bounce_doc_line (d, list), "delayed");
  for (guint i = list + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      char *address;
      BounceFact *fact;

      if (bounce_line_is_blank (l))
        continue;
      address = bounce_address_alone (l);
      if (address == NULL)
        break;
      fact = bounce_doc_add_fact (d, address, i, i);
      fact->command_unknown = TRUE;
      if (delayed)
        fact->action = g_strdup ("delayed");
    }
  /* the report's reply names the reason */
  if (bounce_doc_has_dsn (d))
    {
      GPtrArray *groups = d->message->dsn_groups;

      for (guint i = 1; i < groups->len; i++)
        {
          BounceFieldGroup *group = groups->pdata[i];
          const char *final = bounce_fields_lookup (group->fields, "Final-Recipient");
          g_autofree char *address = final != NULL ? bounce_extract_address (final, -1, 0, NULL, NULL) : NULL;
          BounceFact *fact = address != NULL ? bounce_doc_find_fact (d, address) : NULL;

          if (fact != NULL)
            fact->code_reason = bounce_fact_phrase_reason (fact, outlook_phrases, G_N_ELEMENTS (outlook_phrases),
                                       bounce_group_diagnostic (group));
        }
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_outlook = {
  .name = "outlook",
  .title = "Outlook.com",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_outlook,
};
