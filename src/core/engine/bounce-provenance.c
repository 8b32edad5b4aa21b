/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-provenance.h"

/* "Reported by": which provider or server wrote the bounce, from the
 * evidence in order of how surely it names the reporting server. */

/* A Received line the reporting server wrote for itself: no "from"
 * clause ("by mx.example.org (Postfix) id ...") or a local submission
 * ("from mail by mx.example.org with local (Exim 4.92)"), but not qmail's
 * note of a message taken from the network. */
static gboolean
is_own_received (const char *value)
{
  while (g_ascii_isspace (*value))
    value++;
  if (strstr (value, "invoked from network") != NULL)
    return FALSE;
  return g_ascii_strncasecmp (value, "from ", 5) != 0 || strstr (value, " with local") != NULL;
}

/* What the reporting server wrote about itself (the DSN's Reporting-MTA,
 * which names it even when another service passed the report on; From,
 * Message-Id), its own Received stamp (the oldest line), then what others
 * may have added on the way back (X- headers, then the relays' Received
 * lines).  Within each, the catalogue's order of providers decides. */
static const char *
from_headers (BounceCatalogue *catalogue,
              BounceMessage   *message)
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
          g_string_append_printf (relays, "%s\n", f->value);
          oldest = f->value;
        }
    }
  if (message->dsn_groups != NULL && message->dsn_groups->len > 0)
    {
      BounceFieldGroup *g = message->dsn_groups->pdata[0];
      const char *mta = bounce_fields_lookup (g->fields, "Reporting-MTA");

      if (mta)
        p = bounce_catalogue_detect_provider (catalogue, mta);
    }
  if (p == NULL)
    p = bounce_catalogue_detect_provider (catalogue, own->str);
  if (p == NULL && oldest != NULL && is_own_received (oldest))
    p = bounce_catalogue_detect_provider (catalogue, oldest);
  if (p == NULL)
    p = bounce_catalogue_detect_provider (catalogue, added->str);
  if (p == NULL)
    p = bounce_catalogue_detect_provider (catalogue, relays->str);
  return p;
}

/* The notification without its e-mail addresses and the servers it says
 * refused the message: they name the recipients, the sender and the
 * receiving side, never the server that wrote the report ("bob@hotmail.com"
 * or "host mx.olc.protection.outlook.com [ip]" in an Exim report are not
 * Outlook.com's). */
static char *
without_other_parties (const char *text)
{
  g_autoptr(GString) out = g_string_new (text);
  gsize from = 0, start, end;
  char *address;

  while ((address = bounce_extract_address (out->str, out->len, from, &start, &end)) != NULL)
    {
      g_free (address);
      memset (out->str + start, ' ', end - start);
      from = end;
    }
  for (from = 0; bounce_find_remote_host (out->str, out->len, from, &start, &end, NULL); from = end)
    memset (out->str + start, ' ', end - start);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
bounce_provenance_detect (BounceMessageContext *ctx)
{
  const char *p = NULL;

  if (ctx->message != NULL)
    p = from_headers (ctx->catalogue, ctx->message);
  /* a pasted fragment, or headers that name nobody: the notification */
  if (p == NULL)
    {
      g_autofree char *text = without_other_parties (ctx->notification->str);

      p = bounce_catalogue_detect_provider (ctx->catalogue, text);
    }
  return g_strdup (p);
}
