/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Which rules can match a text at all, found in one pass over it (by a
 * BounceLiteralIndex of their words, see bounce-literal.h).
 *
 * Each rule's pattern is read once for the words (runs of ASCII letters
 * and digits) that every match must contain, as sets: one set for each way
 * through the pattern's alternatives, holding every word that way certainly
 * needs ("mailbox (is )?full|quota exceeded": {mailbox, full} or {quota,
 * exceeded}), filed by the top-level alternative they belong to.  A rule is a candidate for a text when all the words of one
 * of its sets are in the text folded by bounce_literal_fold(); a rule whose
 * pattern has a way through without such a word (only classes, escapes or
 * optional parts) is always a candidate.  Only candidates need their regex
 * run: the others cannot match, so the result is the same as trying every
 * rule. */
typedef struct _BouncePrefilter BouncePrefilter;

BouncePrefilter *bounce_prefilter_new   (void);
void             bounce_prefilter_free  (BouncePrefilter *self);
/* Adds rule number rule (0, 1, 2 ... in order); returns whether the pattern
 * gave words (FALSE: the rule is always a candidate). */
gboolean         bounce_prefilter_add   (BouncePrefilter *self,
                                         guint            rule,
                                         const char      *pattern);
guint            bounce_prefilter_get_n_rules (BouncePrefilter *self);
/* Once all rules are added; then scan from any thread. */
void             bounce_prefilter_build (BouncePrefilter *self);
/* The built filter as a GVariant (its arrays as they are, and its literal
 * index), for a compiled catalogue; and a filter that reads one in place
 * (NULL when it is not one).  The variant is kept. */
GVariant        *bounce_prefilter_to_variant       (BouncePrefilter *self);
/* (trusted: one checked whole when it was built, such as the built-in
 * catalogue's, whose every number is not checked again) */
BouncePrefilter *bounce_prefilter_new_from_variant (GVariant        *variant,
                                                    gboolean         trusted);
/* A rule's alternatives, as bounce_alternation_split() gives them (one
 * when it does not split the pattern; none without a pattern): their
 * number, and the first one's among all rules' in *first. */
guint            bounce_prefilter_get_alternatives   (BouncePrefilter *self,
                                                      guint            rule,
                                                      guint           *first);
guint            bounce_prefilter_get_n_alternatives (BouncePrefilter *self);
/* candidates: one byte per rule, set to 1 for each candidate.  alive (or
 * NULL): one byte per alternative of every rule, set to 1 for one that may
 * match and to 0 for one that cannot (its words are not all there). */
void             bounce_prefilter_scan  (BouncePrefilter *self,
                                         const char      *folded,
                                         gsize            len,
                                         guint8          *candidates,
                                         guint8          *alive);

/* The words a pattern requires, the longest of each set (a text without
 * any of them cannot match); NULL when some way through has none. */
GStrv            bounce_prefilter_words (const char      *pattern);
/* The same words folded (bounce_literal_fold()), to rule a text out before
 * a single pattern runs: an empty array when some way through has none. */
GPtrArray       *bounce_prefilter_needs     (const char      *pattern);
/* Whether folded (bounce_literal_fold()) may hold a match of the pattern
 * whose needs these are: one of them is in it, wherever it stands, or the
 * array is empty, or the text has a long s (see bounce_prefilter_scan()). */
gboolean         bounce_prefilter_needs_met (GPtrArray       *needs,
                                             const char      *folded);
/* A pattern's sets as text, for the tests: "mailbox+full|quota+exceeded";
 * NULL when some way through has no word. */
char            *bounce_prefilter_describe (const char   *pattern);

G_END_DECLS
