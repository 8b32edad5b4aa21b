/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-catalogue.h"
#include "bounce-report.h"

G_BEGIN_DECLS

/* How much notification text the diagnosis reads.  A server's own report
 * is a few kilobytes; anything past this is a pasted or attached message,
 * and scanning it would only make huge inputs slow. */
#define BOUNCE_NOTIFICATION_LIMIT (256 * 1024)

/* Fills the report's kind, recipients (with codes, reason, permanence and
 * catalogue entries) and provider from its input.  Internal to the core. */
void         bounce_diagnose             (BounceReport    *report,
                                          BounceCatalogue *catalogue);


G_END_DECLS
