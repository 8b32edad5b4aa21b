/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-compiled.h"
#include "bounce-literal.h"

struct _BounceLiteral
{
  GStrv parts;        /* folded */
  gsize *part_len;
  guint n_parts;
  gsize length;       /* summed length of the parts */
  gboolean names;     /* the phrase itself holds a name ('.', '/', '@') */
  gboolean anywhere;  /* found inside words and names too */
  gboolean borrowed;  /* parts and part_len belong to a compiled index */
};

/* g_ascii_isspace(): tab, LF, FF, CR and space (not VT) */
static inline gboolean
is_fold_space (guchar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* A letter that Unicode does not decompose but that text written in
 * ASCII spells without its mark (ł in "nieprawidłowa", "nieprawidlowa"), as
 * CLDR's Latin-ASCII transform spells it
 * (https://github.com/unicode-org/cldr/blob/main/common/transforms/Latin-ASCII.xml):
 * its ASCII spelling, or NULL.  c is lower case. */
static const char *
latin_letter_in_ascii (gunichar c)
{
  switch (c)
    {
    case 0x00df: return "ss";   /* ß (ẞ lowers to it) */
    case 0x00e6: return "ae";   /* æ */
    case 0x00f8: return "o";    /* ø */
    case 0x0111: return "d";    /* đ */
    case 0x0127: return "h";    /* ħ */
    case 0x0131: return "i";    /* dotless ı */
    case 0x0142: return "l";    /* ł */
    case 0x0153: return "oe";   /* œ */
    default: return NULL;
    }
}

/* Whether the character that ends out[0, o) is a Latin letter (the ASCII
 * ones too), whose accents fold away. */
static gboolean
ends_latin (const char *out,
            gsize       o)
{
  const char *last;

  if (o == 0)
    return FALSE;
  if ((guchar) out[o - 1] < 0x80)
    return g_ascii_isalpha (out[o - 1]);
  last = g_utf8_find_prev_char (out, out + o);
  return last != NULL && g_unichar_get_script (g_utf8_get_char (last)) == G_UNICODE_SCRIPT_LATIN;
}

/* What Unicode normalisation (Unicode Standard Annex #15,
 * https://unicode.org/reports/tr15/) may do to a character. */
enum {
  NORM_DECOMPOSES = 1 << 0,   /* NFD changes it, or may move it (a combining mark) */
  NORM_COMPOSES   = 1 << 1,   /* NFC changes it, or may join it to the character before
                               * (a mark, a Hangul vowel or final consonant) */
};

/* Most characters outside ASCII in a bounce (’, CJK ideographs, Cyrillic
 * without accents) have no flag. */
static guint8
normalisation_looked_up (gunichar c)
{
  gunichar first, a, b, back;
  gsize n;

  /* (CJK ideographs, the bulk of Chinese and Japanese text: none) */
  if (c >= 0x3400 && c <= 0x9fff)
    return 0;
  if (g_unichar_combining_class (c) != 0 || g_unichar_ismark (c))
    return NORM_DECOMPOSES | NORM_COMPOSES;
  if (c >= 0x1161 && c <= 0x11c2)
    return NORM_COMPOSES;
  /* (its full decomposition's length, and its first character) */
  n = g_unichar_fully_decompose (c, FALSE, &first, 1);
  if (n == 1)
    return first != c ? NORM_DECOMPOSES | NORM_COMPOSES : 0;   /* a singleton, Ω for the ohm sign */
  /* composed as NFC composes it ("é"), or not (an exclusion) */
  if (g_unichar_decompose (c, &a, &b) && b != 0 && g_unichar_compose (a, b, &back) && back == c)
    return NORM_DECOMPOSES;
  return NORM_DECOMPOSES | NORM_COMPOSES;
}

/* normalisation_looked_up() of the Basic Multilingual Plane, kept for each
 * group of 64 characters once one of them is met: GLib's look-ups cost a
 * search of its tables for every character, and a text in Cyrillic or
 * Japanese meets the same few groups over and over.  (Made from any
 * thread; never freed.) */
#define NORM_GROUP 64
static guint8 *norm_groups[0x10000 / NORM_GROUP];

static inline guint
normalisation_of (gunichar c)
{
  guint8 *group;

  if (c >= 0x10000)
    return normalisation_looked_up (c);
  group = g_atomic_pointer_get (&norm_groups[c / NORM_GROUP]);
  if (G_UNLIKELY (group == NULL))
    {
      gunichar first = c - c % NORM_GROUP;

      group = g_malloc (NORM_GROUP);
      for (guint i = 0; i < NORM_GROUP; i++)
        group[i] = normalisation_looked_up (first + i);
      if (!g_atomic_pointer_compare_and_exchange (&norm_groups[c / NORM_GROUP], NULL, group))
        {
          g_free (group);
          group = g_atomic_pointer_get (&norm_groups[c / NORM_GROUP]);
        }
    }
  return group[c % NORM_GROUP];
}

/* Folds the UTF-8 characters [p, end) (none ASCII white space) onto out:
 * ’ and ‘ as ', the long s as 's', the accents of Latin letters left out,
 * lower case, a few letters in ASCII.  rest: how many bytes of the text
 * follow (room is kept for them). */
static void
fold_chars (char       **out,
            gsize       *o,
            gsize       *cap,
            const char  *p,
            const char  *end,
            gsize        rest)
{
  while (p < end)
    {
      guchar c = (guchar) *p;
      gunichar u;
      const char *ascii_spelling;

      if (*o + 6 + (gsize) (end - p) + rest + 1 > *cap)
        {
          *cap = *o + 6 + (gsize) (end - p) + rest + 1 + *cap / 4;
          *out = g_realloc (*out, *cap);
        }
      /* (ASCII: what a decomposition gives, the Kelvin sign's 'K') */
      if (c < 0x80)
        {
          (*out)[(*o)++] = g_ascii_tolower (c);
          p++;
          continue;
        }
      /* ’ and ‘ (U+2019, U+2018) as ' */
      if (c == 0xe2 && end - p >= 3 && (guchar) p[1] == 0x80 && ((guchar) p[2] == 0x99 || (guchar) p[2] == 0x98))
        {
          (*out)[(*o)++] = '\'';
          p += 3;
          continue;
        }
      /* ſ (U+017F, long s) as 's': a caseless regex (PCRE2 in UTF mode)
       * matches it where the pattern has 's' or 'S', as it matches the
       * Kelvin sign U+212A for 'k' (which g_unichar_tolower() makes 'k'),
       * but g_unichar_tolower() leaves it as it is.  Without this, a rule
       * whose needed words hold an 's' (bounce-pattern.h, the prefilter)
       * was skipped on a text its regex matches, "pa\u017f\u017fword" for
       * "password"; found by fuzz/fuzz-pattern. */
      if (c == 0xc5 && end - p >= 2 && (guchar) p[1] == 0xbf)
        {
          (*out)[(*o)++] = 's';
          p += 2;
          continue;
        }
      u = g_utf8_get_char (p);
      p = g_utf8_next_char (p);
      /* The accents of a Latin letter (the block Combining Diacritical
       * Marks, U+0300 to U+036F, that the decomposition of every accented
       * Latin letter uses) are left out: "empfänger" reads as "empfanger",
       * as a server that writes ASCII may write it (not as "empfaenger":
       * German's own spelling without umlauts is not a folding, and stays
       * written out).  Those of other scripts stay: й is not и. */
      if (u >= 0x0300 && u <= 0x036f && ends_latin (*out, *o))
        continue;
      u = g_unichar_tolower (u);
      ascii_spelling = latin_letter_in_ascii (u);
      if (ascii_spelling != NULL)
        {
          while (*ascii_spelling != '\0')
            (*out)[(*o)++] = *ascii_spelling++;
        }
      else
        *o += g_unichar_to_utf8 (u, *out + *o);
    }
}

char *
bounce_literal_fold_full (const char *text,
                          gssize      len,
                          gsize      *folded_len,
                          gboolean   *normal)
{
  char *out;
  gsize o = 0, cap;
  gboolean space = FALSE;
  guint met = 0;   /* normalisation_of() the characters met */
  int valid = -1;   /* whether text is UTF-8: looked at with its first non-ASCII byte */
  const char *p, *end;

  if (text == NULL)
    text = "", len = 0;
  if (len < 0)
    len = strlen (text);
  /* Written without a check of its room: each byte of text gives one byte
   * at most, with the space that stands for the white space before it.
   * Only characters outside ASCII may need more (fold_chars() makes room
   * for them), so o + space + (end - p) < cap always. */
  cap = (gsize) len + 1;
  out = g_malloc (cap);
  for (p = text, end = text + len; p < end && *p != '\0';)
    {
      guchar c = (guchar) *p;
      const char *run;
      guint in_run = 0;

      /* white space, and the no-break space U+00A0 */
      if (g_ascii_isspace (c) || (c == 0xc2 && p + 1 < end && (guchar) p[1] == 0xa0))
        {
          p += c == 0xc2 ? 2 : 1;
          space = o > 0;
          continue;
        }
      if (c < 0x80)
        {
          /* (the bulk of every text: a run of ASCII up to white space, in
           * line, without g_ascii_isspace()'s table) */
          if (space)
            out[o++] = ' ';
          space = FALSE;
          do
            {
              out[o++] = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
              p++;
            }
          while (p < end && (c = (guchar) *p) != '\0' && c < 0x80 && !is_fold_space (c));
          continue;
        }
      if (space)
        out[o++] = ' ';
      space = FALSE;
      if (valid < 0)
        valid = g_utf8_validate (text, len, NULL);
      if (!valid)
        {
          out[o++] = c;
          p++;
          continue;
        }
      /* The characters up to the next ASCII one or no-break space, in
       * their canonical decomposition (NFD, Unicode Standard Annex #15,
       * https://unicode.org/reports/tr15/; g_utf8_normalize() with
       * G_NORMALIZE_NFD) when one of them has another: "é" written as one
       * character (NFC) or as "e" and U+0301 (NFD, as some mail programs
       * and macOS write it) then read the same.  (The whole text's NFD is
       * that of such runs: an ASCII character or a no-break space neither
       * decomposes nor is reordered with the marks after it.) */
      for (run = p; run < end && (guchar) *run >= 0x80 && !((guchar) run[0] == 0xc2 && (guchar) run[1] == 0xa0);
           run = g_utf8_next_char (run))
        in_run |= normalisation_of (g_utf8_get_char (run));
      met |= in_run;
      if (in_run & NORM_DECOMPOSES)
        {
          g_autofree char *nfd = g_utf8_normalize (p, run - p, G_NORMALIZE_NFD);

          fold_chars (&out, &o, &cap, nfd, nfd + strlen (nfd), end - run);
        }
      else
        fold_chars (&out, &o, &cap, p, run, end - run);
      p = run;
    }
  out[o] = '\0';
  if (folded_len != NULL)
    *folded_len = o;
  if (normal != NULL)
    *normal = !(met & NORM_COMPOSES);
  return out;
}

char *
bounce_literal_fold (const char *text,
                     gssize      len)
{
  return bounce_literal_fold_full (text, len, NULL, NULL);
}

BounceLiteral *
bounce_literal_new (const char * const *parts)
{
  BounceLiteral *self;
  guint n = parts != NULL ? g_strv_length ((GStrv) parts) : 0;

  if (n == 0)
    return NULL;
  self = g_new0 (BounceLiteral, 1);
  self->parts = g_new0 (char *, n + 1);
  self->part_len = g_new0 (gsize, n);
  self->n_parts = n;
  for (guint i = 0; i < n; i++)
    {
      self->parts[i] = bounce_literal_fold (parts[i], -1);
      self->part_len[i] = strlen (self->parts[i]);
      if (self->part_len[i] == 0)
        {
          bounce_literal_free (self);
          return NULL;
        }
      self->length += self->part_len[i];
      self->names |= strpbrk (self->parts[i], "./@") != NULL;
    }
  return self;
}

BounceLiteral *
bounce_literal_new_anywhere (const char *text)
{
  const char *parts[] = { text, NULL };
  BounceLiteral *self = bounce_literal_new (parts);

  if (self != NULL)
    self->anywhere = TRUE;
  return self;
}

void
bounce_literal_free (BounceLiteral *literal)
{
  if (literal == NULL || literal->borrowed)
    return;
  g_strfreev (literal->parts);
  g_free (literal->part_len);
  g_free (literal);
}

guint
bounce_literal_get_n_parts (const BounceLiteral *literal)
{
  return literal->n_parts;
}

const char *
bounce_literal_get_part (const BounceLiteral *literal,
                         guint                i)
{
  g_return_val_if_fail (i < literal->n_parts, NULL);
  return literal->parts[i];
}

/* Where a name (address, host name) ends: white space and the brackets and
 * quotes around one. */
static gboolean
is_name_edge (char c)
{
  return g_ascii_isspace (c) || strchr ("<>()[]{}\"',;", c) != NULL;
}

BounceSpanKind
bounce_text_span_kind (const char *text,
                       gsize       len,
                       gsize       start,
                       gsize       end)
{
  gsize a = start, b = end;
  gboolean host = FALSE;

  for (gsize i = start; i < end; i++)
    if (is_name_edge (text[i]))
      return BOUNCE_SPAN_TEXT;
  while (a > 0 && !is_name_edge (text[a - 1]))
    a--;
  while (b < len && !is_name_edge (text[b]))
    b++;
  /* (sentence punctuation after a name is not part of it) */
  while (b > end && strchr (".:!?", text[b - 1]) != NULL)
    b--;
  /* a URL before an address: "mailto:" and "?to=" links are URLs */
  if (memchr (text + a, '/', b - a) != NULL)
    {
      const char *site = g_strstr_len (text + a, b - a, "://");
      gsize s = site != NULL ? (gsize) (site - text) + 3 : a, e = s;

      while (e < b && strchr ("/?#", text[e]) == NULL)
        e++;
      return start >= s && end <= e ? BOUNCE_SPAN_URL_SITE : BOUNCE_SPAN_URL;
    }
  if (memchr (text + a, '@', b - a) != NULL)
    return BOUNCE_SPAN_ADDRESS;
  /* a host name: letters, digits, '-' and dots only, a dot between letters
   * or digits, a letter after the last ("STOREDRV.Deliver.Exception:..." is
   * a server's token, not a name) */
  for (gsize i = a; i < b; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '-' && text[i] != '.' && text[i] != '_')
      return BOUNCE_SPAN_TEXT;
  for (gsize i = a + 1; i + 1 < b; i++)
    if (text[i] == '.' && g_ascii_isalnum (text[i - 1]) && g_ascii_isalnum (text[i + 1]))
      host = g_ascii_isalpha (text[i + 1]);
  return host ? BOUNCE_SPAN_HOST : BOUNCE_SPAN_TEXT;
}

gboolean
bounce_text_span_is_words (const char *text,
                           gsize       len,
                           gsize       start,
                           gsize       end,
                           gboolean    names)
{
  switch (bounce_text_span_kind (text, len, start, end))
    {
    case BOUNCE_SPAN_TEXT:
    case BOUNCE_SPAN_URL_SITE:
      return TRUE;
    case BOUNCE_SPAN_ADDRESS:
      return FALSE;
    case BOUNCE_SPAN_HOST:
    case BOUNCE_SPAN_URL:
    default:
      return names;
    }
}

/* A part may start at a word boundary only: after anything but a letter or
 * digit, when it starts with one. */
static gboolean
starts_word (const char *folded,
             const char *at,
             const char *part)
{
  return !g_ascii_isalnum (part[0]) || at == folded || !g_ascii_isalnum (at[-1]);
}

/* The next place in [from, limit) where part starts at a word boundary. */
static const char *
find_part (const char *folded,
           const char *from,
           const char *limit,
           const char *part,
           gsize       part_len)
{
  while (from + part_len <= limit)
    {
      const char *hit = g_strstr_len (from, limit - from, part);

      if (hit == NULL)
        return NULL;
      if (starts_word (folded, hit, part))
        return hit;
      from = hit + 1;
    }
  return NULL;
}

/* Whether the phrase's first part at hit begins the whole phrase; its end
 * in *end. */
static gboolean
match_from (const BounceLiteral *literal,
            const char          *folded,
            gsize                len,
            const char          *hit,
            const char         **end)
{
  const char *stop = folded + len;
  const char *p = hit + literal->part_len[0];

  for (guint i = 1; i < literal->n_parts; i++)
    {
      const char *limit = MIN (stop, p + BOUNCE_LITERAL_GAP + literal->part_len[i]);
      const char *next = find_part (folded, p, limit, literal->parts[i], literal->part_len[i]);

      if (next == NULL)
        return FALSE;
      p = next + literal->part_len[i];
    }
  *end = p;
  return bounce_text_span_is_words (folded, len, hit - folded, p - folded, literal->names);
}

gsize
bounce_literal_find (const BounceLiteral *literal,
                     const char          *folded,
                     gsize                len)
{
  const char *from = folded;
  const char *stop = folded + len;

  g_return_val_if_fail (literal != NULL, 0);
  if (folded == NULL)
    return 0;
  if (literal->anywhere)
    return g_strstr_len (folded, len, literal->parts[0]) != NULL ? literal->length : 0;
  while (from < stop)
    {
      const char *hit = find_part (folded, from, stop, literal->parts[0], literal->part_len[0]);
      const char *end;

      if (hit == NULL)
        return 0;
      if (match_from (literal, folded, len, hit, &end))
        return literal->length;
      from = hit + 1;
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* The index: every literal by the first two bytes of its first part, so  */
/* that one pass over a text finds them all, whatever their number.      */

typedef struct {
  guint16 key;
  guint32 literal;
} Candidate;

struct _BounceLiteralIndex
{
  /* while literals are added */
  GPtrArray *literals;       /* const BounceLiteral * */
  GArray *owners;            /* guint32, per literal */
  GArray *candidates;        /* Candidate */
  gboolean built;

  /* once built, or read from a compiled catalogue */
  const BounceLiteral * const *lit_v;   /* n_literals */
  const guint32 *owner_v;
  guint n_literals;
  const guint32 *starts;     /* 65537 offsets into cand, by key */
  const guint32 *cand;       /* literal numbers, sorted by key */
  guint32 n_cand;            /* starts[65536]: a scan never reads past it */
  guint32 *owned[2];         /* starts and cand as build made them */

  /* read from a compiled catalogue: what they point into */
  GVariant *compiled;
  BounceLiteral *lit_store;  /* n_literals literals over ... */
  const char **part_v;       /* ... every part, end to end, */
  gsize *part_len_v;         /* ... and their lengths */

  /* read from a trusted compiled catalogue: the literals as it stores
   * them, scanned as they are (lit_v, lit_store, part_v and part_len_v
   * are made only when a literal is asked for, by materialize()) */
  gboolean compact;
  BounceStringTable strings;
  const guint32 *c_refs;     /* each part's string */
  const guint32 *c_first;    /* each literal's first part; n_literals + 1 */
  const guint32 *c_lens;     /* each part's length */
  const guint8 *c_flags;     /* each literal's LITERAL_ANYWHERE, LITERAL_NAMES */
  gsize c_n_parts;
  gsize materialized;        /* (g_once) */
};

static guint16
key_at (const char *p)
{
  return (guint16) (((guchar) p[0] << 8) | (guchar) p[1]);
}

BounceLiteralIndex *
bounce_literal_index_new (void)
{
  BounceLiteralIndex *self = g_new0 (BounceLiteralIndex, 1);

  self->literals = g_ptr_array_new ();
  self->owners = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  return self;
}

void
bounce_literal_index_free (BounceLiteralIndex *index)
{
  if (index == NULL)
    return;
  g_clear_pointer (&index->literals, g_ptr_array_unref);
  g_clear_pointer (&index->owners, g_array_unref);
  g_clear_pointer (&index->candidates, g_array_unref);
  g_free (index->owned[0]);
  g_free (index->owned[1]);
  if (index->compiled != NULL)
    {
      g_free ((gpointer) index->lit_v);
      g_free (index->lit_store);
      g_free (index->part_v);
      g_free (index->part_len_v);
      g_variant_unref (index->compiled);
    }
  g_free (index);
}

void
bounce_literal_index_add (BounceLiteralIndex  *index,
                          const BounceLiteral *literal,
                          guint32              owner)
{
  Candidate c = { 0, index->literals->len };

  g_return_if_fail (!index->built);
  g_ptr_array_add (index->literals, (gpointer) literal);
  g_array_append_val (index->owners, owner);
  if (literal->part_len[0] >= 2)
    {
      c.key = key_at (literal->parts[0]);
      g_array_append_val (index->candidates, c);
      return;
    }
  /* a phrase that starts with one byte ("<", "(") is filed under every
   * byte that may follow it */
  for (guint next = 0; next < 256; next++)
    {
      c.key = (guint16) (((guchar) literal->parts[0][0] << 8) | next);
      g_array_append_val (index->candidates, c);
    }
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *x = a;
  const Candidate *y = b;

  if (x->key != y->key)
    return (int) x->key - (int) y->key;
  return x->literal < y->literal ? -1 : x->literal > y->literal;
}

void
bounce_literal_index_build (BounceLiteralIndex *index)
{
  guint32 *starts = g_new0 (guint32, 65537);
  guint32 *cand = g_new (guint32, MAX (index->candidates->len, 1));
  guint i = 0;

  g_return_if_fail (!index->built);
  g_array_sort (index->candidates, compare_candidates);
  for (guint key = 0; key <= 65536; key++)
    {
      starts[key] = i;
      while (key < 65536 && i < index->candidates->len &&
             g_array_index (index->candidates, Candidate, i).key == key)
        {
          cand[i] = g_array_index (index->candidates, Candidate, i).literal;
          i++;
        }
    }
  index->owned[0] = starts;
  index->owned[1] = cand;
  index->starts = starts;
  index->cand = cand;
  index->n_cand = starts[65536];
  index->lit_v = (const BounceLiteral * const *) index->literals->pdata;
  index->owner_v = (const guint32 *) (gpointer) index->owners->data;
  index->n_literals = index->literals->len;
  index->built = TRUE;
}

/* The strings, each part's string, each literal's first part, owners,
 * starts, cand, each literal's flags (LITERAL_ANYWHERE, LITERAL_NAMES)
 * and each part's length: what a load would otherwise work out again from
 * the parts at every run. */
#define INDEX_VARIANT_TYPE "(ayauauauauauayau)"
#define LITERAL_ANYWHERE 1
#define LITERAL_NAMES    2

GVariant *
bounce_literal_index_to_variant (BounceLiteralIndex *index)
{
  BounceStringPool pool;
  g_autoptr(GArray) parts = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GByteArray) flags = g_byte_array_new ();
  g_autoptr(GArray) part_len = g_array_new (FALSE, FALSE, sizeof (guint32));
  GVariant *variant;

  g_return_val_if_fail (index->built, NULL);
  bounce_string_pool_init (&pool);
  for (guint i = 0; i < index->n_literals; i++)
    {
      const BounceLiteral *lit = index->lit_v[i];
      guint32 at = parts->len;

      guint8 flag = (lit->anywhere ? LITERAL_ANYWHERE : 0) | (lit->names ? LITERAL_NAMES : 0);

      g_byte_array_append (flags, &flag, 1);
      g_array_append_val (first, at);
      for (guint k = 0; k < lit->n_parts; k++)
        {
          guint32 ref = bounce_string_pool_add (&pool, lit->parts[k]);
          guint32 len = (guint32) lit->part_len[k];

          g_array_append_val (parts, ref);
          g_array_append_val (part_len, len);
        }
    }
  {
    guint32 at = parts->len;

    g_array_append_val (first, at);
  }
  variant = g_variant_new ("(@ay@au@au@au@au@au@ay@au)",
                           bounce_string_pool_to_variant (&pool),
                           bounce_u32_array_to_variant ((const guint32 *) (gpointer) parts->data, parts->len),
                           bounce_u32_array_to_variant ((const guint32 *) (gpointer) first->data, first->len),
                           bounce_u32_array_to_variant (index->owner_v, index->n_literals),
                           bounce_u32_array_to_variant (index->starts, 65537),
                           bounce_u32_array_to_variant (index->cand, index->starts[65536]),
                           g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, flags->len > 0 ? flags->data : (guint8 *) "",
                                                      flags->len, 1),
                           bounce_u32_array_to_variant ((const guint32 *) (gpointer) part_len->data, part_len->len));
  bounce_string_pool_clear (&pool);
  return variant;
}

/* Makes a compiled index's literals over its parts (checking each part's
 * string and length): FALSE when one is damaged. */
static gboolean
materialize (BounceLiteralIndex *self)
{
  BounceLiteral **lit_v;
  gboolean ok = TRUE;
  const guint32 *first = self->c_first;

  /* (not cleared: each literal is set whole below, before it is used) */
  self->lit_store = g_new (BounceLiteral, MAX (self->n_literals, 1));
  self->part_v = g_new (const char *, MAX (self->c_n_parts, 1));
  self->part_len_v = g_new (gsize, MAX (self->c_n_parts, 1));
  lit_v = g_new (BounceLiteral *, MAX (self->n_literals, 1));
  for (gsize p = 0; ok && p < self->c_n_parts; p++)
    {
      guint32 ref = self->c_refs[p];
      guint32 len = self->c_lens[p];

      /* (a length as stored, when its string ends there in the pool: a
       * damaged one never has a part read past the pool) */
      self->part_v[p] = bounce_string_table_get (&self->strings, ref);
      self->part_len_v[p] = len;
      ok = self->part_v[p] != NULL && len > 0 && len < self->strings.len - (ref - 1) &&
           self->part_v[p][len] == '\0';
    }
  for (guint i = 0; ok && i < self->n_literals; i++)
    {
      BounceLiteral *lit = &self->lit_store[i];

      ok = first[i] < first[i + 1] && first[i + 1] <= self->c_n_parts;
      if (!ok)
        break;
      lit->parts = (GStrv) &self->part_v[first[i]];
      lit->part_len = &self->part_len_v[first[i]];
      lit->n_parts = first[i + 1] - first[i];
      lit->borrowed = TRUE;
      lit->anywhere = (self->c_flags[i] & LITERAL_ANYWHERE) != 0;
      lit->names = (self->c_flags[i] & LITERAL_NAMES) != 0;
      lit->length = 0;
      for (guint k = 0; k < lit->n_parts; k++)
        lit->length += lit->part_len[k];
      lit_v[i] = lit;
    }
  /* (published last: a scan reads lit_v once it is set) */
  g_atomic_pointer_set (&self->lit_v, (const BounceLiteral * const *) lit_v);
  return ok;
}

BounceLiteralIndex *
bounce_literal_index_new_from_variant (GVariant *variant,
                                       gboolean  trusted)
{
  BounceLiteralIndex *self;
  g_autoptr(GVariant) pool = NULL;
  g_autoptr(GVariant) flags = NULL;
  BounceStringTable strings;
  const guint32 *refs, *first, *lens;
  const guint8 *lit_flags;
  gsize n_parts = 0, n_first = 0, n_owners = 0, n_starts = 0, n_cand = 0, n_flags = 0, n_lens = 0;
  gboolean ok;

  g_return_val_if_fail (variant != NULL, NULL);
  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (INDEX_VARIANT_TYPE)))
    return NULL;
  self = g_new0 (BounceLiteralIndex, 1);
  self->compiled = g_variant_ref_sink (variant);
  self->built = TRUE;
  pool = g_variant_get_child_value (variant, 0);
  refs = bounce_u32_array_get (variant, 1, &n_parts);
  first = bounce_u32_array_get (variant, 2, &n_first);
  self->owner_v = bounce_u32_array_get (variant, 3, &n_owners);
  self->starts = bounce_u32_array_get (variant, 4, &n_starts);
  self->cand = bounce_u32_array_get (variant, 5, &n_cand);
  flags = g_variant_get_child_value (variant, 6);
  lit_flags = g_variant_get_fixed_array (flags, &n_flags, 1);
  lens = bounce_u32_array_get (variant, 7, &n_lens);
  ok = bounce_string_table_init (&strings, pool) && n_first >= 1 && n_owners == n_first - 1 &&
       n_flags == n_owners && n_lens == n_parts &&
       n_starts == 65537 && first[0] == 0 && first[n_first - 1] == n_parts && self->starts[0] == 0 &&
       self->starts[65536] == n_cand;
  if (ok)
    {
      self->n_literals = n_owners;
      self->n_cand = n_cand;
      self->strings = strings;
      self->c_refs = refs;
      self->c_first = first;
      self->c_lens = lens;
      self->c_flags = lit_flags;
      self->c_n_parts = n_parts;
      /* A trusted index (checked whole when it was built) is scanned as it
       * is stored: making its literals cost every run about 0.15 M
       * instructions and 150 KB of memory for the few a text holds. */
      if (trusted)
        self->compact = TRUE;
      else
        {
          ok = materialize (self);
          for (gsize c = 0; ok && c < n_cand; c++)
            ok = self->cand[c] < self->n_literals;
        }
    }
  if (!ok)
    {
      bounce_literal_index_free (self);
      return NULL;
    }
  return self;
}

guint
bounce_literal_index_get_n_literals (BounceLiteralIndex *index)
{
  return index->n_literals;
}

/* A compact index's literals, made when first asked for (thread-safe). */
static const BounceLiteral * const *
literals_of (BounceLiteralIndex *index)
{
  if (index->compact && g_once_init_enter (&index->materialized))
    {
      /* (trusted: it was checked when it was built) */
      materialize (index);
      g_once_init_leave (&index->materialized, 1);
    }
  return g_atomic_pointer_get (&index->lit_v);
}

const BounceLiteral *
bounce_literal_index_get_literal (BounceLiteralIndex *index,
                                  guint               i,
                                  guint32            *owner)
{
  g_return_val_if_fail (index->built && i < index->n_literals, NULL);
  if (owner != NULL)
    *owner = index->owner_v[i];
  return literals_of (index)[i];
}

/* (a phrase of more parts than this is scanned as made by literals_of()) */
#define COMPACT_MAX_PARTS 16

/* The literal number n of a compact index, whose first part is at folded
 * + i: put together on the stack (or as literals_of() made it, when it has
 * many parts) for the rest of the test and for found (which must not keep
 * it). */
static void
found_compact (BounceLiteralIndex     *index,
               guint32                 n,
               const char             *folded,
               gsize                   len,
               gsize                   i,
               BounceLiteralFoundFunc  found,
               gpointer                data)
{
  guint32 p0 = index->c_first[n];
  guint n_parts = index->c_first[n + 1] - p0;
  const char *parts[COMPACT_MAX_PARTS + 1];
  gsize part_len[COMPACT_MAX_PARTS];
  BounceLiteral lit;
  const BounceLiteral *use = &lit;
  const char *end;

  if (n_parts > COMPACT_MAX_PARTS)
    use = literals_of (index)[n];
  else
    {
      lit.parts = (GStrv) parts;
      lit.part_len = part_len;
      lit.n_parts = n_parts;
      lit.length = 0;
      for (guint k = 0; k < n_parts; k++)
        {
          parts[k] = index->strings.data + index->c_refs[p0 + k] - 1;
          part_len[k] = index->c_lens[p0 + k];
          lit.length += part_len[k];
        }
      parts[n_parts] = NULL;
      lit.anywhere = (index->c_flags[n] & LITERAL_ANYWHERE) != 0;
      lit.names = (index->c_flags[n] & LITERAL_NAMES) != 0;
      lit.borrowed = TRUE;
    }
  if (use->anywhere ||
      (starts_word (folded, folded + i, use->parts[0]) && match_from (use, folded, len, folded + i, &end)))
    found (index->owner_v[n], use, use->length, data);
}

/* Whether the n bytes at text are part's, for a candidate of a trusted
 * index (checked whole when it was built) filed under the key of text, its
 * first two bytes: those are equal already, and most candidates differ at
 * the third, which is compared before memcmp() is called for the rest. */
static inline gboolean
heads_match (const char *text,
             const char *part,
             gsize       n)
{
  if (n <= 2)
    return TRUE;
  return text[2] == part[2] && memcmp (text + 3, part + 3, n - 3) == 0;
}

/* As bounce_literal_index_scan(), over a compact index's literals as they
 * are stored: a literal whose first part is found is put together on the
 * stack for the rest of the test and for found (which must not keep it). */
static void
scan_compact (BounceLiteralIndex     *index,
              const char             *folded,
              gsize                   len,
              BounceLiteralFoundFunc  found,
              gpointer                data)
{
  const guint32 *starts = index->starts, *cand = index->cand;
  const guint32 *first = index->c_first, *lens = index->c_lens, *refs = index->c_refs;
  /* (trusted: every reference is a string of the pool) */
  const char *pool = index->strings.data - 1;

  for (gsize i = 0; i + 1 < len; i++)
    {
      guint16 key = key_at (folded + i);
      guint32 stop = MIN (starts[key + 1], index->n_cand);

      for (guint32 c = starts[key]; c < stop; c++)
        {
          guint32 n = cand[c];
          guint32 p0 = first[n];
          guint32 len0 = lens[p0];
          const char *part0 = pool + refs[p0];

          if (len0 <= len - i && heads_match (folded + i, part0, len0))
            found_compact (index, n, folded, len, i, found, data);
        }
    }
}

void
bounce_literal_index_scan (BounceLiteralIndex     *index,
                           const char             *folded,
                           gsize                   len,
                           BounceLiteralFoundFunc  found,
                           gpointer                data)
{
  g_return_if_fail (index != NULL && index->built);
  if (folded == NULL || len < 2)
    return;
  if (index->compact)
    {
      scan_compact (index, folded, len, found, data);
      return;
    }
  for (gsize i = 0; i + 1 < len; i++)
    {
      guint16 key = key_at (folded + i);

      guint32 stop = MIN (index->starts[key + 1], index->n_cand);

      for (guint32 c = index->starts[key]; c < stop; c++)
        {
          guint32 n = index->cand[c];
          const BounceLiteral *lit = index->lit_v[n];
          const char *end;

          if (lit->part_len[0] <= len - i && memcmp (folded + i, lit->parts[0], lit->part_len[0]) == 0 &&
              (lit->anywhere ||
               (starts_word (folded, folded + i, lit->parts[0]) && match_from (lit, folded, len, folded + i, &end))))
            found (index->owner_v[n], lit, lit->length, data);
        }
    }
}
