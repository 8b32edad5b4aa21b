/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "bounce-core.h"

/* Every language of po/LINGUAS, checked against its compiled translation
 * in the build tree (BOUNCE_ASSISTANT_LOCALEDIR=<builddir>/po):
 *
 * - /translations/LANG/catalogue: each text of each catalogue entry (title,
 *   provider name, explanation, every sender and admin step, every link
 *   title) has a translation.  msgfmt leaves fuzzy and empty messages out
 *   of the .mo, so they count as missing.  A translation that happens to
 *   equal the English text still counts as present: gettext then returns
 *   the .mo's copy, not the msgid it was given.
 * - /translations/LANG/summary: the ticket summary (Copy Summary) and the
 *   readable report are in the language, while bounce-explain --json keeps
 *   its keys and identifiers in English.
 *
 * Each language runs in a subprocess started with LANGUAGE=LANG, since
 * gettext picks the language up once. */

#define SAMPLE "cli-failure.eml"

/* JSON members whose values are catalogue prose, which follows the
 * language; every other value and every key must not change. */
static const char * const prose_members[] = {
  "title", "explanation", "sender", "admin", "text", "condition", NULL
};

static GStrv
read_linguas (void)
{
  const char *path = g_getenv ("BOUNCE_LINGUAS_FILE");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (path == NULL)
    g_error ("BOUNCE_LINGUAS_FILE is not set: run this test through meson");
  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);

  /* The format of po/LINGUAS: languages separated by white space, and
   * comment lines starting with #. */
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;
      char *line = g_strstrip (lines[i]);

      if (*line == '#')
        continue;
      words = g_strsplit_set (line, " \t", -1);
      for (guint j = 0; words[j] != NULL; j++)
        if (*words[j] != '\0')
          g_strv_builder_add (builder, words[j]);
    }

  return g_strv_builder_end (builder);
}

static JsonNode *
load_resource_json (const char *name)
{
  g_autofree char *path = g_build_path ("/", BOUNCE_CATALOGUE_RESOURCE_DIR, name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                              g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

typedef struct {
  guint  n_strings;
  GPtrArray *missing;   /* "entry-id field: text" */
} Check;

static void
check_msgid (Check      *check,
             const char *id,
             const char *field,
             const char *msgid)
{
  if (msgid == NULL || *msgid == '\0')
    return;

  check->n_strings++;
  /* Without a translation gettext returns the very pointer it was given. */
  if (g_dgettext (GETTEXT_PACKAGE, msgid) == msgid)
    g_ptr_array_add (check->missing, g_strdup_printf ("%s %s: “%s”", id, field, msgid));
}

static void
check_member_string (Check      *check,
                     JsonObject *object,
                     const char *id,
                     const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
    check_msgid (check, id, member, json_node_get_string (node));
}

static void
check_member_strings (Check      *check,
                      JsonObject *object,
                      const char *id,
                      const char *member)
{
  JsonArray *array;

  if (!json_object_has_member (object, member))
    return;
  array = json_object_get_array_member (object, member);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *step = json_array_get_element (array, i);
      g_autofree char *field = g_strdup_printf ("%s[%u]", member, i + 1);

      /* a step is a string, or an object with its text and the case it
       * applies to (docs/catalogue-format.md, "Conditional steps") */
      if (JSON_NODE_HOLDS_OBJECT (step))
        {
          g_autofree char *text_field = g_strdup_printf ("%s.text", field);
          g_autofree char *case_field = g_strdup_printf ("%s.case", field);

          check_member_string (check, json_node_get_object (step), id, "text");
          check_member_string (check, json_node_get_object (step), id, "case");
          (void) text_field;
          (void) case_field;
        }
      else
        check_msgid (check, id, field, json_node_get_string (step));
    }
}

static void
check_entry (Check      *check,
             JsonObject *entry)
{
  const char *id = json_object_get_string_member (entry, "id");

  /* The fields build-aux/catalogue-strings.py puts into the POT. */
  check_member_string (check, entry, id, "title");
  check_member_string (check, entry, id, "name");
  check_member_string (check, entry, id, "explanation");
  check_member_strings (check, entry, id, "sender");
  check_member_strings (check, entry, id, "admin");

  if (json_object_has_member (entry, "links"))
    {
      JsonArray *links = json_object_get_array_member (entry, "links");

      for (guint i = 0; links != NULL && i < json_array_get_length (links); i++)
        {
          JsonObject *link = json_array_get_object_element (links, i);
          g_autofree char *field = g_strdup_printf ("links[%u].title", i + 1);

          if (link != NULL && json_object_has_member (link, "title"))
            check_msgid (check, id, field, json_object_get_string_member (link, "title"));
        }
    }
}

static void
report_missing (const char *language,
                Check      *check)
{
  if (check->missing->len == 0)
    return;

  /* The subprocess runs quietly (no g_test_message()): stderr reaches the
   * test log. */
  for (guint i = 0; i < check->missing->len; i++)
    g_printerr ("%s: no translation for %s\n", language,
                (const char *) g_ptr_array_index (check->missing, i));
  g_printerr ("%s: %u of %u catalogue texts have no translation (fuzzy counts as missing): "
              "translate them in po/%s.po\n",
              language, check->missing->len, check->n_strings, language);
  g_test_fail ();
}

static void
catalogue_in_language (const char *language)
{
  g_autoptr(JsonNode) index = load_resource_json ("index.json");
  JsonArray *files = json_object_get_array_member (json_node_get_object (index), "files");
  BounceCatalogue *catalogue = bounce_catalogue_get_default ();
  GPtrArray *entries = bounce_catalogue_get_entries (catalogue);
  Check check = { 0, g_ptr_array_new_with_free_func (g_free) };
  Check loaded = { 0, g_ptr_array_new_with_free_func (g_free) };
  guint n_entries = 0;

  /* The header is the translation of "": empty when no .mo was found. */
  if (*g_dgettext (GETTEXT_PACKAGE, "") == '\0')
    {
      g_printerr ("%s: no compiled translation %s/%s/LC_MESSAGES/%s.mo (is %s in "
                  "po/LINGUAS with a po/%s.po?)\n",
                  language, g_getenv ("BOUNCE_ASSISTANT_LOCALEDIR"), language,
                  GETTEXT_PACKAGE, language, language);
      g_test_fail ();
      goto out;
    }

  /* The entries as the catalogue files state them... */
  for (guint f = 0; f < json_array_get_length (files); f++)
    {
      g_autoptr(JsonNode) file = load_resource_json (json_array_get_string_element (files, f));
      JsonArray *array = json_object_get_array_member (json_node_get_object (file), "entries");

      for (guint i = 0; i < json_array_get_length (array); i++)
        check_entry (&check, json_array_get_object_element (array, i));
      n_entries += json_array_get_length (array);
    }
  g_assert_cmpuint (n_entries, ==, bounce_catalogue_get_n_entries (catalogue));
  g_assert_cmpuint (check.n_strings, >, 1000);
  report_missing (language, &check);

  /* ...and as the library loaded them: every text it translates. */
  for (guint i = 0; i < entries->len; i++)
    {
      BounceEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GPtrArray) msgids = bounce_entry_get_msgids (entry);

      for (guint j = 0; j < msgids->len; j++)
        check_msgid (&loaded, bounce_entry_get_id (entry), "text", g_ptr_array_index (msgids, j));
    }
  g_assert_cmpuint (loaded.n_strings, >, 1000);
  if (check.missing->len == 0)
    report_missing (language, &loaded);

  if (!g_test_failed ())
    g_print ("# %s: all %u catalogue texts of %u entries translated\n",
             language, check.n_strings, n_entries);

out:
  g_ptr_array_unref (check.missing);
  g_ptr_array_unref (loaded.missing);
}

static BounceReport *
analyze_sample (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", SAMPLE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  BounceReport *report;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  report = bounce_analyze_bytes (g_bytes_new_take (g_steal_pointer (&contents), length),
                                 SAMPLE, NULL, &error);
  g_assert_no_error (error);
  return report;
}

/* The JSON with the catalogue's prose replaced by "*": what must be the
 * same in every language. */
static void
blank_prose (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *child = json_object_get_member (object, l->data);

          if (g_strv_contains (prose_members, l->data) && JSON_NODE_HOLDS_VALUE (child))
            json_object_set_string_member (object, l->data, "*");
          else
            blank_prose (child);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        blank_prose (json_array_get_element (array, i));
    }
}

static char *
json_skeleton (BounceReport *report)
{
  g_autoptr(JsonNode) node = bounce_report_to_json_node (report);

  blank_prose (node);
  return json_to_string (node, FALSE);
}

static const char *
first_title (BounceReport *report)
{
  g_autoptr(BounceRecipient) recipient = g_list_model_get_item (bounce_report_get_recipients (report), 0);
  GPtrArray *entries = bounce_recipient_get_entries (recipient);

  g_assert_nonnull (entries);
  g_assert_cmpuint (entries->len, >, 0);
  return bounce_entry_get_title (g_ptr_array_index (entries, 0));
}

/* A label of the summary: it must be translated, and be in the text. */
static void
assert_label (const char *text,
              const char *msgid)
{
  const char *translated = g_dgettext (GETTEXT_PACKAGE, msgid);

  if (translated == msgid)
    {
      g_printerr ("“%s” has no translation\n", msgid);
      g_test_fail ();
    }
  else if (strstr (text, translated) == NULL)
    {
      g_printerr ("“%s” (“%s”) is not in:\n%s\n", translated, msgid, text);
      g_test_fail ();
    }
}

static void
summary_in_language (const char *language)
{
  g_autoptr(BounceReport) report = analyze_sample ();
  g_autofree char *summary = bounce_report_to_summary (report);
  g_autofree char *text = bounce_report_to_text (report);
  g_autofree char *skeleton = json_skeleton (report);
  const char *english_summary = g_getenv ("BOUNCE_TEST_SUMMARY_C");
  const char *english_title = g_getenv ("BOUNCE_TEST_TITLE_C");
  const char *title = first_title (report);

  g_assert_nonnull (english_summary);
  g_assert_nonnull (english_title);

  /* The summary: translated labels and the catalogue's text in the
   * language, the bounce's own facts unchanged. */
  g_assert_cmpstr (summary, !=, english_summary);
  g_assert_cmpstr (title, !=, english_title);
  g_assert_nonnull (strstr (summary, title));
  g_assert_null (strstr (summary, english_title));
  assert_label (summary, "Explanation:");
  assert_label (summary, "Next steps:");
  assert_label (summary, "For the mail administrator:");
  assert_label (summary, "Server said:");
  g_assert_nonnull (strstr (summary, "nobody@b.example"));
  g_assert_nonnull (strstr (summary, "550 5.1.1"));

  /* The readable report (bounce-explain without --json) as well. */
  g_assert_nonnull (strstr (text, title));

  /* JSON: same keys, same identifiers and server text as in English. */
  g_assert_cmpstr (skeleton, ==, g_getenv ("BOUNCE_TEST_JSON_C"));
}

typedef void (*LanguageTest) (const char *language);

typedef struct {
  char         *language;
  LanguageTest  func;
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->language);
  g_free (c);
}

static void
no_languages (void)
{
  g_test_skip ("po/LINGUAS names no language");
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;

  if (g_test_subprocess ())
    {
      c->func (c->language);
      return;
    }

  g_setenv ("LANGUAGE", c->language, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT |
                                   G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_setenv ("LANGUAGE", "C", TRUE);
  if (!g_test_trap_has_passed ())
    g_test_fail_printf ("%s: see the messages above", c->language);
}

/* The English originals the subprocesses compare with. */
static void
record_english (void)
{
  g_autoptr(BounceReport) report = analyze_sample ();
  g_autofree char *summary = bounce_report_to_summary (report);
  g_autofree char *skeleton = json_skeleton (report);

  g_setenv ("BOUNCE_TEST_SUMMARY_C", summary, TRUE);
  g_setenv ("BOUNCE_TEST_TITLE_C", first_title (report), TRUE);
  g_setenv ("BOUNCE_TEST_JSON_C", skeleton, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) linguas = NULL;

  g_test_init (&argc, &argv, NULL);

  /* The parent works in English; each subprocess has its own LANGUAGE. */
  if (!g_test_subprocess ())
    g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "");
  bounce_core_init_gettext ();
  bounce_core_init ();

  if (!g_test_subprocess ())
    record_english ();

  linguas = read_linguas ();
  if (linguas[0] == NULL)
    g_test_add_func ("/translations/none", no_languages);

  for (guint i = 0; linguas[i] != NULL; i++)
    {
      static const struct {
        const char   *name;
        LanguageTest  func;
      } tests[] = {
        { "catalogue", catalogue_in_language },
        { "summary", summary_in_language },
      };

      for (guint t = 0; t < G_N_ELEMENTS (tests); t++)
        {
          Case *c = g_new0 (Case, 1);
          g_autofree char *path = g_strdup_printf ("/translations/%s/%s", linguas[i], tests[t].name);

          c->language = g_strdup (linguas[i]);
          c->func = tests[t].func;
          g_test_add_data_func_full (path, c, run_case, case_free);
        }
    }

  return g_test_run ();
}
