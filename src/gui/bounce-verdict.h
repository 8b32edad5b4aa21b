/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bounce-core.h"

G_BEGIN_DECLS

#define BOUNCE_TYPE_VERDICT (bounce_verdict_get_type ())
G_DECLARE_FINAL_TYPE (BounceVerdict, bounce_verdict, BOUNCE, VERDICT, AdwBin)

void          bounce_verdict_set_report   (BounceVerdict *self,
                                           BounceReport  *report);
BounceReport *bounce_verdict_get_report   (BounceVerdict *self);
const char   *bounce_verdict_get_headline (BounceVerdict *self);
const char   *bounce_verdict_get_badge    (BounceVerdict *self);

/* The recipient the verdict is about: the first one that failed. */

G_END_DECLS
