/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "bounce-links-group.h"
#include "bounce-wrap.h"
#include "bounce-open-link.h"

struct _BounceLinksGroup
{
  AdwBin      parent_instance;

  GPtrArray  *links;
  GPtrArray  *named;      /* BounceEntry: the lists the bounce names */
  GStrv       services;
  gboolean    show_closed;
  gboolean    can_check;
  GPtrArray  *results;    /* BounceBlocklistResult of the last live check */
  guint       n_rows;     /* rows in list */

  GtkListBox *list;
  GtkWidget  *check_box;
  GtkWidget  *check_button;
  GtkSpinner *check_spinner;
  GtkLabel   *check_notice;
  GtkWidget  *results_box;
  GtkListBox *results_list;
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

/* The title label of a libadwaita row (style class "title"), or NULL. */
static GtkWidget *
row_title (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "title"))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = row_title (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
add_badge (GtkWidget  *row,
           const char *text,
           const char *css_class)
{
  GtkWidget *badge = gtk_label_new (text);
  GtkWidget *bin = adw_bin_new ();
  GtkWidget *title = row_title (row);

  gtk_widget_set_valign (bin, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "verdict-badge");
  gtk_widget_add_css_class (badge, css_class);
  /* The row's title keeps about twelve characters a line: it wraps
   * anywhere, so without a narrowest width of its own a long badge ("Cité
   * dans la non-remise") squeezed it to a letter a line at 360 px.  The
   * badge takes two lines only where it does not fit beside that. */
  if (title != NULL)
    gtk_label_set_width_chars (GTK_LABEL (title), BOUNCE_WRAP_TITLE_CHARS);
  gtk_label_set_wrap (GTK_LABEL (badge), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (badge), PANGO_WRAP_WORD);
  gtk_label_set_justify (GTK_LABEL (badge), GTK_JUSTIFY_CENTER);
  /* (a wrapping label asks for a width near its narrowest otherwise) */
  gtk_label_set_max_width_chars (GTK_LABEL (badge), 40);
  /* Asked its width for the row's height, a wrapping label answers with
   * as many lines as that height holds: the bin asks for one line. */
  adw_bin_set_child (ADW_BIN (bin), badge);
  bounce_wrap_set_row_layout (bin, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), bin);
}

static GtkWidget *
make_row (const char *title,
          const char *subtitle,
          gboolean    named,
          gboolean    closed)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle ? subtitle : "");
  if (named)
    add_badge (row, _("Named in the bounce"), "temporary");
  if (closed)
    {
      add_badge (row, _("Closed"), "neutral");
      gtk_widget_add_css_class (row, "closed-list");
    }

  return row;
}

static GtkWidget *
make_link_row (BounceLink *link)
{
  g_autoptr(GString) subtitle = g_string_new (link->target);
  GtkWidget *row;

  if (link->closed)
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append (subtitle, _("This list has shut down; the link explains what happened to it"));
    }

  row = make_row (link->title, subtitle->str, link->named, link->closed);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             g_object_new (GTK_TYPE_IMAGE,
                                           "icon-name", "adw-external-link-symbolic",
                                           "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                           NULL));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, link->url);
  g_object_set_data_full (G_OBJECT (row), "url", g_strdup (link->url), g_free);

  return row;
}

/* A list the bounce names but the core has no page for (a closed list
 * without an information page): it still tells the helpdesk something. */
static GtkWidget *
make_named_row (BounceEntry *entry)
{
  return make_row (bounce_entry_get_title (entry), bounce_entry_get_explanation (entry),
                   TRUE, bounce_entry_get_closed (entry));
}

static gboolean
has_link_for (BounceLinksGroup *self,
              BounceEntry      *entry)
{
  for (guint i = 0; self->links != NULL && i < self->links->len; i++)
    {
      BounceLink *link = g_ptr_array_index (self->links, i);

      if (g_strcmp0 (link->service_id, bounce_entry_get_id (entry)) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Shown when it has something to offer: a link, a check, or its results. */
static void
bounce_links_group_update_visible (BounceLinksGroup *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self), self->n_rows > 0 || self->can_check || self->results != NULL);
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
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; self->links != NULL && i < self->links->len; i++)
        {
          BounceLink *link = g_ptr_array_index (self->links, i);

          if ((pass == 0) != !!link->named || !link_shown (self, link))
            continue;
          gtk_list_box_append (self->list, make_link_row (link));
          shown++;
        }

      for (guint i = 0; pass == 0 && self->named != NULL && i < self->named->len; i++)
        {
          BounceEntry *entry = g_ptr_array_index (self->named, i);

          if (has_link_for (self, entry) || (bounce_entry_get_closed (entry) && !self->show_closed))
            continue;
          gtk_list_box_append (self->list, make_named_row (entry));
          shown++;
        }
    }

  self->n_rows = shown;
  bounce_links_group_update_visible (self);
}

static void
on_row_activated (BounceLinksGroup *self,
                  GtkListBoxRow    *row)
{
  const char *url = g_object_get_data (G_OBJECT (row), "url");

  if (url != NULL)
    bounce_open_link (GTK_WIDGET (row), url);
}

static void
on_link_button_clicked (GtkButton *button,
                        gpointer   user_data)
{
  const char *url = g_object_get_data (G_OBJECT (button), "url");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  if (url != NULL)
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, url, GDK_CURRENT_TIME);
}

/* A flat button opening url in the browser, at the end of a row. */
static void
add_link_button (GtkWidget  *row,
                 const char *label,
                 const char *url)
{
  GtkWidget *button;

  if (url == NULL)
    return;
  button = gtk_button_new_with_mnemonic (label);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, url);
  g_object_set_data_full (G_OBJECT (button), "url", g_strdup (url), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_link_button_clicked), NULL);
  if (ADW_IS_EXPANDER_ROW (row))
    adw_expander_row_add_action (ADW_EXPANDER_ROW (row), button);
  else
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
}

static GtkWidget *
make_result_row (BounceBlocklistResult *result)
{
  GtkWidget *row;

  /* Everything here may come from the network (the list's TXT words):
   * plain text only, never markup. */
  if (result->status == BOUNCE_BLOCKLIST_LISTED)
    {
      row = adw_expander_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), result->title);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), result->target);
      for (guint i = 0; i < result->listings->len; i++)
        {
          BounceBlocklistListing *listing = result->listings->pdata[i];
          GtkWidget *child = adw_action_row_new ();

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (child), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), listing->list_title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (child), listing->meaning);
          add_link_button (child, _("_Look Up"), listing->lookup_url);
          add_link_button (child, _("_Removal"), listing->delist_url);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);
        }
      if (result->reason != NULL)
        {
          GtkWidget *child = adw_action_row_new ();

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (child), FALSE);
          /* Translators: followed by the reason text the blocklist itself gives */
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), _("The list says"));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (child), result->reason);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);
        }
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      {
        GtkWidget *badge = gtk_label_new (_("Listed"));

        gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
        gtk_widget_add_css_class (badge, "verdict-badge");
        gtk_widget_add_css_class (badge, "permanent");
        adw_expander_row_add_action (ADW_EXPANDER_ROW (row), badge);
      }
      return row;
    }

  if (result->status == BOUNCE_BLOCKLIST_NOT_LISTED)
    {
      row = make_row (result->title, result->target, FALSE, FALSE);
      add_badge (row, _("Not listed"), "success");
      return row;
    }

  {
    /* Translators: "192.0.2.1 · The list did not answer within 4 seconds." */
    g_autofree char *subtitle = g_strdup_printf (_("%s · %s"), result->target,
                                                 result->detail != NULL ? result->detail : "");

    row = make_row (result->title, subtitle, FALSE, FALSE);
    add_badge (row, _("Not checked"), "neutral");
    add_link_button (row, _("_Look Up"), result->lookup_url);
  }
  return row;
}

void
bounce_links_group_set_check_notice (BounceLinksGroup *self,
                                     const char       *notice)
{
  g_return_if_fail (BOUNCE_IS_LINKS_GROUP (self));

  self->can_check = notice != NULL;
  gtk_label_set_label (self->check_notice, notice != NULL ? notice : "");
  gtk_widget_set_visible (self->check_box, self->can_check);
  /* The rows do not depend on it. */
  bounce_links_group_update_visible (self);
}

void
bounce_links_group_set_checking (BounceLinksGroup *self,
                                 gboolean          checking)
{
  g_return_if_fail (BOUNCE_IS_LINKS_GROUP (self));

  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), checking);
  if (checking)
    gtk_spinner_start (self->check_spinner);
  else
    gtk_spinner_stop (self->check_spinner);
}

void
bounce_links_group_set_check_results (BounceLinksGroup *self,
                                      GPtrArray        *results)
{
  GtkWidget *child;

  g_return_if_fail (BOUNCE_IS_LINKS_GROUP (self));

  if (results != NULL)
    g_ptr_array_ref (results);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  self->results = results;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
  for (guint i = 0; results != NULL && i < results->len; i++)
    gtk_list_box_append (self->results_list, make_result_row (results->pdata[i]));
  gtk_widget_set_visible (self->results_box, results != NULL && results->len > 0);
  bounce_links_group_update_visible (self);
}

GtkWidget *
bounce_links_group_get_check_button (BounceLinksGroup *self)
{
  g_return_val_if_fail (BOUNCE_IS_LINKS_GROUP (self), NULL);
  return self->check_button;
}

guint
bounce_links_group_get_n_results (BounceLinksGroup *self)
{
  guint n = 0;

  g_return_val_if_fail (BOUNCE_IS_LINKS_GROUP (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

void
bounce_links_group_set_links (BounceLinksGroup *self,
                              GPtrArray        *links,
                              GPtrArray        *named)
{
  g_return_if_fail (BOUNCE_IS_LINKS_GROUP (self));

  if (links != NULL)
    g_ptr_array_ref (links);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  self->links = links;
  if (named != NULL)
    g_ptr_array_ref (named);
  g_clear_pointer (&self->named, g_ptr_array_unref);
  self->named = named;
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
  guint n = 0;

  g_return_val_if_fail (BOUNCE_IS_LINKS_GROUP (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
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
  g_clear_pointer (&self->named, g_ptr_array_unref);
  g_clear_pointer (&self->services, g_strfreev);
  g_clear_pointer (&self->results, g_ptr_array_unref);

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
  gtk_widget_class_bind_template_child (widget_class, BounceLinksGroup, check_box);
  gtk_widget_class_bind_template_child (widget_class, BounceLinksGroup, check_button);
  gtk_widget_class_bind_template_child (widget_class, BounceLinksGroup, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, BounceLinksGroup, check_notice);
  gtk_widget_class_bind_template_child (widget_class, BounceLinksGroup, results_box);
  gtk_widget_class_bind_template_child (widget_class, BounceLinksGroup, results_list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
bounce_links_group_init (BounceLinksGroup *self)
{
  self->show_closed = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
