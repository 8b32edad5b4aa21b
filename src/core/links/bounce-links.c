/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "bounce-extract.h"
#include "bounce-links.h"

/* A bounce can name dozens of addresses; a handful of lookups is enough and
 * keeps the list readable. */
#define MAX_IPS 3
#define MAX_DOMAINS 3
#define MAX_LINKS 24

void
bounce_link_free (BounceLink *link)
{
  if (link == NULL)
    return;

  g_free (link->title);
  g_free (link->url);
  g_free (link->service_id);
  g_free (link->target);
  g_free (link);
}

static gboolean
is_ldh_label (const char *label,
              gsize       len)
{
  if (len == 0 || len > 63)
    return FALSE;
  if (label[0] == '-' || label[len - 1] == '-')
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = label[i];

      if (!g_ascii_isalnum (c) && c != '-')
        return FALSE;
    }

  return TRUE;
}

gboolean
bounce_domain_is_valid (const char *domain)
{
  const char *p;
  const char *last_label = NULL;
  gsize last_len = 0;
  guint n_labels = 0;
  gsize total;

  if (domain == NULL)
    return FALSE;

  total = strlen (domain);
  if (total == 0 || total > 253)
    return FALSE;

  p = domain;
  for (;;)
    {
      const char *dot = strchr (p, '.');
      gsize len = dot != NULL ? (gsize) (dot - p) : strlen (p);

      /* Non-ASCII (U-labels) is refused on purpose: only the ASCII or
       * punycode form can go into a URL without ambiguity. */
      if (!is_ldh_label (p, len))
        return FALSE;

      n_labels++;
      last_label = p;
      last_len = len;

      if (dot == NULL)
        break;
      p = dot + 1;
    }

  if (n_labels < 2)
    return FALSE;

  for (gsize i = 0; i < last_len; i++)
    {
      if (!g_ascii_isdigit (last_label[i]))
        return TRUE;
    }

  /* An all-numeric TLD would be an IPv4 address in disguise. */
  return FALSE;
}

/* Top-level names reserved for special use: RFC 6761 (test, example,
 * invalid, localhost), RFC 6762 (local), RFC 7686 (onion), RFC 9476 (alt),
 * ICANN's 2024 reservation of "internal", and "arpa", the infrastructure
 * domain (reverse DNS, RFC 8375's home.arpa).  None is a sender's domain on
 * the public internet. */
static const char * const special_use_tlds[] = {
  "local", "localhost", "internal", "onion", "test", "example", "invalid", "alt", "arpa", NULL
};

gboolean
bounce_domain_is_public (const char *domain)
{
  const char *tld;

  if (!bounce_domain_is_valid (domain))
    return FALSE;

  tld = strrchr (domain, '.') + 1;
  for (guint i = 0; special_use_tlds[i] != NULL; i++)
    if (g_ascii_strcasecmp (tld, special_use_tlds[i]) == 0)
      return FALSE;
  return TRUE;
}

/* Only characters RFC 3986 allows literally in a URI. */
static gboolean
uri_chars_ok (const char *s)
{
  for (const char *p = s; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c <= 0x20 || c >= 0x7f)
        return FALSE;
      if (strchr ("<>\"{}|\\^`", c) != NULL)
        return FALSE;
    }

  return TRUE;
}

static char *
normalise_ip (const char *ip)
{
  g_autoptr(GInetAddress) address = NULL;

  if (ip == NULL || *ip == '\0')
    return NULL;

  address = g_inet_address_new_from_string (ip);
  if (address == NULL || !bounce_ip_is_public (ip))
    return NULL;

  return g_inet_address_to_string (address);
}

static char *
normalise_domain (const char *domain)
{
  if (!bounce_domain_is_public (domain))
    return NULL;

  return g_ascii_strdown (domain, -1);
}

static gboolean
is_https (const char *url)
{
  if (url == NULL)
    return FALSE;

  /* Not g_uri_peek_scheme(): it interns every scheme it sees as a quark,
   * which GLib never frees (fuzz-links grew GLib's quark table without
   * end). */
  return g_ascii_strncasecmp (url, "https:", 6) == 0;
}

char *
bounce_link_expand (const char *template_url,
                    const char *ip,
                    const char *domain)
{
  g_autoptr(GString) result = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *ip_escaped = NULL;
  g_autofree char *domain_escaped = NULL;
  const char *p;

  if (!is_https (template_url))
    return NULL;

  if (strstr (template_url, "{ip}") != NULL)
    {
      g_autofree char *norm = normalise_ip (ip);

      if (norm == NULL)
        return NULL;
      ip_escaped = g_uri_escape_string (norm, NULL, FALSE);
    }

  if (strstr (template_url, "{domain}") != NULL)
    {
      g_autofree char *norm = normalise_domain (domain);

      if (norm == NULL)
        return NULL;
      domain_escaped = g_uri_escape_string (norm, NULL, FALSE);
    }

  result = g_string_sized_new (strlen (template_url) + 64);
  p = template_url;
  while (*p != '\0')
    {
      if (ip_escaped != NULL && g_str_has_prefix (p, "{ip}"))
        {
          g_string_append (result, ip_escaped);
          p += strlen ("{ip}");
        }
      else if (domain_escaped != NULL && g_str_has_prefix (p, "{domain}"))
        {
          g_string_append (result, domain_escaped);
          p += strlen ("{domain}");
        }
      else
        {
          g_string_append_c (result, *p);
          p++;
        }
    }

  /* Any brace left is an unknown placeholder; any other odd byte means the
   * template itself is broken. */
  if (!uri_chars_ok (result->str))
    return NULL;

  uri = g_uri_parse (result->str, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;
  if (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    return NULL;
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;
  if (g_uri_get_userinfo (uri) != NULL)
    return NULL;

  return g_string_free (g_steal_pointer (&result), FALSE);
}

typedef struct {
  GPtrArray *links;
  GHashTable *seen_urls;
} LinkBuilder;

static void
builder_add (LinkBuilder *builder,
             char        *url,      /* transfer full */
             char        *title,    /* transfer full */
             BounceEntry *service,
             const char  *target,
             gboolean     named,
             gboolean     closed)
{
  BounceLink *link;

  if (url == NULL || builder->links->len >= MAX_LINKS ||
      g_hash_table_contains (builder->seen_urls, url))
    {
      g_free (url);
      g_free (title);
      return;
    }

  link = g_new0 (BounceLink, 1);
  link->url = url;
  link->title = title;
  link->service_id = g_strdup (bounce_entry_get_id (service));
  link->target = g_strdup (target);
  link->named = named;
  link->closed = closed;

  g_hash_table_add (builder->seen_urls, g_strdup (url));
  g_ptr_array_add (builder->links, link);
}

/* Where to send people for a list that has shut down: its information page,
 * never a lookup that would pretend the list still answers. */
static char *
closed_info_url (BounceEntry *service)
{
  GPtrArray *links;
  char *url;

  url = bounce_link_expand (bounce_entry_get_source_url (service), NULL, NULL);
  if (url != NULL)
    return url;

  links = bounce_entry_get_links (service);
  for (guint i = 0; links != NULL && i < links->len; i++)
    {
      BounceEntryLink *l = g_ptr_array_index (links, i);

      url = bounce_link_expand (l->url, NULL, NULL);
      if (url != NULL)
        return url;
    }

  return bounce_link_expand (bounce_entry_get_delist_url (service), NULL, NULL);
}

static void
add_service (LinkBuilder *builder,
             BounceEntry *service,
             GPtrArray   *ips,
             GPtrArray   *domains,
             gboolean     named)
{
  const char *service_title = bounce_entry_get_title (service);
  const char *ip_template = bounce_entry_get_lookup_ip (service);
  const char *domain_template = bounce_entry_get_lookup_domain (service);
  guint before = builder->links->len;

  if (bounce_entry_get_kind (service) != BOUNCE_ENTRY_BLOCKLIST)
    return;

  if (bounce_entry_get_closed (service))
    {
      const char *date = bounce_entry_get_closed_date (service);
      const char *target = NULL;
      char *title;

      /* A closed checker nobody mentioned is just noise. */
      if (!named)
        return;

      if (ip_template != NULL && ips->len > 0)
        target = g_ptr_array_index (ips, 0);
      else if (domain_template != NULL && domains->len > 0)
        target = g_ptr_array_index (domains, 0);

      if (date != NULL)
        /* Translators: the first %s is a blocklist name, the second a date
         * such as 2024-06-05 */
        title = g_strdup_printf (_("%s has shut down (since %s)"), service_title, date);
      else
        /* Translators: %s is a blocklist name */
        title = g_strdup_printf (_("%s has shut down"), service_title);

      builder_add (builder, closed_info_url (service), title, service, target, named, TRUE);
      return;
    }

  for (guint i = 0; ip_template != NULL && i < ips->len; i++)
    {
      const char *ip = g_ptr_array_index (ips, i);

      builder_add (builder,
                   bounce_link_expand (ip_template, ip, NULL),
                   /* Translators: "Check 192.0.2.1 on Spamhaus" */
                   g_strdup_printf (_("Check %s on %s"), ip, service_title),
                   service, ip, named, FALSE);
    }

  for (guint i = 0; domain_template != NULL && i < domains->len; i++)
    {
      const char *domain = g_ptr_array_index (domains, i);

      builder_add (builder,
                   bounce_link_expand (domain_template, NULL, domain),
                   g_strdup_printf (_("Check %s on %s"), domain, service_title),
                   service, domain, named, FALSE);
    }

  /* A list the bounce names but that has no lookup page for what we found
   * still deserves a way out: its removal page. */
  if (named && builder->links->len == before)
    {
      builder_add (builder,
                   bounce_link_expand (bounce_entry_get_delist_url (service), NULL, NULL),
                   /* Translators: %s is a blocklist name */
                   g_strdup_printf (_("Removal page of %s"), service_title),
                   service, NULL, named, FALSE);
    }
}

/* Valid, normalised, unique and bounded. */
static GPtrArray *
collect_targets (GPtrArray *values,
                 guint      max,
                 char    *(*normalise) (const char *))
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; values != NULL && i < values->len && out->len < max; i++)
    {
      char *norm = normalise (g_ptr_array_index (values, i));

      if (norm == NULL)
        continue;
      if (g_ptr_array_find_with_equal_func (out, norm, g_str_equal, NULL))
        {
          g_free (norm);
          continue;
        }
      g_ptr_array_add (out, norm);
    }

  return out;
}

GPtrArray *
bounce_links_select_named (GPtrArray *named,
                           gboolean   sender_at_fault)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; named != NULL && i < named->len; i++)
    {
      BounceEntry *service = g_ptr_array_index (named, i);

      if (sender_at_fault || bounce_entry_get_closed (service))
        g_ptr_array_add (out, service);
    }

  return out;
}

GPtrArray *
bounce_links_build (BounceCatalogue *catalogue,
                    GPtrArray       *ips,
                    GPtrArray       *domains,
                    GPtrArray       *named)
{
  g_autoptr(GPtrArray) good_ips = NULL;
  g_autoptr(GPtrArray) good_domains = NULL;
  g_autoptr(GHashTable) seen_urls = NULL;
  g_autoptr(GHashTable) done_services = NULL;
  LinkBuilder builder;

  g_return_val_if_fail (catalogue == NULL || BOUNCE_IS_CATALOGUE (catalogue), NULL);

  good_ips = collect_targets (ips, MAX_IPS, normalise_ip);
  good_domains = collect_targets (domains, MAX_DOMAINS, normalise_domain);
  seen_urls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  done_services = g_hash_table_new (g_direct_hash, g_direct_equal);

  builder.links = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_link_free);
  builder.seen_urls = seen_urls;

  for (guint i = 0; named != NULL && i < named->len; i++)
    {
      BounceEntry *service = g_ptr_array_index (named, i);

      if (!g_hash_table_add (done_services, service))
        continue;
      add_service (&builder, service, good_ips, good_domains, TRUE);
    }

  /* The multi-list checkers only make sense with something to look up. */
  if (catalogue != NULL && (good_ips->len > 0 || good_domains->len > 0))
    {
      guint n;
      const guint32 *multi = bounce_catalogue_get_multi_blocklists (catalogue, &n);

      /* (only their entries are made: which lists they are, the
       * catalogue's tables say) */
      for (guint i = 0; i < n; i++)
        {
          BounceEntry *service = bounce_catalogue_get_blocklist (catalogue, multi[i]);

          if (!g_hash_table_add (done_services, service))
            continue;
          add_service (&builder, service, good_ips, good_domains, FALSE);
        }
    }

  return builder.links;
}
