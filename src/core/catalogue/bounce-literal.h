/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Literal phrases that servers write ("mailbox is full"), or ordered parts
 * of one ("mailbox", "does not exist"), as the catalogue's "phrases"
 * entries hold them (docs/catalogue-format.md).  They are compared with
 * text folded by bounce_literal_fold(): lower case, one space for any run
 * of white space, typographic apostrophes as ASCII ones, and a UTF-8 text
 * in its canonical decomposition (Unicode NFD) with the accents of Latin
 * letters left out ("Empfänger", or "Empfa" U+0308 "nger", as
 * "empfanger"; "ł" as "l", "ß" as "ss"), so that a phrase is found however
 * its accents are written, or when they are not. */

/* How far apart, in bytes of folded text, two ordered parts may be. */
#define BOUNCE_LITERAL_GAP 120

typedef struct _BounceLiteral BounceLiteral;

/* A phrase of one or more parts (folded here); NULL when a part is empty. */
BounceLiteral *bounce_literal_new          (const char * const  *parts);
/* One part found wherever it stands, inside a word or a name too (the
 * words a rule's pattern needs, bounce-prefilter.h); NULL when empty. */
BounceLiteral *bounce_literal_new_anywhere (const char          *text);
void           bounce_literal_free         (BounceLiteral       *literal);
guint          bounce_literal_get_n_parts  (const BounceLiteral *literal);
/* A part, folded. */
const char    *bounce_literal_get_part     (const BounceLiteral *literal,
                                            guint                i);

/* text folded for comparison; never NULL. */
char          *bounce_literal_fold         (const char          *text,
                                            gssize               len);
/* The same, with the folded text's length in *folded_len, and in *normal
 * whether text (up to len or its first NUL byte) holds no character that
 * NFC may change or compose with another (TRUE for all ASCII, and for
 * text that is not UTF-8): such a text is its own NFC, and needs no
 * Unicode work to be read composed.  Either may be NULL. */
char          *bounce_literal_fold_full    (const char          *text,
                                            gssize               len,
                                            gsize               *folded_len,
                                            gboolean            *normal);

/* Whether literal is in folded (as bounce_literal_fold() made it): its
 * parts in order, each starting at a word boundary and at most
 * BOUNCE_LITERAL_GAP bytes after the previous one, and not merely a word
 * inside an address or a host name (unless the phrase itself holds '.',
 * '/' or '@').  One made by bounce_literal_new_anywhere() is found
 * wherever it stands.  Returns the summed length of the parts, or 0. */
gsize          bounce_literal_find         (const BounceLiteral *literal,
                                            const char          *folded,
                                            gsize                len);

/* What the bytes [start, end) of text lie inside: free text, or one
 * address ("dmarc" in "dmarc@reports.example.com"), host name ("spamcop"
 * in "spamcop-relay.example.net"), the site of a URL ("spamhaus" in
 * "http://www.spamhaus.org/query/bl?ip=192.0.2.1") or the rest of a URL
 * ("virus" in "https://example.com/virus-policy"). */
typedef enum {
  BOUNCE_SPAN_TEXT,
  BOUNCE_SPAN_ADDRESS,
  BOUNCE_SPAN_HOST,
  BOUNCE_SPAN_URL_SITE,
  BOUNCE_SPAN_URL,
} BounceSpanKind;

BounceSpanKind bounce_text_span_kind       (const char          *text,
                                            gsize                len,
                                            gsize                start,
                                            gsize                end);

/* Whether a match at [start, end) is the server's word rather than part
 * of a name it quotes: never inside an address (the recipient's address
 * says nothing about why its mail failed); inside a host name or a URL's
 * path only when the match itself names the site (names: it holds a '.'
 * or a '/', as "bl.spamcop.net" or "spamcop.net/bl.shtml" do).  The site
 * a URL points to is the server's word: it sends the reader there. */
gboolean       bounce_text_span_is_words   (const char          *text,
                                            gsize                len,
                                            gsize                start,
                                            gsize                end,
                                            gboolean             names);

/* Many literals, found in one pass over a text: each is filed under the
 * first two bytes of its first part (a one-byte part under each pair it may
 * begin).  Add them all, build once, then scan
 * from any thread. */
typedef struct _BounceLiteralIndex BounceLiteralIndex;

typedef void (*BounceLiteralFoundFunc) (guint32              owner,
                                        const BounceLiteral *literal,
                                        gsize                length,
                                        gpointer             data);

BounceLiteralIndex *bounce_literal_index_new   (void);
void           bounce_literal_index_free   (BounceLiteralIndex  *index);
/* owner: a number the caller gives the literal (which entry it is of);
 * the literal must outlive the index. */
void           bounce_literal_index_add    (BounceLiteralIndex  *index,
                                            const BounceLiteral *literal,
                                            guint32              owner);
void           bounce_literal_index_build  (BounceLiteralIndex  *index);
/* The built index as a GVariant (its literals' folded parts, owners and
 * key table as they are), for a compiled catalogue; and an index that reads
 * one in place, its literals included (NULL when it is not one).  The
 * variant is kept. */
GVariant      *bounce_literal_index_to_variant       (BounceLiteralIndex *index);
/* (trusted: one checked whole when it was built, such as the built-in
 * catalogue's, whose every number is not checked again, and whose literals
 * are scanned as stored, made only when bounce_literal_index_get_literal()
 * asks for one) */
BounceLiteralIndex *bounce_literal_index_new_from_variant (GVariant     *variant,
                                                           gboolean      trusted);
/* Its literals in the order added, and their owners. */
guint          bounce_literal_index_get_n_literals (BounceLiteralIndex *index);
const BounceLiteral *bounce_literal_index_get_literal (BounceLiteralIndex *index,
                                            guint                i,
                                            guint32             *owner);
/* Calls found for every place in folded where a literal is found (as
 * bounce_literal_find() would find it), with the owner it was added with.
 * The literal found gets is valid during the call only (a trusted compiled
 * index puts it together for the call). */
void           bounce_literal_index_scan   (BounceLiteralIndex  *index,
                                            const char          *folded,
                                            gsize                len,
                                            BounceLiteralFoundFunc found,
                                            gpointer             data);

G_END_DECLS
