/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Aol Mail's own bounces (they carry an X-AOL-IP header) are delivery
 * reports; two sentences its servers write about DNS name the condition
 * more exactly than the status beside them.  Learnt from Sisimai's
 * Lhost::Aol. */

static const BouncePhrase aol_phrases[] = {
  { "Host or domain name not found", "hostunknown" },
  { "type=MX: Malformed or unexpected name server reply", "notaccept" },
};

static void
aol_group (BounceFact       *fact,
           BounceFieldGroup *group,
           gpointer          data)
{
  fact->code_reason = bounce_fact_phrase_reason (fact, aol_phrases, G_N_ELEMENTS (aol_phrases),
                                                 bounce_group_diagnostic (group));
}

static gboolean
parse_aol (BounceLayoutDoc *d)
{
  if (bounce_doc_header (d, "X-AOL-IP") == NULL)
    return FALSE;
  return bounce_doc_group_facts (d, aol_group, NULL) > 0;
}

const BounceLayout bounce_layout_aol = {
  .name = "aol",
  .title = "Aol Mail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_aol,
};
