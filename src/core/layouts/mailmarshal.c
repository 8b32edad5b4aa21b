/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* Trustwave Secure Email Gateway, formerly MailMarshal SMTP.  Its notice
 * (Subject 'Undeliverable Mail: "<subject>"') reads "Your message:" with
 * the message's From and Subject, "Could not be delivered because of",
 * the reply, then "The following recipients were affected:" over the
 * addresses, indented by four spaces, and an "Additional Information"
 * block.  Learnt from Sisimai's Lhost::MailMarshalSMTP (and its successor
 * Lhost::MailMarshal); no reason table.  It never names an SMTP
 * command. */

static gboolean
parse_mailmarshal (BounceLayoutDoc *d)
{
  int because = bounce_doc_find_start (d, 0, "Could not be delivered because of");
  int affected;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (because < 0)
    return FALSE;
  affected = bounce_doc_find_start (d, because, "The following recipients were affected:");
  if (affected < 0)
    return FALSE;
  for (guint i = because + 1; i < (guint) affected; i++)
    bounce_diag_append_line (diag, bounce_doc_line (d, i));
  for (guint i = affected + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;
      BounceFact *r;

      bounce_line_trim (l, &s, &n);
      if (n == 0)
        {
          if (d->out->len > 0)
            break;
          continue;
        }
      if (memchr (s, '@', n) == NULL || bounce_mem_has_unquoted (s, n, " "))
        break;
      r = bounce_doc_add_fact (d, bounce_address_in (s, n), i, i);
      bounce_fact_set_diag (r, diag);
      r->command_unknown = TRUE;
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_mailmarshal = {
  .name = "mailmarshal",
  .title = "Trustwave Secure Email Gateway (MailMarshal)",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_mailmarshal,
};
