/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* SmarterMail.  Learnt from the delivery failure notices quoted in the
 * help pages of hosting providers that run it
 * (http://kb.indsoft.net/kb/a70/common-email-delivery-errors.aspx,
 * http://support.rackteam.com/kb/a136/common-email-delivery-errors-you-may-receive.aspx):
 * "Could not deliver message to the following recipient(s):", then per
 * recipient "Failed Recipient: <address>" and "Reason: <text>", the reason
 * going on over the lines below it ("Failed all attempts to connect to the
 * recipients mail server.", "Attempted to send the message to the
 * following ip's: ...").  Its own reasons name the condition ("The mailbox
 * is full", "The domain size limit has been exceeded", "No MX records were
 * found"); a remote reply names the command only when its text says so. */

static const BouncePhrase smartermail_phrases[] = {
  { "The mailbox is full", "mailboxfull" },
  { "The domain size limit has been exceeded", "mailboxfull" },
  { "No MX records were found", "hostunknown" },
  { "Failed all attempts to connect to the recipients mail server", "networkerror" },
};

static void
finish (BounceFact *r,
        GString    *diag)
{
  if (r == NULL)
    return;
  bounce_fact_set_diag (r, diag);
  if (r->text == NULL)
    return;
  r->command = bounce_extract_smtp_command (r->text, -1);
  r->command_unknown = r->command == BOUNCE_SMTP_COMMAND_NONE;
  r->reason = g_strdup (bounce_phrase_reason (smartermail_phrases, G_N_ELEMENTS (smartermail_phrases),
                                              r->text));
}

static gboolean
parse_smartermail (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "Could not deliver message to the following recipient(s):");
  BounceFact *r = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (start < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *v;
      gsize n;

      if (bounce_line_value (l, "Failed Recipient:", &v, &n))
        {
          char *address = bounce_address_in (v, n);

          finish (r, diag);
          g_string_truncate (diag, 0);
          r = address ? bounce_doc_add_fact (d, address, i, i) : NULL;
          continue;
        }
      if (r == NULL)
        continue;
      if (bounce_line_value (l, "Reason:", &v, &n))
        bounce_diag_append (diag, v, n);
      else if (diag->len > 0 && !bounce_line_is_blank (l))
        {
          /* the reason's own lines, up to the returned message */
          if (bounce_line_starts (l, "Received:") || bounce_line_starts (l, "From:") ||
              bounce_line_starts (l, "Return-Path:") || bounce_line_starts (l, "----"))
            break;
          bounce_diag_append_line (diag, l);
        }
      else
        continue;
      r->end = l->offset + l->len;
    }
  finish (r, diag);
  return d->out->len > 0;
}

const BounceLayout bounce_layout_smartermail = {
  .name = "smartermail",
  .title = "SmarterMail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_smartermail,
};
