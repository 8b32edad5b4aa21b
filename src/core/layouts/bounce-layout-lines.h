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

/* The line starts with a space or a tab. */
gboolean          bounce_line_is_indented    (const BounceLine *l);

G_END_DECLS
