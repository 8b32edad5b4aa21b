/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "bounce-application.h"
#include "bounce-messages-view.h"
#include "bounce-table-row.h"
#include "bounce-window.h"
#include "ui-common.h"

/* A file of several bounces (an mbox) in the real window under Xvfb: one
 * verdict per message in the list, a recipients table that the filter
 * narrows, and an export that writes what bounce-explain --csv writes. */

static BounceApplication *app;
static char *state_dir;

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static BounceMessagesView *
find_view (GtkWidget *widget)
{
  return (BounceMessagesView *) find_type (widget, BOUNCE_TYPE_MESSAGES_VIEW);
}

/* Every label's text under widget, one per line. */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    {
      g_string_append (out, gtk_label_get_label (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

typedef struct {
  BounceWindow *win;
  BounceReport *before;
} Reopen;

static gboolean
new_report_done (gpointer data)
{
  Reopen *r = data;

  return !bounce_window_get_busy (r->win) && bounce_window_get_report (r->win) != NULL
         && bounce_window_get_report (r->win) != r->before && !bounce_window_get_filling (r->win);
}

/* Opens a sample of tests/ui in a window that shows another report. */
static void
open_again (BounceWindow *win,
            const char   *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "ui", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Reopen r = { win, bounce_window_get_report (win) };

  bounce_window_open_file (win, file);
  ui_wait_until (new_report_done, &r, 20000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
}

static BounceWindow *
open_sample (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "ui", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  BounceWindow *win = g_object_new (BOUNCE_TYPE_WINDOW,
                                    "application", app,
                                    "settings", settings,
                                    "default-width", 1000,
                                    "default-height", 1400,
                                    NULL);

  gtk_window_present (GTK_WINDOW (win));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  bounce_window_open_file (win, file);
  ui_wait_until (ui_analysis_done, win, 20000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  return win;
}

static gboolean
filter_settled (gpointer data)
{
  /* The rows are a sort model over the filter model. */
  GtkSortListModel *sorted = data;
  GtkFilterListModel *filtered = GTK_FILTER_LIST_MODEL (gtk_sort_list_model_get_model (sorted));

  return gtk_filter_list_model_get_pending (filtered) == 0 && gtk_sort_list_model_get_pending (sorted) == 0;
}

static guint
n_rows (BounceMessagesView *view)
{
  GListModel *rows = bounce_messages_view_get_rows (view);

  ui_wait_until (filter_settled, rows, 5000);
  return g_list_model_get_n_items (rows);
}

static const char *row_address (BounceMessagesView *view,
                                guint               position);

static void
test_messages_listed (void)
{
  BounceWindow *win = open_sample ("list-bounces.mbox");
  BounceReport *report = bounce_window_get_report (win);
  GListModel *messages = bounce_report_get_message_reports (report);
  BounceMessagesView *view = find_view (GTK_WIDGET (win));
  g_autoptr(GString) shown = g_string_new (NULL);

  g_assert_nonnull (view);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 3);
  g_assert_cmpuint (bounce_messages_view_get_n_messages (view), ==, 3);

  /* Each message's own verdict, not the merged one: a delay among failures. */
  g_assert_cmpint (bounce_report_get_outcome (g_list_model_get_item (messages, 1)), ==, BOUNCE_OUTCOME_DELAYED);
  collect_labels (bounce_messages_view_get_message_list (view), shown);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *verdict = bounce_messages_view_dup_verdict (view, i);

      g_test_message ("message %u: %s", i + 1, verdict);
      g_assert_nonnull (strstr (shown->str, verdict));
    }
  {
    g_autofree char *first = bounce_messages_view_dup_verdict (view, 0);
    g_autofree char *second = bounce_messages_view_dup_verdict (view, 1);

    g_assert_true (g_str_has_prefix (first, "Permanent: "));
    g_assert_true (g_str_has_prefix (second, "Delayed: "));
  }
  g_assert_nonnull (strstr (shown->str, "2. Delayed Mail (still being retried)"));

  /* Four recipients in all, in the file's order. */
  g_assert_cmpuint (n_rows (view), ==, 4);
  g_assert_cmpstr (row_address (view, 0), ==, "anna.berg@example.net");
  g_assert_cmpstr (row_address (view, 3), ==, "erik.moss@example.com");

  ui_destroy_window (win);
}

/* Sorts the recipients table by the column headed TITLE, as a click on
 * the heading does. */
static void
sort_by (BounceMessagesView *view,
         const char         *title,
         GtkSortType         direction)
{
  GtkColumnView *table = GTK_COLUMN_VIEW (find_type (GTK_WIDGET (view), GTK_TYPE_COLUMN_VIEW));
  GListModel *columns = gtk_column_view_get_columns (table);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        {
          gtk_column_view_sort_by_column (table, column, direction);
          return;
        }
    }
  g_assert_not_reached ();
}

static const char *
row_address (BounceMessagesView *view,
             guint               position)
{
  g_autoptr(BounceTableRow) row = g_list_model_get_item (bounce_messages_view_get_rows (view), position);

  return bounce_table_row_get_address (row);
}

static void
test_sort (void)
{
  BounceWindow *win = open_sample ("list-bounces.mbox");
  BounceMessagesView *view = find_view (GTK_WIDGET (win));

  /* The file's order until a heading is clicked. */
  g_assert_cmpstr (row_address (view, 0), ==, "anna.berg@example.net");
  sort_by (view, "Recipient", GTK_SORT_DESCENDING);
  g_assert_cmpstr (row_address (view, 0), ==, "erik.moss@example.com");
  g_assert_cmpstr (row_address (view, 3), ==, "anna.berg@example.net");
  /* Delayed before Permanent; equal types keep the file's order. */
  sort_by (view, "Type", GTK_SORT_ASCENDING);
  g_assert_cmpstr (row_address (view, 0), ==, "dora.lind@example.org");
  g_assert_cmpstr (row_address (view, 1), ==, "anna.berg@example.net");
  /* Dates by time, not as text: "Tue, 3 Mar" is the newest. */
  sort_by (view, "Date", GTK_SORT_DESCENDING);
  g_assert_cmpstr (row_address (view, 0), ==, "erik.moss@example.com");
  g_assert_cmpstr (row_address (view, 1), ==, "dora.lind@example.org");
  /* Sorting works on what the filter lets through. */
  bounce_messages_view_set_filter_text (view, "example.net");
  g_assert_cmpuint (n_rows (view), ==, 2);
  sort_by (view, "Recipient", GTK_SORT_DESCENDING);
  g_assert_cmpstr (row_address (view, 0), ==, "carl.doe@example.net");

  ui_destroy_window (win);
}

static void
test_filter (void)
{
  BounceWindow *win = open_sample ("list-bounces.mbox");
  BounceMessagesView *view = find_view (GTK_WIDGET (win));

  g_assert_cmpuint (n_rows (view), ==, 4);
  bounce_messages_view_set_filter_text (view, "example.net");
  g_assert_cmpuint (n_rows (view), ==, 2);
  /* Every word must match, in any column, in any case. */
  bounce_messages_view_set_filter_text (view, "CARL example.net");
  g_assert_cmpuint (n_rows (view), ==, 1);
  {
    g_autoptr(BounceTableRow) row = g_list_model_get_item (bounce_messages_view_get_rows (view), 0);

    g_assert_cmpstr (bounce_table_row_get_address (row), ==, "carl.doe@example.net");
  }
  bounce_messages_view_set_filter_text (view, "4.4.1");
  g_assert_cmpuint (n_rows (view), ==, 1);
  bounce_messages_view_set_filter_text (view, "nobody-here");
  g_assert_cmpuint (n_rows (view), ==, 0);
  bounce_messages_view_set_filter_text (view, "");
  g_assert_cmpuint (n_rows (view), ==, 4);

  ui_destroy_window (win);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;

  if (!bounce_messages_view_export_finish (BOUNCE_MESSAGES_VIEW (source), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "done");
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_export (void)
{
  BounceWindow *win = open_sample ("list-bounces.mbox");
  BounceMessagesView *view = find_view (GTK_WIDGET (win));
  g_autofree char *dir = g_dir_make_tmp ("bounce-csv-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "list.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *expected = bounce_report_to_csv (bounce_window_get_report (win), TRUE);
  g_autofree char *written = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  /* The filter narrows what is shown, never what is exported. */
  bounce_messages_view_set_filter_text (view, "carl");
  bounce_messages_view_export_async (view, file, NULL, on_exported, &error);
  ui_wait_until (pointer_set, &error, 10000);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);  /* our "done" */
  g_clear_error (&error);

  g_file_get_contents (path, &written, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, strlen (expected));
  g_assert_cmpstr (written, ==, expected);
  g_assert_nonnull (strstr (written, "dora.lind@example.org"));

  /* A place that cannot be written: the error comes back, not a crash. */
  {
    g_autofree char *bad_path = g_build_filename (dir, "missing", "list.csv", NULL);
    g_autoptr(GFile) bad = g_file_new_for_path (bad_path);

    bounce_messages_view_export_async (view, bad, NULL, on_exported, &error);
    ui_wait_until (pointer_set, &error, 10000);
    g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS));
    g_clear_error (&error);
  }

  g_unlink (path);
  g_rmdir (dir);
  ui_destroy_window (win);
}

static void
test_single_message_hidden (void)
{
  BounceWindow *win = open_sample ("delayed-and-failed.eml");
  BounceMessagesView *view = find_view (GTK_WIDGET (win));

  g_assert_nonnull (view);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (view)));
  g_assert_cmpuint (bounce_messages_view_get_n_messages (view), ==, 0);
  ui_destroy_window (win);
}

/* The labels of a list box's rows that are shown, one per line. */
static char *
shown_labels (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_labels (widget, out);
  return g_string_free (out, FALSE);
}

static guint
n_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += gtk_widget_get_visible (child);
  return n;
}

/* The button that shows label (with its mnemonic), as a person sees it. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget))
    {
      g_autofree char *text = shown_labels (widget);

      /* A label of its own, or a label inside (AdwButtonContent) */
      if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0
          || g_str_has_prefix (text, label))
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The code row titled code in the codes list. */
static GtkListBoxRow *
code_row (BounceWindow *win,
          const char   *code)
{
  GtkWidget *list = GTK_WIDGET (bounce_window_get_codes_list (win));

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row)
        && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), code) == 0)
      return GTK_LIST_BOX_ROW (row);
  return NULL;
}

/* What the text view has selected, and where it starts (characters). */
static char *
selection (BounceWindow *win,
           int          *start_offset)
{
  GtkTextBuffer *buffer = bounce_input_view_get_buffer (bounce_window_get_input_view (win));
  GtkTextIter start, end;

  if (!gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    return NULL;
  *start_offset = gtk_text_iter_get_offset (&start);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
has_selection (gpointer data)
{
  BounceWindow *win = data;

  return gtk_text_buffer_get_has_selection (bounce_input_view_get_buffer (bounce_window_get_input_view (win)));
}

static gboolean
whole_file_shown (gpointer data)
{
  BounceWindow *win = data;

  return bounce_verdict_get_report (bounce_window_get_verdict (win)) == bounce_window_get_report (win)
         && !bounce_window_get_filling (win);
}

static gboolean
page_filled (gpointer data)
{
  return !bounce_window_get_filling (data);
}

/* Where text first is in the text view, in characters, or -1. */
static int
text_offset (BounceWindow *win,
             const char   *text)
{
  GtkTextBuffer *buffer = bounce_input_view_get_buffer (bounce_window_get_input_view (win));
  GtkTextIter iter, start, end;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  if (!gtk_text_iter_forward_search (&iter, text, GTK_TEXT_SEARCH_TEXT_ONLY, &start, &end, NULL))
    return -1;
  return gtk_text_iter_get_offset (&start);
}

/* Whether the table of the file's recipients is on screen (its filter is
 * above it, whichever form the table has). */
static gboolean
table_shown (BounceMessagesView *view)
{
  return gtk_widget_get_mapped (find_type (GTK_WIDGET (view), GTK_TYPE_SEARCH_ENTRY));
}

/* Selects a message as a click in the list does. */
static void
click_message (BounceMessagesView *view,
               guint               position)
{
  gtk_widget_activate_action (bounce_messages_view_get_message_list (view), "list.select-item", "(ubb)",
                              position, FALSE, FALSE);
  ui_spin (20);
  /* The message's result fills its page in a few main-loop turns. */
  ui_wait_until (page_filled, gtk_widget_get_root (GTK_WIDGET (view)), 10000);
}

static void
test_message_detail (void)
{
  BounceWindow *win = open_sample ("list-bounces.mbox");
  BounceReport *report = bounce_window_get_report (win);
  BounceMessagesView *view = find_view (GTK_WIDGET (win));
  BounceVerdict *verdict = bounce_window_get_verdict (win);
  GtkWidget *recipients = GTK_WIDGET (bounce_window_get_recipients_list (win));
  g_autofree char *merged_badge = g_strdup (bounce_verdict_get_badge (verdict));
  g_autofree char *merged_headline = g_strdup (bounce_verdict_get_headline (verdict));
  int message2 = text_offset (win, "Subject: Delayed Mail");
  int message3 = text_offset (win, "Date: Tue, 3 Mar 2026");
  g_autofree char *text = NULL;
  g_autofree char *picked = NULL;
  GtkWidget *all;
  int at = -1;

  g_assert_cmpint (message2, >, 0);
  g_assert_cmpint (message3, >, message2);
  g_assert_true (bounce_verdict_get_report (verdict) == report);
  /* The whole file: its recipients are in the table, not in rows below. */
  g_assert_true (table_shown (view));
  g_assert_false (gtk_widget_get_mapped (recipients));
  g_assert_null (find_button (GTK_WIDGET (win), "_All Messages"));

  /* Message 2 alone: its own verdict, its one recipient (in a row, in
   * place of the table), its codes. */
  click_message (view, 1);
  g_assert_true (bounce_verdict_get_report (verdict) != report);
  g_assert_cmpuint (bounce_report_get_message_index (bounce_verdict_get_report (verdict)), ==, 1);
  g_assert_cmpstr (bounce_verdict_get_badge (verdict), ==, "Delayed");
  g_assert_cmpuint (n_children (recipients), ==, 1);
  text = shown_labels (recipients);
  g_assert_nonnull (strstr (text, "dora.lind@example.org"));
  g_assert_null (strstr (text, "anna.berg@example.net"));
  g_clear_pointer (&text, g_free);
  text = shown_labels (GTK_WIDGET (win));
  g_assert_nonnull (strstr (text, "Message 2 of 3: Delayed Mail (still being retried)"));
  g_assert_nonnull (strstr (text, "\nRecipients of Message 2\n"));
  g_assert_null (strstr (text, "Recipients of All Messages"));
  g_clear_pointer (&text, g_free);
  g_assert_true (gtk_widget_get_mapped (recipients));
  g_assert_false (table_shown (view));
  g_assert_nonnull (code_row (win, "4.4.1"));
  g_assert_null (code_row (win, "5.1.1"));

  /* "Show in Message" finds dora's lines in message 2. */
  {
    GtkWidget *show = find_button (recipients, "_Show in Message");

    g_assert_nonnull (show);
    g_assert_false (has_selection (win));
    /* As Enter or Space on it: a key press shows the button pressed a
     * moment (250 ms) before it acts, longer on a busy machine. */
    gtk_widget_activate (show);
    ui_wait_until (has_selection, win, 10000);
    picked = selection (win, &at);
    g_assert_nonnull (picked);
    g_assert_cmpint (at, >, message2);
    g_assert_cmpint (at, <, message3);
    g_clear_pointer (&picked, g_free);
  }

  /* Enter on message 2 in the list: the page goes to its result, and so do
   * the keyboard and a screen reader. */
  gtk_widget_activate_action (bounce_messages_view_get_message_list (view), "list.activate-item", "u", 1);
  ui_spin (20);
  ui_wait_until (page_filled, win, 10000);
  g_assert_cmpstr (bounce_verdict_get_badge (verdict), ==, "Delayed");
  g_assert_true (gtk_root_get_focus (GTK_ROOT (win)) == GTK_WIDGET (verdict)
                 || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (win)), GTK_WIDGET (verdict)));

  /* Message 3: its code row finds its own 552, not another message's. */
  click_message (view, 2);
  g_assert_cmpstr (bounce_verdict_get_badge (verdict), ==, "Permanent");
  g_assert_null (code_row (win, "4.4.1"));
  g_assert_nonnull (code_row (win, "552"));
  g_signal_emit_by_name (bounce_window_get_codes_list (win), "row-activated", code_row (win, "552"));
  picked = selection (win, &at);
  g_assert_cmpstr (picked, ==, "552");
  g_assert_cmpint (at, >, message3);
  g_clear_pointer (&picked, g_free);

  /* Back to the whole file, by the bar's button: the keyboard goes on in the list. */
  all = find_button (GTK_WIDGET (win), "_All Messages");
  g_assert_nonnull (all);
  gtk_widget_activate (all);
  ui_wait_until (whole_file_shown, win, 10000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  g_assert_true (bounce_verdict_get_report (verdict) == report);
  g_assert_cmpstr (bounce_verdict_get_badge (verdict), ==, merged_badge);
  g_assert_cmpstr (bounce_verdict_get_headline (verdict), ==, merged_headline);
  g_assert_false (gtk_widget_get_mapped (recipients));
  g_assert_true (table_shown (view));
  g_assert_cmpuint (n_rows (view), ==, 4);
  g_assert_nonnull (code_row (win, "5.1.1"));
  g_assert_null (find_button (GTK_WIDGET (win), "_All Messages"));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (win)),
                                         bounce_messages_view_get_message_list (view))
                 || gtk_root_get_focus (GTK_ROOT (win)) == bounce_messages_view_get_message_list (view));

  /* A message selected, then another file: its own result, with no bar;
   * then the mbox again: it starts with the whole file. */
  click_message (view, 1);
  g_assert_nonnull (find_button (GTK_WIDGET (win), "_All Messages"));
  open_again (win, "exchange-blocklisted-ip.eml");
  g_assert_true (bounce_verdict_get_report (verdict) == bounce_window_get_report (win));
  g_assert_null (find_button (GTK_WIDGET (win), "_All Messages"));
  open_again (win, "list-bounces.mbox");
  click_message (view, 1);
  open_again (win, "lunch.txt");
  g_assert_null (bounce_messages_view_get_selected_message (view));
  open_again (win, "list-bounces.mbox");
  g_assert_true (bounce_verdict_get_report (verdict) == bounce_window_get_report (win));
  g_assert_cmpstr (bounce_verdict_get_badge (verdict), ==, merged_badge);
  g_assert_false (gtk_widget_get_mapped (recipients));
  g_assert_true (table_shown (view));
  g_assert_null (find_button (GTK_WIDGET (win), "_All Messages"));

  ui_destroy_window (win);
}

/* Labels on screen under widget that show text, and only text. */
static guint
count_shown (GtkWidget  *widget,
             const char *text)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    n++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_shown (child, text);
  return n;
}

/* Each recipient of a file of several messages is listed once on its
 * page, at 360 px (where the table is a list of rows, and the page one
 * column) and at 1280 px: for the whole file in the table, for a message
 * selected in its own rows ("Recipients of Message 1") in place of the
 * table.  The rows of recipients below the table repeated it. */
static void
test_recipients_once (void)
{
  static const int widths[] = { 360, 1280 };
  static const char * const addresses[] = {
    "anna.berg@example.net", "carl.doe@example.net", "dora.lind@example.org", "erik.moss@example.com",
  };
  BounceWindow *win = open_sample ("list-bounces.mbox");
  BounceMessagesView *view = find_view (GTK_WIDGET (win));
  GtkWidget *recipients = GTK_WIDGET (bounce_window_get_recipients_list (win));

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_autofree char *text = NULL;

      gtk_window_set_default_size (GTK_WINDOW (win), widths[w], 1400);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
      ui_spin (400);

      /* The whole file: the table, and no rows below it. */
      g_assert_true (table_shown (view));
      for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
        {
          g_test_message ("%d px, the whole file: %s shown %u times", widths[w], addresses[i],
                          count_shown (GTK_WIDGET (win), addresses[i]));
          g_assert_cmpuint (count_shown (GTK_WIDGET (win), addresses[i]), ==, 1);
        }

      /* Message 1: its two recipients in rows of their own, the table gone. */
      click_message (view, 0);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
      g_assert_false (table_shown (view));
      g_assert_true (gtk_widget_get_mapped (recipients));
      g_assert_cmpuint (n_children (recipients), ==, 2);
      text = shown_labels (GTK_WIDGET (win));
      g_assert_nonnull (strstr (text, "\nRecipients of Message 1\n"));
      g_assert_cmpuint (count_shown (GTK_WIDGET (win), "anna.berg@example.net"), ==, 1);
      g_assert_cmpuint (count_shown (GTK_WIDGET (win), "carl.doe@example.net"), ==, 1);
      g_assert_cmpuint (count_shown (GTK_WIDGET (win), "dora.lind@example.org"), ==, 0);

      bounce_messages_view_select_message (view, GTK_INVALID_LIST_POSITION);
      ui_wait_until (whole_file_shown, win, 10000);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
    }

  ui_destroy_window (win);
}

/* Whether the keyboard is in row. */
static gboolean
focus_in (GtkWidget *row)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (row));

  return focus != NULL && (focus == row || gtk_widget_is_ancestor (focus, row));
}

/* Enter on a recipient of the table (at 1280 px) or of its narrow form (at
 * 360 px) shows its message, with the keyboard on that recipient's row,
 * unfolded. */
static void
test_table_leads_to_row (void)
{
  BounceWindow *win = open_sample ("list-bounces.mbox");
  BounceMessagesView *view = find_view (GTK_WIDGET (win));
  GtkWidget *recipients = GTK_WIDGET (bounce_window_get_recipients_list (win));
  GtkWidget *squeezer = ui_find_widget (GTK_WIDGET (view), ui_is_of_type, GSIZE_TO_POINTER (ADW_TYPE_SQUEEZER));
  GtkListBoxRow *anna, *carl;
  GtkWidget *list;

  g_assert_cmpuint (n_rows (view), ==, 4);
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 1400);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (400);
  list = adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer));
  list = ui_find_widget (list, ui_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
  g_assert_nonnull (list);

  /* carl.doe, the second row: message 1, its second recipient.  (Enter
   * on a row is the action of the list inside the column view.) */
  g_assert_cmpstr (row_address (view, 1), ==, "carl.doe@example.net");
  list = ui_find_widget (list, ui_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW));
  g_assert_nonnull (list);
  g_assert_true (gtk_widget_activate_action (list, "list.activate-item", "u", 1));
  ui_wait_until (page_filled, win, 10000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  g_assert_nonnull (bounce_messages_view_get_selected_message (view));
  g_assert_cmpuint (bounce_report_get_message_index (bounce_messages_view_get_selected_message (view)), ==, 0);
  g_assert_false (table_shown (view));
  anna = gtk_list_box_get_row_at_index (GTK_LIST_BOX (recipients), 0);
  carl = gtk_list_box_get_row_at_index (GTK_LIST_BOX (recipients), 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (carl)), ==, "carl.doe@example.net");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (carl)));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (anna)));
  g_assert_true (focus_in (GTK_WIDGET (carl)));

  /* The narrow form: erik.moss, the fourth row, message 3. */
  bounce_messages_view_select_message (view, GTK_INVALID_LIST_POSITION);
  ui_wait_until (whole_file_shown, win, 10000);
  gtk_window_set_default_size (GTK_WINDOW (win), 360, 1400);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (400);
  list = adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer));
  list = ui_find_widget (list, ui_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW));
  g_assert_nonnull (list);
  g_assert_null (ui_find_widget (list, ui_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW)));
  g_assert_true (gtk_widget_activate_action (list, "list.activate-item", "u", 3));
  ui_wait_until (page_filled, win, 10000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  g_assert_cmpuint (bounce_report_get_message_index (bounce_messages_view_get_selected_message (view)), ==, 2);
  g_assert_true (focus_in (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (recipients), 0))));

  ui_destroy_window (win);
}

/* Unfolds every recipient row, as a click on each does; returns the list. */
static GtkWidget *
expanded_recipients (BounceWindow *win)
{
  GtkWidget *list = GTK_WIDGET (bounce_window_get_recipients_list (win));

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_EXPANDER_ROW (row))
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  /* The rows unfold in an animation. */
  ui_spin (400);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  return list;
}

/* tests/ui/list-bounces.mbox with text added at the end of message 1,
 * written to a folder of its own (*dir, for remove_grown_mbox()) and opened in a new
 * window; returns the window once its analysis is done. */
static BounceWindow *
open_grown_mbox (const char  *added,
                 char       **dir)
{
  g_autofree char *path = NULL;
  g_autofree char *sample_path = g_test_build_filename (G_TEST_DIST, "ui", "list-bounces.mbox", NULL);
  g_autofree char *sample = NULL;
  g_autoptr(GString) mbox = g_string_new (NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  BounceWindow *win;
  const char *second;

  *dir = g_dir_make_tmp ("bounce-mbox-XXXXXX", NULL);
  path = g_build_filename (*dir, "grown.mbox", NULL);
  file = g_file_new_for_path (path);
  g_file_get_contents (sample_path, &sample, NULL, &error);
  g_assert_no_error (error);
  second = strstr (sample, "\nFrom MAILER-DAEMON  Mon Mar  2 10:02:44");
  g_assert_nonnull (second);
  g_string_append_len (mbox, sample, second - sample);
  g_string_append (mbox, added);
  g_string_append (mbox, second);
  g_file_set_contents (path, mbox->str, mbox->len, &error);
  g_assert_no_error (error);

  win = g_object_new (BOUNCE_TYPE_WINDOW, "application", app, "settings", settings,
                      "default-width", 1000, "default-height", 1400, NULL);
  gtk_window_present (GTK_WINDOW (win));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  bounce_window_open_file (win, file);
  ui_wait_until (ui_analysis_done, win, 60000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  return win;
}

static void
remove_grown_mbox (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "grown.mbox", NULL);

  g_unlink (path);
  g_rmdir (dir);
}

/* A file too large to show whole: a message past the shown part keeps
 * its result, but offers no jump to text that is not there. */
static void
test_message_detail_cut (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(GString) quoted = g_string_new (NULL);
  BounceWindow *win;
  BounceMessagesView *view;

  /* message 1 with a long returned text, then messages 2 and 3 */
  for (guint i = 0; i < 4000; i++)
    g_string_append (quoted, "    a line of the returned message, quoted to make the file large\n");
  win = open_grown_mbox (quoted->str, &dir);
  view = find_view (GTK_WIDGET (win));

  /* Message 1 is shown: its codes are found. */
  click_message (view, 0);

  g_assert_true (gtk_list_box_row_get_activatable (code_row (win, "5.1.1")));
  g_assert_nonnull (find_button (expanded_recipients (win), "_Show in Message"));
  /* Message 2 lies past the shown text: explained, not found. */
  click_message (view, 1);
  g_assert_cmpstr (bounce_verdict_get_badge (bounce_window_get_verdict (win)), ==, "Delayed");
  g_assert_nonnull (code_row (win, "4.4.1"));
  g_assert_false (gtk_list_box_row_get_activatable (code_row (win, "4.4.1")));
  g_assert_null (find_button (expanded_recipients (win), "_Show in Message"));

  ui_destroy_window (win);
  remove_grown_mbox (dir);
}

/* A mailbox whose recipients were not all read says so beside its table,
 * the only list of them for the whole file: message 1 names more
 * recipients than one report keeps, messages 2 and 3 are not read. */
static void
test_cut_short (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(GString) labels = g_string_new (NULL);
  BounceWindow *win;
  BounceMessagesView *view;

  for (guint i = 0; i < BOUNCE_MAX_RECIPIENTS + 10; i++)
    g_string_append_printf (many, "<user%u@example.net>: host mx.example.net[192.0.2.25] said: 550 5.1.1\n"
                                  "    <user%u@example.net>: Recipient address rejected: User unknown\n\n", i, i);
  win = open_grown_mbox (many->str, &dir);
  view = find_view (GTK_WIDGET (win));
  g_assert_nonnull (view);
  g_assert_true (bounce_report_get_truncated (bounce_window_get_report (win)) & BOUNCE_TRUNCATED_RECIPIENTS);

  collect_labels (GTK_WIDGET (view), labels);
  g_assert_nonnull (strstr (labels->str, "the list was cut short"));

  ui_destroy_window (win);
  remove_grown_mbox (dir);
}

/* Scrolled windows under widget that scroll sideways: their content is
 * wider than they are. */
static guint
count_sideways (GtkWidget *widget)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (widget));

      if (gtk_adjustment_get_upper (h) - gtk_adjustment_get_lower (h) > gtk_adjustment_get_page_size (h) + 0.5)
        {
          g_test_message ("scrolls sideways: %g px in %g", gtk_adjustment_get_upper (h),
                          gtk_adjustment_get_page_size (h));
          n++;
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_sideways (child);
  return n;
}

typedef struct {
  const char *text;
  GtkWidget  *within;
} ShownWhole;

/* A label on screen under root that shows text whole: not ellipsized, and
 * inside the width of `within`. */
static gboolean
shows_whole (GtkWidget    *root,
             ShownWhole   *what)
{
  if (!gtk_widget_get_mapped (root))
    return FALSE;
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), what->text) == 0)
    {
      graphene_rect_t bounds;

      if (!gtk_widget_compute_bounds (root, what->within, &bounds))
        return FALSE;
      return !pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (root)))
             && bounds.origin.x >= -0.5
             && bounds.origin.x + bounds.size.width <= gtk_widget_get_width (what->within) + 0.5;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_whole (child, what))
      return TRUE;
  return FALSE;
}

/* The recipients table at 360 px and at 1280 px: nothing in the view
 * scrolls sideways, and each recipient's address and reason are on screen
 * whole at 360 px (the table turns into a list of rows there). */
static void
test_narrow_table (void)
{
  static const int widths[] = { 360, 1280 };
  BounceWindow *win = open_sample ("list-bounces.mbox");
  BounceMessagesView *view = find_view (GTK_WIDGET (win));
  GListModel *rows = bounce_messages_view_get_rows (view);
  GtkWidget *table = find_type (GTK_WIDGET (view), GTK_TYPE_COLUMN_VIEW);

  g_assert_cmpuint (n_rows (view), ==, 4);
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      gtk_window_set_default_size (GTK_WINDOW (win), widths[w], 1400);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
      ui_spin (400);
      g_test_message ("%d px wide: the view is %d px", widths[w], gtk_widget_get_width (GTK_WIDGET (view)));
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
      g_assert_cmpuint (count_sideways (GTK_WIDGET (view)), ==, 0);
      if (widths[w] > 1000)
        {
          GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (table));

          /* Wide: the table, with the day of each message.  Its columns
           * cannot be dragged wider: that would turn it into the list. */
          g_assert_true (gtk_widget_get_mapped (table));
          g_assert_true (ui_find_widget (table, ui_is_mapped_label_with, "2026-03-03") != NULL);
          for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
            {
              g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

              g_assert_false (gtk_column_view_column_get_resizable (column));
            }
          continue;
        }
      g_assert_false (gtk_widget_get_mapped (table));
      for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
        {
          g_autoptr(BounceTableRow) row = g_list_model_get_item (rows, i);
          ShownWhole address = { bounce_table_row_get_address (row), GTK_WIDGET (view) };
          ShownWhole reason = { bounce_table_row_get_reason (row), GTK_WIDGET (view) };

          g_test_message ("%s: %s", address.text, reason.text);
          g_assert_true (shows_whole (GTK_WIDGET (view), &address));
          g_assert_true (shows_whole (GTK_WIDGET (view), &reason));
        }
    }

  ui_destroy_window (win);
}

/* The alpha, 0 to 255, of the pixel at (x, y) of widget drawn alone. */
static guint
alpha_at (GtkWidget *widget,
          int        x,
          int        y)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autofree guchar *pixels = g_malloc (width * height * 4);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  /* (GDK_MEMORY_DEFAULT is B8G8R8A8_PREMULTIPLIED: alpha last) */
  gdk_texture_download (texture, pixels, width * 4);
  return pixels[(y * width + x) * 4 + 3];
}

/* Cards under widget whose corner shows what they hold: a list drawn
 * square over the card's rounded corner. */
static guint
count_square_cards (GtkWidget *widget)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (gtk_widget_has_css_class (widget, "card"))
    {
      guint top = alpha_at (widget, 0, 0);
      guint bottom = alpha_at (widget, 0, gtk_widget_get_height (widget) - 1);

      g_test_message ("%s card: corners %u, %u", G_OBJECT_TYPE_NAME (widget), top, bottom);
      if (top > 128 || bottom > 128)
        n++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_square_cards (child);
  return n;
}

/* The message list, the table and its narrow form are cards with round
 * corners, as the boxed lists below them, at both widths. */
static void
test_round_cards (void)
{
  static const int widths[] = { 360, 1280 };
  BounceWindow *win = open_sample ("list-bounces.mbox");
  BounceMessagesView *view = find_view (GTK_WIDGET (win));

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      gtk_window_set_default_size (GTK_WINDOW (win), widths[w], 1400);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
      ui_spin (400);
      g_assert_cmpuint (count_square_cards (GTK_WIDGET (view)), ==, 0);
    }

  ui_destroy_window (win);
}

/* Labels on screen under widget that are cut with an ellipsis, or whose
 * lines part a number from the word after it ("2 | recipients"). */
static guint
count_cut_or_parted (GtkWidget *widget)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (GTK_IS_LABEL (widget))
    {
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (widget));
      const char *text = pango_layout_get_text (layout);

      if (pango_layout_is_ellipsized (layout))
        {
          g_test_message ("ellipsized (%d px): %s", gtk_widget_get_width (widget), text);
          n++;
        }
      for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
        {
          PangoLayoutLine *line = l->data;
          const char *start = text + line->start_index;
          const char *word = start;

          if (line->start_index == 0 || !g_ascii_isspace (start[-1]) || !g_unichar_isalpha (g_utf8_get_char (start)))
            continue;
          /* The word before the break: digits only? */
          word = start - 1;
          while (word > text && g_ascii_isspace (word[-1]) == FALSE && word[-1] != '\n' && word - 1 >= text
                 && g_ascii_isdigit (word[-1]))
            word--;
          if (word < start - 1 && (word == text || g_ascii_isspace (word[-1])))
            {
              g_test_message ("a number parted from its word: %s", text);
              n++;
              break;
            }
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_cut_or_parted (child);
  return n;
}

/* At 360 px, in each language (window-mbox-labels-de, ...): no label of
 * the view is cut short (the filter's placeholder is one), the message
 * list's counts keep their number and word on one line, a file of
 * three messages shows all three, and a recipient's address beside its
 * badge breaks after its "@". */
static void
test_narrow_labels (void)
{
  BounceWindow *win = open_sample ("list-bounces.mbox");
  BounceMessagesView *view = find_view (GTK_WIDGET (win));

  GtkWidget *list = bounce_messages_view_get_message_list (view);
  GtkWidget *scroller = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  guint shown = 0;

  gtk_window_set_default_size (GTK_WINDOW (win), 360, 1400);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (400);
  g_assert_cmpuint (count_cut_or_parted (GTK_WIDGET (view)), ==, 0);

  /* The three messages show whole without scrolling: the list is capped
   * for a long file, not for three messages of a few lines each. */
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      graphene_rect_t bounds;

      if (!gtk_widget_get_mapped (row) || !gtk_widget_compute_bounds (row, scroller, &bounds))
        continue;
      g_test_message ("message row %g to %g px of %d", bounds.origin.y, bounds.origin.y + bounds.size.height,
                      gtk_widget_get_height (scroller));
      if (bounds.origin.y >= -0.5 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller) + 0.5)
        shown++;
    }
  g_assert_cmpuint (shown, ==, 3);

  /* Message 2's recipient beside its badge ("Vorübergehend" in German):
   * where the address takes two lines, they part after its "@", not
   * before its last letter ("dora.lind@example.or" over "g"). */
  click_message (view, 1);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (400);
  {
    GtkWidget *recipients = GTK_WIDGET (bounce_window_get_recipients_list (win));
    GtkWidget *title = ui_find_widget (recipients, ui_is_mapped_label_with, "dora.lind@example.org");
    PangoLayout *layout;
    GSList *lines;

    g_assert_nonnull (title);
    layout = gtk_label_get_layout (GTK_LABEL (title));
    lines = pango_layout_get_lines_readonly (layout);
    g_test_message ("dora.lind@example.org in %u line(s), %d px wide", g_slist_length (lines),
                    gtk_widget_get_width (title));
    g_assert_cmpuint (g_slist_length (lines), <=, 2);
    if (lines->next != NULL)
      g_assert_cmpint (((PangoLayoutLine *) lines->next->data)->start_index, ==, strlen ("dora.lind@"));
  }

  ui_destroy_window (win);
}

/* The colour (B, G, R, A) at (x, y) of widget, drawn with root (an
 * ancestor: what lies under it there is left out). */
static guint32
colour_at (GtkWidget *root,
           GtkWidget *widget,
           double     x,
           double     y)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (root);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (root), height = gtk_widget_get_height (root);
  g_autofree guint32 *pixels = g_new (guint32, width * height);
  graphene_point_t at;

  g_assert_true (gtk_widget_compute_point (widget, root, &GRAPHENE_POINT_INIT (x, y), &at));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (root)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  return pixels[(int) at.y * width + (int) at.x];
}

/* In the light and the dark style, the rows of the message list and of the
 * recipients table (here in its narrow form) have the background of the
 * boxed list of codes below them: a list view's own background is
 * darker than a card's in the dark style. */
static void
test_card_backgrounds (void)
{
  static const AdwColorScheme schemes[] = { ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK };
  BounceWindow *win = open_sample ("list-bounces.mbox");
  BounceMessagesView *view = find_view (GTK_WIDGET (win));
  GtkWidget *boxed = GTK_WIDGET (bounce_window_get_codes_list (win));
  GtkWidget *messages = bounce_messages_view_get_message_list (view);
  AdwStyleManager *style = adw_style_manager_get_default ();
  /* (the page's column, which holds both) */
  GtkWidget *page = gtk_widget_get_parent (GTK_WIDGET (view));

  g_assert_true (gtk_widget_is_ancestor (boxed, page));
  for (guint k = 0; k < G_N_ELEMENTS (schemes) * 2; k++)
    {
      guint i = k % 2;
      int width = k < 2 ? 360 : 1280;
      GtkWidget *table;
      guint32 card, message_row, table_row;

      gtk_window_set_default_size (GTK_WINDOW (win), width, 1400);
      adw_style_manager_set_color_scheme (style, schemes[i]);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
      ui_spin (400);
      /* (the table, or its narrow form: whichever the squeezer shows) */
      table = adw_squeezer_get_visible_child (ADW_SQUEEZER (ui_find_widget (GTK_WIDGET (view), ui_is_of_type,
                                                                            GSIZE_TO_POINTER (ADW_TYPE_SQUEEZER))));
      g_assert_true (GTK_IS_SCROLLED_WINDOW (table));
      g_assert_true ((width > 1000) == (ui_find_widget (table, ui_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW)) != NULL));
      /* A few pixels inside each list's left edge, half way down its first
       * row (below the table's headings). */
      card = colour_at (page, boxed, 4, 20);
      message_row = colour_at (page, messages, 4, 20);
      table_row = colour_at (page, table, 4, 50);
      g_test_message ("%d px, %s: boxed list %08x, message list %08x, table %08x",
                      width, i == 0 ? "light" : "dark", card, message_row, table_row);
      g_assert_cmphex (message_row, ==, card);
      g_assert_cmphex (table_row, ==, card);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  ui_destroy_window (win);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!ui_have_display ())
    return 0;

  state_dir = ui_private_state_dir ();
  /* The verdicts are compared in English; the tests of a translation
   * (window-mbox-labels-de, ...) say which in BOUNCE_TEST_LANGUAGE. */
  g_setenv ("LANGUAGE", g_getenv ("BOUNCE_TEST_LANGUAGE") != NULL ? g_getenv ("BOUNCE_TEST_LANGUAGE") : "C", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  setlocale (LC_ALL, "");
  bounce_core_init_gettext ();

  app = ui_new_application ();

  g_test_add_func ("/mbox/messages-listed", test_messages_listed);
  g_test_add_func ("/mbox/filter", test_filter);
  g_test_add_func ("/mbox/sort", test_sort);
  g_test_add_func ("/mbox/export", test_export);
  g_test_add_func ("/mbox/single-message-hidden", test_single_message_hidden);
  g_test_add_func ("/mbox/message-detail", test_message_detail);
  g_test_add_func ("/mbox/message-detail-cut", test_message_detail_cut);
  g_test_add_func ("/mbox/cut-short", test_cut_short);
  g_test_add_func ("/mbox/recipients-once", test_recipients_once);
  g_test_add_func ("/mbox/table-leads-to-row", test_table_leads_to_row);
  g_test_add_func ("/mbox/narrow-table", test_narrow_table);
  g_test_add_func ("/mbox/round-cards", test_round_cards);
  g_test_add_func ("/mbox/narrow-labels", test_narrow_labels);
  g_test_add_func ("/mbox/card-backgrounds", test_card_backgrounds);

  ret = g_test_run ();

  g_clear_object (&app);
  g_rmdir (state_dir);
  g_free (state_dir);
  return ret;
}
