/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-catalogue.h"
#include "bounce-fact.h"
#include "bounce-report.h"
#include "bounce-layouts.h"

G_BEGIN_DECLS

/* Private to the engine: what it knows about the message being diagnosed
 * (bounce-diagnose.c fills it), and the steps it takes per recipient:
 * gather the evidence (bounce-evidence.c), then judge it (bounce-judge.c). */

/* How much diagnostic text a recipient keeps for display. */
#define BOUNCE_DIAGNOSTIC_LIMIT 1000
/* How much of a recipient's text the evidence reads. */
#define BOUNCE_BLOCK_LIMIT 4096

typedef struct {
  BounceReport *report;
  BounceReport *message_report; /* the message's own, in an input of several; or NULL */
  BounceCatalogue *catalogue;
  BounceLayoutDoc *doc;
  BounceMessage *message;   /* NULL for a pasted fragment */
  GString *notification;    /* all notification text of the message */
  guint n_recipients;       /* how many recipients the message lists */
  gboolean one_explanation; /* ... under one explanation for all: none has a reply,
                             * a status or a server's words of its own */
  gboolean delay_notice;    /* a warning that delivery is still being tried */
  gboolean temporary_words; /* the notification speaks of a temporary failure or a delay */
  gboolean delay_words;     /* ... of a delay, in a warning's own words */
  gboolean delay_subject;   /* ... and its Subject says so */
  int states_failure;       /* the notification says the message was not delivered: -1 not
                             * asked yet (bounce_classify_states_failure()), else 0 or 1 */
  char *provider;           /* where the bounce comes from */
  gboolean provider_reports; /* ... named by the report's Reporting-MTA field, which
                              * Sisimai takes as the remote host of a recipient
                              * without a Remote-MTA (v5 lib/Sisimai/RFC3464.pm,
                              * inquire(): $connheader->{'rhost'}; stored commit
                              * b733d728c0c24d2a537ae426aa2b6bc8bf915de1), so that it
                              * reads the provider's table (Fact.pm, Rhost->find()) */
} BounceMessageContext;

/* What the evidence says about one recipient, once read. */
typedef struct {
  char *diagnostic;         /* the server's words with what frames them, one line: what
                             * the judgement reads */
  char *said;               /* what the server said, its reply alone, for people */
  char *remote_host;        /* the server that refused, or NULL */
  char *reply;              /* its SMTP reply code */
  char *enhanced;           /* its enhanced status code */
  gboolean enhanced_in_reply; /* ... found in the server's reply itself */
  const char *status;       /* the recipient's status (borrowed), or NULL */
  GString *context;         /* the text the catalogue's rules read */
  const char *provider;     /* who refused it (borrowed), or NULL */
  gboolean provider_of_bounce; /* ... known only as the one that sent the bounce */
} BounceEvidence;

/* A header of the message, or NULL (always for a pasted fragment). */
const char *bounce_context_header (BounceMessageContext *ctx,
                                   const char           *name);

/* A status that names a precise condition (5.1.2, 5.7.26, any x.6.z), not
 * the catch-all 5.7.1; and one that says nothing beyond its class (x.0.0). */
gboolean  bounce_status_is_specific (const char            *status);
gboolean  bounce_status_is_generic  (const char            *status);

/* The next server that refused named in a report's words ("host X[ip]
 * said", "host X [ip]", "Remote Server at X (", ...) in text[from, length):
 * its name's byte range, and the name lower-cased in *host if asked. */
gboolean  bounce_find_remote_host   (const char            *text,
                                     gsize                  length,
                                     gsize                  from,
                                     gsize                 *start,
                                     gsize                 *end,
                                     char                 **host);
/* Every such server named in text[from, length), in order: the byte
 * ranges of their names (BounceSpan), found in one pass. */
GArray   *bounce_find_remote_hosts  (const char            *text,
                                     gsize                  length,
                                     gsize                  from);
/* The pattern bounce_find_remote_host() finds the first match of, as if
 * it were matched whole, and its flags; the number of alternatives it is
 * searched in (for the tests). */
const char *bounce_remote_host_pattern (GRegexCompileFlags    *flags);
guint       bounce_remote_host_n_alternatives (void);

/* Collapses white space, joins a multi-line reply's lines, cuts at max bytes. */
char     *bounce_collapse_space     (const char            *s,
                                     gsize                  max);

void      bounce_evidence_gather    (BounceMessageContext  *ctx,
                                     BounceFact            *fact,
                                     BounceEvidence        *ev);
void      bounce_evidence_clear     (BounceEvidence        *ev);

/* Judges the recipient of fact and writes it into r. */
void      bounce_judge              (BounceMessageContext  *ctx,
                                     BounceFact            *fact,
                                     BounceRecipient       *r);

/* The first of rules whose reason decides (not "undefined"), or NULL. */
BounceEntry *bounce_rules_first_with_reason (GPtrArray     *rules);

G_END_DECLS
