/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"

static BounceEntry *
entry_from_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  BounceEntry *entry;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  entry = bounce_entry_new_from_json (json_node_get_object (json_parser_get_root (parser)), &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  return entry;
}

static void
test_expand_valid (void)
{
  g_autofree char *ip = bounce_link_expand ("https://check.example.org/ip/{ip}", "8.8.8.8", NULL);
  g_autofree char *domain = bounce_link_expand ("https://check.example.org/d?q={domain}&x=1",
                                                NULL, "Mail.Example.COM");
  g_autofree char *plain = bounce_link_expand ("https://check.example.org/delist", NULL, NULL);
  g_autofree char *upper = bounce_link_expand ("HTTPS://check.example.org/ip/{ip}", "1.1.1.1", NULL);

  g_assert_cmpstr (ip, ==, "https://check.example.org/ip/8.8.8.8");
  /* Domains are lower-cased. */
  g_assert_cmpstr (domain, ==, "https://check.example.org/d?q=mail.example.com&x=1");
  g_assert_cmpstr (plain, ==, "https://check.example.org/delist");
  g_assert_nonnull (upper);
  g_assert_true (g_str_has_suffix (upper, "/ip/1.1.1.1"));
}

static void
test_expand_scheme (void)
{
  const char *bad[] = {
    "http://check.example.org/ip/{ip}",
    "javascript:alert('{ip}')",
    "JavaScript:alert(1)//https://{ip}",
    "data:text/html,{ip}",
    "ftp://check.example.org/{ip}",
    "//check.example.org/{ip}",
    "check.example.org/{ip}",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *url = bounce_link_expand (bad[i], "8.8.8.8", "example.com");

      if (url != NULL)
        g_error ("template “%s” gave “%s”", bad[i], url);
    }

  g_assert_null (bounce_link_expand (NULL, "8.8.8.8", NULL));
}

static void
test_expand_private_ip (void)
{
  const char *bad[] = {
    "10.0.0.1", "192.168.1.20", "172.16.5.4", "127.0.0.1", "0.0.0.0", "169.254.1.1",
    "192.0.2.1",             /* documentation */
    "255.255.255.255", "::1", "fe80::1", "fd00::1", "2001:db8::1",
    "8.8.8.8.8", "8.8.8", "not-an-ip", "8.8.8.8/24", "8.8.8.8 ", "", NULL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *url = bounce_link_expand ("https://check.example.org/ip/{ip}", bad[i], NULL);

      if (url != NULL)
        g_error ("IP “%s” gave “%s”", bad[i] ? bad[i] : "(null)", url);
    }
}

static void
test_domain_validity (void)
{
  g_autofree char *long_label = g_strnfill (64, 'a');
  g_autofree char *ok_label = g_strnfill (63, 'a');
  g_autofree char *long_label_domain = g_strconcat (long_label, ".example", NULL);
  g_autofree char *ok_label_domain = g_strconcat (ok_label, ".example", NULL);
  g_autoptr(GString) too_long = g_string_new (NULL);
  const char *good[] = {
    "example.com", "mail.example.co.uk", "xn--bcher-kva.de", "a-b.example", "Example.COM",
    "1.example", "mx1.a.example",
  };
  const char *bad[] = {
    "", "localhost", "-bad.example", "bad-.example", "a..example", ".example.com",
    "example.com.", "example.123", "ex_ample.com", "exa mple.com", "bücher.de",
    "example.com/path", "example.com?x=1", "user@example.com", "192.0.2.1", "example.com:25",
    "{ip}.example",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    if (!bounce_domain_is_valid (good[i]))
      g_error ("“%s” should be valid", good[i]);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    if (bounce_domain_is_valid (bad[i]))
      g_error ("“%s” should be invalid", bad[i]);

  g_assert_false (bounce_domain_is_valid (NULL));
  g_assert_false (bounce_domain_is_valid (long_label_domain));
  g_assert_true (bounce_domain_is_valid (ok_label_domain));

  /* 4 × 63 + 3 dots = 255 characters: over the 253 limit. */
  for (guint i = 0; i < 4; i++)
    g_string_append_printf (too_long, "%s%s", i > 0 ? "." : "", ok_label);
  g_assert_false (bounce_domain_is_valid (too_long->str));

  g_assert_null (bounce_link_expand ("https://check.example.org/d/{domain}", NULL, "-bad.example"));
  g_assert_null (bounce_link_expand ("https://check.example.org/d/{domain}", NULL, "bücher.de"));
  g_assert_null (bounce_link_expand ("https://check.example.org/d/{domain}", NULL, NULL));
}

/* Checking the scheme must not intern it: GLib keeps every quark until
 * the process ends, so hostile templates grew its table without end
 * (found by fuzz/fuzz-links). */
static void
test_expand_scheme_not_interned (void)
{
  g_assert_null (bounce_link_expand ("qz7fuzzscheme://check.example.org/{ip}", "8.8.8.8", NULL));
  g_assert_cmpuint (g_quark_try_string ("qz7fuzzscheme"), ==, 0);
}

static void
test_expand_escaping (void)
{
  g_autofree char *v6 = bounce_link_expand ("https://check.example.org/lookup?ip={ip}",
                                            "2001:4860:4860:0:0:0:0:8888", NULL);
  g_autofree char *both = bounce_link_expand ("https://check.example.org/{domain}/{ip}",
                                              "9.9.9.9", "example.net");
  g_autofree char *brace = bounce_link_expand ("https://check.example.org/{foo}/{ip}", "9.9.9.9", NULL);
  g_autofree char *userinfo = bounce_link_expand ("https://user@check.example.org/{ip}", "9.9.9.9", NULL);
  g_autofree char *space = bounce_link_expand ("https://check.example.org/a b/{ip}", "9.9.9.9", NULL);

  /* Canonical form, and ':' escaped so the value stays one component. */
  g_assert_cmpstr (v6, ==, "https://check.example.org/lookup?ip=2001%3A4860%3A4860%3A%3A8888");
  g_assert_cmpstr (both, ==, "https://check.example.org/example.net/9.9.9.9");
  g_assert_null (brace);
  g_assert_null (userinfo);
  g_assert_null (space);
}

#define NAMED_JSON \
  "{\"id\": \"blocklist.testlist\", \"kind\": \"blocklist\", \"title\": \"Test List\"," \
  " \"explanation\": \"A test list.\", \"zones\": [\"bl.test.example\"]," \
  " \"lookup_ip\": \"https://lists.example.org/ip/{ip}\"," \
  " \"lookup_domain\": \"https://lists.example.org/domain/{domain}\"," \
  " \"delist\": \"https://lists.example.org/remove\", \"status\": \"operating\"}"

#define CLOSED_JSON \
  "{\"id\": \"blocklist.oldlist\", \"kind\": \"blocklist\", \"title\": \"Old List\"," \
  " \"explanation\": \"A list that shut down.\", \"zones\": [\"bl.old.example\"]," \
  " \"lookup_ip\": \"https://old.example.org/ip/{ip}\"," \
  " \"source\": \"https://news.example.org/old-list-closed\"," \
  " \"status\": \"closed\", \"closed\": \"2024-06-05\"}"

#define DELIST_ONLY_JSON \
  "{\"id\": \"blocklist.delistonly\", \"kind\": \"blocklist\", \"title\": \"Delist Only\"," \
  " \"explanation\": \"A list with no lookup page.\"," \
  " \"delist\": \"https://delist.example.org/form\", \"status\": \"operating\"}"

static BounceLink *
find_link (GPtrArray  *links,
           const char *url)
{
  for (guint i = 0; i < links->len; i++)
    {
      BounceLink *link = g_ptr_array_index (links, i);

      if (g_strcmp0 (link->url, url) == 0)
        return link;
    }
  return NULL;
}

static void
test_build_named (void)
{
  g_autoptr(BounceEntry) named_entry = entry_from_json (NAMED_JSON);
  g_autoptr(BounceEntry) closed_entry = entry_from_json (CLOSED_JSON);
  g_autoptr(GPtrArray) named = g_ptr_array_new ();
  g_autoptr(GPtrArray) ips = g_ptr_array_new ();
  g_autoptr(GPtrArray) domains = g_ptr_array_new ();
  g_autoptr(GPtrArray) links = NULL;
  BounceLink *link;

  g_ptr_array_add (named, closed_entry);
  g_ptr_array_add (named, named_entry);
  g_ptr_array_add (named, named_entry);   /* named twice: listed once */
  g_ptr_array_add (ips, "10.1.2.3");      /* private: never looked up */
  g_ptr_array_add (ips, "8.8.8.8");
  g_ptr_array_add (ips, "8.8.8.8");       /* duplicate */
  g_ptr_array_add (domains, "Example.NET");
  g_ptr_array_add (domains, "not a domain");

  links = bounce_links_build (NULL, ips, domains, named);
  g_assert_nonnull (links);

  /* The closed list comes first (it was named first), as an info page. */
  g_assert_cmpuint (links->len, ==, 3);
  link = g_ptr_array_index (links, 0);
  g_assert_cmpstr (link->service_id, ==, "blocklist.oldlist");
  g_assert_true (link->closed);
  g_assert_true (link->named);
  g_assert_cmpstr (link->url, ==, "https://news.example.org/old-list-closed");
  g_assert_nonnull (strstr (link->title, "Old List"));
  g_assert_nonnull (strstr (link->title, "2024-06-05"));

  link = find_link (links, "https://lists.example.org/ip/8.8.8.8");
  g_assert_nonnull (link);
  g_assert_true (link->named);
  g_assert_false (link->closed);
  g_assert_cmpstr (link->target, ==, "8.8.8.8");
  g_assert_cmpstr (link->service_id, ==, "blocklist.testlist");
  g_assert_nonnull (strstr (link->title, "8.8.8.8"));
  g_assert_nonnull (strstr (link->title, "Test List"));

  link = find_link (links, "https://lists.example.org/domain/example.net");
  g_assert_nonnull (link);
  g_assert_cmpstr (link->target, ==, "example.net");

  for (guint i = 0; i < links->len; i++)
    {
      link = g_ptr_array_index (links, i);
      g_assert_true (g_str_has_prefix (link->url, "https://"));
      g_assert_null (strstr (link->url, "10.1.2.3"));
      g_assert_null (strstr (link->url, "old.example.org"));
    }
}

static void
test_build_bounded (void)
{
  g_autoptr(BounceEntry) named_entry = entry_from_json (NAMED_JSON);
  g_autoptr(GPtrArray) named = g_ptr_array_new ();
  g_autoptr(GPtrArray) ips = g_ptr_array_new ();
  g_autoptr(GPtrArray) domains = g_ptr_array_new ();
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GHashTable) urls = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_ip = 0, n_domain = 0;
  const char *many_ips[] = { "8.8.8.8", "8.8.4.4", "1.1.1.1", "9.9.9.9", "208.67.222.222" };
  const char *many_domains[] = { "a.example.com", "b.example.com", "c.example.com", "d.example.com" };

  g_ptr_array_add (named, named_entry);
  for (guint i = 0; i < G_N_ELEMENTS (many_ips); i++)
    g_ptr_array_add (ips, (gpointer) many_ips[i]);
  for (guint i = 0; i < G_N_ELEMENTS (many_domains); i++)
    g_ptr_array_add (domains, (gpointer) many_domains[i]);

  links = bounce_links_build (NULL, ips, domains, named);
  for (guint i = 0; i < links->len; i++)
    {
      BounceLink *link = g_ptr_array_index (links, i);

      g_assert_true (g_hash_table_add (urls, link->url));
      if (g_str_has_prefix (link->url, "https://lists.example.org/ip/"))
        n_ip++;
      else if (g_str_has_prefix (link->url, "https://lists.example.org/domain/"))
        n_domain++;
    }
  g_assert_cmpuint (n_ip, ==, 3);
  g_assert_cmpuint (n_domain, ==, 3);
  /* The first ones are kept. */
  g_assert_nonnull (find_link (links, "https://lists.example.org/ip/8.8.8.8"));
  g_assert_null (find_link (links, "https://lists.example.org/ip/9.9.9.9"));
}

static void
test_build_delist_only (void)
{
  g_autoptr(BounceEntry) entry = entry_from_json (DELIST_ONLY_JSON);
  g_autoptr(GPtrArray) named = g_ptr_array_new ();
  g_autoptr(GPtrArray) ips = g_ptr_array_new ();
  g_autoptr(GPtrArray) links = NULL;
  BounceLink *link;

  g_ptr_array_add (named, entry);
  g_ptr_array_add (ips, "8.8.8.8");

  links = bounce_links_build (NULL, ips, NULL, named);
  g_assert_cmpuint (links->len, ==, 1);
  link = g_ptr_array_index (links, 0);
  g_assert_cmpstr (link->url, ==, "https://delist.example.org/form");
  g_assert_true (link->named);
  g_assert_false (link->closed);
  g_assert_null (link->target);

  /* Without anything named and without a catalogue there is nothing to show. */
  g_clear_pointer (&links, g_ptr_array_unref);
  links = bounce_links_build (NULL, ips, NULL, NULL);
  g_assert_cmpuint (links->len, ==, 0);
}

#define TEST_CATALOGUE RESOURCE_BASE "/tests/links-catalogue"

static BounceCatalogue *
load_test_catalogue (void)
{
  g_autoptr(GError) error = NULL;
  BounceCatalogue *catalogue = bounce_catalogue_new_from_resource (TEST_CATALOGUE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (catalogue);
  return catalogue;
}

static void
test_build_multi (void)
{
  g_autoptr(BounceCatalogue) catalogue = load_test_catalogue ();
  g_autoptr(GPtrArray) named = g_ptr_array_new ();
  g_autoptr(GPtrArray) ips = g_ptr_array_new ();
  g_autoptr(GPtrArray) domains = g_ptr_array_new ();
  g_autoptr(GPtrArray) links = NULL;
  const char *expected[][3] = {
    /* url, service, named */
    { "https://alpha.example.org/lookup/8.8.8.8", "blocklist.alpha", "yes" },
    { "https://multi.example.org/check?ip=8.8.8.8", "blocklist.multi-one", "no" },
    { "https://multi.example.org/check?domain=example.net", "blocklist.multi-one", "no" },
    { "https://domains.example.org/example.net", "blocklist.multi-domain", "no" },
  };

  g_ptr_array_add (named, bounce_catalogue_lookup (catalogue, "blocklist.alpha"));
  g_ptr_array_add (ips, "8.8.8.8");
  g_ptr_array_add (domains, "example.net");

  links = bounce_links_build (catalogue, ips, domains, named);

  /* The closed checker nobody named is left out entirely. */
  g_assert_cmpuint (links->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < links->len; i++)
    {
      BounceLink *link = g_ptr_array_index (links, i);

      g_assert_cmpstr (link->url, ==, expected[i][0]);
      g_assert_cmpstr (link->service_id, ==, expected[i][1]);
      g_assert_cmpint (link->named, ==, g_str_equal (expected[i][2], "yes"));
      g_assert_false (link->closed);
    }
}

static void
test_build_multi_named (void)
{
  g_autoptr(BounceCatalogue) catalogue = load_test_catalogue ();
  g_autoptr(GPtrArray) named = g_ptr_array_new ();
  g_autoptr(GPtrArray) ips = g_ptr_array_new ();
  g_autoptr(GPtrArray) links = NULL;
  BounceLink *link;

  /* A checker the bounce names is listed once, as named, and a closed one
   * that is named is shown as closed with its information page. */
  g_ptr_array_add (named, bounce_catalogue_lookup (catalogue, "blocklist.multi-closed"));
  g_ptr_array_add (named, bounce_catalogue_lookup (catalogue, "blocklist.multi-one"));
  g_ptr_array_add (ips, "1.1.1.1");

  links = bounce_links_build (catalogue, ips, NULL, named);
  g_assert_cmpuint (links->len, ==, 2);

  link = g_ptr_array_index (links, 0);
  g_assert_cmpstr (link->service_id, ==, "blocklist.multi-closed");
  g_assert_true (link->closed);
  g_assert_true (link->named);
  g_assert_cmpstr (link->url, ==, "https://closed.example.org/about");

  link = g_ptr_array_index (links, 1);
  g_assert_cmpstr (link->service_id, ==, "blocklist.multi-one");
  g_assert_true (link->named);
  g_assert_cmpstr (link->url, ==, "https://multi.example.org/check?ip=1.1.1.1");

  /* Nothing to look up: no checker links at all. */
  g_clear_pointer (&links, g_ptr_array_unref);
  links = bounce_links_build (catalogue, NULL, NULL, NULL);
  g_assert_cmpuint (links->len, ==, 0);
}

/* With the built-in catalogue: named lists first, then the multi-list
 * checkers, which are never marked as named. */
static void
test_build_catalogue (void)
{
  BounceCatalogue *catalogue = bounce_catalogue_get_default ();
  GPtrArray *blocklists = bounce_catalogue_get_blocklists (catalogue);
  g_autoptr(GPtrArray) named = g_ptr_array_new ();
  g_autoptr(GPtrArray) ips = g_ptr_array_new ();
  g_autoptr(GPtrArray) links = NULL;
  BounceEntry *named_list = NULL;
  guint n_multi = 0;
  gboolean seen_unnamed = FALSE;

  for (guint i = 0; blocklists != NULL && i < blocklists->len; i++)
    {
      BounceEntry *entry = g_ptr_array_index (blocklists, i);

      if (bounce_entry_get_multi (entry) && !bounce_entry_get_closed (entry) &&
          bounce_entry_get_lookup_ip (entry) != NULL)
        n_multi++;
      else if (named_list == NULL && !bounce_entry_get_multi (entry) &&
               !bounce_entry_get_closed (entry) && bounce_entry_get_lookup_ip (entry) != NULL)
        named_list = entry;
    }

  if (n_multi == 0 || named_list == NULL)
    {
      g_test_skip ("the catalogue has no multi-list checker or no IP list yet");
      return;
    }

  g_ptr_array_add (named, named_list);
  g_ptr_array_add (ips, "8.8.8.8");
  links = bounce_links_build (catalogue, ips, NULL, named);

  g_assert_cmpuint (links->len, >=, 1 + n_multi);
  g_assert_cmpstr (((BounceLink *) g_ptr_array_index (links, 0))->service_id, ==,
                   bounce_entry_get_id (named_list));
  for (guint i = 0; i < links->len; i++)
    {
      BounceLink *link = g_ptr_array_index (links, i);
      BounceEntry *service = bounce_catalogue_lookup (catalogue, link->service_id);

      g_assert_nonnull (service);
      g_assert_true (g_str_has_prefix (link->url, "https://"));
      if (link->named)
        g_assert_false (seen_unnamed);
      else
        {
          seen_unnamed = TRUE;
          g_assert_true (bounce_entry_get_multi (service));
        }
    }
  g_assert_true (seen_unnamed);
}

/* The sending IP addresses the analyser collects from a bounce's text, for
 * the blocklist checks, joined with commas. */
static char *
sending_ips (const char *body)
{
  g_autofree char *text = g_strconcat ("From: MAILER-DAEMON@mx.example.org\n"
                                       "Subject: Undelivered Mail Returned to Sender\n\n", body, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "test", NULL, &error);
  GPtrArray *list;
  char *ips;

  g_assert_no_error (error);
  list = bounce_report_get_ips (report);
  g_ptr_array_add (list, NULL);
  ips = g_strjoinv (",", (char **) list->pdata);
  g_ptr_array_set_size (list, list->len - 1);
  return ips;
}

/* The sending IP addresses a rejection names: in brackets after "Client
 * host", in a lookup URL, backwards in a blocklist query; never the
 * refusing server, a private or documentation address, or an address that
 * is only part of a host name. */
static void
test_targets_sending_ip (void)
{
  static const struct {
    const char *reply;
    const char *ips;
  } cases[] = {
    { "554 5.7.1 Service unavailable; Client host [45.83.220.17] blocked using bl.spamcop.net",
      "45.83.220.17" },
    { "554 5.7.1 Service unavailable; Client host [45.83.220.17] blocked using zen.spamhaus.org; "
      "https://www.spamhaus.org/query/ip/45.83.220.17", "45.83.220.17" },
    { "554 5.7.1 Rejected: 17.220.83.45.zen.spamhaus.org is listed", "45.83.220.17" },
    { "554 5.7.1 Rejected, see https://www.spamhaus.org/query/ip/45.83.220.17", "45.83.220.17" },
    { "554 5.7.1 Your host 45.83.220.17 is listed on bl.spamcop.net", "45.83.220.17" },
    { "554 5.7.1 Client host [192.168.10.4] blocked using zen.spamhaus.org", "" },
    { "554 5.7.1 Client host [203.0.113.45] blocked using zen.spamhaus.org", "" },
    { "554 5.7.1 Sender 45.83.220.17.static.example.net blocked using zen.spamhaus.org", "" },
    /* a reverse-DNS name in a URL is the address backwards: the private
     * 192.168.1.1 here, never a lookup for 1.1.168.192 */
    { "554 5.7.1 Rejected, see https://check.example.org/lookup/1.1.168.192.in-addr.arpa", "" },
    { "554 5.7.1 Your host 45.83.220.17 is listed; see "
      "https://check.example.org/lookup/17.220.83.45.in-addr.arpa", "45.83.220.17" },
    { "554 5.7.1 Rejected, see https://check.example.org/q/17.220.83.45.IN-ADDR.ARPA", "45.83.220.17" },
    { "554 5.7.1 Rejected, see https://check.example.org/q/17.220.83.45.zen.spamhaus.org",
      "45.83.220.17" },
    /* a host name in a URL is not an address */
    { "554 5.7.1 Rejected, see https://check.example.org/host/45.83.220.17.static.example.net", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = g_strdup_printf ("<kim@example.net>: host mx.example.net[8.8.4.4] said: %s "
                                               "(in reply to RCPT TO command)\n", cases[i].reply);
      g_autofree char *ips = sending_ips (body);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].reply);
      g_assert_cmpstr (ips, ==, cases[i].ips);
    }
}

/* Addresses of the other side, or no address at all, are not checked as
 * the sender's: the refusing server however the report names it, a DSN's
 * Remote-MTA, version numbers.  The blocklist named makes every report
 * want a check. */
static void
test_targets_other_sides (void)
{
  static const struct {
    const char *body;
    const char *ips;
  } cases[] = {
    { "<kim@example.net>: host\n    mx.example.net[8.8.4.4] said: 554 5.7.1 blocked using zen.spamhaus.org\n", "" },
    { "There was an error delivering your mail to <kim@example.net>.\n\n"
      "mx.example.net [8.8.4.4] did not like our RCPT TO:\n554 5.7.1 blocked using zen.spamhaus.org\n", "" },
    { "<kim@example.net>:\n8.8.4.4 does not like recipient.\n"
      "Remote host said: 554 5.7.1 blocked using zen.spamhaus.org\n", "" },
    { "<kim@example.net>:\nConnected to 8.8.4.4 but sender was rejected.\n"
      "Remote host said: 554 5.7.1 blocked using zen.spamhaus.org\n", "" },
    { "kim@example.net\n  SMTP error from remote server for RCPT TO command, host: mx.example.net "
      "(8.8.4.4) reason: 554 5.7.1 blocked using zen.spamhaus.org\n", "" },
    { "<kim@example.net>: 554 5.7.1 blocked using zen.spamhaus.org\n"
      "Remote-MTA: dns; mx.example.net [8.8.4.4]\n", "" },
    { "<kim@example.net>: 554 5.7.1 blocked using zen.spamhaus.org\n"
      "Remote-MTA: dns;mx.example.net (TCP|45.83.220.17|19454|8.8.4.4|25)\n", "45.83.220.17" },
    { "<kim@example.net>: 554 5.7.1 blocked using zen.spamhaus.org\n"
      "Received: by relay.example.org with smtp (version 4.8.5.36) id 1509261695\n", "" },
    /* Yahoo's reference number after the reply, not an address */
    { "<kim@yahoo.com>: host mta7.am0.yahoodns.net[67.195.204.72] said: 421 4.7.0 [TSS04] Messages from "
      "93.184.216.34 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; "
      "see https://postmaster.yahooinc.com/error-codes\n", "93.184.216.34" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ips = sending_ips (cases[i].body);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].body);
      g_assert_cmpstr (ips, ==, cases[i].ips);
    }
}

/* Refusals that are the receiving server's fault: it still asks a list that
 * has closed (SORBS, NiX Spam), or took Spamhaus's error answer for a public
 * resolver ("open resolver", a .../returnc/... page) for a listing.  The
 * sender is not listed, so the verdict does not say so (no "blocked") and no
 * link looks up the sender's address, nor the resolver's address in the
 * returnc URL; a closed list is still named, as closed.  The last case, a
 * live list, keeps its lookups. */
static void
test_targets_receiving_side (void)
{
  static const struct {
    const char *reply;
    const char *reason;   /* the reason the recipient must not have */
    gboolean lookups;
  } cases[] = {
    { "554 5.7.1 Service unavailable; Client host [45.83.220.17] blocked using dnsbl.sorbs.net",
      "blocked", FALSE },
    { "554 5.7.1 Service unavailable; Client host [45.83.220.17] blocked using ix.dnsbl.manitu.net",
      "blocked", FALSE },
    { "554 5.7.1 Service unavailable; Client host [45.83.220.17] blocked using zen.spamhaus.org; "
      "Error: open resolver; https://check.spamhaus.org/returnc/pub/8.8.8.8", "blocked", FALSE },
    { "554 5.7.1 Service unavailable; Client host [45.83.220.17] blocked using bl.spamcop.net",
      "systemerror", TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("From: MAILER-DAEMON@mx.example.org\n"
                                               "Subject: Undelivered Mail Returned to Sender\n\n"
                                               "<kim@example.net>: host mx.example.net[8.8.4.4] said: %s "
                                               "(in reply to RCPT TO command)\n", cases[i].reply);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(GError) error = NULL;
      g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "test", NULL, &error);
      g_autoptr(BounceRecipient) r = NULL;
      GPtrArray *links;
      guint n_lookups = 0;

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].reply);
      g_assert_no_error (error);
      r = g_list_model_get_item (bounce_report_get_recipients (report), 0);
      g_assert_nonnull (r);
      g_assert_cmpstr (bounce_recipient_get_reason (r), !=, cases[i].reason);
      g_assert_cmpuint (bounce_report_get_blocklists (report)->len, >, 0);

      links = bounce_report_get_links (report);
      for (guint j = 0; links != NULL && j < links->len; j++)
        {
          BounceLink *link = g_ptr_array_index (links, j);

          g_assert_cmpstr (link->target, !=, "8.8.8.8");
          if (link->target != NULL)
            n_lookups++;
        }
      if (cases[i].lookups)
        g_assert_cmpuint (n_lookups, >, 0);
      else
        g_assert_cmpuint (n_lookups, ==, 0);
    }
}

/* Special-use names (RFC 6761, RFC 6762, RFC 7686, RFC 8375, RFC 9476 and
 * ICANN's .internal) never reach a public blocklist: no link is built for
 * them, and the analyser does not collect them as the sending domain. */
static void
test_domain_special_use (void)
{
  g_autoptr(BounceEntry) named_entry = entry_from_json (NAMED_JSON);
  g_autoptr(GPtrArray) named = g_ptr_array_new ();
  g_autoptr(GPtrArray) domains = g_ptr_array_new ();
  g_autoptr(GPtrArray) links = NULL;
  const char *special[] = {
    "printer.local", "corp.internal", "abcdefghijklmnop.onion", "mail.test", "www.example",
    "host.invalid", "app.localhost", "router.home.arpa", "4.3.2.1.in-addr.arpa", "box.alt",
    "MAIL.LOCAL",
  };

  g_ptr_array_add (named, named_entry);
  for (guint i = 0; i < G_N_ELEMENTS (special); i++)
    g_ptr_array_add (domains, (gpointer) special[i]);
  g_ptr_array_add (domains, "example.net");

  links = bounce_links_build (NULL, NULL, domains, named);
  for (guint i = 0; i < links->len; i++)
    {
      BounceLink *link = g_ptr_array_index (links, i);

      g_test_message ("link %s", link->url);
      g_assert_cmpstr (link->target, ==, "example.net");
    }
  g_assert_cmpuint (links->len, ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (special); i++)
    {
      g_autofree char *text = g_strdup_printf ("From: MAILER-DAEMON@mx.example.org\n"
                                               "To: kim@%s\n"
                                               "Subject: Undelivered Mail Returned to Sender\n\n"
                                               "<lee@example.net>: host mx.example.net[8.8.4.4] said: "
                                               "554 5.7.1 blocked using dbl.spamhaus.org\n", special[i]);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "test", NULL, NULL);

      g_assert_nonnull (report);
      g_test_message ("domain %s", special[i]);
      g_assert_cmpuint (bounce_report_get_domains (report)->len, ==, 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();

  g_test_add_func ("/links/expand/valid", test_expand_valid);
  g_test_add_func ("/links/expand/scheme", test_expand_scheme);
  g_test_add_func ("/links/expand/private-ip", test_expand_private_ip);
  g_test_add_func ("/links/expand/escaping", test_expand_escaping);
  g_test_add_func ("/links/expand/scheme-not-interned", test_expand_scheme_not_interned);
  g_test_add_func ("/links/domain/validity", test_domain_validity);
  g_test_add_func ("/links/domain/special-use", test_domain_special_use);
  g_test_add_func ("/links/build/named", test_build_named);
  g_test_add_func ("/links/build/bounded", test_build_bounded);
  g_test_add_func ("/links/build/delist-only", test_build_delist_only);
  g_test_add_func ("/links/build/multi", test_build_multi);
  g_test_add_func ("/links/build/multi-named", test_build_multi_named);
  g_test_add_func ("/links/build/catalogue", test_build_catalogue);
  g_test_add_func ("/links/targets/sending-ip", test_targets_sending_ip);
  g_test_add_func ("/links/targets/other-sides", test_targets_other_sides);
  g_test_add_func ("/links/targets/receiving-side", test_targets_receiving_side);

  return g_test_run ();
}
