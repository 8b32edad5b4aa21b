/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-alternation.h"
#include "bounce-literal.h"
#include "bounce-compiled.h"
#include "bounce-pattern.h"
#include "bounce-prefilter.h"

/* -- reading a pattern ---------------------------------------------------- */

/* What a pattern certainly needs, as sets of words (bounce-pattern.h): every
 * match contains all the words of at least one set ("mailbox (is )?full|quota
 * exceeded" needs {mailbox, full} or {quota, exceeded}).  NULL when nothing
 * is known.  A set is a GPtrArray of words (lower case, each once); Need, of
 * sets. */
typedef GPtrArray Need;
typedef GPtrArray WordSet;

static Need *
read_pattern (const char *pattern)
{
  return bounce_pattern_required (pattern, BOUNCE_PATTERN_CASELESS);
}

GStrv
bounce_prefilter_words (const char *pattern)
{
  g_autoptr(GPtrArray) need = read_pattern (pattern);
  GStrv words;

  if (need == NULL)
    return NULL;
  /* of each set, its longest word (the first of equals) */
  words = g_new0 (char *, need->len + 1);
  for (guint i = 0; i < need->len; i++)
    {
      WordSet *set = need->pdata[i];
      const char *longest = set->pdata[0];

      for (guint k = 1; k < set->len; k++)
        if (strlen (set->pdata[k]) > strlen (longest))
          longest = set->pdata[k];
      words[i] = g_strdup (longest);
    }
  return words;
}

char *
bounce_prefilter_describe (const char *pattern)
{
  g_autoptr(GPtrArray) need = read_pattern (pattern);

  return bounce_pattern_describe (need);
}

/* -- the filter ----------------------------------------------------------- */

struct _BouncePrefilter
{
  /* while rules are added */
  GHashTable *word_index;  /* word -> its number + 1 */
  GPtrArray *literals;     /* BounceLiteral of each word, by number */
  GArray *rule_alt_start;  /* guint32: rules + 1 offsets into alt_set_start */
  GArray *alt_set_start;   /* guint32: alternatives + 1 offsets into set_start */
  GArray *set_start;       /* guint32: sets + 1 offsets into set_words */
  GArray *set_words;       /* guint32: each set's word numbers */
  gboolean built;

  /* once built, or read from a compiled catalogue (then pointing into it) */
  GVariant *compiled;
  BounceLiteralIndex *index;   /* the words, found anywhere; owner: word number */
  guint n_rules;
  guint n_words;
  guint n_alts;
  const guint32 *rule_alt_v;   /* n_rules + 1 */
  const guint32 *alt_set_v;    /* n_alts + 1 */
  const guint32 *set_start_v;  /* sets + 1 */
  const guint32 *set_words_v;

  /* computed from those (by index_sets(), or at build time for a trusted
   * compiled filter, which holds them), for scan: */
  const guint32 *word_sets_start;  /* n_words + 1 offsets into word_sets */
  const guint32 *word_sets;        /* the sets whose first word each word is */
  const guint32 *set_alt;          /* each set's alternative */
  const guint32 *alt_rule;         /* each alternative's rule */
  const guint32 *always;           /* the alternatives without sets, or with an empty one */
  gsize n_always;
  const guint32 *no_alts;          /* the rules without alternatives */
  gsize n_no_alts;
  gpointer owned[6];               /* those, when index_sets() made them */
};

BouncePrefilter *
bounce_prefilter_new (void)
{
  BouncePrefilter *self = g_new0 (BouncePrefilter, 1);
  guint32 zero = 0;

  self->word_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->literals = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_literal_free);
  self->rule_alt_start = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->alt_set_start = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->set_start = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->set_words = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_val (self->rule_alt_start, zero);
  g_array_append_val (self->alt_set_start, zero);
  g_array_append_val (self->set_start, zero);
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
  g_clear_pointer (&self->literals, g_ptr_array_unref);
  g_clear_pointer (&self->rule_alt_start, g_array_unref);
  g_clear_pointer (&self->alt_set_start, g_array_unref);
  g_clear_pointer (&self->set_start, g_array_unref);
  g_clear_pointer (&self->set_words, g_array_unref);
  g_clear_pointer (&self->compiled, g_variant_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->owned); i++)
    g_free (self->owned[i]);
  g_free (self);
}

/* The number of word, filed when first seen. */
static guint32
word_number (BouncePrefilter *self,
             const char      *word)
{
  guint number = GPOINTER_TO_UINT (g_hash_table_lookup (self->word_index, word));

  if (number == 0)
    {
      g_ptr_array_add (self->literals, bounce_literal_new_anywhere (word));
      number = self->literals->len;
      g_hash_table_insert (self->word_index, g_strdup (word), GUINT_TO_POINTER (number));
    }
  return number - 1;
}

/* Files one alternative with need's sets (none: it is always tried). */
static void
add_alternative (BouncePrefilter *self,
                 Need            *need)
{
  guint32 sets;

  for (guint i = 0; need != NULL && i < need->len; i++)
    {
      WordSet *set = need->pdata[i];
      guint32 end;

      for (guint k = 0; k < set->len; k++)
        {
          guint32 number = word_number (self, set->pdata[k]);

          g_array_append_val (self->set_words, number);
        }
      end = self->set_words->len;
      g_array_append_val (self->set_start, end);
    }
  sets = self->set_start->len - 1;
  g_array_append_val (self->alt_set_start, sets);
}

gboolean
bounce_prefilter_add (BouncePrefilter *self,
                      guint            rule,
                      const char      *pattern)
{
  g_auto(GStrv) pieces = NULL;
  gboolean words = pattern != NULL;
  guint32 alts;

  g_return_val_if_fail (!self->built, FALSE);
  g_return_val_if_fail (rule + 1 >= self->rule_alt_start->len, FALSE);
  /* (a rule number skipped has no alternatives: it is always a candidate) */
  alts = self->alt_set_start->len - 1;
  while (self->rule_alt_start->len < rule + 1)
    g_array_append_val (self->rule_alt_start, alts);
  /* The words of each of the alternatives bounce_alternation_split()
   * finds (a regex it does not split is one), read alone. */
  pieces = pattern != NULL ? bounce_alternation_split (pattern) : NULL;
  if (pieces == NULL && pattern != NULL)
    pieces = g_strdupv ((char *[]) { (char *) pattern, NULL });
  for (guint i = 0; pieces != NULL && pieces[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) need = read_pattern (pieces[i]);

      words &= need != NULL;
      add_alternative (self, need);
    }
  alts = self->alt_set_start->len - 1;
  g_array_append_val (self->rule_alt_start, alts);
  self->n_rules = self->rule_alt_start->len - 1;
  return words;
}

/* What scan reads besides the arrays: for each word, the sets it is the
 * first word of (a set can only be complete where its first word is
 * found); each set's alternative and each alternative's rule; the
 * alternatives always alive and the rules always candidates. */
static void
index_sets (BouncePrefilter *self)
{
  guint n_sets = self->alt_set_v[self->n_alts];
  guint32 *word_sets_start = g_new0 (guint32, self->n_words + 1);
  guint32 *word_sets = g_new0 (guint32, MAX (n_sets, 1));
  guint32 *set_alt = g_new0 (guint32, MAX (n_sets, 1));
  guint32 *alt_rule = g_new0 (guint32, MAX (self->n_alts, 1));
  GArray *always = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *no_alts = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 *fill;

  for (guint32 r = 0; r < self->n_rules; r++)
    {
      if (self->rule_alt_v[r] == self->rule_alt_v[r + 1])
        g_array_append_val (no_alts, r);
      for (guint32 a = self->rule_alt_v[r]; a < self->rule_alt_v[r + 1]; a++)
        alt_rule[a] = r;
    }
  for (guint32 a = 0; a < self->n_alts; a++)
    {
      gboolean is_always = self->alt_set_v[a] == self->alt_set_v[a + 1];

      for (guint32 set = self->alt_set_v[a]; set < self->alt_set_v[a + 1]; set++)
        {
          set_alt[set] = a;
          if (self->set_start_v[set] == self->set_start_v[set + 1])
            is_always = TRUE;
          else
            word_sets_start[self->set_words_v[self->set_start_v[set]] + 1]++;
        }
      if (is_always)
        g_array_append_val (always, a);
    }
  for (guint w = 0; w < self->n_words; w++)
    word_sets_start[w + 1] += word_sets_start[w];
  fill = g_memdup2 (word_sets_start, sizeof (guint32) * (self->n_words + 1));
  for (guint32 set = 0; set < n_sets; set++)
    if (self->set_start_v[set] < self->set_start_v[set + 1])
      word_sets[fill[self->set_words_v[self->set_start_v[set]]]++] = set;
  g_free (fill);
  self->word_sets_start = self->owned[0] = word_sets_start;
  self->word_sets = self->owned[1] = word_sets;
  self->set_alt = self->owned[2] = set_alt;
  self->alt_rule = self->owned[3] = alt_rule;
  self->n_always = always->len;
  self->always = self->owned[4] = g_array_free (always, FALSE);
  self->n_no_alts = no_alts->len;
  self->no_alts = self->owned[5] = g_array_free (no_alts, FALSE);
}

/* Files the words in the literal index: what scan reads, and what a
 * compiled catalogue holds as it is, with the sets. */
void
bounce_prefilter_build (BouncePrefilter *self)
{
  g_return_if_fail (!self->built);
  for (guint i = 0; i < self->literals->len; i++)
    if (self->literals->pdata[i] != NULL)
      bounce_literal_index_add (self->index, self->literals->pdata[i], i);
  bounce_literal_index_build (self->index);
  self->n_words = self->literals->len;
  self->n_alts = self->alt_set_start->len - 1;
  self->rule_alt_v = (const guint32 *) (gpointer) self->rule_alt_start->data;
  self->alt_set_v = (const guint32 *) (gpointer) self->alt_set_start->data;
  self->set_start_v = (const guint32 *) (gpointer) self->set_start->data;
  self->set_words_v = (const guint32 *) (gpointer) self->set_words->data;
  index_sets (self);
  self->built = TRUE;
}

/* n_rules, n_words, rule_alt_v, alt_set_v, set_start_v, set_words_v, the
 * index; then what index_sets() makes of them (read by a trusted filter,
 * made again for another): word_sets_start, word_sets, set_alt, alt_rule,
 * always, no_alts */
#define PREFILTER_VARIANT_TYPE "(uuauauauauvauauauauauau)"

GVariant *
bounce_prefilter_to_variant (BouncePrefilter *self)
{
  guint n_sets;

  g_return_val_if_fail (self->built, NULL);
  n_sets = self->alt_set_v[self->n_alts];
  return g_variant_new ("(uu@au@au@au@auv@au@au@au@au@au@au)", self->n_rules, self->n_words,
                        bounce_u32_array_to_variant (self->rule_alt_v, self->n_rules + 1),
                        bounce_u32_array_to_variant (self->alt_set_v, self->n_alts + 1),
                        bounce_u32_array_to_variant (self->set_start_v, n_sets + 1),
                        bounce_u32_array_to_variant (self->set_words_v, self->set_start_v[n_sets]),
                        bounce_literal_index_to_variant (self->index),
                        bounce_u32_array_to_variant (self->word_sets_start, self->n_words + 1),
                        bounce_u32_array_to_variant (self->word_sets, self->word_sets_start[self->n_words]),
                        bounce_u32_array_to_variant (self->set_alt, n_sets),
                        bounce_u32_array_to_variant (self->alt_rule, self->n_alts),
                        bounce_u32_array_to_variant (self->always, self->n_always),
                        bounce_u32_array_to_variant (self->no_alts, self->n_no_alts));
}

/* Whether values[0..n) never go down, start at 0 and end at last. */
static gboolean
offsets_ok (const guint32 *values,
            gsize          n,
            guint32        last)
{
  if (n == 0 || values[0] != 0 || values[n - 1] != last)
    return FALSE;
  for (gsize i = 0; i + 1 < n; i++)
    if (values[i] > values[i + 1])
      return FALSE;
  return TRUE;
}

BouncePrefilter *
bounce_prefilter_new_from_variant (GVariant *variant,
                                   gboolean  trusted)
{
  BouncePrefilter *self;
  g_autoptr(GVariant) boxed = NULL;
  g_autoptr(GVariant) index = NULL;
  gsize n_rule_alts = 0, n_alt_sets = 0, n_set_starts = 0, n_set_words = 0;
  gboolean ok;

  g_return_val_if_fail (variant != NULL, NULL);
  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (PREFILTER_VARIANT_TYPE)))
    return NULL;
  self = g_new0 (BouncePrefilter, 1);
  self->compiled = g_variant_ref_sink (variant);
  self->built = TRUE;
  g_variant_get_child (variant, 0, "u", &self->n_rules);
  g_variant_get_child (variant, 1, "u", &self->n_words);
  self->rule_alt_v = bounce_u32_array_get (variant, 2, &n_rule_alts);
  self->alt_set_v = bounce_u32_array_get (variant, 3, &n_alt_sets);
  self->set_start_v = bounce_u32_array_get (variant, 4, &n_set_starts);
  self->set_words_v = bounce_u32_array_get (variant, 5, &n_set_words);
  self->n_alts = n_alt_sets > 0 ? n_alt_sets - 1 : 0;
  boxed = g_variant_get_child_value (variant, 6);
  index = g_variant_get_variant (boxed);
  self->index = bounce_literal_index_new_from_variant (index, trusted);
  ok = self->index != NULL && n_rule_alts == (gsize) self->n_rules + 1 && n_alt_sets >= 1 &&
       n_set_starts >= 1;
  /* (a trusted filter was checked when it was built: its numbers are not
   * checked again) */
  ok = ok && (trusted ||
              (offsets_ok (self->rule_alt_v, n_rule_alts, n_alt_sets - 1) &&
               offsets_ok (self->alt_set_v, n_alt_sets, n_set_starts - 1) &&
               offsets_ok (self->set_start_v, n_set_starts, n_set_words)));
  for (gsize i = 0; ok && !trusted && i < n_set_words; i++)
    ok = self->set_words_v[i] < self->n_words;
  for (guint i = 0; ok && !trusted && i < bounce_literal_index_get_n_literals (self->index); i++)
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
  if (trusted)
    {
      /* (as index_sets() made them at build time: about 0.1 M instructions
       * and 50 KB of memory a run less) */
      gsize n;

      self->word_sets_start = bounce_u32_array_get (variant, 7, &n);
      self->word_sets = bounce_u32_array_get (variant, 8, &n);
      self->set_alt = bounce_u32_array_get (variant, 9, &n);
      self->alt_rule = bounce_u32_array_get (variant, 10, &n);
      self->always = bounce_u32_array_get (variant, 11, &self->n_always);
      self->no_alts = bounce_u32_array_get (variant, 12, &self->n_no_alts);
    }
  else
    index_sets (self);
  return self;
}

guint
bounce_prefilter_get_n_rules (BouncePrefilter *self)
{
  return self->n_rules;
}

/* The words found in a text: each once in list, and marked in present. */
typedef struct {
  guint8 *present;
  GArray *list;
} Found;

static void
mark_word (guint32              owner,
           const BounceLiteral *literal,
           gsize                length,
           gpointer             data)
{
  Found *found = data;

  if (!found->present[owner])
    {
      found->present[owner] = 1;
      g_array_append_val (found->list, owner);
    }
}

/* Whether folded holds a long s, looked for with memchr(): most texts have
 * no byte 0xc5 at all. */
static gboolean
has_long_s (const char *folded,
            gsize       len)
{
  const char *end = folded + len;

  for (const char *p = folded; (p = memchr (p, 0xc5, end - p)) != NULL; p++)
    if (p + 1 < end && (guchar) p[1] == 0xbf)
      return TRUE;
  return FALSE;
}

GPtrArray *
bounce_prefilter_needs (const char *pattern)
{
  g_auto(GStrv) words = bounce_prefilter_words (pattern);
  GPtrArray *needs = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    {
      /* (folded as the prefilter files it) */
      BounceLiteral *literal = bounce_literal_new_anywhere (words[i]);

      if (literal == NULL)
        {
          g_ptr_array_set_size (needs, 0);
          break;
        }
      g_ptr_array_add (needs, g_strdup (bounce_literal_get_part (literal, 0)));
      bounce_literal_free (literal);
    }
  return needs;
}

gboolean
bounce_prefilter_needs_met (GPtrArray  *needs,
                            const char *folded)
{
  if (needs->len == 0 || has_long_s (folded, strlen (folded)))
    return TRUE;
  /* found wherever they stand, as bounce_literal_find() finds them */
  for (guint i = 0; i < needs->len; i++)
    if (strstr (folded, needs->pdata[i]) != NULL)
      return TRUE;
  return FALSE;
}

guint
bounce_prefilter_get_alternatives (BouncePrefilter *self,
                                   guint            rule,
                                   guint           *first)
{
  g_return_val_if_fail (rule < self->n_rules, 0);

  if (first != NULL)
    *first = self->rule_alt_v[rule];
  return self->rule_alt_v[rule + 1] - self->rule_alt_v[rule];
}

guint
bounce_prefilter_get_n_alternatives (BouncePrefilter *self)
{
  return self->n_alts;
}

void
bounce_prefilter_scan (BouncePrefilter *self,
                       const char      *folded,
                       gsize            len,
                       guint8          *candidates,
                       guint8          *alive)
{
  g_autofree guint8 *present = NULL;
  Found found;

  g_return_if_fail (self->built);
  /* A long s (U+017F) matches "s" in a caseless pattern but does not fold
   * to it: every rule is tried, every alternative.  (The Kelvin sign,
   * which matches "k", folds to it.) */
  if (has_long_s (folded, len))
    {
      memset (candidates, 1, self->n_rules);
      if (alive != NULL)
        memset (alive, 1, self->n_alts);
      return;
    }
  /* Which words are in the text, in one pass; then an alternative may
   * match when all the words of one of its sets are there (one without
   * sets always may), and a rule is a candidate when one of its
   * alternatives may match (a rule without any always is).  A set is
   * looked at only when its first word is there. */
  present = g_new0 (guint8, MAX (self->n_words, 1));
  found.present = present;
  found.list = g_array_new (FALSE, FALSE, sizeof (guint32));
  bounce_literal_index_scan (self->index, folded, len, mark_word, &found);
  if (alive != NULL)
    memset (alive, 0, self->n_alts);
  for (gsize i = 0; i < self->n_no_alts; i++)
    candidates[self->no_alts[i]] = 1;
  for (gsize i = 0; i < self->n_always; i++)
    {
      guint32 a = self->always[i];

      candidates[self->alt_rule[a]] = 1;
      if (alive != NULL)
        alive[a] = 1;
    }
  for (guint i = 0; i < found.list->len; i++)
    {
      guint32 w = g_array_index (found.list, guint32, i);

      for (guint32 j = self->word_sets_start[w]; j < self->word_sets_start[w + 1]; j++)
        {
          guint32 set = self->word_sets[j];
          guint32 k = self->set_start_v[set] + 1;

          while (k < self->set_start_v[set + 1] && present[self->set_words_v[k]])
            k++;
          if (k == self->set_start_v[set + 1])
            {
              candidates[self->alt_rule[self->set_alt[set]]] = 1;
              if (alive != NULL)
                alive[self->set_alt[set]] = 1;
            }
        }
    }
  g_array_unref (found.list);
}
