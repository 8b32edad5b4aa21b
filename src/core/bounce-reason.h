/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The 34 reasons a recipient's failure is filed under (the taxonomy of the
 * Sisimai bounce library, so results compare with the reference parsers),
 * and what each implies.  This table is the only place that lists them. */

typedef enum {
  BOUNCE_HARD_NEVER,           /* retrying the address may work one day */
  BOUNCE_HARD_ALWAYS,          /* the address cannot receive mail */
  BOUNCE_HARD_WHEN_PERMANENT,  /* only when the server's codes say permanent */
} BounceHardness;

typedef struct {
  const char *name;              /* "userunknown" */
  const char *pseudo_permanent;  /* X.0.9NN status for a code-less recipient, or NULL */
  const char *pseudo_temporary;
  BounceHardness hardness;
  guint sender_reputation : 1;   /* about the sending side's reputation: blocklist checks help */
  guint not_a_failure : 1;       /* a report of something else: delivered, vacation, feedback */
} BounceReasonInfo;

/* NULL-terminated list of the names, in the table's order. */
const char * const     *bounce_reason_names         (void);
gboolean                bounce_reason_is_known      (const char *name);
/* The row for a reason name, or NULL. */
const BounceReasonInfo *bounce_reason_lookup        (const char *name);

/* Sisimai-compatible pseudo status for a reason when the bounce carries no
 * enhanced code ("userunknown" -> "5.0.911"), or NULL. */
const char             *bounce_reason_pseudo_status (const char *reason,
                                                     gboolean    temporary);

/* TRUE for the reasons that make retrying the address pointless; permanent
 * says whether the server's own codes were permanent. */
gboolean                bounce_reason_is_hard       (const char *reason,
                                                     gboolean    permanent);

/* TRUE when the reason is about the sending side's reputation, so a
 * blocklist check of the sending IP or domain can help. */
gboolean                bounce_reason_concerns_reputation (const char *reason);

G_END_DECLS
