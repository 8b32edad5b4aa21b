/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "bounce-catalogue.h"

G_BEGIN_DECLS

typedef struct {
  char *title;        /* translated, e.g. "Spamhaus: look up 192.0.2.1" */
  char *url;          /* validated https URL */
  char *service_id;   /* catalogue entry id of the service */
  char *target;       /* the IP or domain looked up */
  gboolean named;     /* the bounce names this list */
  gboolean closed;    /* the list has shut down: shown as such, not as a live check */
} BounceLink;

void       bounce_link_free             (BounceLink *link);

/* Expands "{ip}" / "{domain}" in an https template with a validated,
 * escaped value.  Returns NULL when the template is not https, the value is
 * not a valid public IP / domain name, or the result is not a valid URI. */
char      *bounce_link_expand           (const char *template_url,
                                         const char *ip,
                                         const char *domain);

/* A syntactically valid DNS domain name (LDH labels, at least one dot, a
 * non-numeric TLD, at most 253 characters). */
gboolean   bounce_domain_is_valid       (const char *domain);

/* A valid domain name that can exist in the public DNS: not a special-use
 * name (.local, .localhost, .internal, .onion, .test, .example, .invalid,
 * .alt, .arpa), which no public blocklist can know. */
gboolean   bounce_domain_is_public      (const char *domain);

/* Builds the blocklist links (BounceLink) for the given public IPs and
 * domains: first the services in named (lists the bounce names), then
 * the multi-list checkers.  Closed services are returned with closed=TRUE
 * and their URL pointing to an information page, never as a live check. */
GPtrArray *bounce_links_build           (BounceCatalogue *catalogue,
                                         GPtrArray       *ips,
                                         GPtrArray       *domains,
                                         GPtrArray       *named);

/* The lists among named (BounceEntry) that deserve a link; a new array that
 * does not own them.  A list that has shut down keeps its notice; a live
 * list only when the bounce blames the sending side (sender_at_fault).
 * When the receiving side is at fault (it still queries a closed list, or
 * took a list's error answer for a listing), a lookup of the sender would
 * only suggest that the sender is listed. */
GPtrArray *bounce_links_select_named    (GPtrArray       *named,
                                         gboolean         sender_at_fault);

G_END_DECLS
