/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-layout.h"

/* Microsoft Exchange and Microsoft 365 reports list the replies to their
 * delivery attempts, newest first: "Remote Server at host (IP) returned
 * '441 4.4.1 Error encountered ...'".  Learnt from Microsoft's "Non-delivery
 * reports in Exchange Online"
 * (https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online)
 * and Sisimai's Lhost::Exchange2007. */

/* How much of a text is searched for attempts. */
#define ATTEMPT_SCAN_LIMIT 4096

static GRegex *
attempt_pattern (void)
{
  static BounceRegexSlot regex;

  return bounce_regex_once (&regex,
                            "\\breturned\\s{1,3}'(([45][0-5][0-9])[ -]([45]\\.[0-9]{1,3}\\.[0-9]{1,3})\\s[^']{1,600})'",
                            G_REGEX_CASELESS);
}

static gboolean
quotes_reply (const char *text,
              gsize       length)
{
  for (const char *p = memchr (text, '\'', length); p != NULL && p + 1 < text + length;
       p = memchr (p + 1, '\'', text + length - (p + 1)))
    if (p[1] == '4' || p[1] == '5')
      return TRUE;
  return FALSE;
}

static gboolean
attempt_reply (const char        *text,
               gboolean           skip_expiry,
               BounceQuotedReply *out)
{
  g_autoptr(GMatchInfo) info = NULL;
  gsize length = bounce_utf8_cut (text, ATTEMPT_SCAN_LIMIT);

  /* (every match holds a quote and a reply's class digit: most texts hold
   * none, and the pattern is then neither compiled nor run) */
  if (!quotes_reply (text, length))
    return FALSE;
  g_regex_match_full (attempt_pattern (), text, length, 0, 0, &info, NULL);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      g_autofree char *code = g_match_info_fetch (info, 3);

      if (skip_expiry && g_str_has_suffix (code, ".4.7"))
        continue;
      bounce_quoted_reply_clear (out);
      out->said = g_match_info_fetch (info, 1);
      out->reply = g_match_info_fetch (info, 2);
      out->enhanced = g_steal_pointer (&code);
      return TRUE;
    }
  return FALSE;
}

const BounceLayout bounce_layout_exchange = {
  .name = "exchange",
  .title = "Microsoft Exchange",
  .kind = BOUNCE_LAYOUT_TEXT,
  .attempt_reply = attempt_reply,
};
