/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The regular expressions that bounce_extract_address(),
 * bounce_extract_smtp_command() and bounce_address_is_daemon() read by
 * hand since 2026-12-07 (as they stood in bounce-extract.c before), matched
 * on bytes (G_REGEX_RAW) as they were: the oracles that tests/test-extract.c
 * and fuzz/fuzz-extract.c hold the hand readers to. */

#include <string.h>

#include "bounce-core.h"

#define EXTRACT_ADDRESS_REGEX \
  "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?" \
  "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?){0,126}"

/* (groups: 1 a command word, 2 RCPT, 3 DATA, 4 MAIL, 5 connection) */
#define EXTRACT_SMTP_COMMAND_REGEX \
  "(?i)(?:(?:in\\s+reply\\s+to|after(?:\\s+pipelined)?|>>>|progress\\s+was|during|response\\s+to|" \
  "while\\s+sending|did\\s+not\\s+like\\s+our|smtp\\s+command|failed\\s+on|in)\\s{1,3}|SMTP:\\s{0,3})" \
  "(?:the\\s+)?(?:final\\s+)?(RCPT(?:\\s+TO)?|MAIL(?:\\s+FROM)?|DATA|BDAT|end\\s+of\\s+data|HELO|EHLO|LHLO|" \
  "initial\\s+connection|connect|greeting|STARTTLS|AUTH|message\\s+body)\\b" \
  "|(does\\s+not\\s+like\\s+recipient|\\[RCPT_TO\\])" \
  "|(failed\\s+after\\s+I\\s+sent\\s+the\\s+message|\\[DATA\\])" \
  "|(but\\s+sender\\s+was\\s+rejected)" \
  "|(but\\s+my\\s+name\\s+was\\s+rejected|but\\s+greeting\\s+failed)"

#define EXTRACT_DAEMON_REGEX \
  "(?im)^(?:mailer-daemon|mail-daemon|mailerdaemon|double-bounce|mdaemon)(?:[+-][^@]*)?@"

/* The command EXTRACT_SMTP_COMMAND_REGEX (compiled by the caller) finds in
 * text[0, length), as bounce_extract_smtp_command() answered before. */
static inline BounceSmtpCommand
extract_smtp_command_by_regex (GRegex     *regex,
                               const char *text,
                               gssize      length)
{
  static const BounceSmtpCommand groups[] = {
    BOUNCE_SMTP_COMMAND_NONE, BOUNCE_SMTP_COMMAND_NONE, BOUNCE_SMTP_COMMAND_RCPT,
    BOUNCE_SMTP_COMMAND_DATA, BOUNCE_SMTP_COMMAND_MAIL, BOUNCE_SMTP_COMMAND_CONNECT,
  };
  g_autoptr(GMatchInfo) info = NULL;
  int start, end;

  if (!g_regex_match_full (regex, text, length, 0, 0, &info, NULL))
    return BOUNCE_SMTP_COMMAND_NONE;
  for (guint i = 2; i <= 5; i++)
    if (g_match_info_fetch_pos (info, i, &start, &end) && start >= 0)
      return groups[i];
  /* (a match holds one of the groups: without any, the comparison fails) */
  if (!g_match_info_fetch_pos (info, 1, &start, &end) || start < 0)
    return BOUNCE_SMTP_COMMAND_NONE;
  if (g_ascii_strncasecmp (text + start, "rcpt", 4) == 0)
    return BOUNCE_SMTP_COMMAND_RCPT;
  if (g_ascii_strncasecmp (text + start, "mail", 4) == 0)
    return BOUNCE_SMTP_COMMAND_MAIL;
  if (g_ascii_strncasecmp (text + start, "data", 4) == 0 || g_ascii_strncasecmp (text + start, "bdat", 4) == 0 ||
      g_ascii_strncasecmp (text + start, "end", 3) == 0 || g_ascii_strncasecmp (text + start, "message", 7) == 0)
    return BOUNCE_SMTP_COMMAND_DATA;
  return BOUNCE_SMTP_COMMAND_CONNECT;
}
