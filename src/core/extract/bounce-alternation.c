/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-alternation.h"
#include "bounce-extract.h"

/* Where part (of len bytes) splits at '|' outside groups and classes:
 * appends the pieces to out, unwrapping a piece that is one whole
 * non-capturing group ("(?:A|B)" is A, then B, at each position).
 * Returns FALSE for a construct not read here. */
static gboolean
split_into (const char *part,
            gsize       len,
            GPtrArray  *out)
{
  gsize piece = 0;
  int depth = 0;

  for (gsize i = 0; i <= len; i++)
    {
      char c = i < len ? part[i] : '|';

      if (c == '\\')
        {
          char n = i + 1 < len ? part[i + 1] : '\0';

          /* back-references (\1, \g, \k) and quoting (\Q) */
          if (n == '\0' || g_ascii_isdigit (n) || n == 'g' || n == 'k' || n == 'Q' || n == 'E')
            return FALSE;
          i++;
          continue;
        }
      if (c == '[')
        {
          i++;
          if (i < len && part[i] == '^')
            i++;
          if (i < len && part[i] == ']')
            i++;
          for (; i < len && part[i] != ']'; i++)
            {
              if (part[i] == '\\')
                {
                  if (i + 1 >= len || g_ascii_isdigit (part[i + 1]) || part[i + 1] == 'Q' || part[i + 1] == 'E')
                    return FALSE;
                  i++;
                }
              else if (part[i] == '[' && i + 1 < len && strchr (":.=", part[i + 1]) != NULL)
                return FALSE;  /* [:alpha:], [.x.], [=x=] */
            }
          if (i >= len)
            return FALSE;
          continue;
        }
      if (c == '(')
        {
          const char *rest = part + i + 1;
          gsize left = len - i - 1;

          /* only groups, look-ahead and look-behind: no options, verbs,
           * named groups, conditions, recursion or callouts */
          if (left >= 1 && rest[0] == '*')
            return FALSE;
          if (left >= 1 && rest[0] == '?' &&
              !(left >= 2 && strchr (":=!", rest[1]) != NULL) &&
              !(left >= 3 && rest[1] == '<' && (rest[2] == '=' || rest[2] == '!')))
            return FALSE;
          depth++;
          continue;
        }
      if (c == ')')
        {
          if (--depth < 0)
            return FALSE;
          continue;
        }
      if (c == '|' && depth == 0)
        {
          const char *p = part + piece;
          gsize n = i - piece;
          gboolean wrapped = FALSE;

          /* "(?:...)" as a whole: its closing parenthesis is the last byte */
          if (n >= 4 && strncmp (p, "(?:", 3) == 0 && p[n - 1] == ')')
            {
              int d = 0;

              wrapped = TRUE;
              for (gsize j = 0; j < n; j++)
                {
                  if (p[j] == '\\')
                    j++;
                  else if (p[j] == '[')
                    {
                      /* classes were checked above: skip to their end */
                      j++;
                      if (j < n && p[j] == '^')
                        j++;
                      if (j < n && p[j] == ']')
                        j++;
                      while (j < n && p[j] != ']')
                        j += p[j] == '\\' ? 2 : 1;
                    }
                  else if (p[j] == '(')
                    d++;
                  else if (p[j] == ')' && --d == 0 && j + 1 < n)
                    wrapped = FALSE;  /* "(?:a)b(c)": not one group */
                }
            }
          if (n == 0)
            return FALSE;  /* an empty alternative matches the empty string */
          if (wrapped)
            {
              if (!split_into (p + 3, n - 4, out))
                return FALSE;
            }
          else
            g_ptr_array_add (out, g_strndup (p, n));
          piece = i + 1;
        }
    }
  return depth == 0;
}

GStrv
bounce_alternation_split (const char *pattern)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (pattern != NULL, NULL);

  if (!split_into (pattern, strlen (pattern), parts) || parts->len < 2)
    return NULL;
  g_ptr_array_add (parts, NULL);
  return (GStrv) g_ptr_array_steal (parts, NULL);
}

typedef struct
{
  GRegex *regex;          /* a reference: the key stays this regex's */
  BounceRegexSlot whole;  /* the regex, JIT-compiled once used often */
  GStrv pieces;           /* its alternatives; NULL: matched whole */
  BounceRegexSlot *parts; /* one per alternative, compiled as the regex */
  char **after;           /* per alternative: the text its look-behind needs, or NULL */
} Split;

/* The characters an alternative that starts with a look-behind of plain
 * characters ("(?<=case\\?c=)[a-z][0-9]{4}") needs right before each of
 * its matches, else NULL.  Such an alternative starts at almost every
 * position (here at every small letter), where PCRE's interpreter tries
 * the look-behind each time: looking for those characters and matching
 * the alternative anchored right after each finds the same matches. */
static char *
lookbehind_text (const char         *piece,
                 GRegexCompileFlags  flags)
{
  g_autoptr(GString) text = NULL;
  const char *p;

  if ((flags & (G_REGEX_CASELESS | G_REGEX_EXTENDED)) != 0 || !g_str_has_prefix (piece, "(?<="))
    return NULL;
  text = g_string_new (NULL);
  for (p = piece + 4; *p != ')'; p++)
    {
      if (*p == '\\' && g_ascii_ispunct (p[1]))
        p++;   /* an escaped punctuation character stands for itself */
      else if (*p == '\0' || *p == '\\' || strchr (".^$|()[]{}*+?", *p) != NULL ||
               (guchar) *p < 0x20 || (guchar) *p >= 0x7f)
        return NULL;
      g_string_append_c (text, *p);
    }
  /* (the rest has no '|' of its own: piece is one alternative of
   * bounce_alternation_split()'s) */
  if (text->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static Split *
split_new (GRegex *regex)
{
  Split *split = g_new0 (Split, 1);
  GRegexCompileFlags flags = g_regex_get_compile_flags (regex) & ~G_REGEX_OPTIMIZE;
  g_auto(GStrv) pieces = bounce_alternation_split (g_regex_get_pattern (regex));
  guint n = pieces != NULL ? g_strv_length (pieces) : 0;

  split->regex = g_regex_ref (regex);
  bounce_regex_slot_init (&split->whole, g_regex_ref (regex), flags);
  if (pieces == NULL)
    return split;
  /* Each alternative compiled here, without the JIT, which it gets once
   * it is used often (bounce_regex_once()): in a run on one text the JIT
   * of fourteen alternatives cost more than matching them without it. */
  split->parts = g_new0 (BounceRegexSlot, n);
  for (guint i = 0; i < n; i++)
    {
      GRegex *part = g_regex_new (pieces[i], flags, g_regex_get_match_flags (regex), NULL);

      if (part == NULL)
        {
          for (guint j = 0; j < i; j++)
            g_regex_unref (split->parts[j].plain);
          g_clear_pointer (&split->parts, g_free);
          return split;
        }
      bounce_regex_slot_init (&split->parts[i], part, flags);
    }
  split->after = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    split->after[i] = lookbehind_text (pieces[i], flags);
  split->pieces = g_steal_pointer (&pieces);
  return split;
}

static Split *
get_split (GRegex *regex)
{
  static GHashTable *splits = NULL;   /* GRegex -> Split, kept */
  G_LOCK_DEFINE_STATIC (splits);
  Split *split;

  G_LOCK (splits);
  if (splits == NULL)
    splits = g_hash_table_new (NULL, NULL);
  split = g_hash_table_lookup (splits, regex);
  if (split == NULL)
    {
      split = split_new (regex);
      g_hash_table_insert (splits, regex, split);
    }
  G_UNLOCK (splits);
  return split;
}

/* (asked for at each match over length bytes: each counts towards the
 * JIT) */
static GRegex *
whole_regex (Split *split,
             gsize  length)
{
  return bounce_regex_once_for (&split->whole, g_regex_get_pattern (split->regex), 0, length);
}

static GRegex *
part_regex (Split *split,
            guint  i,
            gsize  length)
{
  return bounce_regex_once_for (&split->parts[i], split->pieces[i], 0, length);
}

static void
match_whole (GRegex     *regex,
             const char *text,
             gsize       start,
             gsize       end,
             GArray     *spans)
{
  g_autoptr(GMatchInfo) info = NULL;

  g_regex_match_full (regex, text, end, start, 0, &info, NULL);
  while (g_match_info_matches (info))
    {
      int s, e;

      if (g_match_info_fetch_pos (info, 0, &s, &e))
        {
          BounceSpan span = { (gsize) s, (gsize) e };

          g_array_append_val (spans, span);
        }
      if (!g_match_info_next (info, NULL))
        break;
    }
}

typedef struct
{
  gboolean found;
  gsize start;
  gsize end;
} Next;

static void
search (GRegex     *part,
        const char *text,
        gsize       from,
        gsize       end,
        Next       *next)
{
  g_autoptr(GMatchInfo) info = NULL;
  int s, e;

  next->found = from <= end && g_regex_match_full (part, text, end, from, 0, &info, NULL) &&
                g_match_info_fetch_pos (info, 0, &s, &e);
  if (next->found)
    {
      next->start = s;
      next->end = e;
    }
}

/* As search(), for an alternative whose matches come right after the
 * characters after (its look-behind): each place they end, from the first
 * that ends at or after from, is tried in turn, anchored. */
static void
search_after (GRegex     *part,
              const char *after,
              const char *text,
              gsize       from,
              gsize       end,
              Next       *next)
{
  gsize n = strlen (after);
  gsize at = from >= n ? from - n : 0;

  next->found = FALSE;
  if (from > end)
    return;
  while (at + n <= end)
    {
      const char *hit = memchr (text + at, after[0], end - n + 1 - at);
      gsize p;

      if (hit == NULL)
        return;
      at = hit - text;
      p = at + n;
      if (memcmp (hit, after, n) == 0)
        {
          g_autoptr(GMatchInfo) info = NULL;
          int s, e;

          if (g_regex_match_full (part, text, end, p, G_REGEX_MATCH_ANCHORED, &info, NULL) &&
              g_match_info_fetch_pos (info, 0, &s, &e))
            {
              next->found = TRUE;
              next->start = s;
              next->end = e;
              return;
            }
        }
      at++;
    }
}

static void
search_part (Split      *split,
             guint       i,
             const char *text,
             gsize       from,
             gsize       end,
             Next       *next)
{
  /* (anchored matches gain little from the JIT: the plain regex always) */
  if (split->after[i] != NULL)
    search_after (split->parts[i].plain, split->after[i], text, from, end, next);
  else
    search (part_regex (split, i, end > from ? end - from : 0), text, from, end, next);
}

void
bounce_alternation_match_all (GRegex     *regex,
                              const char *text,
                              gsize       start,
                              gsize       end,
                              GArray     *spans)
{
  Split *split;
  g_autofree Next *next = NULL;
  guint n, had;

  g_return_if_fail (regex != NULL);
  g_return_if_fail (text != NULL);
  g_return_if_fail (spans != NULL);

  if (end <= start)
    return;
  split = get_split (regex);
  if (split->parts == NULL)
    {
      match_whole (whole_regex (split, end - start), text, start, end, spans);
      return;
    }

  n = g_strv_length (split->pieces);
  next = g_new0 (Next, n);
  had = spans->len;
  for (guint i = 0; i < n; i++)
    search_part (split, i, text, start, end, &next[i]);
  for (;;)
    {
      BounceSpan span;
      int best = -1;

      for (guint i = 0; i < n; i++)
        {
          if (next[i].found && (best < 0 || next[i].start < next[best].start))
            best = i;
        }
      if (best < 0)
        break;
      if (next[best].end <= next[best].start)
        {
          /* after an empty match the regex goes on in a way of its own */
          g_array_set_size (spans, had);
          match_whole (whole_regex (split, end - start), text, start, end, spans);
          return;
        }
      span.start = next[best].start;
      span.end = next[best].end;
      g_array_append_val (spans, span);
      for (guint i = 0; i < n; i++)
        {
          if (next[i].found && next[i].start < span.end)
            search_part (split, i, text, span.end, end, &next[i]);
        }
    }
}
