/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-formats.h"

void
bounce_format_recipient_free (BounceFormatRecipient *recipient)
{
  if (recipient == NULL)
    return;
  g_free (recipient->format);
  g_free (recipient->address);
  g_free (recipient->diagnostic);
  g_free (recipient->status);
  g_free (recipient->reply_code);
  g_free (recipient->command);
  g_free (recipient->reason);
  g_free (recipient->action);
  g_free (recipient);
}

GPtrArray *
bounce_formats_parse (BounceInput *input,
                      guint        message_index)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT (input), NULL);

  /* The recognisers are being written (issue 5). */
  return NULL;
}
