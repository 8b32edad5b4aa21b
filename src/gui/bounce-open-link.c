/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "bounce-open-link.h"

typedef struct {
  GWeakRef  widget;
  char     *url;
} OpenLink;

static void
open_link_free (OpenLink *data)
{
  g_weak_ref_clear (&data->widget);
  g_free (data->url);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenLink, open_link_free)

static void
copy_link_activated (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  GtkWidget *overlay = user_data;
  AdwToast *toast;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (overlay), g_variant_get_string (param, NULL));
  toast = adw_toast_new (_("Link copied"));
  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* The "link.copy" action the toast's button activates. */
static void
ensure_copy_action (GtkWidget *overlay)
{
  g_autoptr(GSimpleActionGroup) group = NULL;
  g_autoptr(GSimpleAction) copy = NULL;

  if (g_object_get_data (G_OBJECT (overlay), "bounce-link-actions") != NULL)
    return;

  group = g_simple_action_group_new ();
  copy = g_simple_action_new ("copy", G_VARIANT_TYPE_STRING);
  g_signal_connect_object (copy, "activate", G_CALLBACK (copy_link_activated), overlay, 0);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (copy));
  gtk_widget_insert_action_group (overlay, "link", G_ACTION_GROUP (group));
  g_object_set_data (G_OBJECT (overlay), "bounce-link-actions", GINT_TO_POINTER (1));
}

static void
on_link_shown (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OpenLink) data = user_data;
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&data->widget);
  g_autoptr(GError) error = NULL;
  GtkWidget *overlay;
  AdwToast *toast;

  if (gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    return;
  if (widget == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_debug ("Could not open %s: %s", data->url, error->message);
  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return;

  ensure_copy_action (overlay);
  toast = adw_toast_new (_("No browser found"));
  adw_toast_set_button_label (toast, _("_Copy Link"));
  adw_toast_set_action_name (toast, "link.copy");
  adw_toast_set_action_target_value (toast, g_variant_new_string (data->url));
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

void
bounce_open_link (GtkWidget  *widget,
                  const char *url)
{
  GtkRoot *root;
  OpenLink *data;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (url == NULL || !g_str_has_prefix (url, "https://"))
    return;

  root = gtk_widget_get_root (widget);
  data = g_new0 (OpenLink, 1);
  g_weak_ref_init (&data->widget, widget);
  data->url = g_strdup (url);
  /* gtk_show_uri_full goes through the OpenURI portal inside Flatpak. */
  gtk_show_uri_full (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, url, GDK_CURRENT_TIME,
                     NULL, on_link_shown, data);
}
