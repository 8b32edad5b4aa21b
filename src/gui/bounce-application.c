/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <gmime/gmime.h>
#include <json-glib/json-glib.h>

#include "bounce-core.h"

#include "bounce-application.h"
#include "bounce-catalogue-window.h"
#include "bounce-preferences.h"
#include "bounce-window.h"

struct _BounceApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (BounceApplication, bounce_application, ADW_TYPE_APPLICATION)

BounceApplication *
bounce_application_new (const char        *application_id,
                        GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (BOUNCE_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

char *
bounce_application_get_debug_info (void)
{
  BounceCatalogue *catalogue = bounce_catalogue_get_default ();
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "Bounce Assistant %s (%s)\n", PACKAGE_VERSION, APP_ID);
  g_string_append_printf (s, "Catalogue: version %s, %u entries\n",
                          catalogue ? bounce_catalogue_get_version (catalogue) : "-",
                          catalogue ? bounce_catalogue_get_n_entries (catalogue) : 0);
  g_string_append (s, "\n");
  g_string_append_printf (s, "GTK: %u.%u.%u (built with %d.%d.%d)\n",
                          gtk_get_major_version (), gtk_get_minor_version (),
                          gtk_get_micro_version (),
                          GTK_MAJOR_VERSION, GTK_MINOR_VERSION, GTK_MICRO_VERSION);
  g_string_append_printf (s, "libadwaita: %u.%u.%u (built with %d.%d.%d)\n",
                          adw_get_major_version (), adw_get_minor_version (),
                          adw_get_micro_version (),
                          ADW_MAJOR_VERSION, ADW_MINOR_VERSION, ADW_MICRO_VERSION);
  g_string_append_printf (s, "GLib: %u.%u.%u (built with %d.%d.%d)\n",
                          glib_major_version, glib_minor_version, glib_micro_version,
                          GLIB_MAJOR_VERSION, GLIB_MINOR_VERSION, GLIB_MICRO_VERSION);
  g_string_append_printf (s, "json-glib: built with %s\n", JSON_VERSION_S);
  g_string_append_printf (s, "GMime: %u.%u.%u (built with %d.%d.%d)\n",
                          gmime_major_version, gmime_minor_version, gmime_micro_version,
                          GMIME_MAJOR_VERSION, GMIME_MINOR_VERSION, GMIME_MICRO_VERSION);
  g_string_append (s, "\n");
  g_string_append_printf (s, "Flatpak: %s\n",
                          g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ? "yes" : "no");
  g_string_append_printf (s, "Desktop: %s\n",
                          g_getenv ("XDG_CURRENT_DESKTOP") ? g_getenv ("XDG_CURRENT_DESKTOP") : "-");

  return g_string_free (s, FALSE);
}

static const GOptionEntry app_options[] = {
  { "version", 'V', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the program version"), NULL },
  { NULL }
};

static int
bounce_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("bounce-assistant %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  return G_APPLICATION_CLASS (bounce_application_parent_class)->handle_local_options (app, options);
}

static BounceWindow *
bounce_application_new_window (BounceApplication *self)
{
  return g_object_new (BOUNCE_TYPE_WINDOW,
                       "application", self,
                       "settings", self->settings,
                       NULL);
}

static BounceWindow *
bounce_application_get_window (BounceApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (BOUNCE_IS_WINDOW (window))
    return BOUNCE_WINDOW (window);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (BOUNCE_IS_WINDOW (l->data))
        return l->data;
    }

  return bounce_application_new_window (self);
}

static void
bounce_application_about (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  BounceApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *debug_info = bounce_application_get_debug_info ();
  static const char *developers[] = { "Bounce Assistant contributors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", _("Bounce Assistant"),
                        "application-icon", APP_ID,
                        "developer-name", _("Bounce Assistant contributors"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Explains why an email could not be delivered, in plain words, and what to do about it."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/bounce-assistant/bounce-assistant",
                        "issue-url", "https://github.com/bounce-assistant/bounce-assistant/issues",
                        "debug-info", debug_info,
                        "debug-info-filename", "bounce-assistant-debug.txt",
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
bounce_application_preferences (GSimpleAction *action,
                                GVariant      *param,
                                gpointer       user_data)
{
  BounceApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  BouncePreferences *prefs;

  if (self->settings == NULL)
    return;

  prefs = bounce_preferences_new (self->settings, bounce_catalogue_get_default ());
  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
bounce_application_shortcuts (GSimpleAction *action,
                              GVariant      *param,
                              gpointer       user_data)
{
  BounceApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
bounce_application_quit (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  BounceApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing (rather than quitting outright) lets each window save its
   * size and the last text. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static const GActionEntry app_actions[] = {
  { "about", bounce_application_about },
  { "preferences", bounce_application_preferences },
  { "shortcuts", bounce_application_shortcuts },
  { "quit", bounce_application_quit },
};

static GSettings *
bounce_application_load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  /* An uninstalled build without GSETTINGS_SCHEMA_DIR still runs; it just
   * does not remember anything. */
  if (schema == NULL)
    {
      g_message ("GSettings schema %s is not installed; preferences are not saved", APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
bounce_application_startup (GApplication *app)
{
  BounceApplication *self = BOUNCE_APPLICATION (app);
  GtkApplication *gtk_app = GTK_APPLICATION (app);
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.clear", { "<Control>l", NULL } },
    { "win.copy-summary", { "<Control><Shift>c", NULL } },
    { "win.catalogue", { "<Control>k", "<Control>f", NULL } },
    { "window.close", { "<Control>w", NULL } },
    /* GtkApplication's own for a gtk/help-overlay.ui, which the window
     * builds on first use instead (bounce-shortcuts.ui). */
    { "win.show-help-overlay", { "<Control>question", NULL } },
  };
  const char *style;

  G_APPLICATION_CLASS (bounce_application_parent_class)->startup (app);

  bounce_core_init ();
  self->settings = bounce_application_load_settings ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (gtk_app, accels[i].action, accels[i].accels);

  /* Test-only hook for build-aux/screenshots: force the light or dark
   * style regardless of the desktop setting. */
  style = g_getenv ("BOUNCE_ASSISTANT_TEST_STYLE");
  if (g_strcmp0 (style, "dark") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);
  else if (g_strcmp0 (style, "light") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static void
bounce_application_activate (GApplication *app)
{
  BounceApplication *self = BOUNCE_APPLICATION (app);
  BounceWindow *window = bounce_application_get_window (self);
  const char *query;

  gtk_window_present (GTK_WINDOW (window));

  /* Test-only hook for build-aux/screenshots: open the catalogue browser
   * with a search already typed in. */
  query = g_getenv ("BOUNCE_ASSISTANT_TEST_CATALOGUE");
  if (query != NULL)
    {
      BounceCatalogueWindow *browser = bounce_catalogue_window_new (bounce_catalogue_get_default ());

      gtk_window_set_application (GTK_WINDOW (browser), GTK_APPLICATION (app));
      bounce_catalogue_window_set_query (browser, query);
      gtk_window_present (GTK_WINDOW (browser));
    }
}

static void
bounce_application_open (GApplication  *app,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  BounceApplication *self = BOUNCE_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      BounceWindow *window;

      /* The first file goes to the current window, any further ones get
       * a window each so no message replaces another. */
      if (i == 0)
        window = bounce_application_get_window (self);
      else
        window = bounce_application_new_window (self);

      bounce_window_open_file (window, files[i]);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
bounce_application_dispose (GObject *object)
{
  BounceApplication *self = BOUNCE_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bounce_application_parent_class)->dispose (object);
}

static void
bounce_application_class_init (BounceApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = bounce_application_dispose;

  app_class->startup = bounce_application_startup;
  app_class->activate = bounce_application_activate;
  app_class->open = bounce_application_open;
  app_class->handle_local_options = bounce_application_handle_local_options;
}

static void
bounce_application_init (BounceApplication *self)
{
  GApplication *app = G_APPLICATION (self);

  g_application_add_main_option_entries (app, app_options);
  g_application_set_option_context_parameter_string (app, _("[FILE…]"));
  g_application_set_option_context_summary (app,
                                            _("Explains bounce messages (“your message could not be delivered”):\n"
                                              "what went wrong, whether it is permanent, and what to do.\n"
                                              "Opens each FILE (a saved message or an mbox) in a window."));
}
