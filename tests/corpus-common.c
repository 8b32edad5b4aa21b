/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "corpus-common.h"

const char * const corpus_field_names[CORPUS_N_FIELDS] = {
  "status", "reply_code", "reason", "hard_bounce"
};

void
corpus_result_free (CorpusResult *result)
{
  g_free (result->name);
  for (guint f = 0; f < CORPUS_N_FIELDS; f++)
    {
      g_array_unref (result->right[f]);
      g_ptr_array_unref (result->got[f]);
      g_ptr_array_unref (result->want[f]);
    }
  g_free (result);
}

JsonObject *
corpus_load_truth (const char  *path,
                   JsonParser **parser_out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("%s: %s", path, error->message);
  root = json_node_get_object (json_parser_get_root (parser));
  *parser_out = g_steal_pointer (&parser);
  return root;
}

const char * const corpus_all_dirs[] = { "eml", "eml-cr", "eml-crlf", "not-bounces", NULL };

void
corpus_text_free (CorpusText *text)
{
  g_free (text->name);
  g_free (text->contents);
  g_free (text);
}

GPtrArray *
corpus_read_texts (const char * const *dirs)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func ((GDestroyNotify) corpus_text_free);

  for (guint d = 0; dirs[d] != NULL; d++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "corpus", dirs[d], NULL);
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (path, name, NULL);
          CorpusText *text = g_new0 (CorpusText, 1);

          if (!g_file_get_contents (file, &text->contents, &text->length, NULL))
            {
              corpus_text_free (text);
              continue;
            }
          text->name = g_strdup (name);
          g_ptr_array_add (texts, text);
        }
    }
  return texts;
}

char *
corpus_family (const char *name)
{
  g_autofree char *base = g_strdup (name);
  char *dash = strrchr (base, '-');
  const char *start = base;

  if (dash != NULL)
    *dash = '\0';
  if (g_str_has_prefix (start, "lhost-"))
    start += 6;
  return g_strdup (start);
}

static gboolean
is_failure (const char *reason)
{
  return g_strcmp0 (reason, "vacation") != 0 && g_strcmp0 (reason, "delivered") != 0 &&
         g_strcmp0 (reason, "feedback") != 0;
}

static char *
recipient_value (BounceRecipient *r,
                 CorpusField      field)
{
  switch (field)
    {
    case CORPUS_STATUS:
      return g_strdup (bounce_recipient_get_status (r) ? bounce_recipient_get_status (r) : "");
    case CORPUS_REPLY:
      return g_strdup (bounce_recipient_get_reply_code (r) ? bounce_recipient_get_reply_code (r) : "");
    case CORPUS_REASON:
      return g_strdup (bounce_recipient_get_reason (r));
    case CORPUS_HARD:
      return g_strdup (bounce_recipient_get_hard_bounce (r) ? "1" : "0");
    case CORPUS_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static char *
truth_value (JsonObject  *t,
             CorpusField  field)
{
  const char *name = corpus_field_names[field];
  JsonNode *node = json_object_get_member (t, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (field == CORPUS_HARD)
    return g_strdup (json_node_get_int (node) ? "1" : "0");
  return g_strdup (json_node_get_string (node));
}

CorpusResult *
corpus_check_file (const char *dir,
                   const char *name,
                   JsonArray  *truth)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("%s: %s", path, error->message);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  return corpus_check_bytes (name, bytes, truth);
}

CorpusResult *
corpus_check_bytes (const char *name,
                    GBytes     *bytes,
                    JsonArray  *truth)
{
  CorpusResult *result = g_new0 (CorpusResult, 1);
  g_autoptr(BounceReport) report = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *recipients = NULL;

  result->name = g_strdup (name);
  result->n_truth = json_array_get_length (truth);
  for (guint f = 0; f < CORPUS_N_FIELDS; f++)
    {
      result->right[f] = g_array_new (FALSE, TRUE, sizeof (gboolean));
      result->got[f] = g_ptr_array_new_with_free_func (g_free);
      result->want[f] = g_ptr_array_new_with_free_func (g_free);
    }

  report = bounce_analyze_bytes (bytes, name, NULL, &error);
  result->ok = report != NULL;
  if (report != NULL)
    {
      recipients = bounce_report_get_recipients (report);
      result->n_found = g_list_model_get_n_items (recipients);
      for (guint i = 0; i < result->n_found; i++)
        {
          g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, i);

          result->n_failed += is_failure (bounce_recipient_get_reason (r));
        }
    }

  for (guint i = 0; i < result->n_truth; i++)
    {
      JsonObject *t = json_array_get_object_element (truth, i);
      g_autoptr(BounceRecipient) r = NULL;

      if (recipients != NULL && i < result->n_found)
        r = g_list_model_get_item (recipients, i);
      for (guint f = 0; f < CORPUS_N_FIELDS; f++)
        {
          char *want = truth_value (t, f);
          char *got = r ? recipient_value (r, f) : g_strdup ("<none>");
          gboolean right = g_str_equal (want, got);

          g_array_append_val (result->right[f], right);
          g_ptr_array_add (result->want[f], want);
          g_ptr_array_add (result->got[f], got);
        }
    }
  return result;
}
