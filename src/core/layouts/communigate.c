/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-layout-lines.h"

/* CommuniGate Pro.  Its notice (Subject "Undeliverable mail: ...") gives
 * each failed recipient a block of its own:
 *
 *   Failed to deliver to '<bob@example.net>'
 *   SMTP module(domain example.net) reports:
 *    host mx.example.net says:
 *    550 5.1.1 User unknown
 *
 * The second line names the CommuniGate module that failed ("SMTP
 * module(domain ...)" for a remote server, whose reply follows "host ...
 * says:"; "LOCAL module(account ...)" for a mailbox of its own, whose
 * words follow, such as "account is full (quota exceeded)"); a refusal by
 * the server itself is one line of its words ("Messages without To: fields
 * are not accepted here").  The address is quoted with or without angle
 * brackets.  Learnt from the CommuniGate Pro notices that
 * PHP-Bounce-Mail-Handler quotes in its rules (bounce_rules.php, rules
 * "content_reject" and "full"; https://github.com/cfortune/PHP-Bounce-Mail-Handler)
 * and from those in the bounce_email gem's fixtures (tests/outside/bounce-email,
 * which name "CommuniGate Pro" in their Received fields).  CommuniGate Pro
 * also sends a delivery-status part; a notice pasted alone has only this
 * text, and neither shows the SMTP command. */

#define FAILED_TO_DELIVER "Failed to deliver to '"

/* "host mx.example.net says:": the host, or NULL. */
static char *
says_host (const BounceLine *l)
{
  const char *s;
  gsize len;

  if (!bounce_line_value (l, "host ", &s, &len) || len < 6 ||
      !bounce_mem_has_prefix (s + len - 5, 5, "says:"))
    return NULL;
  len -= 5;
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
    len--;
  if (len == 0 || memchr (s, ' ', len) != NULL)
    return NULL;
  return g_ascii_strdown (s, len);
}

static gboolean
parse_communigate (BounceLayoutDoc *d)
{
  int at = bounce_doc_find_start (d, 0, FAILED_TO_DELIVER);

  while (at >= 0)
    {
      const BounceLine *l = bounce_doc_line (d, at);
      const char *s;
      gsize len;
      const char *close;
      char *address;
      g_autoptr(GString) diag = g_string_new (NULL);
      g_autofree char *host = NULL;
      guint last = at;
      BounceFact *fact;

      bounce_line_trim (l, &s, &len);
      s += strlen (FAILED_TO_DELIVER);
      len -= strlen (FAILED_TO_DELIVER);
      close = memchr (s, '\'', len);
      address = close != NULL ? bounce_address_in (s, close - s) : NULL;
      if (address == NULL)
        {
          at = bounce_doc_find_start (d, at + 1, FAILED_TO_DELIVER);
          continue;
        }
      /* the block: the module's line and its report, up to a blank line
       * or the next recipient's block */
      for (guint i = at + 1; i < d->lines->len; i++)
        {
          const BounceLine *m = bounce_doc_line (d, i);

          if (bounce_line_is_blank (m) || bounce_line_starts (m, FAILED_TO_DELIVER))
            break;
          if (host == NULL && (host = says_host (m)) != NULL)
            {
              last = i;
              continue;
            }
          if (!bounce_line_contains (m, " module(") || !bounce_line_contains (m, ") reports:"))
            bounce_diag_append_line (diag, m);
          last = i;
        }
      fact = bounce_doc_add_fact (d, address, at, last);
      fact->command_unknown = TRUE;
      if (diag->len > 0)
        bounce_fact_set_diag (fact, diag);
      else
        bounce_fact_set_text (fact, NULL);
      if (host != NULL)
        fact->remote_mta = g_steal_pointer (&host);
      at = bounce_doc_find_start (d, last + 1, FAILED_TO_DELIVER);
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_communigate = {
  .name = "communigate",
  .title = "CommuniGate Pro",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_communigate,
};
