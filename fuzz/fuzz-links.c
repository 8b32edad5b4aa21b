/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"

/* Link building and the DNS names of the live check, from an IP, a domain
 * and a URL template (the input's first three lines): every link is https
 * with nothing unescaped, every query name is a plain DNS name. */
static void
check_url (const char *url)
{
  if (url == NULL)
    return;
  FUZZ_CHECK (g_ascii_strncasecmp (url, "https://", 8) == 0);
  for (const char *p = url; *p != '\0'; p++)
    FUZZ_CHECK ((guchar) *p > 0x20 && (guchar) *p < 0x7f && strchr ("<>\"{}|\\^` ", *p) == NULL);
}

static void
check_name (const char *name)
{
  if (name == NULL)
    return;
  FUZZ_CHECK (strlen (name) <= 253);
  for (const char *p = name; *p != '\0'; p++)
    FUZZ_CHECK (g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '.' || *p == '-');
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) parts = g_strsplit (text, "\n", 3);
  const char *ip = parts[0] != NULL ? parts[0] : "";
  const char *domain = ip[0] != '\0' && parts[1] != NULL ? parts[1] : "";
  const char *template = domain[0] != '\0' && parts[2] != NULL ? parts[2] : "https://lists.example.org/{ip}/{domain}";
  BounceCatalogue *catalogue;
  g_autoptr(GPtrArray) ips = g_ptr_array_new ();
  g_autoptr(GPtrArray) domains = g_ptr_array_new ();
  g_autoptr(GPtrArray) links = NULL;
  g_autofree char *expanded = NULL;
  g_autofree char *v4 = NULL;
  g_autofree char *dom = NULL;

  fuzz_init ();
  catalogue = bounce_catalogue_get_default ();

  expanded = bounce_link_expand (template, ip, domain);
  check_url (expanded);
  if (bounce_domain_is_public (domain))
    FUZZ_CHECK (bounce_domain_is_valid (domain));

  v4 = bounce_dns_query_name (ip, "zen.spamhaus.org", BOUNCE_DNS_QUERY_IPV4 | BOUNCE_DNS_QUERY_IPV6);
  dom = bounce_dns_query_name (domain, "dbl.spamhaus.org", BOUNCE_DNS_QUERY_DOMAIN);
  check_name (v4);
  check_name (dom);

  g_ptr_array_add (ips, (gpointer) ip);
  g_ptr_array_add (domains, (gpointer) domain);

  /* The costly whole-catalogue steps only for inputs that give something
   * to look up: most mutations do not, and speed is what finds bugs. */
  if (expanded == NULL && v4 == NULL && dom == NULL)
    return 0;

  links = bounce_links_build (catalogue, ips, domains, bounce_catalogue_get_blocklists (catalogue));
  for (guint i = 0; i < links->len; i++)
    check_url (((BounceLink *) links->pdata[i])->url);

  {
    g_autoptr(BounceBlocklistCheck) check = bounce_blocklist_check_new (catalogue, ips, domains, NULL);
    GPtrArray *targets = bounce_blocklist_check_get_targets (check);

    for (guint i = 0; i < targets->len; i++)
      FUZZ_CHECK (g_utf8_validate (targets->pdata[i], -1, NULL));
  }
  return 0;
}
