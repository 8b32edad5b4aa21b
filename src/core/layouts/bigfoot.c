/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Bigfoot's forwarding service (bigfoot.com) bounced with a delivery
 * report and a transcript of the session that failed:
 *
 *      ----- Transcript of session follows -----
 *   >>> RCPT TO:<bob@example.net>
 *   <<< 553 Invalid recipient bob@example.net (Mode: normal)
 *
 * The last command sent is the one refused; a reply with no command
 * before it came at the greeting.  Learnt from Sisimai's Lhost::Bigfoot. */

static gboolean
parse_bigfoot (BounceLayoutDoc *d)
{
  int start;
  BounceSmtpCommand command = BOUNCE_SMTP_COMMAND_NONE;
  gboolean replied = FALSE;

  if (!bounce_doc_header_has (d, "From", "@bigfoot.com") && !bounce_doc_received_has (d, ".bigfoot.com"))
    return FALSE;
  start = bounce_doc_find_start (d, 0, "----- Transcript of session follows -----");
  if (start < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (bounce_line_starts (l, ">>> "))
        command = bounce_extract_smtp_command (l->s, l->len);
      else if (bounce_line_starts (l, "<<< "))
        replied = TRUE;
      else if (bounce_line_starts (l, "Content-Type:") || bounce_line_starts (l, "Reporting-MTA:"))
        break;
    }
  if (command == BOUNCE_SMTP_COMMAND_NONE && replied)
    command = BOUNCE_SMTP_COMMAND_CONNECT;
  if (bounce_doc_group_facts (d, NULL, NULL) == 0)
    return FALSE;
  for (guint i = 0; i < d->out->len && command != BOUNCE_SMTP_COMMAND_NONE; i++)
    {
      BounceFact *fact = d->out->pdata[i];

      fact->command = command;
      fact->command_unknown = FALSE;
    }
  return TRUE;
}

const BounceLayout bounce_layout_bigfoot = {
  .name = "bigfoot",
  .title = "Bigfoot",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_bigfoot,
};
