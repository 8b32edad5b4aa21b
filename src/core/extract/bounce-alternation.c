/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-alternation.h"
#include "bounce-extract.h"
#include "bounce-pattern.h"

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

          /* only groups, look-ahead and look-behind, and groups with
           * options of their own ("(?-i:...)", which end with the group):
           * no options that go on after it ("(?i)", which PCRE carries
           * into the next alternatives), verbs, named groups, conditions,
           * recursion or callouts; no extended mode, whose comments could
           * hold a '|' or a ')' */
          if (left >= 1 && rest[0] == '*')
            return FALSE;
          if (left >= 1 && rest[0] == '?' &&
              !(left >= 2 && strchr (":=!", rest[1]) != NULL) &&
              !(left >= 3 && rest[1] == '<' && (rest[2] == '=' || rest[2] == '!')))
            {
              gsize k = 1;

              while (k < left && strchr ("imsU-", rest[k]) != NULL && rest[k] != '\0')
                k++;
              if (k == 1 || k >= left || rest[k] != ':')
                return FALSE;
            }
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

/* -- what an alternative's matches must hold -------------------------------
 *
 * An alternative of a case-sensitive regex is often a few letters and a
 * shape ("IB[0-9]{3}", "CX(?:BL|DNS)"): every match holds one of a few
 * strings ("IB0" ... "IB9"; "CXBL" or "CXDNS"), which bounce-pattern.h
 * reads.  A text without any of them has no match, and the alternative is
 * then neither compiled nor searched: in a run on one bounce, compiling the
 * providers' thirteen token shapes cost more instructions than the rest of
 * the token search. */

GStrv
bounce_alternation_needles (const char         *piece,
                            GRegexCompileFlags  flags)
{
  g_autoptr(GPtrArray) sets = NULL;
  GStrv out;

  g_return_val_if_fail (piece != NULL, NULL);

  if ((flags & (G_REGEX_CASELESS | G_REGEX_EXTENDED)) != 0)
    return NULL;
  sets = bounce_pattern_required (piece, (flags & G_REGEX_RAW) != 0 ? BOUNCE_PATTERN_RAW : BOUNCE_PATTERN_DEFAULT);
  if (sets == NULL)
    return NULL;
  /* (one string a set: every match holds one of them) */
  out = g_new0 (char *, sets->len + 1);
  for (guint i = 0; i < sets->len; i++)
    out[i] = g_strdup (g_ptr_array_index ((GPtrArray *) sets->pdata[i], 0));
  return out;
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
  /* the strings one of which each match of an alternative holds
   * (bounce_alternation_needles()), all alternatives' together, sorted by
   * their first byte: those of byte b are needle[bucket[b], bucket[b + 1]) */
  guint8 *guarded;        /* per alternative: whether it has any; NULL: none has */
  GStrv *needle_sets;     /* per alternative: its needles, or NULL */
  guint *bucket;          /* 257 */
  const char **needle;
  gsize *needle_len;
  guint *needle_alt;
  guint16 *needle_head;   /* each needle's first two bytes (it has two at least) */
  guint8 *head_byte;      /* 256: whether a byte is the first or second of a needle */
  guint8 *head_bits;      /* 65536 bits: whether two bytes are a needle's first two */
  gsize guard_done;       /* (g_once) */
};

/* Files each alternative's needles by their first byte. */
static void
guard_alternatives (BounceAlternation *split,
                    GStrv             *given)
{
  GStrv *sets = given != NULL ? given : g_new0 (GStrv, split->n);
  guint total = 0;

  for (guint i = 0; i < split->n; i++)
    {
      if (given == NULL)
        sets[i] = bounce_alternation_needles (split->pieces[i], split->flags);
      total += sets[i] != NULL ? g_strv_length (sets[i]) : 0;
    }
  if (total > 0)
    {
      guint *fill;

      split->needle_sets = sets;
      split->guarded = g_new0 (guint8, split->n);
      split->bucket = g_new0 (guint, 257);
      split->needle = g_new (const char *, total);
      split->needle_len = g_new (gsize, total);
      split->needle_alt = g_new (guint, total);
      split->needle_head = g_new (guint16, total);
      split->head_byte = g_new0 (guint8, 256);
      split->head_bits = g_new0 (guint8, 65536 / 8);
      for (guint i = 0; i < split->n; i++)
        for (guint k = 0; sets[i] != NULL && sets[i][k] != NULL; k++)
          split->bucket[(guchar) sets[i][k][0] + 1]++;
      for (guint b = 0; b < 256; b++)
        split->bucket[b + 1] += split->bucket[b];
      /* (in order of alternatives within a byte's) */
      fill = g_memdup2 (split->bucket, 257 * sizeof (guint));
      for (guint i = 0; i < split->n; i++)
        for (guint k = 0; sets[i] != NULL && sets[i][k] != NULL; k++)
          {
            guint at = fill[(guchar) sets[i][k][0]]++;

            split->needle[at] = sets[i][k];
            split->needle_len[at] = strlen (sets[i][k]);
            split->needle_alt[at] = i;
            split->needle_head[at] = (guint16) (((guchar) sets[i][k][0] << 8) | (guchar) sets[i][k][1]);
            split->head_byte[(guchar) sets[i][k][0]] = 1;
            split->head_byte[(guchar) sets[i][k][1]] = 1;
            split->head_bits[split->needle_head[at] >> 3] |= 1 << (split->needle_head[at] & 7);
            split->guarded[i] = 1;
          }
      g_free (fill);
    }
  else
    {
      for (guint i = 0; i < split->n; i++)
        g_strfreev (sets[i]);
      g_free (sets);
    }
}

/* The needles filed, once (when first searched, or as given). */
static void
ensure_guard (BounceAlternation *split,
              GStrv             *given)
{
  if (g_once_init_enter (&split->guard_done))
    {
      guard_alternatives (split, given);
      g_once_init_leave (&split->guard_done, 1);
    }
  else if (given != NULL)
    {
      for (guint i = 0; i < split->n; i++)
        g_strfreev (given[i]);
      g_free (given);
    }
}

void
bounce_alternation_set_needles (BounceAlternation *split,
                                GStrv             *needles)
{
  g_return_if_fail (split != NULL);
  if (split->n == 0)
    {
      g_free (needles);
      return;
    }
  ensure_guard (split, needles);
}

/* Whether a needle starts with the bytes a, b. */
static inline gboolean
is_head (BounceAlternation *split,
         guchar             a,
         guchar             b)
{
  guint head = (a << 8) | b;

  return (split->head_bits[head >> 3] >> (head & 7)) & 1;
}

/* Marks the alternatives whose needles start at text[p] (p + 1 < end). */
static inline void
guard_at (BounceAlternation *split,
          const char        *text,
          gsize              p,
          gsize              end,
          guint8            *possible,
          guint             *left)
{
  guchar c = (guchar) text[p];
  guint k = split->bucket[c], stop = split->bucket[c + 1];
  guint16 head;

  if (k == stop)
    return;
  head = (guint16) ((c << 8) | (guchar) text[p + 1]);
  for (; k < stop; k++)
    {
      guint alt = split->needle_alt[k];

      if (split->needle_head[k] == head && !possible[alt] && split->needle_len[k] <= end - p &&
          memcmp (text + p + 2, split->needle[k] + 2, split->needle_len[k] - 2) == 0)
        {
          possible[alt] = 1;
          (*left)--;
        }
    }
}

/* possible[i]: 0 for an alternative with needles none of which is in
 * text[start, end), so that it has no match there; else 1.  One pass over
 * the text, which ends once every alternative with needles has one. */
static void
guard_scan (BounceAlternation *split,
            const char        *text,
            gsize              start,
            gsize              end,
            guint8            *possible)
{
  guint left = 0;

  for (guint i = 0; i < split->n; i++)
    {
      possible[i] = !split->guarded[i];
      left += split->guarded[i];
    }
  /* A needle has two bytes at least: one that starts at p has its first
   * byte at p and its second at p + 1.  So every other byte q is read,
   * and only where it is the first or second byte of a needle are the
   * needles tried at q - 1 and at q, where the two bytes there start one
   * (in the order of the text, as reading every byte would). */
  for (gsize q = start + 1; q < end && left > 0; q += 2)
    {
      guchar b = (guchar) text[q];

      if (!split->head_byte[b])
        continue;
      if (is_head (split, (guchar) text[q - 1], b))
        guard_at (split, text, q - 1, end, possible, &left);
      if (q + 1 < end && left > 0 && is_head (split, b, (guchar) text[q + 1]))
        guard_at (split, text, q, end, possible, &left);
    }
}

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
  /* (the needles are read from the pieces when first searched, unless
   * given before: bounce_alternation_set_needles()) */
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
  if (self->guarded != NULL)
    {
      for (guint i = 0; i < self->n; i++)
        g_strfreev (self->needle_sets[i]);
      g_free (self->needle_sets);
      g_free (self->guarded);
      g_free (self->bucket);
      g_free (self->needle);
      g_free (self->needle_len);
      g_free (self->needle_alt);
      g_free (self->needle_head);
      g_free (self->head_byte);
      g_free (self->head_bits);
    }
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

guint
bounce_alternation_get_n_compiled (BounceAlternation *self)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);
  for (guint i = 0; i < self->n; i++)
    n += g_atomic_pointer_get (&self->parts[i].plain) != NULL;
  return n;
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
  BounceSpan group;   /* its first capturing group that took part; [0, 0): none */
} Next;

/* The span of the first capturing group that took part in info's match:
 * in the whole regex, that of the alternative that matched (the others'
 * groups are unset), the same as that alternative's own first group that
 * took part when it is searched alone. */
static BounceSpan
first_group (GMatchInfo *info)
{
  int n = g_match_info_get_match_count (info);

  for (int group = 1; group < n; group++)
    {
      int s, e;

      if (g_match_info_fetch_pos (info, group, &s, &e) && s >= 0)
        return (BounceSpan) { s, e };
    }
  return (BounceSpan) { 0, 0 };
}

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
      next->group = first_group (info);
    }
}

/* As search(), for an alternative whose matches come right after the
 * characters after (its look-behind): each place they end, from the first
 * that ends at or after from, is tried in turn, anchored. */
static gboolean
search_after (BounceAlternation *split,
              guint              i,
              const char        *text,
              gsize              from,
              gsize              end,
              Next              *next)
{
  const char *after = split->after[i];
  gsize n = strlen (after);
  gsize at = from >= n ? from - n : 0;

  next->found = FALSE;
  if (from > end)
    return TRUE;
  while (at + n <= end)
    {
      const char *hit = memchr (text + at, after[0], end - n + 1 - at);
      gsize p;

      if (hit == NULL)
        return TRUE;
      at = hit - text;
      p = at + n;
      if (memcmp (hit, after, n) == 0)
        {
          g_autoptr(GMatchInfo) info = NULL;
          /* (compiled once the characters are found: until then it is not
           * needed) */
          GRegex *part = part_plain (split, i);
          int s, e;

          if (part == NULL)
            return FALSE;
          if (g_regex_match_full (part, text, end, p, G_REGEX_MATCH_ANCHORED, &info, NULL) &&
              g_match_info_fetch_pos (info, 0, &s, &e))
            {
              next->found = TRUE;
              next->start = s;
              next->end = e;
              next->group = first_group (info);
              return TRUE;
            }
        }
      at++;
    }
  return TRUE;
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
  /* (anchored matches gain little from the JIT: the plain regex always) */
  if (split->after[i] != NULL)
    return search_after (split, i, text, from, end, next);
  if (part_plain (split, i) == NULL)
    return FALSE;
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
  gboolean resume;     /* the alternatives' matches that start before the
                        * end of the last match given are still to be
                        * searched again, from there (when the next match
                        * is asked for: a caller that wants only the first
                        * is spared it) */
  gsize last_end;
};

BounceAlternationIter *
bounce_alternation_iter_new (BounceAlternation *split,
                             const char        *text,
                             gsize              start,
                             gsize              end,
                             const guint8      *alive)
{
  BounceAlternationIter *iter;
  g_autofree guint8 *possible = NULL;

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
  /* An alternative that cannot match (its words are not there, or none of
   * its needles) has no next match: it is never searched. */
  iter->next = g_new0 (Next, split->n);
  ensure_guard (split, NULL);
  if (split->guarded != NULL)
    {
      possible = g_new (guint8, split->n);
      guard_scan (split, text, start, end, possible);
    }
  for (guint i = 0; i < split->n && iter->next != NULL; i++)
    if ((alive == NULL || alive[i]) && (possible == NULL || possible[i]) &&
        !search_part (split, i, text, start, end, &iter->next[i]))
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
            BounceSpan            *span,
            BounceSpan            *group)
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
  *group = first_group (iter->info);
  return TRUE;
}

gboolean
bounce_alternation_iter_next_group (BounceAlternationIter *iter,
                                    BounceSpan            *span,
                                    BounceSpan            *group)
{
  BounceAlternation *split;
  BounceSpan unused;
  int best = -1;

  g_return_val_if_fail (iter != NULL && span != NULL, FALSE);

  if (group == NULL)
    group = &unused;
  if (iter->done)
    return FALSE;
  split = iter->split;
  if (iter->next != NULL && iter->resume)
    {
      for (guint i = 0; i < split->n; i++)
        {
          /* (an alternative searched once compiles) */
          if (iter->next[i].found && iter->next[i].start < iter->last_end)
            search_part (split, i, iter->text, iter->last_end, iter->end, &iter->next[i]);
        }
      iter->resume = FALSE;
    }
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
      if (!next_whole (iter, span, group))
        {
          iter->done = TRUE;
          return FALSE;
        }
      iter->given++;
      return TRUE;
    }
  span->start = iter->next[best].start;
  span->end = iter->next[best].end;
  *group = iter->next[best].group;
  iter->given++;
  iter->resume = TRUE;
  iter->last_end = span->end;
  return TRUE;
}

gboolean
bounce_alternation_iter_next (BounceAlternationIter *iter,
                              BounceSpan            *span)
{
  return bounce_alternation_iter_next_group (iter, span, NULL);
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
