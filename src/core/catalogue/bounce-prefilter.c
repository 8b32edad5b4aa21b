/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-literal.h"
#include "bounce-compiled.h"
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
  GArray *rules;           /* guint32 rule numbers */
} Word;

struct _BouncePrefilter
{
  /* while rules are added */
  GHashTable *word_index;  /* word -> its number + 1 */
  GPtrArray *words;        /* Word, in the order first seen */
  GArray *always;          /* guint32: rules without words */
  guint n_rules;
  gboolean built;

  /* once built, or read from a compiled catalogue (then pointing into it) */
  GVariant *compiled;
  BounceLiteralIndex *index;   /* the words, found anywhere; owner: word number */
  const guint32 *rule_start;   /* words + 1 offsets into rule_list */
  const guint32 *rule_list;    /* each word's rules */
  guint n_words;
  const guint32 *always_v;
  guint n_always;
  guint32 *owned[2];           /* rule_start and rule_list as build made them */
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

  self->word_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->words = g_ptr_array_new_with_free_func ((GDestroyNotify) word_free);
  self->always = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->index = bounce_literal_index_new ();
  return self;
}

void
bounce_prefilter_free (BouncePrefilter *self)
{
  if (self == NULL)
    return;
  /* (the index first: it points to the words' literals) */
  g_clear_pointer (&self->index, bounce_literal_index_free);
  g_clear_pointer (&self->word_index, g_hash_table_unref);
  g_clear_pointer (&self->words, g_ptr_array_unref);
  g_clear_pointer (&self->always, g_array_unref);
  g_free (self->owned[0]);
  g_free (self->owned[1]);
  g_clear_pointer (&self->compiled, g_variant_unref);
  g_free (self);
}

gboolean
bounce_prefilter_add (BouncePrefilter *self,
                      guint            rule,
                      const char      *pattern)
{
  g_auto(GStrv) words = NULL;
  guint32 r = rule;

  g_return_val_if_fail (!self->built, FALSE);
  self->n_rules = MAX (self->n_rules, rule + 1);
  words = pattern != NULL ? bounce_prefilter_words (pattern) : NULL;
  if (words == NULL)
    {
      g_array_append_val (self->always, r);
      return FALSE;
    }
  for (guint i = 0; words[i] != NULL; i++)
    {
      guint number = GPOINTER_TO_UINT (g_hash_table_lookup (self->word_index, words[i]));
      Word *word;

      if (number == 0)
        {
          word = g_new0 (Word, 1);
          word->literal = bounce_literal_new_anywhere (words[i]);
          word->rules = g_array_new (FALSE, FALSE, sizeof (guint32));
          g_ptr_array_add (self->words, word);
          number = self->words->len;
          g_hash_table_insert (self->word_index, g_strdup (words[i]), GUINT_TO_POINTER (number));
        }
      word = self->words->pdata[number - 1];
      if (word->rules->len == 0 || g_array_index (word->rules, guint32, word->rules->len - 1) != r)
        g_array_append_val (word->rules, r);
    }
  return TRUE;
}

/* Files the words in the literal index and lays each word's rules end to
 * end: what scan reads, and what a compiled catalogue holds as it is. */
void
bounce_prefilter_build (BouncePrefilter *self)
{
  guint n = self->words->len, n_listed = 0;

  g_return_if_fail (!self->built);
  for (guint i = 0; i < n; i++)
    n_listed += ((Word *) self->words->pdata[i])->rules->len;
  self->owned[0] = g_new (guint32, n + 1);
  self->owned[1] = g_new (guint32, MAX (n_listed, 1));
  n_listed = 0;
  for (guint i = 0; i < n; i++)
    {
      Word *word = self->words->pdata[i];

      if (word->literal != NULL)
        bounce_literal_index_add (self->index, word->literal, i);
      self->owned[0][i] = n_listed;
      memcpy (self->owned[1] + n_listed, word->rules->data, word->rules->len * sizeof (guint32));
      n_listed += word->rules->len;
    }
  self->owned[0][n] = n_listed;
  bounce_literal_index_build (self->index);
  self->rule_start = self->owned[0];
  self->rule_list = self->owned[1];
  self->n_words = n;
  self->always_v = (const guint32 *) (gpointer) self->always->data;
  self->n_always = self->always->len;
  self->built = TRUE;
}

#define PREFILTER_VARIANT_TYPE "(uauauauv)"

GVariant *
bounce_prefilter_to_variant (BouncePrefilter *self)
{
  g_return_val_if_fail (self->built, NULL);
  return g_variant_new ("(u@au@au@auv)", self->n_rules,
                        bounce_u32_array_to_variant (self->rule_start, self->n_words + 1),
                        bounce_u32_array_to_variant (self->rule_list, self->rule_start[self->n_words]),
                        bounce_u32_array_to_variant (self->always_v, self->n_always),
                        bounce_literal_index_to_variant (self->index));
}

static gboolean
all_below (const guint32 *values,
           gsize          n,
           guint32        limit)
{
  for (gsize i = 0; i < n; i++)
    if (values[i] >= limit)
      return FALSE;
  return TRUE;
}

BouncePrefilter *
bounce_prefilter_new_from_variant (GVariant *variant)
{
  BouncePrefilter *self;
  g_autoptr(GVariant) boxed = NULL;
  g_autoptr(GVariant) index = NULL;
  gsize n_starts = 0, n_list = 0, n_always = 0;
  gboolean ok;

  g_return_val_if_fail (variant != NULL, NULL);
  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (PREFILTER_VARIANT_TYPE)))
    return NULL;
  self = g_new0 (BouncePrefilter, 1);
  self->compiled = g_variant_ref_sink (variant);
  self->built = TRUE;
  g_variant_get_child (variant, 0, "u", &self->n_rules);
  self->rule_start = bounce_u32_array_get (variant, 1, &n_starts);
  self->rule_list = bounce_u32_array_get (variant, 2, &n_list);
  self->always_v = bounce_u32_array_get (variant, 3, &n_always);
  self->n_always = n_always;
  self->n_words = n_starts > 0 ? n_starts - 1 : 0;
  boxed = g_variant_get_child_value (variant, 4);
  index = g_variant_get_variant (boxed);
  self->index = bounce_literal_index_new_from_variant (index);
  ok = self->index != NULL && n_starts >= 1 && self->rule_start[self->n_words] == n_list &&
       all_below (self->rule_list, n_list, self->n_rules) && all_below (self->always_v, n_always, self->n_rules);
  for (guint i = 0; ok && i < self->n_words; i++)
    ok = self->rule_start[i] <= self->rule_start[i + 1];
  for (guint i = 0; ok && i < bounce_literal_index_get_n_literals (self->index); i++)
    {
      guint32 owner;

      bounce_literal_index_get_literal (self->index, i, &owner);
      ok = owner < self->n_words;
    }
  if (!ok)
    {
      bounce_prefilter_free (self);
      return NULL;
    }
  return self;
}

guint
bounce_prefilter_get_n_rules (BouncePrefilter *self)
{
  return self->n_rules;
}

static void
mark_rules (guint32              owner,
            const BounceLiteral *literal,
            gsize                length,
            gpointer             data)
{
  BouncePrefilter *self = ((gpointer *) data)[0];
  guint8 *candidates = ((gpointer *) data)[1];

  for (guint32 k = self->rule_start[owner]; k < self->rule_start[owner + 1]; k++)
    candidates[self->rule_list[k]] = 1;
}

void
bounce_prefilter_scan (BouncePrefilter *self,
                       const char      *folded,
                       gsize            len,
                       guint8          *candidates)
{
  gpointer data[2] = { self, candidates };

  g_return_if_fail (self->built);
  for (guint i = 0; i < self->n_always; i++)
    candidates[self->always_v[i]] = 1;
  /* A long s (U+017F) matches "s" in a caseless pattern but does not fold
   * to it: every rule is tried. */
  if (g_strstr_len (folded, len, "\xc5\xbf") != NULL)
    {
      memset (candidates, 1, self->n_rules);
      return;
    }
  bounce_literal_index_scan (self->index, folded, len, mark_rules, data);
}
