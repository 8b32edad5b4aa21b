/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* Trend Micro InterScan Messaging Security Suite (and Trend Vision One
 * Email and Collaboration Security).  Its notices (From "InterScan MSS" or
 * "InterScan Notification") show the failed exchange as "Sent <<< RCPT
 * TO:<addr>" / "Received >>> 550 ..." (with translated words in other
 * languages, the arrows stay), or say "Unable to deliver message to
 * <addr>", its own sentence for an address it could not resolve.  Learnt
 * from Sisimai's Lhost::InterScanMSS and Lhost::TrendMicro. */

/* "Sent <<< RCPT TO:<addr>" or "... <<< ..." in another language */
static const char *
arrow (const char *s,
       gsize       n,
       const char *arrows)
{
  const char *p = bounce_mem_find (s, n, arrows);

  return p != NULL && p > s && p[-1] == ' ' && p + 3 < s + n && p[3] == ' ' ? p + 4 : NULL;
}

static gboolean
parse_interscan (BounceLayoutDoc *d)
{
  BounceFact *current = NULL;

  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *sent, *received;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (bounce_mem_has_prefix (s, n, "Reason:"))
        {
          s += 7, n -= 7;
          while (n > 0 && *s == ' ')
            s++, n--;
        }
      if (bounce_mem_has_prefix (s, n, "Unable to deliver message to <"))
        {
          const char *lt = s + strlen ("Unable to deliver message to ");
          BounceFact *r = bounce_doc_add_fact (d, bounce_address_in (lt, n - (lt - s)), i, i);
          g_autoptr(GString) diag = g_string_new (NULL);

          bounce_diag_append (diag, s, n);
          bounce_fact_set_diag (r, diag);
          /* InterScan's own sentence: it could not resolve the address */
          r->reason = g_strdup ("userunknown");
          r->command_unknown = TRUE;
          continue;
        }
      /* the arrows point either way depending on the language: what
       * follows them says whether it is the command or the reply */
      sent = arrow (s, n, "<<<");
      received = arrow (s, n, ">>>");
      if (sent == NULL)
        sent = received;
      if (sent == NULL)
        continue;
      if (s + n - sent > 3 && (sent[0] == '4' || sent[0] == '5') && g_ascii_isdigit (sent[1]) &&
          g_ascii_isdigit (sent[2]))
        {
          g_autoptr(GString) diag = NULL;

          if (current == NULL)
            continue;
          diag = g_string_new (NULL);
          bounce_diag_append (diag, sent, s + n - sent);
          bounce_fact_set_diag (current, diag);
          current->end = l->offset + l->len;
          current = NULL;
          continue;
        }
      {
        /* "Sent <<< RCPT TO:<addr>": the command and its recipient */
        const char *lt = memchr (sent, '<', s + n - sent);
        char *address = lt != NULL ? bounce_address_in (lt, s + n - lt) : NULL;
        gsize rest = s + n - sent;

        if (address == NULL)
          continue;
        current = bounce_doc_find_fact (d, address);
        if (current == NULL)
          current = bounce_doc_add_fact (d, address, i, i);
        else
          g_free (address);
        if (bounce_mem_has_prefix (sent, rest, "RCPT"))
          current->command = BOUNCE_SMTP_COMMAND_RCPT;
        else if (bounce_mem_has_prefix (sent, rest, "MAIL"))
          current->command = BOUNCE_SMTP_COMMAND_MAIL;
        else if (bounce_mem_has_prefix (sent, rest, "DATA"))
          current->command = BOUNCE_SMTP_COMMAND_DATA;
      }
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_interscan = {
  .name = "interscan",
  .title = "Trend Micro InterScan",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_interscan,
};
