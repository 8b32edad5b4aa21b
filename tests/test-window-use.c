/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "bounce-application.h"
#include "bounce-catalogue-window.h"
#include "bounce-entry-card.h"
#include "bounce-recipient-row.h"
#include "bounce-window.h"
#include "ui-common.h"

/* The window driven as a user drives it: keys go through the X server
 * (xdotool), the clipboard is the real one, and what is checked is what the
 * user sees or what a screen reader gets.
 *
 * With BOUNCE_SCREENSHOT_DIR set, every case also saves screenshots of what
 * it checked, wide and at 360 px, light and dark. */

static BounceApplication *app;
static char *state_dir;

/* The pasted text is in the window (the clipboard is read
 * asynchronously) and its analysis is done. */
static gboolean
pasted_and_done (gpointer data)
{
  BounceWindow *win = data;
  g_autofree char *shown = ui_buffer_text (ui_window_buffer (win));

  return g_strcmp0 (shown, g_object_get_data (G_OBJECT (win), "pasted")) == 0 && ui_analysis_done (win);
}

static void
wait_for_paste (BounceWindow *win,
                const char   *text)
{
  g_object_set_data_full (G_OBJECT (win), "pasted", g_strdup (text), g_free);
  ui_wait_until (pasted_and_done, win, 20000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
}

static char *
read_sample (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "ui", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static BounceWindow *
new_window (int width,
            int height)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  BounceWindow *win = g_object_new (BOUNCE_TYPE_WINDOW,
                                    "application", app,
                                    "settings", settings,
                                    NULL);

  ui_park_pointer ();
  gtk_window_set_default_size (GTK_WINDOW (win), width, height);
  gtk_window_present (GTK_WINDOW (win));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (200);
  return win;
}

/* A row of the list of lookups (the live check's results come first). */
static gboolean
is_link_row (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_LIST_BOX_ROW (widget) && g_object_get_data (G_OBJECT (widget), "url") != NULL;
}

static gboolean
is_mapped_button_labelled (GtkWidget     *widget,
                           gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
is_mapped_action_button (GtkWidget     *widget,
                         gconstpointer  action)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static GtkWidget *
mapped_button (BounceWindow *win,
               const char   *label)
{
  return ui_find_widget (GTK_WIDGET (win), is_mapped_button_labelled, label);
}

/* ------------------------------------------------------------------ */
/* Keys and the mouse, through the X server */

static gboolean
have_xdotool (void)
{
  g_autofree char *path = g_find_program_in_path ("xdotool");

  return path != NULL;
}

static void
xdotool (const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  int status = 0;

  g_strv_builder_add (builder, "xdotool");
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* Let GTK read and handle the events. */
  ui_spin (150);
}

static void
press (const char *keys)
{
  const char *args[] = { "key", "--clearmodifiers", keys, NULL };

  xdotool (args);
}

static void
click (BounceWindow *win,
       GtkWidget    *widget)
{
  graphene_rect_t bounds;
  double nx, ny;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  /* The pointer then leaves the window (see park_pointer). */
  const char *args[] = { "mousemove", NULL, NULL, "click", "1", "mousemove", "2000", "2000", NULL };

  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (win), &bounds));
  gtk_native_get_surface_transform (GTK_NATIVE (win), &nx, &ny);
  x = g_strdup_printf ("%d", (int) (bounds.origin.x + nx + bounds.size.width / 2));
  y = g_strdup_printf ("%d", (int) (bounds.origin.y + ny + bounds.size.height / 2));
  args[1] = x;
  args[2] = y;
  xdotool (args);
}

static void
set_clipboard (BounceWindow *win,
               const char   *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (win)), text);
}

/* Ctrl+V with the focus in the message text, then the analysis. */
static void
paste_with_keys (BounceWindow *win,
                 const char   *text)
{
  set_clipboard (win, text);
  gtk_widget_grab_focus (GTK_WIDGET (bounce_window_get_input_view (win)));
  press ("ctrl+v");
  wait_for_paste (win, text);
}

/* ------------------------------------------------------------------ */
/* Screenshots (BOUNCE_SCREENSHOT_DIR) */

static void
save_png (GtkWidget  *widget,
          const char *name)
{
  const char *dir = g_getenv ("BOUNCE_SCREENSHOT_DIR");
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s", path);
}

static void
settle (GtkWindow *win)
{
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  ui_spin (500);
}

/* The case as it is now, at 1100 and 360 px, light and dark.  At 360 px
 * the main window shows one pane at a time: both are taken, the
 * explanation and the message. */
static void
screenshots (GtkWindow  *win,
             const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  gboolean panes = BOUNCE_IS_WINDOW (win);
  g_autoptr(GtkWidget) focus = NULL;
  int width, height;

  if (g_getenv ("BOUNCE_SCREENSHOT_DIR") == NULL)
    return;

  /* Switching panes moves the focus: it is put back for each picture. */
  if (gtk_window_get_focus (win) != NULL)
    focus = g_object_ref (gtk_window_get_focus (win));

  gtk_window_get_default_size (win, &width, &height);
  for (guint dark = 0; dark < 2; dark++)
    {
      const char *scheme = dark ? "dark" : "light";
      g_autofree char *wide = g_strdup_printf ("%s-wide-%s", name, scheme);
      g_autofree char *narrow = g_strdup_printf ("%s-narrow-%s", name, scheme);
      g_autofree char *results = g_strdup_printf ("%s-narrow-explanation-%s", name, scheme);
      g_autofree char *message = g_strdup_printf ("%s-narrow-message-%s", name, scheme);

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                      : ADW_COLOR_SCHEME_FORCE_LIGHT);
      gtk_window_set_default_size (win, 1100, 720);
      settle (win);
      if (focus != NULL)
        {
          gtk_widget_grab_focus (focus);
          gtk_window_set_focus_visible (win, TRUE);
        }
      settle (win);
      save_png (GTK_WIDGET (win), wide);

      gtk_window_set_default_size (win, 360, 720);
      settle (win);
      if (!panes)
        {
          save_png (GTK_WIDGET (win), narrow);
          continue;
        }
      gtk_widget_activate_action (GTK_WIDGET (win), "win.show-results", NULL);
      settle (win);
      if (focus != NULL)
        {
          gtk_widget_grab_focus (focus);
          gtk_window_set_focus_visible (win, TRUE);
        }
      settle (win);
      save_png (GTK_WIDGET (win), results);
      gtk_widget_activate_action (GTK_WIDGET (win), "win.show-input", NULL);
      settle (win);
      save_png (GTK_WIDGET (win), message);
    }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (win, width, height);
  settle (win);
}

/* ------------------------------------------------------------------ */
/* Point 3: Ctrl+V and the Paste button replace the message, with Undo */

static const char *
first_address (BounceWindow *win)
{
  GListModel *recipients = bounce_report_get_recipients (bounce_window_get_report (win));
  g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, 0);

  g_assert_nonnull (r);
  return bounce_recipient_get_address (r);
}

static gboolean
report_is_for (gpointer data)
{
  BounceWindow *win = data;
  const char *wanted = g_object_get_data (G_OBJECT (win), "wanted-address");

  return ui_analysis_done (win)
         && g_list_model_get_n_items (bounce_report_get_recipients (bounce_window_get_report (win))) > 0
         && g_strcmp0 (first_address (win), wanted) == 0;
}

static void
wait_for_report_on (BounceWindow *win,
                    const char   *address)
{
  g_object_set_data_full (G_OBJECT (win), "wanted-address", g_strdup (address), g_free);
  ui_wait_until (report_is_for, win, 20000);
}

static gboolean
no_undo_button (gpointer data)
{
  return mapped_button (data, "_Undo") == NULL;
}

static void
test_paste_replaces (void)
{
  BounceWindow *win;
  g_autofree char *first = read_sample ("pasted-blocklisted.txt");
  g_autofree char *second = read_sample ("pasted-mime-7bit.eml");
  g_autofree char *shown = NULL;
  GtkWidget *undo;

  if (!have_xdotool ())
    {
      g_test_skip ("xdotool is missing");
      return;
    }

  win = new_window (1100, 720);
  paste_with_keys (win, first);
  g_assert_cmpstr (first_address (win), ==, "j.doe@example.net");
  /* Nothing was replaced: no Undo. */
  g_assert_null (mapped_button (win, "_Undo"));

  /* Ctrl+V again in the text: the second bounce replaces the first
   * instead of being inserted at the cursor, and is explained alone. */
  paste_with_keys (win, second);
  wait_for_report_on (win, "accounts.payable.department@subsidiary.example.net");
  shown = ui_buffer_text (ui_window_buffer (win));
  g_assert_cmpstr (shown, ==, second);
  g_assert_cmpuint (g_list_model_get_n_items (bounce_report_get_recipients (bounce_window_get_report (win))), ==, 1);
  g_assert_null (strstr (shown, "j.doe@example.net"));

  undo = mapped_button (win, "_Undo");
  g_assert_nonnull (undo);
  g_assert_true (ui_find_widget (GTK_WIDGET (win), ui_is_mapped_label_with, "Message replaced") != NULL);

  /* Undo brings the first bounce and its explanation back. */
  click (win, undo);
  wait_for_report_on (win, "j.doe@example.net");
  g_clear_pointer (&shown, g_free);
  shown = ui_buffer_text (ui_window_buffer (win));
  g_assert_cmpstr (shown, ==, first);
  /* The toast goes with it. */
  ui_wait_until (no_undo_button, win, 5000);

  /* The Paste button in the header bar, clicked with the mouse: the same. */
  set_clipboard (win, second);
  click (win, ui_find_widget (GTK_WIDGET (win), is_mapped_action_button, "win.paste"));
  wait_for_report_on (win, "accounts.payable.department@subsidiary.example.net");
  g_clear_pointer (&shown, g_free);
  shown = ui_buffer_text (ui_window_buffer (win));
  g_assert_cmpstr (shown, ==, second);
  g_assert_nonnull (mapped_button (win, "_Undo"));
  /* Last: the toast goes after 8 s, while they are taken. */
  screenshots (GTK_WINDOW (win), "paste-undo");

  ui_destroy_window (win);
}

/* The Paste button's way: the clipboard replaces the message. */
static void
paste_with_button (BounceWindow *win,
                   const char   *text)
{
  set_clipboard (win, text);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.paste", NULL));
  wait_for_paste (win, text);
}

static char *
selected_text (BounceWindow *win)
{
  GtkTextIter start, end;

  if (!gtk_text_buffer_get_selection_bounds (ui_window_buffer (win), &start, &end))
    return g_strdup ("");
  return gtk_text_iter_get_text (&start, &end);
}

/* ------------------------------------------------------------------ */
/* Point 5: a message pasted with its MIME structure */

static void
test_mime_paste (void)
{
  BounceWindow *win = new_window (1250, 720);
  GtkWidget *input = GTK_WIDGET (bounce_window_get_input_view (win));
  g_autofree char *plain = read_sample ("pasted-mime-7bit.eml");
  g_autofree char *qp = read_sample ("user-unknown-qp.eml");
  g_autofree char *selected = NULL;
  int width = gtk_widget_get_width (input);
  GtkListBoxRow *row;

  /* 7bit throughout, quoting the original's MIME headers: no notice, and
   * the codes are highlighted in the text as pasted. */
  paste_with_button (win, plain);
  g_assert_null (bounce_input_view_get_notice (bounce_window_get_input_view (win)));
  g_assert_true (ui_tag_at (ui_window_buffer (win), ui_char_offset_of (ui_window_buffer (win), "said: 550 5.1.1") + 6, "code"));
  g_assert_true (ui_tag_at (ui_window_buffer (win), ui_char_offset_of (ui_window_buffer (win), "said: 550 5.1.1") + 10, "code"));
  g_assert_true (ui_tag_at (ui_window_buffer (win), ui_char_offset_of (ui_window_buffer (win), "Status: 5.1.1") + 8, "code"));
  g_assert_false (ui_tag_at (ui_window_buffer (win), ui_char_offset_of (ui_window_buffer (win), "Content-Transfer-Encoding: 7bit") + 27, "code"));
  /* Point 10: an address is one, a server's build number is not. */
  g_assert_true (ui_tag_at (ui_window_buffer (win), ui_char_offset_of (ui_window_buffer (win), "192.0.2.14"), "network"));
  g_assert_false (ui_tag_at (ui_window_buffer (win), ui_char_offset_of (ui_window_buffer (win), "15.1.112.19"), "network"));

  /* Picking a code finds it in the text as pasted. */
  row = gtk_list_box_get_row_at_index (bounce_window_get_codes_list (win), 1);
  g_assert_nonnull (row);
  g_signal_emit_by_name (bounce_window_get_codes_list (win), "row-activated", row);
  selected = selected_text (win);
  g_assert_cmpstr (selected, ==, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));

  settle (GTK_WINDOW (win));
  g_assert_cmpint (gtk_widget_get_width (input), ==, width);
  screenshots (GTK_WINDOW (win), "mime-7bit");

  /* Really quoted-printable: the notice offers the decoded text, the codes
   * are highlighted anyway, and the panes keep their widths. */
  paste_with_button (win, qp);
  g_assert_nonnull (bounce_input_view_get_notice (bounce_window_get_input_view (win)));
  g_assert_true (ui_tag_at (ui_window_buffer (win), ui_char_offset_of (ui_window_buffer (win), "Status: 5.1.1") + 8, "code"));
  settle (GTK_WINDOW (win));
  g_assert_cmpint (gtk_widget_get_width (input), ==, width);
  screenshots (GTK_WINDOW (win), "mime-qp");

  ui_destroy_window (win);
}

/* ------------------------------------------------------------------ */
/* Point 6: the keyboard */

typedef enum {
  STOP_OTHER,
  STOP_VERDICT,
  STOP_RECIPIENTS,
  STOP_CARDS,
  STOP_CODES,
  STOP_LINKS,
} Stop;

static Stop
stop_of (BounceWindow *win,
         GtkWidget    *focus)
{
  if (focus == GTK_WIDGET (bounce_window_get_verdict (win)))
    return STOP_VERDICT;
  if (gtk_widget_is_ancestor (focus, GTK_WIDGET (bounce_window_get_recipients_list (win))))
    return STOP_RECIPIENTS;
  if (gtk_widget_is_ancestor (focus, bounce_window_get_entry_cards (win)))
    return STOP_CARDS;
  if (gtk_widget_is_ancestor (focus, GTK_WIDGET (bounce_window_get_codes_list (win))))
    return STOP_CODES;
  if (gtk_widget_is_ancestor (focus, GTK_WIDGET (bounce_window_get_links_group (win))))
    return STOP_LINKS;
  return STOP_OTHER;
}

static double
explanation_scrolled (BounceWindow *win)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (bounce_window_get_verdict (win)),
                                                 GTK_TYPE_SCROLLED_WINDOW);

  return gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)));
}

static void
check_tab_order (BounceWindow *win)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (win));
  guint seen[STOP_LINKS + 1] = { 0, };
  Stop last = STOP_VERDICT;

  /* After the paste the keyboard is at the verdict. */
  g_assert_true (focus == GTK_WIDGET (bounce_window_get_verdict (win)));

  press ("Tab");
  /* The first Tab stays at the top of the explanation. */
  g_assert_cmpfloat (explanation_scrolled (win), <, 1);

  for (guint i = 0; i < 40; i++)
    {
      Stop stop;

      focus = gtk_window_get_focus (GTK_WINDOW (win));
      g_assert_nonnull (focus);
      stop = stop_of (win, focus);
      g_test_message ("stop %u: %s %d", i, G_OBJECT_TYPE_NAME (focus), stop);
      /* Read-only text is no stop. */
      g_assert_false (GTK_IS_LABEL (focus));
      if (stop == STOP_OTHER)
        break;
      /* Verdict, recipients, explanations, codes, links: in that order. */
      g_assert_cmpint (stop, >=, last);
      last = stop;
      seen[stop]++;
      press ("Tab");
    }

  g_assert_cmpuint (seen[STOP_RECIPIENTS], >=, 1);
  g_assert_cmpuint (seen[STOP_CARDS], >=, 1);
  g_assert_cmpuint (seen[STOP_CODES], >=, 1);
  g_assert_cmpuint (seen[STOP_LINKS], >=, 1);

  /* Shift+Tab from the recipients goes back to the verdict. */
  gtk_widget_grab_focus (GTK_WIDGET (bounce_window_get_verdict (win)));
  press ("Tab");
  g_assert_cmpint (stop_of (win, gtk_window_get_focus (GTK_WINDOW (win))), ==, STOP_RECIPIENTS);
  press ("shift+Tab");
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (win)) == GTK_WIDGET (bounce_window_get_verdict (win)));
}

static void
test_focus_order (void)
{
  BounceWindow *win;
  g_autofree char *text = read_sample ("pasted-blocklisted.txt");

  if (!have_xdotool ())
    {
      g_test_skip ("xdotool is missing");
      return;
    }

  /* Ctrl+V in the text. */
  win = new_window (1100, 720);
  paste_with_keys (win, text);
  check_tab_order (win);
  screenshots (GTK_WINDOW (win), "focus-verdict");
  ui_destroy_window (win);

  /* The Paste button of the empty page, clicked with the mouse. */
  win = new_window (1100, 720);
  set_clipboard (win, text);
  click (win, mapped_button (win, "_Paste"));
  wait_for_paste (win, text);
  check_tab_order (win);
  ui_destroy_window (win);

  /* At 360 px, where the explanation replaces the text. */
  win = new_window (360, 720);
  paste_with_keys (win, text);
  check_tab_order (win);
  ui_destroy_window (win);
}

/* ------------------------------------------------------------------ */
/* Point 9: at 360 px, addresses break without hyphens */

static gboolean
hyphens_off (PangoAttrList *attrs)
{
  g_autoptr(PangoAttrIterator) iter = NULL;
  PangoAttribute *attr;

  if (attrs == NULL)
    return FALSE;
  iter = pango_attr_list_get_iterator (attrs);
  attr = pango_attr_iterator_get (iter, PANGO_ATTR_INSERT_HYPHENS);
  return attr != NULL && !((PangoAttrInt *) attr)->value;
}

static void
check_labels (GtkWidget *widget,
              guint     *wrapped,
              guint     *broken_address)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) && gtk_label_get_wrap (GTK_LABEL (widget)))
    {
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (widget));

      if (!hyphens_off (pango_layout_get_attributes (layout)))
        g_test_message ("label with hyphens: %s", gtk_label_get_label (GTK_LABEL (widget)));
      g_assert_true (hyphens_off (pango_layout_get_attributes (layout)));
      (*wrapped)++;
      if (strstr (gtk_label_get_label (GTK_LABEL (widget)), "accounts.payable.department@") != NULL
          && pango_layout_get_line_count (layout) > 1)
        (*broken_address)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_labels (child, wrapped, broken_address);
}

static void
test_narrow_no_hyphens (void)
{
  BounceWindow *win = new_window (360, 720);
  g_autofree char *text = read_sample ("pasted-mime-7bit.eml");
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (ui_window_buffer (win)), "no-hyphens");
  GtkTextIter iter;
  guint wrapped = 0, broken = 0;
  gboolean set = TRUE;

  paste_with_button (win, text);
  settle (GTK_WINDOW (win));

  /* The explanation: every wrapping label, the long address among them. */
  check_labels (GTK_WIDGET (win), &wrapped, &broken);
  g_assert_cmpuint (wrapped, >, 5);
  g_assert_cmpuint (broken, >=, 1);

  /* The message text, all of it. */
  g_object_get (tag, "insert-hyphens-set", &set, NULL);
  g_assert_true (set);
  gtk_text_buffer_get_start_iter (ui_window_buffer (win), &iter);
  g_assert_true (gtk_text_iter_has_tag (&iter, tag));
  g_assert_false (gtk_text_iter_forward_to_tag_toggle (&iter, tag) && !gtk_text_iter_is_end (&iter));
  screenshots (GTK_WINDOW (win), "narrow-address");

  /* The message pane at 360 px as well. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-input", NULL);
  settle (GTK_WINDOW (win));
  wrapped = broken = 0;
  check_labels (GTK_WIDGET (win), &wrapped, &broken);

  ui_destroy_window (win);
}

/* ------------------------------------------------------------------ */
/* Point 10 */

static void
test_spamhaus_query_named (void)
{
  BounceWindow *win = new_window (1100, 720);
  const char *text =
    "This is the mail system at host mail.example.com.\n\n"
    "<r.khan@example.net>: host mx.example.net[198.51.100.7] said: 554 5.7.1\n"
    "    Service unavailable; see http://www.spamhaus.org/query/bl?ip=192.0.2.201\n"
    "    (in reply to RCPT TO command)\n";
  BounceLinksGroup *links = bounce_window_get_links_group (win);

  paste_with_button (win, text);
  g_assert_cmpuint (bounce_report_get_blocklists (bounce_window_get_report (win))->len, ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (links)));
  g_assert_nonnull (ui_find_widget (GTK_WIDGET (links), ui_is_mapped_label_with, "Named in the bounce"));
  g_assert_nonnull (ui_find_widget (GTK_WIDGET (links), ui_is_mapped_label_with, "Spamhaus ZEN"));
  /* In view for the screenshots. */
  gtk_widget_grab_focus (ui_find_widget (GTK_WIDGET (links), ui_is_of_type, GSIZE_TO_POINTER (ADW_TYPE_ACTION_ROW)));
  screenshots (GTK_WINDOW (win), "spamhaus-named");
  ui_destroy_window (win);
}

static gboolean
is_link_to (GtkWidget     *widget,
            gconstpointer  uri)
{
  return GTK_IS_LINK_BUTTON (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_link_button_get_uri (GTK_LINK_BUTTON (widget)), uri) == 0;
}

static void
test_catalogue_blocklist_links (void)
{
  BounceCatalogueWindow *win = bounce_catalogue_window_new (bounce_catalogue_get_default ());
  GtkWidget *link;

  gtk_window_present (GTK_WINDOW (win));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));

  /* "Look up the sending IP with the lookup link": there is one. */
  bounce_catalogue_window_set_query (win, "Spamhaus ZEN");
  g_assert_cmpstr (bounce_entry_get_id (bounce_catalogue_window_get_shown_entry (win)), ==,
                   "blocklist.spamhaus-zen");
  settle (GTK_WINDOW (win));
  link = ui_find_widget (GTK_WIDGET (win), is_link_to, "https://check.spamhaus.org/");
  g_assert_nonnull (link);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (link)), ==, "Lookup page: check.spamhaus.org");
  screenshots (GTK_WINDOW (win), "catalogue-blocklist");

  /* A list with its own removal page offers both. */
  bounce_catalogue_window_show_entry (win, bounce_catalogue_lookup (bounce_catalogue_get_default (),
                                                                    "blocklist.barracuda"));
  settle (GTK_WINDOW (win));
  g_assert_nonnull (ui_find_widget (GTK_WIDGET (win), is_link_to, "https://www.barracudacentral.org/"));
  g_assert_nonnull (ui_find_widget (GTK_WIDGET (win), is_link_to,
                                 "https://www.barracudacentral.org/rbl/removal-request"));

  g_object_ref (win);
  gtk_window_destroy (GTK_WINDOW (win));
  ui_spin (50);
  g_assert_finalize_object (win);
}

static gboolean
not_busy (gpointer data)
{
  return !bounce_window_get_busy (data);
}

static void
test_binary_refused (void)
{
  BounceWindow *win = new_window (1100, 720);
  g_autofree char *text = read_sample ("pasted-blocklisted.txt");
  g_autofree char *path = g_build_filename (state_dir, "picture.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  char binary[4096];

  for (guint i = 0; i < sizeof binary; i++)
    binary[i] = (char) ((i * 7919) % 256);
  g_file_set_contents (path, binary, sizeof binary, &error);
  g_assert_no_error (error);

  paste_with_button (win, text);
  bounce_window_open_file (win, file);
  ui_wait_until (not_busy, win, 20000);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));

  /* The refusal is about the file: the text before it is gone, the
   * message pane offers to paste or open again. */
  g_assert_cmpstr (bounce_window_get_page (win), ==, "error");
  g_assert_true (bounce_input_view_get_empty (bounce_window_get_input_view (win)));
  g_assert_nonnull (mapped_button (win, "_Open File…"));
  screenshots (GTK_WINDOW (win), "binary-refused");

  ui_destroy_window (win);
  g_unlink (path);
}

static gboolean
shows_toast (gpointer data)
{
  return ui_find_widget (GTK_WIDGET (data), ui_is_mapped_label_with, "No browser found") != NULL;
}

static void
test_link_without_browser (void)
{
  g_autoptr(GAppInfo) browser = g_app_info_get_default_for_uri_scheme ("https");
  BounceWindow *win;
  g_autofree char *text = read_sample ("pasted-blocklisted.txt");
  g_autofree char *copied = NULL;
  GtkListBoxRow *row;
  const char *url;

  if (browser != NULL)
    {
      g_test_skip ("a web browser is installed");
      return;
    }
  if (!have_xdotool ())
    {
      g_test_skip ("xdotool is missing");
      return;
    }

  win = new_window (1100, 720);
  paste_with_button (win, text);

  /* The first lookup, chosen with the keyboard. */
  row = GTK_LIST_BOX_ROW (ui_find_widget (GTK_WIDGET (bounce_window_get_links_group (win)), is_link_row, NULL));
  g_assert_nonnull (row);
  url = g_object_get_data (G_OBJECT (row), "url");
  g_assert_true (g_str_has_prefix (url, "https://"));
  gtk_widget_grab_focus (GTK_WIDGET (row));
  press ("Return");
  ui_wait_until (shows_toast, win, 10000);

  /* No raw GTK dialog, a toast that offers the link instead. */
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    g_assert_false (GTK_IS_MESSAGE_DIALOG (l->data));

  /* Once it has slid in. */
  ui_spin (500);
  click (win, mapped_button (win, "_Copy Link"));
  copied = ui_clipboard_text (GTK_WIDGET (win));
  g_assert_cmpstr (copied, ==, url);

  /* Once more for the screenshots: the toast goes after 8 s. */
  if (g_getenv ("BOUNCE_SCREENSHOT_DIR") != NULL)
    {
      ui_spin (3500);
      gtk_widget_grab_focus (GTK_WIDGET (row));
      press ("Return");
      ui_wait_until (shows_toast, win, 10000);
      screenshots (GTK_WINDOW (win), "no-browser");
    }

  ui_destroy_window (win);
}

static void
test_empty_page (void)
{
  BounceWindow *win = new_window (1100, 720);
  GtkWidget *page = ui_find_widget (GTK_WIDGET (bounce_window_get_input_view (win)),
                                 ui_is_of_type, GSIZE_TO_POINTER (ADW_TYPE_STATUS_PAGE));
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (win)));
  const char *icon;

  g_assert_nonnull (page);
  icon = adw_status_page_get_icon_name (ADW_STATUS_PAGE (page));
  /* An icon that says "paste a bounce here", found in the application's
   * resources, not the generic arrows. */
  g_assert_cmpstr (icon, ==, "paste-bounce-symbolic");
  g_assert_true (gtk_icon_theme_has_icon (theme, icon));
  screenshots (GTK_WINDOW (win), "empty");
  ui_destroy_window (win);
}

/* GTK 4.8 sometimes draws the scrollbar of the message text once without
 * an allocation when a click replaces scrolled text ("Trying to snapshot
 * GtkGizmo ... without a current allocation" from its trough): GTK's own,
 * harmless and a matter of timing, so that one warning is only reported.
 * Every other warning and critical still ends the test, as gtk_test_init
 * would have it. */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN") && fields[i].length < 0)
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        message = fields[i].value;
    }

  if ((level & G_LOG_LEVEL_WARNING) && g_strcmp0 (domain, "Gtk") == 0 && message != NULL
      && g_str_has_prefix (message, "Trying to snapshot GtkGizmo ")
      && g_str_has_suffix (message, " without a current allocation"))
    {
      g_test_message ("GTK: %s", message);
      return G_LOG_WRITER_HANDLED;
    }

  g_log_writer_default (level, fields, n_fields, user_data);
  if (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
    abort ();
  return G_LOG_WRITER_HANDLED;
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!ui_have_display ())
    return 0;

  state_dir = ui_private_state_dir ();

  g_log_set_writer_func (log_writer, NULL, NULL);
  gtk_test_init (&argc, &argv, NULL);
  /* Warnings go through log_writer, which ends the test itself. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  setlocale (LC_ALL, "");

  app = ui_new_application ();

  g_test_add_func ("/use/paste-replaces", test_paste_replaces);
  g_test_add_func ("/use/mime-paste", test_mime_paste);
  g_test_add_func ("/use/focus-order", test_focus_order);
  g_test_add_func ("/use/narrow-no-hyphens", test_narrow_no_hyphens);
  g_test_add_func ("/use/spamhaus-query-named", test_spamhaus_query_named);
  g_test_add_func ("/use/catalogue-blocklist-links", test_catalogue_blocklist_links);
  g_test_add_func ("/use/binary-refused", test_binary_refused);
  g_test_add_func ("/use/link-without-browser", test_link_without_browser);
  g_test_add_func ("/use/empty-page", test_empty_page);

  ret = g_test_run ();

  g_clear_object (&app);
  g_rmdir (state_dir);
  g_free (state_dir);
  return ret;
}
