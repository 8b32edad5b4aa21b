/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-layout.h"

G_BEGIN_DECLS

/* Helpers shared by the layouts of mail providers and services
 * (provider-layouts.c).  Many providers send a delivery report whose
 * human-readable part says little per recipient; their layouts add what
 * their own words or codes say to the recipients the report lists. */

/* The first line at or after from whose trimmed text starts with one of
 * prefixes (NULL-terminated), or -1. */
int         bounce_doc_find_any_start (BounceLayoutDoc    *d,
                                       guint               from,
                                       const char * const *prefixes);
/* Whether the message's header name contains needle (any case). */
gboolean    bounce_doc_header_has     (BounceLayoutDoc    *d,
                                       const char         *name,
                                       const char         *needle);
/* Whether some Received header contains needle (any case). */
gboolean    bounce_doc_received_has   (BounceLayoutDoc    *d,
                                       const char         *needle);
/* The Diagnostic-Code of a report group without its "smtp;" type, or
 * NULL. */
const char *bounce_group_diagnostic   (BounceFieldGroup   *group);
/* One fact of the running layout per recipient of the message's delivery
 * report (its fields give the list; these facts add the layout's reason
 * and command to them); each fact's text is empty, its command the one
 * its Diagnostic-Code names (else command_unknown), and the group is
 * passed to func, which may fill in the fact.  Returns how many. */
typedef void (*BounceGroupFactFunc) (BounceFact       *fact,
                                     BounceFieldGroup *group,
                                     gpointer          data);
guint       bounce_doc_group_facts    (BounceLayoutDoc    *d,
                                       BounceGroupFactFunc func,
                                       gpointer            data);
/* Sets the fact's reason from table when text holds one of its phrases;
 * returns whether it did. */
gboolean    bounce_fact_phrase_reason (BounceFact         *fact,
                                       const BouncePhrase *table,
                                       gsize               n,
                                       const char         *text);
/* "<addr>" or "addr" alone on a line, optionally followed by ":" (the
 * recipient lines of several layouts), or NULL. */
char       *bounce_address_alone      (const BounceLine   *l);

/* Recipients listed one a line from line first on (an address alone, as
 * bounce_address_alone() reads it, not indented unless indented is TRUE),
 * each followed by the lines that explain it, up to a line is_end accepts
 * or the end; blank lines and lines skip accepts are left out of the
 * texts.  Returns the index of the line it stopped at. */
typedef gboolean (*BounceLineTest) (const BounceLine *l);
guint       bounce_doc_address_blocks (BounceLayoutDoc    *d,
                                       guint               first,
                                       gboolean            indented,
                                       BounceLineTest      is_end,
                                       BounceLineTest      skip);

G_END_DECLS
