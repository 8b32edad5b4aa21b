/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The matches of a regex made of alternatives ("(?:A)|(?:B)|..."), such as
 * the providers' token shapes, found one alternative at a time.
 *
 * PCRE tries each alternative at a position before the next position, so
 * a regex whose alternatives start on different bytes ("S3..." and
 * "[a-z][0-9]{4}") is tried at every position any of them can start at,
 * each alternative there.  Each alternative alone skips to the positions
 * it can start at.  The matches are the same: the regex's next match is
 * the leftmost of its alternatives' next matches, the first alternative's
 * on a tie, and the search for the next one goes on from its end.
 *
 * A regex with a construct that could tie its alternatives together
 * (back-references, options that go on past their group, verbs,
 * conditions, recursion, \Q...\E) is not split: it is matched as it is.
 * So is a text where an alternative matches the empty string. */

typedef struct
{
  gsize start;
  gsize end;
} BounceSpan;

/* Appends the matches of regex in text[0, end), searched for from start
 * (as g_regex_match_full() and g_match_info_next() find them), to spans
 * (of BounceSpan) in order.  The split regex is kept for the next call
 * with the same regex. */
void bounce_alternation_match_all (GRegex     *regex,
                                   const char *text,
                                   gsize       start,
                                   gsize       end,
                                   GArray     *spans);

/* A regex with its alternatives, each compiled alone (none when it is
 * matched whole), for a search that leaves out the alternatives known not
 * to match (a rule's whose words are not in the text: bounce-prefilter.h).
 * bounce_alternation_new() takes a reference to regex. */
typedef struct _BounceAlternation BounceAlternation;

BounceAlternation *bounce_alternation_new   (GRegex            *regex);
/* The same for a pattern compiled with flags and match_flags, which it
 * must compile; the regex and its alternatives are compiled when first
 * needed (an alternative that does not compile alone: the regex is
 * matched whole). */
BounceAlternation *bounce_alternation_new_from_pattern (const char         *pattern,
                                                        GRegexCompileFlags  flags,
                                                        GRegexMatchFlags    match_flags);
void               bounce_alternation_free  (BounceAlternation *self);
/* The number of alternatives, as bounce_alternation_split() gives them;
 * 0 when the regex is matched whole. */
guint              bounce_alternation_get_n (BounceAlternation *self);

/* The matches of the regex in text[0, end) from start, one at a time, as
 * g_regex_match_full() and g_match_info_next() give them.  alive (NULL:
 * all) has one byte per alternative: an alternative whose byte is 0 must
 * have no match in the text, and is never searched. */
typedef struct _BounceAlternationIter BounceAlternationIter;

BounceAlternationIter *bounce_alternation_iter_new  (BounceAlternation     *split,
                                                     const char            *text,
                                                     gsize                  start,
                                                     gsize                  end,
                                                     const guint8          *alive);
gboolean               bounce_alternation_iter_next (BounceAlternationIter *iter,
                                                     BounceSpan            *span);
/* As bounce_alternation_iter_next(), giving too in group (NULL: not
 * wanted) the span of the match's first capturing group that took part in
 * it ([0, 0) when none did): the same whether the regex is split or not,
 * since the groups of the alternatives that did not match are unset. */
gboolean               bounce_alternation_iter_next_group (BounceAlternationIter *iter,
                                                           BounceSpan            *span,
                                                           BounceSpan            *group);
void                   bounce_alternation_iter_free (BounceAlternationIter *iter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceAlternationIter, bounce_alternation_iter_free)

/* The alternatives regex is split into (for the tests); NULL when it is
 * matched whole. */
GStrv bounce_alternation_split (const char *pattern);

/* Strings of two bytes or more one of which every match of an alternative
 * (one of bounce_alternation_split()'s) compiled with flags holds, in the
 * bytes it matches; NULL when none are known (caseless or extended
 * patterns, constructs not read).  An alternative whose strings are not in
 * a text is neither compiled nor searched there. */
GStrv bounce_alternation_needles (const char         *piece,
                                  GRegexCompileFlags  flags);
/* Gives split its alternatives' needles as bounce_alternation_needles()
 * reads them (one GStrv or NULL per alternative, taken with the array),
 * read at build time, so that a run does not read them again; before split
 * is first searched. */
void  bounce_alternation_set_needles (BounceAlternation *split,
                                      GStrv             *needles);
/* How many alternatives of split were compiled so far (for the tests). */
guint bounce_alternation_get_n_compiled (BounceAlternation *split);

G_END_DECLS
