/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"

/* The compiled catalogue's reader on damaged copies of the real one: the
 * input is a list of patches (a 4-byte offset, then a byte written there),
 * applied to the built-in blob.  The reader and its check must refuse the
 * copy or give a catalogue that answers without crashing: the rules'
 * prefilter and the phrase index read as they lie, the entries' records,
 * and their phrases, read when first asked for (also after the catalogue
 * is gone). */

static GBytes *original;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) damaged = NULL;
  g_autoptr(BounceCatalogue) catalogue = NULL;
  g_autoptr(BounceEntry) kept = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  guint8 *copy;

  fuzz_init ();
  if (original == NULL)
    original = g_resources_lookup_data (BOUNCE_CATALOGUE_COMPILED_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  FUZZ_CHECK (original != NULL);

  copy = g_memdup2 (g_bytes_get_data (original, &len), len);
  for (size_t i = 0; i + 5 <= size && i < 5 * 64; i += 5)
    {
      guint32 offset;

      memcpy (&offset, data + i, 4);
      copy[offset % len] = data[i + 4];
    }
  damaged = g_bytes_new_take (copy, len);

  catalogue = bounce_catalogue_new_from_compiled (damaged, &error);
  /* (the catalogue and what it made keep what they need of the bytes) */
  g_clear_pointer (&damaged, g_bytes_unref);
  if (catalogue == NULL)
    {
      FUZZ_CHECK (error != NULL);
      return 0;
    }
  /* as BOUNCE_CATALOGUE_COMPILED's file is: checked whole before use */
  if (!bounce_catalogue_check_compiled (catalogue, &error))
    {
      FUZZ_CHECK (error != NULL);
      return 0;
    }
  {
    static const char *texts[] = {
      "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table",
      "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume",
      "554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org",
      "452 4.2.2 The email account that you tried to reach is over quota",
    };
    guint n = bounce_catalogue_get_n_entries (catalogue);

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        g_autoptr(GPtrArray) rules = bounce_catalogue_match_rules (catalogue, texts[i], NULL);
        g_autoptr(GPtrArray) found = bounce_catalogue_search (catalogue, i == 0 ? "550" : "mailbox full");

        FUZZ_CHECK (rules != NULL && found != NULL);
      }
    /* a few entries made from their records, wherever the patches fell */
    if (n > 0 && size >= 4)
      {
        GPtrArray *all = bounce_catalogue_get_entries (catalogue);

        guint last = all->len;

        FUZZ_CHECK (all->len == n);
        for (guint i = 0; i < all->len; i++)
          if (bounce_entry_get_kind (all->pdata[i]) == BOUNCE_ENTRY_PHRASES)
            last = i;
        for (guint i = 0; i < all->len; i++)
          {
            FUZZ_CHECK (bounce_entry_get_id (all->pdata[i]) != NULL);
            /* (a compiled entry's phrases are read from its record when
             * first asked for; the last phrases entry's after the
             * catalogue and its bytes are gone, below) */
            if (i != last)
              FUZZ_CHECK (bounce_entry_get_phrases (all->pdata[i]) != NULL);
          }
        if (last < all->len)
          kept = g_object_ref (all->pdata[last]);
      }
    bounce_catalogue_find_reason (catalogue, "userunknown");
    bounce_catalogue_find_enhanced (catalogue, "5.1.1", NULL);
  }
  g_clear_object (&catalogue);
  if (kept != NULL)
    {
      GPtrArray *phrases = bounce_entry_get_phrases (kept);

      FUZZ_CHECK (phrases != NULL);
      for (guint i = 0; i < phrases->len; i++)
        FUZZ_CHECK (phrases->pdata[i] != NULL);
    }
  return 0;
}
