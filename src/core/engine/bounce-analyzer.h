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
