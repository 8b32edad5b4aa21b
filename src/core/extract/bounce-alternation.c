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

struct _BounceAlternation
{
  char *pattern;
  GRegexCompileFlags flags;      /* without G_REGEX_OPTIMIZE */
  GRegexMatchFlags match_flags;
  BounceRegexSlot whole;  /* the regex, compiled when first needed, JIT-compiled once used often */
  guint n;                /* the number of alternatives; 0: matched whole */
  GStrv pieces;           /* its alternatives; NULL: matched whole */
  BounceRegexSlot *parts; /* one per alternative, compiled as the regex when first searched */
  char **after;           /* per alternative: the text its look-behind needs, or NULL */
};

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

BounceAlternation *
bounce_alternation_new_from_pattern (const char         *pattern,
                                     GRegexCompileFlags  flags,
                                     GRegexMatchFlags    match_flags)
{
  BounceAlternation *split;

  g_return_val_if_fail (pattern != NULL, NULL);

  split = g_new0 (BounceAlternation, 1);
  split->pattern = g_strdup (pattern);
  split->flags = flags & ~G_REGEX_OPTIMIZE;
  split->match_flags = match_flags;
  split->whole.flags = split->flags;
  split->pieces = bounce_alternation_split (pattern);
  if (split->pieces == NULL)
    return split;
  /* Each alternative is compiled when first searched, without the JIT,
   * which it gets once it is used often (bounce_regex_once()): in a run
   * on one text the JIT of fourteen alternatives cost more than matching
   * them without it, and most of a rule's alternatives are never
   * searched. */
  split->n = g_strv_length (split->pieces);
  split->parts = g_new0 (BounceRegexSlot, split->n);
  split->after = g_new0 (char *, split->n);
  for (guint i = 0; i < split->n; i++)
    {
      split->parts[i].flags = split->flags;
      split->after[i] = lookbehind_text (split->pieces[i], split->flags);
    }
  return split;
}

BounceAlternation *
bounce_alternation_new (GRegex *regex)
{
  BounceAlternation *split;

  g_return_val_if_fail (regex != NULL, NULL);

  split = bounce_alternation_new_from_pattern (g_regex_get_pattern (regex), g_regex_get_compile_flags (regex),
                                               g_regex_get_match_flags (regex));
  bounce_regex_slot_init (&split->whole, g_regex_ref (regex), split->flags);
  return split;
}

void
bounce_alternation_free (BounceAlternation *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n; i++)
    {
      g_clear_pointer (&self->parts[i].plain, g_regex_unref);
      g_clear_pointer (&self->parts[i].jit, g_regex_unref);
      g_free (self->after[i]);   /* (some are NULL: not a GStrv) */
    }
  g_free (self->parts);
  g_free (self->after);
  g_strfreev (self->pieces);
  g_clear_pointer (&self->whole.plain, g_regex_unref);
  g_clear_pointer (&self->whole.jit, g_regex_unref);
  g_free (self->pattern);
  g_free (self);
}

guint
bounce_alternation_get_n (BounceAlternation *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n;
}

static BounceAlternation *
get_split (GRegex *regex)
{
  static GHashTable *splits = NULL;   /* GRegex -> BounceAlternation, kept */
  G_LOCK_DEFINE_STATIC (splits);
  BounceAlternation *split;

  G_LOCK (splits);
  if (splits == NULL)
    splits = g_hash_table_new (NULL, NULL);
  split = g_hash_table_lookup (splits, regex);
  if (split == NULL)
    {
      split = bounce_alternation_new (regex);
      g_hash_table_insert (splits, regex, split);
    }
  G_UNLOCK (splits);
  return split;
}

/* (asked for at each match over length bytes: each counts towards the
 * JIT) */
static GRegex *
whole_regex (BounceAlternation *split,
             gsize  length)
{
  return bounce_regex_once_for (&split->whole, split->pattern, split->flags, length);
}

/* Alternative i compiled without the JIT, or NULL when it does not
 * compile alone (then the regex is matched whole). */
static GRegex *
part_plain (BounceAlternation *split,
            guint              i)
{
  GRegex *regex = g_atomic_pointer_get (&split->parts[i].plain);

  if (regex == NULL)
    {
      regex = g_regex_new (split->pieces[i], split->flags, split->match_flags, NULL);
      if (regex == NULL)
        return NULL;
      if (!g_atomic_pointer_compare_and_exchange (&split->parts[i].plain, NULL, regex))
        {
          g_regex_unref (regex);
          regex = g_atomic_pointer_get (&split->parts[i].plain);
        }
    }
  return regex;
}

/* (asked for at each search over length bytes: each counts towards the
 * JIT; the alternative compiled already, by part_plain()) */
static GRegex *
part_regex (BounceAlternation *split,
            guint              i,
            gsize              length)
{
  return bounce_regex_once_for (&split->parts[i], split->pieces[i], split->flags, length);
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

/* FALSE when alternative i does not compile alone. */
static gboolean
search_part (BounceAlternation *split,
             guint              i,
             const char        *text,
             gsize              from,
             gsize              end,
             Next              *next)
{
  GRegex *plain = part_plain (split, i);

  if (plain == NULL)
    return FALSE;
  /* (anchored matches gain little from the JIT: the plain regex always) */
  if (split->after[i] != NULL)
    search_after (plain, split->after[i], text, from, end, next);
  else
    search (part_regex (split, i, end > from ? end - from : 0), text, from, end, next);
  return TRUE;
}

struct _BounceAlternationIter
{
  BounceAlternation *split;
  const char *text;
  gsize start;
  gsize end;
  Next *next;          /* per alternative, its next match; NULL: matched whole */
  guint given;         /* the matches given so far */
  GMatchInfo *info;    /* matching whole: the regex's, once started */
  gboolean done;
};

BounceAlternationIter *
bounce_alternation_iter_new (BounceAlternation *split,
                             const char        *text,
                             gsize              start,
                             gsize              end,
                             const guint8      *alive)
{
  BounceAlternationIter *iter;

  g_return_val_if_fail (split != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  iter = g_new0 (BounceAlternationIter, 1);
  iter->split = split;
  iter->text = text;
  iter->start = start;
  iter->end = end;
  iter->done = end <= start;
  if (split->parts == NULL || iter->done)
    return iter;
  /* An alternative that cannot match has no next match: it is never
   * searched. */
  iter->next = g_new0 (Next, split->n);
  for (guint i = 0; i < split->n && iter->next != NULL; i++)
    if ((alive == NULL || alive[i]) && !search_part (split, i, text, start, end, &iter->next[i]))
      g_clear_pointer (&iter->next, g_free);
  return iter;
}

void
bounce_alternation_iter_free (BounceAlternationIter *iter)
{
  if (iter == NULL)
    return;
  g_clear_pointer (&iter->info, g_match_info_free);
  g_free (iter->next);
  g_free (iter);
}

/* The next match of the whole regex, the first one after skipping those
 * given already when it starts. */
static gboolean
next_whole (BounceAlternationIter *iter,
            BounceSpan            *span)
{
  int s, e;

  if (iter->info == NULL)
    {
      GRegex *regex = whole_regex (iter->split, iter->end - iter->start);

      g_regex_match_full (regex, iter->text, iter->end, iter->start, 0, &iter->info, NULL);
      for (guint i = 0; i < iter->given && g_match_info_matches (iter->info); i++)
        g_match_info_next (iter->info, NULL);
    }
  else
    g_match_info_next (iter->info, NULL);
  if (!g_match_info_matches (iter->info) || !g_match_info_fetch_pos (iter->info, 0, &s, &e))
    return FALSE;
  span->start = s;
  span->end = e;
  return TRUE;
}

gboolean
bounce_alternation_iter_next (BounceAlternationIter *iter,
                              BounceSpan            *span)
{
  BounceAlternation *split;
  int best = -1;

  g_return_val_if_fail (iter != NULL && span != NULL, FALSE);

  if (iter->done)
    return FALSE;
  split = iter->split;
  if (iter->next != NULL)
    {
      for (guint i = 0; i < split->n; i++)
        {
          if (iter->next[i].found && (best < 0 || iter->next[i].start < iter->next[best].start))
            best = i;
        }
      if (best < 0)
        {
          iter->done = TRUE;
          return FALSE;
        }
      /* after an empty match the regex goes on in a way of its own: it is
       * matched whole from there (the matches before are the same) */
      if (iter->next[best].end <= iter->next[best].start)
        g_clear_pointer (&iter->next, g_free);
    }
  if (iter->next == NULL)
    {
      if (!next_whole (iter, span))
        {
          iter->done = TRUE;
          return FALSE;
        }
      iter->given++;
      return TRUE;
    }
  span->start = iter->next[best].start;
  span->end = iter->next[best].end;
  iter->given++;
  for (guint i = 0; i < split->n; i++)
    {
      /* (an alternative searched once compiles) */
      if (iter->next[i].found && iter->next[i].start < span->end)
        search_part (split, i, iter->text, span->end, iter->end, &iter->next[i]);
    }
  return TRUE;
}

void
bounce_alternation_match_all (GRegex     *regex,
                              const char *text,
                              gsize       start,
                              gsize       end,
                              GArray     *spans)
{
  BounceAlternationIter *iter;
  BounceSpan span;

  g_return_if_fail (regex != NULL);
  g_return_if_fail (text != NULL);
  g_return_if_fail (spans != NULL);

  iter = bounce_alternation_iter_new (get_split (regex), text, start, end, NULL);
  while (bounce_alternation_iter_next (iter, &span))
    g_array_append_val (spans, span);
  bounce_alternation_iter_free (iter);
}
