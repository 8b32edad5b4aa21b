/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "bounce-dns-info.h"
#include "bounce-error.h"
#include "bounce-json.h"
#include "bounce-extract.h"
#include "bounce-links.h"

static void
bounce_dns_answer_free (BounceDnsAnswer *answer)
{
  g_free (answer->list_id);
  g_free (answer->meaning);
  g_free (answer->source);
  g_free (answer);
}

void
bounce_dns_info_free (BounceDnsInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->zone);
  g_clear_pointer (&info->answers, g_ptr_array_unref);
  g_clear_pointer (&info->refused, g_ptr_array_unref);
  g_free (info->source);
  g_free (info);
}

/* An IPv4 address in 127.0.0.0/8, the only answers a blocklist gives
 * (RFC 5782, section 2.1), in host byte order. */
static gboolean
parse_loopback (const char *text,
                guint32    *out)
{
  g_autoptr(GInetAddress) address = NULL;
  const guint8 *bytes;

  address = g_inet_address_new_from_string (text);
  if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV4)
    return FALSE;
  bytes = g_inet_address_to_bytes (address);
  if (bytes[0] != 127)
    return FALSE;
  *out = ((guint32) bytes[0] << 24) | ((guint32) bytes[1] << 16) | ((guint32) bytes[2] << 8) | bytes[3];
  return TRUE;
}

static gboolean
is_https (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  return uri != NULL && g_strcmp0 (g_uri_get_scheme (uri), "https") == 0;
}

static BounceDnsAnswer *
parse_answer (JsonNode    *node,
              const char  *id,
              GError     **error)
{
  g_autoptr(GString) problem = NULL;
  BounceDnsAnswer *answer;
  JsonObject *object = bounce_json_object (node);
  const char *code;
  JsonNode *bit;

  if (object == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s”: a DNS answer must be an object", id);
      return NULL;
    }
  answer = g_new0 (BounceDnsAnswer, 1);
  code = bounce_json_member_string (object, "code");
  bit = json_object_get_member (object, "bit");
  answer->meaning = g_strdup (bounce_json_member_string (object, "meaning"));
  answer->list_id = g_strdup (bounce_json_member_string (object, "list"));
  answer->source = g_strdup (bounce_json_member_string (object, "source"));

  if (code != NULL && bit == NULL)
    {
      g_auto(GStrv) range = g_strsplit (code, "-", 2);

      /* "" splits into no parts at all */
      if (range[0] == NULL ||
          !parse_loopback (range[0], &answer->first) ||
          !parse_loopback (range[1] != NULL ? range[1] : range[0], &answer->last) ||
          answer->last < answer->first)
        problem = g_string_new ("“code” must be an address or range in 127.0.0.0/8");
    }
  else if (bit != NULL && code == NULL)
    {
      gint64 value = 0;

      bounce_json_int (bit, &value);

      if (value <= 0 || value > 128 || (value & (value - 1)) != 0)
        problem = g_string_new ("“bit” must be one of 1, 2, 4, ... 128");
      answer->bit = (guint8) value;
    }
  else
    problem = g_string_new ("needs either “code” or “bit”");

  if (problem == NULL && (answer->meaning == NULL || *answer->meaning == '\0'))
    problem = g_string_new ("has no “meaning”");
  if (problem == NULL && answer->source != NULL && !is_https (answer->source))
    problem = g_string_new ("“source” is not an https URL");

  if (problem != NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s”: a DNS answer %s", id, problem->str);
      bounce_dns_answer_free (answer);
      return NULL;
    }
  return answer;
}

static gboolean
parse_answers (JsonObject  *object,
               const char  *member,
               GPtrArray   *out,
               const char  *id,
               GError     **error)
{
  JsonArray *array = bounce_json_member_array (object, member);

  if (!json_object_has_member (object, member))
    return TRUE;
  if (array == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s”: “dns.%s” must be an array", id, member);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      BounceDnsAnswer *answer = parse_answer (json_array_get_element (array, i), id, error);

      if (answer == NULL)
        return FALSE;
      g_ptr_array_add (out, answer);
    }
  return TRUE;
}

BounceDnsInfo *
bounce_dns_info_new_from_json (JsonObject  *object,
                               const char  *id,
                               GError     **error)
{
  BounceDnsInfo *info;
  JsonArray *query;
  const char *zone;

  g_return_val_if_fail (object != NULL, NULL);

  info = g_new0 (BounceDnsInfo, 1);
  info->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_dns_answer_free);
  info->refused = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_dns_answer_free);

  zone = bounce_json_member_string (object, "zone");
  if (zone == NULL || !bounce_domain_is_valid (zone))
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s”: “dns.zone” must be a domain name", id);
      goto fail;
    }
  info->zone = g_ascii_strdown (zone, -1);

  query = bounce_json_member_array (object, "query");
  for (guint i = 0; query != NULL && i < json_array_get_length (query); i++)
    {
      const char *kind = bounce_json_string (json_array_get_element (query, i));

      if (g_strcmp0 (kind, "ipv4") == 0)
        info->query |= BOUNCE_DNS_QUERY_IPV4;
      else if (g_strcmp0 (kind, "ipv6") == 0)
        info->query |= BOUNCE_DNS_QUERY_IPV6;
      else if (g_strcmp0 (kind, "domain") == 0)
        info->query |= BOUNCE_DNS_QUERY_DOMAIN;
      else
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "Catalogue entry “%s”: unknown “dns.query” kind “%s”", id, kind ? kind : "?");
          goto fail;
        }
    }
  if (info->query == 0)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s”: “dns.query” must list ipv4, ipv6 or domain", id);
      goto fail;
    }

  /* info->txt stays FALSE when "txt" is missing or not a boolean. */
  bounce_json_boolean (json_object_get_member (object, "txt"), &info->txt);

  info->source = g_strdup (bounce_json_member_string (object, "source"));
  if (!is_https (info->source))
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s”: “dns.source” must be the list's https documentation", id);
      goto fail;
    }

  if (!parse_answers (object, "answers", info->answers, id, error) ||
      !parse_answers (object, "refused", info->refused, id, error))
    goto fail;

  return info;

fail:
  bounce_dns_info_free (info);
  return NULL;
}

gboolean
bounce_dns_answer_matches (const BounceDnsAnswer *answer,
                           guint32                address)
{
  g_return_val_if_fail (answer != NULL, FALSE);

  if (answer->bit != 0)
    return (address & 0xffffff00) == 0x7f000000 && (address & answer->bit) != 0;
  return address >= answer->first && address <= answer->last;
}

char *
bounce_dns_query_name (const char     *target,
                       const char     *zone,
                       BounceDnsQuery  query)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GString) name = NULL;

  if (target == NULL || zone == NULL || !bounce_domain_is_valid (zone))
    return NULL;

  address = g_inet_address_new_from_string (target);
  name = g_string_new (NULL);
  if (address != NULL)
    {
      const guint8 *bytes = g_inet_address_to_bytes (address);
      g_autofree char *text = g_inet_address_to_string (address);

      /* Never ask about a private or reserved address: it says nothing
       * about the sender, and tells the list about the local network. */
      if (!bounce_ip_is_public (text))
        return NULL;
      if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
        {
          if ((query & BOUNCE_DNS_QUERY_IPV4) == 0)
            return NULL;
          g_string_printf (name, "%u.%u.%u.%u", bytes[3], bytes[2], bytes[1], bytes[0]);
        }
      else
        {
          static const char hex[] = "0123456789abcdef";

          if ((query & BOUNCE_DNS_QUERY_IPV6) == 0)
            return NULL;
          for (int i = 15; i >= 0; i--)
            g_string_append_printf (name, "%s%c.%c", i < 15 ? "." : "",
                                    hex[bytes[i] & 0xf], hex[bytes[i] >> 4]);
        }
    }
  else
    {
      if ((query & BOUNCE_DNS_QUERY_DOMAIN) == 0 || !bounce_domain_is_public (target))
        return NULL;
      g_string_append (name, target);
      g_string_ascii_down (name);
    }

  g_string_append_c (name, '.');
  g_string_append (name, zone);
  /* RFC 1035: at most 253 characters in the dotted form. */
  if (name->len > 253)
    return NULL;
  return g_string_free (g_steal_pointer (&name), FALSE);
}
