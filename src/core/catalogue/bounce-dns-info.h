/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bounce-compiled.h"

G_BEGIN_DECLS

/* How a DNS blocklist answers (a blocklist entry's "dns" object, see
 * docs/catalogue-format.md): which names it can be asked about, and what
 * its answers mean. */

typedef enum {
  BOUNCE_DNS_QUERY_IPV4   = 1 << 0,  /* reversed octets under the zone */
  BOUNCE_DNS_QUERY_IPV6   = 1 << 1,  /* reversed nibbles under the zone */
  BOUNCE_DNS_QUERY_DOMAIN = 1 << 2,  /* the domain under the zone */
} BounceDnsQuery;

typedef struct {
  guint32 first;     /* an IPv4 answer in [first, last], host byte order; */
  guint32 last;
  guint8 bit;        /* or, when not 0: a 127.0.0.x answer with this bit set in x */
  char *list_id;     /* the catalogue list the answer means, or NULL for the list asked */
  char *meaning;     /* untranslated; translate with g_dgettext (GETTEXT_PACKAGE, ...) */
  char *source;      /* https URL, or NULL (the dns object's source applies) */
} BounceDnsAnswer;

typedef struct {
  char *zone;              /* lower case, without a final dot */
  BounceDnsQuery query;
  gboolean txt;            /* the list explains a listing in a TXT record */
  GPtrArray *answers;      /* BounceDnsAnswer: listings; empty means any 127.0.0.0/8 answer */
  GPtrArray *refused;      /* BounceDnsAnswer: the list refused to answer the query */
  char *source;            /* https URL of the list's documentation */
} BounceDnsInfo;

/* Parses and validates a "dns" object; errors are BOUNCE_ERROR_CATALOGUE
 * and name the entry id. */
BounceDnsInfo *bounce_dns_info_new_from_json  (JsonObject            *object,
                                               const char            *id,
                                               GError               **error);
/* The same in a compiled catalogue's record, and back. */
void           bounce_dns_info_write          (const BounceDnsInfo   *info,
                                               GArray                *record,
                                               BounceStringPool      *pool);
BounceDnsInfo *bounce_dns_info_read           (BounceRecordReader    *reader);
void           bounce_dns_info_free           (BounceDnsInfo         *info);

/* Does an IPv4 answer (host byte order) match? */
gboolean       bounce_dns_answer_matches      (const BounceDnsAnswer *answer,
                                               guint32                address);

/* The name to ask a list about target (an IPv4 or IPv6 address, or a
 * domain) under zone, without a final dot: "2.0.0.127.zen.spamhaus.org",
 * nibbles for IPv6.  NULL when target is not a public address or domain,
 * when the list is not asked about that kind of target (query), or when
 * the name would be too long for the DNS. */
char          *bounce_dns_query_name          (const char            *target,
                                               const char            *zone,
                                               BounceDnsQuery         query);

G_END_DECLS
