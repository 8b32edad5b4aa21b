/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Yahoo! Mail's own bounces (they carry an X-YMailISG header) follow
 * qmail's layout:
 *
 *   Sorry, we were unable to deliver your message to the following address.
 *
 *   <bob@example.net>:
 *   Remote host said: 550 5.1.1 <bob@example.net>... User Unknown [RCPT_TO]
 *
 * The list is read as qmail's (qmail.c), or as the qmail copies' that
 * open with Yahoo's sentence (x4.c); "[RCPT_TO]" names the command,
 * and a reply that names the recipient's address answered RCPT TO when it
 * does not say.  Learnt from Sisimai's Lhost::Yahoo. */

extern const BounceLayout bounce_layout_qmail;
extern const BounceLayout bounce_layout_x4;

static gboolean
parse_yahoo (BounceLayoutDoc *d)
{
  if (bounce_doc_header (d, "X-YMailISG") == NULL)
    return FALSE;
  if (!bounce_layout_qmail.parse (d) && !bounce_layout_x4.parse (d))
    return FALSE;
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *fact = d->out->pdata[i];
      g_autofree char *quoted = NULL;

      if (fact->text == NULL || fact->command != BOUNCE_SMTP_COMMAND_NONE)
        continue;
      quoted = g_strdup_printf ("<%s>", fact->address);
      if (strstr (fact->text, quoted) != NULL)
        fact->command = BOUNCE_SMTP_COMMAND_RCPT;
    }
  return TRUE;
}

const BounceLayout bounce_layout_yahoo = {
  .name = "yahoo",
  .title = "Yahoo! Mail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_yahoo,
};
