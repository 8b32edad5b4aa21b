/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-input-view.h"
#include "ui-common.h"

gboolean
ui_have_display (void)
{
  if (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL)
    return TRUE;
  g_print ("1..0 # SKIP no display\n");
  return FALSE;
}

char *
ui_private_state_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("bounce-ui-XXXXXX", &error);

  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", dir, TRUE);
  return dir;
}

BounceApplication *
ui_new_application (void)
{
  g_autoptr(GError) error = NULL;
  BounceApplication *app = bounce_application_new (APP_ID, G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
ui_wait_until (UiCondition condition,
               gpointer    data,
               guint       timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out after %u ms", timeout_ms);
  g_source_remove (id);
}

void
ui_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

gboolean
ui_analysis_done (gpointer window)
{
  BounceWindow *win = window;

  return !bounce_window_get_busy (win) && bounce_window_get_report (win) != NULL
         && !bounce_window_get_filling (win);
}

void
ui_destroy_window (gpointer window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  ui_spin (50);
  g_assert_finalize_object (window);
}

GtkTextBuffer *
ui_window_buffer (BounceWindow *win)
{
  return bounce_input_view_get_buffer (bounce_window_get_input_view (win));
}

char *
ui_buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

glong
ui_char_offset_of (GtkTextBuffer *buffer,
                   const char    *needle)
{
  GtkTextIter start, end, match;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  if (!gtk_text_iter_forward_search (&start, needle, 0, &match, NULL, &end))
    return -1;
  return gtk_text_iter_get_offset (&match);
}

gboolean
ui_tag_at (GtkTextBuffer *buffer,
           glong          offset,
           const char    *tag_name)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GtkTextIter iter;

  g_assert_nonnull (tag);
  g_assert_cmpint (offset, >=, 0);
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  return gtk_text_iter_has_tag (&iter, tag);
}

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **out = user_data;

  *out = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*out == NULL)
    *out = g_strdup ("");
}

static gboolean
string_set (gpointer data)
{
  return *(char **) data != NULL;
}

char *
ui_clipboard_text (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, on_clipboard_text, &text);
  ui_wait_until (string_set, &text, 5000);
  return text;
}

GtkWidget *
ui_find_widget (GtkWidget     *root,
                UiWidgetTest   test,
                gconstpointer  data)
{
  if (test (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_find_widget (child, test, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
ui_is_of_type (GtkWidget     *widget,
               gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

gboolean
ui_is_mapped_label_with (GtkWidget     *widget,
                         gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
         && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL;
}

void
ui_park_pointer (void)
{
  g_autofree char *path = g_find_program_in_path ("xdotool");
  const char *argv[] = { "xdotool", "mousemove", "2000", "2000", NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (path == NULL)
    return;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}
