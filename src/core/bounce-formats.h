/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-extract.h"
#include "bounce-input.h"

G_BEGIN_DECLS

/* What a recogniser for one mail server's human-readable bounce layout
 * found for one failed recipient.  Every string but address may be NULL. */
typedef struct {
  char *format;       /* which recogniser: "qmail", "exim", "sendmail", ... */
  char *address;      /* lower-case recipient address */
  char *diagnostic;   /* the server's reply / explanation for this recipient, as one line */
  char *status;       /* enhanced status code given by the layout (e.g. qmail's "#5.1.1") */
  BounceSmtpCommand command;  /* what the failing reply answered, when the layout shows it */
  gboolean command_unknown;   /* the layout never shows the command, so its absence says nothing */
  gboolean retried;           /* the layout says delivery was retried until it gave up (Exim's
                               * "retry timeout exceeded"): the failures were temporary ones */
  const char *pseudo_reason;  /* static: the reason whose pseudo status (X.0.9NN) the reference
                               * parsers give a code-less recipient of this layout, when it is
                               * not its reason */
  char *reason;       /* a reason only when the layout states it unambiguously */
  char *action;       /* "failed" or "delayed" when the layout says which */
  gsize start;        /* byte range of this recipient's text in the display text */
  gsize end;
} BounceFormatRecipient;

/* How much of a message's notification text the recognisers read. */
#define BOUNCE_FORMATS_SCAN_LIMIT (64 * 1024)

void       bounce_format_recipient_free (BounceFormatRecipient *recipient);

/* Recognises the layout of message message_index (its notification text,
 * i.e. the TEXT segments) and returns its recipients in order, or NULL when
 * no recogniser knows the layout.  Never fails. */
GPtrArray *bounce_formats_parse         (BounceInput *input,
                                         guint        message_index);

G_END_DECLS
