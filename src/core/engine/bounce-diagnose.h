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

/* The same, a message at a time, for an input read message by message
 * (BounceInputReader): report is the whole input's. */
typedef struct _BounceDiagnosis BounceDiagnosis;

BounceDiagnosis *bounce_diagnosis_new    (BounceReport    *report,
                                          BounceCatalogue *catalogue);
void         bounce_diagnosis_free       (BounceDiagnosis *self);
/* Diagnoses message index of input, which is message number of the whole
 * input, into the whole report; with several (the whole input has more
 * than one message) also into a report of the message's own, finished,
 * which it returns (else NULL). */
BounceReport *bounce_diagnosis_add_message (BounceDiagnosis *self,
                                            BounceInput     *input,
                                            guint            index,
                                            guint            number,
                                            gboolean         several);
/* The whole report lists BOUNCE_MAX_RECIPIENTS: the messages still to come
 * are not read (the caller marks the report truncated when there are). */
gboolean     bounce_diagnosis_is_full    (BounceDiagnosis *self);
/* Decides the whole report's verdict, once every message is in. */
void         bounce_diagnosis_finish     (BounceDiagnosis *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceDiagnosis, bounce_diagnosis_free)

G_END_DECLS
