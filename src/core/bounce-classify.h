/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-engine.h"

G_BEGIN_DECLS

/* Sets the context's delay and temporary-failure flags from the Subject and
 * the notification's words. */
void     bounce_classify_words                  (BounceMessageContext *ctx);
/* A multipart/report of type delivery-status (RFC 3462/6522). */
gboolean bounce_classify_is_delivery_report     (BounceMessageContext *ctx);
/* The headers say bounce: a delivery report, X-Failed-Recipients, a
 * bounce's Subject, a mailer daemon's From.  A pasted fragment always may
 * be one. */
gboolean bounce_classify_looks_like_bounce      (BounceMessageContext *ctx);
/* An automatic reply (RFC 3834 Auto-Submitted, out-of-office Subjects). */
gboolean bounce_classify_looks_like_autoreply   (BounceMessageContext *ctx);
/* text holds a 4xx/5xx reply code or enhanced code. */
gboolean bounce_classify_has_error_codes        (const char           *text);
/* A pasted line without codes ("Mailbox full", "AUP#I-1000") is still a
 * failure when the catalogue recognises it. */
gboolean bounce_classify_fragment_names_failure (BounceMessageContext *ctx);

G_END_DECLS
