/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "provider-layouts.h"

/* GMX and WEB.DE (United Internet): Exim's opening sentence, then each
 * address on a line of its own, in quotes or angle brackets, with what
 * went wrong below it, and a banner before the returned header:
 *
 *   "bob@example.net":
 *   SMTP error from remote server after RCPT command:
 *   host: mx.example.net
 *   5.1.1 <bob@example.net>... User Unknown
 *
 *   --- The header of the original message is following. ---
 *
 * or "<bob@example.net>", "Reason:" and GMX's own words ("delivery retry
 * timeout exceeded").  Learnt from Sisimai's Lhost::GMX. */

static const BouncePhrase gmx_phrases[] = {
  { "delivery retry timeout exceeded", "expired" },
};

static gboolean
gmx_is_end (const BounceLine *l)
{
  return bounce_line_starts (l, "--- The header of the original message is following. ---") ||
         bounce_line_starts (l, "Content-Type:");
}

static gboolean
gmx_skip (const BounceLine *l)
{
  return bounce_line_starts (l, "Reason:");
}

/* "SMTP error from remote server after RCPT command: host: mx.example.net
 * 5.1.1 <bob@example.net>... User Unknown": GMX's words, the remote
 * server's name after "host:" and its reply (Sisimai's Lhost::GMX, commit
 * 0430b706, reads the host as the remote host and the line after it as the
 * diagnosis).  The server is the recipient's remote MTA, and its reply
 * alone is what it said. */
static void
gmx_remote_reply (BounceFact *fact)
{
  const char *host = strstr (fact->text, "host: ");
  const char *end;
  g_autofree char *reply = NULL;

  if (host == NULL || strstr (fact->text, "SMTP error") == NULL || host < strstr (fact->text, "SMTP error"))
    return;
  host += 6;
  for (end = host; *end != '\0' && (g_ascii_isalnum (*end) || *end == '.' || *end == '-'); end++)
    ;
  if (end == host || memchr (host, '.', end - host) == NULL || (*end != ' ' && *end != '\n'))
    return;
  if (fact->remote_mta == NULL)
    fact->remote_mta = g_ascii_strdown (host, end - host);
  reply = g_strstrip (g_strdup (end));
  if (*reply != '\0')
    bounce_fact_set_text (fact, reply);
}

static gboolean
parse_gmx (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "This message was created automatically by mail delivery software");

  if (start < 0 || bounce_doc_find_start (d, start, "--- The header of the original message is following. ---") < 0)
    return FALSE;
  /* the quoted or bracketed address lines are GMX's; 1&1 writes them bare */
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (gmx_is_end (l))
        return FALSE;
      if ((bounce_line_starts (l, "\"") || bounce_line_starts (l, "<")) && bounce_line_contains (l, "@"))
        break;
    }
  bounce_doc_address_blocks (d, start + 1, FALSE, gmx_is_end, gmx_skip);
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *fact = d->out->pdata[i];

      if (fact->text == NULL)
        continue;
      /* "SMTP error from remote server after RCPT command:" */
      fact->command = bounce_extract_smtp_command (fact->text, -1);
      fact->command_unknown = fact->command == BOUNCE_SMTP_COMMAND_NONE &&
                              strstr (fact->text, "SMTP error") == NULL;
      bounce_fact_phrase_reason (fact, gmx_phrases, G_N_ELEMENTS (gmx_phrases), fact->text);
      gmx_remote_reply (fact);
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_gmx = {
  .name = "gmx",
  .title = "GMX",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_gmx,
};
