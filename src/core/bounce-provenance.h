/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-engine.h"

G_BEGIN_DECLS

/* The provider entry code of the server that wrote the message's report
 * ("Reported by"), or NULL. */
char *bounce_provenance_detect (BounceMessageContext *ctx);

G_END_DECLS
