/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "bounce-fact.h"
#include "bounce-input.h"

G_BEGIN_DECLS

/* How a layout module tells what a message says per recipient.  One file per
 * server layout under src/core/layouts/, each defining one BounceLayout and
 * listed once in the registry (bounce-layouts.c).  A layout reads the
 * message through a BounceLayoutDoc and answers with BounceFact records. */

typedef enum {
  BOUNCE_LAYOUT_FIELDS,  /* machine-readable fields (RFC 3464, a provider's JSON): the list
                          * of recipients, authoritative */
  BOUNCE_LAYOUT_TEXT,    /* a server's own human-readable layout: the first that knows the
                          * text is the one */
  BOUNCE_LAYOUT_SCAN,    /* the generic scan for addresses named as recipients */
} BounceLayoutKind;

/* One line of the notification text. */
typedef struct {
  const char *s;
  gsize len;
  gsize offset;     /* into the display text */
} BounceLine;

typedef struct {
  BounceInput *input;
  const char *text;          /* the display text */
  guint message_index;
  BounceMessage *message;    /* its decoded headers and parts */
  gboolean is_message;       /* FALSE for a pasted fragment: its "message" is what the
                              * decoder made of loose text */
  const char *sender;        /* lower-case address the bounce went to (the original sender) */
  guint seg_begin;           /* the message's segments, [seg_begin, seg_end) */
  guint seg_end;
  const char *notification;  /* all notification text (text and report parts), cut at a limit */
  GArray *lines;             /* BounceLine of the text parts, up to BOUNCE_LAYOUT_SCAN_LIMIT */
  GByteArray *line_heads;    /* per line, its first byte after blanks, in lower case
                              * (0: none), for bounce_doc_find_start() */
  /* output */
  const char *layout;        /* name of the layout being run */
  GPtrArray *out;            /* BounceFact */
  GPtrArray *feedback;       /* BounceField of a feedback report a layout found, or NULL */
} BounceLayoutDoc;

typedef struct {
  char *reply;       /* "421" */
  char *enhanced;    /* "4.4.2" */
  char *said;        /* the reply whole, or NULL when only its codes are quoted */
} BounceQuotedReply;

typedef struct {
  const char *name;          /* "exim": what the JSON and the tests call it */
  const char *title;         /* "Exim", for people */
  BounceLayoutKind kind;
  /* Fills doc->out (and maybe doc->feedback) when the message is in this
   * layout; returns whether it was.  NULL for layouts that only quote. */
  gboolean (*parse) (BounceLayoutDoc *doc);
  /* Layouts that quote the remote server's reply inside their own verdict
   * ("Message expired: unable to deliver in 840 minutes.<421 4.4.2 ...>"):
   * the quoted codes in text, or FALSE. */
  gboolean (*verdict_quote) (const char *text, BounceQuotedReply *out);
  /* Layouts that list the replies to earlier attempts: the newest one in
   * text (past expiry verdicts x.4.7 when skip_expiry), or FALSE. */
  gboolean (*attempt_reply) (const char *text, gboolean skip_expiry, BounceQuotedReply *out);
  /* Layouts that add fields of their own to a delivery report's recipient
   * groups: the reason such a group states, or NULL. */
  const char *(*field_reason) (BounceFieldGroup *group);
} BounceLayout;

/* Layouts put what matters at the top: a 20 MB input must not cost more
 * than this much scanning per layout. */
#define BOUNCE_LAYOUT_SCAN_LIMIT (64 * 1024)
/* How much of one recipient's explanation a layout keeps. */
#define BOUNCE_LAYOUT_TEXT_LIMIT 2048

void        bounce_quoted_reply_clear (BounceQuotedReply *q);

/* Text helpers for layout modules (bounce-layout-doc.c). */
static inline const BounceLine *
bounce_doc_line (BounceLayoutDoc *d,
                 guint            i)
{
  return &g_array_index (d->lines, BounceLine, i);
}

void        bounce_line_trim          (const BounceLine *l,
                                       const char      **start,
                                       gsize            *len);
gboolean    bounce_line_is_blank      (const BounceLine *l);
/* The line starts with a failure's SMTP reply: "550 ..." or "550-..." (a
 * 4xx or 5xx code, then a space or a dash), after leading white space. */
gboolean    bounce_line_is_reply      (const BounceLine *l);
gboolean    bounce_line_starts        (const BounceLine *l,
                                       const char       *prefix);
gboolean    bounce_line_contains      (const BounceLine *l,
                                       const char       *needle);
gboolean    bounce_mem_has_prefix     (const char       *s,
                                       gsize             len,
                                       const char       *prefix);
const char *bounce_mem_find           (const char       *s,
                                       gsize             len,
                                       const char       *needle);
/* Index of the first line at or after from whose trimmed text starts with
 * prefix (or that contains needle), or -1. */
int         bounce_doc_find_start     (BounceLayoutDoc  *d,
                                       guint             from,
                                       const char       *prefix);
int         bounce_doc_find           (BounceLayoutDoc  *d,
                                       guint             from,
                                       const char       *needle);
/* The first e-mail address in s[0..len), lower case, or NULL. */
char       *bounce_address_in         (const char       *s,
                                       gsize             len);
/* Whether address's domain is more than a bare host name ("bob@server",
 * a server's internal name): dotted, or an address literal ("[192.0.2.1]"). */
gboolean    bounce_address_is_qualified (const char     *address);
/* Whether one of bytes occurs in s[0..len) outside a quoted string: an
 * address's quoted local part may hold spaces, '<', ',' ... ("john
 * smith"@example.org, RFC 5321 4.1.2 Quoted-string; RFC 5322 3.2.4), so a
 * layout that takes "no space" for "one address" asks this instead. */
gboolean    bounce_mem_has_unquoted   (const char       *s,
                                       gsize             len,
                                       const char       *bytes);
/* "<addr>:" or "addr:" alone on a line (qmail and its kin). */
char       *bounce_address_colon_line (const BounceLine *l);
/* Appends a line's text to a diagnostic, one space between lines, up to
 * BOUNCE_LAYOUT_TEXT_LIMIT. */
void        bounce_diag_append        (GString          *diag,
                                       const char       *s,
                                       gsize             n);
void        bounce_diag_append_line   (GString          *diag,
                                       const BounceLine *l);
/* A status code written as "#5.1.1" (qmail) or "[#4.1.9]"; NULL if none. */
char       *bounce_hash_status_in     (const char       *text);

/* A layout's fixed sentence and the reason it names. */
typedef struct {
  const char *phrase;
  const char *reason;
} BouncePhrase;

/* The reason of the first phrase of table found in text (any case), or NULL. */
const char *bounce_phrase_reason      (const BouncePhrase *table,
                                       gsize               n,
                                       const char         *text);

/* A new fact of the running layout for address (taken), spanning lines
 * first to last; appended to d->out. */
BounceFact *bounce_doc_add_fact       (BounceLayoutDoc  *d,
                                       char             *address,
                                       guint             first,
                                       guint             last);
BounceFact *bounce_doc_find_fact      (BounceLayoutDoc  *d,
                                       const char       *address);
/* Sets the fact's text from diag. */
void        bounce_fact_set_diag      (BounceFact       *fact,
                                       GString          *diag);
const char *bounce_doc_header         (BounceLayoutDoc  *d,
                                       const char       *name);
/* A header field of the returned original message (its headers as the
 * report carries them), or NULL. */
const char *bounce_doc_original_header (BounceLayoutDoc *d,
                                        const char      *name);
/* The message carries machine-readable delivery-status fields. */
gboolean    bounce_doc_has_dsn        (BounceLayoutDoc  *d);
/* An address that is no recipient: the bounce's own addressee (the original
 * sender) or a mailer daemon. */
gboolean    bounce_doc_is_ignored_address (BounceLayoutDoc *d,
                                           const char      *address);

/* Delivery-report helpers (rfc3464.c), for layouts whose fields map onto a
 * DSN's: facts from recipient groups, and a value without its "smtp;" type. */
void        bounce_dsn_facts          (BounceLayoutDoc  *d,
                                       GPtrArray        *groups);
const char *bounce_dsn_skip_type      (const char       *value);

G_END_DECLS
