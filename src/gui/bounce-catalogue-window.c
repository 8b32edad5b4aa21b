/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "bounce-a11y.h"
#include "bounce-catalogue-window.h"
#include "bounce-entry-card.h"
#include "bounce-wrap.h"

/* Building rows is the slow part of a search; nobody reads past this. */
#define MAX_ROWS 400

struct _BounceCatalogueWindow
{
  AdwWindow        parent_instance;

  BounceCatalogue *catalogue;
  GPtrArray       *results;     /* BounceEntry shown in the list */

  AdwLeaflet      *leaflet;
  GtkSearchEntry  *search_entry;
  GtkStack        *list_stack;
  GtkListBox      *results_list;
  AdwWindowTitle  *detail_title;
  GtkStack        *detail_stack;
  GtkScrolledWindow *detail_scroller;
  BounceEntryCard *card;
};

G_DEFINE_FINAL_TYPE (BounceCatalogueWindow, bounce_catalogue_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CATALOGUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

BounceCatalogueWindow *
bounce_catalogue_window_new (BounceCatalogue *catalogue)
{
  return g_object_new (BOUNCE_TYPE_CATALOGUE_WINDOW, "catalogue", catalogue, NULL);
}

static const char *
kind_label (BounceEntryKind kind)
{
  switch (kind)
    {
    case BOUNCE_ENTRY_CLASS:
      return _("Status class");
    case BOUNCE_ENTRY_SUBJECT:
      return _("Status group");
    case BOUNCE_ENTRY_ENHANCED:
      return _("Enhanced status code");
    case BOUNCE_ENTRY_REPLY:
      return _("SMTP reply code");
    case BOUNCE_ENTRY_RULE:
      return _("Server message");
    case BOUNCE_ENTRY_REASON:
      return _("Reason");
    case BOUNCE_ENTRY_BLOCKLIST:
      return _("Blocklist");
    case BOUNCE_ENTRY_PROVIDER:
      return _("Mail provider");
    default:
      return "";
    }
}

static GtkWidget *
make_row (BounceCatalogue *catalogue,
          BounceEntry     *entry)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (bounce_entry_get_title (entry));
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *sub;
  const char *code = bounce_entry_get_code (entry);

  if (code != NULL && bounce_entry_get_kind (entry) != BOUNCE_ENTRY_REASON
      && bounce_entry_get_kind (entry) != BOUNCE_ENTRY_PROVIDER)
    {
      g_string_append (subtitle, code);
      g_string_append (subtitle, " · ");
    }
  g_string_append (subtitle, kind_label (bounce_entry_get_kind (entry)));
  if (bounce_entry_get_provider (entry) != NULL)
    {
      BounceEntry *provider = bounce_catalogue_find_provider (catalogue, bounce_entry_get_provider (entry));

      g_string_append (subtitle, " · ");
      g_string_append (subtitle, provider ? bounce_entry_get_title (provider) : bounce_entry_get_provider (entry));
    }
  if (bounce_entry_get_closed (entry))
    {
      g_string_append (subtitle, " · ");
      g_string_append (subtitle, _("Closed"));
    }
  /* Rules often share a title; a line they match tells them apart. */
  if (bounce_entry_get_kind (entry) == BOUNCE_ENTRY_RULE && bounce_entry_get_examples (entry)[0] != NULL)
    {
      g_string_append (subtitle, " · ");
      /* Translators: a line from a bounce, quoted */
      g_string_append_printf (subtitle, _("“%s”"), bounce_entry_get_examples (entry)[0]);
    }

  sub = gtk_label_new (subtitle->str);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  bounce_wrap_label_without_hyphens (GTK_LABEL (title));
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_widget_add_css_class (sub, "caption");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), sub);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, bounce_entry_get_title (entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle->str,
                                  -1);

  return row;
}

static void
bounce_catalogue_window_search (BounceCatalogueWindow *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) results = NULL;
  GtkWidget *child;
  g_autofree char *stripped = g_strstrip (g_strdup (query));

  if (self->catalogue == NULL)
    return;

  if (*stripped == '\0')
    results = g_ptr_array_ref (bounce_catalogue_get_entries (self->catalogue));
  else
    results = bounce_catalogue_search (self->catalogue, stripped);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);

  g_clear_pointer (&self->results, g_ptr_array_unref);
  self->results = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; results != NULL && i < results->len && self->results->len < MAX_ROWS; i++)
    {
      BounceEntry *entry = g_ptr_array_index (results, i);

      g_ptr_array_add (self->results, g_object_ref (entry));
      gtk_list_box_append (self->results_list, make_row (self->catalogue, entry));
    }

  gtk_stack_set_visible_child_name (self->list_stack, self->results->len > 0 ? "results" : "none");

  /* Side by side, the best match is read as it is typed. */
  if (*stripped != '\0' && self->results->len > 0 && !adw_leaflet_get_folded (self->leaflet))
    gtk_list_box_select_row (self->results_list, gtk_list_box_get_row_at_index (self->results_list, 0));
}

void
bounce_catalogue_window_set_query (BounceCatalogueWindow *self,
                                   const char            *query)
{
  g_return_if_fail (BOUNCE_IS_CATALOGUE_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query ? query : "");
  /* GtkSearchEntry delays ::search-changed; callers want results now. */
  bounce_catalogue_window_search (self);
  if (self->results->len > 0)
    {
      bounce_catalogue_window_show_entry (self, g_ptr_array_index (self->results, 0));
      gtk_list_box_select_row (self->results_list, gtk_list_box_get_row_at_index (self->results_list, 0));
    }
}

guint
bounce_catalogue_window_get_n_results (BounceCatalogueWindow *self)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE_WINDOW (self), 0);
  return self->results ? self->results->len : 0;
}

BounceEntry *
bounce_catalogue_window_get_result (BounceCatalogueWindow *self,
                                    guint                  index)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE_WINDOW (self), NULL);

  if (self->results == NULL || index >= self->results->len)
    return NULL;
  return g_ptr_array_index (self->results, index);
}

void
bounce_catalogue_window_show_entry (BounceCatalogueWindow *self,
                                    BounceEntry           *entry)
{
  g_return_if_fail (BOUNCE_IS_CATALOGUE_WINDOW (self));

  bounce_entry_card_set_entry (self->card, entry);
  adw_window_title_set_title (self->detail_title, entry ? bounce_entry_get_title (entry) : NULL);
  gtk_stack_set_visible_child_name (self->detail_stack, entry ? "entry" : "empty");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->detail_scroller), 0);
}

BounceEntry *
bounce_catalogue_window_get_shown_entry (BounceCatalogueWindow *self)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE_WINDOW (self), NULL);
  return bounce_entry_card_get_entry (self->card);
}

static void
on_search_changed (BounceCatalogueWindow *self)
{
  bounce_catalogue_window_search (self);
}

static void
on_search_activate (BounceCatalogueWindow *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->results_list, 0);

  if (row != NULL)
    {
      gtk_list_box_select_row (self->results_list, row);
      adw_leaflet_set_visible_child_name (self->leaflet, "detail");
    }
}

static void
on_stop_search (BounceCatalogueWindow *self)
{
  /* Escape clears the search first, then closes the window. */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
on_row_selected (BounceCatalogueWindow *self,
                 GtkListBoxRow         *row)
{
  if (row != NULL)
    bounce_catalogue_window_show_entry (self, bounce_catalogue_window_get_result (self, gtk_list_box_row_get_index (row)));
}

static void
on_row_activated (BounceCatalogueWindow *self,
                  GtkListBoxRow         *row)
{
  bounce_catalogue_window_show_entry (self, bounce_catalogue_window_get_result (self, gtk_list_box_row_get_index (row)));
  adw_leaflet_set_visible_child_name (self->leaflet, "detail");
}

static void
on_back_clicked (BounceCatalogueWindow *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
bounce_catalogue_window_constructed (GObject *object)
{
  BounceCatalogueWindow *self = BOUNCE_CATALOGUE_WINDOW (object);

  G_OBJECT_CLASS (bounce_catalogue_window_parent_class)->constructed (object);

  bounce_catalogue_window_search (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
bounce_catalogue_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  BounceCatalogueWindow *self = BOUNCE_CATALOGUE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CATALOGUE:
      g_value_set_object (value, self->catalogue);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_catalogue_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  BounceCatalogueWindow *self = BOUNCE_CATALOGUE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CATALOGUE:
      self->catalogue = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_catalogue_window_dispose (GObject *object)
{
  BounceCatalogueWindow *self = BOUNCE_CATALOGUE_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOUNCE_TYPE_CATALOGUE_WINDOW);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_object (&self->catalogue);

  G_OBJECT_CLASS (bounce_catalogue_window_parent_class)->dispose (object);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  BounceCatalogueWindow *self = BOUNCE_CATALOGUE_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
bounce_catalogue_window_class_init (BounceCatalogueWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bounce_catalogue_window_constructed;
  object_class->dispose = bounce_catalogue_window_dispose;
  object_class->get_property = bounce_catalogue_window_get_property;
  object_class->set_property = bounce_catalogue_window_set_property;

  properties[PROP_CATALOGUE] =
    g_param_spec_object ("catalogue", NULL, NULL, BOUNCE_TYPE_CATALOGUE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BOUNCE_TYPE_ENTRY_CARD);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/bounce-catalogue-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, results_list);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, detail_title);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, detail_scroller);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, card);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);

  gtk_widget_class_install_action (widget_class, "catalogue.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "catalogue.search", NULL);
}

static void
bounce_catalogue_window_init (BounceCatalogueWindow *self)
{
  GtkWidget *overlay = adw_toast_overlay_new ();
  g_autoptr(GtkWidget) content = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  /* A link that no browser opens is told in a toast (bounce_open_link). */
  content = g_object_ref (adw_window_get_content (ADW_WINDOW (self)));
  adw_window_set_content (ADW_WINDOW (self), NULL);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), content);
  adw_window_set_content (ADW_WINDOW (self), overlay);
  bounce_a11y_watch_toasts (ADW_TOAST_OVERLAY (overlay));
}
