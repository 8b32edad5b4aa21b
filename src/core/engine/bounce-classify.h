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
/* The message comes from the mail system, not a person: a mailer daemon or
 * postmaster From, or the null reverse path (Return-Path: <>) that
 * notifications are sent with (RFC 5321 section 4.5.5). */
gboolean bounce_classify_from_mail_system       (BounceMessageContext *ctx);
/* The same from the values of From and Return-Path. */
gboolean bounce_classify_mail_system_sender     (const char           *from,
                                                 const char           *return_path);
/* A From: value (or a reply's attribution line) that names a mail system:
 * a mailer-daemon or postmaster address (RFC 5321 section 4.5.5) or a
 * display name such as "Mail Delivery Subsystem". */
gboolean bounce_classify_names_mail_system      (const char           *from);
/* An automatic reply (RFC 3834 Auto-Submitted, out-of-office Subjects). */
gboolean bounce_classify_looks_like_autoreply   (BounceMessageContext *ctx);
gboolean bounce_classify_reads_as_failure_report (BounceMessageContext *ctx);
/* The text says in a server's words that the message was not delivered
 * ("could not be delivered", "This is a permanent error"). */
gboolean bounce_classify_states_failure         (BounceMessageContext *ctx);
/* text holds a 4xx/5xx reply code or enhanced code. */
gboolean bounce_classify_has_error_codes        (const char           *text);
/* A pasted line without codes ("Mailbox full", "AUP#I-1000") is still a
 * failure when the catalogue recognises it. */
gboolean bounce_classify_fragment_names_failure (BounceMessageContext *ctx);

/* A pasted text is a bounce: it quotes an enhanced status code; or what
 * mail servers write of their reports ("Diagnostic-Code", "could not be
 * delivered", "said:") comes with a reply code, with lines naming failed
 * recipients (names_recipients) or with words the catalogue knows; or a
 * provider's own sentence, or a short reply the catalogue knows.  "550 new
 * customers" is not. */
gboolean bounce_classify_fragment_is_bounce     (BounceMessageContext *ctx,
                                                 gboolean              names_recipients);
/* Reports of something other than a failure: a read receipt (RFC 8098); a
 * challenge-response or sender-verification request (Boxbe, BoxTrapper,
 * "add me to your whitelist"); and, from a text's words alone, an
 * out-of-office note, a delivery success notice and a feedback report
 * (its feedback type, or NULL). */
gboolean bounce_classify_looks_like_read_receipt (BounceMessageContext *ctx);
/* The words of a read receipt in text (the pattern alone), and whether the
 * literals every match holds are there (never FALSE where the pattern
 * matches: the cheap look that spares running it). */
gboolean bounce_classify_read_receipt_words     (const char           *text);
gboolean bounce_classify_read_receipt_may_match (const char           *text);
/* Whether text holds a temporary failure's or a delay's words (what sets
 * temporary_words), and whether it holds one of the words every such text
 * holds (FALSE: it cannot). */
gboolean bounce_classify_temporary_words           (const char           *text);
gboolean bounce_classify_temporary_words_may_match (const char           *text);
gboolean bounce_classify_looks_like_challenge   (BounceMessageContext *ctx);
/* Whether text names a challenge-response service or asks what such a
 * service asks (to be put on an approved list, to confirm a real sender),
 * and whether it holds a word every such text holds (FALSE: it cannot). */
gboolean bounce_classify_challenge_sender           (const char           *text);
gboolean bounce_classify_challenge_words            (const char           *text);
gboolean bounce_classify_challenge_sender_may_match (const char           *text);
gboolean bounce_classify_challenge_words_may_match  (const char           *text);
gboolean bounce_classify_challenge_report       (BounceMessageContext *ctx,
                                                 GPtrArray            *listed);
gboolean bounce_classify_autoreply_words        (BounceMessageContext *ctx);
gboolean bounce_classify_delivered_words        (BounceMessageContext *ctx);
const char *bounce_classify_feedback_words      (BounceMessageContext *ctx);
/* A bounce for a message the user never sent: the returned message's
 * headers show it was written by someone at another organisation, never
 * went through the user's, and came in by plain SMTP from another host,
 * with the user's address only as its envelope sender (backscatter). */
gboolean bounce_classify_is_backscatter         (BounceMessageContext *ctx);
/* The address a text names as the one mail could not reach ("delivery to
 * 'a@b' failed", "The rejected e-mail address was 'a@b'", "User [a@b] does
 * not exist"), or its only address that is not the sender's; or NULL. */
char    *bounce_classify_named_recipient        (const char           *text);

G_END_DECLS
