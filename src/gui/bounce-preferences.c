/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "bounce-preferences.h"

struct _BouncePreferences
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  BounceCatalogue      *catalogue;
  GPtrArray            *service_switches;   /* GtkSwitch, with "service-id" data */
  gboolean              updating;

  GtkSwitch            *show_admin_switch;
  GtkSwitch            *restore_switch;
  GtkSwitch            *closed_switch;
  AdwPreferencesGroup  *services_group;
};

G_DEFINE_FINAL_TYPE (BouncePreferences, bounce_preferences, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_CATALOGUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

BouncePreferences *
bounce_preferences_new (GSettings       *settings,
                        BounceCatalogue *catalogue)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (BOUNCE_TYPE_PREFERENCES,
                       "settings", settings,
                       "catalogue", catalogue,
                       NULL);
}

/* blocklist-services holds the services to offer; an empty list means all
 * of them, so services added to a newer catalogue show up by default. */
static void
load_services (BouncePreferences *self)
{
  g_auto(GStrv) enabled = g_settings_get_strv (self->settings, "blocklist-services");
  gboolean all = enabled[0] == NULL;

  self->updating = TRUE;
  for (guint i = 0; i < self->service_switches->len; i++)
    {
      GtkSwitch *sw = g_ptr_array_index (self->service_switches, i);
      const char *id = g_object_get_data (G_OBJECT (sw), "service-id");

      gtk_switch_set_active (sw, all || g_strv_contains ((const char * const *) enabled, id));
    }
  self->updating = FALSE;
}

static void
on_service_toggled (BouncePreferences *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) enabled = NULL;
  gboolean all = TRUE;

  if (self->updating)
    return;

  for (guint i = 0; i < self->service_switches->len; i++)
    {
      GtkSwitch *sw = g_ptr_array_index (self->service_switches, i);

      if (gtk_switch_get_active (sw))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (sw), "service-id"));
      else
        all = FALSE;
    }

  enabled = g_strv_builder_end (builder);
  if (all)
    g_settings_set_strv (self->settings, "blocklist-services", NULL);
  else
    g_settings_set_strv (self->settings, "blocklist-services", (const char * const *) enabled);
}

static void
bounce_preferences_add_services (BouncePreferences *self)
{
  GPtrArray *blocklists;

  if (self->catalogue == NULL)
    return;

  blocklists = bounce_catalogue_get_blocklists (self->catalogue);
  for (guint i = 0; blocklists != NULL && i < blocklists->len; i++)
    {
      BounceEntry *entry = g_ptr_array_index (blocklists, i);
      GtkWidget *row;
      GtkWidget *sw;

      /* Closed lists have their own switch above. */
      if (bounce_entry_get_closed (entry))
        continue;

      row = adw_action_row_new ();
      sw = gtk_switch_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), bounce_entry_get_title (entry));
      if (bounce_entry_get_multi (entry))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Checks many lists at once"));
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (sw), "service-id",
                              g_strdup (bounce_entry_get_id (entry)), g_free);
      g_signal_connect_swapped (sw, "notify::active", G_CALLBACK (on_service_toggled), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      adw_preferences_group_add (self->services_group, row);
      g_ptr_array_add (self->service_switches, sw);
    }
}

static void
bounce_preferences_constructed (GObject *object)
{
  BouncePreferences *self = BOUNCE_PREFERENCES (object);

  G_OBJECT_CLASS (bounce_preferences_parent_class)->constructed (object);

  g_settings_bind (self->settings, "show-admin-sections",
                   self->show_admin_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "restore-last-text",
                   self->restore_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "show-closed-lists",
                   self->closed_switch, "active", G_SETTINGS_BIND_DEFAULT);

  bounce_preferences_add_services (self);
  load_services (self);
  g_signal_connect_object (self->settings, "changed::blocklist-services",
                           G_CALLBACK (load_services), self, G_CONNECT_SWAPPED);
}

static void
bounce_preferences_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BouncePreferences *self = BOUNCE_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_CATALOGUE:
      g_value_set_object (value, self->catalogue);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_preferences_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BouncePreferences *self = BOUNCE_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_CATALOGUE:
      self->catalogue = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_preferences_dispose (GObject *object)
{
  BouncePreferences *self = BOUNCE_PREFERENCES (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOUNCE_TYPE_PREFERENCES);
  g_clear_pointer (&self->service_switches, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->catalogue);

  G_OBJECT_CLASS (bounce_preferences_parent_class)->dispose (object);
}

static void
bounce_preferences_class_init (BouncePreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bounce_preferences_constructed;
  object_class->dispose = bounce_preferences_dispose;
  object_class->get_property = bounce_preferences_get_property;
  object_class->set_property = bounce_preferences_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATALOGUE] =
    g_param_spec_object ("catalogue", NULL, NULL, BOUNCE_TYPE_CATALOGUE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/bounce-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, BouncePreferences, show_admin_switch);
  gtk_widget_class_bind_template_child (widget_class, BouncePreferences, restore_switch);
  gtk_widget_class_bind_template_child (widget_class, BouncePreferences, closed_switch);
  gtk_widget_class_bind_template_child (widget_class, BouncePreferences, services_group);
}

static void
bounce_preferences_init (BouncePreferences *self)
{
  self->service_switches = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
