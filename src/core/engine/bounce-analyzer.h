/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "bounce-catalogue.h"
#include "bounce-report.h"

G_BEGIN_DECLS

/* Analyses already decoded input: codes, recipients, reasons, links.  Never
 * fails: an input that is not a bounce gives a BOUNCE_KIND_NOT_BOUNCE report. */
BounceReport *bounce_analyze_input       (BounceInput          *input,
                                          const char           *source,
                                          BounceCatalogue      *catalogue);

/* For a message of an input of several (one of report's message reports):
 * fills its findings, named blocklists, targets and links, as its own
 * analysis would, so that it can be shown like a single bounce.  Offsets
 * stay those of the whole input's display text.  Done once; cheap enough
 * for the window to call when the message is shown. */
void          bounce_analyze_message     (BounceReport         *report,
                                          BounceReport         *message,
                                          BounceCatalogue      *catalogue);

/* Decode and analyse in one go (synchronous; for the CLI and tests). */
BounceReport *bounce_analyze_bytes       (GBytes               *bytes,
                                          const char           *source,
                                          GCancellable         *cancellable,
                                          GError              **error);

/* Hands on a message's report (bounce_analyze_bytes_by_message()). */
typedef void (*BounceMessageFunc) (BounceReport *message,
                                   gpointer      user_data);

/* Decode and analyse an mbox a message at a time, so that its size costs
 * no memory beyond the bytes read: each message is decoded, analysed into
 * the whole input's report and a report of its own, which is handed to
 * func (when not NULL) and then freed with the message's text.  Takes
 * bytes over, to release them once they are read (an mbox) or decoded (a
 * single message).  The report returned is the one bounce_analyze_bytes()
 * returns, with the same output (JSON, text, CSV header), except that it
 * keeps no input text (bounce_report_get_input() is the reader's whole
 * input, empty), no message reports (the JSON's "messages" come from what
 * it keeps of them, bounce_report_get_message_summary()) and, of the
 * findings, only the codes.  For an input of one message it is
 * bounce_analyze_bytes()'s report, and func is not called.  For
 * bounce-explain. */
BounceReport *bounce_analyze_bytes_by_message (GBytes             *bytes,
                                               const char         *source,
                                               BounceCatalogue    *catalogue,
                                               BounceMessageFunc   func,
                                               gpointer            user_data,
                                               GCancellable       *cancellable,
                                               GError            **error);

/* The same on a worker thread (for the window).  The callback runs in the
 * caller's thread-default main context. */
void          bounce_analyze_bytes_async  (GBytes              *bytes,
                                           const char          *source,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
BounceReport *bounce_analyze_bytes_finish (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
