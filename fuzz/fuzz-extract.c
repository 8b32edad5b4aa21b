/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"

/* The regular expressions that bounce_extract_address(),
 * bounce_extract_smtp_command() and bounce_address_is_daemon() have read
 * by hand since 2026-12-07 (as they were in bounce-extract.c before; also
 * in tests/test-extract.c), matched on bytes as they were. */
#define ADDRESS_REGEX \
  "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?" \
  "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?){0,8}"
#define SMTP_COMMAND_REGEX \
  "(?i)(?:(?:in\\s+reply\\s+to|after(?:\\s+pipelined)?|>>>|progress\\s+was|during|response\\s+to|" \
  "while\\s+sending|did\\s+not\\s+like\\s+our|smtp\\s+command|failed\\s+on|in)\\s{1,3}|SMTP:\\s{0,3})" \
  "(?:the\\s+)?(?:final\\s+)?(RCPT(?:\\s+TO)?|MAIL(?:\\s+FROM)?|DATA|BDAT|end\\s+of\\s+data|HELO|EHLO|LHLO|" \
  "initial\\s+connection|connect|greeting|STARTTLS|AUTH|message\\s+body)\\b" \
  "|(does\\s+not\\s+like\\s+recipient|\\[RCPT_TO\\])" \
  "|(failed\\s+after\\s+I\\s+sent\\s+the\\s+message|\\[DATA\\])" \
  "|(but\\s+sender\\s+was\\s+rejected)" \
  "|(but\\s+my\\s+name\\s+was\\s+rejected|but\\s+greeting\\s+failed)"
#define DAEMON_REGEX \
  "(?im)^(?:mailer-daemon|mail-daemon|mailerdaemon|double-bounce|mdaemon)(?:[+-][^@]*)?@"

static GRegex *
raw_regex (const char *pattern)
{
  GRegex *regex = g_regex_new (pattern, G_REGEX_RAW, G_REGEX_MATCH_DEFAULT, NULL);

  FUZZ_CHECK (regex != NULL);
  return regex;
}

static BounceSmtpCommand
smtp_command_by_regex (const char *text,
                       gsize       length)
{
  static GRegex *regex;
  static const BounceSmtpCommand groups[] = {
    BOUNCE_SMTP_COMMAND_NONE, BOUNCE_SMTP_COMMAND_NONE, BOUNCE_SMTP_COMMAND_RCPT,
    BOUNCE_SMTP_COMMAND_DATA, BOUNCE_SMTP_COMMAND_MAIL, BOUNCE_SMTP_COMMAND_CONNECT,
  };
  g_autoptr(GMatchInfo) info = NULL;
  int start, end;

  if (regex == NULL)
    regex = raw_regex (SMTP_COMMAND_REGEX);
  if (!g_regex_match_full (regex, text, length, 0, 0, &info, NULL))
    return BOUNCE_SMTP_COMMAND_NONE;
  for (guint i = 2; i <= 5; i++)
    if (g_match_info_fetch_pos (info, i, &start, &end) && start >= 0)
      return groups[i];
  FUZZ_CHECK (g_match_info_fetch_pos (info, 1, &start, &end) && start >= 0);
  if (g_ascii_strncasecmp (text + start, "rcpt", 4) == 0)
    return BOUNCE_SMTP_COMMAND_RCPT;
  if (g_ascii_strncasecmp (text + start, "mail", 4) == 0)
    return BOUNCE_SMTP_COMMAND_MAIL;
  if (g_ascii_strncasecmp (text + start, "data", 4) == 0 || g_ascii_strncasecmp (text + start, "bdat", 4) == 0 ||
      g_ascii_strncasecmp (text + start, "end", 3) == 0 || g_ascii_strncasecmp (text + start, "message", 7) == 0)
    return BOUNCE_SMTP_COMMAND_DATA;
  return BOUNCE_SMTP_COMMAND_CONNECT;
}

/* The hand readers on the input's own bytes (any bytes, NULs too), with
 * the length given: the input's buffer ends there, so that a read past
 * it is caught, and a length cut shorter still must hide what follows.
 * Each finds what its regex finds. */
static void
check_as_regex (const char *data,
                gsize       size)
{
  static GRegex *address_regex, *daemon_regex;
  g_autofree char *nul_ended = g_strndup (data, size);
  gsize cut = size > 0 ? (guchar) data[0] % (size + 1) : 0;

  if (address_regex == NULL)
    {
      address_regex = raw_regex (ADDRESS_REGEX);
      daemon_regex = raw_regex (DAEMON_REGEX);
    }
  for (guint pass = 0; pass < 2; pass++)
    {
      gsize length = pass == 0 ? size : cut;
      gsize from = 0;

      FUZZ_CHECK (bounce_extract_smtp_command (data, length) == smtp_command_by_regex (data, length));
      for (guint n = 0; n < 16 && from < length; n++)
        {
          g_autoptr(GMatchInfo) info = NULL;
          gsize start = 0, end = 0;
          g_autofree char *address = bounce_extract_address (data, length, from, &start, &end);
          gboolean found = g_regex_match_full (address_regex, data, length, from, 0, &info, NULL);
          int s = -1, e = -1;

          FUZZ_CHECK ((address != NULL) == found);
          if (!found)
            break;
          g_match_info_fetch_pos (info, 0, &s, &e);
          /* (the address drops quotes and dots before it) */
          while (e - s > 1 && data[s] != '@' && strchr ("'`.", data[s]) != NULL)
            s++;
          FUZZ_CHECK (start == (gsize) s && end == (gsize) e);
          from = end;
        }
    }
  FUZZ_CHECK (bounce_address_is_daemon (nul_ended) == g_regex_match (daemon_regex, nul_ended, 0, NULL));
}

/* Code extraction on any text the decoder can produce (valid UTF-8):
 * findings in order, inside the text, on character boundaries; and the
 * small readers of a diagnostic line; and the hand readers against the
 * regular expressions they replaced (check_as_regex()). */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *enhanced = NULL;
  gsize length;
  gsize last = 0;
  gsize from = 0;

  fuzz_init ();
  text = g_utf8_make_valid ((const char *) data, size);
  length = strlen (text);
  findings = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_finding_free);
  bounce_extract (text, 0, -1, BOUNCE_EXTRACT_ALL, NULL, findings);
  for (guint i = 0; i < findings->len; i++)
    {
      BounceFinding *f = findings->pdata[i];

      FUZZ_CHECK (f->byte_offset + f->byte_length <= length);
      FUZZ_CHECK (f->byte_offset >= last);
      FUZZ_CHECK (g_utf8_validate (f->text, -1, NULL));
      FUZZ_CHECK (((guchar) text[f->byte_offset] & 0xc0) != 0x80);
      last = f->byte_offset;
    }

  bounce_extract_first_codes (text, &reply, &enhanced);
  bounce_extract_smtp_command (text, -1);
  for (guint n = 0; n < 64 && from < length; n++)
    {
      gsize start, end;
      g_autofree char *address = bounce_extract_address (text, -1, from, &start, &end);

      if (address == NULL)
        break;
      FUZZ_CHECK (start >= from && end <= length && end > start);
      from = end;
    }
  check_as_regex ((const char *) data, size);
  return 0;
}
