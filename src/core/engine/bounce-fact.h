/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-extract.h"

G_BEGIN_DECLS

/* What the evidence says about one recipient.  Every source fills the same
 * record: a delivery report's fields (RFC 3464, or a provider's JSON that
 * maps onto them), a server's own human-readable layout, or the plain-text
 * scan for addresses.  The engine merges the records about each recipient
 * (bounce-diagnose.c) and judges the result (bounce-evidence.c,
 * bounce-judge.c); it knows no particular server. */
typedef struct {
  const char *layout;       /* static: the source's name ("rfc3464", "exim", "text") */
  char *address;            /* lower-case recipient, or NULL */
  char *original;           /* the address the sender wrote, when the report names
                             * another (RFC 3464 Original-Recipient), or NULL */

  /* What a delivery report's fields say */
  char *status;             /* its Status: the recipient's enhanced code, authoritative */
  char *action;             /* failed, delayed, delivered, relayed, expanded, expired */
  char *remote_mta;
  char *reply;              /* its Diagnostic-Code: the server's reply, as a field */
  char *reply_type;         /* the Diagnostic-Code's type ("smtp", "X-Unix"), or NULL */
  char *last_attempt;
  char *will_retry;

  /* What a server's layout says, in its own fixed words */
  char *layout_status;      /* a status code the layout writes for it ("#5.1.1") */
  char *said;               /* the layout's line for a recipient that a report's fields
                             * also list (the text of a layout's own record is in text) */
  char *reason;             /* a reason the source states unambiguously */
  const char *pseudo_reason; /* static: the reason whose pseudo status (X.0.9NN) the reference
                              * parsers give a code-less recipient of this layout, when it is
                              * not its reason */
  BounceSmtpCommand command; /* what the failing reply answered, when the source shows it */

  /* What the notification's text says */
  char *text;               /* the text found for the recipient ("" = its line, no more) */

  gsize start;              /* byte range of its text in the display text */
  gsize end;
  /* Flags, packed: an mbox of many reports holds one record per recipient. */
  guint has_range : 1;
  guint from_dsn : 1;       /* listed by a report's fields */
  guint from_layout : 1;    /* found by a layout, which shows the failed command whenever
                             * the server reported one ... */
  guint command_unknown : 1; /* ... unless the layout never shows it */
  guint retried : 1;        /* the layout says delivery was retried until it gave up, so
                             * the failures were temporary ones */
  guint pseudo_class_set : 1; /* the layout decides the class of a code-less recipient's
                               * pseudo status (when the text has no reply code either), as
                               * the reference parser's module for it does ... */
  guint pseudo_temporary : 1; /* ... 4 if set, else 5 */
  guint whole_notification : 1; /* no text of its own: its text is all of the notification */
  guint said_decides : 1;   /* said is the words of the program that refused the message
                             * (a local delivery agent), which the report's fields only
                             * relay: what the recipient's row shows */
  guint nameless : 1;       /* a layout's recipient named without an address (a directory's
                             * display name): a failed recipient all the same */
  guint code_reason : 1;    /* the layout's reason comes from a code of its own for the
                             * condition (Facebook's RCP-P2, Exchange's 000C05A6), which says
                             * more than a report's status */
  guint not_sent : 1;       /* a mail program's send error: its outgoing server refused the
                             * message, which never left the program, and nothing will try
                             * it again on its own */
} BounceFact;

BounceFact *bounce_fact_new       (const char *layout,
                                   char       *address);  /* takes the address */
void        bounce_fact_free      (BounceFact *fact);
/* Replaces the fact's text with s (NULL or empty: no text). */
void        bounce_fact_set_text  (BounceFact *fact,
                                   const char *s);
/* The fact in facts about address, or NULL. */
BounceFact *bounce_facts_find     (GPtrArray  *facts,
                                   const char *address);
/* A new array that frees its facts. */
GPtrArray  *bounce_facts_new      (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceFact, bounce_fact_free)

G_END_DECLS
