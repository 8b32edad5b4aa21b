/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"
#include "corpus-common.h"
#include "bounce-alternation.h"
#include "bounce-scan.h"

/* The extractor's candidates (bounce-scan.c) against the regular
 * expressions they replace: the same matches, at the same offsets, for
 * hand-picked edge cases, for every corpus file and for random texts made
 * of the bytes that matter to them. */

#define OCTET "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"

static const char * const oracle_patterns[BOUNCE_SCAN_N_KINDS] = {
  [BOUNCE_SCAN_URL] = "(?i)\\bhttps?://[^\\s\"'<>`\\x00-\\x1f\\x7f]{1,2048}",
  [BOUNCE_SCAN_EMAIL_AT] = "@[A-Za-z0-9][A-Za-z0-9.-]{0,252}",
  [BOUNCE_SCAN_REPLY] = "(?<![\\w.,+/$\\\\-])[245][0-7][0-9](?![\\w@%]|[.,:/][0-9])",
  [BOUNCE_SCAN_ENHANCED] =
    "(?<![\\w./\\\\$])[245]\\.[0-7]\\.[0-9]{1,3}(?![\\w@+~]|\\.[0-9A-Za-z]|-[0-9])",
  [BOUNCE_SCAN_IPV6] =
    "(?:(?<=IPv6:)|(?<![\\w:.]))(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:])[0-9A-Fa-f:.]{2,45}",
  [BOUNCE_SCAN_IPV4] =
    "(?<![\\w.])" OCTET "\\." OCTET "\\." OCTET "\\." OCTET "(?![\\w]|\\.[0-9])",
  [BOUNCE_SCAN_HOST] =
    "(?<![\\w.@-])[A-Za-z0-9][A-Za-z0-9-]{0,62}\\.[A-Za-z0-9][A-Za-z0-9.-]{0,250}",
};

static const char * const kind_names[BOUNCE_SCAN_N_KINDS] = {
  "url", "email", "reply", "enhanced", "ipv6", "ipv4", "host",
};

#define ALL_KINDS ((1u << BOUNCE_SCAN_N_KINDS) - 1)

/* "kind:start-end" of each match, kind by kind. */
static char *
describe_oracle (const char *text,
                 gsize       start,
                 gsize       end,
                 guint       kinds)
{
  GString *out = g_string_new (NULL);

  for (guint k = 0; k < BOUNCE_SCAN_N_KINDS; k++)
    {
      g_autoptr(GRegex) regex = NULL;
      g_autoptr(GMatchInfo) info = NULL;

      if ((kinds & BOUNCE_SCAN_MASK (k)) == 0 || end <= start)
        continue;
      regex = g_regex_new (oracle_patterns[k], G_REGEX_RAW, G_REGEX_MATCH_DEFAULT, NULL);
      g_assert_nonnull (regex);
      g_regex_match_full (regex, text, end, start, 0, &info, NULL);
      while (g_match_info_matches (info))
        {
          int s, e;

          g_assert_true (g_match_info_fetch_pos (info, 0, &s, &e));
          g_string_append_printf (out, "%s:%d-%d ", kind_names[k], s, e);
          if (!g_match_info_next (info, NULL))
            break;
        }
    }
  return g_string_free (out, FALSE);
}

static char *
describe_scan (const char *text,
               gsize       start,
               gsize       end,
               guint       kinds)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (BounceScanCandidate));
  GString *out = g_string_new (NULL);

  bounce_scan_candidates (text, start, end, kinds, found);
  for (guint i = 1; i < found->len; i++)
    g_assert_cmpuint (g_array_index (found, BounceScanCandidate, i - 1).start, <=,
                      g_array_index (found, BounceScanCandidate, i).start);
  for (guint k = 0; k < BOUNCE_SCAN_N_KINDS; k++)
    {
      for (guint i = 0; i < found->len; i++)
        {
          const BounceScanCandidate *c = &g_array_index (found, BounceScanCandidate, i);

          if (c->kind == k)
            g_string_append_printf (out, "%s:%" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT " ",
                                    kind_names[k], c->start, c->end);
        }
    }
  return g_string_free (out, FALSE);
}

static void
assert_same (const char *text,
             gsize       start,
             gsize       end,
             guint       kinds)
{
  g_autofree char *expected = describe_oracle (text, start, end, kinds);
  g_autofree char *got = describe_scan (text, start, end, kinds);

  if (g_strcmp0 (expected, got) != 0)
    {
      g_autofree char *shown = g_strescape (g_strndup (text, MIN (end, 400)), NULL);

      g_test_message ("text [%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT "): \"%s\"", start, end, shown);
      g_assert_cmpstr (got, ==, expected);
    }
}

/* What the scanner finds in text, all kinds. */
static void
check (const char *text,
       guint       kinds,
       const char *expected)
{
  g_autofree char *got = describe_scan (text, 0, strlen (text), kinds);

  g_assert_cmpstr (got, ==, expected);
  assert_same (text, 0, strlen (text), ALL_KINDS);
}

#define CODES (BOUNCE_SCAN_MASK (BOUNCE_SCAN_REPLY) | BOUNCE_SCAN_MASK (BOUNCE_SCAN_ENHANCED))

static void
test_scan_codes (void)
{
  /* at the text's start and end */
  check ("550", CODES, "reply:0-3 ");
  check ("5.1.1", CODES, "enhanced:0-5 ");
  check ("x 550 5.1.1", CODES, "reply:2-5 enhanced:6-11 ");
  /* next to digits and dots: part of a longer number */
  check ("1550 05.1.1 5.1.10", CODES, "enhanced:12-18 ");
  check ("5.1.1000 5.1.1.2 550.5 550.x 550,", CODES, "reply:23-26 reply:29-32 ");
  check ("550-5.7.1", CODES, "reply:0-3 enhanced:4-9 ");
  check ("5.7.1-2 5.7.1-x", CODES, "enhanced:8-13 ");
  check ("x.550 $550 550% 550@ 580", CODES, "");
  check ("5.8.1 6.1.1 5.1. 5.1.x", CODES, "");
  /* the last byte of the text is a digit: no look-ahead past it */
  check ("code 4.4.7", CODES, "enhanced:5-10 ");
  check ("2.0.0,", CODES, "enhanced:0-5 ");
}

static void
test_scan_bounds (void)
{
  const char *text = "a550 5.1.1 b";

  /* the look-behind sees the byte before start, the look-ahead nothing
   * at or after end */
  assert_same (text, 1, strlen (text), ALL_KINDS);
  assert_same (text, 1, 3, ALL_KINDS);
  assert_same (text, 5, 9, ALL_KINDS);
  assert_same (text, 5, 10, ALL_KINDS);
  {
    g_autofree char *got = describe_scan (text, 1, strlen (text), CODES);

    g_assert_cmpstr (got, ==, "enhanced:5-10 ");
  }
  {
    g_autofree char *got = describe_scan (text, 5, 9, CODES);

    g_assert_cmpstr (got, ==, "");
  }
  {
    g_autofree char *got = describe_scan ("x 550 5.1.1 x", 2, 7, CODES);

    /* "5.1.1" goes on after end: not an enhanced code; "550" ends before */
    g_assert_cmpstr (got, ==, "reply:2-5 ");
  }
  {
    g_autofree char *got = describe_scan ("x 550 5.1.1 x", 0, 0, ALL_KINDS);

    g_assert_cmpstr (got, ==, "");
  }
}

static void
test_scan_network (void)
{
  check ("host mx.example.com[192.0.2.1]:", ALL_KINDS, "ipv4:20-29 host:5-19 host:20-29 ");
  check ("1.2.3.4 01.2.3.4 1.2.3.256 1.2.3.4.5 1.2.3.4a 255.255.255.255", ALL_KINDS, "ipv4:0-7 ipv4:46-61 host:0-7 host:8-16 host:17-26 host:27-36 host:37-45 host:46-61 ");
  check ("IPv6:2001:db8::1 ::1 fe80::1: a::b x::1 12345:1", ALL_KINDS, "ipv6:5-16 ipv6:17-20 ipv6:21-29 ipv6:30-34 ");
  check ("see https://example.com/a?b=1 and HTTP://X.ORG\"", ALL_KINDS, "url:4-29 url:34-46 host:12-23 host:41-46 ");
  check ("http:// https://x", ALL_KINDS, "url:8-17 ");
  check ("a@b.example @x @", ALL_KINDS, "email:1-11 email:12-14 ");
  check ("-a.b @a.b .a.b _a.b a-.b", ALL_KINDS, "email:5-9 host:20-24 ");
}

static void
test_scan_bytes (void)
{
  /* A byte >= 0x80 is the Latin-1 character of that code point to the
   * regexes' \w and \s: 0xc3 and 0xff are letters (word bytes), 0xa9 and
   * 0x80 are not; 0xa0 and 0x85 are spaces.  Codes start after a non-word
   * byte only, the look-ahead of IPv4 addresses refuses a letter. */
  check ("\xc3\xa9" "550 5.1.1 \xff" "mx.example.com\xe2\x80\x99", ALL_KINDS,
         "reply:2-5 enhanced:6-11 host:6-11 ");
  check ("\xa9" "550 \xaa" "550 \xd7" "550 \xb2" "550 \xbe" "550 \xbf" "550", CODES,
         "reply:1-4 reply:11-14 reply:26-29 ");
  check ("\x80\x80" "1.2.3.4" "\xfe \x80" "1.2.3.4" "\xa9", ALL_KINDS,
         "ipv4:12-19 host:2-9 host:12-19 ");
  /* invalid UTF-8 all over: a lone lead byte, a lone continuation byte */
  check ("\xc3" "550\xc3 \xa9" "5.1.1", ALL_KINDS, "enhanced:7-12 host:7-12 ");
  /* a URL goes on through multi-byte characters, not through U+00A0 */
  check ("http://x.example/\xc3\xa9t\xc3\xa9 next", ALL_KINDS, "url:0-22 host:7-16 ");
  check ("http://x.example/a\xa0" "b http://y\x85" "z", BOUNCE_SCAN_MASK (BOUNCE_SCAN_URL),
         "url:0-18 url:21-29 ");
  /* \b before "http": not after a Latin-1 letter */
  check ("\xe9" "http://x \xd7" "http://y", BOUNCE_SCAN_MASK (BOUNCE_SCAN_URL), "url:11-19 ");
}

static void
test_scan_long_runs (void)
{
  g_autoptr(GString) text = g_string_new ("https://");
  g_autoptr(GString) label = g_string_new (NULL);

  /* the bounded repeats: a URL of 2048 bytes at most, a label of 63 */
  for (guint i = 0; i < 3000; i++)
    g_string_append_c (text, 'a' + i % 26);
  assert_same (text->str, 0, text->len, ALL_KINDS);
  {
    g_autofree char *got = describe_scan (text->str, 0, text->len, BOUNCE_SCAN_MASK (BOUNCE_SCAN_URL));

    g_assert_cmpstr (got, ==, "url:0-2056 ");
  }
  for (guint n = 61; n <= 64; n++)
    {
      g_string_truncate (label, 0);
      for (guint i = 0; i < n; i++)
        g_string_append_c (label, 'b');
      g_string_append (label, ".example.com 1.2.3.4");
      assert_same (label->str, 0, label->len, ALL_KINDS);
    }
}

/* Every corpus file, whole and in slices. */
static void
test_scan_corpus (void)
{
  g_autoptr(GPtrArray) texts = corpus_read_texts (corpus_all_dirs);

  for (guint i = 0; i < texts->len; i++)
    {
      const char *contents = ((CorpusText *) texts->pdata[i])->contents;
      gsize length = strlen (contents);

      assert_same (contents, 0, length, ALL_KINDS);
      assert_same (contents, length / 3, 2 * length / 3, ALL_KINDS);
    }
  g_assert_cmpuint (texts->len, >, 400);
}

/* Random texts of the bytes the patterns care about. */
static void
test_scan_random (void)
{
  static const char alphabet[] =
    "0123455557.....:::::@@--__abcfxyzABFXhhttpsHTTPS/ ,+$\\%~'\"<>`()[]\n\r\t\x7f\x80\xc3\xff"
    "\x85\xa0\xaa\xb2\xd7\xf7";
  static const char * const pieces[] = {
    "http://", "https://", "IPv6:", "550 ", "5.1.1", "192.0.2.1", "255.", "::1", "mx.example.com", "@",
  };
  GRand *rand = g_rand_new_with_seed (20261206);

  for (guint round = 0; round < 20000; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint len = g_rand_int_range (rand, 0, 60);
      gsize start, end;

      for (guint i = 0; i < len; i++)
        {
          guint what = g_rand_int_range (rand, 0, 16);

          if (what < 2)
            g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
          else if (what == 2)
            g_string_append_c (text, (char) g_rand_int_range (rand, 0x80, 0x100));
          else
            g_string_append_c (text, alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]);
        }
      end = text->len;
      start = 0;
      if (text->len > 0 && g_rand_boolean (rand))
        {
          start = g_rand_int_range (rand, 0, text->len);
          end = g_rand_int_range (rand, start, text->len + 1);
        }
      assert_same (text->str, start, end, ALL_KINDS);
      assert_same (text->str, start, end, g_rand_int_range (rand, 0, ALL_KINDS + 1));
    }
  g_rand_free (rand);
}

/* -- a regex's alternatives one at a time (bounce-alternation.c) -------- */

static void
test_alternation_split (void)
{
  static const struct { const char *pattern; const char *parts; } cases[] = {
    { "(?:ab)|(?:c|(?:d|e)f)", "ab c (?:d|e)f" },
    { "(a)|b", "(a) b" },
    { "[|]|x", "[|] x" },
    { "[]|]|[^]|]|\\||x", "[]|] [^]|] \\| x" },
    { "(?:a)b|(?:c)", "(?:a)b c" },
    { "(?<![\\w#-])A(?=[)\\]])|(?<=[(\\[])B", "(?<![\\w#-])A(?=[)\\]]) (?<=[(\\[])B" },
    /* options that end with their group */
    { "a|(?i:b)", "a (?i:b)" },
    { "(?-i:a)|b(?ms-U:c)", "(?-i:a) b(?ms-U:c)" },
    { "(?-i:a|b)|c", "(?-i:a|b) c" },
    /* matched whole: one alternative, options, back-references, verbs,
     * named groups, an empty alternative, \Q...\E, POSIX classes */
    { "(?:a|b)c", NULL },
    { "abc", NULL },
    { "(?i)a|b", NULL },
    { "a|(?i)b", NULL },
    { "a|(?x:b)", NULL },
    { "a|(?i-x:b)", NULL },
    { "(a)|\\1", NULL },
    { "(?<n>a)|\\k<n>", NULL },
    { "(*SKIP)a|b", NULL },
    { "a||b", NULL },
    { "a|", NULL },
    { "\\Q|\\E|x", NULL },
    { "[[:alpha:]]|x", NULL },
    { "(a|b", NULL },
    { "a)|b", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) parts = bounce_alternation_split (cases[i].pattern);
      g_autofree char *joined = parts != NULL ? g_strjoinv (" ", parts) : NULL;

      g_test_message ("%s", cases[i].pattern);
      g_assert_cmpstr (joined, ==, cases[i].parts);
    }
}

/* "start-end " of each match, as the whole regex finds them. */
static char *
describe_whole (GRegex     *regex,
                const char *text,
                gsize       start,
                gsize       end)
{
  g_autoptr(GMatchInfo) info = NULL;
  GString *out = g_string_new (NULL);

  if (end <= start)
    return g_string_free (out, FALSE);
  g_regex_match_full (regex, text, end, start, 0, &info, NULL);
  while (g_match_info_matches (info))
    {
      int s, e;

      g_assert_true (g_match_info_fetch_pos (info, 0, &s, &e));
      g_string_append_printf (out, "%d-%d ", s, e);
      if (!g_match_info_next (info, NULL))
        break;
    }
  return g_string_free (out, FALSE);
}

static char *
describe_alternation (GRegex     *regex,
                      const char *text,
                      gsize       start,
                      gsize       end)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (BounceSpan));
  GString *out = g_string_new (NULL);

  bounce_alternation_match_all (regex, text, start, end, spans);
  for (guint i = 0; i < spans->len; i++)
    g_string_append_printf (out, "%" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT " ",
                            g_array_index (spans, BounceSpan, i).start,
                            g_array_index (spans, BounceSpan, i).end);
  return g_string_free (out, FALSE);
}

static void
assert_same_matches (GRegex     *regex,
                     const char *text,
                     gsize       start,
                     gsize       end)
{
  g_autofree char *expected = describe_whole (regex, text, start, end);
  g_autofree char *got = describe_alternation (regex, text, start, end);

  if (g_strcmp0 (expected, got) != 0)
    {
      g_test_message ("/%s/ over [%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT ") of \"%s\"",
                      g_regex_get_pattern (regex), start, end, text);
      g_assert_cmpstr (got, ==, expected);
    }
}

static void
test_alternation_order (void)
{
  static const struct { const char *pattern; const char *text; const char *matches; } cases[] = {
    /* the first alternative that matches at the leftmost position wins,
     * even when a later one is longer; the next match starts at its end */
    { "(?:ab)|(?:abc)|(?:b)", "xabcb", "1-3 4-5 " },
    { "(?:abc)|(?:ab)|(?:b)", "xabcb", "1-4 4-5 " },
    { "(?:bc)|(?:abcd)", "abcd", "0-4 " },
    /* overlapping candidates of another alternative are skipped */
    { "(?:aaa)|(?:a)", "aaaaa", "0-3 3-4 4-5 " },
    { "(?:a)|(?:aaa)", "aaaaa", "0-1 1-2 2-3 3-4 4-5 " },
    /* look-behind sees the bytes before the search's start */
    { "(?<=x)a|(?:b)", "xab", "1-2 2-3 " },
    /* an alternative that matches the empty string: matched whole */
    { "(?:c?)|(?:b)", "abcb", "0-0 1-1 2-3 3-3 4-4 " },
    /* the same after matches found one alternative at a time: the whole
     * regex goes on from the matches given */
    { "(?:b)|(?:c?)", "bab", "0-1 1-1 2-3 3-3 " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GRegex) regex = g_regex_new (cases[i].pattern, G_REGEX_RAW | G_REGEX_OPTIMIZE, 0, NULL);
      g_autofree char *got = NULL;

      g_assert_nonnull (regex);
      got = describe_alternation (regex, cases[i].text, 0, strlen (cases[i].text));
      g_test_message ("/%s/ on %s", cases[i].pattern, cases[i].text);
      g_assert_cmpstr (got, ==, cases[i].matches);
      assert_same_matches (regex, cases[i].text, 0, strlen (cases[i].text));
    }
}

/* "start-end(group) " of each match and of its first capturing group
 * that took part ("-" when none did), as the whole regex finds them, or
 * alternation (TRUE) as the split one does. */
static char *
describe_groups (GRegex     *regex,
                 const char *text,
                 gsize       start,
                 gboolean    alternation)
{
  GString *out = g_string_new (NULL);
  gsize end = strlen (text);

  if (alternation)
    {
      BounceAlternation *split = bounce_alternation_new (regex);
      BounceAlternationIter *iter = bounce_alternation_iter_new (split, text, start, end, NULL);
      BounceSpan span, group;

      g_assert_cmpuint (bounce_alternation_get_n (split), >, 1);
      while (bounce_alternation_iter_next_group (iter, &span, &group))
        {
          g_string_append_printf (out, "%" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT, span.start, span.end);
          if (group.end > group.start)
            g_string_append_printf (out, "(%" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT ") ", group.start, group.end);
          else
            g_string_append (out, "(-) ");
        }
      bounce_alternation_iter_free (iter);
      bounce_alternation_free (split);
    }
  else
    {
      g_autoptr(GMatchInfo) info = NULL;

      g_regex_match_full (regex, text, end, start, 0, &info, NULL);
      while (g_match_info_matches (info))
        {
          int s, e, group = 1, n = g_match_info_get_match_count (info), gs = -1, ge = -1;

          g_assert_true (g_match_info_fetch_pos (info, 0, &s, &e));
          g_string_append_printf (out, "%d-%d", s, e);
          for (; group < n && !(g_match_info_fetch_pos (info, group, &gs, &ge) && gs >= 0); group++)
            ;
          if (group < n && ge > gs)
            g_string_append_printf (out, "(%d-%d) ", gs, ge);
          else
            g_string_append (out, "(-) ");
          if (!g_match_info_next (info, NULL))
            break;
        }
    }
  return g_string_free (out, FALSE);
}

/* The first capturing group that took part in each match, with the
 * match, is the whole regex's: alternatives with groups of their own,
 * with options of their own, two of which match at different places, or
 * at the same place (the first wins). */
static void
test_alternation_groups (void)
{
  static const struct { const char *pattern; GRegexCompileFlags flags; const char *text; const char *matches; } cases[] = {
    { "x(a+)|y([0-9]+)z|(?:w)", 0, "y12z xaa w y1", "0-4(1-3) 5-8(6-8) 9-10(-) " },
    /* two alternatives at different places: the leftmost, whichever
     * comes first in the regex */
    { "host (\\w+)|^(\\w+) #5", G_REGEX_MULTILINE, "mx #5 host a\nhost b", "0-5(0-2) 6-12(11-12) 13-19(18-19) " },
    /* at the same place: the first alternative's, though the other is
     * longer */
    { "(ab)|(abc)d|a(b)", 0, "abcd ab", "0-2(0-2) 5-7(5-7) " },
    { "(abc)d|(ab)|a(b)", 0, "abcd abx", "0-4(0-3) 5-7(5-7) " },
    /* options of the alternative's own: caseless but for one */
    { "\\bGiving (\\w+)|(?-i:\\bgiving (\\w+))|on (\\w+)", G_REGEX_CASELESS, "GIVING x giving y On z",
      "0-8(7-8) 9-17(16-17) 18-22(21-22) " },
    { "(?-i:\\bGiving (\\w+))|giving (\\w+)", G_REGEX_CASELESS, "GIVING x Giving y", "0-8(7-8) 9-17(16-17) " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GRegex) regex = g_regex_new (cases[i].pattern, cases[i].flags, 0, NULL);
      g_autofree char *text = g_strcompress (cases[i].text);

      g_assert_nonnull (regex);
      g_test_message ("/%s/ on %s", cases[i].pattern, cases[i].text);
      for (gsize start = 0; start <= strlen (text); start++)
        {
          g_autofree char *expected = describe_groups (regex, text, start, FALSE);
          g_autofree char *got = describe_groups (regex, text, start, TRUE);

          g_assert_cmpstr (got, ==, expected);
          if (start == 0)
            g_assert_cmpstr (got, ==, cases[i].matches);
        }
    }
}

/* An alternative that starts with a look-behind of plain characters is
 * looked for where those characters end, then matched there: the same
 * matches as the whole regex's, over every range of each text. */
static void
test_alternation_lookbehind (void)
{
  static const struct { const char *pattern; GRegexCompileFlags flags; const char *text; const char *matches; } cases[] = {
    { "(?<=c\\?c=)[a-z][0-9]|(?:b)", 0, "xc?c=a1 c?c=c?c=b2 b", "5-7 16-18 19-20 " },
    /* the characters overlap themselves */
    { "(?<=aa)b|(?:x)", 0, "aaab aab ab xaab", "3-4 7-8 12-13 15-16 " },
    { "(?<=a\\.b)c|(?:z)", 0, "a.bc axbc z", "3-4 10-11 " },
    /* the other alternative first at the same place */
    { "(?:b1)|(?<=a)b[0-9]", 0, "ab1 ab2", "1-3 5-7 " },
    /* not plain characters, or caseless: matched as before */
    { "(?<=[ab])c|(?:d)", 0, "acbcd", "1-2 3-4 4-5 " },
    { "(?<=ab)c|(?:d)", G_REGEX_CASELESS, "ABc abC d", "2-3 6-7 8-9 " },
    { "(?<=ab)\\b|(?:d)", 0, "ab d", "2-2 3-4 " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GRegex) regex = g_regex_new (cases[i].pattern, G_REGEX_RAW | cases[i].flags, 0, NULL);
      g_autofree char *got = NULL;
      gsize len = strlen (cases[i].text);

      g_assert_nonnull (regex);
      g_test_message ("/%s/ on %s", cases[i].pattern, cases[i].text);
      got = describe_alternation (regex, cases[i].text, 0, len);
      g_assert_cmpstr (got, ==, cases[i].matches);
      for (gsize start = 0; start <= len; start++)
        for (gsize end = start; end <= len; end++)
          assert_same_matches (regex, cases[i].text, start, end);
    }
}

/* What every match of an alternative holds, read from its pattern. */
static void
test_alternation_needles (void)
{
  static const struct { const char *piece; GRegexCompileFlags flags; const char *needles; } cases[] = {
    { "(?<![\\w#-])IB[0-9]{3}(?![\\w-])", G_REGEX_RAW, "IB0 IB1 IB2 IB3 IB4 IB5 IB6 IB7 IB8 IB9" },
    { "(?<![\\w#-])(?:CX(?:BL|DNS)|CDRBL)(?![\\w-])", G_REGEX_RAW, "CXBL CXDNS CDRBL" },
    { "(?<![\\w#-])ME-E[0-9]{4}(?![\\w-])", G_REGEX_RAW, "ME-E" },
    { "a(b|c)d", 0, "abd acd" },
    { "(?:ab)?cde", 0, "cde" },
    { "x(?=abc)yz", 0, "xyz" },
    { "a\\.b\\bc", 0, "a.bc" },
    { "ab\\s+cd", 0, "ab" },
    { "[ab]cd", G_REGEX_RAW, "acd bcd" },
    { "[ab]{2}cd", G_REGEX_RAW, "cd" },
    /* a look-behind's characters are not in the match */
    { "(?<=case\\?c=)[a-z][0-9]{4}", G_REGEX_RAW, NULL },
    /* nothing of two bytes that every match holds */
    { "ab?c", 0, NULL },
    { "[a-z]+@[a-z]+", 0, NULL },
    { "\\d{3}", 0, NULL },
    /* caseless, extended, or a construct not read */
    { "abc", G_REGEX_CASELESS, NULL },
    { "abc", G_REGEX_EXTENDED, NULL },
    { "ab\\x41c", 0, NULL },
    { "ab\\p{L}cd", 0, NULL },
    { "[[:alpha:]]abc", 0, NULL },
    { "(?i)abc", 0, NULL },
    { "abc)", 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) needles = bounce_alternation_needles (cases[i].piece, cases[i].flags);
      g_autofree char *joined = needles != NULL ? g_strjoinv (" ", needles) : NULL;

      g_test_message ("%s", cases[i].piece);
      g_assert_cmpstr (joined, ==, cases[i].needles);
    }
}

/* An alternative none of whose needles is in the text is not compiled,
 * and the matches are the same as the whole regex's. */
static void
test_alternation_guard (void)
{
  static const char *pattern = "(?:IB[0-9]{3})|(?:CX(?:BL|DNS))|(?:ME-E[0-9]{4})|(?:[a-z]+@[a-z])";
  static const struct { const char *text; guint compiled; } cases[] = {
    { "nothing here", 1 },
    { "see IB123, or IB12", 2 },
    { "CXDNS ME-E1234 IB999 ab@x", 4 },
    /* (the needles are there, not the match) */
    { "IB1", 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BounceAlternation *split = bounce_alternation_new_from_pattern (pattern, G_REGEX_RAW, 0);
      g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_RAW, 0, NULL);
      g_autoptr(BounceAlternationIter) iter = NULL;
      g_autoptr(GString) got = g_string_new (NULL);
      g_autofree char *expected = describe_whole (regex, cases[i].text, 0, strlen (cases[i].text));
      BounceSpan span;

      g_test_message ("%s", cases[i].text);
      iter = bounce_alternation_iter_new (split, cases[i].text, 0, strlen (cases[i].text), NULL);
      while (bounce_alternation_iter_next (iter, &span))
        g_string_append_printf (got, "%" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT " ", span.start, span.end);
      g_assert_cmpstr (got->str, ==, expected);
      /* ("[a-z]+@[a-z]" has no needles: always searched) */
      g_assert_cmpuint (bounce_alternation_get_n_compiled (split), ==, cases[i].compiled);
      g_clear_pointer (&iter, bounce_alternation_iter_free);
      bounce_alternation_free (split);
    }
}

/* The needles are looked for by reading every other byte: one that
 * starts at any offset of the range searched, at its first or last byte,
 * or that runs past its end, counts as the whole regex's matches say. */
static void
test_alternation_guard_offsets (void)
{
  static const char *pattern = "(?:AB[0-9])|(?:XYZ)|(?:QQ)";
  static const char * const needles[] = { "AB7", "XYZ", "QQ", "AB", "XY" };
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_RAW, 0, NULL);

  for (guint n = 0; n < G_N_ELEMENTS (needles); n++)
    for (guint before = 0; before < 6; before++)
      for (guint after = 0; after < 3; after++)
        {
          g_autofree char *text = g_strdup_printf ("%.*s%s%.*s", before, "abcdef", needles[n], after, "xyz");
          gsize len = strlen (text);

          for (gsize start = 0; start <= len; start++)
            for (gsize end = start; end <= len; end++)
              {
                /* (a fresh split each time: the guard is read once a split
                 * is first searched, then kept) */
                BounceAlternation *split = bounce_alternation_new (regex);
                g_autoptr(BounceAlternationIter) iter = bounce_alternation_iter_new (split, text, start, end, NULL);
                g_autoptr(GString) got = g_string_new (NULL);
                g_autofree char *expected = describe_whole (regex, text, start, end);
                BounceSpan span;

                while (bounce_alternation_iter_next (iter, &span))
                  g_string_append_printf (got, "%" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT " ", span.start, span.end);
                if (g_strcmp0 (got->str, expected) != 0)
                  g_error ("%s [%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT "): %s, the regex %s",
                           text, start, end, got->str, expected);
                /* (only the alternatives whose needles are in the range are
                 * compiled) */
                if (*expected == '\0')
                  g_assert_cmpuint (bounce_alternation_get_n_compiled (split), ==, 0);
                g_clear_pointer (&iter, bounce_alternation_iter_free);
                bounce_alternation_free (split);
              }
        }
}

/* The catalogue's token shapes as a run searches them (their needles read
 * at build time, from the compiled catalogue): a text without any needle
 * compiles none of them, and over the corpus the matches are the whole
 * regex's. */
static void
test_alternation_catalogue_tokens (void)
{
  BounceCatalogue *catalogue = bounce_catalogue_get_default ();
  BounceAlternation *split = bounce_catalogue_get_tokens (catalogue);
  GRegex *whole = bounce_catalogue_get_token_regex (catalogue);
  g_autoptr(GPtrArray) texts = corpus_read_texts (corpus_all_dirs);
  const char *plain = "Delivery to the following recipient failed permanently: nobody@example.com";

  {
    /* (other tests may have compiled some already) */
    guint before = bounce_alternation_get_n_compiled (split);
    g_autoptr(BounceAlternationIter) iter = bounce_alternation_iter_new (split, plain, 0, strlen (plain), NULL);
    BounceSpan span;

    g_assert_false (bounce_alternation_iter_next (iter, &span));
    g_assert_cmpuint (bounce_alternation_get_n_compiled (split), ==, before);
  }
  for (guint i = 0; i < texts->len; i++)
    {
      const char *contents = ((CorpusText *) texts->pdata[i])->contents;
      gsize length = strlen (contents);
      g_autoptr(BounceAlternationIter) iter = bounce_alternation_iter_new (split, contents, 0, length, NULL);
      g_autoptr(GString) got = g_string_new (NULL);
      g_autofree char *expected = describe_whole (whole, contents, 0, length);
      BounceSpan span;

      while (bounce_alternation_iter_next (iter, &span))
        g_string_append_printf (got, "%" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT " ", span.start, span.end);
      g_assert_cmpstr (got->str, ==, expected);
    }
}

/* The providers' token shapes over the corpus and random texts. */
static void
test_alternation_tokens (void)
{
  GRegex *tokens = bounce_catalogue_get_token_regex (bounce_catalogue_get_default ());
  g_auto(GStrv) parts = bounce_alternation_split (g_regex_get_pattern (tokens));
  g_autoptr(GPtrArray) texts = corpus_read_texts (corpus_all_dirs);
  static const char * const pieces[] = {
    "S3150", "(AS1234)", "[S844]", "TSS04", "(BL21)", "CS01", "HM08 ", "(HCM1)", "RL000000", "IPBL0101",
    "CXBL", "CDRBL", "AUP#I-1234", "AUP#CXSNDR", "IB101", "case?c=a1234", "OFR004_104", "ME-E1234",
    "SC-001", " ", "#", "-", "(", "[", ")", "]", "\xc3\xa9", "\n",
  };
  GRand *rand = g_rand_new_with_seed (20261206);

  /* split: the tokens are tried one shape at a time */
  g_assert_nonnull (parts);
  g_assert_cmpuint (g_strv_length (parts), >, 10);

  for (guint i = 0; i < texts->len; i++)
    {
      const char *contents = ((CorpusText *) texts->pdata[i])->contents;
      gsize length = strlen (contents);

      assert_same_matches (tokens, contents, 0, length);
      assert_same_matches (tokens, contents, length / 3, 2 * length / 3);
    }
  g_assert_cmpuint (texts->len, >, 400);

  for (guint round = 0; round < 5000; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint len = g_rand_int_range (rand, 0, 12);
      gsize start = 0;

      for (guint i = 0; i < len; i++)
        {
          const char *piece = pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))];

          /* pieces cut short or run together */
          g_string_append_len (text, piece, g_rand_int_range (rand, 1, strlen (piece) + 1));
        }
      if (text->len > 0 && g_rand_boolean (rand))
        start = g_rand_int_range (rand, 0, text->len);
      assert_same_matches (tokens, text->str, start, text->len);
    }
  g_rand_free (rand);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scan/codes", test_scan_codes);
  g_test_add_func ("/scan/bounds", test_scan_bounds);
  g_test_add_func ("/scan/network", test_scan_network);
  g_test_add_func ("/scan/bytes", test_scan_bytes);
  g_test_add_func ("/scan/long-runs", test_scan_long_runs);
  g_test_add_func ("/scan/corpus", test_scan_corpus);
  g_test_add_func ("/scan/random", test_scan_random);
  g_test_add_func ("/alternation/split", test_alternation_split);
  g_test_add_func ("/alternation/order", test_alternation_order);
  g_test_add_func ("/alternation/groups", test_alternation_groups);
  g_test_add_func ("/alternation/lookbehind", test_alternation_lookbehind);
  g_test_add_func ("/alternation/tokens", test_alternation_tokens);
  g_test_add_func ("/alternation/needles", test_alternation_needles);
  g_test_add_func ("/alternation/guard", test_alternation_guard);
  g_test_add_func ("/alternation/guard-offsets", test_alternation_guard_offsets);
  g_test_add_func ("/alternation/catalogue-tokens", test_alternation_catalogue_tokens);
  return g_test_run ();
}
