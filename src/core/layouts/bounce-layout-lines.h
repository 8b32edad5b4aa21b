/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-layout.h"

G_BEGIN_DECLS

/* Line helpers for the layouts learnt from servers' own documentation and
 * source (bounce-layout-lines.c): the shapes their notices share. */

/* The address when the line, trimmed, is one address and nothing else
 * ("bob@example.net", "<bob@example.net>", "- bob@example.net", with an
 * optional trailing ':' or ','), lower case; otherwise NULL. */
char             *bounce_line_lone_address   (const BounceLine *l);

/* When the trimmed line starts with label (any case), the rest of it,
 * trimmed, in *value and *len; otherwise FALSE. */
gboolean          bounce_line_value          (const BounceLine *l,
                                              const char       *label,
                                              const char      **value,
                                              gsize            *len);

/* The SMTP command a client line names ("RCPT TO:<a@b>", "MAIL FROM:",
 * "DATA", "." for the end of the message, "EHLO ..."), or NONE. */
BounceSmtpCommand bounce_command_of_word     (const char       *s,
                                              gsize             len);

/* What bounce_text_opens_returned_message() looks for. */
typedef enum
{
  BOUNCE_MARKER_SEPARATOR = 0,       /* only a separator line */
  BOUNCE_MARKER_HEADING = 1 << 0,    /* or a heading that starts at p */
  BOUNCE_MARKER_LINE = 1 << 1,       /* or such a heading anywhere in a short line */
} BounceMarkerFlags;

/* Whether the text at p (len bytes, a line or what is left of a reply
 * whose lines were joined) opens the returned message: a separator of at
 * least three '-' or '=' naming it ("----- Original message -----",
 * "-------- Returned Mail --------", "---------- Forwarded message
 * ----------", Exim's "------ This is a copy of the message, including all
 * the headers. ------"), or as flags allow, a heading without one
 * ("Original message follows.", "Original message headers:", DragonFly's
 * "Message headers follow.", "A copy of the original message below this
 * line:"; with BOUNCE_MARKER_LINE also "Possibly truncated original
 * message follows:"). */
gboolean          bounce_text_opens_returned_message (const char        *p,
                                                      gsize              len,
                                                      BounceMarkerFlags  flags);

/* The line starts with a space or a tab. */
gboolean          bounce_line_is_indented    (const BounceLine *l);

G_END_DECLS
