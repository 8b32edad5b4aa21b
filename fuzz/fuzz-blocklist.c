/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "fuzz-common.h"

/* What a blocklist may answer, read by a list of the catalogue: the
 * input's first byte picks the list and says how many IPv4 answers follow
 * (4 bytes each), the rest is TXT text.  A listing only ever comes from
 * 127.0.0.0/8 and never from an answer the list documents as a refusal. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static GPtrArray *dns_lists;
  GList *addresses = NULL;
  gsize n = size > 0 ? MIN (data[0] & 0x1f, (size - 1) / 4) : 0;
  gsize pos = 1;
  g_autofree char *txt = NULL;
  g_autofree char *reason = NULL;
  const char *strings[2] = { NULL, NULL };

  fuzz_init ();
  for (gsize i = 0; i < n; i++, pos += 4)
    addresses = g_list_append (addresses, g_inet_address_new_from_bytes (data + pos, G_SOCKET_FAMILY_IPV4));
  txt = size > pos ? g_strndup ((const char *) data + pos, size - pos) : g_strdup ("");
  strings[0] = txt;
  reason = bounce_blocklist_clean_reason (strings);
  FUZZ_CHECK (reason == NULL || g_utf8_validate (reason, -1, NULL));

  if (dns_lists == NULL)
    {
      GPtrArray *lists = bounce_catalogue_get_blocklists (bounce_catalogue_get_default ());

      dns_lists = g_ptr_array_new ();
      for (guint i = 0; i < lists->len; i++)
        if (bounce_entry_get_dns (lists->pdata[i]) != NULL)
          g_ptr_array_add (dns_lists, lists->pdata[i]);
    }

  if (size > 0)
    {
      BounceEntry *list = dns_lists->pdata[(data[0] >> 5) % dns_lists->len];
      const BounceDnsInfo *dns = bounce_entry_get_dns (list);
      BounceBlocklistResult *result;

      result = bounce_blocklist_result_new (list, (dns->query & BOUNCE_DNS_QUERY_DOMAIN) ? "example.net"
                                                                                        : "45.83.220.17", NULL);
      bounce_blocklist_result_interpret (result, bounce_catalogue_get_default (), list, addresses);
      FUZZ_CHECK (result->answers->len == n);
      if (result->status == BOUNCE_BLOCKLIST_LISTED)
        {
          FUZZ_CHECK (result->listings->len > 0);
          for (GList *l = addresses; l != NULL; l = l->next)
            {
              const guint8 *b = g_inet_address_to_bytes (l->data);
              guint32 value = ((guint32) b[0] << 24) | ((guint32) b[1] << 16) | ((guint32) b[2] << 8) | b[3];

              FUZZ_CHECK (b[0] == 127);
              for (guint j = 0; j < dns->refused->len; j++)
                FUZZ_CHECK (!bounce_dns_answer_matches (dns->refused->pdata[j], value));
            }
        }
      else
        FUZZ_CHECK (result->listings->len == 0);
      FUZZ_CHECK (n > 0 || result->status == BOUNCE_BLOCKLIST_NOT_LISTED);
      bounce_blocklist_result_free (result);
    }
  g_list_free_full (addresses, g_object_unref);
  return 0;
}
