/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
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

/* Runs PROGRAM with ARGS; LANGUAGE, when not NULL, is the language of its
 * messages, whose compiled translations the test environment points to
 * (BOUNCE_ASSISTANT_LOCALEDIR=<builddir>/po). */
static void
run_program (Run                *run,
             const char         *program_path,
             const char         *language,
             const char         *stdin_text,
             const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) program_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (language != NULL)
    g_subprocess_launcher_setenv (launcher, "LANGUAGE", language, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, stdin_text != NULL ? stdin_text : "", NULL,
                                 &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

static void
run_cli (Run                *run,
         const char         *stdin_text,
         const char * const *args)
{
  run_program (run, program (), NULL, stdin_text, args);
}

#if defined(__SANITIZE_ADDRESS__)
# define UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define UNDER_ASAN 1
# endif
#endif

/* A child that tries to hold gigabytes fails fast instead of taking the
 * machine's memory.  AddressSanitizer reserves terabytes of address space,
 * so its builds go without the limit. */
static void
limit_memory (gpointer user_data)
{
#ifndef UNDER_ASAN
  struct rlimit limit = { 1024 * 1024 * 1024, 1024 * 1024 * 1024 };

  setrlimit (RLIMIT_AS, &limit);
#endif
  (void) user_data;
}

/* Runs argv (a shell line when it starts with a shell) with the memory
 * limit; no standard input unless the command line makes one. */
static void
run_limited (Run                *run,
             const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, limit_memory, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

/* Sources that never end (a device, a pipe, a FIFO through /dev/stdin,
 * process substitution) are read in chunks and refused at the size limit,
 * not read whole until memory runs out. */
static void
test_unbounded_sources (void)
{
  const char *cases[][5] = {
    { program (), "/dev/zero", NULL },
    { "/bin/sh", "-c", "yes | \"$0\" /dev/stdin", program (), NULL },
    { "/bin/bash", "-c", "\"$0\" <(yes)", program (), NULL },
    { "/bin/sh", "-c", "yes | \"$0\" --json", program (), NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      if (!g_file_test (cases[i][0], G_FILE_TEST_IS_EXECUTABLE))
        continue;
      g_test_message ("case %u: %s %s", i, cases[i][0], cases[i][1]);
      run_limited (&run, cases[i]);
      g_test_message ("stderr: %s", run.err);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, "larger than"));
    }
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
  const char *keys[] = { "source", "is_bounce", "kind", "description", "backscatter", "send_error", "feedback_type", "provider",
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

/* A regular file is read by its path directly (not through GIO): the
 * same report as its bytes on standard input, by an absolute or relative
 * path or through a symbolic link; an empty one is refused as empty
 * standard input is. */
static void
test_regular_files (void)
{
  g_autofree char *path = sample_path ();
  g_autofree char *contents = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bounce-cli-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename (dir, "copy.eml", NULL);
  g_autofree char *link = g_build_filename (dir, "link.eml", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.eml", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Run) from_stdin = { 0 };
  g_autoptr(JsonParser) stdin_parser = json_parser_new ();
  JsonObject *expected;
  const char *names[] = { copy, "copy.eml", link };
  g_autofree char *here = g_get_current_dir ();

  g_assert_nonnull (dir);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_file_set_contents (copy, contents, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (empty, "", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (symlink (copy, link), ==, 0);

  run_cli (&from_stdin, contents, (const char *[]) { "--json", NULL });
  g_assert_cmpint (from_stdin.status, ==, 0);
  expected = parse_object (stdin_parser, from_stdin.out);
  json_object_remove_member (expected, "source");

  g_assert_cmpint (g_chdir (dir), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_auto(Run) run = { 0 };
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;
      g_autoptr(JsonNode) a = NULL;
      g_autoptr(JsonNode) b = NULL;

      run_cli (&run, NULL, (const char *[]) { "--json", names[i], NULL });
      g_assert_cmpint (run.status, ==, 0);
      object = parse_object (parser, run.out);
      g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, names[i]);
      json_object_remove_member (object, "source");
      a = json_node_init_object (json_node_alloc (), object);
      b = json_node_init_object (json_node_alloc (), expected);
      g_assert_true (json_node_equal (a, b));
    }
  {
    g_auto(Run) run = { 0 };
    g_auto(Run) empty_stdin = { 0 };

    run_cli (&run, NULL, (const char *[]) { "--json", "empty.eml", NULL });
    run_cli (&empty_stdin, "", (const char *[]) { "--json", NULL });
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_true (g_str_has_prefix (run.err, "bounce-explain: empty.eml: "));
    g_assert_cmpstr (run.err + strlen ("bounce-explain: empty.eml: "), ==,
                     empty_stdin.err + strlen ("bounce-explain: <stdin>: "));
  }
  g_assert_cmpint (g_chdir (here), ==, 0);
  g_remove (link);
  g_remove (copy);
  g_remove (empty);
  g_rmdir (dir);
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

/* --csv: one row per recipient of each message of an mbox, under one
 * header for all inputs; --json with --csv is a usage error. */
static void
test_csv (void)
{
  g_autofree char *mbox = g_test_build_filename (G_TEST_DIST, "input", "two.mbox", NULL);
  g_autofree char *single = sample_path ();
  g_auto(Run) run = { 0 };
  g_auto(Run) both = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (&run, NULL, (const char *[]) { "--csv", mbox, single, NULL });
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "source,message,date,subject,recipient,outcome,hard_bounce,reason,"
                                 "status,reply_code,remote_mta,diagnostic");
  g_assert_true (g_str_has_prefix (lines[1], mbox));
  g_assert_nonnull (strstr (lines[1], ",1,,First failure,a@example.net,permanent,yes,userunknown,5.1.1,550,"));
  g_assert_nonnull (strstr (lines[2], ",2,,Second failure,b@example.net,permanent,no,mailboxfull,5.2.2,552,"));
  g_assert_true (g_str_has_prefix (lines[3], single));
  g_assert_cmpstr (lines[4], ==, "");
  g_assert_null (lines[5]);

  run_cli (&both, NULL, (const char *[]) { "--csv", "--json", single, NULL });
  g_assert_cmpint (both.status, ==, 2);
}

/* German is always complete (po/de.po): the readable report and --help
 * follow the language, the JSON keeps its English keys and identifiers. */
static void
test_translated (void)
{
  g_autofree char *path = sample_path ();
  g_auto(Run) english = { 0 };
  g_auto(Run) german = { 0 };
  g_auto(Run) english_json = { 0 };
  g_auto(Run) german_json = { 0 };
  g_auto(Run) german_help = { 0 };
  g_autoptr(JsonParser) english_parser = json_parser_new ();
  g_autoptr(JsonParser) german_parser = json_parser_new ();
  JsonObject *english_object;
  JsonObject *german_object;
  JsonObject *english_recipient;
  JsonObject *german_recipient;

  run_program (&english, program (), "C", NULL, (const char *[]) { path, NULL });
  run_program (&german, program (), "de", NULL, (const char *[]) { path, NULL });
  g_assert_cmpint (german.status, ==, 0);
  g_assert_nonnull (strstr (english.out, "What you can do:"));
  g_assert_null (strstr (german.out, "What you can do:"));
  g_assert_nonnull (strstr (german.out, "nobody@b.example"));
  g_assert_cmpstr (german.out, !=, english.out);

  run_program (&german_help, program (), "de", NULL, (const char *[]) { "--help", NULL });
  g_assert_cmpint (german_help.status, ==, 0);
  g_assert_null (strstr (german_help.out, "Usage:"));
  g_assert_null (strstr (german_help.out, "Print one JSON object"));
  g_assert_nonnull (strstr (german_help.out, "--json"));

  run_program (&english_json, program (), "C", NULL, (const char *[]) { "--json", path, NULL });
  run_program (&german_json, program (), "de", NULL, (const char *[]) { "--json", path, NULL });
  g_assert_cmpint (german_json.status, ==, 0);
  english_object = parse_object (english_parser, english_json.out);
  german_object = parse_object (german_parser, german_json.out);
  assert_report_keys (german_object);
  g_assert_cmpstr (json_object_get_string_member (german_object, "kind"), ==, "failure");
  english_recipient = json_array_get_object_element (json_object_get_array_member (english_object, "recipients"), 0);
  german_recipient = json_array_get_object_element (json_object_get_array_member (german_object, "recipients"), 0);
  g_assert_cmpstr (json_object_get_string_member (german_recipient, "reason"), ==,
                   json_object_get_string_member (english_recipient, "reason"));
  g_assert_cmpstr (json_object_get_string_member (german_recipient, "title"), !=,
                   json_object_get_string_member (english_recipient, "title"));
  g_assert_cmpuint (json_object_get_size (german_recipient), ==, json_object_get_size (english_recipient));
  g_assert_true (json_object_has_member (german_recipient, "remedy"));
}

/* The window's program: only its command line, which needs no display. */
static const char *
window_program (void)
{
  return g_getenv ("BOUNCE_ASSISTANT");
}

static void
test_window_version (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *expected = g_strdup_printf ("bounce-assistant %s\n", PACKAGE_VERSION);

  if (window_program () == NULL)
    {
      g_test_skip ("the window is not built (-Dgui=false)");
      return;
    }
  run_program (&run, window_program (), NULL, NULL, (const char *[]) { "--version", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, expected);
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_window_help (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) german = { 0 };

  if (window_program () == NULL)
    {
      g_test_skip ("the window is not built (-Dgui=false)");
      return;
    }
  run_program (&run, window_program (), "C", NULL, (const char *[]) { "--help", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "bounce-assistant [OPTION…] [FILE…]"));
  g_assert_nonnull (strstr (run.out, "--version"));

  run_program (&german, window_program (), "de", NULL, (const char *[]) { "--help", NULL });
  g_assert_cmpint (german.status, ==, 0);
  g_assert_null (strstr (german.out, "[FILE…]"));
  g_assert_null (strstr (german.out, "Show the program version"));
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
  g_test_add_func ("/cli/regular-files", test_regular_files);
  g_test_add_func ("/cli/unbounded-sources", test_unbounded_sources);
  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/csv", test_csv);
  g_test_add_func ("/cli/translated", test_translated);
  g_test_add_func ("/window-cli/version", test_window_version);
  g_test_add_func ("/window-cli/help", test_window_help);

  return g_test_run ();
}
