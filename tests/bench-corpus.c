/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "corpus-common.h"

/* Prints how fast and how accurately the core handles the corpus:
 *   - files per second analysed in one process (best of several rounds);
 *   - milliseconds per bounce-explain run (process start included);
 *   - accuracy per server family, so regressions and weak spots are visible;
 *   - accuracy on what a user pastes: the first text part alone, without
 *     headers, MIME structure or delivery-status fields.
 * Usage: bench-corpus [CORPUS_DIR [BOUNCE_EXPLAIN]] (defaults from the env);
 * BOUNCE_BENCH_VERBOSE=1 lists the pasted texts whose reason is wrong,
 * BOUNCE_BENCH_DUMP=DIR also writes them there. */

typedef struct {
  guint files;
  guint recipients;
  guint right[CORPUS_N_FIELDS];
  guint count_right;
} Family;

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

int
main (int argc, char **argv)
{
  const char *corpus = argc > 1 ? argv[1] : g_getenv ("BOUNCE_CORPUS_DIR");
  const char *explain = argc > 2 ? argv[2] : g_getenv ("BOUNCE_EXPLAIN");
  g_autofree char *truth_path = NULL;
  g_autofree char *eml = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GList) names = NULL;
  g_autoptr(GHashTable) families = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) bytes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) keys = NULL;
  JsonObject *truth;
  double best = G_MAXDOUBLE;
  gsize total_size = 0;
  guint totals[CORPUS_N_FIELDS] = { 0 };
  guint total_recipients = 0;

  setlocale (LC_ALL, "");
  bounce_core_init ();
  if (corpus == NULL)
    {
      g_printerr ("usage: %s CORPUS_DIR [BOUNCE_EXPLAIN]\n", argv[0]);
      return 2;
    }
  truth_path = g_build_filename (corpus, "truth.json", NULL);
  eml = g_build_filename (corpus, "eml", NULL);
  truth = corpus_load_truth (truth_path, &parser);
  names = json_object_get_members (truth);

  for (GList *l = names; l; l = l->next)
    {
      g_autofree char *path = g_build_filename (eml, l->data, NULL);
      char *contents;
      gsize len;

      if (!g_file_get_contents (path, &contents, &len, NULL))
        continue;
      total_size += len;
      g_ptr_array_add (bytes, g_bytes_new_take (contents, len));
    }

  /* Throughput: the whole corpus in one process, best of 5 rounds. */
  bounce_catalogue_get_default ();
  for (guint round = 0; round < 5; round++)
    {
      gint64 start = g_get_monotonic_time ();
      double secs;

      for (guint i = 0; i < bytes->len; i++)
        {
          g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes->pdata[i], NULL, NULL, NULL);
        }
      secs = (g_get_monotonic_time () - start) / 1e6;
      best = MIN (best, secs);
    }
  printf ("corpus: %u files, %.1f MB\n", bytes->len, total_size / 1e6);
  printf ("throughput: %.0f files/s in one process (%.3f ms per file, best of 5 rounds)\n",
          bytes->len / best, 1000.0 * best / bytes->len);

  /* A huge input: a short bounce followed by 20 MB of returned text. */
  {
    g_autoptr(GString) big = g_string_new ("From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\n"
                                           "To: alice@example.com\nSubject: Undelivered Mail Returned to Sender\n\n"
                                           "<bob@example.net>: host mx.example.net[192.0.2.7] said: 550 5.1.1 "
                                           "User unknown (in reply to RCPT TO command)\n\n");
    g_autoptr(GBytes) big_bytes = NULL;
    g_autoptr(BounceReport) report = NULL;
    gint64 start;

    while (big->len < 20 * 1000 * 1000)
      g_string_append (big, "Lorem ipsum 2023-05-01 10:12:13 dolor, see http://example.com/x?y=1 "
                            "and mail@example.org, 550 5.1.1 quoted.\n");
    big_bytes = g_bytes_new (big->str, big->len);
    start = g_get_monotonic_time ();
    report = bounce_analyze_bytes (big_bytes, NULL, NULL, NULL);
    printf ("20 MB input: analysed in %.2f s\n", (g_get_monotonic_time () - start) / 1e6);
  }

  /* Process cost: bounce-explain on each of the first 50 files. */
  if (explain != NULL)
    {
      guint runs = 0;
      gint64 start = g_get_monotonic_time ();

      for (GList *l = names; l && runs < 50; l = l->next, runs++)
        {
          g_autofree char *path = g_build_filename (eml, l->data, NULL);
          const char *args[] = { explain, "--json", path, NULL };
          int status = 0;

          g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &status, NULL);
        }
      printf ("bounce-explain: %.2f ms per run (process start included, %u runs)\n",
              (g_get_monotonic_time () - start) / 1000.0 / runs, runs);
    }

  /* Accuracy per server family. */
  for (GList *l = names; l; l = l->next)
    {
      g_autoptr(CorpusResult) r = corpus_check_file (eml, l->data, json_object_get_array_member (truth, l->data));
      g_autofree char *family = corpus_family (l->data);
      Family *f = g_hash_table_lookup (families, family);

      if (f == NULL)
        {
          f = g_new0 (Family, 1);
          g_hash_table_insert (families, g_strdup (family), f);
        }
      f->files++;
      f->recipients += r->n_truth;
      f->count_right += r->n_found == r->n_truth;
      total_recipients += r->n_truth;
      for (guint k = 0; k < CORPUS_N_FIELDS; k++)
        for (guint i = 0; i < r->n_truth; i++)
          {
            gboolean right = g_array_index (r->right[k], gboolean, i);

            f->right[k] += right;
            totals[k] += right;
          }
    }

  printf ("\n%-18s %5s %5s %7s %7s %7s %7s %6s\n", "family", "files", "rcpts", "status", "reply",
          "reason", "hard", "count");
  keys = g_ptr_array_new ();
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, families);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_ptr_array_add (keys, key);
  }
  g_ptr_array_sort (keys, compare_names);
  for (guint i = 0; i < keys->len; i++)
    {
      Family *f = g_hash_table_lookup (families, keys->pdata[i]);

      printf ("%-18s %5u %5u %7u %7u %7u %7u %6u\n", (char *) keys->pdata[i], f->files, f->recipients,
              f->right[CORPUS_STATUS], f->right[CORPUS_REPLY], f->right[CORPUS_REASON],
              f->right[CORPUS_HARD], f->count_right);
    }
  printf ("%-18s %5u %5u %6.1f%% %6.1f%% %6.1f%% %6.1f%%\n", "total", bytes->len, total_recipients,
          100.0 * totals[CORPUS_STATUS] / total_recipients, 100.0 * totals[CORPUS_REPLY] / total_recipients,
          100.0 * totals[CORPUS_REASON] / total_recipients, 100.0 * totals[CORPUS_HARD] / total_recipients);

  /* Pasted: the text a mail program shows, alone. */
  {
    guint pasted[CORPUS_N_FIELDS] = { 0 };
    guint pasted_files = 0, pasted_recipients = 0, detected = 0;
    gboolean verbose = g_getenv ("BOUNCE_BENCH_VERBOSE") != NULL;

    for (GList *l = names; l; l = l->next)
      {
        g_autofree char *path = g_build_filename (eml, l->data, NULL);
        g_autoptr(GFile) file = g_file_new_for_path (path);
        g_autoptr(BounceInput) input = bounce_input_new_from_file (file, NULL, NULL);
        GPtrArray *segments = input ? bounce_input_get_segments (input) : NULL;
        g_autoptr(GBytes) text = NULL;
        g_autoptr(CorpusResult) r = NULL;

        for (guint i = 0; segments != NULL && i < segments->len && text == NULL; i++)
          {
            BounceSegment *seg = segments->pdata[i];

            if (seg->kind == BOUNCE_SEGMENT_TEXT && seg->end > seg->start)
              text = g_bytes_new (bounce_input_get_text (input) + seg->start, seg->end - seg->start);
          }
        if (text == NULL)
          continue;
        r = corpus_check_bytes (l->data, text, json_object_get_array_member (truth, l->data));
        pasted_files++;
        pasted_recipients += r->n_truth;
        detected += r->n_found > 0;
        for (guint k = 0; k < CORPUS_N_FIELDS; k++)
          for (guint i = 0; i < r->n_truth; i++)
            pasted[k] += g_array_index (r->right[k], gboolean, i);
        /* BOUNCE_BENCH_VERBOSE=1: each pasted reason that is wrong (and,
         * with BOUNCE_BENCH_DUMP=DIR, the text pasted, as DIR/NAME.txt) */
        for (guint i = 0; verbose && i < r->n_truth; i++)
          if (!g_array_index (r->right[CORPUS_REASON], gboolean, i))
            {
              g_printerr ("pasted\t%s\t%u\t%s\t%s\n", (char *) l->data, i,
                          (char *) r->want[CORPUS_REASON]->pdata[i], (char *) r->got[CORPUS_REASON]->pdata[i]);
              if (g_getenv ("BOUNCE_BENCH_DUMP") != NULL)
                {
                  g_autofree char *name = g_strconcat ((char *) l->data, ".txt", NULL);
                  g_autofree char *dump = g_build_filename (g_getenv ("BOUNCE_BENCH_DUMP"), name, NULL);

                  g_file_set_contents (dump, g_bytes_get_data (text, NULL), g_bytes_get_size (text), NULL);
                }
            }
      }
    printf ("%-18s %5u %5u %6.1f%% %6.1f%% %6.1f%% %6.1f%%  (first text part only; %u with a recipient)\n",
            "pasted", pasted_files, pasted_recipients,
            100.0 * pasted[CORPUS_STATUS] / MAX (pasted_recipients, 1),
            100.0 * pasted[CORPUS_REPLY] / MAX (pasted_recipients, 1),
            100.0 * pasted[CORPUS_REASON] / MAX (pasted_recipients, 1),
            100.0 * pasted[CORPUS_HARD] / MAX (pasted_recipients, 1), detected);
  }
  return 0;
}
