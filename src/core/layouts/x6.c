/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* An unnamed server (Sisimai's Lhost::X6): "We had trouble delivering
 * your message. Full details follow:", the subject and date, "N
 * error(s):", then one line per refusal: "SMTP Server <host> rejected
 * recipient <addr> (Error following RCPT command). It responded as
 * follows: [550 5.1.1 User unknown]" or "The following recipients
 * returned permanent errors: addr. Reason: SMTP Server <host> refused to
 * accept your message (DATA), with the following error message: [...]",
 * up to "The attachment contains the original mail headers".  Learnt from
 * Sisimai's Lhost::X6; no reason table. */

/* "following RCPT command", "your message (DATA)" */
static BounceSmtpCommand
x6_command (const char *s,
            gsize       n)
{
  static const struct {
    const char *word;
    BounceSmtpCommand command;
  } words[] = {
    { "RCPT", BOUNCE_SMTP_COMMAND_RCPT },
    { "MAIL", BOUNCE_SMTP_COMMAND_MAIL },
    { "DATA", BOUNCE_SMTP_COMMAND_DATA },
    { "EHLO", BOUNCE_SMTP_COMMAND_CONNECT },
    { "HELO", BOUNCE_SMTP_COMMAND_CONNECT },
  };
  const char *p = bounce_mem_find (s, n, "following ");
  const char *q = bounce_mem_find (s, n, "your message (");

  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (p != NULL && bounce_mem_has_prefix (p + 10, s + n - p - 10, words[i].word))
        return words[i].command;
      if (q != NULL && bounce_mem_has_prefix (q + 14, s + n - q - 14, words[i].word))
        return words[i].command;
    }
  return BOUNCE_SMTP_COMMAND_NONE;
}

static gboolean
parse_x6 (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "We had trouble delivering your message. Full details follow:");

  if (start < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *a = NULL;
      gsize n;
      char *address = NULL;
      BounceFact *r;
      g_autoptr(GString) diag = NULL;

      bounce_line_trim (l, &s, &n);
      if (bounce_mem_has_prefix (s, n, "The attachment contains the original mail headers"))
        break;
      if (bounce_mem_has_prefix (s, n, "The following recipients returned permanent errors: "))
        {
          a = s + strlen ("The following recipients returned permanent errors: ");
          address = bounce_address_in (a, s + n - a);
        }
      else if (bounce_mem_has_prefix (s, n, "SMTP Server <") &&
               (a = bounce_mem_find (s, n, " recipient <")) != NULL)
        address = bounce_address_in (a, s + n - a);
      if (address == NULL)
        continue;
      r = bounce_doc_add_fact (d, address, i, i);
      diag = g_string_new (NULL);
      bounce_diag_append (diag, s, n);
      bounce_fact_set_diag (r, diag);
      r->command = x6_command (s, n);
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_x6 = {
  .name = "x6",
  .title = "unknown MTA (x6)",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_x6,
};
