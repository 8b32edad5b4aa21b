/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bounce-core.h"

G_BEGIN_DECLS

#define BOUNCE_TYPE_ENTRY_CARD (bounce_entry_card_get_type ())
G_DECLARE_FINAL_TYPE (BounceEntryCard, bounce_entry_card, BOUNCE, ENTRY_CARD, AdwBin)

GtkWidget   *bounce_entry_card_new            (BounceEntry     *entry);
BounceEntry *bounce_entry_card_get_entry      (BounceEntryCard *self);
void         bounce_entry_card_set_entry      (BounceEntryCard *self,
                                               BounceEntry     *entry);
/* The recipient whose case decides which of the entry's steps are shown
 * (NULL: all of them, the conditional ones with their condition). */
void         bounce_entry_card_set_recipient  (BounceEntryCard *self,
                                               BounceRecipient *recipient);
BounceRecipient *bounce_entry_card_get_recipient (BounceEntryCard *self);
/* The sender's (admin FALSE) or administrator's steps the card shows,
 * numbered, one per line, as bounce-explain writes them; newly allocated. */
char        *bounce_entry_card_dup_steps      (BounceEntryCard *self,
                                               gboolean         admin);
gboolean     bounce_entry_card_get_show_admin (BounceEntryCard *self);
void         bounce_entry_card_set_show_admin (BounceEntryCard *self,
                                               gboolean         show_admin);

/* Selectable text is copyable, but a focused selectable label selects all
 * of itself: not wanted in a popover that takes the focus. */
void         bounce_entry_card_set_selectable (BounceEntryCard *self,
                                               gboolean         selectable);

G_END_DECLS
