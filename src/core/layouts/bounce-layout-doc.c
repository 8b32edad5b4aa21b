/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* Text helpers shared by the layout modules. */

void
bounce_quoted_reply_clear (BounceQuotedReply *q)
{
  g_clear_pointer (&q->reply, g_free);
  g_clear_pointer (&q->enhanced, g_free);
  g_clear_pointer (&q->said, g_free);
}

void
bounce_line_trim (const BounceLine  *l,
                  const char       **start,
                  gsize             *len)
{
  const char *s = l->s;
  gsize n = l->len;

  while (n > 0 && (*s == ' ' || *s == '\t'))
    s++, n--;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    n--;
  *start = s;
  *len = n;
}

gboolean
bounce_line_is_blank (const BounceLine *l)
{
  const char *s;
  gsize n;

  bounce_line_trim (l, &s, &n);
  return n == 0;
}

gboolean
bounce_line_is_reply (const BounceLine *l)
{
  const char *s;
  gsize n;

  bounce_line_trim (l, &s, &n);
  return n >= 4 && (s[0] == '4' || s[0] == '5') && g_ascii_isdigit (s[1]) && g_ascii_isdigit (s[2]) &&
         (s[3] == ' ' || s[3] == '-');
}

/* g_ascii_tolower() without the call: these helpers run over every line
 * for every layout. */
static inline char
ascii_lower (char c)
{
  return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

gboolean
bounce_mem_has_prefix (const char *s,
                       gsize       len,
                       const char *prefix)
{
  gsize n = strlen (prefix);

  if (len < n)
    return FALSE;
  return n == 0 || (ascii_lower (s[0]) == ascii_lower (prefix[0]) && g_ascii_strncasecmp (s, prefix, n) == 0);
}

const char *
bounce_mem_find (const char *s,
                 gsize       len,
                 const char *needle)
{
  gsize n = strlen (needle);
  const char *last;
  char lower, upper;
  const char *next_lower, *next_upper;

  if (n == 0 || len < n)
    return NULL;
  /* The places the needle's first byte is, in either case, found with
   * memchr() (which reads many bytes at a time), the next of each kept
   * until passed. */
  last = s + len - n;   /* the last place a match can start */
  lower = ascii_lower (needle[0]);
  upper = g_ascii_toupper (lower);
  next_lower = memchr (s, lower, last - s + 1);
  next_upper = upper != lower ? memchr (s, upper, last - s + 1) : NULL;
  while (next_lower != NULL || next_upper != NULL)
    {
      const char *p = next_upper == NULL || (next_lower != NULL && next_lower < next_upper) ?
                      next_lower : next_upper;

      if (g_ascii_strncasecmp (p, needle, n) == 0)
        return p;
      if (p == next_lower)
        next_lower = memchr (p + 1, lower, last - p);
      else
        next_upper = memchr (p + 1, upper, last - p);
    }
  return NULL;
}

gboolean
bounce_line_starts (const BounceLine *l,
                    const char       *prefix)
{
  const char *s = l->s;
  gsize n = l->len;

  /* (most lines differ from the prefix at their first byte: the white
   * space at their end and the prefix's length are looked at only when
   * they do not) */
  while (n > 0 && (*s == ' ' || *s == '\t'))
    s++, n--;
  if (prefix[0] != '\0' && (n == 0 || ascii_lower (s[0]) != ascii_lower (prefix[0])))
    return FALSE;
  bounce_line_trim (l, &s, &n);
  return bounce_mem_has_prefix (s, n, prefix);
}

gboolean
bounce_line_contains (const BounceLine *l,
                      const char       *needle)
{
  return bounce_mem_find (l->s, l->len, needle) != NULL;
}

int
bounce_doc_find_start (BounceLayoutDoc *d,
                       guint            from,
                       const char      *prefix)
{
  /* (a line whose first byte is not the prefix's is passed over by its
   * head, as bounce_line_starts() would reject it: a blank line's head, 0,
   * is no prefix's first byte) */
  guint8 first = (guint8) ascii_lower (prefix[0]);
  const guint8 *heads = d->line_heads->data;

  for (guint i = from; i < d->lines->len; i++)
    if ((first == 0 || heads[i] == first) && bounce_line_starts (bounce_doc_line (d, i), prefix))
      return (int) i;
  return -1;
}

int
bounce_doc_find (BounceLayoutDoc *d,
                 guint            from,
                 const char      *needle)
{
  for (guint i = from; i < d->lines->len; i++)
    if (bounce_line_contains (bounce_doc_line (d, i), needle))
      return (int) i;
  return -1;
}

char *
bounce_address_in (const char *s,
                   gsize       len)
{
  return bounce_extract_address (s, len, 0, NULL, NULL);
}

gboolean
bounce_mem_has_unquoted (const char *s,
                         gsize       len,
                         const char *bytes)
{
  gboolean quoted = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (s[i] == '"')
        quoted = !quoted;
      else if (quoted && s[i] == '\\' && i + 1 < len)
        i++;   /* a quoted-pair */
      else if (!quoted && s[i] != '\0' && strchr (bytes, s[i]) != NULL)
        return TRUE;
    }
  return FALSE;
}

char *
bounce_address_colon_line (const BounceLine *l)
{
  const char *s;
  gsize n;

  bounce_line_trim (l, &s, &n);
  if (bounce_mem_has_prefix (s, n, "To:"))
    {
      s += 3, n -= 3;
      while (n > 0 && *s == ' ')
        s++, n--;
    }
  if (n < 4 || s[n - 1] != ':')
    return NULL;
  n--;
  if (s[0] == '<')
    {
      if (s[n - 1] != '>')
        return NULL;
      s++, n -= 2;
    }
  if (bounce_mem_has_unquoted (s, n, " \t<>") || memchr (s, '@', n) == NULL)
    return NULL;
  return bounce_address_in (s, n);
}

void
bounce_diag_append (GString    *diag,
                    const char *s,
                    gsize       n)
{
  while (n > 0 && (*s == ' ' || *s == '\t'))
    s++, n--;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    n--;
  if (n == 0 || diag->len + 1 >= BOUNCE_LAYOUT_TEXT_LIMIT)
    return;
  if (diag->len > 0)
    g_string_append_c (diag, ' ');
  /* what fits, not ending inside a character */
  n = bounce_utf8_cut (s, MIN (n, BOUNCE_LAYOUT_TEXT_LIMIT - diag->len));
  for (gsize i = 0; i < n; i++)
    {
      char c = s[i] == '\t' ? ' ' : s[i];

      if (c == ' ' && diag->len > 0 && diag->str[diag->len - 1] == ' ')
        continue;
      g_string_append_c (diag, c);
    }
}

void
bounce_diag_append_line (GString          *diag,
                         const BounceLine *l)
{
  bounce_diag_append (diag, l->s, l->len);
}

char *
bounce_hash_status_in (const char *text)
{
  for (const char *p = strchr (text, '#'); p != NULL; p = strchr (p + 1, '#'))
    {
      if ((p[1] == '4' || p[1] == '5' || p[1] == '2') && p[2] == '.' && g_ascii_isdigit (p[3]))
        {
          gsize n = 4;

          while (n < 8 && g_ascii_isdigit (p[n]))
            n++;
          if (p[n] != '.' || !g_ascii_isdigit (p[n + 1]))
            continue;
          n++;
          while (n < 12 && g_ascii_isdigit (p[n]))
            n++;
          return g_strndup (p + 1, n - 1);
        }
    }
  return NULL;
}

const char *
bounce_phrase_reason (const BouncePhrase *table,
                      gsize               n,
                      const char         *text)
{
  gsize len;

  if (text == NULL)
    return NULL;
  len = strlen (text);
  for (gsize i = 0; i < n; i++)
    if (bounce_mem_find (text, len, table[i].phrase) != NULL)
      return table[i].reason;
  return NULL;
}

BounceFact *
bounce_doc_add_fact (BounceLayoutDoc *d,
                     char            *address,
                     guint            first,
                     guint            last)
{
  BounceFact *fact = bounce_fact_new (d->layout, address);
  const BounceLine *a = bounce_doc_line (d, first);
  const BounceLine *b = bounce_doc_line (d, MIN (last, d->lines->len - 1));

  fact->start = a->offset;
  fact->end = b->offset + b->len;
  g_ptr_array_add (d->out, fact);
  return fact;
}

BounceFact *
bounce_doc_find_fact (BounceLayoutDoc *d,
                      const char      *address)
{
  return bounce_facts_find (d->out, address);
}

void
bounce_fact_set_diag (BounceFact *fact,
                      GString    *diag)
{
  bounce_fact_set_text (fact, diag->str);
}

const char *
bounce_doc_header (BounceLayoutDoc *d,
                   const char      *name)
{
  if (d->message == NULL || d->message->headers == NULL)
    return NULL;
  return bounce_fields_lookup (d->message->headers, name);
}

const char *
bounce_doc_original_header (BounceLayoutDoc *d,
                            const char      *name)
{
  if (d->message == NULL || d->message->original_headers == NULL)
    return NULL;
  return bounce_fields_lookup (d->message->original_headers, name);
}

gboolean
bounce_doc_has_dsn (BounceLayoutDoc *d)
{
  return d->message != NULL && d->message->dsn_groups != NULL && d->message->dsn_groups->len > 1;
}

gboolean
bounce_address_is_qualified (const char *address)
{
  const char *at = strrchr (address, '@');

  return at != NULL && (at[1] == '[' || strchr (at + 1, '.') != NULL);
}

gboolean
bounce_doc_is_ignored_address (BounceLayoutDoc *d,
                               const char      *address)
{
  if (address == NULL)
    return TRUE;
  if (d->sender != NULL && g_str_equal (address, d->sender))
    return TRUE;
  return bounce_address_is_daemon (address);
}
