/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "bounce-application.h"
#include "bounce-entry-card.h"
#include "bounce-window.h"
#include "ui-common.h"

/* The three faces of one verdict: the window, bounce-explain (text and
 * JSON) and the copied summary must say the same thing about the same
 * bounce: the same headline, and the same outcome (permanent, given up,
 * delayed); the window's first explanation card shows the steps the
 * command line gives its recipient (the catalogue's conditional steps
 * chosen the same way).  Run over the samples, the UI test messages and the first 50
 * files of the corpus. */

static BounceApplication *app;

/* bounce-explain's output for path, as a user runs it. */
static char *
explain (const char *path,
         gboolean    json)
{
  const char *program = g_getenv ("BOUNCE_EXPLAIN");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  char *out = NULL;

  g_assert_nonnull (program);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, program,
                              json ? "--json" : path, json ? path : NULL, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  return out;
}

/* White space collapsed: the text report wraps its lines, the summary not. */
static char *
squeeze (const char *s)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (; *s; s++)
    if (!g_ascii_isspace (*s))
      g_string_append_c (out, *s);
    else if (out->len > 0 && out->str[out->len - 1] != ' ')
      g_string_append_c (out, ' ');
  return g_strstrip (g_string_free (g_steal_pointer (&out), FALSE));
}

/* The badge the window shows for each outcome of a failure or delay. */
static const char *
badge_for (const char *outcome)
{
  if (g_str_equal (outcome, "permanent"))
    return "Permanent";
  if (g_str_equal (outcome, "delayed"))
    return "Delayed";
  return "Failed";   /* given up after temporary errors, or not stated */
}

static void
check_file (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *text = explain (path, FALSE);
  g_autofree char *json = explain (path, TRUE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *text_flat = NULL;
  g_autofree char *summary_head = NULL;
  BounceWindow *win;
  BounceReport *report;
  JsonObject *root;
  JsonObject *verdict;
  const char *outcome;
  const char *entry_id;
  const char *headline;
  const char *badge;

  win = g_object_new (BOUNCE_TYPE_WINDOW, "application", app, "settings", settings, NULL);
  gtk_window_present (GTK_WINDOW (win));
  bounce_window_open_file (win, file);
  ui_wait_until (ui_analysis_done, win, 30000);
  report = bounce_window_get_report (win);

  /* what the command line decided */
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  verdict = json_object_get_object_member (root, "verdict");
  outcome = json_object_get_string_member (verdict, "outcome");
  entry_id = json_object_get_null_member (verdict, "entry") ? NULL :
             json_object_get_string_member (verdict, "entry");

  /* the window: the same outcome and headline */
  g_assert_cmpstr (bounce_outcome_to_string (bounce_report_get_outcome (report)), ==, outcome);
  g_assert_cmpstr (bounce_report_get_verdict (report) ? bounce_entry_get_id (bounce_report_get_verdict (report))
                                                     : NULL, ==, entry_id);
  headline = bounce_verdict_get_headline (bounce_window_get_verdict (win));
  badge = bounce_verdict_get_badge (bounce_window_get_verdict (win));
  if (bounce_report_get_kind (report) == BOUNCE_KIND_FAILURE ||
      bounce_report_get_kind (report) == BOUNCE_KIND_DELAY)
    {
      g_assert_cmpstr (badge, ==, badge_for (outcome));
      if (entry_id != NULL)
        {
          BounceEntry *entry = bounce_catalogue_lookup (bounce_catalogue_get_default (), entry_id);
          g_autofree char *flat_title = squeeze (bounce_entry_get_title (entry));

          g_assert_cmpstr (headline, ==, bounce_entry_get_title (entry));
          /* ... which is the command line's headline */
          text_flat = squeeze (text);
          g_assert_nonnull (strstr (text_flat, flat_title));
        }
    }

  /* the first card's steps are the command line's for its recipient */
  {
    GtkWidget *card = gtk_widget_get_first_child (bounce_window_get_entry_cards (win));
    BounceRecipient *r = card != NULL ? bounce_entry_card_get_recipient (BOUNCE_ENTRY_CARD (card)) : NULL;
    JsonArray *recipients = json_object_get_array_member (root, "recipients");
    guint position;

    if (r != NULL && g_list_store_find (G_LIST_STORE (bounce_report_get_recipients (report)), r, &position))
      {
        JsonObject *remedy = json_object_get_object_member (json_array_get_object_element (recipients, position),
                                                            "remedy");

        for (guint admin = 0; admin < 2; admin++)
          {
            const char *member = admin ? "admin" : "sender";
            g_autofree char *shown = bounce_entry_card_dup_steps (BOUNCE_ENTRY_CARD (card), admin);
            const char *cli = json_object_get_null_member (remedy, member) ? ""
                              : json_object_get_string_member (remedy, member);

            if (g_strcmp0 (shown, cli) != 0)
              g_error ("%s: the window's %s steps are “%s”, the command line's “%s”", path, member, shown, cli);
          }
      }
  }

  /* the summary opens with the command line's headline and meaning */
  summary = bounce_report_to_summary (report);
  {
    g_auto(GStrv) lines = g_strsplit (summary, "\n", 3);
    g_autofree char *both = g_strjoin (" ", lines[0], lines[1], NULL);

    summary_head = squeeze (both);
  }
  if (text_flat == NULL)
    text_flat = squeeze (text);
  if (strstr (text_flat, summary_head) == NULL)
    g_error ("%s: the summary opens with “%s”, the command line says “%s”", path, summary_head, text_flat);

  g_object_ref (win);
  gtk_window_destroy (GTK_WINDOW (win));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (win);
}

static void
test_faces_file (gconstpointer data)
{
  check_file (data);
}

static void
add_dir (const char *label,
         const char *dir,
         guint       max)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".eml") || g_str_has_suffix (name, ".txt"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len && i < max; i++)
    {
      char *path = g_build_filename (dir, names->pdata[i], NULL);
      g_autofree char *test = g_strdup_printf ("/faces/%s/%s", label, (char *) names->pdata[i]);

      g_test_add_data_func_full (test, path, test_faces_file, g_free);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state_dir = NULL;

  if (!ui_have_display ())
    return 0;
  state_dir = ui_private_state_dir ();

  gtk_test_init (&argc, &argv, NULL);
  setlocale (LC_ALL, "");
  app = ui_new_application ();

  {
    g_autofree char *ui = g_test_build_filename (G_TEST_DIST, "ui", NULL);
    g_autofree char *samples = g_test_build_filename (G_TEST_DIST, "..", "data", "samples", NULL);
    g_autofree char *corpus = g_test_build_filename (G_TEST_DIST, "corpus", "eml", NULL);

    add_dir ("ui", ui, G_MAXUINT);
    add_dir ("samples", samples, G_MAXUINT);
    add_dir ("corpus", corpus, 50);
  }
  return g_test_run ();
}
