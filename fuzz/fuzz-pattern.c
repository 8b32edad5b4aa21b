/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "bounce-literal.h"
#include "bounce-pattern.h"

/* The reader of pattern syntax (bounce-pattern.h) on any pattern, in each
 * of its ways, and its promise checked against GRegex: the input is a
 * flags byte (its low bits: 0 case-sensitive, 1 raw, 2 and 3 caseless),
 * then a pattern up to the first NUL (or, without one, the first half of
 * the rest) and a text, the rest.  Where GRegex compiles the pattern as
 * the core compiles it and matches the text, each match (the first few)
 * holds what the reader says every match holds:
 *
 * - case-sensitive: one of the strings, in the bytes it matches;
 * - caseless: all the words of one set, in the matched text folded by
 *   bounce_literal_fold() (from the text's start when the pattern holds
 *   \K, which moves a match's start past what it matched before). */

/* Whether hay (len bytes) holds needle. */
static gboolean
holds (const char *hay,
       gsize       len,
       const char *needle)
{
  gsize n = strlen (needle);

  if (n == 0)
    return TRUE;
  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (hay + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
holds_one (GPtrArray  *sets,
           const char *hay,
           gsize       len)
{
  for (guint i = 0; i < sets->len; i++)
    if (holds (hay, len, g_ptr_array_index ((GPtrArray *) sets->pdata[i], 0)))
      return TRUE;
  return FALSE;
}

static gboolean
holds_a_set (GPtrArray  *sets,
             const char *hay,
             gsize       len)
{
  for (guint i = 0; i < sets->len; i++)
    {
      GPtrArray *set = sets->pdata[i];
      guint k = 0;

      while (k < set->len && holds (hay, len, set->pdata[k]))
        k++;
      if (k == set->len)
        return TRUE;
    }
  return FALSE;
}

static void
report (const char *pattern,
        const char *text,
        gsize       start,
        gsize       end,
        GPtrArray  *sets)
{
  g_autofree char *described = bounce_pattern_describe (sets);
  g_autofree char *p = g_strescape (pattern, NULL);
  g_autofree char *m = g_strndup (text + start, end - start);
  g_autofree char *me = g_strescape (m, NULL);

  fprintf (stderr, "pattern /%s/ needs \"%s\", but matched \"%s\" [%zu, %zu)\n",
           p, described, me, start, end);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  BouncePatternFlags flags;
  GRegexCompileFlags compile;
  g_autofree char *pattern = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) sets = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) info = NULL;
  const uint8_t *nul;
  gsize pattern_len, text_len;
  gboolean reset;

  fuzz_init ();
  if (size < 1)
    return 0;
  switch (data[0] & 3)
    {
    case 0: flags = BOUNCE_PATTERN_DEFAULT; compile = 0; break;
    case 1: flags = BOUNCE_PATTERN_RAW; compile = G_REGEX_RAW; break;
    default: flags = BOUNCE_PATTERN_CASELESS; compile = G_REGEX_CASELESS; break;
    }
  data++;
  size--;
  nul = memchr (data, '\0', size);
  pattern_len = nul != NULL ? (gsize) (nul - data) : size / 2;
  pattern = g_strndup ((const char *) data, pattern_len);
  text_len = size - pattern_len - (nul != NULL);
  /* (GRegex matches UTF-8 text only, unless raw) */
  if (flags & BOUNCE_PATTERN_RAW)
    text = g_strndup ((const char *) data + size - text_len, text_len);
  else
    text = g_utf8_make_valid ((const char *) data + size - text_len, text_len);
  text_len = strlen (text);

  sets = bounce_pattern_required (pattern, flags);
  {
    g_autofree char *described = bounce_pattern_describe (sets);

    FUZZ_CHECK ((sets == NULL) == (described == NULL));
  }
  if (sets == NULL)
    return 0;
  FUZZ_CHECK (sets->len > 0);
  for (guint i = 0; i < sets->len; i++)
    {
      GPtrArray *set = sets->pdata[i];

      FUZZ_CHECK (set->len > 0);
      if (flags & BOUNCE_PATTERN_CASELESS)
        for (guint k = 0; k < set->len; k++)
          FUZZ_CHECK (strlen (set->pdata[k]) >= 3);
      else
        FUZZ_CHECK (set->len == 1 && strlen (set->pdata[0]) >= 2);
    }

  /* (a pattern GRegex does not compile is never used; GLib 2.74 hands PCRE2
   * a pattern unchecked, which reads past invalid UTF-8: the core's are
   * valid) */
  if (!(flags & BOUNCE_PATTERN_RAW) && !g_utf8_validate (pattern, -1, NULL))
    return 0;
  regex = g_regex_new (pattern, compile, G_REGEX_MATCH_DEFAULT, NULL);
  if (regex == NULL)
    return 0;
  reset = strstr (pattern, "\\K") != NULL;
  if (!g_regex_match_full (regex, text, text_len, 0, G_REGEX_MATCH_DEFAULT, &info, NULL))
    return 0;
  for (guint n = 0; n < 8 && g_match_info_matches (info); n++)
    {
      int start, end;

      if (!g_match_info_fetch_pos (info, 0, &start, &end) || start < 0 || end < start)
        break;
      if (flags & BOUNCE_PATTERN_CASELESS)
        {
          gsize from = reset ? 0 : (gsize) start;
          g_autofree char *folded = bounce_literal_fold (text + from, end - from);

          if (!holds_a_set (sets, folded, strlen (folded)))
            {
              report (pattern, text, from, end, sets);
              FUZZ_CHECK (!"a caseless match holds the words of one set");
            }
        }
      else if (!reset && !holds_one (sets, text + start, end - start))
        {
          report (pattern, text, start, end, sets);
          FUZZ_CHECK (!"a case-sensitive match holds one of the strings");
        }
      if (!g_match_info_next (info, NULL))
        break;
    }
  return 0;
}
