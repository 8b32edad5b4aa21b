/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "bounce-recipient.h"
#include "bounce-report.h"

struct _BounceRecipient
{
  GObject parent_instance;
  char *address;
  char *original_address;
  char *status;
  char *reply_code;
  char *reason;
  char *action;
  char *remote_mta;
  char *diagnostic;
  char *last_attempt;
  char *will_retry_until;
  char *provider;
  gboolean hard_bounce;
  gboolean status_inferred;
  gboolean given_up;
  gboolean not_sent;
  BouncePermanence permanence;
  GPtrArray *entries;
  gboolean has_range;
  gsize start;
  gsize end;
};

G_DEFINE_FINAL_TYPE (BounceRecipient, bounce_recipient, G_TYPE_OBJECT)

static void
bounce_recipient_finalize (GObject *object)
{
  BounceRecipient *self = (BounceRecipient *)object;

  g_free (self->address);
  g_free (self->original_address);
  g_free (self->status);
  g_free (self->reply_code);
  g_free (self->reason);
  g_free (self->action);
  g_free (self->remote_mta);
  g_free (self->diagnostic);
  g_free (self->last_attempt);
  g_free (self->will_retry_until);
  g_free (self->provider);
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (bounce_recipient_parent_class)->finalize (object);
}

static void
bounce_recipient_class_init (BounceRecipientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bounce_recipient_finalize;
}

static void
bounce_recipient_init (BounceRecipient *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
}

BounceRecipient *
bounce_recipient_new (void)
{
  return g_object_new (BOUNCE_TYPE_RECIPIENT, NULL);
}

const char *
bounce_recipient_get_address (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);
  return self->address;
}

void
bounce_recipient_set_address (BounceRecipient *self,
                              const char      *value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (self->address, value) != 0)
    {
      g_free (self->address);
      self->address = g_strdup (value);
    }
}

const char *
bounce_recipient_get_status (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);
  return self->status;
}

void
bounce_recipient_set_status (BounceRecipient *self,
                             const char      *value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (self->status, value) != 0)
    {
      g_free (self->status);
      self->status = g_strdup (value);
    }
}

const char *
bounce_recipient_get_reply_code (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);
  return self->reply_code;
}

void
bounce_recipient_set_reply_code (BounceRecipient *self,
                                 const char      *value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (self->reply_code, value) != 0)
    {
      g_free (self->reply_code);
      self->reply_code = g_strdup (value);
    }
}

const char *
bounce_recipient_get_reason (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);
  return self->reason ? self->reason : "undefined";
}

void
bounce_recipient_set_reason (BounceRecipient *self,
                             const char      *value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (self->reason, value) != 0)
    {
      g_free (self->reason);
      self->reason = g_strdup (value);
    }
}

const char *
bounce_recipient_get_action (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);
  return self->action;
}

void
bounce_recipient_set_action (BounceRecipient *self,
                             const char      *value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (self->action, value) != 0)
    {
      g_free (self->action);
      self->action = g_strdup (value);
    }
}

const char *
bounce_recipient_get_remote_mta (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);
  return self->remote_mta;
}

void
bounce_recipient_set_remote_mta (BounceRecipient *self,
                                 const char      *value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (self->remote_mta, value) != 0)
    {
      g_free (self->remote_mta);
      self->remote_mta = g_strdup (value);
    }
}

const char *
bounce_recipient_get_diagnostic (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);
  return self->diagnostic;
}

void
bounce_recipient_set_diagnostic (BounceRecipient *self,
                                 const char      *value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (self->diagnostic, value) != 0)
    {
      g_free (self->diagnostic);
      self->diagnostic = g_strdup (value);
    }
}

const char *
bounce_recipient_get_last_attempt (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);
  return self->last_attempt;
}

void
bounce_recipient_set_last_attempt (BounceRecipient *self,
                                   const char      *value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (self->last_attempt, value) != 0)
    {
      g_free (self->last_attempt);
      self->last_attempt = g_strdup (value);
    }
}

const char *
bounce_recipient_get_will_retry_until (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);
  return self->will_retry_until;
}

void
bounce_recipient_set_will_retry_until (BounceRecipient *self,
                                       const char      *value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (self->will_retry_until, value) != 0)
    {
      g_free (self->will_retry_until);
      self->will_retry_until = g_strdup (value);
    }
}

const char *
bounce_recipient_get_provider (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);
  return self->provider;
}

void
bounce_recipient_set_provider (BounceRecipient *self,
                               const char      *value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (self->provider, value) != 0)
    {
      g_free (self->provider);
      self->provider = g_strdup (value);
    }
}

gboolean
bounce_recipient_get_hard_bounce (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), FALSE);
  return self->hard_bounce;
}

void
bounce_recipient_set_hard_bounce (BounceRecipient *self,
                                  gboolean         value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  self->hard_bounce = !!value;
}

BouncePermanence
bounce_recipient_get_permanence (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), BOUNCE_PERMANENCE_UNKNOWN);
  return self->permanence;
}

void
bounce_recipient_set_permanence (BounceRecipient  *self,
                                 BouncePermanence  value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  self->permanence = value;
}

void
bounce_recipient_get_step_context (BounceRecipient   *self,
                                   BounceStepContext *context)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  g_return_if_fail (context != NULL);

  context->reply = self->diagnostic;
  context->outcome = bounce_recipient_get_outcome (self);
  context->permanence = self->permanence;
  context->said = self->entries;
  context->not_sent = self->not_sent;
}

GPtrArray *
bounce_recipient_select_steps (BounceRecipient *self,
                               gboolean         admin)
{
  BounceStepContext context;

  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);

  bounce_recipient_get_step_context (self, &context);
  for (guint i = 0; i < self->entries->len; i++)
    {
      GPtrArray *steps = bounce_entry_select_steps (self->entries->pdata[i], admin, &context);

      if (steps->len > 0)
        return steps;
      g_ptr_array_unref (steps);
    }
  return g_ptr_array_new_with_free_func (g_free);
}

GPtrArray *
bounce_recipient_get_entries (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);
  return self->entries;
}

void
bounce_recipient_add_entry (BounceRecipient *self,
                            BounceEntry     *entry)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  g_return_if_fail (BOUNCE_IS_ENTRY (entry));

  if (!g_ptr_array_find (self->entries, entry, NULL))
    g_ptr_array_add (self->entries, g_object_ref (entry));
}

gboolean
bounce_recipient_get_range (BounceRecipient *self,
                            gsize           *start,
                            gsize           *end)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), FALSE);
  if (start)
    *start = self->start;
  if (end)
    *end = self->end;
  return self->has_range;
}

void
bounce_recipient_set_range (BounceRecipient *self,
                            gsize            start,
                            gsize            end)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  g_return_if_fail (start <= end);
  self->has_range = TRUE;
  self->start = start;
  self->end = end;
}

gboolean
bounce_recipient_get_status_inferred (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), FALSE);
  return self->status_inferred;
}

void
bounce_recipient_set_status_inferred (BounceRecipient *self,
                                      gboolean         value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  self->status_inferred = !!value;
}

const char *
bounce_recipient_get_original_address (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);
  return self->original_address;
}

void
bounce_recipient_set_original_address (BounceRecipient *self,
                                       const char      *value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  if (g_strcmp0 (self->original_address, value) != 0)
    {
      g_free (self->original_address);
      self->original_address = g_strdup (value);
    }
}

gboolean
bounce_recipient_get_not_sent (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), FALSE);
  return self->not_sent;
}

void
bounce_recipient_set_not_sent (BounceRecipient *self,
                               gboolean         value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  self->not_sent = !!value;
}

gboolean
bounce_recipient_get_given_up (BounceRecipient *self)
{
  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), FALSE);
  return self->given_up;
}

void
bounce_recipient_set_given_up (BounceRecipient *self,
                               gboolean         value)
{
  g_return_if_fail (BOUNCE_IS_RECIPIENT (self));
  self->given_up = !!value;
}

char *
bounce_recipient_format_codes (BounceRecipient *self)
{
  const char *status;

  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);

  status = self->status_inferred ? NULL : self->status;
  if (status != NULL && self->reply_code != NULL)
    return g_strdup_printf ("%s %s", self->reply_code, status);
  return g_strdup (status != NULL ? status : self->reply_code);
}

const char *
bounce_recipient_get_action_label (BounceRecipient *self)
{
  const char *action;

  g_return_val_if_fail (BOUNCE_IS_RECIPIENT (self), NULL);
  action = self->action;
  if (action == NULL)
    return NULL;
  /* The five actions of RFC 3464, section 2.3.3 */
  if (g_ascii_strcasecmp (action, "failed") == 0)
    /* Translators: a DSN action: delivery to this recipient failed */
    return C_("dsn-action", "failed");
  if (g_ascii_strcasecmp (action, "delayed") == 0)
    /* Translators: a DSN action: delivery is delayed, still being tried */
    return C_("dsn-action", "delayed");
  if (g_ascii_strcasecmp (action, "delivered") == 0)
    return C_("dsn-action", "delivered");
  if (g_ascii_strcasecmp (action, "relayed") == 0)
    /* Translators: a DSN action: passed on to a system that sends no reports */
    return C_("dsn-action", "relayed");
  if (g_ascii_strcasecmp (action, "expanded") == 0)
    /* Translators: a DSN action: delivered to a list or alias that has further recipients */
    return C_("dsn-action", "expanded");
  return action;
}
