/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* PowerMTA classifies every bounce it sends in an extension field of its
 * DSN, X-PowerMTA-BounceCategory; its categories map onto reasons.  Learnt
 * from PowerMTA's bounce-category list (its default bounce-category-patterns
 * file) and Sisimai's Lhost::PowerMTA. */

static const struct {
  const char *category;
  const char *reason;
} categories[] = {
  { "bad-mailbox", "userunknown" },
  { "inactive-mailbox", "suspend" },
  { "quota-issues", "mailboxfull" },
  { "bad-domain", "hostunknown" },
  { "no-answer-from-host", "networkerror" },
  { "bad-connection", "networkerror" },
  { "routing-errors", "systemerror" },
  { "bad-configuration", "systemerror" },
  { "message-expired", "expired" },
  { "spam-related", "spamdetected" },
  { "virus-related", "virusdetected" },
  { "content-related", "contenterror" },
  { "policy-related", "policyviolation" },
  { "invalid-sender", "rejected" },
  { "relaying-issues", "norelaying" },
  { "protocol-errors", "syntaxerror" },
};

static const char *
category_reason (BounceFieldGroup *group)
{
  const char *category = bounce_fields_lookup (group->fields, "X-PowerMTA-BounceCategory");
  g_autofree char *key = NULL;

  if (category == NULL)
    return NULL;
  key = g_ascii_strdown (category, -1);
  g_strstrip (key);
  for (gsize i = 0; i < G_N_ELEMENTS (categories); i++)
    if (g_str_equal (key, categories[i].category))
      return categories[i].reason;
  return NULL;
}

const BounceLayout bounce_layout_powermta = {
  .name = "powermta",
  .title = "PowerMTA",
  .kind = BOUNCE_LAYOUT_FIELDS,
  .field_reason = category_reason,
};
