/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-literal.h"
#include "bounce-prefilter.h"

/* Words shorter than this say too little to be worth filing. */
#define MIN_WORD 3

/* -- reading a pattern ---------------------------------------------------- */

/* What a pattern certainly needs: NULL (nothing known), or words any one of
 * which is in every match. */
typedef GPtrArray Need;

typedef struct {
  const char *p;
  const char *end;
  gboolean give_up;   /* a construct not understood: the rule is always tried */
} Reader;

typedef enum { QUANT_NONE, QUANT_OPTIONAL, QUANT_REQUIRED } Quant;

static void
need_free (Need *need)
{
  if (need != NULL)
    g_ptr_array_unref (need);
}

static Need *
need_of_word (const char *word,
              gsize       len)
{
  Need *need = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (need, g_strndup (word, len));
  return need;
}

static gsize
need_min_length (Need *need)
{
  gsize min = G_MAXSIZE;

  for (guint i = 0; i < need->len; i++)
    min = MIN (min, strlen (need->pdata[i]));
  return min;
}

/* Keeps the better of *best and candidate (longer shortest word, then fewer
 * words); frees the other. */
static void
keep_better (Need **best,
             Need  *candidate)
{
  if (candidate == NULL)
    return;
  if (*best == NULL ||
      need_min_length (candidate) > need_min_length (*best) ||
      (need_min_length (candidate) == need_min_length (*best) && candidate->len < (*best)->len))
    {
      need_free (*best);
      *best = candidate;
      return;
    }
  need_free (candidate);
}

/* A quantifier after an atom, consumed with its lazy or possessive mark. */
static Quant
read_quantifier (Reader *r)
{
  Quant q = QUANT_NONE;

  if (r->p >= r->end)
    return QUANT_NONE;
  if (*r->p == '?' || *r->p == '*')
    {
      q = QUANT_OPTIONAL;
      r->p++;
    }
  else if (*r->p == '+')
    {
      q = QUANT_REQUIRED;
      r->p++;
    }
  else if (*r->p == '{')
    {
      const char *s = r->p + 1;
      guint min = 0;
      gboolean digits = FALSE;

      while (s < r->end && *s == ' ')
        s++;
      while (s < r->end && g_ascii_isdigit (*s))
        {
          min = MIN (min * 10 + (guint) (*s - '0'), 1000000u);
          digits = TRUE;
          s++;
        }
      while (s < r->end && (g_ascii_isdigit (*s) || *s == ',' || *s == ' '))
        s++;
      if (s >= r->end || *s != '}' || (!digits && s == r->p + 1))
        return QUANT_NONE;   /* a literal '{', read as an atom next */
      /* ({,n} counts as optional, whichever way PCRE reads it) */
      q = min == 0 ? QUANT_OPTIONAL : QUANT_REQUIRED;
      r->p = s + 1;
    }
  if (q != QUANT_NONE && r->p < r->end && (*r->p == '?' || *r->p == '+'))
    r->p++;
  return q;
}

/* Skips from an opening byte to its closer; FALSE when there is none. */
static gboolean
skip_to (Reader *r,
         char    closer)
{
  const char *close = memchr (r->p, closer, r->end - r->p);

  if (close == NULL)
    return FALSE;
  r->p = close + 1;
  return TRUE;
}

/* An escape other than a quoted punctuation mark: \b \d \x{41} \p{L} ... */
static void
skip_escape_letter (Reader *r,
                    char    letter)
{
  switch (letter)
    {
    case 'Q':   /* \Q...\E quotes: not followed here */
      r->give_up = TRUE;
      return;
    case 'x':
      if (r->p < r->end && *r->p == '{')
        r->give_up |= !skip_to (r, '}');
      else
        for (int n = 0; n < 2 && r->p < r->end && g_ascii_isxdigit (*r->p); n++)
          r->p++;
      return;
    case 'o':
    case 'N':
      if (r->p < r->end && *r->p == '{')
        r->give_up |= !skip_to (r, '}');
      return;
    case 'p':
    case 'P':
      if (r->p < r->end && *r->p == '{')
        r->give_up |= !skip_to (r, '}');
      else if (r->p < r->end)
        r->p++;
      return;
    case 'c':
      if (r->p < r->end)
        r->p++;
      return;
    case 'g':
    case 'k':
      if (r->p < r->end && *r->p == '{')
        r->give_up |= !skip_to (r, '}');
      else if (r->p < r->end && *r->p == '<')
        r->give_up |= !skip_to (r, '>');
      else if (r->p < r->end && *r->p == '\'')
        {
          r->p++;
          r->give_up |= !skip_to (r, '\'');
        }
      else
        while (r->p < r->end && (g_ascii_isdigit (*r->p) || *r->p == '-' || *r->p == '+'))
          r->p++;
      return;
    default:
      if (g_ascii_isdigit (letter))
        while (r->p < r->end && g_ascii_isdigit (*r->p))
          r->p++;
      return;
    }
}

/* A character class, from after its '['. */
static void
skip_class (Reader *r)
{
  if (r->p < r->end && *r->p == '^')
    r->p++;
  if (r->p < r->end && *r->p == ']')
    r->p++;
  while (r->p < r->end && *r->p != ']')
    {
      if (*r->p == '\\')
        r->p += 2;
      else if (*r->p == '[' && r->p + 1 < r->end && r->p[1] == ':')
        {
          const char *close = g_strstr_len (r->p + 2, r->end - r->p - 2, ":]");

          r->p = close != NULL ? close + 2 : r->p + 1;
        }
      else
        r->p++;
    }
  if (r->p >= r->end)
    r->give_up = TRUE;
  else
    r->p++;
}

static Need *read_alternation (Reader *r);

/* A group, from after its '('; what it needs, or NULL. */
static Need *
read_group (Reader *r)
{
  gboolean keep = TRUE;
  Need *need;

  if (r->p < r->end && *r->p == '*')
    {
      r->give_up = TRUE;   /* (*VERB) */
      return NULL;
    }
  if (r->p < r->end && *r->p == '?')
    {
      const char *s = ++r->p;

      if (s < r->end && *s == '#')
        {
          r->give_up |= !skip_to (r, ')');
          return NULL;
        }
      if (s < r->end && (*s == '=' || *s == '!'))
        {
          r->p++;
          keep = FALSE;   /* a lookahead asks nothing of the match itself */
        }
      else if (s + 1 < r->end && *s == '<' && (s[1] == '=' || s[1] == '!'))
        {
          r->p += 2;
          keep = FALSE;
        }
      else if (s < r->end && (*s == ':' || *s == '>' || *s == '|'))
        r->p++;
      else if (s < r->end && (*s == '<' || *s == '\''))
        r->give_up |= !skip_to (r, *s == '<' ? '>' : '\'');
      else if (s + 1 < r->end && *s == 'P' && s[1] == '<')
        r->give_up |= !skip_to (r, '>');
      else
        {
          /* option letters: (?i) sets them, (?i:...) is a group */
          while (r->p < r->end && (g_ascii_isalpha (*r->p) || *r->p == '-' || *r->p == '^'))
            {
              if (*r->p == 'x' || *r->p == 'P' || *r->p == 'R')
                r->give_up = TRUE;   /* extended syntax, recursion */
              r->p++;
            }
          if (r->p < r->end && *r->p == ')' && !r->give_up)
            {
              r->p++;
              return NULL;
            }
          if (r->p >= r->end || *r->p != ':' || r->p == s)
            {
              r->give_up = TRUE;   /* conditions, recursion, callouts */
              return NULL;
            }
          r->p++;
        }
      if (r->give_up)
        return NULL;
    }
  need = read_alternation (r);
  if (r->p >= r->end || *r->p != ')')
    {
      r->give_up = TRUE;
      need_free (need);
      return NULL;
    }
  r->p++;
  if (!keep)
    {
      need_free (need);
      return NULL;
    }
  return need;
}

/* One alternative: the best of the words and groups it certainly needs. */
static Need *
read_sequence (Reader *r)
{
  Need *best = NULL;
  GString *run = g_string_new (NULL);

#define END_RUN() G_STMT_START { \
    if (run->len >= MIN_WORD) keep_better (&best, need_of_word (run->str, run->len)); \
    g_string_truncate (run, 0); \
  } G_STMT_END

  while (r->p < r->end && !r->give_up && *r->p != '|' && *r->p != ')')
    {
      guchar c = (guchar) *r->p;

      if (g_ascii_isalnum (c))
        {
          r->p++;
          switch (read_quantifier (r))
            {
            case QUANT_NONE:
              g_string_append_c (run, g_ascii_tolower (c));
              break;
            case QUANT_REQUIRED:
              g_string_append_c (run, g_ascii_tolower (c));
              END_RUN ();
              break;
            case QUANT_OPTIONAL:
            default:
              END_RUN ();
              break;
            }
          continue;
        }
      END_RUN ();
      if (c == '(')
        {
          Need *group;

          r->p++;
          group = read_group (r);
          if (read_quantifier (r) == QUANT_OPTIONAL)
            g_clear_pointer (&group, need_free);
          keep_better (&best, group);
          continue;
        }
      if (c == '\\')
        {
          char letter = r->p + 1 < r->end ? r->p[1] : '\\';

          r->p = MIN (r->p + 2, r->end);
          if (g_ascii_isalnum (letter))
            skip_escape_letter (r, letter);
          else if ((guchar) letter >= 0x80)
            while (r->p < r->end && ((guchar) *r->p & 0xc0) == 0x80)
              r->p++;
        }
      else if (c == '[')
        {
          r->p++;
          skip_class (r);
        }
      else
        {
          /* any other character: a literal that is no word, or . ^ $ */
          r->p++;
          if (c >= 0x80)
            while (r->p < r->end && ((guchar) *r->p & 0xc0) == 0x80)
              r->p++;
        }
      read_quantifier (r);
    }
  END_RUN ();
#undef END_RUN
  g_string_free (run, TRUE);
  return best;
}

/* Alternatives: each must give words, and any of them will do. */
static Need *
read_alternation (Reader *r)
{
  Need *all = g_ptr_array_new_with_free_func (g_free);
  gboolean complete = TRUE;

  for (;;)
    {
      Need *one = read_sequence (r);

      if (one == NULL)
        complete = FALSE;
      else
        {
          for (guint i = 0; i < one->len; i++)
            g_ptr_array_add (all, g_strdup (one->pdata[i]));
          need_free (one);
        }
      if (r->give_up || r->p >= r->end || *r->p != '|')
        break;
      r->p++;
    }
  if (!complete || r->give_up)
    {
      need_free (all);
      return NULL;
    }
  return all;
}

GStrv
bounce_prefilter_words (const char *pattern)
{
  Reader r = { pattern, pattern + strlen (pattern), FALSE };
  Need *need;
  GStrv words;

  need = read_alternation (&r);
  if (need == NULL || r.give_up || r.p != r.end)
    {
      need_free (need);
      return NULL;
    }
  words = g_new0 (char *, need->len + 1);
  for (guint i = 0; i < need->len; i++)
    words[i] = g_strdup (need->pdata[i]);
  need_free (need);
  return words;
}

/* -- the filter ----------------------------------------------------------- */

/* One word and the rules that need it. */
typedef struct {
  BounceLiteral *literal;
  GArray *rules;           /* guint rule numbers */
} Word;

struct _BouncePrefilter
{
  GHashTable *words;       /* word -> Word */
  GArray *always;          /* guint: rules without words */
  guint n_rules;
  BounceLiteralIndex *index;   /* the words, found anywhere */
};

static void
word_free (Word *word)
{
  bounce_literal_free (word->literal);
  g_array_unref (word->rules);
  g_free (word);
}

BouncePrefilter *
bounce_prefilter_new (void)
{
  BouncePrefilter *self = g_new0 (BouncePrefilter, 1);

  self->words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) word_free);
  self->always = g_array_new (FALSE, FALSE, sizeof (guint));
  self->index = bounce_literal_index_new ();
  return self;
}

void
bounce_prefilter_free (BouncePrefilter *self)
{
  if (self == NULL)
    return;
  bounce_literal_index_free (self->index);
  g_hash_table_unref (self->words);
  g_array_unref (self->always);
  g_free (self);
}

gboolean
bounce_prefilter_add (BouncePrefilter *self,
                      guint            rule,
                      const char      *pattern)
{
  g_auto(GStrv) words = NULL;

  self->n_rules = MAX (self->n_rules, rule + 1);
  words = pattern != NULL ? bounce_prefilter_words (pattern) : NULL;
  if (words == NULL)
    {
      g_array_append_val (self->always, rule);
      return FALSE;
    }
  for (guint i = 0; words[i] != NULL; i++)
    {
      Word *word = g_hash_table_lookup (self->words, words[i]);

      if (word == NULL)
        {
          word = g_new0 (Word, 1);
          word->literal = bounce_literal_new_anywhere (words[i]);
          word->rules = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (self->words, g_strdup (words[i]), word);
        }
      if (word->rules->len == 0 || g_array_index (word->rules, guint, word->rules->len - 1) != rule)
        g_array_append_val (word->rules, rule);
    }
  return TRUE;
}

void
bounce_prefilter_build (BouncePrefilter *self)
{
  GHashTableIter iter;
  Word *word;

  g_hash_table_iter_init (&iter, self->words);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &word))
    bounce_literal_index_add (self->index, word->literal, word);
  bounce_literal_index_build (self->index);
}

static void
mark_rules (gpointer             owner,
            const BounceLiteral *literal,
            gsize                length,
            gpointer             data)
{
  Word *word = owner;
  guint8 *candidates = data;

  for (guint k = 0; k < word->rules->len; k++)
    candidates[g_array_index (word->rules, guint, k)] = 1;
}

void
bounce_prefilter_scan (BouncePrefilter *self,
                       const char      *folded,
                       gsize            len,
                       guint8          *candidates)
{
  for (guint i = 0; i < self->always->len; i++)
    candidates[g_array_index (self->always, guint, i)] = 1;
  /* A long s (U+017F) matches "s" in a caseless pattern but does not fold
   * to it: every rule is tried. */
  if (g_strstr_len (folded, len, "\xc5\xbf") != NULL)
    {
      memset (candidates, 1, self->n_rules);
      return;
    }
  bounce_literal_index_scan (self->index, folded, len, mark_rules, candidates);
}
