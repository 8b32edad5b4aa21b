/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-engine.h"

G_BEGIN_DECLS

/* What the judgement of one recipient works from (bounce-judge.c).
 * Exposed so that each refinement can be tested on its own. */
typedef struct {
  BounceMessageContext *ctx;
  BounceFact *fact;
  BounceEvidence *ev;
  GPtrArray *rules;            /* the rules that explain the evidence, best first */
  BounceEntry *rule;           /* the best of them that names a reason, or NULL */
  BounceEntry *status_entry;   /* the catalogue's entry for the status, or NULL */
  BounceEntry *reply_entry;    /* ... for the reply code, or NULL */
  gboolean delivered;          /* the report says it was delivered (relayed, expanded) */
  BounceSmtpCommand stage;     /* the SMTP command the refusal answered, if known */
} BounceJudgement;

/* One refinement of the reason: given the reason so far, the reason after
 * this rule of judgement (the same pointer when it does not apply). */
typedef const char *(*BounceRefinementFunc) (const BounceJudgement *j,
                                             const char            *reason);

typedef struct {
  const char *name;
  BounceRefinementFunc func;
} BounceRefinement;

/* The refinements, in the order they apply; the last has name NULL. */
const BounceRefinement *bounce_judge_refinements   (void);
/* The first reading of the reason, before any refinement. */
const char             *bounce_judge_first_reason  (const BounceJudgement *j);
/* The first reading, refined. */
const char             *bounce_judge_reason        (const BounceJudgement *j);
BouncePermanence        bounce_judge_permanence    (const BounceJudgement *j);
/* The reply code the recipient reports, given the status the server gave
 * (NULL if none; newly allocated). */
char                   *bounce_judge_reported_reply (const BounceJudgement *j,
                                                     const char            *status);

G_END_DECLS
