/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-compiled.h"

void
bounce_string_pool_init (BounceStringPool *pool)
{
  pool->pool = g_string_new (NULL);
  pool->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
bounce_string_pool_clear (BounceStringPool *pool)
{
  if (pool->pool != NULL)
    g_string_free (pool->pool, TRUE);
  g_clear_pointer (&pool->seen, g_hash_table_unref);
  pool->pool = NULL;
}

guint32
bounce_string_pool_add (BounceStringPool *pool,
                        const char       *s)
{
  gpointer n;

  if (s == NULL)
    return 0;
  if (g_hash_table_lookup_extended (pool->seen, s, NULL, &n))
    return GPOINTER_TO_UINT (n);
  n = GUINT_TO_POINTER ((guint) pool->pool->len + 1);
  g_string_append_len (pool->pool, s, strlen (s) + 1);
  g_hash_table_insert (pool->seen, g_strdup (s), n);
  return GPOINTER_TO_UINT (n);
}

GVariant *
bounce_string_pool_to_variant (BounceStringPool *pool)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, pool->pool->len > 0 ? pool->pool->str : "",
                                    pool->pool->len, 1);
}

gboolean
bounce_string_table_init (BounceStringTable *table,
                          GVariant          *pool)
{
  gsize len = 0;
  const char *data = g_variant_get_fixed_array (pool, &len, 1);

  /* (every string, the last included, ends inside the pool) */
  if (len > 0 && data[len - 1] != '\0')
    return FALSE;
  table->data = data;
  table->len = len;
  return TRUE;
}

GVariant *
bounce_u32_array_to_variant (const guint32 *values,
                             gsize          n)
{
  static const guint32 none = 0;

  return g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, n > 0 ? (gconstpointer) values : &none, n,
                                    sizeof (guint32));
}

const guint32 *
bounce_u32_array_get (GVariant *parent,
                      gsize     child,
                      gsize    *n)
{
  g_autoptr(GVariant) value = g_variant_get_child_value (parent, child);

  /* (a serialised child's data lies in its parent's, which the caller keeps) */
  return g_variant_get_fixed_array (value, n, sizeof (guint32));
}
