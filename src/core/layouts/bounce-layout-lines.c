/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-layout-lines.h"

char *
bounce_line_lone_address (const BounceLine *l)
{
  const char *s;
  gsize n;
  g_autofree char *address = NULL;

  bounce_line_trim (l, &s, &n);
  if (n > 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ')
    s += 2, n -= 2;
  while (n > 0 && (s[n - 1] == ':' || s[n - 1] == ','))
    n--;
  if (n > 2 && s[0] == '<' && s[n - 1] == '>')
    s++, n -= 2;
  if (n < 3 || n > 320 || memchr (s, '@', n) == NULL || bounce_mem_has_unquoted (s, n, " \t<>"))
    return NULL;
  address = bounce_address_in (s, n);
  /* nothing but the address */
  if (address == NULL || strlen (address) != n)
    return NULL;
  return g_steal_pointer (&address);
}

gboolean
bounce_line_value (const BounceLine *l,
                   const char       *label,
                   const char      **value,
                   gsize            *len)
{
  const char *s;
  gsize n, k = strlen (label);

  bounce_line_trim (l, &s, &n);
  if (!bounce_mem_has_prefix (s, n, label))
    return FALSE;
  s += k, n -= k;
  while (n > 0 && (*s == ' ' || *s == '\t'))
    s++, n--;
  *value = s;
  *len = n;
  return TRUE;
}

BounceSmtpCommand
bounce_command_of_word (const char *s,
                        gsize       len)
{
  static const struct {
    const char *word;
    BounceSmtpCommand command;
  } words[] = {
    { "RCPT", BOUNCE_SMTP_COMMAND_RCPT },
    { "MAIL", BOUNCE_SMTP_COMMAND_MAIL },
    { "DATA", BOUNCE_SMTP_COMMAND_DATA },
    { "BDAT", BOUNCE_SMTP_COMMAND_DATA },
    { "EHLO", BOUNCE_SMTP_COMMAND_CONNECT },
    { "HELO", BOUNCE_SMTP_COMMAND_CONNECT },
    { "LHLO", BOUNCE_SMTP_COMMAND_CONNECT },
    { "STARTTLS", BOUNCE_SMTP_COMMAND_CONNECT },
    { "AUTH", BOUNCE_SMTP_COMMAND_CONNECT },
  };

  while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\'' || *s == '"'))
    s++, len--;
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\r' || s[len - 1] == '\'' || s[len - 1] == '"'))
    len--;
  /* the end of the message */
  if (len == 1 && s[0] == '.')
    return BOUNCE_SMTP_COMMAND_DATA;
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    {
      gsize k = strlen (words[i].word);

      if (bounce_mem_has_prefix (s, len, words[i].word) && (len == k || !g_ascii_isalnum (s[k])))
        return words[i].command;
    }
  return BOUNCE_SMTP_COMMAND_NONE;
}

gboolean
bounce_line_is_indented (const BounceLine *l)
{
  return l->len > 0 && (l->s[0] == ' ' || l->s[0] == '\t');
}

gboolean
bounce_text_opens_returned_message (const char        *p,
                                    gsize              len,
                                    BounceMarkerFlags  flags)
{
  /* (words of the separators of Postfix's, Exim's, qmail's and other
   * servers' notices, and of a mail program's forward) */
  static const char * const separated[] = {
    "original", "copy of the message", "unsent message", "message text follows", "returned message",
    "returned mail", "forwarded message",
  };
  static const char * const headings[] = {
    "original message follows", "message headers follow", "original message headers", "original message:",
    "a copy of the original message below",
  };
  g_autofree char *line = NULL;

  if (len >= 3 && strchr ("-=", p[0]) != NULL && p[1] == p[0] && p[2] == p[0])
    {
      line = g_ascii_strdown (p, MIN (len, 120));
      for (gsize i = 0; i < G_N_ELEMENTS (separated); i++)
        if (strstr (line, separated[i]) != NULL)
          return TRUE;
      return FALSE;
    }
  if (flags == BOUNCE_MARKER_SEPARATOR)
    return FALSE;
  line = g_ascii_strdown (p, MIN (len, 80));
  if ((flags & BOUNCE_MARKER_LINE) && strstr (line, "original message follows") != NULL)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (headings); i++)
    if (g_str_has_prefix (line, headings[i]))
      return TRUE;
  return FALSE;
}
