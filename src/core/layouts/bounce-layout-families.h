/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-layout.h"

G_BEGIN_DECLS

/* Layouts that other servers copied.  The copy's module recognises its
 * own notices (its headers, its opening sentences) and reads the body
 * with the original's reader. */

/* Exim's list of failed addresses (exim.c), for MXLogic. */
gboolean bounce_exim_read  (BounceLayoutDoc    *d);

/* qmail's "<addr>:" blocks after line start (qmail.c), for x2 and x4;
 * phrases is the copy's own reason table (NULL: qmail's), matched against
 * the copy's own sentences (not the remote reply it quotes). */
gboolean bounce_qmail_read (BounceLayoutDoc    *d,
                            guint               start,
                            const BouncePhrase *phrases,
                            gsize               n_phrases);

/* What Dovecot's delivery agents say when they refuse a message
 * (dovecot.c), for the reports that quote it (rfc3464.c). */
extern const BouncePhrase bounce_dovecot_phrases[];
extern const gsize        bounce_dovecot_n_phrases;

/* Sendmail's list and transcript (sendmail.c), for V5 Sendmail. */
gboolean bounce_sendmail_read (BounceLayoutDoc   *d);

/* Appliances that write their verdict into a delivery report (rfc3464.c):
 * the Diagnostic-Code of the report's group about address (its type
 * stripped), or NULL; and a fact (Diagnostic-Code as text, Status as
 * layout_status) for every recipient of the report that the layout's text
 * did not name. */
const char *bounce_dsn_diagnostic  (BounceLayoutDoc *d,
                                    const char      *address);
void        bounce_dsn_add_unnamed (BounceLayoutDoc *d);

G_END_DECLS
