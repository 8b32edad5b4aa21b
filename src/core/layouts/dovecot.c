/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-families.h"
#include "bounce-layout-lines.h"

/* Dovecot's delivery agents (LDA and LMTP with Pigeonhole Sieve), which
 * reject a message with a disposition notification whose text is the
 * rejection_reason setting, by default "Your message to <%t> was
 * automatically rejected:%n%r" (Dovecot's source,
 * https://github.com/dovecot/core: DEFAULT_MAIL_REJECTION_HUMAN_REASON in
 * the deliver code, later the rejection_reason setting's default, as also
 * quoted by Sisimai's Sisimai::LDA): the recipient, then the
 * reason, which is the Sieve script's "reject" text or the quota error
 * ("Quota exceeded (mailbox for user is full)").  No SMTP command is
 * involved. */

const BouncePhrase bounce_dovecot_phrases[] = {
  { "Quota exceeded", "mailboxfull" },
  { "mailbox for user is full", "mailboxfull" },
  { "Not enough disk space", "mailboxfull" },
  /* delivery into a mailbox that is not there (Sisimai's MDA.pm) */
  { "Mailbox doesn't exist: ", "userunknown" },
};
const gsize bounce_dovecot_n_phrases = G_N_ELEMENTS (bounce_dovecot_phrases);

static gboolean
parse_dovecot (BounceLayoutDoc *d)
{
  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *v, *end;
      gsize n;
      char *address;
      BounceFact *r;
      guint last = i;
      g_autoptr(GString) diag = NULL;

      if (!bounce_line_value (l, "Your message to ", &v, &n) ||
          (end = bounce_mem_find (v, n, " was automatically rejected:")) == NULL)
        continue;
      address = bounce_address_in (v, end - v);
      if (address == NULL)
        return FALSE;
      diag = g_string_new (NULL);
      end += strlen (" was automatically rejected:");
      bounce_diag_append (diag, end, n - (end - v));
      for (guint j = i + 1; j < d->lines->len; j++)
        {
          const BounceLine *m = bounce_doc_line (d, j);

          if (bounce_line_is_blank (m) || bounce_line_starts (m, "Reporting-UA:") ||
              bounce_line_starts (m, "Final-Recipient:"))
            break;
          bounce_diag_append_line (diag, m);
          last = j;
        }
      r = bounce_doc_add_fact (d, address, i, last);
      bounce_fact_set_diag (r, diag);
      r->command_unknown = TRUE;
      /* the recipient's own delivery agent refused it: its filter, unless
       * the reason is the quota */
      r->reason = g_strdup (bounce_phrase_reason (bounce_dovecot_phrases, bounce_dovecot_n_phrases,
                                                  diag->str));
      if (r->reason == NULL)
        r->reason = g_strdup ("filtered");
      return TRUE;
    }
  return FALSE;
}

const BounceLayout bounce_layout_dovecot = {
  .name = "dovecot",
  .title = "Dovecot",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_dovecot,
};
