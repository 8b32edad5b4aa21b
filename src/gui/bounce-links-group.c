/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "bounce-links-group.h"

struct _BounceLinksGroup
{
  AdwBin      parent_instance;

  GPtrArray  *links;
  GStrv       services;
  gboolean    show_closed;

  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (BounceLinksGroup, bounce_links_group, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SHOW_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
service_enabled (BounceLinksGroup *self,
                 BounceLink       *link)
{
  if (self->services == NULL || self->services[0] == NULL)
    return TRUE;
  return link->service_id != NULL
         && g_strv_contains ((const char * const *) self->services, link->service_id);
}

static gboolean
link_shown (BounceLinksGroup *self,
            BounceLink       *link)
{
  if (link->closed && !self->show_closed)
    return FALSE;
  /* A list the bounce names is always offered: it is the one that matters. */
  if (link->named)
    return TRUE;
  return service_enabled (self, link);
}

static GtkWidget *
make_row (BounceLink *link)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("adw-external-link-symbolic");
  g_autoptr(GString) subtitle = g_string_new (link->target);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), link->title);

  if (link->named)
    {
      GtkWidget *tag = gtk_label_new (_("Named in the bounce"));

      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "verdict-badge");
      gtk_widget_add_css_class (tag, "temporary");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
    }
  if (link->closed)
    {
      GtkWidget *tag = gtk_label_new (_("Closed"));

      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "verdict-badge");
      gtk_widget_add_css_class (tag, "neutral");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
      g_string_append (subtitle, " · ");
      g_string_append (subtitle, _("This list has shut down; the link explains what happened to it"));
      gtk_widget_add_css_class (row, "closed-list");
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, link->url);
  g_object_set_data_full (G_OBJECT (row), "url", g_strdup (link->url), g_free);

  return row;
}

static void
bounce_links_group_rebuild (BounceLinksGroup *self)
{
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  /* Two passes keep the lists the bounce names on top even if the core's
   * order changes. */
  for (guint pass = 0; pass < 2 && self->links != NULL; pass++)
    {
      for (guint i = 0; i < self->links->len; i++)
        {
          BounceLink *link = g_ptr_array_index (self->links, i);

          if ((pass == 0) != !!link->named || !link_shown (self, link))
            continue;
          gtk_list_box_append (self->list, make_row (link));
          shown++;
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self), shown > 0);
}

static void
on_row_activated (BounceLinksGroup *self,
                  GtkListBoxRow    *row)
{
  const char *url = g_object_get_data (G_OBJECT (row), "url");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* gtk_show_uri goes through the OpenURI portal inside Flatpak. */
  if (url != NULL)
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, url, GDK_CURRENT_TIME);
}

void
bounce_links_group_set_links (BounceLinksGroup *self,
                              GPtrArray        *links)
{
  g_return_if_fail (BOUNCE_IS_LINKS_GROUP (self));

  if (links != NULL)
    g_ptr_array_ref (links);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  self->links = links;
  bounce_links_group_rebuild (self);
}

void
bounce_links_group_set_services (BounceLinksGroup   *self,
                                 const char * const *services)
{
  g_return_if_fail (BOUNCE_IS_LINKS_GROUP (self));

  g_strfreev (self->services);
  self->services = g_strdupv ((char **) services);
  bounce_links_group_rebuild (self);
}

gboolean
bounce_links_group_get_show_closed (BounceLinksGroup *self)
{
  g_return_val_if_fail (BOUNCE_IS_LINKS_GROUP (self), FALSE);
  return self->show_closed;
}

void
bounce_links_group_set_show_closed (BounceLinksGroup *self,
                                    gboolean          show_closed)
{
  g_return_if_fail (BOUNCE_IS_LINKS_GROUP (self));

  show_closed = !!show_closed;
  if (self->show_closed == show_closed)
    return;

  self->show_closed = show_closed;
  bounce_links_group_rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_CLOSED]);
}

GStrv
bounce_links_group_dup_urls (BounceLinksGroup *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (BOUNCE_IS_LINKS_GROUP (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *url = g_object_get_data (G_OBJECT (child), "url");

      if (url != NULL)
        g_strv_builder_add (builder, url);
    }

  return g_strv_builder_end (builder);
}

guint
bounce_links_group_get_n_shown (BounceLinksGroup *self)
{
  g_auto(GStrv) urls = bounce_links_group_dup_urls (self);

  return g_strv_length (urls);
}

static void
bounce_links_group_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BounceLinksGroup *self = BOUNCE_LINKS_GROUP (object);

  switch (prop_id)
    {
    case PROP_SHOW_CLOSED:
      g_value_set_boolean (value, self->show_closed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_links_group_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BounceLinksGroup *self = BOUNCE_LINKS_GROUP (object);

  switch (prop_id)
    {
    case PROP_SHOW_CLOSED:
      bounce_links_group_set_show_closed (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_links_group_dispose (GObject *object)
{
  BounceLinksGroup *self = BOUNCE_LINKS_GROUP (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOUNCE_TYPE_LINKS_GROUP);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_clear_pointer (&self->services, g_strfreev);

  G_OBJECT_CLASS (bounce_links_group_parent_class)->dispose (object);
}

static void
bounce_links_group_class_init (BounceLinksGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bounce_links_group_dispose;
  object_class->get_property = bounce_links_group_get_property;
  object_class->set_property = bounce_links_group_set_property;

  properties[PROP_SHOW_CLOSED] =
    g_param_spec_boolean ("show-closed", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/bounce-links-group.ui");
  gtk_widget_class_bind_template_child (widget_class, BounceLinksGroup, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
bounce_links_group_init (BounceLinksGroup *self)
{
  self->show_closed = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
