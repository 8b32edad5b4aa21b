/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

/* Runs the real bounce-explain binary (its path comes from meson in
 * BOUNCE_EXPLAIN) the way a user or a script would. */

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static const char *
program (void)
{
  const char *path = g_getenv ("BOUNCE_EXPLAIN");

  if (path == NULL)
    g_error ("BOUNCE_EXPLAIN is not set: run this test through meson");
  return path;
}

static void
run_cli (Run                *run,
         const char         *stdin_text,
         const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) program ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE |
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, stdin_text != NULL ? stdin_text : "", NULL,
                                 &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

static char *
sample_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "cli-failure.eml", NULL);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

static void
assert_report_keys (JsonObject *object)
{
  const char *keys[] = { "source", "is_bounce", "kind", "description", "backscatter", "feedback_type", "provider",
                         "repaired_utf8", "recipients", "codes", "ips", "domains",
                         "blocklists", "links" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (!json_object_has_member (object, keys[i]))
      g_error ("key “%s” missing", keys[i]);
}

static void
test_json (void)
{
  g_autofree char *path = sample_path ();
  g_auto(Run) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonObject *recipient;
  JsonArray *recipients;
  char *newline;

  run_cli (&run, NULL, (const char *[]) { "--json", path, NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");

  /* Exactly one line. */
  newline = strchr (run.out, '\n');
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline, ==, "\n");

  object = parse_object (parser, run.out);
  assert_report_keys (object);
  g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, path);
  g_assert_true (json_object_get_boolean_member (object, "is_bounce"));
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "failure");

  recipients = json_object_get_array_member (object, "recipients");
  g_assert_cmpuint (json_array_get_length (recipients), >=, 1);
  recipient = json_array_get_object_element (recipients, 0);
  g_assert_cmpstr (json_object_get_string_member (recipient, "address"), ==, "nobody@b.example");
  g_assert_cmpstr (json_object_get_string_member (recipient, "status"), ==, "5.1.1");
  g_assert_true (json_object_has_member (recipient, "remedy"));
}

static void
test_pretty (void)
{
  g_autofree char *path = sample_path ();
  g_auto(Run) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  /* --pretty implies --json. */
  run_cli (&run, NULL, (const char *[]) { "--pretty", path, NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\n  \"kind\""));
  object = parse_object (parser, run.out);
  assert_report_keys (object);
}

static void
test_text (void)
{
  g_autofree char *path = sample_path ();
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, (const char *[]) { path, NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Not delivered"));
  g_assert_nonnull (strstr (run.out, "nobody@b.example"));
  g_assert_nonnull (strstr (run.out, "What you can do:"));
  g_assert_nonnull (strstr (run.out, "5.1.1"));
}

static void
test_bad_option (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, (const char *[]) { "--no-such-option", NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "bounce-explain: "));
}

static void
test_missing_file (void)
{
  g_autofree char *path = sample_path ();
  g_autofree char *missing = g_test_build_filename (G_TEST_BUILT, "no-such-file.eml", NULL);
  g_autofree char *expected_err = g_strdup_printf ("bounce-explain: %s: ", missing);
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  /* The missing file comes first: the next one must still be processed. */
  run_cli (&run, NULL, (const char *[]) { "--json", missing, path, NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, expected_err));

  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_cmpstr (lines[1], ==, "");
  object = parse_object (parser, lines[0]);
  g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, path);
}

static void
test_two_files (void)
{
  g_autofree char *path = sample_path ();
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (&run, NULL, (const char *[]) { "--json", path, path, NULL });
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      assert_report_keys (parse_object (parser, lines[i]));
    }
}

static void
test_stdin (void)
{
  g_autofree char *path = sample_path ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *variants[][3] = {
    { "--json", NULL, NULL },
    { "--json", "-", NULL },
  };

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_auto(Run) run = { 0 };
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;

      run_cli (&run, contents, variants[i]);
      g_assert_cmpint (run.status, ==, 0);
      object = parse_object (parser, run.out);
      assert_report_keys (object);
      g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "failure");
      g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, "<stdin>");
    }
}

static void
test_empty_stdin (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, "", (const char *[]) { "--json", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "bounce-explain: <stdin>: "));
}

static void
test_version (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *expected = g_strdup_printf ("bounce-explain %s\n", PACKAGE_VERSION);

  run_cli (&run, NULL, (const char *[]) { "--version", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, expected));
  g_assert_nonnull (strstr (run.out, "atalogue"));
}

static void
test_help (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, (const char *[]) { "--help", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--json"));
  g_assert_nonnull (strstr (run.out, "--pretty"));
  g_assert_nonnull (strstr (run.out, "--version"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/json", test_json);
  g_test_add_func ("/cli/pretty", test_pretty);
  g_test_add_func ("/cli/text", test_text);
  g_test_add_func ("/cli/bad-option", test_bad_option);
  g_test_add_func ("/cli/missing-file", test_missing_file);
  g_test_add_func ("/cli/two-files", test_two_files);
  g_test_add_func ("/cli/stdin", test_stdin);
  g_test_add_func ("/cli/empty-stdin", test_empty_stdin);
  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/help", test_help);

  return g_test_run ();
}
