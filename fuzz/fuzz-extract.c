/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
/* (the regexes the hand readers replaced, shared with the unit tests) */
#include "../tests/extract-regexes.h"

static GRegex *
raw_regex (const char *pattern)
{
  GRegex *regex = g_regex_new (pattern, G_REGEX_RAW, G_REGEX_MATCH_DEFAULT, NULL);

  FUZZ_CHECK (regex != NULL);
  return regex;
}

/* Whether the address reader is meant to read data[0, length) as the
 * regex does: in ASCII without quotes or backslashes.  It also reads
 * UTF-8 addresses (RFC 6531) and quoted local parts (RFC 5321 4.1.2),
 * which the regex, ASCII atext only, does not: those are checked by
 * test-extract's cases and by the bounds checked on every input below. */
static gboolean
address_as_regex (const char *data,
                  gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if ((guchar) data[i] >= 0x80 || data[i] == '"' || data[i] == '\\')
      return FALSE;
  return TRUE;
}

/* The hand readers on the input's own bytes (any bytes, NULs too), with
 * the length given: the input's buffer ends there, so that a read past
 * it is caught, and a length cut shorter still must hide what follows.
 * Each finds what its regex finds (the address reader where
 * address_as_regex()). */
static void
check_as_regex (const char *data,
                gsize       size)
{
  static GRegex *address_regex, *command_regex, *daemon_regex;
  g_autofree char *nul_ended = g_strndup (data, size);
  gsize cut = size > 0 ? (guchar) data[0] % (size + 1) : 0;

  if (address_regex == NULL)
    {
      address_regex = raw_regex (EXTRACT_ADDRESS_REGEX);
      command_regex = raw_regex (EXTRACT_SMTP_COMMAND_REGEX);
      daemon_regex = raw_regex (EXTRACT_DAEMON_REGEX);
    }
  for (guint pass = 0; pass < 2; pass++)
    {
      gsize length = pass == 0 ? size : cut;
      gsize from = 0;

      FUZZ_CHECK (bounce_extract_smtp_command (data, length) == extract_smtp_command_by_regex (command_regex, data, length));
      for (guint n = 0; n < 16 && from < length && address_as_regex (data, length); n++)
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
