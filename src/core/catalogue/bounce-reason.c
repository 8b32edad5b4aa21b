/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-reason.h"

/* Pseudo statuses are the internal codes of Sisimai (lib/Sisimai/SMTP/
 * Status.pm, its table of reasons to "X.0.9NN" codes); hardness follows its
 * SMTP/Error.pm soft-or-hard decision: only a mailbox or domain that does
 * not exist (or has moved) is hard, and a refusal to accept any mail is
 * hard when it is permanent.  The codes of the reasons Sisimai 5 added
 * (authfailure, badreputation, notcompliantrfc, speeding) are Status.pm's
 * InternalCode as stored at p5-sisimai a889ea37555f (before v5.1.0) and
 * 87d1697c62b0; badreputation's, notcompliantrfc's and speeding's are the
 * same in the newer table (0a5bf6188940, with failedstarttls and
 * suppressed), where authfailure moved to X.0.926 and more reasons got a
 * class-4 code of their own; the older table's are kept for those, as the
 * labels follow v5.1.0.  A reason without a class-4 code there takes its
 * class-5 code in both cases, as Status.pm's code() does. */
static const BounceReasonInfo reasons[] = {
  /* name               permanent   temporary   hardness                     rep other */
  { "userunknown",      "5.0.911", "5.0.911", BOUNCE_HARD_ALWAYS,         0, 0 },
  { "mailboxfull",      "5.0.922", "4.0.922", BOUNCE_HARD_NEVER,          0, 0 },
  { "hostunknown",      "5.0.912", "5.0.912", BOUNCE_HARD_ALWAYS,         0, 0 },
  { "blocked",          "5.0.971", "4.0.971", BOUNCE_HARD_NEVER,          1, 0 },
  { "badreputation",    "5.0.975", "4.0.975", BOUNCE_HARD_NEVER,          1, 0 },
  { "spamdetected",     "5.0.980", "4.0.980", BOUNCE_HARD_NEVER,          1, 0 },
  { "policyviolation",  "5.0.972", "5.0.972", BOUNCE_HARD_NEVER,          1, 0 },
  { "rejected",         "5.0.918", "4.0.918", BOUNCE_HARD_NEVER,          1, 0 },
  { "norelaying",       "5.0.909", "5.0.909", BOUNCE_HARD_NEVER,          0, 0 },
  { "authfailure",      "5.0.972", "4.0.972", BOUNCE_HARD_NEVER,          1, 0 },
  { "securityerror",    "5.0.970", "4.0.970", BOUNCE_HARD_NEVER,          1, 0 },
  { "requireptr",       "5.0.973", "4.0.973", BOUNCE_HARD_NEVER,          1, 0 },
  { "notcompliantrfc",  "5.0.974", "4.0.974", BOUNCE_HARD_NEVER,          0, 0 },
  { "exceedlimit",      "5.0.923", "5.0.923", BOUNCE_HARD_NEVER,          0, 0 },
  { "mesgtoobig",       "5.0.934", "5.0.934", BOUNCE_HARD_NEVER,          0, 0 },
  { "contenterror",     "5.0.960", "4.0.960", BOUNCE_HARD_NEVER,          0, 0 },
  { "virusdetected",    "5.0.971", "5.0.971", BOUNCE_HARD_NEVER,          0, 0 },
  { "speeding",         "5.0.946", "4.0.946", BOUNCE_HARD_NEVER,          0, 0 },
  { "toomanyconn",      "5.0.945", "4.0.945", BOUNCE_HARD_NEVER,          0, 0 },
  { "expired",          "5.0.947", "4.0.947", BOUNCE_HARD_NEVER,          0, 0 },
  { "networkerror",     "5.0.944", "4.0.944", BOUNCE_HARD_NEVER,          0, 0 },
  { "systemerror",      "5.0.930", "4.0.930", BOUNCE_HARD_NEVER,          0, 0 },
  { "systemfull",       "5.0.931", "4.0.931", BOUNCE_HARD_NEVER,          0, 0 },
  { "mailererror",      "5.0.939", "5.0.939", BOUNCE_HARD_NEVER,          0, 0 },
  { "suspend",          "5.0.921", "5.0.921", BOUNCE_HARD_NEVER,          0, 0 },
  { "hasmoved",         "5.0.916", "5.0.916", BOUNCE_HARD_ALWAYS,         0, 0 },
  { "notaccept",        "5.0.932", "4.0.932", BOUNCE_HARD_WHEN_PERMANENT, 0, 0 },
  { "syntaxerror",      "5.0.902", "5.0.902", BOUNCE_HARD_NEVER,          0, 0 },
  { "filtered",         "5.0.910", "4.0.924", BOUNCE_HARD_NEVER,          1, 0 },
  { "onhold",           "5.0.901", "4.0.901", BOUNCE_HARD_NEVER,          0, 0 },
  { "undefined",        "5.0.900", "4.0.900", BOUNCE_HARD_NEVER,          0, 0 },
  { "vacation",         NULL,      NULL,      BOUNCE_HARD_NEVER,          0, 1 },
  { "delivered",        NULL,      NULL,      BOUNCE_HARD_NEVER,          0, 1 },
  { "feedback",         NULL,      NULL,      BOUNCE_HARD_NEVER,          0, 1 },
};

const char * const *
bounce_reason_names (void)
{
  static const char *names[G_N_ELEMENTS (reasons) + 1];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (gsize i = 0; i < G_N_ELEMENTS (reasons); i++)
        names[i] = reasons[i].name;
      names[G_N_ELEMENTS (reasons)] = NULL;
      g_once_init_leave (&done, 1);
    }
  return names;
}

const BounceReasonInfo *
bounce_reason_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (strcmp (reasons[i].name, name) == 0)
      return &reasons[i];
  return NULL;
}

gboolean
bounce_reason_is_known (const char *name)
{
  return bounce_reason_lookup (name) != NULL;
}

const char *
bounce_reason_pseudo_status (const char *reason,
                             gboolean    temporary)
{
  const BounceReasonInfo *info = bounce_reason_lookup (reason);

  if (info == NULL)
    return NULL;
  return temporary ? info->pseudo_temporary : info->pseudo_permanent;
}

gboolean
bounce_reason_is_hard (const char *reason,
                       gboolean    permanent)
{
  const BounceReasonInfo *info = bounce_reason_lookup (reason);

  if (info == NULL)
    return FALSE;
  switch (info->hardness)
    {
    case BOUNCE_HARD_ALWAYS:
      return TRUE;
    case BOUNCE_HARD_WHEN_PERMANENT:
      return permanent;
    case BOUNCE_HARD_NEVER:
    default:
      return FALSE;
    }
}

gboolean
bounce_reason_concerns_reputation (const char *reason)
{
  const BounceReasonInfo *info = bounce_reason_lookup (reason);

  return info != NULL && info->sender_reputation;
}
