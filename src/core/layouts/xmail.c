/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* XMail (Davide Libenzi's XMail, and AfterLogic XMail Server built on it).
 * Learnt from its source (QueueUtils.cpp, QueUtBuildErrorResponse(),
 * https://github.com/davidel/xmail): the notice opens with "[<00>] XMail
 * bounce: Rcpt=[<address>];Error=[<reason>]" (the reason may go on over
 * several lines up to its closing bracket), then "[<01>] Error sending
 * message [...] from [...]." with "Rcpt To:" and "Server:", "[<02>] The
 * reason of the delivery failure was:" with the reason again, an optional
 * "[<03>] Note:" and the message log.  Its own reason "The maximum number of
 * delivery attempts has been reached" names an expiry; a remote reply
 * names the command only when its text says so. */

static const BouncePhrase xmail_phrases[] = {
  { "The maximum number of delivery attempts has been reached", "expired" },
};

static gboolean
parse_xmail (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "[<00>] XMail bounce: Rcpt=[");
  const char *v, *close, *err;
  gsize n;
  char *address;
  guint last;
  BounceFact *r;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (start < 0)
    return FALSE;
  bounce_line_value (bounce_doc_line (d, start), "[<00>] XMail bounce: Rcpt=[", &v, &n);
  close = memchr (v, ']', n);
  if (close == NULL)
    return FALSE;
  address = bounce_address_in (v, close - v);
  if (address == NULL)
    return FALSE;
  last = start;
  err = bounce_mem_find (close, n - (close - v), "Error=[");
  if (err != NULL)
    {
      const char *s = err + strlen ("Error=[");
      gsize k = n - (s - v);

      /* "...]" closes it on this line or a later one */
      if (k > 0 && s[k - 1] == ']')
        bounce_diag_append (diag, s, k - 1);
      else
        {
          bounce_diag_append (diag, s, k);
          for (guint i = start + 1; i < d->lines->len && i < (guint) start + 40; i++)
            {
              const BounceLine *l = bounce_doc_line (d, i);
              const char *t;
              gsize m;

              bounce_line_trim (l, &t, &m);
              last = i;
              if (m > 0 && t[m - 1] == ']')
                {
                  bounce_diag_append (diag, t, m - 1);
                  break;
                }
              if (bounce_mem_has_prefix (t, m, "[<01>]"))
                break;
              bounce_diag_append (diag, t, m);
            }
        }
    }
  r = bounce_doc_add_fact (d, address, start, last);
  bounce_fact_set_diag (r, diag);
  if (r->text != NULL)
    r->command = bounce_extract_smtp_command (r->text, -1);
  r->command_unknown = r->command == BOUNCE_SMTP_COMMAND_NONE;
  r->reason = g_strdup (bounce_phrase_reason (xmail_phrases, G_N_ELEMENTS (xmail_phrases), diag->str));
  return TRUE;
}

const BounceLayout bounce_layout_xmail = {
  .name = "xmail",
  .title = "XMail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_xmail,
};
