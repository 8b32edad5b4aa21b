/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bounce-entry-card.h"
#include "bounce-open-link.h"
#include "bounce-wrap.h"

struct _BounceEntryCard
{
  AdwBin       parent_instance;

  BounceEntry *entry;
  BounceRecipient *recipient;   /* whose case the steps are chosen for, or NULL */
  gboolean     show_admin;
  gboolean     selectable;

  GtkWidget   *title_row;
  GtkLabel    *title;
  GtkLabel    *code;
  GtkLabel    *explanation;
  GtkWidget   *sender_heading;
  GtkBox      *sender_steps;
  GtkWidget   *admin_heading;
  GtkBox      *admin_steps;
  GtkBox      *links;
};

G_DEFINE_FINAL_TYPE (BounceEntryCard, bounce_entry_card, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ENTRY,
  PROP_SHOW_ADMIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
bounce_entry_card_new (BounceEntry *entry)
{
  return g_object_new (BOUNCE_TYPE_ENTRY_CARD, "entry", entry, NULL);
}

static void
remove_children (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

/* Selectable with the mouse, but no stop for the keyboard: the card as a
 * whole is one, and a screen reader reads its text from there. */
static void
set_selectable (GtkLabel *label,
                gboolean  selectable)
{
  gtk_label_set_selectable (label, selectable);
  gtk_widget_set_focusable (GTK_WIDGET (label), FALSE);
}

static guint
fill_steps (GtkBox    *box,
            GPtrArray *steps,
            gboolean   selectable)
{
  guint n = 0;

  remove_children (box);
  for (; steps != NULL && n < steps->len; n++)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      g_autofree char *number = g_strdup_printf ("%u.", n + 1);
      g_autofree char *text = bounce_step_to_string (steps->pdata[n]);
      GtkWidget *num_label = gtk_label_new (number);
      GtkWidget *text_label = gtk_label_new (text);

      gtk_widget_add_css_class (num_label, "dim-label");
      gtk_widget_add_css_class (num_label, "numeric");
      gtk_label_set_yalign (GTK_LABEL (num_label), 0);
      gtk_widget_set_size_request (num_label, 18, -1);
      gtk_label_set_xalign (GTK_LABEL (num_label), 1);
      gtk_label_set_xalign (GTK_LABEL (text_label), 0);
      gtk_label_set_wrap (GTK_LABEL (text_label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (text_label), PANGO_WRAP_WORD_CHAR);
      /* (see the explanation's width-chars) */
      gtk_label_set_width_chars (GTK_LABEL (text_label), BOUNCE_WRAP_TEXT_CHARS);
      set_selectable (GTK_LABEL (text_label), selectable);
      gtk_widget_set_hexpand (text_label, TRUE);
      bounce_wrap_set_row_layout (row, 6);
      gtk_box_append (GTK_BOX (row), num_label);
      gtk_box_append (GTK_BOX (row), text_label);
      gtk_box_append (box, row);
    }

  return n;
}

static char *
link_label_for_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri != NULL && g_uri_get_host (uri) != NULL)
    return g_strdup (g_uri_get_host (uri));

  return g_strdup (url);
}

static gboolean
on_activate_link (GtkLinkButton *button)
{
  /* Not GTK's own handler: without a browser it shows a raw error dialog. */
  bounce_open_link (GTK_WIDGET (button), gtk_link_button_get_uri (button));
  return TRUE;
}

static void
add_link (BounceEntryCard *self,
          const char      *label,
          const char      *url)
{
  GtkWidget *button;

  /* Each page once: a list's lookup, removal and source page are often
   * the same. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->links));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_strcmp0 (gtk_link_button_get_uri (GTK_LINK_BUTTON (child)), url) == 0)
        return;
    }

  button = gtk_link_button_new_with_label (url, label);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (button, url);
  g_signal_connect (button, "activate-link", G_CALLBACK (on_activate_link), NULL);
  gtk_box_append (self->links, button);
}

/* Only the steps that apply to the recipient's case; without a recipient
 * (the catalogue browser) every step, each with its condition.  For the
 * recipient's own first entry, the steps bounce-explain gives it. */
static GPtrArray *
shown_steps (BounceEntryCard *self,
             gboolean         admin)
{
  BounceStepContext context;
  GPtrArray *entries;

  if (self->recipient == NULL)
    return bounce_entry_select_steps (self->entry, admin, NULL);
  entries = bounce_recipient_get_entries (self->recipient);
  if (entries != NULL && entries->len > 0 && entries->pdata[0] == self->entry)
    return bounce_recipient_select_steps (self->recipient, admin);
  bounce_recipient_get_step_context (self->recipient, &context);
  return bounce_entry_select_steps (self->entry, admin, &context);
}

char *
bounce_entry_card_dup_steps (BounceEntryCard *self,
                             gboolean         admin)
{
  g_autoptr(GPtrArray) steps = NULL;
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (BOUNCE_IS_ENTRY_CARD (self), NULL);

  if (self->entry != NULL)
    steps = shown_steps (self, admin);
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      g_autofree char *text = bounce_step_to_string (steps->pdata[i]);

      g_string_append_printf (out, "%s%u. %s", i > 0 ? "\n" : "", i + 1, text);
    }
  return g_string_free (out, FALSE);
}

/* An https page to open as it is; for a lookup template ("...?ip={ip}"),
 * the start page of its site, where an address can be typed in.  NULL
 * for anything else. */
static char *
page_of (const char *url)
{
  g_autofree char *prefix = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *brace;

  if (url == NULL)
    return NULL;

  brace = strchr (url, '{');
  prefix = brace != NULL ? g_strndup (url, brace - url) : g_strdup (url);
  uri = g_uri_parse (prefix, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 || g_uri_get_host (uri) == NULL)
    return NULL;
  if (brace != NULL)
    return g_strdup_printf ("https://%s/", g_uri_get_host (uri));
  return g_uri_to_string (uri);
}

/* Without a bounce there is no address to look up: a blocklist's card
 * offers its lookup and removal pages as they are. */
static void
add_blocklist_links (BounceEntryCard *self,
                     BounceEntry     *entry)
{
  const char *lookup = bounce_entry_get_lookup_ip (entry);
  g_autofree char *lookup_page = NULL;
  g_autofree char *removal_page = NULL;

  if (bounce_entry_get_closed (entry))
    return;

  if (lookup == NULL)
    lookup = bounce_entry_get_lookup_domain (entry);
  lookup_page = page_of (lookup);
  removal_page = page_of (bounce_entry_get_delist_url (entry));

  if (lookup_page != NULL)
    {
      g_autofree char *host = link_label_for_url (lookup_page);
      /* Translators: %s is a web site, e.g. "check.spamhaus.org" */
      g_autofree char *label = g_strdup_printf (_("Lookup page: %s"), host);

      add_link (self, label, lookup_page);
    }
  if (removal_page != NULL)
    {
      g_autofree char *host = link_label_for_url (removal_page);
      /* Translators: %s is a web site, e.g. "www.barracudacentral.org" */
      g_autofree char *label = g_strdup_printf (_("Removal page: %s"), host);

      add_link (self, label, removal_page);
    }
}

static void
append_steps (GString    *out,
              const char *heading,
              GPtrArray  *steps)
{
  g_string_append_printf (out, " %s:", heading);
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      g_autofree char *text = bounce_step_to_string (steps->pdata[i]);

      g_string_append_printf (out, " %u. %s", i + 1, text);
    }
}

/* What a screen reader says for the card: its title, and its explanation
 * with the steps shown. */
static void
bounce_entry_card_update_accessible (BounceEntryCard *self,
                                     GPtrArray       *sender,
                                     GPtrArray       *admin)
{
  BounceEntry *entry = self->entry;
  g_autoptr(GString) description = g_string_new (NULL);

  if (bounce_entry_get_explanation (entry) != NULL)
    g_string_append (description, bounce_entry_get_explanation (entry));
  if (sender != NULL && sender->len > 0)
    append_steps (description, gtk_label_get_label (GTK_LABEL (self->sender_heading)), sender);
  if (admin != NULL && admin->len > 0 && self->show_admin)
    append_steps (description, gtk_label_get_label (GTK_LABEL (self->admin_heading)), admin);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, bounce_entry_get_title (entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, g_strchug (description->str),
                                  -1);
}

static void
bounce_entry_card_update (BounceEntryCard *self)
{
  BounceEntry *entry = self->entry;
  const char *code;
  guint n_sender, n_admin;
  GPtrArray *entry_links;
  g_autoptr(GPtrArray) sender = NULL;
  g_autoptr(GPtrArray) admin = NULL;

  remove_children (self->links);
  if (entry == NULL)
    {
      fill_steps (self->sender_steps, NULL, FALSE);
      fill_steps (self->admin_steps, NULL, FALSE);
      return;
    }

  gtk_label_set_label (self->title, bounce_entry_get_title (entry));

  code = bounce_entry_get_code (entry);
  /* Reason names and provider codes are internal identifiers, not
   * something to show. */
  if (bounce_entry_get_kind (entry) == BOUNCE_ENTRY_REASON
      || bounce_entry_get_kind (entry) == BOUNCE_ENTRY_BLOCKLIST
      || bounce_entry_get_kind (entry) == BOUNCE_ENTRY_PROVIDER)
    code = NULL;
  gtk_label_set_label (self->code, code ? code : "");
  gtk_widget_set_visible (GTK_WIDGET (self->code), code != NULL);

  gtk_label_set_label (self->explanation, bounce_entry_get_explanation (entry)
                                          ? bounce_entry_get_explanation (entry) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->explanation),
                          bounce_entry_get_explanation (entry) != NULL);

  set_selectable (self->title, self->selectable);
  set_selectable (self->code, self->selectable);
  set_selectable (self->explanation, self->selectable);
  sender = shown_steps (self, FALSE);
  admin = shown_steps (self, TRUE);
  n_sender = fill_steps (self->sender_steps, sender, self->selectable);
  gtk_widget_set_visible (self->sender_heading, n_sender > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->sender_steps), n_sender > 0);

  n_admin = fill_steps (self->admin_steps, admin, self->selectable);
  gtk_widget_set_visible (self->admin_heading, n_admin > 0 && self->show_admin);
  gtk_widget_set_visible (GTK_WIDGET (self->admin_steps), n_admin > 0 && self->show_admin);

  entry_links = bounce_entry_get_links (entry);
  for (guint i = 0; entry_links != NULL && i < entry_links->len; i++)
    {
      BounceEntryLink *link = g_ptr_array_index (entry_links, i);

      /* Templates need an address from a bounce: the links group has them. */
      if (link->url == NULL || strchr (link->url, '{') != NULL)
        continue;
      add_link (self, link->title ? link->title : link->url, link->url);
    }

  if (bounce_entry_get_kind (entry) == BOUNCE_ENTRY_BLOCKLIST)
    add_blocklist_links (self, entry);

  if (bounce_entry_get_source_url (entry) != NULL)
    {
      g_autofree char *host = link_label_for_url (bounce_entry_get_source_url (entry));
      /* Translators: %s is a web site, e.g. "www.rfc-editor.org" */
      g_autofree char *label = g_strdup_printf (_("Source: %s"), host);

      add_link (self, label, bounce_entry_get_source_url (entry));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->links),
                          gtk_widget_get_first_child (GTK_WIDGET (self->links)) != NULL);

  bounce_entry_card_update_accessible (self, sender, admin);
  bounce_wrap_without_hyphens (GTK_WIDGET (self));
}

void
bounce_entry_card_set_selectable (BounceEntryCard *self,
                                  gboolean         selectable)
{
  g_return_if_fail (BOUNCE_IS_ENTRY_CARD (self));

  self->selectable = !!selectable;
  bounce_entry_card_update (self);
}

BounceEntry *
bounce_entry_card_get_entry (BounceEntryCard *self)
{
  g_return_val_if_fail (BOUNCE_IS_ENTRY_CARD (self), NULL);
  return self->entry;
}

void
bounce_entry_card_set_entry (BounceEntryCard *self,
                             BounceEntry     *entry)
{
  g_return_if_fail (BOUNCE_IS_ENTRY_CARD (self));
  g_return_if_fail (!entry || BOUNCE_IS_ENTRY (entry));

  if (g_set_object (&self->entry, entry))
    {
      bounce_entry_card_update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY]);
    }
}

void
bounce_entry_card_set_recipient (BounceEntryCard *self,
                                 BounceRecipient *recipient)
{
  g_return_if_fail (BOUNCE_IS_ENTRY_CARD (self));
  g_return_if_fail (!recipient || BOUNCE_IS_RECIPIENT (recipient));

  if (g_set_object (&self->recipient, recipient))
    bounce_entry_card_update (self);
}

BounceRecipient *
bounce_entry_card_get_recipient (BounceEntryCard *self)
{
  g_return_val_if_fail (BOUNCE_IS_ENTRY_CARD (self), NULL);
  return self->recipient;
}

gboolean
bounce_entry_card_get_show_admin (BounceEntryCard *self)
{
  g_return_val_if_fail (BOUNCE_IS_ENTRY_CARD (self), FALSE);
  return self->show_admin;
}

void
bounce_entry_card_set_show_admin (BounceEntryCard *self,
                                  gboolean         show_admin)
{
  g_return_if_fail (BOUNCE_IS_ENTRY_CARD (self));

  show_admin = !!show_admin;
  if (self->show_admin == show_admin)
    return;

  self->show_admin = show_admin;
  bounce_entry_card_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_ADMIN]);
}

static void
bounce_entry_card_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BounceEntryCard *self = BOUNCE_ENTRY_CARD (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;
    case PROP_SHOW_ADMIN:
      g_value_set_boolean (value, self->show_admin);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_entry_card_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BounceEntryCard *self = BOUNCE_ENTRY_CARD (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      bounce_entry_card_set_entry (self, g_value_get_object (value));
      break;
    case PROP_SHOW_ADMIN:
      bounce_entry_card_set_show_admin (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_entry_card_dispose (GObject *object)
{
  BounceEntryCard *self = BOUNCE_ENTRY_CARD (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOUNCE_TYPE_ENTRY_CARD);
  g_clear_object (&self->entry);
  g_clear_object (&self->recipient);

  G_OBJECT_CLASS (bounce_entry_card_parent_class)->dispose (object);
}

/* One focus stop for the card, then its links. */
static gboolean
bounce_entry_card_focus (GtkWidget        *widget,
                         GtkDirectionType  direction)
{
  BounceEntryCard *self = BOUNCE_ENTRY_CARD (widget);
  GtkWidget *links = GTK_WIDGET (self->links);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  gboolean in_links = focus != NULL && gtk_widget_is_ancestor (focus, links);
  gboolean backward = direction == GTK_DIR_TAB_BACKWARD || direction == GTK_DIR_UP
                      || direction == GTK_DIR_LEFT;

  if (self->entry == NULL)
    return FALSE;

  if (!backward)
    {
      if (!gtk_widget_is_focus (widget) && !in_links)
        return gtk_widget_grab_focus (widget);
      return gtk_widget_get_visible (links) && gtk_widget_child_focus (links, direction);
    }

  /* Backward: the links, last first, then the card itself. */
  if (in_links && gtk_widget_child_focus (links, direction))
    return TRUE;
  if (in_links)
    return gtk_widget_grab_focus (widget);
  if (gtk_widget_is_focus (widget))
    return FALSE;
  if (gtk_widget_get_visible (links) && gtk_widget_child_focus (links, direction))
    return TRUE;
  return gtk_widget_grab_focus (widget);
}

static void
bounce_entry_card_class_init (BounceEntryCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bounce_entry_card_dispose;
  object_class->get_property = bounce_entry_card_get_property;
  object_class->set_property = bounce_entry_card_set_property;

  widget_class->focus = bounce_entry_card_focus;

  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, BOUNCE_TYPE_ENTRY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_ADMIN] =
    g_param_spec_boolean ("show-admin", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/bounce-entry-card.ui");
  gtk_widget_class_bind_template_child (widget_class, BounceEntryCard, title_row);
  gtk_widget_class_bind_template_child (widget_class, BounceEntryCard, title);
  gtk_widget_class_bind_template_child (widget_class, BounceEntryCard, code);
  gtk_widget_class_bind_template_child (widget_class, BounceEntryCard, explanation);
  gtk_widget_class_bind_template_child (widget_class, BounceEntryCard, sender_heading);
  gtk_widget_class_bind_template_child (widget_class, BounceEntryCard, sender_steps);
  gtk_widget_class_bind_template_child (widget_class, BounceEntryCard, admin_heading);
  gtk_widget_class_bind_template_child (widget_class, BounceEntryCard, admin_steps);
  gtk_widget_class_bind_template_child (widget_class, BounceEntryCard, links);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
bounce_entry_card_init (BounceEntryCard *self)
{
  self->show_admin = TRUE;
  self->selectable = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  bounce_wrap_set_row_layout (GTK_WIDGET (self), 0);
  bounce_wrap_set_row_layout (self->title_row, 6);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "keyboard-stop");
}
