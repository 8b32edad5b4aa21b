/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Deutsche Telekom (T-Online, magenta.de) runs a derivative of Smail 3,
 * whose returned-mail notice is framed by banner lines:
 *
 *   |------------------------- Message log follows: -------------------------|
 *   no valid recipients were found for this message
 *   |------------------------- Failed addresses follow: ---------------------|
 *    <bob@t-online.de>
 *      552 5.2.2 <bob@t-online.de> Quota exceeded (mailbox for user is full)
 *   |------------------------- Message text follows: ------------------------|
 *
 * Telekom writes each address in angle brackets with the remote reply
 * indented under it; Smail itself writes " bob@example.org ... failed:
 * reason" on one line and the message log above says why.  The command is
 * never shown.  Learnt from Smail 3.2's notify.c (the banners and the
 * " ... failed: " line) and Sisimai's Lhost::DeutscheTelekom. */

static gboolean
parse_deutsche_telekom (BounceLayoutDoc *d)
{
  int start = bounce_doc_find (d, 0, "-------- Failed addresses follow: ----");
  int log = bounce_doc_find (d, 0, "-------- Message log follows: ----");
  BounceFact *current = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);
  g_autoptr(GString) message_log = g_string_new (NULL);

  if (start < 0)
    return FALSE;
  if (log >= 0 && log < start)
    for (guint i = log + 1; i < (guint) start; i++)
      bounce_diag_append_line (message_log, bounce_doc_line (d, i));
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *dots;
      gsize n;
      char *address = NULL;

      bounce_line_trim (l, &s, &n);
      if (bounce_mem_has_prefix (s, n, "|-----"))
        break;
      if (n == 0)
        continue;
      dots = bounce_mem_find (s, n, " ... ");
      if (s[0] == '<' && s[n - 1] == '>' && !bounce_mem_has_unquoted (s, n, " "))
        address = bounce_address_in (s + 1, n - 2);
      else if (dots != NULL && !bounce_mem_has_unquoted (s, dots - s, " ") && memchr (s, '@', dots - s) != NULL)
        address = bounce_address_in (s, dots - s);
      if (address != NULL)
        {
          if (current != NULL)
            bounce_fact_set_diag (current, diag);
          g_string_truncate (diag, 0);
          current = bounce_doc_add_fact (d, address, i, i);
          current->command_unknown = TRUE;
          if (dots != NULL)
            {
              /* Smail: the log says why, then its own line */
              g_string_append (diag, message_log->str);
              bounce_diag_append (diag, dots + 5, s + n - dots - 5);
            }
          continue;
        }
      if (current == NULL)
        continue;
      bounce_diag_append (diag, s, n);
      current->end = l->offset + l->len;
    }
  if (current != NULL)
    bounce_fact_set_diag (current, diag);
  return d->out->len > 0;
}

const BounceLayout bounce_layout_deutsche_telekom = {
  .name = "deutsche-telekom",
  .title = "Deutsche Telekom (Smail)",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_deutsche_telekom,
};
