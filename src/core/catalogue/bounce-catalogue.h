/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "bounce-alternation.h"
#include "bounce-entry.h"

G_BEGIN_DECLS

#define BOUNCE_CATALOGUE_RESOURCE_DIR RESOURCE_BASE "/core/catalogue"
/* The same catalogue compiled at build time (bounce-catalogue-compile). */
#define BOUNCE_CATALOGUE_COMPILED_RESOURCE RESOURCE_BASE "/core/catalogue/compiled.gvariant"

#define BOUNCE_TYPE_CATALOGUE (bounce_catalogue_get_type ())
G_DECLARE_FINAL_TYPE (BounceCatalogue, bounce_catalogue, BOUNCE, CATALOGUE, GObject)

/* The built-in catalogue, loaded once from the GResource (thread-safe). */
BounceCatalogue *bounce_catalogue_get_default   (void);
/* Loads index.json and the files it names from a resource directory. */
BounceCatalogue *bounce_catalogue_new_from_resource (const char *resource_dir,
                                                     GError    **error);
/* The same from a directory of JSON files (BOUNCE_CATALOGUE_DIR, for trying
 * out or benchmarking a catalogue). */
BounceCatalogue *bounce_catalogue_new_from_directory (const char *dir,
                                                      GError    **error);

/* The catalogue in its compiled form (a serialised GVariant), which
 * bounce_catalogue_new_from_compiled() reads in place: its entries are made
 * when first used, and what loading JSON computes (tables, the prefilters
 * of the rules', providers' and blocklists' patterns, the phrase index) is
 * read as it is. */
GBytes          *bounce_catalogue_compile (BounceCatalogue *self);
BounceCatalogue *bounce_catalogue_new_from_compiled (GBytes  *bytes,
                                                     GError **error);
/* Reads every entry of a compiled catalogue now: FALSE, with an error, when
 * one is damaged (a catalogue not made by this build's compiler). */
gboolean         bounce_catalogue_check_compiled (BounceCatalogue  *self,
                                                  GError          **error);

const char      *bounce_catalogue_get_version   (BounceCatalogue *self);
guint            bounce_catalogue_get_n_entries (BounceCatalogue *self);
GPtrArray       *bounce_catalogue_get_entries   (BounceCatalogue *self);  /* BounceEntry, file order */
BounceEntry     *bounce_catalogue_lookup        (BounceCatalogue *self,
                                                 const char      *id);

/* Code lookups.  provider may be NULL; a provider-scoped entry wins when it
 * matches.  "5.1.1" falls back to "X.1.1".  Return NULL when unknown. */
BounceEntry     *bounce_catalogue_find_enhanced (BounceCatalogue *self,
                                                 const char      *code,
                                                 const char      *provider);
BounceEntry     *bounce_catalogue_find_subject  (BounceCatalogue *self,
                                                 const char      *code);   /* "5.1.1" -> X.1.X */
BounceEntry     *bounce_catalogue_find_class    (BounceCatalogue *self,
                                                 const char      *code);   /* "5.1.1" -> 5.X.X */
BounceEntry     *bounce_catalogue_find_reply    (BounceCatalogue *self,
                                                 const char      *code);
BounceEntry     *bounce_catalogue_find_reason   (BounceCatalogue *self,
                                                 const char      *reason);
BounceEntry     *bounce_catalogue_find_provider_token (BounceCatalogue *self,
                                                 const char      *token);

/* Every rule whose pattern matches text, best first (provider-scoped for
 * this provider, then higher priority, then longer match).  Rules scoped to
 * another provider are skipped.  Returns BounceEntry (owned by the catalogue). */
GPtrArray       *bounce_catalogue_match_rules   (BounceCatalogue *self,
                                                 const char      *text,
                                                 const char      *provider);

/* Whether entry's pattern matches text as the server's words: not inside an
 * address, and inside a host name or a URL's path only where the match
 * names the site itself (see bounce_text_span_is_words()). */
gboolean         bounce_catalogue_entry_matches (BounceEntry     *entry,
                                                 const char      *text);

/* Which provider or server (provider entry id, e.g. "google") text points to
 * (host names, From, Reporting-MTA...), or NULL. */
const char      *bounce_catalogue_detect_provider (BounceCatalogue *self,
                                                   const char      *text);

/* The provider entry for a provider code ("google"), whose title is its
 * display name; NULL when unknown. */
BounceEntry     *bounce_catalogue_find_provider (BounceCatalogue *self,
                                                 const char      *code);
/* Whether the catalogue's rules for a provider (its code) come from one of
 * Sisimai's per-provider tables (their source names
 * lib/Sisimai/Rhost/NAME.pm): read from the tables, no entry made. */
gboolean         bounce_catalogue_provider_has_sisimai_table (BounceCatalogue *self,
                                                              const char      *code);

GPtrArray       *bounce_catalogue_get_blocklists (BounceCatalogue *self);  /* BounceEntry */
/* The same one at a time, by number in that array, and what a run needs
 * of each without making its entry (read from the catalogue's tables):
 * its zones (as bounce_entry_get_zones(); owned by the catalogue),
 * and whether it is a multi-list checker (bounce_entry_get_multi()). */
guint            bounce_catalogue_get_n_blocklists   (BounceCatalogue *self);
BounceEntry     *bounce_catalogue_get_blocklist      (BounceCatalogue *self,
                                                      guint            i);
const char * const *bounce_catalogue_get_blocklist_zones (BounceCatalogue *self,
                                                          guint            i);
/* The numbers of the multi-list checkers, in order (n of them). */
const guint32   *bounce_catalogue_get_multi_blocklists (BounceCatalogue *self,
                                                        guint           *n);
/* Which blocklists' patterns can match a text (folded by
 * bounce_literal_fold()), found in one pass over it: one byte per entry of
 * bounce_catalogue_get_blocklists(), 1 for each whose pattern may match
 * (as bounce_entry_may_match() would say, or more narrowly); free with
 * g_free(). */
guint8          *bounce_catalogue_blocklists_may_match (BounceCatalogue *self,
                                                        const char      *folded);

/* The providers' own codes ("TSS04", "AUP#I-1000"): their "tokens" patterns
 * as one, for bounce_extract().  Never NULL. */
GRegex          *bounce_catalogue_get_token_regex (BounceCatalogue *self);
/* The same pattern split into its alternatives, for bounce_extract(): the
 * regex as a whole is compiled only if it is matched whole.  Never NULL;
 * owned by the catalogue. */
BounceAlternation *bounce_catalogue_get_tokens  (BounceCatalogue *self);

/* Catalogue search for the browser: code, token or words; best first. */
GPtrArray       *bounce_catalogue_search        (BounceCatalogue *self,
                                                 const char      *query);
/* Builds what the search looks in (case-folded texts, compiled rules), which
 * the first search does otherwise; thread-safe, e.g. for a worker thread. */
void             bounce_catalogue_prepare_search (BounceCatalogue *self);

G_END_DECLS
