/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the compiled catalogue (bounce_catalogue_compile()) is made of,
 * besides arrays of numbers: strings in one pool, each named by a number
 * (its offset + 1; 0 is NULL), and records written as runs of numbers.
 * Both are read in place, without a copy and without parsing. */

typedef struct {
  GString *pool;
  GHashTable *seen;   /* string -> its number: each string once */
} BounceStringPool;

void      bounce_string_pool_init       (BounceStringPool *pool);
void      bounce_string_pool_clear      (BounceStringPool *pool);
/* The number of s in the pool (0 for NULL). */
guint32   bounce_string_pool_add        (BounceStringPool *pool,
                                         const char       *s);
/* The pool as a GVariant "ay". */
GVariant *bounce_string_pool_to_variant (BounceStringPool *pool);

typedef struct {
  const char *data;   /* strings end to end, each ending in NUL */
  gsize len;
} BounceStringTable;

/* Reads a pool ("ay") in place; FALSE when it is not one. */
gboolean  bounce_string_table_init      (BounceStringTable *table,
                                         GVariant          *pool);

/* String number n, or NULL (0, or a number outside the pool). */
static inline const char *
bounce_string_table_get (const BounceStringTable *table,
                         guint32                  n)
{
  return n > 0 && n <= table->len ? table->data + n - 1 : NULL;
}

/* A record being read: its numbers, and whether one was missing. */
typedef struct {
  const guint32 *p;
  const guint32 *end;
  const BounceStringTable *strings;
  gboolean bad;
} BounceRecordReader;

static inline guint32
bounce_record_next (BounceRecordReader *r)
{
  if (r->p >= r->end)
    {
      r->bad = TRUE;
      return 0;
    }
  return *r->p++;
}

/* A count of items of at least one number each: never more than remain. */
static inline guint32
bounce_record_count (BounceRecordReader *r)
{
  guint32 n = bounce_record_next (r);

  if (n > (gsize) (r->end - r->p))
    {
      r->bad = TRUE;
      r->p = r->end;
      return 0;
    }
  return n;
}

/* A string of the record: valid UTF-8 (a number pointing into the middle
 * of a character, or a damaged pool, makes the record bad). */
static inline const char *
bounce_record_str (BounceRecordReader *r)
{
  const char *s = bounce_string_table_get (r->strings, bounce_record_next (r));

  if (s != NULL && !g_utf8_validate (s, -1, NULL))
    {
      r->bad = TRUE;
      return NULL;
    }
  return s;
}

static inline char *
bounce_record_dup (BounceRecordReader *r)
{
  return g_strdup (bounce_record_str (r));
}

/* A record being written. */
static inline void
bounce_record_add (GArray  *record,
                   guint32  value)
{
  g_array_append_val (record, value);
}

/* A fixed array of numbers as a GVariant "au", and one read in place
 * (NULL data when empty). */
GVariant      *bounce_u32_array_to_variant (const guint32 *values,
                                            gsize          n);
const guint32 *bounce_u32_array_get        (GVariant      *parent,
                                            gsize          child,
                                            gsize         *n);

G_END_DECLS
