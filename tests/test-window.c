/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "bounce-application.h"
#include "bounce-catalogue-window.h"
#include "bounce-core.h"
#include "bounce-entry-card.h"
#include "bounce-preferences.h"
#include "bounce-recipient-row.h"
#include "bounce-window.h"
#include "ui-common.h"

/* Tests of the real window under Xvfb: they set text or open files, spin
 * the main loop until the worker thread's report arrived, and check what
 * the user would see. */

static BounceApplication *app;
static char *state_dir;

static char *
read_sample (const char *name,
             gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "ui", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

static GSettings *
test_settings (void)
{
  return g_settings_new (APP_ID);
}

static BounceWindow *
new_window (void)
{
  g_autoptr(GSettings) settings = test_settings ();
  BounceWindow *win = g_object_new (BOUNCE_TYPE_WINDOW,
                                    "application", app,
                                    "settings", settings,
                                    NULL);

  gtk_window_present (GTK_WINDOW (win));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  return win;
}

static void
paste_text (BounceWindow *win,
            const char   *text)
{
  /* Like typing: goes through the debounce, which must fire on its own. */
  gtk_text_buffer_set_text (ui_window_buffer (win), text, -1);
  ui_wait_until (ui_analysis_done, win, 20000);
}

static gboolean
buffer_has_tag (GtkTextBuffer *buffer,
                const char    *tag_name)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GtkTextIter iter;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  return gtk_text_iter_has_tag (&iter, tag) || gtk_text_iter_forward_to_tag_toggle (&iter, tag);
}

static gboolean
has_popover_child (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      return TRUE;
  return FALSE;
}

static void
test_paste_bounce (void)
{
  BounceWindow *win = new_window ();
  g_autofree char *text = read_sample ("pasted-blocklisted.txt", NULL);
  GtkTextBuffer *buffer = ui_window_buffer (win);
  BounceReport *report;
  BounceEntry *verdict;
  GtkListBoxRow *row;
  g_auto(GStrv) urls = NULL;
  glong code_offset, ip_offset;
  GtkTextIter sel_start, sel_end;
  g_autofree char *selected = NULL;

  g_assert_cmpstr (bounce_window_get_page (win), ==, "welcome");
  paste_text (win, text);

  report = bounce_window_get_report (win);
  g_assert_cmpint (bounce_report_get_kind (report), ==, BOUNCE_KIND_FAILURE);
  g_assert_cmpstr (bounce_window_get_page (win), ==, "report");

  /* The verdict is the report's verdict entry, with its permanence. */
  verdict = bounce_report_get_verdict (report);
  g_assert_nonnull (verdict);
  g_assert_cmpstr (bounce_verdict_get_headline (bounce_window_get_verdict (win)), ==,
                   bounce_entry_get_title (verdict));
  g_assert_cmpstr (bounce_verdict_get_badge (bounce_window_get_verdict (win)), ==, "Permanent");

  /* One recipient row with the address. */
  row = gtk_list_box_get_row_at_index (bounce_window_get_recipients_list (win), 0);
  g_assert_true (BOUNCE_IS_RECIPIENT_ROW (row));
  g_assert_cmpstr (bounce_recipient_get_address (bounce_recipient_row_get_recipient (BOUNCE_RECIPIENT_ROW (row))),
                   ==, "j.doe@example.net");
  g_assert_null (gtk_list_box_get_row_at_index (bounce_window_get_recipients_list (win), 1));
  g_assert_nonnull (gtk_widget_get_first_child (bounce_window_get_entry_cards (win)));

  /* The codes and the public IP are highlighted where they are. */
  code_offset = ui_char_offset_of (buffer, "554 5.7.1");
  g_assert_cmpint (code_offset, >, 0);
  g_assert_true (ui_tag_at (buffer, code_offset, "code"));
  g_assert_true (ui_tag_at (buffer, code_offset + 4, "code"));
  g_assert_false (ui_tag_at (buffer, 0, "code"));
  ip_offset = ui_char_offset_of (buffer, "203.0.113.45");
  g_assert_true (ui_tag_at (buffer, ip_offset, "network"));

  /* Every lookup the core built is offered (all services are on by
   * default), named lists first. */
  urls = bounce_links_group_dup_urls (bounce_window_get_links_group (win));
  g_assert_cmpuint (g_strv_length (urls), ==, bounce_report_get_links (report)->len);
  for (guint i = 0; i < bounce_report_get_links (report)->len; i++)
    {
      BounceLink *link = g_ptr_array_index (bounce_report_get_links (report), i);

      g_assert_true (g_strv_contains ((const char * const *) urls, link->url));
      if (link->named)
        g_assert_cmpstr (urls[0], ==, link->url);
    }

  /* Activating a code finds it in the text. */
  row = gtk_list_box_get_row_at_index (bounce_window_get_codes_list (win), 0);
  g_assert_nonnull (row);
  g_signal_emit_by_name (bounce_window_get_codes_list (win), "row-activated", row);
  g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &sel_start, &sel_end));
  selected = gtk_text_iter_get_text (&sel_start, &sel_end);
  g_assert_cmpstr (selected, ==, "554");

  /* Clicking a highlight shows the entry of that code, in a popover built
   * then, not with the window. */
  g_assert_false (has_popover_child (GTK_WIDGET (bounce_window_get_input_view (win))));
  g_assert_true (bounce_input_view_popup_entry_at (bounce_window_get_input_view (win), code_offset));
  g_assert_true (has_popover_child (GTK_WIDGET (bounce_window_get_input_view (win))));
  g_assert_false (bounce_input_view_popup_entry_at (bounce_window_get_input_view (win), 0));

  ui_destroy_window (win);
}

static void
test_open_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "ui", "user-unknown-qp.eml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  BounceWindow *win = NULL;
  BounceReport *report;
  g_autofree char *shown = NULL;
  GtkTextBuffer *buffer;

  /* The path a file manager or `bounce-assistant FILE` takes. */
  g_application_open (G_APPLICATION (app), &file, 1, "");
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (BOUNCE_IS_WINDOW (l->data))
      win = l->data;
  g_assert_nonnull (win);
  ui_wait_until (ui_analysis_done, win, 20000);

  report = bounce_window_get_report (win);
  g_assert_cmpint (bounce_report_get_kind (report), ==, BOUNCE_KIND_FAILURE);
  g_assert_cmpstr (bounce_entry_get_title (bounce_report_get_verdict (report)), ==,
                   bounce_verdict_get_headline (bounce_window_get_verdict (win)));

  /* An opened file shows its decoded text, so the offsets fit. */
  buffer = ui_window_buffer (win);
  shown = ui_buffer_text (buffer);
  g_assert_cmpstr (shown, ==, bounce_report_get_text (report));
  g_assert_nonnull (strstr (shown, "m.müller@example.org"));
  g_assert_null (bounce_input_view_get_notice (bounce_window_get_input_view (win)));
  g_assert_true (ui_tag_at (buffer, ui_char_offset_of (buffer, "5.1.1"), "code"));

  ui_destroy_window (win);
}

/* Is the character at offset inside the visible part of the text view? */
static gboolean
offset_visible (BounceWindow *win,
                glong         offset)
{
  GtkTextView *view = bounce_input_view_get_text_view (bounce_window_get_input_view (win));
  GtkTextIter iter;
  GdkRectangle visible, location;

  gtk_text_buffer_get_iter_at_offset (gtk_text_view_get_buffer (view), &iter, offset);
  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_view_get_iter_location (view, &iter, &location);
  return location.y >= visible.y && location.y + location.height <= visible.y + visible.height;
}

typedef struct {
  BounceWindow *win;
  glong         offset;
} VisibleWait;

static gboolean
visible_cb (gpointer data)
{
  VisibleWait *w = data;

  return offset_visible (w->win, w->offset);
}

/* Scrolling happens after layout, which takes longer on a busy machine:
 * waits until offset is in view, and fails the test after 10 s. */
static void
wait_visible (BounceWindow *win,
              glong         offset)
{
  VisibleWait w = { win, offset };

  ui_wait_until (visible_cb, &w, 10000);
}

static gboolean
report_arrived (gpointer data)
{
  return bounce_window_get_report (data) != NULL;
}

static gboolean
page_filled (gpointer data)
{
  return !bounce_window_get_filling (data);
}

static guint
n_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/* Every recipient of the shown report has its row, in the report's order,
 * and so does each of its explanations and codes, and each of its links. */
static void
assert_page_complete (BounceWindow *win)
{
  BounceReport *report = bounce_window_get_report (win);
  GListModel *recipients = bounce_report_get_recipients (report);
  guint n = g_list_model_get_n_items (recipients);
  GtkListBox *list = bounce_window_get_recipients_list (win);
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *findings = bounce_report_get_codes (report);
  GtkWidget *card = gtk_widget_get_first_child (bounce_window_get_entry_cards (win));
  g_auto(GStrv) urls = NULL;
  guint n_codes = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, i);
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);
      GPtrArray *its = bounce_recipient_get_entries (r);

      g_assert_true (BOUNCE_IS_RECIPIENT_ROW (row));
      g_assert_true (bounce_recipient_row_get_recipient (BOUNCE_RECIPIENT_ROW (row)) == r);
      if (its != NULL && its->len > 0 && entries->len < 3 && !g_ptr_array_find (entries, its->pdata[0], NULL))
        g_ptr_array_add (entries, its->pdata[0]);
    }
  g_assert_null (gtk_list_box_get_row_at_index (list, n));

  /* The first explanation of each recipient, each once, up to three. */
  g_assert_cmpuint (entries->len, >, 0);
  for (guint i = 0; i < entries->len; i++, card = gtk_widget_get_next_sibling (card))
    {
      g_assert_nonnull (card);
      g_assert_true (bounce_entry_card_get_entry (BOUNCE_ENTRY_CARD (card)) == entries->pdata[i]);
    }
  g_assert_null (card);

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      BounceFinding *f = g_ptr_array_index (findings, i);

      if (g_hash_table_add (codes, f->text))
        {
          GtkListBoxRow *row = gtk_list_box_get_row_at_index (bounce_window_get_codes_list (win), n_codes++);

          g_assert_nonnull (row);
          g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, f->text);
        }
    }
  g_assert_cmpuint (n_codes, >, 0);
  g_assert_null (gtk_list_box_get_row_at_index (bounce_window_get_codes_list (win), n_codes));

  /* All services are on by default: every link is offered. */
  urls = bounce_links_group_dup_urls (bounce_window_get_links_group (win));
  g_assert_cmpuint (g_strv_length (urls), ==, bounce_report_get_links (report)->len);
}

/* The report page of a bounce with twelve recipients: the main-loop turn
 * its report arrives in shows the verdict and the first recipients, not
 * every row; the rest come in later turns, and then the page has all of
 * them, in order, and everything below them.  A message that is not a
 * bounce meanwhile stops the filling. */
static void
test_report_filled_in_turns (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "ui", "many-recipients.eml", NULL);
  g_autofree char *other_path = g_test_build_filename (G_TEST_DIST, "ui", "user-unknown-qp.eml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *not_bounce_path = g_test_build_filename (G_TEST_DIST, "ui", "lunch.txt", NULL);
  g_autoptr(GFile) other = g_file_new_for_path (other_path);
  g_autoptr(GFile) not_bounce = g_file_new_for_path (not_bounce_path);
  BounceWindow *win = new_window ();
  GtkWidget *list = GTK_WIDGET (bounce_window_get_recipients_list (win));
  BounceReport *report;
  guint n, rows;

  bounce_window_open_file (win, file);
  ui_wait_until (report_arrived, win, 20000);

  /* The turn the report arrived in. */
  report = bounce_window_get_report (win);
  n = g_list_model_get_n_items (bounce_report_get_recipients (report));
  g_assert_cmpuint (n, ==, 12);
  g_assert_cmpstr (bounce_window_get_page (win), ==, "report");
  g_assert_true (bounce_verdict_get_report (bounce_window_get_verdict (win)) == report);
  /* It comes at once, not cross-faded from the welcome page. */
  g_assert_false (gtk_stack_get_transition_running (GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (bounce_window_get_verdict (win)),
                                                                                         GTK_TYPE_STACK))));
  g_assert_true (bounce_window_get_filling (win));
  rows = n_children (list);
  g_assert_cmpuint (rows, >, 0);
  g_assert_cmpuint (rows, <, n);
  g_assert_null (gtk_widget_get_first_child (bounce_window_get_entry_cards (win)));
  g_assert_null (gtk_widget_get_first_child (GTK_WIDGET (bounce_window_get_codes_list (win))));

  ui_wait_until (page_filled, win, 10000);
  assert_page_complete (win);

  /* The same file again, and a message that is not a bounce as soon as
   * its report is there: the filling stops with the page it filled. */
  bounce_window_open_file (win, file);
  while (bounce_window_get_report (win) == report)
    g_main_context_iteration (NULL, TRUE);
  report = bounce_window_get_report (win);
  g_assert_true (bounce_window_get_filling (win));
  bounce_window_open_file (win, not_bounce);
  while (bounce_window_get_report (win) == report)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (bounce_window_get_page (win), ==, "not-bounce");
  g_assert_false (bounce_window_get_filling (win));

  /* Then another bounce: its own rows only. */
  report = bounce_window_get_report (win);
  bounce_window_open_file (win, other);
  while (bounce_window_get_report (win) == report)
    g_main_context_iteration (NULL, TRUE);
  ui_wait_until (page_filled, win, 10000);
  g_assert_cmpuint (n_children (list), ==,
                    g_list_model_get_n_items (bounce_report_get_recipients (bounce_window_get_report (win))));
  assert_page_complete (win);

  ui_destroy_window (win);
}

static GtkWidget *
find_menu_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_menu_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The main menu is built when first opened, not with the window, and
 * opens with its items then and after. */
static void
test_main_menu_on_first_open (void)
{
  BounceWindow *win = new_window ();
  GtkMenuButton *button = GTK_MENU_BUTTON (find_menu_button (GTK_WIDGET (win)));
  GMenuModel *model;

  g_assert_nonnull (button);
  g_assert_null (gtk_menu_button_get_popover (button));

  for (guint i = 0; i < 2; i++)
    {
      gtk_menu_button_popup (button);
      ui_spin (50);
      model = gtk_menu_button_get_menu_model (button);
      g_assert_nonnull (model);
      g_assert_cmpint (g_menu_model_get_n_items (model), >, 0);
      g_assert_true (GTK_IS_POPOVER_MENU (gtk_menu_button_get_popover (button)));
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (button))));
      gtk_menu_button_popdown (button);
      ui_spin (50);
      g_assert_true (gtk_menu_button_get_menu_model (button) == model);
    }

  ui_destroy_window (win);
}

static void
test_open_scrolls_to_code (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "ui", "exchange-blocklisted-ip.eml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  BounceWindow *win = new_window ();
  BounceInputView *input = bounce_window_get_input_view (win);
  GPtrArray *codes;
  BounceFinding *first;

  gtk_window_set_default_size (GTK_WINDOW (win), 900, 500);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));

  bounce_window_open_file (win, file);
  ui_wait_until (ui_analysis_done, win, 20000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (100);

  /* Forty lines of headers come first: the view skips them to the first
   * highlighted code. */
  codes = bounce_report_get_codes (bounce_window_get_report (win));
  g_assert_cmpuint (codes->len, >, 0);
  first = g_ptr_array_index (codes, 0);
  wait_visible (win, first->offset);
  g_assert_false (offset_visible (win, 0));
  g_assert_true (ui_tag_at (ui_window_buffer (win), first->offset, "code"));

  /* A resize re-wraps the lines; the code stays in view. */
  gtk_window_set_default_size (GTK_WINDOW (win), 1300, 700);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (100);
  g_assert_true (bounce_input_view_get_scroll_pending (input));
  wait_visible (win, first->offset);

  /* Finding something else takes over from the first code. */
  g_assert_true (bounce_input_view_select_chars (input, 0, 1));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (100);
  wait_visible (win, 0);
  g_assert_false (offset_visible (win, first->offset));

  /* The user's own scrolling ends the automatic one. */
  {
    GtkEventController *key = NULL;
    GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (input));
    gboolean handled = TRUE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && key == NULL; i++)
      {
        g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_KEY (c))
          key = c;
      }
    g_object_unref (controllers);
    g_assert_nonnull (key);
    g_assert_true (bounce_input_view_get_scroll_pending (input));
    g_signal_emit_by_name (key, "key-pressed", GDK_KEY_Page_Down, 0, 0, &handled);
    g_assert_false (handled);
    g_assert_false (bounce_input_view_get_scroll_pending (input));
  }

  ui_destroy_window (win);
}

static gboolean
is_label_with (GtkWidget     *widget,
               gconstpointer  needle)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), needle) != NULL;
}

static gboolean
is_shown_label_with (GtkWidget     *widget,
                     gconstpointer  needle)
{
  return gtk_widget_is_visible (widget) && is_label_with (widget, needle);
}

static gboolean
is_actionable_for (GtkWidget     *widget,
                   gconstpointer  action)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

/* Does any label below widget show text containing needle? */
static gboolean
shows_text (GtkWidget  *widget,
            const char *needle)
{
  return ui_find_widget (widget, is_label_with, needle) != NULL;
}

/* The same for what is on screen. */
static gboolean
shows_mapped_text (GtkWidget  *widget,
                   const char *needle)
{
  return ui_find_widget (widget, ui_is_mapped_label_with, needle) != NULL;
}

static void
test_narrow (void)
{
  BounceWindow *win = new_window ();
  g_autofree char *text = read_sample ("pasted-blocklisted.txt", NULL);

  gtk_window_set_default_size (GTK_WINDOW (win), 360, 700);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (100);
  /* One pane: the text to paste into. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (bounce_window_get_input_view (win))));
  g_assert_false (shows_mapped_text (GTK_WIDGET (win), "No Message Yet"));

  /* A paste shows the explanation, titled with what it explains. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (win)), text);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.paste", NULL));
  ui_wait_until (ui_analysis_done, win, 20000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (400);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (bounce_window_get_input_view (win))));
  g_assert_true (shows_mapped_text (GTK_WIDGET (win), "Pasted text"));
  g_assert_false (shows_mapped_text (GTK_WIDGET (win), "Bounce Assistant"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (bounce_window_get_verdict (win))));

  /* Wide again: both panes, the application's name back in the title. */
  gtk_window_set_default_size (GTK_WINDOW (win), 1200, 700);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (400);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (bounce_window_get_input_view (win))));
  g_assert_true (shows_mapped_text (GTK_WIDGET (win), "Bounce Assistant"));

  ui_destroy_window (win);
}

static void
add_menu_actions (GMenuModel *model,
                  GHashTable *actions)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *action = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        g_hash_table_add (actions, g_steal_pointer (&action));
      if (section != NULL)
        add_menu_actions (section, actions);
    }
}

/* The actions of the buttons on screen at and below widget, and of the
 * items of the menus those buttons open. */
static void
add_mapped_actions (GtkWidget  *widget,
                    GHashTable *actions)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_ACTIONABLE (widget) && gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)) != NULL)
    g_hash_table_add (actions, g_strdup (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget))));
  if (GTK_IS_MENU_BUTTON (widget))
    {
      GtkMenuButton *button = GTK_MENU_BUTTON (widget);

      gtk_menu_button_popup (button);
      ui_spin (50);
      g_assert_nonnull (gtk_menu_button_get_menu_model (button));
      add_menu_actions (gtk_menu_button_get_menu_model (button), actions);
      gtk_menu_button_popdown (button);
      ui_spin (50);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    add_mapped_actions (child, actions);
}

static void
assert_reachable (BounceWindow       *win,
                  const char * const *extra)
{
  /* What must be at hand on every page at every width. */
  static const char * const everywhere[] = {
    "win.open", "win.catalogue", "app.preferences", "win.show-help-overlay", "app.about", NULL
  };
  g_autoptr(GHashTable) actions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (400);
  add_mapped_actions (GTK_WIDGET (win), actions);
  for (guint i = 0; everywhere[i] != NULL; i++)
    {
      g_test_message ("%d px: %s", gtk_widget_get_width (GTK_WIDGET (win)), everywhere[i]);
      g_assert_true (g_hash_table_contains (actions, everywhere[i]));
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    {
      g_test_message ("%d px: %s", gtk_widget_get_width (GTK_WIDGET (win)), extra[i]);
      g_assert_true (g_hash_table_contains (actions, extra[i]));
    }
}

/* Every action has a button or a menu item on screen, whatever the width
 * and whichever pane a narrow window shows. */
static void
test_narrow_actions (void)
{
  static const char * const input_actions[] = { "win.paste", "win.clear", NULL };
  static const char * const results_actions[] = { "win.copy-summary", "win.show-input", NULL };
  static const char * const folded_input_actions[] = { "win.paste", "win.clear", "win.show-results", NULL };
  BounceWindow *win = new_window ();
  g_autofree char *text = read_sample ("pasted-blocklisted.txt", NULL);
  static const int widths[] = { 360, 600 };
  int width;

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      gtk_widget_activate_action (GTK_WIDGET (win), "win.clear", NULL);
      gtk_window_set_default_size (GTK_WINDOW (win), widths[w], 700);
      /* Empty: only the text to paste into is shown. */
      assert_reachable (win, input_actions);
      width = gtk_widget_get_width (GTK_WIDGET (win));

      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (win)), text);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.paste", NULL));
      ui_wait_until (ui_analysis_done, win, 20000);
      assert_reachable (win, results_actions);
      g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (bounce_window_get_input_view (win))));
      /* The buttons fit: none makes the window wider than asked. */
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (win)), ==, width);

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-input", NULL));
      assert_reachable (win, folded_input_actions);
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (bounce_window_get_input_view (win))));
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (win)), ==, width);
    }

  gtk_window_set_default_size (GTK_WINDOW (win), 1200, 700);
  assert_reachable (win, (const char * const []) { "win.paste", "win.clear", "win.copy-summary", NULL });

  ui_destroy_window (win);
}

/* Wrapping labels on screen that are given less height than their text
 * needs at the width they were given: their first or last lines are cut. */
static guint
count_cut_labels (GtkWidget *widget)
{
  guint cut = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (GTK_IS_LABEL (widget) && gtk_label_get_wrap (GTK_LABEL (widget)))
    {
      int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
      int minimum;

      /* Measured with its margins, allocated without. */
      gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL,
                          width + gtk_widget_get_margin_start (widget) + gtk_widget_get_margin_end (widget),
                          &minimum, NULL, NULL, NULL);
      minimum -= gtk_widget_get_margin_top (widget) + gtk_widget_get_margin_bottom (widget);
      /* Nor may it lie partly outside a box it is in. */
      for (GtkWidget *up = gtk_widget_get_parent (widget);
           up != NULL && !GTK_IS_VIEWPORT (up) && !GTK_IS_SCROLLED_WINDOW (up);
           up = gtk_widget_get_parent (up))
        {
          graphene_rect_t bounds;

          g_assert_true (gtk_widget_compute_bounds (widget, up, &bounds));
          if (bounds.origin.y < -0.5 || bounds.origin.y + bounds.size.height > gtk_widget_get_height (up) + 0.5)
            {
              g_test_message ("outside a %s: %g to %g of %d px: %s", G_OBJECT_TYPE_NAME (up),
                              bounds.origin.y, bounds.origin.y + bounds.size.height,
                              gtk_widget_get_height (up), gtk_label_get_label (GTK_LABEL (widget)));
              cut++;
              break;
            }
        }
      if (minimum > height)
        {
          g_test_message ("cut: %d px of %d at %d px wide: %s", height, minimum, width,
                          gtk_label_get_label (GTK_LABEL (widget)));
          cut++;
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    cut += count_cut_labels (child);
  return cut;
}

/* A long address without a space wraps in full, title of its row, and
 * no label on screen is cut off, at any width. */
static void
test_long_address (void)
{
  static const char text[] =
    "This is the mail system at host mx.example.org.\n\n"
    /* (a local part of 64 characters, the most RFC 5321 allows) */
    "<averyveryverylonglocalpartwithoutanybreaksandthenafewmoreletters"
    "@subdomain-with-a-very-long-label-without-dots.subdomain-with-a-very-long-label-without-dots.example.net>:"
    " host mx.example.net[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command)\n";
  static const int widths[] = { 360, 600, 960, 1280 };
  BounceWindow *win = new_window ();

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (win)), text);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.paste", NULL));
  ui_wait_until (ui_analysis_done, win, 20000);
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      gtk_window_set_default_size (GTK_WINDOW (win), widths[w], 700);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
      ui_spin (400);
      g_assert_true (shows_mapped_text (GTK_WIDGET (win), "averyveryverylonglocalpartwithoutanybreaksandthenafewmoreletters@"));
      g_assert_cmpuint (count_cut_labels (GTK_WIDGET (win)), ==, 0);
    }

  ui_destroy_window (win);
}

static BounceWindow *
open_corpus_file (const char *dir,
                  const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "corpus", dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  BounceWindow *win = new_window ();

  bounce_window_open_file (win, file);
  ui_wait_until (ui_analysis_done, win, 20000);
  return win;
}

static gboolean
has_badge (GtkWidget     *widget,
           gconstpointer  data)
{
  return gtk_widget_has_css_class (widget, "verdict-badge");
}

static void
test_delay_warning (void)
{
  /* Exim's 24-hour delay warning: a 450 reply and no enhanced code, so the
   * core infers 4.0.973, which the server never sent. */
  BounceWindow *win = open_corpus_file ("eml", "lhost-exim-38.eml");
  BounceReport *report = bounce_window_get_report (win);
  g_autoptr(BounceRecipient) r = g_list_model_get_item (bounce_report_get_recipients (report), 0);
  GtkListBoxRow *row;

  g_assert_cmpint (bounce_report_get_kind (report), ==, BOUNCE_KIND_DELAY);
  g_assert_true (bounce_recipient_get_status_inferred (r));
  g_assert_cmpstr (bounce_verdict_get_badge (bounce_window_get_verdict (win)), ==, "Delayed");
  g_assert_true (shows_text (GTK_WIDGET (bounce_window_get_verdict (win)), "not a failure"));
  g_assert_true (shows_text (GTK_WIDGET (win), "Delayed Recipients"));

  row = gtk_list_box_get_row_at_index (bounce_window_get_recipients_list (win), 0);
  g_assert_true (BOUNCE_IS_RECIPIENT_ROW (row));
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "450"));
  g_assert_false (shows_text (GTK_WIDGET (win), bounce_recipient_get_status (r)));
  /* the row's badge says what the verdict's and the mailbox table's say */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (ui_find_widget (GTK_WIDGET (row), has_badge, NULL))), ==,
                   "Delayed");

  ui_destroy_window (win);
}

/* A DMARC failure report (feedback type "auth-failure", RFC 6591) is no
 * complaint: the verdict says what it is, without the "Complaint" badge. */
static void
test_dmarc_report (void)
{
  BounceWindow *win = open_corpus_file ("eml", "arf-18.eml");
  BounceVerdict *verdict = bounce_window_get_verdict (win);

  g_assert_cmpint (bounce_report_get_kind (bounce_window_get_report (win)), ==, BOUNCE_KIND_FEEDBACK);
  g_assert_cmpstr (bounce_report_get_feedback_type (bounce_window_get_report (win)), ==, "auth-failure");
  g_assert_cmpstr (bounce_verdict_get_badge (verdict), ==, "Not a bounce");
  g_assert_cmpstr (bounce_verdict_get_headline (verdict), ==,
                   "This is an authentication failure report (DMARC), not a bounce");
  g_assert_false (shows_text (GTK_WIDGET (verdict), "unwanted"));

  ui_destroy_window (win);
}

static void
test_abuse_report (void)
{
  BounceWindow *win = open_corpus_file ("eml", "arf-16.eml");
  GtkListBox *list = bounce_window_get_recipients_list (win);
  GtkListBoxRow *row;

  g_assert_cmpint (bounce_report_get_kind (bounce_window_get_report (win)), ==, BOUNCE_KIND_FEEDBACK);
  g_assert_cmpstr (bounce_verdict_get_badge (bounce_window_get_verdict (win)), ==, "Complaint");
  g_assert_true (shows_text (GTK_WIDGET (win), "Reported Recipients"));

  /* The complainants are plain rows: nothing failed, nothing to unfold. */
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (row);
  g_assert_false (BOUNCE_IS_RECIPIENT_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "kijitora@example.com");
  g_assert_false (shows_text (GTK_WIDGET (list), "gives no details"));

  ui_destroy_window (win);
}

static void
test_pasted_mime (void)
{
  BounceWindow *win = new_window ();
  g_autofree char *raw = read_sample ("user-unknown-qp.eml", NULL);
  GtkTextBuffer *buffer = ui_window_buffer (win);
  g_autofree char *after = NULL;

  paste_text (win, raw);

  /* The display text differs from what was pasted: the codes are still
   * highlighted where they stand in the text as pasted, and since its
   * text part really is quoted-printable the notice offers the decoded
   * text. */
  g_assert_nonnull (bounce_input_view_get_notice (bounce_window_get_input_view (win)));
  g_assert_true (ui_tag_at (buffer, ui_char_offset_of (buffer, "Status: 5.1.1") + 8, "code"));
  g_assert_true (ui_tag_at (buffer, ui_char_offset_of (buffer, "smtp; 550") + 6, "code"));
  g_assert_false (ui_tag_at (buffer, ui_char_offset_of (buffer, "Content-Transfer-Encoding"), "code"));

  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-decoded", NULL);
  after = ui_buffer_text (buffer);
  g_assert_cmpstr (after, ==, bounce_report_get_text (bounce_window_get_report (win)));
  g_assert_true (buffer_has_tag (buffer, "code"));
  g_assert_null (bounce_input_view_get_notice (bounce_window_get_input_view (win)));
  /* Swapping in the decoded text is not an edit: no new analysis. */
  g_assert_false (bounce_window_get_busy (win));

  ui_destroy_window (win);
}

static void
test_copy_summary (void)
{
  BounceWindow *win = new_window ();
  g_autofree char *text = read_sample ("pasted-blocklisted.txt", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *copied = NULL;

  paste_text (win, text);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.copy-summary", NULL));
  copied = ui_clipboard_text (GTK_WIDGET (win));

  expected = bounce_report_to_summary (bounce_window_get_report (win));
  g_assert_cmpstr (copied, ==, expected);
  g_assert_nonnull (strstr (copied, "j.doe@example.net"));

  ui_destroy_window (win);
}

/* Whether the user can use ACTION: the button bound to it is sensitive
 * (GTK makes an actionable widget insensitive when its action is off). */
static gboolean
action_enabled (BounceWindow *win,
                const char   *action)
{
  GtkWidget *button = ui_find_widget (GTK_WIDGET (win), is_actionable_for, action);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

/* The window starts on its welcome page; the report page and the other
 * result pages are built when first shown, and clearing or changing a
 * setting before that does not need them. */
static void
test_result_pages_on_first_use (void)
{
  BounceWindow *win = new_window ();
  g_autoptr(GSettings) settings = test_settings ();
  g_autofree char *text = read_sample ("pasted-final-failure.txt", NULL);
  GtkWidget *verdict;

  g_assert_cmpstr (bounce_window_get_page (win), ==, "welcome");
  g_assert_null (ui_find_widget (GTK_WIDGET (win), ui_is_of_type, GSIZE_TO_POINTER (BOUNCE_TYPE_VERDICT)));
  g_assert_null (ui_find_widget (GTK_WIDGET (win), ui_is_of_type, GSIZE_TO_POINTER (BOUNCE_TYPE_LINKS_GROUP)));
  g_assert_false (shows_text (GTK_WIDGET (win), "No Delivery Problem Found"));

  gtk_widget_activate_action (GTK_WIDGET (win), "win.clear", NULL);
  g_settings_set_boolean (settings, "show-admin-sections", FALSE);
  g_settings_reset (settings, "show-admin-sections");
  g_assert_null (ui_find_widget (GTK_WIDGET (win), ui_is_of_type, GSIZE_TO_POINTER (BOUNCE_TYPE_VERDICT)));

  paste_text (win, text);
  g_assert_cmpstr (bounce_window_get_page (win), ==, "report");
  verdict = ui_find_widget (GTK_WIDGET (win), ui_is_of_type, GSIZE_TO_POINTER (BOUNCE_TYPE_VERDICT));
  g_assert_true (verdict == GTK_WIDGET (bounce_window_get_verdict (win)));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  g_assert_true (gtk_widget_get_mapped (verdict));
  /* The other result pages came with it, once. */
  g_assert_true (shows_text (GTK_WIDGET (win), "No Delivery Problem Found"));

  ui_destroy_window (win);
}

static void
collect_of_type (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_of_type (child, type, found);
}

/* The status pages of the first frame (the empty input's and the welcome
 * page): their wrapping labels have a narrowest width in characters, so
 * GTK does not lay their text out a word a line to find it; and the
 * narrowest window still makes the content as wide as its view, so the
 * pages look as they did. */
static void
test_status_page_widths (void)
{
  BounceWindow *win = new_window ();
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  guint checked = 0;

  collect_of_type (GTK_WIDGET (win), ADW_TYPE_STATUS_PAGE, pages);
  g_assert_cmpuint (pages->len, ==, 2);
  for (guint i = 0; i < pages->len; i++)
    {
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      guint wrapping = 0;

      collect_of_type (pages->pdata[i], GTK_TYPE_LABEL, labels);
      for (guint k = 0; k < labels->len; k++)
        if (gtk_label_get_wrap (labels->pdata[k]) && gtk_widget_get_visible (labels->pdata[k]))
          {
            wrapping++;
            g_assert_cmpint (gtk_label_get_width_chars (labels->pdata[k]), >, 0);
          }
      g_assert_cmpuint (wrapping, >=, 2);
    }

  gtk_window_set_default_size (GTK_WINDOW (win), 360, 294);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (100);
  for (guint i = 0; i < pages->len; i++)
    {
      GtkWidget *viewport = ui_find_widget (pages->pdata[i], ui_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_VIEWPORT));
      GtkAdjustment *across = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (viewport));

      if (!gtk_widget_get_mapped (viewport))
        continue;
      checked++;
      g_assert_cmpfloat (gtk_adjustment_get_upper (across), ==, gtk_adjustment_get_page_size (across));
      g_assert_cmpfloat (gtk_adjustment_get_page_size (across), ==, gtk_widget_get_width (viewport));
    }
  /* (at least one page is on screen, or nothing above was checked) */
  g_assert_cmpuint (checked, >, 0);

  ui_destroy_window (win);
}

static void
test_not_bounce (void)
{
  BounceWindow *win = new_window ();
  g_autofree char *text = read_sample ("lunch.txt", NULL);

  paste_text (win, text);
  g_assert_cmpint (bounce_report_get_kind (bounce_window_get_report (win)), ==, BOUNCE_KIND_NOT_BOUNCE);
  g_assert_cmpstr (bounce_window_get_page (win), ==, "not-bounce");
  g_assert_false (buffer_has_tag (ui_window_buffer (win), "code"));
  /* Nothing to pass on: Copy Summary is off on this page. */
  g_assert_false (action_enabled (win, "win.copy-summary"));

  /* Ordinary mail full of numbers that look like codes is not a bounce
   * either, and nothing in it is highlighted as a code. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.clear", NULL);
  paste_text (win, "Hi Anna,\n\nGreat news: we signed 550 new customers this quarter, "
                   "up from 420. Region 5.1 grew fastest.\nCall me at 451 555 0199 "
                   "if anything is unclear.\n\nThanks,\nMark\n");
  g_assert_cmpint (bounce_report_get_kind (bounce_window_get_report (win)), ==, BOUNCE_KIND_NOT_BOUNCE);
  g_assert_cmpstr (bounce_window_get_page (win), ==, "not-bounce");
  g_assert_false (buffer_has_tag (ui_window_buffer (win), "code"));
  g_assert_false (action_enabled (win, "win.copy-summary"));

  /* A real bounce turns it back on. */
  {
    g_autofree char *bounce = read_sample ("pasted-blocklisted.txt", NULL);

    gtk_widget_activate_action (GTK_WIDGET (win), "win.clear", NULL);
    paste_text (win, bounce);
    g_assert_cmpstr (bounce_window_get_page (win), ==, "report");
    g_assert_true (action_enabled (win, "win.copy-summary"));
  }

  /* Clearing starts over. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.clear", NULL);
  g_assert_cmpstr (bounce_window_get_page (win), ==, "welcome");
  g_assert_null (bounce_window_get_report (win));
  g_assert_true (bounce_input_view_get_empty (bounce_window_get_input_view (win)));

  ui_destroy_window (win);
}

static char *
big_bounce (gsize size)
{
  g_autofree char *bounce = read_sample ("pasted-blocklisted.txt", NULL);
  GString *s = g_string_sized_new (size + 4096);

  g_string_append (s, bounce);
  g_string_append (s, "\n--- original message follows ---\n\n");
  while (s->len < size)
    g_string_append (s, "Lorem ipsum dolor sit amet, the quarterly figures are attached for review.\n");
  return g_string_free (s, FALSE);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    data)
{
  (*(guint *) data)++;
}

static gboolean
not_busy (gpointer data)
{
  return !bounce_window_get_busy (data);
}

static void
test_cancel (void)
{
  BounceWindow *win = new_window ();
  g_autofree char *big = big_bounce (8 * 1024 * 1024);
  guint reports = 0;

  g_signal_connect (win, "notify::report", G_CALLBACK (count_notify), &reports);

  /* A big input starts a long run; new input replaces it. */
  gtk_text_buffer_set_text (ui_window_buffer (win), big, -1);
  bounce_window_analyze_now (win);
  g_assert_true (bounce_window_get_busy (win));
  gtk_text_buffer_set_text (ui_window_buffer (win), "Lunch on Thursday?", -1);
  g_assert_false (bounce_window_get_busy (win));
  bounce_window_analyze_now (win);
  ui_wait_until (not_busy, win, 30000);
  g_assert_cmpint (bounce_report_get_kind (bounce_window_get_report (win)), ==, BOUNCE_KIND_NOT_BOUNCE);
  g_assert_cmpuint (reports, ==, 1);

  /* Clear while running: the late result must not come back. */
  gtk_text_buffer_set_text (ui_window_buffer (win), big, -1);
  bounce_window_analyze_now (win);
  g_assert_true (bounce_window_get_busy (win));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.clear", NULL);
  g_assert_false (bounce_window_get_busy (win));
  ui_spin (3000);
  g_assert_null (bounce_window_get_report (win));
  g_assert_cmpstr (bounce_window_get_page (win), ==, "welcome");

  ui_destroy_window (win);
}

static gboolean
shows_toast_with (gpointer data)
{
  const char * const *args = data;

  return ui_find_widget (GTK_WIDGET (args[0]), ui_is_mapped_label_with, args[1]) != NULL;
}

/* The toast whose title starts with start is on screen, its title whole. */
static void
assert_toast_whole (BounceWindow *win,
                    const char   *start)
{
  const char *args[] = { (const char *) win, start };
  GtkWidget *label;

  ui_wait_until (shows_toast_with, args, 5000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (300);
  label = ui_find_widget (GTK_WIDGET (win), ui_is_mapped_label_with, start);
  g_test_message ("toast: %s (%d px)", gtk_label_get_label (GTK_LABEL (label)), gtk_widget_get_width (label));
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));
}

/* At 360 px a toast says all it has to say: libadwaita 1.2 cuts its
 * title, one line, with an ellipsis. */
static void
test_narrow_toasts (void)
{
  BounceWindow *win = new_window ();
  g_autofree char *qp = read_sample ("user-unknown-qp.eml", NULL);
  BounceReport *report;
  const char *text, *found;

  gtk_window_set_default_size (GTK_WINDOW (win), 360, 700);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));

  /* Pasted as it was sent, quoted-printable: the view is not the text
   * the report read. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (win)), qp);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.paste", NULL));
  ui_wait_until (ui_analysis_done, win, 20000);
  report = bounce_window_get_report (win);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.copy-summary", NULL));
  /* (translated: run with LANGUAGE=de to check a translation) */
  assert_toast_whole (win, g_dgettext (GETTEXT_PACKAGE, "Summary copied"));

  /* A word only the decoded text has. */
  text = bounce_report_get_text (report);
  found = strstr (text, "müller");
  g_assert_nonnull (found);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.select-range", "(tt)",
                                             (guint64) (found - text),
                                             (guint64) (found - text + strlen ("müller"))));
  assert_toast_whole (win, g_dgettext (GETTEXT_PACKAGE, "Only in decoded text"));

  ui_destroy_window (win);
}

/* The titles of the status pages on screen break between words (or at a
 * hyphen, soft or not), never inside one: Pango breaks a word too long
 * for the line anywhere, with a hyphen ("Unzustellbarkeitsberi-cht"). */
static guint
count_titles_cut_in_words (GtkWidget *widget)
{
  guint cut = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "title")
      && gtk_widget_get_ancestor (widget, ADW_TYPE_STATUS_PAGE) != NULL)
    {
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (widget));
      const char *text = pango_layout_get_text (layout);
      GSList *lines = pango_layout_get_lines_readonly (layout);

      for (GSList *l = lines != NULL ? lines->next : NULL; l != NULL; l = l->next)
        {
          PangoLayoutLine *line = l->data;
          gunichar before = g_utf8_get_char (g_utf8_prev_char (text + line->start_index));

          if (!g_unichar_isspace (before) && before != 0x00AD && before != '-')
            {
              g_test_message ("title cut inside a word: %s", text);
              cut++;
              break;
            }
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    cut += count_titles_cut_in_words (child);
  return cut;
}

static void
assert_status_titles_whole (BounceWindow *win,
                            const char   *page)
{
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (400);
  g_test_message ("%s", page);
  g_assert_cmpuint (count_titles_cut_in_words (GTK_WIDGET (win)), ==, 0);
}

/* At 360 px, in each language (window-titles-de, ...). */
static void
test_narrow_status_titles (void)
{
  g_autofree char *path = g_build_filename (state_dir, "picture.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  BounceWindow *win = new_window ();
  char binary[4096];

  gtk_window_set_default_size (GTK_WINDOW (win), 360, 700);
  assert_status_titles_whole (win, "empty");

  paste_text (win, "Lunch on Thursday?");
  g_assert_cmpstr (bounce_window_get_page (win), ==, "not-bounce");
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-results", NULL);
  assert_status_titles_whole (win, "not a bounce");

  for (guint i = 0; i < sizeof binary; i++)
    binary[i] = (char) ((i * 7919) % 256);
  g_file_set_contents (path, binary, sizeof binary, &error);
  g_assert_no_error (error);
  bounce_window_open_file (win, file);
  ui_wait_until (not_busy, win, 20000);
  g_assert_cmpstr (bounce_window_get_page (win), ==, "error");
  assert_status_titles_whole (win, "error");

  ui_destroy_window (win);
  g_unlink (path);
}

/* At 360 px the file's refusal is shown, not the empty message pane, and
 * stays shown when the window gets narrow after it. */
static void
test_narrow_error (void)
{
  g_autofree char *path = g_build_filename (state_dir, "picture.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  BounceWindow *win = new_window ();
  char binary[4096];

  for (guint i = 0; i < sizeof binary; i++)
    binary[i] = (char) ((i * 7919) % 256);
  g_file_set_contents (path, binary, sizeof binary, &error);
  g_assert_no_error (error);

  for (guint narrow_first = 0; narrow_first < 2; narrow_first++)
    {
      gtk_window_set_default_size (GTK_WINDOW (win), narrow_first ? 360 : 1200, 700);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
      bounce_window_open_file (win, file);
      ui_wait_until (not_busy, win, 20000);
      g_assert_cmpstr (bounce_window_get_page (win), ==, "error");
      gtk_window_set_default_size (GTK_WINDOW (win), 360, 700);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
      ui_spin (400);
      g_assert_true (shows_mapped_text (GTK_WIDGET (win), "The Message Could Not Be Read"));
      g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (bounce_window_get_input_view (win))));
      gtk_widget_activate_action (GTK_WIDGET (win), "win.clear", NULL);
    }

  ui_destroy_window (win);
  g_unlink (path);
}

/* The error page says which file and why, in its own words: not the
 * title again ("could not be read") nor GLib's message with the path. */
static void
test_error_names_file (void)
{
  g_autofree char *missing_path = g_build_filename (state_dir, "gone-bounce.eml", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GFile) folder = g_file_new_for_path (state_dir);
  g_autofree char *folder_name = g_path_get_basename (state_dir);
  BounceWindow *win = new_window ();

  gtk_window_set_default_size (GTK_WINDOW (win), 360, 700);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));

  bounce_window_open_file (win, missing);
  ui_wait_until (not_busy, win, 20000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (400);
  g_assert_cmpstr (bounce_window_get_page (win), ==, "error");
  g_assert_true (shows_mapped_text (GTK_WIDGET (win), "The Message Could Not Be Read"));
  g_assert_true (shows_mapped_text (GTK_WIDGET (win), "There is no file “gone-bounce.eml”: it may have been moved"));
  g_assert_false (shows_mapped_text (GTK_WIDGET (win), "could not be read"));
  g_assert_false (shows_mapped_text (GTK_WIDGET (win), state_dir));

  bounce_window_open_file (win, folder);
  ui_wait_until (not_busy, win, 20000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  g_assert_cmpstr (bounce_window_get_page (win), ==, "error");
  g_assert_true (shows_mapped_text (GTK_WIDGET (win), folder_name));
  g_assert_true (shows_mapped_text (GTK_WIDGET (win), "is a folder"));

  ui_destroy_window (win);
}

/* The title of an action row under widget (its label with the style class
 * "title"), or NULL. */
static GtkWidget *
row_title (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "title"))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = row_title (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}


/* Rows on screen with a badge whose title is squeezed narrower than
 * min_width by it, or whose badge takes more than two lines. */
static guint
count_squeezed_titles (GtkWidget *widget,
                       int        min_width)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (ADW_IS_ACTION_ROW (widget) && ui_find_widget (widget, has_badge, NULL) != NULL)
    {
      GtkWidget *title = row_title (widget);

      g_assert_nonnull (title);
      g_test_message ("%d px: %s", gtk_widget_get_width (title), gtk_label_get_text (GTK_LABEL (title)));
      if (gtk_widget_get_width (title) < min_width)
        n++;
      for (GtkWidget *badge = ui_find_widget (widget, has_badge, NULL); badge != NULL; badge = NULL)
        {
          int lines = pango_layout_get_line_count (gtk_label_get_layout (GTK_LABEL (badge)));

          g_test_message ("  badge of %d lines: %s", lines, gtk_label_get_text (GTK_LABEL (badge)));
          if (lines > 2)
            n++;
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += count_squeezed_titles (child, min_width);
  return n;
}

/* At 360 px, in each language (window-badges-de, ...): a long badge
 * ("Named in the bounce") takes two lines at most rather than squeeze its
 * row's title to a letter a line. */
static void
test_narrow_badges (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "ui", "exchange-blocklisted-ip.eml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  BounceWindow *win = new_window ();

  gtk_window_set_default_size (GTK_WINDOW (win), 360, 700);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  bounce_window_open_file (win, file);
  ui_wait_until (ui_analysis_done, win, 20000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (400);
  g_assert_true (ui_find_widget (GTK_WIDGET (win), has_badge, NULL) != NULL);
  /* (about twelve characters) */
  g_assert_cmpuint (count_squeezed_titles (GTK_WIDGET (win), 90), ==, 0);

  ui_destroy_window (win);
}

static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

static char *
font_family (GtkWidget *widget)
{
  const PangoFontDescription *font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));

  return g_strdup (pango_font_description_get_family (font));
}

/* A row of "Codes in the Message": the code in a monospace font, what it
 * means in the text's own (the rule for the code's font once reached the
 * row's whole title box, subtitle and all). */
static void
test_code_row_fonts (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "ui", "exchange-blocklisted-ip.eml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  BounceWindow *win = new_window ();
  GtkWidget *row, *title, *subtitle;
  g_autofree char *title_font = NULL;
  g_autofree char *subtitle_font = NULL;
  g_autofree char *body_font = NULL;

  bounce_window_open_file (win, file);
  ui_wait_until (ui_analysis_done, win, 20000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (bounce_window_get_codes_list (win), 0));
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_has_css_class (row, "code-row"));
  title = ui_find_widget (row, has_css_class, "title");
  while (title != NULL && !GTK_IS_LABEL (title))
    title = ui_find_widget (gtk_widget_get_first_child (title), has_css_class, "title");
  subtitle = ui_find_widget (row, has_css_class, "subtitle");
  g_assert_true (GTK_IS_LABEL (title));
  g_assert_true (GTK_IS_LABEL (subtitle));
  title_font = font_family (title);
  subtitle_font = font_family (subtitle);
  body_font = font_family (GTK_WIDGET (bounce_window_get_codes_list (win)));
  g_test_message ("code %s: %s; meaning %s: %s; list: %s", gtk_label_get_text (GTK_LABEL (title)), title_font,
                  gtk_label_get_text (GTK_LABEL (subtitle)), subtitle_font, body_font);
  g_assert_cmpstr (title_font, ==, "monospace");
  g_assert_cmpstr (subtitle_font, ==, body_font);

  ui_destroy_window (win);
}

static gboolean
is_mapped_label (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget);
}

/* Where widget's left edge is in card. */
static double
left_in (GtkWidget *widget,
         GtkWidget *card)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, card, &bounds));
  return bounds.origin.x;
}

/* An explanation card's source link starts where its text does. */
static void
test_source_link_aligned (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "ui", "exchange-blocklisted-ip.eml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  BounceWindow *win = new_window ();
  GtkWidget *card, *text, *link, *link_text;

  gtk_window_set_default_size (GTK_WINDOW (win), 360, 700);
  bounce_window_open_file (win, file);
  ui_wait_until (ui_analysis_done, win, 20000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (100);
  card = ui_find_widget (GTK_WIDGET (win), ui_is_of_type, GSIZE_TO_POINTER (BOUNCE_TYPE_ENTRY_CARD));
  g_assert_nonnull (card);
  text = ui_find_widget (card, is_mapped_label, NULL);
  link = ui_find_widget (card, ui_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_LINK_BUTTON));
  g_assert_nonnull (text);
  g_assert_nonnull (link);
  link_text = ui_find_widget (link, is_mapped_label, NULL);
  g_assert_nonnull (link_text);
  g_test_message ("text at %g px: %s; link at %g px: %s", left_in (text, card), gtk_label_get_text (GTK_LABEL (text)),
                  left_in (link_text, card), gtk_label_get_text (GTK_LABEL (link_text)));
  g_assert_cmpfloat (fabs (left_in (link_text, card) - left_in (text, card)), <=, 1.0);

  ui_destroy_window (win);
}

static void
test_large_file (void)
{
  g_autofree char *big = big_bounce (20 * 1024 * 1024);
  g_autofree char *path = g_build_filename (state_dir, "big.eml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  BounceWindow *win = new_window ();
  GtkTextBuffer *buffer = ui_window_buffer (win);

  g_file_set_contents (path, big, -1, &error);
  g_assert_no_error (error);

  bounce_window_open_file (win, file);
  ui_wait_until (ui_analysis_done, win, 60000);

  g_assert_cmpint (bounce_report_get_kind (bounce_window_get_report (win)), ==, BOUNCE_KIND_FAILURE);
  /* Only the beginning is shown, with a notice; the codes there are lit. */
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), <=, BOUNCE_WINDOW_MAX_SHOWN);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), >, BOUNCE_WINDOW_MAX_SHOWN / 2);
  g_assert_nonnull (bounce_input_view_get_notice (bounce_window_get_input_view (win)));
  g_assert_true (ui_tag_at (buffer, ui_char_offset_of (buffer, "554 5.7.1"), "code"));

  /* A device that never ends is refused at the size limit, not read whole
   * (that took gigabytes of memory before the window gave up). */
  {
    g_autoptr(GFile) zero = g_file_new_for_path ("/dev/zero");

    bounce_window_open_file (win, zero);
    ui_wait_until (not_busy, win, 30000);
    g_assert_cmpstr (bounce_window_get_page (win), ==, "error");
  }

  ui_destroy_window (win);
  g_unlink (path);
}

/* A shown label whose text contains needle, or NULL. */
static GtkLabel *
find_shown_label (GtkWidget  *widget,
                  const char *needle)
{
  return GTK_LABEL (ui_find_widget (widget, is_shown_label_with, needle));
}

typedef struct {
  BounceWindow *win;
  guint reports;
  guint wanted;
} ReportWait;

static void
on_report_notify (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    data)
{
  ReportWait *wait = data;

  if (bounce_window_get_report (wait->win) != NULL)
    wait->reports++;
}

static gboolean
new_report_arrived (gpointer data)
{
  ReportWait *wait = data;

  return wait->reports >= wait->wanted && !bounce_window_get_busy (wait->win)
         && !bounce_window_get_filling (wait->win);
}

/* Replaces the text and waits for the report of the new text. */
static void
paste_and_wait (BounceWindow *win,
                ReportWait   *wait,
                const char   *text)
{
  wait->wanted = wait->reports + 1;
  gtk_text_buffer_set_text (ui_window_buffer (win), text, -1);
  ui_wait_until (new_report_arrived, wait, 30000);
}

/* What the analysis had to cut is said under the lists, never silent. */
static void
test_truncated (void)
{
  BounceWindow *win = new_window ();
  g_autoptr(GString) list = g_string_new ("<kim@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 "
                                          "User unknown (in reply to RCPT TO command)\n\n");
  g_autoptr(GString) ips = g_string_new ("<b@example.net>: host mx[192.0.2.1] said: 550 5.7.1 blocked using "
                                         "zen.spamhaus.org\n");

  ReportWait wait = { win, 0, 0 };

  g_signal_connect (win, "notify::report", G_CALLBACK (on_report_notify), &wait);
  paste_and_wait (win, &wait, list->str);
  g_assert_cmpstr (bounce_window_get_page (win), ==, "report");
  g_assert_null (find_shown_label (GTK_WIDGET (win), "cut short"));
  g_assert_null (find_shown_label (GTK_WIDGET (win), "only its beginning"));

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (list, "<user%u@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1\n"
                                  "    <user%u@example.net>: Recipient address rejected: User unknown\n\n", i, i);
  paste_and_wait (win, &wait, list->str);
  g_assert_cmpstr (bounce_window_get_page (win), ==, "report");
  g_assert_nonnull (find_shown_label (GTK_WIDGET (win), "cut short"));

  for (guint i = 0; i < 60000; i++)
    g_string_append_printf (ips, "client %u.%u.%u.9 listed\n", 11 + i / 65536, i / 256 % 256, i % 256);
  paste_and_wait (win, &wait, ips->str);
  g_assert_cmpstr (bounce_window_get_page (win), ==, "report");
  g_assert_nonnull (find_shown_label (GTK_WIDGET (win), "only its beginning"));

  g_signal_handlers_disconnect_by_data (win, &wait);
  ui_destroy_window (win);
}

static void
test_restore_text (void)
{
  g_autoptr(GSettings) settings = test_settings ();
  g_autofree char *state_file = bounce_window_get_state_file ();
  BounceWindow *win;
  g_autofree char *text = read_sample ("pasted-blocklisted.txt", NULL);
  g_autofree char *restored = NULL;

  g_settings_set_boolean (settings, "restore-last-text", TRUE);
  g_settings_set_int (settings, "window-width", 800);

  win = new_window ();
  paste_text (win, text);
  g_object_ref (win);
  gtk_window_close (GTK_WINDOW (win));
  g_assert_true (g_file_test (state_file, G_FILE_TEST_EXISTS));
  g_object_unref (win);

  win = new_window ();
  restored = ui_buffer_text (ui_window_buffer (win));
  g_assert_cmpstr (restored, ==, text);
  ui_wait_until (ui_analysis_done, win, 20000);
  g_assert_cmpstr (bounce_window_get_page (win), ==, "report");

  /* Turning the preference off forgets the text right away. */
  g_settings_set_boolean (settings, "restore-last-text", FALSE);
  g_assert_false (g_file_test (state_file, G_FILE_TEST_EXISTS));
  ui_destroy_window (win);
  g_settings_reset (settings, "window-width");
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  return ui_find_widget (widget, ui_is_of_type, GSIZE_TO_POINTER (type));
}

static gboolean
is_shown_list (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_LIST_VIEW (widget) && gtk_widget_get_mapped (widget);
}

/* The list on screen (the whole catalogue's or a query's). */
static GtkListView *
shown_list (BounceCatalogueWindow *win)
{
  GtkWidget *list = ui_find_widget (GTK_WIDGET (win), is_shown_list, NULL);

  g_assert_nonnull (list);
  return GTK_LIST_VIEW (list);
}

static guint
listed_rows (BounceCatalogueWindow *win)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (shown_list (win))));
}

/* Every result of the query (or, without one, every entry) is listed. */
static gboolean
all_rows_listed (gpointer data)
{
  BounceCatalogueWindow *win = data;

  return listed_rows (win) == bounce_catalogue_window_get_n_results (win);
}

static void
test_catalogue_search (void)
{
  BounceCatalogueWindow *win = bounce_catalogue_window_new (bounce_catalogue_get_default ());
  BounceEntry *entry;
  gboolean found_blocklist = FALSE;

  gtk_window_present (GTK_WINDOW (win));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));

  /* Without a query every entry is listed. */
  g_assert_cmpuint (bounce_catalogue_window_get_n_results (win), >, 20);

  bounce_catalogue_window_set_query (win, "5.1.1");
  g_assert_cmpuint (bounce_catalogue_window_get_n_results (win), >, 0);
  entry = bounce_catalogue_window_get_result (win, 0);
  /* "5.1.1" itself or the class-independent "X.1.1". */
  g_assert_true (g_str_has_suffix (bounce_entry_get_code (entry), ".1.1"));
  g_assert_true (bounce_catalogue_window_get_shown_entry (win) == entry);

  bounce_catalogue_window_set_query (win, "spamhaus");
  for (guint i = 0; i < bounce_catalogue_window_get_n_results (win); i++)
    if (bounce_entry_get_kind (bounce_catalogue_window_get_result (win, i)) == BOUNCE_ENTRY_BLOCKLIST)
      found_blocklist = TRUE;
  /* Only once the catalogue lists Spamhaus (the blocklists are added in
   * their own catalogue file). */
  {
    GPtrArray *blocklists = bounce_catalogue_get_blocklists (bounce_catalogue_get_default ());
    gboolean has_spamhaus = FALSE;

    for (guint i = 0; blocklists != NULL && i < blocklists->len; i++)
      if (strstr (bounce_entry_get_id (g_ptr_array_index (blocklists, i)), "spamhaus") != NULL)
        has_spamhaus = TRUE;
    g_assert_true (found_blocklist == has_spamhaus);
  }

  bounce_catalogue_window_set_query (win, "mailbox full");
  g_assert_cmpuint (bounce_catalogue_window_get_n_results (win), >, 0);
  /* Gmail's own wording is among them, named by its display name. */
  {
    BounceEntry *google = bounce_catalogue_find_provider (bounce_catalogue_get_default (), "google");
    gboolean scoped = FALSE;

    for (guint i = 0; i < bounce_catalogue_window_get_n_results (win); i++)
      scoped |= g_strcmp0 (bounce_entry_get_provider (bounce_catalogue_window_get_result (win, i)), "google") == 0;
    g_assert_true (scoped);
    g_assert_nonnull (google);
    g_assert_true (shows_text (GTK_WIDGET (shown_list (win)), bounce_entry_get_title (google)));
    g_assert_false (shows_text (GTK_WIDGET (win), "· google"));
  }

  bounce_catalogue_window_set_query (win, "qqxqzzvq");
  g_assert_cmpuint (bounce_catalogue_window_get_n_results (win), ==, 0);

  ui_destroy_window (win);
}

/* While keys come, the list holds the first screenful of the results (its
 * rows are quick to replace); once the typing pauses, all of them. */
static void
test_catalogue_list_after_pause (void)
{
  BounceCatalogueWindow *win = bounce_catalogue_window_new (bounce_catalogue_get_default ());
  GtkEditable *entry;
  guint total, first;
  gint64 start;

  gtk_window_set_default_size (GTK_WINDOW (win), 960, 640);
  gtk_window_present (GTK_WINDOW (win));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  entry = GTK_EDITABLE (find_widget (GTK_WIDGET (win), GTK_TYPE_SEARCH_ENTRY));

  /* When the window opens every entry is listed, without a pause. */
  total = bounce_catalogue_window_get_n_results (win);
  g_assert_cmpuint (total, >, 100);
  ui_wait_until (all_rows_listed, win, 5000);
  g_assert_cmpuint (listed_rows (win), ==, total);

  /* A key: the first screenful at once, the rest not before the typing
   * pauses (a quarter of a second; listing them from the next frame on,
   * as before, took a few frames). */
  gtk_editable_set_text (entry, "s");
  ui_spin (100);
  start = g_get_monotonic_time ();
  gtk_editable_set_text (entry, "spam");
  total = bounce_catalogue_window_get_n_results (win);
  first = listed_rows (win);
  g_assert_cmpuint (total, <, 200);
  g_assert_cmpuint (first, >, 0);
  g_assert_cmpuint (first, <, total);
  g_assert_true (bounce_catalogue_window_get_result (win, 0) == bounce_catalogue_window_get_shown_entry (win));
  while (listed_rows (win) == first && g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 200000);

  /* The pause: all of them. */
  ui_wait_until (all_rows_listed, win, 5000);
  g_assert_cmpuint (listed_rows (win), ==, total);
  for (guint i = 0; i < total; i++)
    {
      g_autoptr(BounceEntry) listed = g_list_model_get_item (
        G_LIST_MODEL (gtk_list_view_get_model (shown_list (win))), i);

      g_assert_true (listed == bounce_catalogue_window_get_result (win, i));
    }

  ui_destroy_window (win);
}

/* The whole catalogue, listed when nothing is typed, keeps its rows while
 * a query's results are shown (taking them away made the first key the
 * slowest), out of a screen reader's way; emptying the search shows every
 * entry again at once, the first row unselected and no entry beside. */
static void
test_catalogue_whole_list_kept (void)
{
  BounceCatalogueWindow *win = bounce_catalogue_window_new (bounce_catalogue_get_default ());
  GtkEditable *entry;
  GtkListView *whole;
  guint total;

  gtk_window_set_default_size (GTK_WINDOW (win), 960, 640);
  gtk_window_present (GTK_WINDOW (win));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  entry = GTK_EDITABLE (find_widget (GTK_WIDGET (win), GTK_TYPE_SEARCH_ENTRY));
  total = bounce_catalogue_window_get_n_results (win);
  ui_wait_until (all_rows_listed, win, 5000);
  whole = shown_list (win);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (whole))), ==, total);

  gtk_editable_set_text (entry, "spam");
  ui_spin (100);
  g_assert_true (shown_list (win) != whole);
  g_assert_cmpuint (listed_rows (win), <, total);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (whole))), ==, total);
  /* (hidden, not merely on a page not shown) */
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (whole)));

  gtk_editable_set_text (entry, "");
  g_assert_true (shown_list (win) == whole);
  g_assert_cmpuint (bounce_catalogue_window_get_n_results (win), ==, total);
  g_assert_cmpuint (listed_rows (win), ==, total);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (whole))),
                    ==, GTK_INVALID_LIST_POSITION);
  g_assert_null (bounce_catalogue_window_get_shown_entry (win));
  for (guint i = 0; i < total; i++)
    {
      g_autoptr(BounceEntry) listed = g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (whole)), i);

      g_assert_true (listed == bounce_catalogue_window_get_result (win, i));
    }

  /* A key again: its results, from the first row, the first shown. */
  gtk_editable_set_text (entry, "5.1.1");
  g_assert_true (shown_list (win) != whole);
  g_assert_cmpuint (listed_rows (win), >, 0);
  {
    g_autoptr(BounceEntry) first = g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (shown_list (win))), 0);

    g_assert_true (first == bounce_catalogue_window_get_result (win, 0));
    g_assert_true (first == bounce_catalogue_window_get_shown_entry (win));
  }

  ui_destroy_window (win);
}

/* Once the window is on screen and left alone, it paints itself in full
 * once more, at an opacity a screen cannot show, so that the first key
 * finds the buffers of such a frame ready (bench-window measures the
 * key; without this it took more than a frame); then it is as it opened:
 * opaque, the whole catalogue listed, nothing selected, no entry shown. */
typedef struct {
  GtkWidget *content;
  guint      frames;
  guint      translucent;   /* frames painted below full opacity */
} Repaint;

static void
on_catalogue_painted (GdkFrameClock *clock,
                      Repaint       *r)
{
  r->frames++;
  if (gtk_widget_get_opacity (r->content) < 1)
    {
      r->translucent++;
      g_assert_cmpfloat (gtk_widget_get_opacity (r->content), >, 0.99);
    }
}

static gboolean
repainted_and_opaque (gpointer data)
{
  Repaint *r = data;

  return r->translucent > 0 && gtk_widget_get_opacity (r->content) == 1;
}

static void
test_catalogue_prepared_ahead (void)
{
  BounceCatalogueWindow *win = bounce_catalogue_window_new (bounce_catalogue_get_default ());
  Repaint r = { adw_window_get_content (ADW_WINDOW (win)), 0, 0 };
  GdkFrameClock *clock;
  guint total;

  gtk_window_set_default_size (GTK_WINDOW (win), 960, 640);
  gtk_window_present (GTK_WINDOW (win));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (win));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_catalogue_painted), &r);
  total = bounce_catalogue_window_get_n_results (win);

  ui_wait_until (repainted_and_opaque, &r, 10000);
  /* (one frame, or two if a frame came between the change and the paint) */
  g_assert_cmpuint (r.translucent, <=, 2);
  ui_spin (300);
  g_assert_cmpfloat (gtk_widget_get_opacity (r.content), ==, 1);
  g_assert_cmpuint (bounce_catalogue_window_get_n_results (win), ==, total);
  g_assert_cmpuint (listed_rows (win), ==, total);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (shown_list (win)))),
                    ==, GTK_INVALID_LIST_POSITION);
  g_assert_null (bounce_catalogue_window_get_shown_entry (win));
  g_signal_handlers_disconnect_by_func (clock, on_catalogue_painted, &r);

  ui_destroy_window (win);
}

static void
test_catalogue_escape (void)
{
  BounceCatalogueWindow *win = bounce_catalogue_window_new (bounce_catalogue_get_default ());
  GtkWidget *entry;

  gtk_window_present (GTK_WINDOW (win));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  entry = find_widget (GTK_WIDGET (win), GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  /* Ready to type into. */
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (win)), entry));

  /* Escape clears the search, and a second Escape closes the window. */
  g_object_ref (win);
  bounce_catalogue_window_set_query (win, "5.1.1");
  g_signal_emit_by_name (entry, "stop-search");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (win)));
  g_signal_emit_by_name (entry, "stop-search");
  ui_spin (50);
  g_assert_finalize_object (win);
}

/* Every keyboard shortcut leads to an action that exists: a typo in an
 * action name is silently ignored by GTK. */
static void
test_accels (void)
{
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  BounceWindow *win = new_window ();
  GtkWidgetClass *window_class = GTK_WIDGET_GET_CLASS (win);

  g_assert_cmpuint (g_strv_length (actions), >=, 6);
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GVariant) target = NULL;
      gboolean found = FALSE;
      const char *action_name, *property;
      const GVariantType *param_type;
      GType owner;

      g_assert_true (g_action_parse_detailed_name (actions[i], &name, &target, NULL));
      if (g_str_has_prefix (name, "app."))
        {
          found = g_action_group_has_action (G_ACTION_GROUP (app), name + 4);
        }
      else
        {
          /* GtkApplicationWindow's own (show-help-overlay), then the
           * window's class actions and its parents'. */
          if (g_str_has_prefix (name, "win."))
            found = g_action_group_has_action (G_ACTION_GROUP (win), name + 4);
          for (guint j = 0; !found && gtk_widget_class_query_action (window_class, j, &owner, &action_name,
                                                                   &param_type, &property); j++)
            found = g_str_equal (action_name, name);
        }
      g_test_message ("%s", name);
      g_assert_true (found);
    }

  ui_destroy_window (win);
}

/* The accelerators the shortcuts window shows, as "key mods" strings. */
static GHashTable *
shortcuts_window_accels (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_BASE "/bounce-shortcuts.ui");
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  GHashTable *shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accelerator = NULL;
      g_auto(GStrv) each = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "accelerator", &accelerator, NULL);
      each = g_strsplit (accelerator, " ", -1);
      for (guint i = 0; each[i] != NULL; i++)
        {
          guint key;
          GdkModifierType mods;

          g_assert_true (gtk_accelerator_parse (each[i], &key, &mods));
          g_hash_table_add (shown, g_strdup_printf ("%u %u", key, mods));
        }
    }
  /* Built, it is a toplevel of its own. */
  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_WINDOW (l->data))
      gtk_window_destroy (GTK_WINDOW (l->data));
  return shown;
}

static void
assert_shortcut_shown (GHashTable *shown,
                       const char *accel)
{
  guint key;
  GdkModifierType mods;
  g_autofree char *id = NULL;

  g_assert_true (gtk_accelerator_parse (accel, &key, &mods));
  id = g_strdup_printf ("%u %u", key, mods);
  g_test_message ("%s", accel);
  g_assert_true (g_hash_table_contains (shown, id));
}

/* Every keyboard shortcut the application sets is in the shortcuts
 * window, and so are F10 for the main menu and Ctrl+V. */
static void
test_shortcuts_window_complete (void)
{
  g_autoptr(GHashTable) shown = shortcuts_window_accels ();
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        assert_shortcut_shown (shown, accels[j]);
    }
  assert_shortcut_shown (shown, "F10");
  assert_shortcut_shown (shown, "<Control>v");
}

/* The shortcuts window has a title of its own: the window list and a
 * screen reader name it by its title, not by its header's text. */
static void
test_shortcuts_window_title (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_BASE "/bounce-shortcuts.ui");
  GtkWindow *overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  g_assert_cmpstr (gtk_window_get_title (overlay), ==, "Keyboard Shortcuts");
  gtk_window_destroy (overlay);
}

static gboolean
buffer_not_empty (gpointer data)
{
  return !bounce_input_view_get_empty (bounce_window_get_input_view (data));
}

static void
test_paste_action (void)
{
  BounceWindow *win = new_window ();
  g_autofree char *text = read_sample ("pasted-blocklisted.txt", NULL);
  g_autofree char *shown = NULL;

  /* What the Paste button and Ctrl+V outside the text view do: the
   * clipboard replaces the text and is analysed at once. */
  gtk_text_buffer_set_text (ui_window_buffer (win), "old text", -1);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (win)), text);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.paste", NULL));
  ui_wait_until (ui_analysis_done, win, 20000);
  ui_wait_until (buffer_not_empty, win, 1000);
  shown = ui_buffer_text (ui_window_buffer (win));
  g_assert_cmpstr (shown, ==, text);
  g_assert_cmpint (bounce_report_get_kind (bounce_window_get_report (win)), ==, BOUNCE_KIND_FAILURE);

  ui_destroy_window (win);
}

static gboolean
buffer_is_small_text (gpointer data)
{
  g_autofree char *now = ui_buffer_text (ui_window_buffer (data));

  return g_strcmp0 (now, "small text") == 0;
}

/* A paste too long to show is handled like an opened file: the window
 * never puts megabytes into the text view (that stalled it for half a
 * second), yet the whole text is analysed and Undo brings all of it back. */
static void
test_paste_large (void)
{
  BounceWindow *win = new_window ();
  g_autofree char *big = big_bounce (4 * 1024 * 1024);
  GtkTextBuffer *buffer = ui_window_buffer (win);

  gtk_text_buffer_set_text (buffer, "old text", -1);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (win)), big);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.paste", NULL));
  ui_wait_until (buffer_not_empty, win, 1000);
  ui_wait_until (ui_analysis_done, win, 60000);

  /* The whole text was analysed, only its beginning is shown. */
  g_assert_cmpint (bounce_report_get_kind (bounce_window_get_report (win)), ==, BOUNCE_KIND_FAILURE);
  g_assert_cmpuint (strlen (bounce_report_get_text (bounce_window_get_report (win))), >, 4 * 1000 * 1000);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), <=, BOUNCE_WINDOW_MAX_SHOWN);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), >, BOUNCE_WINDOW_MAX_SHOWN / 2);
  g_assert_nonnull (bounce_input_view_get_notice (bounce_window_get_input_view (win)));
  g_assert_true (ui_tag_at (buffer, ui_char_offset_of (buffer, "554 5.7.1"), "code"));

  /* Pasting over it and undoing brings back the whole of it. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (win)), "small text");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.paste", NULL));
  ui_wait_until (buffer_is_small_text, win, 5000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.undo-paste", NULL));
  ui_wait_until (ui_analysis_done, win, 60000);
  g_assert_cmpuint (strlen (bounce_report_get_text (bounce_window_get_report (win))), >, 4 * 1000 * 1000);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), <=, BOUNCE_WINDOW_MAX_SHOWN);

  ui_destroy_window (win);
}

static void
test_paste_scrolls_to_code (void)
{
  BounceWindow *win = new_window ();
  g_autofree char *bounce = read_sample ("pasted-blocklisted.txt", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  BounceFinding *first;

  /* A long header block pasted with the bounce: the paste leaves the view
   * at the end, the analysis brings the first code into view. */
  for (guint i = 0; i < 60; i++)
    g_string_append_printf (text, "X-Trace-%u: relay%u.example.com checked\n", i, i);
  g_string_append (text, bounce);
  for (guint i = 0; i < 60; i++)
    g_string_append (text, "> quoted original message line\n");

  gtk_window_set_default_size (GTK_WINDOW (win), 900, 500);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (win)), text->str);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.paste", NULL));
  ui_wait_until (ui_analysis_done, win, 20000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (100);

  first = g_ptr_array_index (bounce_report_get_codes (bounce_window_get_report (win)), 0);
  g_assert_true (ui_tag_at (ui_window_buffer (win), first->offset, "code"));
  wait_visible (win, first->offset);
  g_assert_false (offset_visible (win, 0));

  ui_destroy_window (win);
}

static void
test_app_dialogs (void)
{
  GList *windows;
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                "win.show-help-overlay");

  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>question"));

  /* About (with debug info), preferences and shortcuts open without a
   * warning, which the test environment makes fatal. */
  g_application_activate (G_APPLICATION (app));
  /* The shortcuts window is built when first asked for. */
  {
    GList *toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l; l = l->next)
      g_assert_false (GTK_IS_SHORTCUTS_WINDOW (l->data));
    g_list_free (toplevels);
  }
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  ui_spin (300);
  {
    gboolean about = FALSE, prefs = FALSE, shortcuts = FALSE;
    GList *toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l; l = l->next)
      {
        about |= ADW_IS_ABOUT_WINDOW (l->data) && gtk_widget_get_visible (l->data);
        prefs |= BOUNCE_IS_PREFERENCES (l->data) && gtk_widget_get_visible (l->data);
        shortcuts |= GTK_IS_SHORTCUTS_WINDOW (l->data) && gtk_widget_get_visible (l->data);
      }
    g_list_free (toplevels);
    g_assert_true (about);
    g_assert_true (prefs);
    g_assert_true (shortcuts);
  }

  /* Closed and asked for again, the same shortcuts window comes back. */
  {
    GtkWidget *first = NULL;
    guint n = 0;
    GList *toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l; l = l->next)
      if (GTK_IS_SHORTCUTS_WINDOW (l->data))
        first = l->data;
    g_list_free (toplevels);
    gtk_window_close (GTK_WINDOW (first));
    ui_spin (50);
    g_assert_false (gtk_widget_get_visible (first));
    g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
    ui_spin (100);
    toplevels = gtk_window_list_toplevels ();
    for (GList *l = toplevels; l; l = l->next)
      n += GTK_IS_SHORTCUTS_WINDOW (l->data);
    g_list_free (toplevels);
    g_assert_cmpuint (n, ==, 1);
    g_assert_true (gtk_widget_get_visible (first));
  }

  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));
  for (GList *l = windows; l; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (windows);
  /* Transient dialogs are not always application windows. */
  for (GList *l = gtk_window_list_toplevels (); l; l = g_list_delete_link (l, l))
    gtk_window_destroy (l->data);
  ui_spin (50);
}

/* A resolver for the live check that answers from a table, from the main
 * loop, and counts what it was asked: the window test never touches the
 * network. */
#define UI_TYPE_RESOLVER (ui_resolver_get_type ())
G_DECLARE_FINAL_TYPE (UiResolver, ui_resolver, UI, RESOLVER, GResolver)

struct _UiResolver
{
  GResolver parent_instance;
  guint asked;
};

G_DEFINE_FINAL_TYPE (UiResolver, ui_resolver, G_TYPE_RESOLVER)

static void
ui_resolver_lookup_by_name_with_flags_async (GResolver                *resolver,
                                             const char               *hostname,
                                             GResolverNameLookupFlags  flags,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  UI_RESOLVER (resolver)->asked++;
  if (g_str_equal (hostname, "17.220.83.45.zen.spamhaus.org."))
    g_task_return_pointer (task, g_list_append (NULL, g_inet_address_new_from_string ("127.0.0.2")), NULL);
  else if (g_str_equal (hostname, "17.220.83.45.bl.spamcop.net."))
    g_task_return_pointer (task, g_list_append (NULL, g_inet_address_new_from_string ("127.0.0.2")), NULL);
  else if (g_str_equal (hostname, "17.220.83.45.b.barracudacentral.org."))
    g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE, "no server");
  else if (g_str_has_suffix (hostname, "multi.uribl.com."))
    g_task_return_pointer (task, g_list_append (NULL, g_inet_address_new_from_string ("127.0.0.1")), NULL);
  else
    g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no such name");
}

static GList *
ui_resolver_lookup_finish (GResolver     *resolver,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
ui_resolver_lookup_records_async (GResolver           *resolver,
                                  const char          *rrname,
                                  GResolverRecordType  record_type,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  const char *text[] = { "Listed in SBL, see https://check.spamhaus.org/sbl/query/SBL000000", NULL };

  UI_RESOLVER (resolver)->asked++;
  if (g_str_has_suffix (rrname, "zen.spamhaus.org."))
    g_task_return_pointer (task, g_list_append (NULL, g_variant_ref_sink (g_variant_new ("(^as)", text))), NULL);
  else
    g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no such name");
}

static void
ui_resolver_class_init (UiResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name_with_flags_async = ui_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = ui_resolver_lookup_finish;
  resolver_class->lookup_records_async = ui_resolver_lookup_records_async;
  resolver_class->lookup_records_finish = ui_resolver_lookup_finish;
}

static void
ui_resolver_init (UiResolver *self)
{
}

static AdwMessageDialog *
find_message_dialog (void)
{
  AdwMessageDialog *found = NULL;
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

static gboolean
check_results_shown (gpointer data)
{
  return bounce_links_group_get_n_results (data) > 0;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

typedef struct {
  UiResolver *resolver;
  guint       asked;
} AskedMore;

static gboolean
asked_more (gpointer data)
{
  AskedMore *more = data;

  return more->resolver->asked > more->asked;
}

/* The live check in the window: the button appears with a notice of what
 * it sends, nothing is asked until it is clicked, the first click asks
 * for confirmation, the results show per list, a new bounce clears them. */
static void
test_check_blocklists (void)
{
  g_autoptr(GSettings) settings = test_settings ();
  UiResolver *resolver = g_object_new (UI_TYPE_RESOLVER, NULL);
  g_autoptr(GResolver) real = g_resolver_get_default ();
  BounceWindow *win;
  BounceLinksGroup *group;
  GtkWidget *button;
  AdwMessageDialog *dialog;
  ReportWait wait = { NULL, 0, 0 };
  guint asked;

  g_settings_set_boolean (settings, "blocklist-check-confirmed", FALSE);
  g_resolver_set_default (G_RESOLVER (resolver));
  win = new_window ();
  wait.win = win;
  g_signal_connect (win, "notify::report", G_CALLBACK (on_report_notify), &wait);
  group = bounce_window_get_links_group (win);
  button = bounce_links_group_get_check_button (group);

  /* Nothing to check: no button. */
  paste_and_wait (win, &wait, "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail\n\n"
                   "<lee@example.net>: 550 5.1.1 User unknown\n");
  g_assert_false (gtk_widget_is_visible (button));

  paste_and_wait (win, &wait, "From: MAILER-DAEMON@mx.example.org\nTo: kim@shop-example.net\n"
                   "Subject: Undelivered Mail Returned to Sender\n\n"
                   "<lee@example.net>: host mx.example.net[8.8.4.4] said: 554 5.7.1 Service unavailable; "
                   "Client host [45.83.220.17] blocked using zen.spamhaus.org (in reply to RCPT TO command)\n");
  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_nonnull (find_shown_label (GTK_WIDGET (group), "45.83.220.17 and shop-example.net"));
  g_assert_nonnull (find_shown_label (GTK_WIDGET (group), "Nothing is sent until you click"));
  g_assert_cmpuint (resolver->asked, ==, 0);

  /* The first click: the notice, then the check. */
  /* (a button activated from the keyboard clicks after its press animation) */
  gtk_widget_activate (button);
  ui_wait_until (message_dialog_shown, NULL, 10000);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "45.83.220.17"));
  g_assert_cmpuint (resolver->asked, ==, 0);
  /* as its button does: respond, then close */
  adw_message_dialog_response (dialog, "check");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ui_wait_until (check_results_shown, group, 20000);
  g_assert_true (g_settings_get_boolean (settings, "blocklist-check-confirmed"));
  g_assert_cmpuint (resolver->asked, >, 0);
  g_assert_nonnull (find_shown_label (GTK_WIDGET (group), "Listed"));
  g_assert_nonnull (find_shown_label (GTK_WIDGET (group), "Not listed"));
  g_assert_nonnull (find_shown_label (GTK_WIDGET (group), "Not checked"));
  g_assert_nonnull (find_shown_label (GTK_WIDGET (group), "Spamhaus SBL"));
  g_assert_nonnull (find_shown_label (GTK_WIDGET (group), "SBL000000"));
  g_assert_nonnull (find_shown_label (GTK_WIDGET (group), "shared DNS resolvers"));
  g_assert_true (gtk_widget_is_sensitive (button));

  /* For a look at the results: BOUNCE_TEST_SCREENSHOT=1 leaves them on
   * screen for a minute, scrolled into view. */
  if (g_getenv ("BOUNCE_TEST_SCREENSHOT") != NULL)
    {
      GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (group), GTK_TYPE_SCROLLED_WINDOW);
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
      graphene_point_t point;

      ui_spin (300);
      if (gtk_widget_compute_point (GTK_WIDGET (group), gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                    &GRAPHENE_POINT_INIT (0, 0), &point))
        gtk_adjustment_set_value (adjustment, point.y - 12);
      ui_spin (60000);
    }

  /* Confirmed once: the next click checks at once. */
  asked = resolver->asked;
  gtk_widget_activate (button);
  {
    AskedMore more = { resolver, asked };

    ui_wait_until (asked_more, &more, 10000);
  }
  g_assert_null (find_message_dialog ());
  ui_wait_until (check_results_shown, group, 20000);

  /* Another bounce: the results go. */
  paste_and_wait (win, &wait, "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail\n\n"
                   "<lee@example.net>: 550 5.1.1 User unknown\n");
  g_assert_cmpuint (bounce_links_group_get_n_results (group), ==, 0);

  g_signal_handlers_disconnect_by_data (win, &wait);
  ui_destroy_window (win);
  g_resolver_set_default (real);
  g_object_unref (resolver);
  g_settings_reset (settings, "blocklist-check-confirmed");
}

static BounceLink *
make_link (const char *service,
           const char *url,
           gboolean    named,
           gboolean    closed)
{
  BounceLink *link = g_new0 (BounceLink, 1);

  link->title = g_strdup_printf ("%s: look up 192.0.2.1", service);
  link->url = g_strdup (url);
  link->service_id = g_strdup (service);
  link->target = g_strdup ("192.0.2.1");
  link->named = named;
  link->closed = closed;
  return link;
}

static void
test_links_group (void)
{
  BounceLinksGroup *group = g_object_ref_sink (g_object_new (BOUNCE_TYPE_LINKS_GROUP, NULL));
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_link_free);
  const char *only_multi[] = { "multi", NULL };
  g_auto(GStrv) all = NULL;
  g_auto(GStrv) filtered = NULL;
  g_auto(GStrv) open_only = NULL;

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (group)));

  g_ptr_array_add (links, make_link ("multi", "https://multi.example.org/?q=192.0.2.1", FALSE, FALSE));
  g_ptr_array_add (links, make_link ("old", "https://old.example.org/closed", FALSE, TRUE));
  g_ptr_array_add (links, make_link ("named", "https://named.example.org/ip/192.0.2.1", TRUE, FALSE));
  bounce_links_group_set_links (group, links, NULL);

  /* The list the bounce names first, then the core's order. */
  all = bounce_links_group_dup_urls (group);
  g_assert_cmpuint (g_strv_length (all), ==, 3);
  g_assert_cmpstr (all[0], ==, "https://named.example.org/ip/192.0.2.1");
  g_assert_cmpstr (all[1], ==, "https://multi.example.org/?q=192.0.2.1");
  g_assert_cmpstr (all[2], ==, "https://old.example.org/closed");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (group)));

  /* Turned-off services go, but a named list always stays. */
  bounce_links_group_set_services (group, only_multi);
  bounce_links_group_set_show_closed (group, FALSE);
  filtered = bounce_links_group_dup_urls (group);
  g_assert_cmpuint (g_strv_length (filtered), ==, 2);
  g_assert_cmpstr (filtered[0], ==, "https://named.example.org/ip/192.0.2.1");
  g_assert_cmpstr (filtered[1], ==, "https://multi.example.org/?q=192.0.2.1");

  bounce_links_group_set_services (group, NULL);
  open_only = bounce_links_group_dup_urls (group);
  g_assert_cmpuint (g_strv_length (open_only), ==, 2);

  /* A closed list the bounce names but with no page to open still gets a
   * row, on top and marked closed, unless closed lists are hidden. */
  {
    BounceEntry *sorbs = bounce_catalogue_lookup (bounce_catalogue_get_default (), "blocklist.sorbs");
    g_autoptr(GPtrArray) named = g_ptr_array_new ();
    GtkListBox *list;
    GtkListBoxRow *row;

    g_assert_nonnull (sorbs);
    g_assert_true (bounce_entry_get_closed (sorbs));
    g_ptr_array_add (named, sorbs);
    bounce_links_group_set_show_closed (group, TRUE);
    bounce_links_group_set_links (group, links, named);
    g_assert_cmpuint (bounce_links_group_get_n_shown (group), ==, 4);
    list = GTK_LIST_BOX (gtk_widget_get_last_child (adw_bin_get_child (ADW_BIN (group))));
    /* The named list with a lookup, then the named one without. */
    row = gtk_list_box_get_row_at_index (list, 0);
    g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "url"), ==, "https://named.example.org/ip/192.0.2.1");
    row = gtk_list_box_get_row_at_index (list, 1);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, bounce_entry_get_title (sorbs));
    g_assert_false (gtk_list_box_row_get_activatable (row));
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "closed-list"));

    bounce_links_group_set_show_closed (group, FALSE);
    g_assert_cmpuint (bounce_links_group_get_n_shown (group), ==, 2);
  }

  bounce_links_group_set_links (group, NULL, NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (group)));
  g_assert_finalize_object (group);
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = test_settings ();
  BouncePreferences *prefs = bounce_preferences_new (settings, bounce_catalogue_get_default ());
  g_autofree char *debug_info = bounce_application_get_debug_info ();

  gtk_window_present (GTK_WINDOW (prefs));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (prefs));
  g_object_ref (prefs);
  gtk_window_destroy (GTK_WINDOW (prefs));
  ui_spin (50);
  g_assert_finalize_object (prefs);

  g_assert_nonnull (strstr (debug_info, "Catalogue: version"));
  g_assert_nonnull (strstr (debug_info, "GTK: 4."));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!ui_have_display ())
    return 0;

  state_dir = ui_private_state_dir ();

  gtk_test_init (&argc, &argv, NULL);
  setlocale (LC_ALL, "");
  /* As the application's main() does: LANGUAGE=de (with
   * BOUNCE_ASSISTANT_LOCALEDIR) runs the window in German. */
  bounce_core_init_gettext ();
  ui_park_pointer ();

  app = ui_new_application ();

  g_test_add_func ("/window/paste-bounce", test_paste_bounce);
  g_test_add_func ("/window/open-file", test_open_file);
  g_test_add_func ("/window/open-scrolls-to-code", test_open_scrolls_to_code);
  g_test_add_func ("/window/report-filled-in-turns", test_report_filled_in_turns);
  g_test_add_func ("/window/main-menu-on-first-open", test_main_menu_on_first_open);
  g_test_add_func ("/window/delay-warning", test_delay_warning);
  g_test_add_func ("/window/abuse-report", test_abuse_report);
  g_test_add_func ("/window/dmarc-report", test_dmarc_report);
  g_test_add_func ("/window/narrow", test_narrow);
  g_test_add_func ("/window/error-names-file", test_error_names_file);
  g_test_add_func ("/window/narrow-badges", test_narrow_badges);
  g_test_add_func ("/window/code-row-fonts", test_code_row_fonts);
  g_test_add_func ("/window/source-link-aligned", test_source_link_aligned);
  g_test_add_func ("/window/narrow-actions", test_narrow_actions);
  g_test_add_func ("/window/pasted-mime", test_pasted_mime);
  g_test_add_func ("/window/copy-summary", test_copy_summary);
  g_test_add_func ("/window/result-pages-on-first-use", test_result_pages_on_first_use);
  g_test_add_func ("/window/status-page-widths", test_status_page_widths);
  g_test_add_func ("/window/not-bounce", test_not_bounce);
  g_test_add_func ("/window/cancel", test_cancel);
  g_test_add_func ("/window/large-file", test_large_file);
  g_test_add_func ("/window/narrow-error", test_narrow_error);
  g_test_add_func ("/window/narrow-toasts", test_narrow_toasts);
  g_test_add_func ("/window/narrow-status-titles", test_narrow_status_titles);
  g_test_add_func ("/window/long-address", test_long_address);
  g_test_add_func ("/window/truncated", test_truncated);
  g_test_add_func ("/window/restore-text", test_restore_text);
  g_test_add_func ("/window/paste-action", test_paste_action);
  g_test_add_func ("/window/paste-scrolls-to-code", test_paste_scrolls_to_code);
  g_test_add_func ("/window/paste-large", test_paste_large);
  g_test_add_func ("/app/dialogs", test_app_dialogs);
  g_test_add_func ("/catalogue/search", test_catalogue_search);
  g_test_add_func ("/catalogue/escape", test_catalogue_escape);
  g_test_add_func ("/catalogue/list-after-pause", test_catalogue_list_after_pause);
  g_test_add_func ("/catalogue/whole-list-kept", test_catalogue_whole_list_kept);
  g_test_add_func ("/catalogue/prepared-ahead", test_catalogue_prepared_ahead);
  g_test_add_func ("/app/accels", test_accels);
  g_test_add_func ("/app/shortcuts-window-complete", test_shortcuts_window_complete);
  g_test_add_func ("/app/shortcuts-window-title", test_shortcuts_window_title);
  g_test_add_func ("/links-group/order-and-filter", test_links_group);
  g_test_add_func ("/window/check-blocklists", test_check_blocklists);
  g_test_add_func ("/preferences/open", test_preferences);

  ret = g_test_run ();

  g_clear_object (&app);
  g_rmdir (state_dir);
  g_free (state_dir);
  return ret;
}
