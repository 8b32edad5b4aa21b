/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Which rules can match a text at all, found in one pass over it (by a
 * BounceLiteralIndex of their words, see bounce-literal.h).
 *
 * Each rule's pattern is read once for words (runs of ASCII letters and
 * digits) that every match must contain: one word per alternative of the
 * pattern (the longest of those it certainly needs).  A rule is a
 * candidate for a text when one of its words is in the text folded by
 * bounce_literal_fold(); a rule whose pattern has an alternative without
 * such a word (only classes, escapes or optional parts) is always a
 * candidate.  Only candidates need their regex run: the others cannot
 * match, so the result is the same as trying every rule. */
typedef struct _BouncePrefilter BouncePrefilter;

BouncePrefilter *bounce_prefilter_new   (void);
void             bounce_prefilter_free  (BouncePrefilter *self);
/* Adds rule number rule (0, 1, 2 ... in order); returns whether the pattern
 * gave words (FALSE: the rule is always a candidate). */
gboolean         bounce_prefilter_add   (BouncePrefilter *self,
                                         guint            rule,
                                         const char      *pattern);
/* Once all rules are added; then scan from any thread. */
void             bounce_prefilter_build (BouncePrefilter *self);
/* candidates: one byte per rule, set to 1 for each candidate. */
void             bounce_prefilter_scan  (BouncePrefilter *self,
                                         const char      *folded,
                                         gsize            len,
                                         guint8          *candidates);

/* The words a pattern requires, one per alternative (for the tests);
 * NULL when some alternative has none. */
GStrv            bounce_prefilter_words (const char      *pattern);

G_END_DECLS
