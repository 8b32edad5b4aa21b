/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "bounce-entry.h"

G_BEGIN_DECLS

#define BOUNCE_TYPE_RECIPIENT (bounce_recipient_get_type ())
G_DECLARE_FINAL_TYPE (BounceRecipient, bounce_recipient, BOUNCE, RECIPIENT, GObject)

BounceRecipient *bounce_recipient_new                (void);

const char      *bounce_recipient_get_address        (BounceRecipient *self);  /* or NULL */
/* The address the sender wrote, when the server delivered to another one
 * (an alias or a forward; RFC 3464 Original-Recipient), or NULL. */
const char      *bounce_recipient_get_original_address (BounceRecipient *self);
const char      *bounce_recipient_get_status         (BounceRecipient *self);  /* "5.1.1" or NULL */
/* TRUE when the bounce gave no enhanced code and the status was inferred
 * from the reason (Sisimai-style "5.0.911"): not something to show as a code. */
gboolean         bounce_recipient_get_status_inferred (BounceRecipient *self);
/* The reporting server says it stopped trying ("I'm not going to try
 * again"), though it states no action and its codes are temporary. */
gboolean         bounce_recipient_get_given_up       (BounceRecipient *self);
/* A mail program's send error: the message was refused before it left. */
gboolean         bounce_recipient_get_not_sent       (BounceRecipient *self);
const char      *bounce_recipient_get_reply_code     (BounceRecipient *self);  /* "550" or NULL */
/* The codes the server gave, as "550 5.1.1" (inferred statuses left out), or NULL. */
/* The recipient's DSN action ("failed", "delayed", ...) in words for
 * people, translated; an action the RFC does not define is returned as
 * written.  NULL when the bounce names none. */
const char       *bounce_recipient_get_action_label   (BounceRecipient *self);
char            *bounce_recipient_format_codes       (BounceRecipient *self);
const char      *bounce_recipient_get_reason         (BounceRecipient *self);  /* never NULL */
gboolean         bounce_recipient_get_hard_bounce    (BounceRecipient *self);
BouncePermanence bounce_recipient_get_permanence     (BounceRecipient *self);
const char      *bounce_recipient_get_action         (BounceRecipient *self);  /* failed, delayed, ... or NULL */
const char      *bounce_recipient_get_remote_mta     (BounceRecipient *self);  /* or NULL */
const char      *bounce_recipient_get_diagnostic     (BounceRecipient *self);  /* or NULL */
const char      *bounce_recipient_get_last_attempt   (BounceRecipient *self);  /* or NULL */
const char      *bounce_recipient_get_will_retry_until (BounceRecipient *self); /* or NULL */
const char      *bounce_recipient_get_provider       (BounceRecipient *self);  /* or NULL */
/* What the catalogue's conditional steps are chosen by: the server's reply,
 * the outcome (bounce_recipient_get_outcome()) and the permanence.  The
 * reply belongs to the recipient. */
void             bounce_recipient_get_step_context   (BounceRecipient   *self,
                                                      BounceStepContext *context);
/* The steps for the sender (admin FALSE) or the administrator that apply to
 * this recipient, from the most specific entry that has any (BounceStep,
 * see bounce_entry_select_steps()); empty when none has. */
GPtrArray       *bounce_recipient_select_steps       (BounceRecipient *self,
                                                      gboolean         admin);
/* Catalogue entries that explain this failure, most specific first. */
GPtrArray       *bounce_recipient_get_entries        (BounceRecipient *self);  /* BounceEntry */
/* Byte range of the diagnostic in the analysed text, or FALSE if unknown. */
gboolean         bounce_recipient_get_range          (BounceRecipient *self,
                                                      gsize           *start,
                                                      gsize           *end);

void             bounce_recipient_set_address        (BounceRecipient *self, const char *value);
void             bounce_recipient_set_original_address (BounceRecipient *self, const char *value);
void             bounce_recipient_set_status         (BounceRecipient *self, const char *value);
void             bounce_recipient_set_status_inferred (BounceRecipient *self, gboolean value);
void             bounce_recipient_set_given_up       (BounceRecipient *self, gboolean value);
void             bounce_recipient_set_not_sent       (BounceRecipient *self, gboolean value);
void             bounce_recipient_set_reply_code     (BounceRecipient *self, const char *value);
void             bounce_recipient_set_reason         (BounceRecipient *self, const char *value);
void             bounce_recipient_set_hard_bounce    (BounceRecipient *self, gboolean value);
void             bounce_recipient_set_permanence     (BounceRecipient *self, BouncePermanence value);
void             bounce_recipient_set_action         (BounceRecipient *self, const char *value);
void             bounce_recipient_set_remote_mta     (BounceRecipient *self, const char *value);
void             bounce_recipient_set_diagnostic     (BounceRecipient *self, const char *value);
void             bounce_recipient_set_last_attempt   (BounceRecipient *self, const char *value);
void             bounce_recipient_set_will_retry_until (BounceRecipient *self, const char *value);
void             bounce_recipient_set_provider       (BounceRecipient *self, const char *value);
void             bounce_recipient_add_entry          (BounceRecipient *self, BounceEntry *entry);
void             bounce_recipient_set_range          (BounceRecipient *self, gsize start, gsize end);

G_END_DECLS
