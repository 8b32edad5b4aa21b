/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "fuzz-common.h"

/* Catalogue loading: any JSON through the entry parser (every kind, its
 * links, patterns and DNS data).  An entry that loads has only https URLs
 * and a DNS zone that gives valid query names. */
static void
check_entry (JsonNode *node)
{
  g_autoptr(BounceEntry) entry = NULL;
  g_autoptr(GPtrArray) msgids = NULL;
  const BounceDnsInfo *dns;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  entry = bounce_entry_new_from_json (json_node_get_object (node), NULL);
  if (entry == NULL)
    return;

  msgids = bounce_entry_get_msgids (entry);
  for (guint i = 0; i < msgids->len; i++)
    FUZZ_CHECK (msgids->pdata[i] != NULL);
  FUZZ_CHECK (bounce_entry_get_lookup_ip (entry) == NULL ||
              g_str_has_prefix (bounce_entry_get_lookup_ip (entry), "https://"));
  dns = bounce_entry_get_dns (entry);
  if (dns != NULL)
    {
      g_autofree char *v4 = bounce_dns_query_name ("45.83.220.17", dns->zone, dns->query);
      g_autofree char *v6 = bounce_dns_query_name ("2001:4860:4860::8888", dns->zone, dns->query);
      g_autofree char *domain = bounce_dns_query_name ("example.net", dns->zone, dns->query);

      FUZZ_CHECK (!bounce_entry_get_closed (entry));
      FUZZ_CHECK (v4 != NULL || v6 != NULL || domain != NULL);
      for (guint i = 0; i < dns->answers->len; i++)
        bounce_dns_answer_matches (dns->answers->pdata[i], 0x7f000002);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  fuzz_init ();
  if (!json_parser_load_from_data (parser, (const char *) data, size, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL)
    return 0;
  if (JSON_NODE_HOLDS_OBJECT (root) && json_object_has_member (json_node_get_object (root), "entries"))
    {
      JsonNode *entries = json_object_get_member (json_node_get_object (root), "entries");

      if (JSON_NODE_HOLDS_ARRAY (entries))
        for (guint i = 0; i < json_array_get_length (json_node_get_array (entries)) && i < 64; i++)
          check_entry (json_array_get_element (json_node_get_array (entries), i));
    }
  else
    check_entry (root);
  return 0;
}
