/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What every match of a regular expression must hold, read from its
 * pattern (PCRE syntax, as GRegex compiles it): the one reader of pattern
 * syntax in the core, for the two uses that skip a regex on a text where it
 * cannot match.
 *
 * The pattern is read once into its parts (alternatives, groups,
 * characters, classes, escapes, assertions, each with its quantifier);
 * then what a match holds is worked out from them, in one of two ways:
 *
 * - case-sensitive (the providers' token shapes, bounce-alternation.h):
 *   strings of two bytes or more, one of which every match holds in the
 *   bytes it matches ("IB[0-9]{3}": IB0 ... IB9), through classes of a few
 *   characters and short alternatives;
 *
 * - BOUNCE_PATTERN_CASELESS (the rules, bounce-prefilter.h): words of three
 *   bytes or more that every match holds in text folded by
 *   bounce_literal_fold(), as sets, one set for each way through the
 *   pattern's alternatives ("mailbox (is )?full|quota exceeded":
 *   {mailbox, full} or {quota, exceeded}); a word is made of characters
 *   that folding keeps as the pattern writes them.
 *
 * Nothing is ever taken from a look-around, an optional part or a
 * construct not read; a construct that could change what the rest means
 * (\Q...\E, verbs, conditions, recursion, extended syntax) gives nothing. */

typedef enum {
  BOUNCE_PATTERN_DEFAULT  = 0,
  /* the words of a caseless pattern, in folded text (else: strings of a
   * case-sensitive one, in the text as it is) */
  BOUNCE_PATTERN_CASELESS = 1 << 0,
  /* the pattern is matched byte by byte (G_REGEX_RAW): a quantifier
   * repeats one byte, not one UTF-8 character */
  BOUNCE_PATTERN_RAW      = 1 << 1,
} BouncePatternFlags;

/* The ways through pattern: an array of sets (each a GPtrArray of
 * strings), such that every match holds all the strings of one set at
 * least.  Case-sensitive, each set has one string (every match holds one
 * of them); caseless, the sets hold words.  NULL when nothing is known:
 * some way through holds none, or the pattern has a construct not read. */
GPtrArray *bounce_pattern_required (const char         *pattern,
                                    BouncePatternFlags  flags);

/* sets as text: their strings joined by '+', the sets by '|'
 * ("mailbox+full|quota+exceeded"); NULL for NULL. */
char      *bounce_pattern_describe  (GPtrArray          *sets);

G_END_DECLS
