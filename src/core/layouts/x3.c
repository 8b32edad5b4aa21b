/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* An unnamed server (Sisimai's Lhost::X3): a boxed "This is an
 * automatically generated Delivery Status Notification." with "* addr"
 * lines, and "Technical details:" below, "SMTP:RCPT host ...: reply" (the
 * command named), "Routing: ..." (the gateway's own words) or
 * "Diagnostic-Code: smtp; ...".  Learnt from Sisimai's Lhost::X3; no
 * reason table. */

static gboolean
parse_starred_dsn (BounceLayoutDoc *d)
{
  int start = bounce_doc_find (d, 0, "This is an automatically generated Delivery Status Notification");
  int details;
  gboolean aborted = FALSE;
  g_autoptr(GString) diag = g_string_new (NULL);
  BounceSmtpCommand command = BOUNCE_SMTP_COMMAND_NONE;

  if (start < 0)
    return FALSE;
  details = bounce_doc_find (d, start, "Technical details:");
  for (guint i = start + 1; i < d->lines->len && (details < 0 || i < (guint) details); i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (bounce_mem_find (s, n, "following recipients was aborted after") != NULL ||
          bounce_mem_find (s, n, "following recipients were aborted after") != NULL)
        aborted = TRUE;
      if (n > 2 && s[0] == '*' && (s[1] == ' ' || s[1] == '\t') && memchr (s, '@', n) != NULL)
        bounce_doc_add_fact (d, bounce_address_in (s + 2, n - 2), i, i);
    }
  if (d->out->len == 0)
    return FALSE;
  if (details >= 0)
    for (guint i = details + 1; i < d->lines->len; i++)
      {
        const BounceLine *l = bounce_doc_line (d, i);
        const char *s;
        gsize n;

        bounce_line_trim (l, &s, &n);
        if (n > 0 && s[0] == '=')
          break;
        if (bounce_mem_has_prefix (s, n, "SMTP:"))
          {
            /* "SMTP:RCPT host mx.example.org: 550 ..." */
            command = bounce_extract_smtp_command (s, n);
            while (n > 0 && *s != ' ')
              s++, n--;
          }
        else if (bounce_mem_has_prefix (s, n, "Routing:"))
          s += 8, n -= 8;
        else if (bounce_mem_has_prefix (s, n, "Diagnostic-Code:"))
          {
            /* "Diagnostic-Code: smtp; 552 5.2.2 Over quota" */
            const char *semi = memchr (s, ';', n);

            if (semi != NULL)
              n -= semi + 1 - s, s = semi + 1;
          }
        bounce_diag_append (diag, s, n);
      }
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *r = d->out->pdata[i];

      bounce_fact_set_diag (r, diag);
      r->command = command;
      /* technical details without an SMTP line: the gateway decided
       * ("Routing: Could not find a gateway for ..."), no command */
      r->command_unknown = details >= 0 && diag->len > 0 && command == BOUNCE_SMTP_COMMAND_NONE &&
                           bounce_doc_find_start (d, details, "SMTP:") < 0;
      /* Given up after a while with no server reply to blame. */
      if (aborted && command == BOUNCE_SMTP_COMMAND_NONE && !bounce_doc_has_dsn (d))
        r->reason = g_strdup ("expired");
    }
  return TRUE;
}

const BounceLayout bounce_layout_x3 = {
  .name = "x3",
  .title = "unknown MTA (x3)",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_starred_dsn,
};
