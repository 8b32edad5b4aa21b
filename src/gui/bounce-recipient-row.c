/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "bounce-a11y.h"
#include "bounce-recipient-row.h"
#include "bounce-wrap.h"

struct _BounceRecipientRow
{
  AdwExpanderRow   parent_instance;

  BounceRecipient *recipient;
  guint            grid_rows;

  GtkLabel        *badge;
  GtkGrid         *grid;
  GtkWidget       *show_row;
  GtkWidget       *show_button;
};

G_DEFINE_FINAL_TYPE (BounceRecipientRow, bounce_recipient_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_RECIPIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
bounce_recipient_row_new (BounceRecipient *recipient)
{
  return g_object_new (BOUNCE_TYPE_RECIPIENT_ROW, "recipient", recipient, NULL);
}

BounceRecipient *
bounce_recipient_row_get_recipient (BounceRecipientRow *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT_ROW (self), NULL);
  return self->recipient;
}

static void
add_detail (BounceRecipientRow *self,
            const char         *name,
            const char         *value,
            gboolean            monospace)
{
  GtkWidget *name_label;
  GtkWidget *value_label;

  if (value == NULL || *value == '\0')
    return;

  name_label = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_label_set_yalign (GTK_LABEL (name_label), 0);
  /* Longer in other languages ("Respuesta del servidor"): on a narrow
   * screen the name wraps rather than squeezing the value. */
  gtk_label_set_wrap (GTK_LABEL (name_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (name_label), PANGO_WRAP_WORD);
  gtk_label_set_max_width_chars (GTK_LABEL (name_label), 16);
  gtk_widget_add_css_class (name_label, "dim-label");

  value_label = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  /* Its narrowest width, well below the value column of the narrowest
   * window: without one GTK finds it by laying the text out at width 0, a
   * character a line for a server's reply that wraps anywhere (5 ms for
   * a reply of 1,000 characters, each time the page was measured).
   * Nothing changes on screen. */
  gtk_label_set_width_chars (GTK_LABEL (value_label), BOUNCE_WRAP_TITLE_CHARS);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  /* Read-only text: selectable with the mouse, but not a stop for Tab. */
  gtk_widget_set_focusable (value_label, FALSE);
  gtk_widget_set_hexpand (value_label, TRUE);
  if (monospace)
    gtk_widget_add_css_class (value_label, "monospace");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value_label),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, name_label, NULL,
                                  -1);

  gtk_grid_attach (self->grid, name_label, 0, self->grid_rows, 1, 1);
  gtk_grid_attach (self->grid, value_label, 1, self->grid_rows, 1, 1);
  self->grid_rows++;
}

/* Auto-replies, delivery and complaint reports name addresses that did
 * not fail: the verdict and the explanation already say what they are. */
static gboolean
reason_is_failure (const char *reason)
{
  return !g_str_equal (reason, "vacation")
         && !g_str_equal (reason, "feedback")
         && !g_str_equal (reason, "delivered");
}

gboolean
bounce_recipient_row_has_details (BounceRecipient *recipient)
{
  gsize start, end;

  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (recipient), FALSE);

  return reason_is_failure (bounce_recipient_get_reason (recipient))
         || bounce_recipient_get_original_address (recipient) != NULL
         || bounce_recipient_get_remote_mta (recipient) != NULL
         || bounce_recipient_get_diagnostic (recipient) != NULL
         || bounce_recipient_get_action (recipient) != NULL
         || bounce_recipient_get_last_attempt (recipient) != NULL
         || bounce_recipient_get_will_retry_until (recipient) != NULL
         || bounce_recipient_get_range (recipient, &start, &end);
}

static void
name_inner_lists (GtkWidget  *widget,
                  const char *address)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX (child))
        {
          /* The header's list holds the address, the other the details. */
          gboolean header = ADW_IS_ACTION_ROW (gtk_widget_get_first_child (child));

          gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          header ? address : _("Details"),
                                          -1);
        }
      name_inner_lists (child, address);
    }
}

static void
bounce_recipient_row_update (BounceRecipientRow *self)
{
  BounceRecipient *r = self->recipient;
  GPtrArray *entries;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *codes = NULL;
  const char *address;
  gboolean failure;
  gboolean in_text;
  gsize start, end;

  if (r == NULL)
    return;

  address = bounce_recipient_get_address (r);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 address ? address : _("Unknown recipient"));

  failure = reason_is_failure (bounce_recipient_get_reason (r));
  entries = bounce_recipient_get_entries (r);
  if (failure && entries != NULL && entries->len > 0)
    g_string_append (subtitle, bounce_entry_get_title (g_ptr_array_index (entries, 0)));

  codes = bounce_recipient_format_codes (r);
  if (codes != NULL)
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append (subtitle, codes);
    }
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle->str);

  switch (bounce_recipient_get_permanence (r))
    {
    case BOUNCE_PERMANENCE_PERMANENT:
      gtk_label_set_label (self->badge, C_("bounce", "Permanent"));
      gtk_widget_add_css_class (GTK_WIDGET (self->badge), "permanent");
      break;
    case BOUNCE_PERMANENCE_TEMPORARY:
      /* (a delay warning's recipient is "Delayed", as the verdict and the
       * mailbox's table call it: not failed, still being tried) */
      gtk_label_set_label (self->badge, bounce_recipient_get_outcome (r) == BOUNCE_OUTCOME_DELAYED ?
                                        C_("bounce", "Delayed") : C_("bounce", "Temporary"));
      gtk_widget_add_css_class (GTK_WIDGET (self->badge), "temporary");
      break;
    case BOUNCE_PERMANENCE_UNKNOWN:
    default:
      gtk_widget_set_visible (GTK_WIDGET (self->badge), FALSE);
      break;
    }

  /* Translators: the address the sender wrote, which the receiving server
   * delivered to the recipient's address in the row's title (an alias, a
   * forward) */
  add_detail (self, _("Sent to"), bounce_recipient_get_original_address (r), TRUE);
  /* Translators: the mail server that refused the message */
  add_detail (self, _("Refused by"), bounce_recipient_get_remote_mta (r), TRUE);
  /* Translators: the reply of the server, quoted from the bounce */
  add_detail (self, _("Server said"), bounce_recipient_get_diagnostic (r), TRUE);
  add_detail (self, _("Codes"), codes, TRUE);
  /* Translators: the action reported for the recipient: failed, delayed, ... */
  add_detail (self, _("Action"), bounce_recipient_get_action_label (r), FALSE);
  add_detail (self, _("Last attempt"), bounce_recipient_get_last_attempt (r), FALSE);
  add_detail (self, _("Retrying until"), bounce_recipient_get_will_retry_until (r), FALSE);
  in_text = bounce_recipient_get_range (r, &start, &end);
  if (self->grid_rows == 0 && failure)
    add_detail (self, _("Details"), _("The bounce gives no details for this recipient."), FALSE);

  gtk_widget_set_visible (self->show_row, in_text);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->grid)), self->grid_rows > 0);

  /* AdwExpanderRow leaves its row and its inner lists unnamed. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, address ? address : _("Unknown recipient"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle->str,
                                  -1);
  name_inner_lists (GTK_WIDGET (self), address ? address : _("Unknown recipient"));
  bounce_wrap_without_hyphens (GTK_WIDGET (self));
  /* Beside a long badge ("Vorübergehend") at 360 px: after the "@". */
  bounce_wrap_address (GTK_WIDGET (self), address);
}

void
bounce_recipient_row_set_can_show (BounceRecipientRow *self,
                                   gboolean            can_show)
{
  gsize start, end;

  g_return_if_fail (BOUNCE_IS_RECIPIENT_ROW (self));
  gtk_widget_set_visible (self->show_row,
                          can_show && bounce_recipient_get_range (self->recipient, &start, &end));
}

static void
on_show_clicked (BounceRecipientRow *self)
{
  gsize start, end;

  if (bounce_recipient_get_range (self->recipient, &start, &end))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.select-range", "(tt)",
                                (guint64) start, (guint64) end);
}

static void
bounce_recipient_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BounceRecipientRow *self = BOUNCE_RECIPIENT_ROW (object);

  switch (prop_id)
    {
    case PROP_RECIPIENT:
      g_value_set_object (value, self->recipient);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_recipient_row_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BounceRecipientRow *self = BOUNCE_RECIPIENT_ROW (object);

  switch (prop_id)
    {
    case PROP_RECIPIENT:
      /* Construct-only: the row is made for one recipient. */
      self->recipient = g_value_dup_object (value);
      bounce_recipient_row_update (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_recipient_row_dispose (GObject *object)
{
  BounceRecipientRow *self = BOUNCE_RECIPIENT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOUNCE_TYPE_RECIPIENT_ROW);
  g_clear_object (&self->recipient);

  G_OBJECT_CLASS (bounce_recipient_row_parent_class)->dispose (object);
}

/* The row's own header (address and subtitle), which expands it. */
static GtkWidget *
find_header (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_ACTION_ROW (child))
        return child;
      if ((found = find_header (child)) != NULL)
        return found;
    }
  return NULL;
}

/* Keyboard stops: the header, then "Show in Message" when it is unfolded.
 * The details in between are read-only text (and GtkListBox would keep
 * the focus on a row that cannot take it). */
static gboolean
bounce_recipient_row_focus (GtkWidget        *widget,
                            GtkDirectionType  direction)
{
  BounceRecipientRow *self = BOUNCE_RECIPIENT_ROW (widget);
  GtkWidget *header = find_header (widget);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  gboolean inside = focus != NULL && gtk_widget_is_ancestor (focus, widget);
  gboolean button = gtk_widget_get_mapped (self->show_button);
  gboolean backward = direction == GTK_DIR_TAB_BACKWARD || direction == GTK_DIR_UP;

  if (header == NULL)
    return FALSE;
  if (direction == GTK_DIR_LEFT || direction == GTK_DIR_RIGHT)
    return inside ? FALSE : gtk_widget_grab_focus (header);

  if (!backward)
    {
      if (!inside)
        return gtk_widget_grab_focus (header);
      if (focus != self->show_button && button)
        return gtk_widget_grab_focus (self->show_button);
      return FALSE;
    }

  if (focus == self->show_button)
    return gtk_widget_grab_focus (header);
  if (inside)
    return FALSE;
  return gtk_widget_grab_focus (button ? self->show_button : header);
}

static void
bounce_recipient_row_class_init (BounceRecipientRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bounce_recipient_row_dispose;
  object_class->get_property = bounce_recipient_row_get_property;
  object_class->set_property = bounce_recipient_row_set_property;

  widget_class->focus = bounce_recipient_row_focus;

  properties[PROP_RECIPIENT] =
    g_param_spec_object ("recipient", NULL, NULL, BOUNCE_TYPE_RECIPIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/bounce-recipient-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BounceRecipientRow, badge);
  gtk_widget_class_bind_template_child (widget_class, BounceRecipientRow, grid);
  gtk_widget_class_bind_template_child (widget_class, BounceRecipientRow, show_row);
  gtk_widget_class_bind_template_child (widget_class, BounceRecipientRow, show_button);
  gtk_widget_class_bind_template_callback (widget_class, on_show_clicked);
}

static void
bounce_recipient_row_init (BounceRecipientRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  bounce_a11y_fix_mnemonic_buttons (self->show_button);
}
