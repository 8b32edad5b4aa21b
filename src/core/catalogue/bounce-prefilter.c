/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-compiled.h"
#include "bounce-prefilter.h"

/* Words shorter than this say too little to be worth filing. */
#define MIN_WORD 3
/* Words are filed under their first three bytes, each one of 36. */
#define N_KEYS (36 * 36 * 36)

struct _BouncePrefilter
{
  /* while rules are added */
  GPtrArray *words;        /* char *, distinct, lower case */
  GHashTable *word_index;  /* word -> index + 1 */
  GPtrArray *word_rules;   /* per word: GArray of guint rule numbers */
  GArray *always;          /* guint: rules without words */
  guint n_rules;
  gboolean built;

  /* once built, or read from a compiled catalogue (then these point into
   * it): what bounce_prefilter_scan() reads */
  GVariant *compiled;          /* what they point into, or NULL */
  const char **word_v;         /* n_words words */
  guint n_words;
  const guint32 *key_start;    /* N_KEYS + 1 offsets into key_words */
  const guint32 *key_words;    /* word indices sorted by key */
  const guint32 *rule_start;   /* n_words + 1 offsets into rule_list */
  const guint32 *rule_list;    /* each word's rules */
  const guint32 *always_v;     /* rules without words */
  guint n_always;
  gpointer owned[4];           /* the arrays above made by build */
};

static inline int
alnum_value (guchar c)
{
  if (c >= 'a' && c <= 'z')
    return c - 'a';
  if (c >= '0' && c <= '9')
    return 26 + c - '0';
  return -1;
}

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

      if (alnum_value (g_ascii_tolower (c)) >= 0)
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

BouncePrefilter *
bounce_prefilter_new (void)
{
  BouncePrefilter *self = g_new0 (BouncePrefilter, 1);

  self->words = g_ptr_array_new_with_free_func (g_free);
  self->word_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->word_rules = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->always = g_array_new (FALSE, FALSE, sizeof (guint32));
  return self;
}

void
bounce_prefilter_free (BouncePrefilter *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->word_index, g_hash_table_unref);
  g_clear_pointer (&self->words, g_ptr_array_unref);
  g_clear_pointer (&self->word_rules, g_ptr_array_unref);
  g_clear_pointer (&self->always, g_array_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->owned); i++)
    g_free (self->owned[i]);
  if (self->compiled != NULL)
    {
      g_free (self->word_v);
      g_variant_unref (self->compiled);
    }
  g_free (self);
}

gboolean
bounce_prefilter_add (BouncePrefilter *self,
                      guint            rule,
                      const char      *pattern)
{
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (!self->built, FALSE);
  self->n_rules = MAX (self->n_rules, rule + 1);
  words = pattern != NULL ? bounce_prefilter_words (pattern) : NULL;
  if (words == NULL)
    {
      guint32 r = rule;

      g_array_append_val (self->always, r);
      return FALSE;
    }
  for (guint i = 0; words[i] != NULL; i++)
    {
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->word_index, words[i]));
      GArray *rules;

      if (index == 0)
        {
          g_ptr_array_add (self->words, g_strdup (words[i]));
          g_ptr_array_add (self->word_rules, g_array_new (FALSE, FALSE, sizeof (guint32)));
          index = self->words->len;
          g_hash_table_insert (self->word_index, self->words->pdata[index - 1], GUINT_TO_POINTER (index));
        }
      rules = self->word_rules->pdata[index - 1];
      if (rules->len == 0 || g_array_index (rules, guint32, rules->len - 1) != rule)
        {
          guint32 r = rule;

          g_array_append_val (rules, r);
        }
    }
  return TRUE;
}

guint
bounce_prefilter_get_n_rules (BouncePrefilter *self)
{
  return self->n_rules;
}

static guint
word_key (const char *word)
{
  return (guint) (alnum_value (word[0]) * 36 * 36 + alnum_value (word[1]) * 36 + alnum_value (word[2]));
}

/* Files the words under their keys (a counting sort) and lays each word's
 * rules end to end: the flat arrays that scan reads, and that a compiled
 * catalogue holds as they are. */
void
bounce_prefilter_build (BouncePrefilter *self)
{
  guint n = self->words->len;
  guint32 *key_start, *key_words, *rule_start, *rule_list;
  guint n_listed = 0;

  g_return_if_fail (!self->built);
  key_start = g_new0 (guint32, N_KEYS + 1);
  key_words = g_new (guint32, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    key_start[word_key (self->words->pdata[i]) + 1]++;
  for (guint k = 0; k < N_KEYS; k++)
    key_start[k + 1] += key_start[k];
  {
    g_autofree guint32 *fill = g_memdup2 (key_start, sizeof (guint32) * N_KEYS);

    for (guint i = 0; i < n; i++)
      key_words[fill[word_key (self->words->pdata[i])]++] = i;
  }
  for (guint i = 0; i < n; i++)
    n_listed += ((GArray *) self->word_rules->pdata[i])->len;
  rule_start = g_new (guint32, n + 1);
  rule_list = g_new (guint32, MAX (n_listed, 1));
  n_listed = 0;
  for (guint i = 0; i < n; i++)
    {
      GArray *rules = self->word_rules->pdata[i];

      rule_start[i] = n_listed;
      memcpy (rule_list + n_listed, rules->data, rules->len * sizeof (guint32));
      n_listed += rules->len;
    }
  rule_start[n] = n_listed;

  self->owned[0] = key_start;
  self->owned[1] = key_words;
  self->owned[2] = rule_start;
  self->owned[3] = rule_list;
  self->key_start = key_start;
  self->key_words = key_words;
  self->rule_start = rule_start;
  self->rule_list = rule_list;
  self->word_v = (const char **) self->words->pdata;
  self->n_words = n;
  self->always_v = (const guint32 *) (gpointer) self->always->data;
  self->n_always = self->always->len;
  self->built = TRUE;
}

#define PREFILTER_VARIANT_TYPE "(uayauauauauauau)"

GVariant *
bounce_prefilter_to_variant (BouncePrefilter *self)
{
  BounceStringPool pool;
  g_autofree guint32 *refs = NULL;
  GVariant *variant;

  g_return_val_if_fail (self->built, NULL);
  bounce_string_pool_init (&pool);
  refs = g_new (guint32, MAX (self->n_words, 1));
  for (guint i = 0; i < self->n_words; i++)
    refs[i] = bounce_string_pool_add (&pool, self->word_v[i]);
  variant = g_variant_new ("(u@ay@au@au@au@au@au@au)", self->n_rules,
                           bounce_string_pool_to_variant (&pool),
                           bounce_u32_array_to_variant (refs, self->n_words),
                           bounce_u32_array_to_variant (self->key_start, N_KEYS + 1),
                           bounce_u32_array_to_variant (self->key_words, self->n_words),
                           bounce_u32_array_to_variant (self->rule_start, self->n_words + 1),
                           bounce_u32_array_to_variant (self->rule_list, self->rule_start[self->n_words]),
                           bounce_u32_array_to_variant (self->always_v, self->n_always));
  bounce_string_pool_clear (&pool);
  return variant;
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
  g_autoptr(GVariant) pool = NULL;
  BounceStringTable strings;
  const guint32 *refs;
  gsize n_words = 0, n_keys = 0, n_key_words = 0, n_starts = 0, n_list = 0, n_always = 0;
  gboolean ok;

  g_return_val_if_fail (variant != NULL, NULL);
  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (PREFILTER_VARIANT_TYPE)))
    return NULL;
  self = g_new0 (BouncePrefilter, 1);
  self->compiled = g_variant_ref_sink (variant);
  self->built = TRUE;
  g_variant_get_child (variant, 0, "u", &self->n_rules);
  pool = g_variant_get_child_value (variant, 1);
  refs = bounce_u32_array_get (variant, 2, &n_words);
  self->key_start = bounce_u32_array_get (variant, 3, &n_keys);
  self->key_words = bounce_u32_array_get (variant, 4, &n_key_words);
  self->rule_start = bounce_u32_array_get (variant, 5, &n_starts);
  self->rule_list = bounce_u32_array_get (variant, 6, &n_list);
  self->always_v = bounce_u32_array_get (variant, 7, &n_always);
  self->n_words = n_words;
  self->n_always = n_always;
  ok = bounce_string_table_init (&strings, pool) && n_keys == N_KEYS + 1 && n_key_words == n_words &&
       n_starts == n_words + 1 && self->key_start[N_KEYS] == n_words && self->rule_start[n_words] == n_list &&
       all_below (self->key_words, n_words, n_words) && all_below (self->rule_list, n_list, self->n_rules) &&
       all_below (self->always_v, n_always, self->n_rules);
  /* the keys' offsets only grow (then a scan stays inside key_words): one
   * pass without a branch, which the compiler vectorises */
  if (ok)
    {
      guint32 falls = 0;

      for (guint key = 0; key < N_KEYS; key++)
        falls |= self->key_start[key] > self->key_start[key + 1];
      ok = falls == 0;
    }
  if (ok)
    {
      self->word_v = g_new (const char *, MAX (n_words, 1));
      for (gsize i = 0; ok && i < n_words; i++)
        {
          self->word_v[i] = bounce_string_table_get (&strings, refs[i]);
          ok = self->word_v[i] != NULL && strlen (self->word_v[i]) >= MIN_WORD &&
               self->rule_start[i] <= self->rule_start[i + 1];
        }
    }
  if (!ok)
    {
      bounce_prefilter_free (self);
      return NULL;
    }
  return self;
}

void
bounce_prefilter_scan (BouncePrefilter *self,
                       const char      *folded,
                       gsize            len,
                       guint8          *candidates)
{
  g_autofree guint8 *seen = NULL;

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
  seen = g_new0 (guint8, MAX (self->n_words, 1));
  for (gsize i = 0; i + MIN_WORD <= len; i++)
    {
      int a = alnum_value ((guchar) folded[i]), b, c;
      guint key;

      if (a < 0)
        continue;
      b = alnum_value ((guchar) folded[i + 1]);
      if (b < 0)
        {
          i++;
          continue;
        }
      c = alnum_value ((guchar) folded[i + 2]);
      if (c < 0)
        {
          i += 2;
          continue;
        }
      key = (guint) (a * 36 * 36 + b * 36 + c);
      for (guint32 j = self->key_start[key]; j < self->key_start[key + 1]; j++)
        {
          guint w = self->key_words[j];
          const char *word = self->word_v[w];
          gsize word_len;

          if (seen[w])
            continue;
          word_len = strlen (word);
          if (i + word_len > len || memcmp (folded + i + MIN_WORD, word + MIN_WORD, word_len - MIN_WORD) != 0)
            continue;
          seen[w] = 1;
          for (guint32 k = self->rule_start[w]; k < self->rule_start[w + 1]; k++)
            candidates[self->rule_list[k]] = 1;
        }
    }
}
