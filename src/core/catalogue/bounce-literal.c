/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-literal.h"

struct _BounceLiteral
{
  GStrv parts;        /* folded */
  gsize *part_len;
  guint n_parts;
  gsize length;       /* summed length of the parts */
  gboolean names;     /* the phrase itself holds a name ('.', '/', '@') */
  gboolean anywhere;  /* found inside words and names too */
};

char *
bounce_literal_fold (const char *text,
                     gssize      len)
{
  GString *out;
  gboolean space = FALSE;
  gboolean valid;
  const char *p, *end;

  if (text == NULL)
    return g_strdup ("");
  if (len < 0)
    len = strlen (text);
  valid = g_utf8_validate (text, len, NULL);
  out = g_string_sized_new (len + 1);
  for (p = text, end = text + len; p < end && *p != '\0';)
    {
      guchar c = (guchar) *p;

      /* white space, and the no-break space U+00A0 */
      if (g_ascii_isspace (c) || (c == 0xc2 && p + 1 < end && (guchar) p[1] == 0xa0))
        {
          p += c == 0xc2 ? 2 : 1;
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      if (c < 0x80 || !valid)
        {
          g_string_append_c (out, g_ascii_tolower (c));
          p++;
          continue;
        }
      /* ’ and ‘ (U+2019, U+2018) as ' */
      if (c == 0xe2 && end - p >= 3 && (guchar) p[1] == 0x80 && ((guchar) p[2] == 0x99 || (guchar) p[2] == 0x98))
        {
          g_string_append_c (out, '\'');
          p += 3;
          continue;
        }
      g_string_append_unichar (out, g_unichar_tolower (g_utf8_get_char (p)));
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
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
  if (literal == NULL)
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
  const BounceLiteral *literal;
  gpointer owner;
} Candidate;

struct _BounceLiteralIndex
{
  GArray *candidates;   /* Candidate, sorted by key once built */
  guint32 *starts;      /* 65537 offsets into candidates, by key */
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

  self->candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  return self;
}

void
bounce_literal_index_free (BounceLiteralIndex *index)
{
  if (index == NULL)
    return;
  g_array_unref (index->candidates);
  g_free (index->starts);
  g_free (index);
}

void
bounce_literal_index_add (BounceLiteralIndex  *index,
                          const BounceLiteral *literal,
                          gpointer             owner)
{
  Candidate c = { 0, literal, owner };

  g_return_if_fail (index->starts == NULL);
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

  return (int) x->key - (int) y->key;
}

void
bounce_literal_index_build (BounceLiteralIndex *index)
{
  guint32 *starts = g_new0 (guint32, 65537);
  guint i = 0;

  g_return_if_fail (index->starts == NULL);
  g_array_sort (index->candidates, compare_candidates);
  for (guint key = 0; key <= 65536; key++)
    {
      starts[key] = i;
      while (key < 65536 && i < index->candidates->len &&
             g_array_index (index->candidates, Candidate, i).key == key)
        i++;
    }
  index->starts = starts;
}

void
bounce_literal_index_scan (BounceLiteralIndex     *index,
                           const char             *folded,
                           gsize                   len,
                           BounceLiteralFoundFunc  found,
                           gpointer                data)
{
  g_return_if_fail (index != NULL && index->starts != NULL);
  if (folded == NULL || len < 2)
    return;
  for (gsize i = 0; i + 1 < len; i++)
    {
      guint16 key = key_at (folded + i);

      for (guint32 c = index->starts[key]; c < index->starts[key + 1]; c++)
        {
          const Candidate *cand = &g_array_index (index->candidates, Candidate, c);
          const BounceLiteral *lit = cand->literal;
          const char *end;

          if (lit->part_len[0] <= len - i && memcmp (folded + i, lit->parts[0], lit->part_len[0]) == 0 &&
              (lit->anywhere ||
               (starts_word (folded, folded + i, lit->parts[0]) && match_from (lit, folded, len, folded + i, &end))))
            found (cand->owner, lit, lit->length, data);
        }
    }
}
