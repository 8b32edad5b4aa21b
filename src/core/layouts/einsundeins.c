/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "provider-layouts.h"

/* 1&1 (IONOS): Exim's opening sentence, then each address bare on a line
 * of its own, "For the following reason:" and 1&1's words or the remote
 * server's reply, and a banner before the returned header:
 *
 *   general@example.net
 *
 *   For the following reason:
 *
 *   Mail size limit exceeded. For explanation visit
 *   http://postmaster.1and1.com/en/error-messages?ip=%1s
 *
 *   --- The header of the original message is following. ---
 *
 * A remote reply reads "SMTP error from remote server for TEXT command,
 * host: ... reason: 550 ..." (TEXT is the message, after DATA).  Learnt
 * from 1&1's postmaster pages (postmaster.1and1.com) and Sisimai's
 * Lhost::EinsUndEins.  The address may also stand indented with a colon
 * after it, the remote reply indented under it ("    bob@example.fr:" /
 * "    SMTP error from remote server for TEXT command, ..."), as Sisimai
 * reads it (lib/Sisimai/Lhost/EinsUndEins.pm at 533c5e891646: white
 * space may precede the address, a colon may follow it). */

static const BouncePhrase einsundeins_phrases[] = {
  { "Mail size limit exceeded", "mesgtoobig" },
};

static gboolean
einsundeins_is_end (const BounceLine *l)
{
  return bounce_line_starts (l, "--- The header of the original message is following. ---") ||
         bounce_line_starts (l, "Content-Type:");
}

static gboolean
einsundeins_skip (const BounceLine *l)
{
  return bounce_line_starts (l, "For the following reason:");
}

/* "SMTP error from remote server for TEXT command, host: mx.example.fr
 * (192.0.2.7) reason: 550 ...": the server that refused is named after
 * "host:", as Sisimai's Lhost::EinsUndEins reads it (its rhost, at
 * 03e6d99db2c4). */
static void
einsundeins_remote_host (BounceFact *fact)
{
  const char *smtp = strstr (fact->text, "SMTP error from remote server");
  const char *host = smtp != NULL ? strstr (smtp, "host: ") : NULL;
  const char *end;

  if (host == NULL || fact->remote_mta != NULL)
    return;
  host += 6;
  for (end = host; g_ascii_isalnum (*end) || *end == '.' || *end == '-'; end++)
    ;
  if (end > host && memchr (host, '.', end - host) != NULL && (*end == ' ' || *end == '\n' || *end == '\0'))
    fact->remote_mta = g_ascii_strdown (host, end - host);
}

static gboolean
parse_einsundeins (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "This message was created automatically by mail delivery software");

  if (start < 0 || bounce_doc_find_start (d, start, "--- The header of the original message is following. ---") < 0)
    return FALSE;
  bounce_doc_address_blocks (d, start + 1, TRUE, einsundeins_is_end, einsundeins_skip);
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *fact = d->out->pdata[i];

      if (fact->text == NULL)
        {
          fact->command_unknown = TRUE;
          continue;
        }
      fact->command = strstr (fact->text, " for TEXT command") != NULL ? BOUNCE_SMTP_COMMAND_DATA
                                                                        : bounce_extract_smtp_command (fact->text, -1);
      fact->command_unknown = fact->command == BOUNCE_SMTP_COMMAND_NONE &&
                              strstr (fact->text, "SMTP error") == NULL;
      bounce_fact_phrase_reason (fact, einsundeins_phrases, G_N_ELEMENTS (einsundeins_phrases), fact->text);
      einsundeins_remote_host (fact);
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_einsundeins = {
  .name = "einsundeins",
  .title = "1&1",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_einsundeins,
};
