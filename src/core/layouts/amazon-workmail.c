/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-layout.h"

/* Amazon WorkMail's own verdict quotes the remote server's last reply in
 * angle brackets: "554 4.4.7 Message expired: unable to deliver in 840
 * minutes.<421 4.4.2 Connection timed out>".  That reply says what
 * happened.  Learnt from Sisimai's Lhost::AmazonWorkMail. */

static GRegex *
quote_pattern (void)
{
  static BounceRegexSlot regex;

  return bounce_regex_once (&regex,
                            "[.:;]\\s{0,3}<([45][0-5][0-9])[ -]([245]\\.[0-9]{1,3}\\.[0-9]{1,3})\\s[^<>\\n]{1,300}>",
                            G_REGEX_CASELESS);
}

/* Every match holds '<' and a reply's class digit: most verdicts hold
 * none, and the pattern is then neither compiled nor run. */
static gboolean
may_quote (const char *text)
{
  for (const char *p = strchr (text, '<'); p != NULL; p = strchr (p + 1, '<'))
    if (p[1] == '4' || p[1] == '5')
      return TRUE;
  return FALSE;
}

static gboolean
verdict_quote (const char        *text,
               BounceQuotedReply *out)
{
  g_autoptr(GMatchInfo) info = NULL;

  if (!may_quote (text) || !g_regex_match (quote_pattern (), text, 0, &info))
    return FALSE;
  bounce_quoted_reply_clear (out);
  out->reply = g_match_info_fetch (info, 1);
  out->enhanced = g_match_info_fetch (info, 2);
  return TRUE;
}

const BounceLayout bounce_layout_amazon_workmail = {
  .name = "amazon-workmail",
  .title = "Amazon WorkMail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .verdict_quote = verdict_quote,
};
