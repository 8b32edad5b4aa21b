/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bounce-core.h"

G_BEGIN_DECLS

#define BOUNCE_TYPE_RECIPIENT_ROW (bounce_recipient_row_get_type ())
G_DECLARE_FINAL_TYPE (BounceRecipientRow, bounce_recipient_row, BOUNCE, RECIPIENT_ROW, AdwExpanderRow)

GtkWidget       *bounce_recipient_row_new           (BounceRecipient    *recipient);
BounceRecipient *bounce_recipient_row_get_recipient (BounceRecipientRow *self);
/* FALSE for an address with nothing to unfold (an auto-reply's or a
 * complaint's): show it as a plain row. */
gboolean         bounce_recipient_row_has_details   (BounceRecipient    *recipient);
/* FALSE hides "Show in Message": the view cannot show that place (a cut
 * text).  Shown by default when the recipient has a place in the text. */
void             bounce_recipient_row_set_can_show  (BounceRecipientRow *self,
                                                     gboolean            can_show);

G_END_DECLS
