/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "bounce-verdict.h"
#include "bounce-wrap.h"

struct _BounceVerdict
{
  AdwBin        parent_instance;

  BounceReport *report;

  GtkImage     *icon;
  GtkLabel     *headline;
  GtkLabel     *badge;
  GtkLabel     *hard_badge;
  GtkLabel     *meaning;
  GtkLabel     *details;
};

G_DEFINE_FINAL_TYPE (BounceVerdict, bounce_verdict, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const badge_classes[] = { "permanent", "temporary", "neutral", "success", NULL };

static void
set_badge (BounceVerdict *self,
           const char    *text,
           const char    *css_class)
{
  for (guint i = 0; badge_classes[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->badge), badge_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->badge), css_class);
  gtk_label_set_label (self->badge, text);
  gtk_widget_set_visible (GTK_WIDGET (self->badge), text != NULL);
}

static guint
count_failed (BounceReport *report)
{
  GListModel *recipients = bounce_report_get_recipients (report);
  guint n = g_list_model_get_n_items (recipients);
  guint failed = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, i);
      const char *action = bounce_recipient_get_action (r);

      if (action == NULL || g_strcmp0 (action, "failed") == 0 || g_strcmp0 (action, "delayed") == 0)
        failed++;
    }

  return failed;
}

static void
bounce_verdict_update (BounceVerdict *self)
{
  BounceReport *report = self->report;
  BounceRecipient *main_recipient;
  g_autoptr(GString) details = g_string_new (NULL);
  BounceEntry *verdict;
  BounceOutcome outcome;
  const char *headline = NULL;
  const char *icon = "dialog-information-symbolic";
  const char *until;
  g_autofree char *meaning = NULL;
  gboolean hard;
  guint failed;

  if (report == NULL)
    return;

  /* The core decides the verdict (bounce-outcome.c): the window only shows it. */
  main_recipient = bounce_report_get_main_recipient (report);
  outcome = bounce_report_get_outcome (report);
  verdict = bounce_report_get_verdict (report);
  failed = count_failed (report);
  hard = main_recipient != NULL && bounce_recipient_get_hard_bounce (main_recipient);
  until = main_recipient != NULL ? bounce_recipient_get_will_retry_until (main_recipient) : NULL;

  switch (bounce_report_get_kind (report))
    {
    case BOUNCE_KIND_FAILURE:
    case BOUNCE_KIND_DELAY:
      headline = verdict ? bounce_entry_get_title (verdict) : NULL;
      if (headline == NULL)
        headline = outcome == BOUNCE_OUTCOME_DELAYED
                   ? _("Delivery is delayed")
                   : _("The message could not be delivered");

      switch (outcome)
        {
        case BOUNCE_OUTCOME_DELAYED:
          /* A warning, not a failure: the wording must not make the
           * helpdesk tell the customer the message is lost. */
          icon = "document-open-recent-symbolic";
          set_badge (self, C_("bounce", "Delayed"), "temporary");
          if (until != NULL)
            /* Translators: %s is a date from the bounce, as written there */
            meaning = g_strdup_printf (_("This is a delay warning, not a failure: the message has not been delivered yet and the sending server keeps trying until %s. Nothing needs to be done now; if it still cannot deliver, a final failure notice follows."), until);
          else
            meaning = g_strdup (_("This is a delay warning, not a failure: the message has not been delivered yet and the sending server keeps trying, usually for up to five days. Nothing needs to be done now; if it still cannot deliver, a final failure notice follows."));
          break;
        case BOUNCE_OUTCOME_GAVE_UP:
          icon = "dialog-error-symbolic";
          set_badge (self, C_("bounce", "Failed"), "permanent");
          meaning = g_strdup (_("The problem was temporary, but the sending server has stopped trying. "
                                "Send the message again once the cause is fixed."));
          break;
        case BOUNCE_OUTCOME_PERMANENT:
          icon = "dialog-error-symbolic";
          set_badge (self, C_("bounce", "Permanent"), "permanent");
          if (hard)
            meaning = g_strdup (_("The sending server has given up. Sending again to this address will not help until the address is corrected."));
          else
            meaning = g_strdup (_("The sending server has given up. Sending again will not help until the cause below is fixed."));
          break;
        case BOUNCE_OUTCOME_UNKNOWN:
        case BOUNCE_OUTCOME_NONE:
        default:
          icon = "dialog-warning-symbolic";
          set_badge (self, C_("bounce", "Failed"), "neutral");
          meaning = g_strdup (_("The bounce does not say whether the problem is temporary. Check the explanation below before sending again."));
          break;
        }
      break;

    case BOUNCE_KIND_AUTOREPLY:
      headline = _("This is an automatic reply");
      icon = "mail-reply-sender-symbolic";
      set_badge (self, _("Not a bounce"), "success");
      meaning = g_strdup (_("An automatic reply, such as an out-of-office notice, means the message was delivered. Nothing needs to be fixed; the recipient may simply be away."));
      break;

    case BOUNCE_KIND_DELIVERED:
      headline = _("The message was delivered");
      icon = "emblem-ok-symbolic";
      set_badge (self, _("Delivered"), "success");
      meaning = g_strdup (_("This is a delivery report: the receiving server accepted the message. Nothing needs to be done."));
      break;

    case BOUNCE_KIND_FEEDBACK:
      icon = "dialog-warning-symbolic";
      /* a report that is no complaint says what it is, as bounce-explain does */
      headline = bounce_report_feedback_headline (report);
      if (headline != NULL)
        {
          set_badge (self, _("Not a bounce"), "neutral");
          meaning = bounce_report_describe_feedback (report);
          break;
        }
      headline = _("This is an abuse report");
      set_badge (self, _("Complaint"), "temporary");
      if (bounce_report_get_feedback_type (report) != NULL)
        /* Translators: %s is the feedback type, e.g. "abuse" */
        meaning = g_strdup_printf (_("A recipient or their provider reported a message as unwanted (feedback type “%s”). The message was delivered; stop sending to people who do not want it and check what was sent."),
                                   bounce_report_get_feedback_type (report));
      else
        meaning = g_strdup (_("A recipient or their provider reported a message as unwanted. The message was delivered; stop sending to people who do not want it and check what was sent."));
      break;

    case BOUNCE_KIND_CHALLENGE:
      headline = _("This is a challenge-response request");
      icon = "mail-reply-sender-symbolic";
      set_badge (self, _("Not a bounce"), "neutral");
      meaning = bounce_report_describe (report);
      break;

    case BOUNCE_KIND_READ_RECEIPT:
      headline = _("This is a read receipt");
      icon = "emblem-ok-symbolic";
      set_badge (self, _("Not a bounce"), "success");
      meaning = bounce_report_describe (report);
      break;

    case BOUNCE_KIND_NOT_BOUNCE:
    default:
      headline = _("This does not look like a bounce");
      set_badge (self, NULL, "neutral");
      meaning = g_strdup (_("No delivery failure was found in this text."));
      break;
    }

  /* a mail program's send error: nothing was sent, nothing is retried */
  if (bounce_report_get_send_error (report) && bounce_report_get_kind (report) == BOUNCE_KIND_FAILURE)
    {
      g_free (meaning);
      meaning = bounce_report_describe_send_error (report);
      set_badge (self, C_("bounce", "Not sent"), outcome == BOUNCE_OUTCOME_PERMANENT ? "permanent" : "temporary");
    }
  /* mail the user never sent: the core says so in its own sentence */
  if (bounce_report_get_backscatter (report))
    {
      g_free (meaning);
      meaning = bounce_report_describe (report);
    }
  if (bounce_report_get_kind (report) == BOUNCE_KIND_FAILURE
      || bounce_report_get_kind (report) == BOUNCE_KIND_DELAY)
    {
      if (failed > 1)
        g_string_append_printf (details,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "%u recipient affected",
                                             "%u recipients affected", failed),
                                failed);
    }
  if (bounce_report_get_provider (report) != NULL)
    {
      BounceEntry *provider = bounce_catalogue_find_provider (bounce_catalogue_get_default (),
                                                              bounce_report_get_provider (report));
      const char *name = provider ? bounce_entry_get_title (provider) : bounce_report_get_provider (report);

      if (details->len > 0)
        g_string_append (details, " · ");
      /* Translators: %s is a mail provider or server, e.g. "Google (Gmail, Workspace)" */
      g_string_append_printf (details, _("Reported by %s"), name);
    }

  gtk_image_set_from_icon_name (self->icon, icon);
  gtk_label_set_label (self->headline, headline);
  gtk_widget_set_visible (GTK_WIDGET (self->hard_badge), hard && outcome == BOUNCE_OUTCOME_PERMANENT);
  gtk_label_set_label (self->meaning, meaning);
  gtk_label_set_label (self->details, details->str);
  gtk_widget_set_visible (GTK_WIDGET (self->details), details->len > 0);

  /* The verdict is one stop for the keyboard; a screen reader reads all of
   * it from there. */
  {
    g_autoptr(GString) description = g_string_new (NULL);

    if (bounce_verdict_get_badge (self) != NULL)
      g_string_append_printf (description, "%s. ", bounce_verdict_get_badge (self));
    if (gtk_widget_get_visible (GTK_WIDGET (self->hard_badge)))
      g_string_append_printf (description, "%s. ", gtk_label_get_label (self->hard_badge));
    g_string_append (description, meaning);
    if (details->len > 0)
      g_string_append_printf (description, " %s", details->str);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, headline,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                    -1);
  }
}

void
bounce_verdict_set_report (BounceVerdict *self,
                           BounceReport  *report)
{
  g_return_if_fail (BOUNCE_IS_VERDICT (self));
  g_return_if_fail (!report || BOUNCE_IS_REPORT (report));

  if (g_set_object (&self->report, report))
    {
      bounce_verdict_update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
    }
}

BounceReport *
bounce_verdict_get_report (BounceVerdict *self)
{
  g_return_val_if_fail (BOUNCE_IS_VERDICT (self), NULL);
  return self->report;
}

const char *
bounce_verdict_get_headline (BounceVerdict *self)
{
  g_return_val_if_fail (BOUNCE_IS_VERDICT (self), NULL);
  return gtk_label_get_label (self->headline);
}

const char *
bounce_verdict_get_badge (BounceVerdict *self)
{
  g_return_val_if_fail (BOUNCE_IS_VERDICT (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->badge)) ? gtk_label_get_label (self->badge) : NULL;
}

static void
bounce_verdict_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BounceVerdict *self = BOUNCE_VERDICT (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_verdict_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BounceVerdict *self = BOUNCE_VERDICT (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      bounce_verdict_set_report (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_verdict_dispose (GObject *object)
{
  BounceVerdict *self = BOUNCE_VERDICT (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOUNCE_TYPE_VERDICT);
  g_clear_object (&self->report);

  G_OBJECT_CLASS (bounce_verdict_parent_class)->dispose (object);
}

/* One focus stop, whatever it contains: its labels are read-only text. */
static gboolean
bounce_verdict_focus (GtkWidget        *widget,
                      GtkDirectionType  direction)
{
  if (gtk_widget_is_focus (widget) || !gtk_widget_get_visible (widget))
    return FALSE;
  return gtk_widget_grab_focus (widget);
}

static void
bounce_verdict_class_init (BounceVerdictClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bounce_verdict_dispose;
  object_class->get_property = bounce_verdict_get_property;
  object_class->set_property = bounce_verdict_set_property;

  widget_class->focus = bounce_verdict_focus;

  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, BOUNCE_TYPE_REPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/bounce-verdict.ui");
  gtk_widget_class_bind_template_child (widget_class, BounceVerdict, icon);
  gtk_widget_class_bind_template_child (widget_class, BounceVerdict, headline);
  gtk_widget_class_bind_template_child (widget_class, BounceVerdict, badge);
  gtk_widget_class_bind_template_child (widget_class, BounceVerdict, hard_badge);
  gtk_widget_class_bind_template_child (widget_class, BounceVerdict, meaning);
  gtk_widget_class_bind_template_child (widget_class, BounceVerdict, details);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
bounce_verdict_init (BounceVerdict *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "keyboard-stop");
  /* Still selectable with the mouse, but not stops of their own. */
  gtk_widget_set_focusable (GTK_WIDGET (self->headline), FALSE);
  gtk_widget_set_focusable (GTK_WIDGET (self->meaning), FALSE);
  gtk_widget_set_focusable (GTK_WIDGET (self->details), FALSE);
  bounce_wrap_without_hyphens (GTK_WIDGET (self));
}
