/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* Cyrus IMAP's Sieve "reject".  Learnt from its source
 * (https://github.com/cyrusimap/cyrus-imapd, imap/lmtp_sieve.c): a
 * disposition notification, "Subject: Automatically rejected mail", whose
 * text says "Your message was automatically rejected by Sieve, a mail
 * filtering language." and "The following reason was given:" with the
 * script's reason; the recipient is only in the notification's fields
 * ("Final-Recipient:", "Original-Recipient:").  No SMTP command is
 * involved, and the refusal is the recipient's own filter. */

static gboolean
parse_cyrus (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "Your message was automatically rejected by Sieve");
  int given;
  const char *v;
  gsize n;
  char *address = NULL;
  guint last;
  BounceFact *r;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (start < 0)
    return FALSE;
  given = bounce_doc_find_start (d, start, "The following reason was given:");
  for (guint i = start; i < d->lines->len && address == NULL; i++)
    if (bounce_line_value (bounce_doc_line (d, i), "Final-Recipient:", &v, &n) ||
        bounce_line_value (bounce_doc_line (d, i), "Original-Recipient:", &v, &n))
      address = bounce_address_in (v, n);
  if (address == NULL)
    return FALSE;
  last = given >= 0 ? (guint) given : (guint) start;
  for (guint i = last + 1; given >= 0 && i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (bounce_line_is_blank (l) || bounce_line_starts (l, "Reporting-UA:"))
        break;
      bounce_diag_append_line (diag, l);
      last = i;
    }
  r = bounce_doc_add_fact (d, address, start, last);
  bounce_fact_set_diag (r, diag);
  r->command_unknown = TRUE;
  r->reason = g_strdup ("filtered");
  return TRUE;
}

const BounceLayout bounce_layout_cyrus = {
  .name = "cyrus",
  .title = "Cyrus IMAP",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_cyrus,
};
