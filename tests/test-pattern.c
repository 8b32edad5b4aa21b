/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reader of pattern syntax (bounce-pattern.h), in both its ways: the
 * strings one of which every match of a case-sensitive pattern holds, and
 * the sets of words every match of a caseless one holds in folded text. */
#include "config.h"

#include <string.h>

#include "bounce-core.h"
#include "bounce-literal.h"
#include "bounce-pattern.h"

#define CS  BOUNCE_PATTERN_DEFAULT
#define RAW BOUNCE_PATTERN_RAW
#define CI  BOUNCE_PATTERN_CASELESS

typedef struct {
  const char *pattern;
  BouncePatternFlags flags;
  const char *expected;          /* sets joined by '|', their strings by '+'; NULL: none */
  const char *matches[3];        /* texts the pattern matches (checked), each holding a set */
} Case;

/* Whether text holds all the strings of one of the sets. */
static gboolean
holds_a_set (GPtrArray  *sets,
             const char *text)
{
  for (guint i = 0; i < sets->len; i++)
    {
      GPtrArray *set = sets->pdata[i];
      guint k = 0;

      while (k < set->len && strstr (text, set->pdata[k]) != NULL)
        k++;
      if (k == set->len)
        return TRUE;
    }
  return FALSE;
}

static void
check_cases (const Case *cases,
             gsize       n)
{
  for (gsize i = 0; i < n; i++)
    {
      const Case *c = &cases[i];
      g_autoptr(GPtrArray) sets = bounce_pattern_required (c->pattern, c->flags);
      g_autofree char *got = bounce_pattern_describe (sets);
      GRegexCompileFlags compile = (c->flags & CI ? G_REGEX_CASELESS : 0) | (c->flags & RAW ? G_REGEX_RAW : 0);
      g_autoptr(GRegex) regex = g_regex_new (c->pattern, compile, 0, NULL);

      g_test_message ("/%s/ (%s)", c->pattern, c->flags & CI ? "caseless" : "case-sensitive");
      g_assert_nonnull (regex);
      g_assert_cmpstr (got, ==, c->expected);
      /* every sample the regex matches holds a set: the strings are
       * really needed */
      for (guint k = 0; k < G_N_ELEMENTS (c->matches) && c->matches[k] != NULL; k++)
        {
          g_autofree char *folded = c->flags & CI ? bounce_literal_fold (c->matches[k], -1) : NULL;
          /* (escaped: a sample of raw bytes is no valid UTF-8, which the
           * TAP reader refuses in a message) */
          g_autofree char *shown = g_strescape (c->matches[k], NULL);

          g_test_message ("  on \"%s\"", shown);
          g_assert_true (g_regex_match (regex, c->matches[k], 0, NULL));
          if (sets != NULL)
            g_assert_true (holds_a_set (sets, c->flags & CI ? folded : c->matches[k]));
        }
    }
}

/* Case-sensitive: the strings one of which every match holds, in the bytes
 * it matches. */
static void
test_pattern_case_sensitive (void)
{
  static const Case cases[] = {
    /* escaped metacharacters are themselves */
    { "a\\.b\\*c\\?", CS, "a.b*c?", { "a.b*c?" } },
    { "\\(IB\\)\\[x\\]", CS, "(IB)[x]", { "(IB)[x]" } },
    /* a class of a few characters: one string each; of many, none */
    { "[a-c]xy", CS, "axy|bxy|cxy", { "bxy", "cxy" } },
    { "[a-z]xyz", CS, "xyz", { "qxyz" } },
    { "[^a]xy", CS, "xy", { "bxy" } },
    { "IB[0-9]{3}", RAW, "IB0|IB1|IB2|IB3|IB4|IB5|IB6|IB7|IB8|IB9", { "IB506" } },
    /* an optional group, and quantifiers that may leave out: the run stops
     * there, and goes on after */
    { "ab(?:cd)?ef", CS, "ab", { "abef", "abcdef" } },
    { "ab{0,3}cd", CS, "cd", { "acd", "abbbcd" } },
    { "ab?cde", CS, "cde", { "acde", "abcde" } },
    { "ab*cde", CS, "cde", { "acde", "abbbcde" } },
    /* a repeat: once at least, then a stop */
    { "abc{2}de", CS, "abc", { "abccde" } },
    { "xy+zw", CS, "xy", { "xyyyzw" } },
    /* nested alternatives multiply out */
    { "x(?:a|b(?:c|d))y", CS, "xay|xbcy|xbdy", { "xay", "xbdy" } },
    { "(?:CX(?:BL|DNS)|CDRBL)", RAW, "CXBL|CXDNS|CDRBL", { "CXDNS", "CDRBL" } },
    /* an assertion consumes nothing: the run goes on through it */
    { "foo\\b-bar", CS, "foo-bar", { "foo-bar" } },
    { "\\bfoo\\b", CS, "foo", { "a foo." } },
    { "^abc$", CS, "abc", { "abc" } },
    /* nothing from a look-around */
    { "(?<=xyz)ab", CS, "ab", { "xyzab" } },
    { "x(?=yz)yz", CS, "xyz", { "xyz" } },
    /* RAW: a quantifier repeats a byte, not a UTF-8 character */
    { "x\xc3\xa9?", RAW, "x\xc3", { "x\xc3", "x\xc3\xa9" } },
    { "x\xc3\xa9?", CS, NULL, { "x" } },
    /* a count PCRE2 10.42 reads as characters ("{ 2}") is read as a count:
     * what follows it repeats its brace, never read as characters */
    { "ab{ 2}{3}cd", CS, "ab", { "ab{ 2}}}cd" } },
    /* options, back-references, escapes of characters by number: none */
    { "(?i)abc", CS, NULL, { "ABC" } },
    { "a(?i:bcd)", CS, NULL, { "aBcD" } },
    { "(ab)cd\\1", CS, NULL, { "abcdab" } },
    { "abc\\x41", CS, NULL, { "abcA" } },
    { "protection\\E??", CS, NULL, { "protectio" } },
    { "[[:alpha:]]abc", CS, NULL, { "xabc" } },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

/* Caseless: the words (three bytes or more of characters folding keeps)
 * every match holds in folded text, one set per way through. */
static void
test_pattern_caseless (void)
{
  static const Case cases[] = {
    { "Mailbox\\s+(?:is\\s+)?Full\\b", CI, "mailbox+full", { "MAILBOX IS FULL", "mailbox  full" } },
    { "(?i)user unknown", CI, "user+unknown", { "User Unknown" } },
    /* escaped metacharacters are part of a word */
    { "rr\\.com|5\\.7\\.1", CI, "rr.com|5.7.1", { "RR.COM", "5.7.1" } },
    /* an assertion or an escape ends a word (unlike case-sensitive) */
    { "foo\\b-bar", CI, "foo+-bar", { "FOO-bar" } },
    { "\\bfoo\\b|\\bbar\\b", CI, "foo|bar", { "a foo", "bar" } },
    { "abc\\sdef", CI, "abc+def", { "ABC\tDEF" } },
    /* a class is no word */
    { "[a-z]+xyz", CI, "xyz", { "qqXYZ" } },
    { "ab[c]de", CI, NULL, { "abcde" } },
    /* nested alternatives multiply out */
    { "(?:mail(?:box|drop)|inbox) full", CI, "mail+box+full|mail+drop+full|inbox+full",
      { "MAILDROP FULL", "inbox full" } },
    /* optional characters and groups, counts */
    { "colou?r", CI, "colo", { "color", "colour" } },
    { "abcd{0,3}efgh", CI, "abc+efgh", { "abcefgh", "ABCDDDEFGH" } },
    { "abc{2}de", CI, "abc", { "abccde" } },
    { "(?:not )?found here", CI, "found+here", { "found here", "not found here" } },
    { "(?:abc|de)fghij", CI, "fghij", { "defghij" } },
    /* nothing from a look-around */
    { "(?<!never )word", CI, "word", { "a word" } },
    /* a named group's name is not matched */
    { "(?'name'abc)def", CI, "abc+def", { "abcdef" } },
    { "(?<name>abc)def", CI, "abc+def", { "abcdef" } },
    /* after a count PCRE2 10.42 reads as characters, a count is its
     * brace's: "0,3" is not matched */
    { "abc{ 2}{0,3}def", CI, "abc+def", { "abc{ 2def", "abc{ 2}}def" } },
    /* a caseless regex matches the long s U+017F for 's' (PCRE2's caseless
     * sets): folding makes it 's', so that the words hold (fuzz/fuzz-pattern) */
    { "password", CI, "password", { "PASSWORD", "pa\xc5\xbf\xc5\xbfword" } },
    { "Kelvin", CI, "kelvin", { "\xe2\x84\xaa""ELVIN" } },
    /* characters without case are words; with a case, not; nor one that
     * folding decomposes (NFD: "デ" as "テ" and U+3099), which ends a word */
    { "\xe3\x82\xa2\xe3\x82\xa4\xe3\x83\xac\xe3\x82\xaf\xe3\x83\x88\xe3\x83\xaa", CI,
      "\xe3\x82\xa2\xe3\x82\xa4\xe3\x83\xac\xe3\x82\xaf\xe3\x83\x88\xe3\x83\xaa",
      { "\xe3\x82\xa2\xe3\x82\xa4\xe3\x83\xac\xe3\x82\xaf\xe3\x83\x88\xe3\x83\xaa" } },
    { "\xe3\x83\x87\xe3\x82\xa3\xe3\x83\xac\xe3\x82\xaf\xe3\x83\x88\xe3\x83\xaa", CI,
      "\xe3\x82\xa3\xe3\x83\xac\xe3\x82\xaf\xe3\x83\x88\xe3\x83\xaa",
      { "\xe3\x83\x87\xe3\x82\xa3\xe3\x83\xac\xe3\x82\xaf\xe3\x83\x88\xe3\x83\xaa" } },
    { "\xc3\x89""COLE mail", CI, "cole+mail", { "\xc3\xa9""cole MAIL" } },
    /* a mark ends a word: folding leaves it out after a Latin letter (the
     * combining grapheme joiner U+034F too, though of class 0) */
    { "abc\xcd\x8f" "def", CI, "abc+def", { "ABC\xcd\x8f" "DEF" } },
    { "XS\xcd\x8f" "XS\xcd\x8f", CI, NULL, { "xs\xcd\x8f" "xs\xcd\x8f" } },
    /* constructs not read: none */
    { "\\Qliteral\\E", CI, NULL, { "literal" } },
    /* \E alone is nothing: the quantifier after it is the 'n''s */
    { "protection\\E??", CI, NULL, { "protectio" } },
    { "(?x) spaced out", CI, NULL, { "spacedout" } },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

/* Groups nested deeper than anyone writes (PCRE2 itself refuses more than
 * 250 by default) are read without recursing once per level, or the reader
 * runs out of stack: found by fuzz/fuzz-pattern. */
static void
test_pattern_deep_nesting (void)
{
  for (guint depth = 10; depth <= 100000; depth *= 10)
    {
      g_autoptr(GString) pattern = g_string_new (NULL);
      g_autoptr(GPtrArray) sets = NULL;

      for (guint i = 0; i < depth; i++)
        g_string_append (pattern, "(?:");
      g_string_append (pattern, "mailbox");
      for (guint i = 0; i < depth; i++)
        g_string_append_c (pattern, ')');
      sets = bounce_pattern_required (pattern->str, 0);
      if (depth <= 10)
        {
          g_autofree char *got = bounce_pattern_describe (sets);

          g_assert_cmpstr (got, ==, "mailbox");
        }
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();

  g_test_add_func ("/pattern/case-sensitive", test_pattern_case_sensitive);
  g_test_add_func ("/pattern/deep-nesting", test_pattern_deep_nesting);
  g_test_add_func ("/pattern/caseless", test_pattern_caseless);
  return g_test_run ();
}
