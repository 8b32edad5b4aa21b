/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Amazon SES's receiving side: a receipt rule's "bounce" action refuses a
 * message on behalf of the domain's owner and reports it with "This
 * message could not be delivered." and a delivery report.  The rule's
 * message is one of SES's templates ("Mailbox does not exist", "Message
 * too large", ...) or the owner's own text; either way the refusal is the
 * owner's rule, not a mailbox's state, so a missing mailbox reads as a
 * filter.  Learnt from the SES developer guide, "Bounce action"
 * (https://docs.aws.amazon.com/ses/latest/dg/receiving-email-action-bounce.html)
 * and Sisimai's Lhost::ReceivingSES.  The note names no recipient. */

static const BouncePhrase receiving_ses_phrases[] = {
  { "Mailbox does not exist", "filtered" },
  { "Message too large", "mesgtoobig" },
  { "Mailbox full", "mailboxfull" },
  { "Message content rejected", "contenterror" },
};

static void
receiving_ses_group (BounceFact       *fact,
                     BounceFieldGroup *group,
                     gpointer          data)
{
  fact->code_reason = bounce_fact_phrase_reason (fact, receiving_ses_phrases, G_N_ELEMENTS (receiving_ses_phrases),
                                                 bounce_group_diagnostic (group));
}

static gboolean
parse_receiving_ses (BounceLayoutDoc *d)
{
  if (bounce_doc_header (d, "X-SES-Outgoing") == NULL ||
      bounce_doc_find_start (d, 0, "This message could not be delivered.") < 0)
    return FALSE;
  return bounce_doc_group_facts (d, receiving_ses_group, NULL) > 0;
}

const BounceLayout bounce_layout_receiving_ses = {
  .name = "receiving-ses",
  .title = "Amazon SES (receiving)",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_receiving_ses,
};
