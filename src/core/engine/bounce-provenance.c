/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-provenance.h"

/* "Reported by": which provider or server wrote the bounce, from the
 * evidence in order of how surely it names the reporting server. */

/* Whether the "from" clause of a Received line (RFC 5321, section 4.4),
 * at value, names the loopback: the machine that wrote the line took the
 * message from itself (RFC 6761, section 6.3: "localhost" is the
 * loopback).  Sendmail stamps the bounces it makes "from localhost
 * (localhost) by mx.example.org (8.14.2/8.14.2)". */
static gboolean
from_loopback (const char *value)
{
  static const char *const names[] = { "localhost", "localhost.localdomain", "127.0.0.1",
                                       "[127.0.0.1]", "::1", "[::1]", "[IPv6:::1]" };
  gsize n = strcspn (value, " \t\r\n(");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (n == strlen (names[i]) && g_ascii_strncasecmp (value, names[i], n) == 0)
      return TRUE;
  return FALSE;
}

/* A Received line the reporting server wrote for itself: no "from"
 * clause ("by mx.example.org (Postfix) id ..."), a local submission
 * ("from mail by mx.example.org with local (Exim 4.92)") or one from the
 * loopback, but not qmail's note of a message taken from the network. */
static gboolean
is_own_received (const char *value)
{
  while (g_ascii_isspace (*value))
    value++;
  if (strstr (value, "invoked from network") != NULL)
    return FALSE;
  if (g_ascii_strncasecmp (value, "from ", 5) != 0 || strstr (value, " with local") != NULL)
    return TRUE;
  value += 5;
  while (g_ascii_isspace (*value))
    value++;
  return from_loopback (value);
}

/* Whether a Received line carries Sendmail's own stamp: its default
 * Received header ends "by $j ($v/$Z) with $r id $i", the host, then the
 * program's version and the configuration's ("(8.14.2/8.14.2)",
 * "(8.13.8/8.13.8/Submit)"): confRECEIVED_HEADER and _REC_BY_ in
 * Sendmail's cf/m4/cfhead.m4 (sendmail-cf 8.17). */
static gboolean
has_sendmail_stamp (const char *value)
{
  for (const char *p = strstr (value, "(8."); p != NULL; p = strstr (p + 1, "(8."))
    {
      const char *q = p + 3;
      gboolean slash = FALSE;

      if (!g_ascii_isdigit (*q))
        continue;
      while (g_ascii_isalnum (*q) || strchr ("._+-/", *q) != NULL)
        slash |= *q++ == '/';
      if (*q != ')' || !slash)
        continue;
      q++;
      if (!g_ascii_isspace (*q))
        continue;
      while (g_ascii_isspace (*q))
        q++;
      if (g_ascii_strncasecmp (q, "id ", 3) == 0 || g_ascii_strncasecmp (q, "with ", 5) == 0)
        return TRUE;
    }
  return FALSE;
}

static char *without_addresses (const char *text);

/* The "from" clause of a Received line (RFC 5321, section 4.4): the host
 * that handed the message on, up to the "by" clause, which names the host
 * that took it.  On a bounce's way back, the "by" hosts of the newest lines
 * are the reader's own mailbox provider, which wrote no report.  Empty when
 * the line has no "from" clause. */
static void
append_from_clause (GString    *out,
                    const char *value)
{
  const char *end;

  while (g_ascii_isspace (*value))
    value++;
  if (g_ascii_strncasecmp (value, "from", 4) != 0 || !g_ascii_isspace (value[4]))
    return;
  for (end = value + 4; *end != '\0'; end++)
    if (g_ascii_isspace (*end) && g_ascii_strncasecmp (end + 1, "by", 2) == 0 && g_ascii_isspace (end[3]))
      break;
  g_string_append_len (out, value, end - value);
  g_string_append_c (out, '\n');
}

/* What the reporting server wrote about itself (the DSN's Reporting-MTA,
 * which names it even when another service passed the report on; From,
 * Message-Id), its own Received stamp (the oldest line, which may name
 * the program only in Sendmail's way), then what others
 * may have added on the way back (X- headers, then the relays' Received
 * lines).  Within each, the catalogue's order of providers decides.  The
 * addresses in X- headers name mailboxes (a forwarding target, a failed
 * recipient), not the server that wrote the report, and a relay is named
 * by a Received line's "from" clause. */
static const char *
from_headers (BounceCatalogue *catalogue,
              BounceMessage   *message,
              gboolean        *by_reporting_mta)
{
  GPtrArray *headers = message->headers;
  g_autoptr(GString) own = g_string_new (NULL);
  g_autoptr(GString) added = g_string_new (NULL);
  g_autoptr(GString) relays = g_string_new (NULL);
  const char *oldest = NULL;
  const char *p = NULL;

  for (guint i = 0; i < headers->len; i++)
    {
      BounceField *f = headers->pdata[i];

      if (g_ascii_strcasecmp (f->name, "From") == 0 || g_ascii_strcasecmp (f->name, "Message-Id") == 0)
        g_string_append_printf (own, "%s\n", f->value);
      else if (g_ascii_strncasecmp (f->name, "X-", 2) == 0)
        g_string_append_printf (added, "%s: %s\n", f->name, f->value);
      else if (g_ascii_strcasecmp (f->name, "Received") == 0)
        {
          append_from_clause (relays, f->value);
          oldest = f->value;
        }
    }
  if (message->dsn_groups != NULL && message->dsn_groups->len > 0)
    {
      BounceFieldGroup *g = message->dsn_groups->pdata[0];
      const char *mta = bounce_fields_lookup (g->fields, "Reporting-MTA");

      if (mta)
        p = bounce_catalogue_detect_provider (catalogue, mta);
      *by_reporting_mta = p != NULL;
    }
  if (p == NULL)
    p = bounce_catalogue_detect_provider (catalogue, own->str);
  if (p == NULL && oldest != NULL && is_own_received (oldest))
    {
      p = bounce_catalogue_detect_provider (catalogue, oldest);
      if (p == NULL && has_sendmail_stamp (oldest))
        p = "sendmail";
    }
  if (p == NULL)
    {
      g_autofree char *headers_added = without_addresses (added->str);

      p = bounce_catalogue_detect_provider (catalogue, headers_added);
    }
  if (p == NULL)
    p = bounce_catalogue_detect_provider (catalogue, relays->str);
  return p;
}

/* Blanks out the e-mail addresses in out. */
static void
blank_addresses (GString *out)
{
  gsize from = 0, start, end;
  char *address;

  while ((address = bounce_extract_address (out->str, out->len, from, &start, &end)) != NULL)
    {
      g_free (address);
      memset (out->str + start, ' ', end - start);
      from = end;
    }
}

/* The text with its e-mail addresses blanked out. */
static char *
without_addresses (const char *text)
{
  g_autoptr(GString) out = g_string_new (text);

  blank_addresses (out);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A delivery report's fields that name MTAs other than the reporting one:
 * the one it took the message from and the one it tried to hand it to
 * (RFC 3464, sections 2.2.4 and 2.3.5). */
static const char *const other_mta_fields[] = { "Received-From-MTA:", "Remote-MTA:" };

static void
blank_other_mta_fields (GString *out)
{
  for (char *line = out->str; line != NULL && *line != '\0';)
    {
      char *end = strchr (line, '\n');
      char *p = line;

      while (*p == ' ' || *p == '\t')
        p++;
      for (guint i = 0; i < G_N_ELEMENTS (other_mta_fields); i++)
        if (g_ascii_strncasecmp (p, other_mta_fields[i], strlen (other_mta_fields[i])) == 0)
          memset (p, ' ', end != NULL ? (gsize) (end - p) : strlen (p));
      line = end != NULL ? end + 1 : NULL;
    }
}

/* The notification without its e-mail addresses, the servers it says
 * refused the message and a pasted report's fields about other MTAs: they
 * name the recipients, the sender and the receiving side, never the server
 * that wrote the report ("bob@hotmail.com" or "host
 * mx.olc.protection.outlook.com [ip]" in an Exim report are not
 * Outlook.com's, nor is "Received-From-MTA: dns; mail-xx.google.com"). */
static char *
without_other_parties (const char *text)
{
  g_autoptr(GString) out = g_string_new (text);
  g_autoptr(GArray) hosts = NULL;

  blank_addresses (out);
  blank_other_mta_fields (out);
  hosts = bounce_find_remote_hosts (out->str, out->len, 0);
  for (guint i = 0; i < hosts->len; i++)
    {
      const BounceSpan *host = &g_array_index (hosts, BounceSpan, i);

      memset (out->str + host->start, ' ', host->end - host->start);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A line of the notification that names the server which wrote it: an
 * Exchange or Microsoft 365 NDR's "Generating server:" (the field Sisimai's
 * lib/Sisimai/Lhost/Office365.pm reads as the reporting host) or its later
 * "DSN generated by:" in the "More Info for Email Admins" part (Microsoft,
 * "Email non-delivery reports and SMTP errors in Exchange Online"), or a
 * pasted delivery-status part's Reporting-MTA (RFC 3464, section 2.2.2).
 * The rest of such an NDR names other parties too: the "Sender Address:"
 * and the relays of its "Message Hops" table. */
static char *
reporter_line (const char *text)
{
  static const char *const labels[] = { "Generating server:", "DSN generated by:", "Reporting-MTA:" };

  for (const char *line = text; line != NULL && *line != '\0';)
    {
      const char *end = strchr (line, '\n');
      const char *p = line;

      while (*p == ' ' || *p == '\t')
        p++;
      for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
        if (g_ascii_strncasecmp (p, labels[i], strlen (labels[i])) == 0)
          return end != NULL ? g_strndup (p, end - p) : g_strdup (p);
      line = end != NULL ? end + 1 : NULL;
    }
  return NULL;
}

char *
bounce_provenance_detect (BounceMessageContext *ctx,
                          gboolean             *by_reporting_mta)
{
  const char *p = NULL;

  *by_reporting_mta = FALSE;
  if (ctx->message != NULL)
    p = from_headers (ctx->catalogue, ctx->message, by_reporting_mta);
  /* a pasted fragment, or headers that name nobody: the notification */
  if (p == NULL)
    {
      g_autofree char *reporter = reporter_line (ctx->notification->str);
      g_autofree char *text = NULL;

      if (reporter != NULL)
        p = bounce_catalogue_detect_provider (ctx->catalogue, reporter);
      if (p == NULL)
        {
          text = without_other_parties (ctx->notification->str);
          p = bounce_catalogue_detect_provider (ctx->catalogue, text);
        }
    }
  return g_strdup (p);
}
