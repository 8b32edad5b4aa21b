/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What became of the message, as the report's verdict: the one decision the
 * window, the command line and the copied summary all show.  In rising
 * order of finality; a report's outcome is its strongest recipient's. */
typedef enum {
  BOUNCE_OUTCOME_NONE,       /* nothing failed: not a bounce, or a report of something else */
  BOUNCE_OUTCOME_DELAYED,    /* not delivered yet; the sending server keeps trying */
  BOUNCE_OUTCOME_UNKNOWN,    /* not delivered; the bounce does not say whether for good */
  BOUNCE_OUTCOME_GAVE_UP,    /* not delivered: the cause was temporary, but the sending
                              * server has stopped trying; send again once it is fixed */
  BOUNCE_OUTCOME_PERMANENT,  /* not delivered; sending again will not help until fixed */
} BounceOutcome;

const char   *bounce_outcome_to_string          (BounceOutcome outcome);  /* "permanent", ... */

G_END_DECLS
