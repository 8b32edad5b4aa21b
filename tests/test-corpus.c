/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include "corpus-common.h"

/* Regression test over the real bounces in tests/corpus: every field that
 * baseline.json records as right must stay right, so accuracy only goes up.
 * With BOUNCE_UPDATE_BASELINE=FILE the program writes a new baseline of what
 * is right today instead (build-aux/corpus-baseline does that). */

static JsonObject *truth;
static JsonObject *baseline;
static JsonBuilder *new_baseline;

static const char * const dirs[] = { "eml", "eml-cr", "eml-crlf" };

static gboolean
baseline_says_right (const char  *key,
                     const char  *field,
                     guint        index)
{
  JsonObject *file;
  JsonArray *flags;

  if (baseline == NULL || !json_object_has_member (baseline, key))
    return FALSE;
  file = json_object_get_object_member (baseline, key);
  if (!json_object_has_member (file, field))
    return FALSE;
  if (g_str_equal (field, "count"))
    return json_object_get_boolean_member (file, field);
  flags = json_object_get_array_member (file, field);
  return index < json_array_get_length (flags) && json_array_get_boolean_element (flags, index);
}

static void
record_baseline (const char   *key,
                 CorpusResult *result,
                 gboolean      count_right)
{
  json_builder_set_member_name (new_baseline, key);
  json_builder_begin_object (new_baseline);
  for (guint f = 0; f < CORPUS_N_FIELDS; f++)
    {
      json_builder_set_member_name (new_baseline, corpus_field_names[f]);
      json_builder_begin_array (new_baseline);
      for (guint i = 0; i < result->right[f]->len; i++)
        json_builder_add_boolean_value (new_baseline, g_array_index (result->right[f], gboolean, i));
      json_builder_end_array (new_baseline);
    }
  json_builder_set_member_name (new_baseline, "count");
  json_builder_add_boolean_value (new_baseline, count_right);
  json_builder_end_object (new_baseline);
}

static void
test_corpus_dir (gconstpointer data)
{
  const char *sub = data;
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "corpus", sub, NULL);
  g_autoptr(GList) names = json_object_get_members (truth);
  g_autoptr(GString) regressions = g_string_new (NULL);
  guint hit[CORPUS_N_FIELDS] = { 0 };
  guint total = 0;
  guint files = 0;
  guint counts = 0;

  for (GList *l = names; l; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *key = g_strdup_printf ("%s/%s", sub, name);
      g_autoptr(CorpusResult) result = NULL;
      JsonArray *t;
      gboolean count_right;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      if (new_baseline == NULL && !json_object_has_member (baseline, key))
        g_string_append_printf (regressions, "%s: not in the baseline (build-aux/corpus-baseline)\n", key);
      t = json_object_get_array_member (truth, name);
      result = corpus_check_file (dir, name, t);
      files++;
      g_assert_true (result->ok);
      count_right = result->n_found == result->n_truth;
      counts += count_right;
      total += result->n_truth;
      for (guint f = 0; f < CORPUS_N_FIELDS; f++)
        for (guint i = 0; i < result->n_truth; i++)
          {
            gboolean right = g_array_index (result->right[f], gboolean, i);

            hit[f] += right;
            if (!right && baseline_says_right (key, corpus_field_names[f], i))
              g_string_append_printf (regressions, "%s recipient %u %s: want %s, got %s\n",
                                      key, i + 1, corpus_field_names[f],
                                      (char *) result->want[f]->pdata[i],
                                      (char *) result->got[f]->pdata[i]);
          }
      if (!count_right && baseline_says_right (key, "count", 0))
        g_string_append_printf (regressions, "%s: %u recipients, want %u\n",
                                key, result->n_found, result->n_truth);
      if (new_baseline != NULL)
        record_baseline (key, result, count_right);
    }

  g_assert_cmpuint (files, >, 0);
  g_test_message ("%s: %u files, %u recipients: status %.1f%%, reply %.1f%%, reason %.1f%%, "
                  "hard %.1f%%, count %.1f%%", sub, files, total,
                  100.0 * hit[CORPUS_STATUS] / total, 100.0 * hit[CORPUS_REPLY] / total,
                  100.0 * hit[CORPUS_REASON] / total, 100.0 * hit[CORPUS_HARD] / total,
                  100.0 * counts / files);
  if (regressions->len > 0)
    {
      g_printerr ("%s", regressions->str);
      g_test_fail_printf ("%s: results that were right are now wrong (see above)", sub);
    }
}

/* Ordinary messages must not be reported as failures. */
static void
test_corpus_not_bounces (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "corpus", "not-bounces", NULL);
  g_autofree char *truth_path = g_build_filename (dir, "truth.json", NULL);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *nb = corpus_load_truth (truth_path, &parser);
  g_autoptr(GList) names = json_object_get_members (nb);

  g_assert_nonnull (names);
  for (GList *l = names; l; l = l->next)
    {
      g_autoptr(CorpusResult) result = corpus_check_file (dir, l->data, json_object_get_array_member (nb, l->data));

      g_assert_true (result->ok);
      if (result->n_failed != 0)
        g_error ("%s: reported %u failed recipients for an ordinary message", (char *) l->data,
                 result->n_failed);
    }
}

int
main (int argc, char **argv)
{
  g_autoptr(JsonParser) truth_parser = NULL;
  g_autoptr(JsonParser) baseline_parser = json_parser_new ();
  g_autofree char *truth_path = NULL;
  g_autofree char *baseline_path = NULL;
  const char *update = g_getenv ("BOUNCE_UPDATE_BASELINE");
  int ret;

  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();

  truth_path = g_test_build_filename (G_TEST_DIST, "corpus", "truth.json", NULL);
  truth = corpus_load_truth (truth_path, &truth_parser);
  baseline_path = g_test_build_filename (G_TEST_DIST, "corpus", "baseline.json", NULL);
  if (update == NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Without its baseline the test could not fail: that is an error. */
      if (!json_parser_load_from_file (baseline_parser, baseline_path, &error))
        g_error ("%s: %s (build-aux/corpus-baseline records one)", baseline_path, error->message);
      if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (baseline_parser)))
        g_error ("%s: not a JSON object", baseline_path);
      baseline = json_node_get_object (json_parser_get_root (baseline_parser));
    }

  if (update != NULL)
    {
      new_baseline = json_builder_new ();
      json_builder_begin_object (new_baseline);
    }

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/corpus/%s", dirs[i]);

      g_test_add_data_func (path, dirs[i], test_corpus_dir);
    }
  g_test_add_func ("/corpus/not-bounces", test_corpus_not_bounces);
  ret = g_test_run ();

  if (new_baseline != NULL)
    {
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) error = NULL;

      json_builder_end_object (new_baseline);
      root = json_builder_get_root (new_baseline);
      json_generator_set_root (gen, root);
      json_generator_set_pretty (gen, TRUE);
      json_generator_set_indent (gen, 1);
      if (!json_generator_to_file (gen, update, &error))
        g_error ("%s: %s", update, error->message);
      g_clear_object (&new_baseline);
    }
  return ret;
}
