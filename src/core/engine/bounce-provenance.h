/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-engine.h"

G_BEGIN_DECLS

/* The provider entry code of the server that wrote the message's report
 * ("Reported by"), or NULL; *by_reporting_mta says whether the report's
 * Reporting-MTA field named it. */
char *bounce_provenance_detect (BounceMessageContext *ctx,
                                gboolean             *by_reporting_mta);

G_END_DECLS
