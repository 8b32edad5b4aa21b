/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bounce-core.h"

/* The live blocklist check, two ways:
 *
 * - /blocklist-check/...: against a GResolver subclass set as the default
 *   resolver (as GLib's own tests do), which answers from a table and
 *   records every question.  Runs everywhere.
 * - /blocklist-dns/...: against a real DNS server, dnsmasq serving test
 *   answers for the lists' zones inside a private network and mount
 *   namespace whose /etc/resolv.conf names it.  GIO's resolver goes
 *   through glibc's getaddrinfo() and res_query() there, exactly as on a
 *   user's machine, and no packet leaves the namespace.  Skipped (saying
 *   why) where namespaces or dnsmasq are not available. */

/* ------------------------------------------------------------------ */
/* A resolver that answers from a table */

typedef enum {
  ANSWER_ADDRESSES,   /* the addresses in value, comma-separated */
  ANSWER_NXDOMAIN,
  ANSWER_FAIL,        /* temporary failure: server unreachable */
  ANSWER_HANG,        /* never answers until cancelled */
} AnswerKind;

typedef struct {
  const char *name;   /* without the final dot */
  AnswerKind kind;
  const char *value;
  const char *txt;    /* TXT text, or NULL: no TXT record */
} Answer;

#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

struct _TestResolver
{
  GResolver parent_instance;

  const Answer *answers;
  gsize n_answers;
  GPtrArray *asked;       /* "A name." / "TXT name.", as asked */
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static const Answer *
find_answer (TestResolver *self,
             const char   *hostname)
{
  g_autofree char *name = g_strdup (hostname);

  if (g_str_has_suffix (name, "."))
    name[strlen (name) - 1] = '\0';
  for (gsize i = 0; i < self->n_answers; i++)
    if (g_ascii_strcasecmp (self->answers[i].name, name) == 0)
      return &self->answers[i];
  return NULL;
}

typedef struct {
  GTask *task;
  GCancellable *cancellable;
  gulong handler;
} Hang;

static gboolean
hang_return (gpointer data)
{
  Hang *hang = data;

  g_cancellable_disconnect (hang->cancellable, hang->handler);
  g_task_return_new_error (hang->task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  g_object_unref (hang->task);
  g_object_unref (hang->cancellable);
  g_free (hang);
  return G_SOURCE_REMOVE;
}

static void
hang_cancelled (GCancellable *cancellable,
                gpointer      data)
{
  g_idle_add (hang_return, data);
}

/* Answers later, from the main loop, like a real resolver. */
static void
answer_task (GTask        *task,
             const Answer *answer,
             gboolean      txt,
             GCancellable *cancellable)
{
  if (answer == NULL || answer->kind == ANSWER_NXDOMAIN || (txt && answer->txt == NULL &&
                                                            answer->kind == ANSWER_ADDRESSES))
    g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no such name");
  else if (answer->kind == ANSWER_FAIL)
    g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE, "no server");
  else if (answer->kind == ANSWER_HANG)
    {
      Hang *hang = g_new0 (Hang, 1);

      g_assert_nonnull (cancellable);
      hang->task = g_object_ref (task);
      hang->cancellable = g_object_ref (cancellable);
      hang->handler = g_cancellable_connect (cancellable, G_CALLBACK (hang_cancelled), hang, NULL);
    }
  else if (txt)
    {
      const char *strings[] = { answer->txt, NULL };
      GList *records = g_list_append (NULL, g_variant_ref_sink (g_variant_new ("(^as)", strings)));

      g_task_return_pointer (task, records, NULL);
    }
  else
    {
      g_auto(GStrv) parts = g_strsplit (answer->value, ",", -1);
      GList *addresses = NULL;

      for (guint i = 0; parts[i] != NULL; i++)
        addresses = g_list_append (addresses, g_inet_address_new_from_string (parts[i]));
      g_task_return_pointer (task, addresses, NULL);
    }
}

static void
test_resolver_lookup_by_name_with_flags_async (GResolver                 *resolver,
                                               const char                *hostname,
                                               GResolverNameLookupFlags   flags,
                                               GCancellable              *cancellable,
                                               GAsyncReadyCallback        callback,
                                               gpointer                   user_data)
{
  TestResolver *self = TEST_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  /* Only A records: the answers of a blocklist are IPv4 addresses. */
  g_assert_cmpint (flags, ==, G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY);
  g_ptr_array_add (self->asked, g_strconcat ("A ", hostname, NULL));
  answer_task (task, find_answer (self, hostname), FALSE, cancellable);
}

static GList *
test_resolver_lookup_by_name_with_flags_finish (GResolver     *resolver,
                                                GAsyncResult  *result,
                                                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_lookup_records_async (GResolver           *resolver,
                                    const char          *rrname,
                                    GResolverRecordType  record_type,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  TestResolver *self = TEST_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_assert_cmpint (record_type, ==, G_RESOLVER_RECORD_TXT);
  g_ptr_array_add (self->asked, g_strconcat ("TXT ", rrname, NULL));
  answer_task (task, find_answer (self, rrname), TRUE, cancellable);
}

static GList *
test_resolver_lookup_records_finish (GResolver     *resolver,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_finalize (GObject *object)
{
  g_ptr_array_unref (TEST_RESOLVER (object)->asked);
  G_OBJECT_CLASS (test_resolver_parent_class)->finalize (object);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_resolver_finalize;
  resolver_class->lookup_by_name_with_flags_async = test_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = test_resolver_lookup_by_name_with_flags_finish;
  resolver_class->lookup_records_async = test_resolver_lookup_records_async;
  resolver_class->lookup_records_finish = test_resolver_lookup_records_finish;
}

static void
test_resolver_init (TestResolver *self)
{
  self->asked = g_ptr_array_new_with_free_func (g_free);
}

static GResolver *real_resolver;

static TestResolver *
use_test_resolver (const Answer *answers,
                   gsize         n_answers)
{
  TestResolver *resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);

  resolver->answers = answers;
  resolver->n_answers = n_answers;
  g_resolver_set_default (G_RESOLVER (resolver));
  return resolver;
}

static void
restore_resolver (TestResolver *resolver)
{
  g_resolver_set_default (real_resolver);
  g_object_unref (resolver);
}

/* ------------------------------------------------------------------ */
/* Helpers */

static GPtrArray *
strings (const char *first, ...)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    g_ptr_array_add (array, g_strdup (s));
  va_end (args);
  return array;
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs a check to its end; error gets the run's error. */
static GPtrArray *
run_check (BounceBlocklistCheck  *check,
           GCancellable          *cancellable,
           guint                  cancel_after_ms,
           GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  bounce_blocklist_check_run_async (check, cancellable, on_run_done, &result);
  if (cancel_after_ms > 0)
    g_timeout_add_once (cancel_after_ms, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  while (result == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  return bounce_blocklist_check_run_finish (check, result, error);
}

static BounceBlocklistResult *
result_for (GPtrArray  *results,
            const char *service_id,
            const char *target)
{
  for (guint i = 0; i < results->len; i++)
    {
      BounceBlocklistResult *r = results->pdata[i];

      if (g_str_equal (r->service_id, service_id) && g_str_equal (r->target, target))
        return r;
    }
  g_error ("no result for %s / %s", service_id, target);
  return NULL;
}

static gboolean
was_asked (GPtrArray  *asked,
           const char *what)
{
  for (guint i = 0; i < asked->len; i++)
    if (g_str_equal (asked->pdata[i], what))
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Pure parts */

static void
test_query_names (void)
{
  static const struct {
    const char *target;
    const char *zone;
    BounceDnsQuery query;
    const char *name;
  } cases[] = {
    { "45.83.220.17", "zen.spamhaus.org", BOUNCE_DNS_QUERY_IPV4, "17.220.83.45.zen.spamhaus.org" },
    /* RFC 5782 section 2.4: nibbles of the full address, least significant first */
    { "2001:4860:4860::8888", "zen.spamhaus.org", BOUNCE_DNS_QUERY_IPV6,
      "8.8.8.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.8.4.0.6.8.4.1.0.0.2.zen.spamhaus.org" },
    { "2A00:1450:4001:0829::200E", "zen.spamhaus.org", BOUNCE_DNS_QUERY_IPV4 | BOUNCE_DNS_QUERY_IPV6,
      "e.0.0.2.0.0.0.0.0.0.0.0.0.0.0.0.9.2.8.0.1.0.0.4.0.5.4.1.0.0.a.2.zen.spamhaus.org" },
    { "Mail.Example.NET", "dbl.spamhaus.org", BOUNCE_DNS_QUERY_DOMAIN, "mail.example.net.dbl.spamhaus.org" },
    /* the list does not take that kind of target */
    { "45.83.220.17", "dbl.spamhaus.org", BOUNCE_DNS_QUERY_DOMAIN, NULL },
    { "2001:4860:4860::8888", "bl.spamcop.net", BOUNCE_DNS_QUERY_IPV4, NULL },
    { "example.net", "bl.spamcop.net", BOUNCE_DNS_QUERY_IPV4, NULL },
    /* never sent: private, reserved, special-use, not a name */
    { "192.168.1.1", "zen.spamhaus.org", BOUNCE_DNS_QUERY_IPV4, NULL },
    { "127.0.0.2", "zen.spamhaus.org", BOUNCE_DNS_QUERY_IPV4, NULL },
    { "203.0.113.5", "zen.spamhaus.org", BOUNCE_DNS_QUERY_IPV4, NULL },
    { "fd00::1", "zen.spamhaus.org", BOUNCE_DNS_QUERY_IPV6, NULL },
    { "printer.local", "dbl.spamhaus.org", BOUNCE_DNS_QUERY_DOMAIN, NULL },
    { "a b.example.net", "dbl.spamhaus.org", BOUNCE_DNS_QUERY_DOMAIN, NULL },
    { "evil.net\n", "dbl.spamhaus.org", BOUNCE_DNS_QUERY_DOMAIN, NULL },
    { "", "dbl.spamhaus.org", BOUNCE_DNS_QUERY_DOMAIN, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = bounce_dns_query_name (cases[i].target, cases[i].zone, cases[i].query);

      g_test_message ("%s under %s", cases[i].target, cases[i].zone);
      g_assert_cmpstr (name, ==, cases[i].name);
    }
}

/* The catalogue's DNS data: closed lists have none, every list it names
 * exists, Spamhaus's refusal codes are refusals. */
static void
test_catalogue_data (void)
{
  BounceCatalogue *catalogue = bounce_catalogue_get_default ();
  GPtrArray *lists = bounce_catalogue_get_blocklists (catalogue);
  BounceEntry *zen = bounce_catalogue_lookup (catalogue, "blocklist.spamhaus-zen");
  const BounceDnsInfo *dns;
  guint with_dns = 0;
  gboolean refuses_254 = FALSE;

  for (guint i = 0; i < lists->len; i++)
    {
      BounceEntry *list = lists->pdata[i];

      if (bounce_entry_get_dns (list) == NULL)
        continue;
      with_dns++;
      g_assert_false (bounce_entry_get_closed (list));
      g_assert_true (g_str_has_prefix (bounce_entry_get_dns (list)->source, "https://"));
    }
  g_assert_cmpuint (with_dns, >=, 6);

  g_assert_nonnull (zen);
  dns = bounce_entry_get_dns (zen);
  g_assert_nonnull (dns);
  g_assert_true (dns->query & BOUNCE_DNS_QUERY_IPV6);
  for (guint i = 0; i < dns->refused->len; i++)
    refuses_254 |= bounce_dns_answer_matches (dns->refused->pdata[i], 0x7ffffffe);
  g_assert_true (refuses_254);
  g_assert_null (bounce_entry_get_dns (bounce_catalogue_lookup (catalogue, "blocklist.sorbs")));
  g_assert_null (bounce_entry_get_dns (bounce_catalogue_lookup (catalogue, "blocklist.nixspam")));
}

/* Bad DNS data is refused when the catalogue loads. */
static void
test_bad_dns_data (void)
{
  static const char *bad[] = {
    "{\"zone\":\"zen.spamhaus.org\",\"source\":\"https://example.org/\"}",
    "{\"zone\":\"not a zone\",\"query\":[\"ipv4\"],\"source\":\"https://example.org/\"}",
    "{\"zone\":\"bl.example.org\",\"query\":[\"ipv5\"],\"source\":\"https://example.org/\"}",
    "{\"zone\":\"bl.example.org\",\"query\":[\"ipv4\"]}",
    "{\"zone\":\"bl.example.org\",\"query\":[\"ipv4\"],\"source\":\"http://example.org/\"}",
    "{\"zone\":\"bl.example.org\",\"query\":[\"ipv4\"],\"source\":\"https://example.org/\","
    "\"answers\":[{\"code\":\"10.0.0.2\",\"meaning\":\"x\"}]}",
    "{\"zone\":\"bl.example.org\",\"query\":[\"ipv4\"],\"source\":\"https://example.org/\","
    "\"answers\":[{\"code\":\"127.0.0.9-127.0.0.2\",\"meaning\":\"x\"}]}",
    "{\"zone\":\"bl.example.org\",\"query\":[\"ipv4\"],\"source\":\"https://example.org/\","
    "\"answers\":[{\"bit\":3,\"meaning\":\"x\"}]}",
    "{\"zone\":\"bl.example.org\",\"query\":[\"ipv4\"],\"source\":\"https://example.org/\","
    "\"answers\":[{\"code\":\"127.0.0.2\"}]}",
    "{\"zone\":\"bl.example.org\",\"query\":[{}],\"source\":\"https://example.org/\"}",
    "{\"zone\":\"bl.example.org\",\"query\":[\"ipv4\"],\"source\":\"https://example.org/\","
    "\"answers\":[\"127.0.0.2\"]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      BounceDnsInfo *info;

      g_assert_true (json_parser_load_from_data (parser, bad[i], -1, NULL));
      info = bounce_dns_info_new_from_json (json_node_get_object (json_parser_get_root (parser)), "x", &error);
      g_test_message ("%s", bad[i]);
      g_assert_null (info);
      g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE);
    }

  /* and a closed list may not have any */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(BounceEntry) entry = NULL;

    g_assert_true (json_parser_load_from_data (parser,
      "{\"id\":\"blocklist.x\",\"kind\":\"blocklist\",\"title\":\"X\",\"status\":\"closed\",\"closed\":\"2024-06-05\","
      "\"dns\":{\"zone\":\"bl.example.org\",\"query\":[\"ipv4\"],\"source\":\"https://example.org/\"}}", -1, NULL));
    entry = bounce_entry_new_from_json (json_node_get_object (json_parser_get_root (parser)), &error);
    g_assert_null (entry);
    g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE);
  }
}

static void
test_clean_reason (void)
{
  const char *plain[] = { "Listed, see ", "https://www.spamhaus.org/sbl/query/SBL1", NULL };
  const char *controls[] = { "a\nb\tc\x1b[31m  d\xff", NULL };
  const char *blank[] = { "  \n ", NULL };
  g_autofree char *a = bounce_blocklist_clean_reason (plain);
  g_autofree char *b = bounce_blocklist_clean_reason (controls);
  g_autofree char *c = bounce_blocklist_clean_reason (blank);
  g_autofree char *long_text = g_strnfill (5000, 'x');
  const char *longs[] = { long_text, NULL };
  g_autofree char *d = bounce_blocklist_clean_reason (longs);

  g_assert_cmpstr (a, ==, "Listed, see https://www.spamhaus.org/sbl/query/SBL1");
  g_assert_true (g_utf8_validate (b, -1, NULL));
  g_assert_null (strchr (b, '\n'));
  g_assert_null (strchr (b, '\x1b'));
  g_assert_true (g_str_has_prefix (b, "a b c"));
  g_assert_null (c);
  g_assert_cmpuint (strlen (d), <=, 400);
}

/* ------------------------------------------------------------------ */
/* Against the table resolver */

static const Answer catalogue_answers[] = {
  /* listed twice in ZEN (SBL and PBL), with the list's reason */
  { "17.220.83.45.zen.spamhaus.org", ANSWER_ADDRESSES, "127.0.0.2,127.0.0.11",
    "Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL123" },
  /* the Spamhaus refusal for public resolvers */
  { "18.220.83.45.zen.spamhaus.org", ANSWER_ADDRESSES, "127.255.255.254", NULL },
  /* an answer outside 127/8: a lapsed zone */
  { "19.220.83.45.zen.spamhaus.org", ANSWER_ADDRESSES, "198.51.100.7", NULL },
  /* a 127 answer Spamhaus does not document */
  { "20.220.83.45.zen.spamhaus.org", ANSWER_ADDRESSES, "127.0.0.8", NULL },
  { "17.220.83.45.bl.spamcop.net", ANSWER_ADDRESSES, "127.0.0.2", NULL },
  { "17.220.83.45.b.barracudacentral.org", ANSWER_HANG, NULL, NULL },
  { "17.220.83.45.psbl.surriel.com", ANSWER_FAIL, NULL, NULL },
  /* IPv6, in nibbles */
  { "8.8.8.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.8.4.0.6.8.4.1.0.0.2.zen.spamhaus.org", ANSWER_ADDRESSES,
    "127.0.0.3", NULL },
  /* domains: bitmasks, and URIBL's refusal */
  { "shop-example.net.multi.uribl.com", ANSWER_ADDRESSES, "127.0.0.14", NULL },
  { "other-example.net.multi.uribl.com", ANSWER_ADDRESSES, "127.0.0.1", NULL },
  { "shop-example.net.multi.surbl.org", ANSWER_ADDRESSES, "127.0.0.80", NULL },
  { "shop-example.net.dbl.spamhaus.org", ANSWER_ADDRESSES, "127.0.1.102", NULL },
  { "shop-example.net.zrd.spamhaus.org", ANSWER_ADDRESSES, "127.0.2.5", NULL },
};

/* Nothing is asked before the run, and a run asks exactly the planned
 * names, each with its final dot, never a closed list or a private
 * address. */
static void
test_nothing_before_run (void)
{
  TestResolver *resolver = use_test_resolver (catalogue_answers, G_N_ELEMENTS (catalogue_answers));
  g_autoptr(GPtrArray) ips = strings ("45.83.220.17", "10.0.0.1", "192.168.1.1", "not an ip", NULL);
  g_autoptr(GPtrArray) domains = strings ("shop-example.net", "printer.local", NULL);
  g_autoptr(BounceBlocklistCheck) check = bounce_blocklist_check_new (NULL, ips, domains, NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *targets = bounce_blocklist_check_get_targets (check);

  g_assert_cmpuint (resolver->asked->len, ==, 0);
  g_assert_cmpuint (targets->len, ==, 2);
  g_assert_cmpstr (targets->pdata[0], ==, "45.83.220.17");
  g_assert_cmpstr (targets->pdata[1], ==, "shop-example.net");
  g_assert_cmpuint (bounce_blocklist_check_get_n_queries (check), >, 0);

  bounce_blocklist_check_set_timeout (check, 300);
  results = run_check (check, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, bounce_blocklist_check_get_n_queries (check));

  for (guint i = 0; i < resolver->asked->len; i++)
    {
      const char *asked = resolver->asked->pdata[i];

      g_test_message ("asked: %s", asked);
      g_assert_true (g_str_has_suffix (asked, "."));
      g_assert_null (strstr (asked, "sorbs"));
      g_assert_null (strstr (asked, "manitu"));
      g_assert_null (strstr (asked, "10.0.0"));
      g_assert_null (strstr (asked, "168.192"));
      g_assert_null (strstr (asked, "local"));
    }
  g_assert_true (was_asked (resolver->asked, "A 17.220.83.45.zen.spamhaus.org."));
  g_assert_true (was_asked (resolver->asked, "A shop-example.net.dbl.spamhaus.org."));
  /* an IP list is not asked about a domain, nor a domain list about an IP */
  g_assert_false (was_asked (resolver->asked, "A shop-example.net.zen.spamhaus.org."));
  g_assert_false (was_asked (resolver->asked, "A 17.220.83.45.dbl.spamhaus.org."));
  restore_resolver (resolver);
}

static void
test_answers (void)
{
  TestResolver *resolver = use_test_resolver (catalogue_answers, G_N_ELEMENTS (catalogue_answers));
  g_autoptr(GPtrArray) ips = strings ("45.83.220.17", "45.83.220.18", "45.83.220.19", NULL);
  g_autoptr(GPtrArray) domains = strings ("shop-example.net", "other-example.net", NULL);
  g_autoptr(BounceBlocklistCheck) check = bounce_blocklist_check_new (NULL, ips, domains, NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  BounceBlocklistResult *r;
  BounceBlocklistListing *listing;

  bounce_blocklist_check_set_timeout (check, 300);
  results = run_check (check, NULL, 0, &error);
  g_assert_no_error (error);

  /* Listed: which part of ZEN each answer means, with its pages, and the
   * list's own words from its TXT record. */
  r = result_for (results, "blocklist.spamhaus-zen", "45.83.220.17");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_LISTED);
  g_assert_cmpstr (r->query, ==, "17.220.83.45.zen.spamhaus.org");
  g_assert_cmpuint (r->listings->len, ==, 2);
  listing = r->listings->pdata[0];
  g_assert_cmpstr (listing->answer, ==, "127.0.0.2");
  g_assert_cmpstr (listing->list_id, ==, "blocklist.spamhaus-sbl");
  g_assert_cmpstr (listing->list_title, ==, "Spamhaus SBL");
  g_assert_nonnull (strstr (listing->meaning, "SBL"));
  g_assert_cmpstr (listing->lookup_url, ==, "https://check.spamhaus.org/results/?query=45.83.220.17");
  g_assert_cmpstr (listing->delist_url, ==, "https://check.spamhaus.org/");
  listing = r->listings->pdata[1];
  g_assert_cmpstr (listing->answer, ==, "127.0.0.11");
  g_assert_cmpstr (listing->list_id, ==, "blocklist.spamhaus-pbl");
  g_assert_cmpstr (r->reason, ==, "Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL123");
  g_assert_true (was_asked (resolver->asked, "TXT 17.220.83.45.zen.spamhaus.org."));

  /* Refused, not listed: Spamhaus's answer for public resolvers. */
  r = result_for (results, "blocklist.spamhaus-zen", "45.83.220.18");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_NOT_CHECKED);
  g_assert_cmpint (r->problem, ==, BOUNCE_BLOCKLIST_PROBLEM_REFUSED);
  g_assert_nonnull (strstr (r->detail, "public DNS resolver"));
  g_assert_cmpuint (r->listings->len, ==, 0);
  g_assert_false (was_asked (resolver->asked, "TXT 18.220.83.45.zen.spamhaus.org."));

  /* An answer outside 127/8 is no listing. */
  r = result_for (results, "blocklist.spamhaus-zen", "45.83.220.19");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_NOT_CHECKED);
  g_assert_cmpint (r->problem, ==, BOUNCE_BLOCKLIST_PROBLEM_UNEXPECTED);
  g_assert_nonnull (strstr (r->detail, "198.51.100.7"));

  /* Listed in a list without sub-lists: its own title and pages. */
  r = result_for (results, "blocklist.spamcop", "45.83.220.17");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_LISTED);
  listing = r->listings->pdata[0];
  g_assert_cmpstr (listing->list_id, ==, "blocklist.spamcop");
  g_assert_cmpstr (listing->lookup_url, ==, "https://www.spamcop.net/bl.shtml?45.83.220.17");

  /* Not listed: NXDOMAIN. */
  r = result_for (results, "blocklist.spamcop", "45.83.220.18");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_NOT_LISTED);
  g_assert_cmpint (r->problem, ==, BOUNCE_BLOCKLIST_PROBLEM_NONE);

  /* No answer in time, and no server. */
  r = result_for (results, "blocklist.barracuda", "45.83.220.17");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_NOT_CHECKED);
  g_assert_cmpint (r->problem, ==, BOUNCE_BLOCKLIST_PROBLEM_TIMEOUT);
  g_assert_nonnull (r->detail);
  r = result_for (results, "blocklist.psbl", "45.83.220.17");
  g_assert_cmpint (r->problem, ==, BOUNCE_BLOCKLIST_PROBLEM_NO_ANSWER);

  /* Bitmasks: URIBL 127.0.0.14 is black, grey and red; 127.0.0.1 is its
   * refusal.  SURBL 127.0.0.80 is MW and ABUSE. */
  r = result_for (results, "blocklist.uribl", "shop-example.net");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_LISTED);
  g_assert_cmpuint (r->listings->len, ==, 3);
  r = result_for (results, "blocklist.uribl", "other-example.net");
  g_assert_cmpint (r->problem, ==, BOUNCE_BLOCKLIST_PROBLEM_REFUSED);
  r = result_for (results, "blocklist.surbl", "shop-example.net");
  g_assert_cmpuint (r->listings->len, ==, 2);
  g_assert_nonnull (strstr (((BounceBlocklistListing *) r->listings->pdata[0])->meaning, "MW"));
  g_assert_nonnull (strstr (((BounceBlocklistListing *) r->listings->pdata[1])->meaning, "ABUSE"));
  r = result_for (results, "blocklist.spamhaus-dbl", "shop-example.net");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_LISTED);
  g_assert_nonnull (strstr (((BounceBlocklistListing *) r->listings->pdata[0])->meaning, "abused"));
  r = result_for (results, "blocklist.spamhaus-zrd", "shop-example.net");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_LISTED);

  restore_resolver (resolver);
}

static void
test_undocumented_code (void)
{
  TestResolver *resolver = use_test_resolver (catalogue_answers, G_N_ELEMENTS (catalogue_answers));
  g_autoptr(GPtrArray) ips = strings ("45.83.220.20", NULL);
  g_autoptr(BounceBlocklistCheck) check = bounce_blocklist_check_new (NULL, ips, NULL, NULL);
  g_autoptr(GPtrArray) results = NULL;
  BounceBlocklistResult *r;

  bounce_blocklist_check_set_timeout (check, 300);
  results = run_check (check, NULL, 0, NULL);
  r = result_for (results, "blocklist.spamhaus-zen", "45.83.220.20");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_NOT_CHECKED);
  g_assert_cmpint (r->problem, ==, BOUNCE_BLOCKLIST_PROBLEM_UNEXPECTED);
  g_assert_nonnull (strstr (r->detail, "127.0.0.8"));
  restore_resolver (resolver);
}

static void
test_ipv6 (void)
{
  TestResolver *resolver = use_test_resolver (catalogue_answers, G_N_ELEMENTS (catalogue_answers));
  g_autoptr(GPtrArray) ips = strings ("2001:4860:4860::8888", NULL);
  g_autoptr(BounceBlocklistCheck) check = bounce_blocklist_check_new (NULL, ips, NULL, NULL);
  g_autoptr(GPtrArray) results = NULL;
  BounceBlocklistResult *r;

  results = run_check (check, NULL, 0, NULL);
  /* Only the lists that take IPv6 are asked. */
  g_assert_cmpuint (results->len, ==, 1);
  r = result_for (results, "blocklist.spamhaus-zen", "2001:4860:4860::8888");
  g_assert_cmpstr (r->query, ==, "8.8.8.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.8.4.0.6.8.4.1.0.0.2.zen.spamhaus.org");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_LISTED);
  g_assert_cmpstr (((BounceBlocklistListing *) r->listings->pdata[0])->list_id, ==, "blocklist.spamhaus-css");
  /* its A record, then its TXT record for the reason */
  g_assert_cmpuint (resolver->asked->len, ==, 2);
  g_assert_true (g_str_has_prefix (resolver->asked->pdata[0], "A "));
  g_assert_true (g_str_has_prefix (resolver->asked->pdata[1], "TXT "));
  restore_resolver (resolver);
}

/* Cancelling ends the run at once with G_IO_ERROR_CANCELLED, even with
 * queries that would never answer, and before the timeout. */
static void
test_cancel (void)
{
  static const Answer hanging[] = {
    { "17.220.83.45.zen.spamhaus.org", ANSWER_HANG, NULL, NULL },
    { "17.220.83.45.bl.spamcop.net", ANSWER_HANG, NULL, NULL },
    { "17.220.83.45.b.barracudacentral.org", ANSWER_HANG, NULL, NULL },
    { "17.220.83.45.psbl.surriel.com", ANSWER_HANG, NULL, NULL },
  };
  TestResolver *resolver = use_test_resolver (hanging, G_N_ELEMENTS (hanging));
  g_autoptr(GPtrArray) ips = strings ("45.83.220.17", NULL);
  g_autoptr(BounceBlocklistCheck) check = bounce_blocklist_check_new (NULL, ips, NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  bounce_blocklist_check_set_timeout (check, 30000);
  results = run_check (check, cancellable, 50, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (results);
  /* far from the 30 s timeout: the cancel did it */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  g_assert_cmpuint (resolver->asked->len, ==, 4);

  /* Cancelled before it starts: nothing asked at all. */
  {
    g_autoptr(BounceBlocklistCheck) again = bounce_blocklist_check_new (NULL, ips, NULL, NULL);
    g_autoptr(GError) error2 = NULL;
    g_autoptr(GPtrArray) none = run_check (again, cancellable, 0, &error2);

    g_assert_error (error2, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (none);
    g_assert_cmpuint (resolver->asked->len, ==, 4);
  }
  restore_resolver (resolver);
}

/* No target: the run ends at once, asking nothing. */
static void
test_nothing_to_check (void)
{
  TestResolver *resolver = use_test_resolver (catalogue_answers, G_N_ELEMENTS (catalogue_answers));
  g_autoptr(GPtrArray) ips = strings ("10.1.2.3", NULL);
  g_autoptr(BounceBlocklistCheck) check = bounce_blocklist_check_new (NULL, ips, NULL, NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (bounce_blocklist_check_get_n_queries (check), ==, 0);
  g_assert_cmpuint (bounce_blocklist_check_get_services (check)->len, ==, 0);
  results = run_check (check, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 0);
  g_assert_cmpuint (resolver->asked->len, ==, 0);
  restore_resolver (resolver);
}

/* The lists the bounce names come first; the report gives the targets. */
static void
test_for_report (void)
{
  TestResolver *resolver = use_test_resolver (catalogue_answers, G_N_ELEMENTS (catalogue_answers));
  const char *text = "From: MAILER-DAEMON@mx.example.org\nTo: kim@shop-example.net\n"
                     "Subject: Undelivered Mail Returned to Sender\n\n"
                     "<lee@example.net>: host mx.example.net[8.8.4.4] said: 554 5.7.1 Service unavailable; "
                     "Client host [45.83.220.17] blocked using bl.spamcop.net (in reply to RCPT TO command)\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "test", NULL, NULL);
  g_autoptr(BounceBlocklistCheck) check = bounce_blocklist_check_new_for_report (report);
  GPtrArray *services = bounce_blocklist_check_get_services (check);
  GPtrArray *targets = bounce_blocklist_check_get_targets (check);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text_out = NULL;

  g_assert_cmpuint (targets->len, ==, 2);
  g_assert_cmpstr (targets->pdata[0], ==, "45.83.220.17");
  g_assert_cmpstr (targets->pdata[1], ==, "shop-example.net");
  g_assert_cmpstr (bounce_entry_get_id (services->pdata[0]), ==, "blocklist.spamcop");

  bounce_blocklist_check_set_timeout (check, 200);
  results = run_check (check, NULL, 0, NULL);
  g_assert_cmpstr (((BounceBlocklistResult *) results->pdata[0])->service_id, ==, "blocklist.spamcop");

  json = bounce_blocklist_results_to_json_node (results);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json));
  {
    JsonObject *first = json_array_get_object_element (json_node_get_array (json), 0);

    g_assert_cmpstr (json_object_get_string_member (first, "result"), ==, "listed");
    g_assert_cmpstr (json_object_get_string_member (first, "list"), ==, "blocklist.spamcop");
    g_assert_cmpstr (json_object_get_string_member (first, "target"), ==, "45.83.220.17");
  }
  text_out = bounce_blocklist_results_to_text (results);
  g_assert_nonnull (strstr (text_out, "SpamCop, 45.83.220.17: listed"));
  g_assert_nonnull (strstr (text_out, "could not check"));
  restore_resolver (resolver);
}

/* ------------------------------------------------------------------ */
/* Against a real DNS server in a private namespace */

static gboolean in_namespace;
static char *no_dns_reason;
static char *dns_dir;
static GPid dnsmasq_pid;
static int silent_socket = -1;

#define ALIAS_ADDRESS "10.53.0.1"
#define SILENT_PORT 5300

static gboolean
set_interface (int         fd,
               const char *name,
               const char *address)
{
  struct ifreq ifr = { 0 };

  g_strlcpy (ifr.ifr_name, name, IFNAMSIZ);
  if (address != NULL)
    {
      struct sockaddr_in *sin = (struct sockaddr_in *) &ifr.ifr_addr;

      sin->sin_family = AF_INET;
      inet_pton (AF_INET, address, &sin->sin_addr);
      if (ioctl (fd, SIOCSIFADDR, &ifr) < 0)
        return FALSE;
    }
  if (ioctl (fd, SIOCGIFFLAGS, &ifr) < 0)
    return FALSE;
  ifr.ifr_flags |= IFF_UP;
  return ioctl (fd, SIOCSIFFLAGS, &ifr) == 0;
}

static gboolean
write_id_map (const char *path,
              const char *text)
{
  int fd = open (path, O_WRONLY);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, text, strlen (text)) == (ssize_t) strlen (text);
  close (fd);
  return ok;
}

/* Must run before any thread exists: namespaces are per thread, and
 * GIO's resolver threads must be born inside this one. */
static void
enter_private_network (void)
{
  g_autofree char *template = g_build_filename (g_get_tmp_dir (), "bounce-dns-XXXXXX", NULL);
  g_autofree char *resolv = NULL;
  uid_t uid = getuid ();
  gid_t gid = getgid ();
  int fd;

  if (!g_file_test ("/etc/resolv.conf", G_FILE_TEST_EXISTS))
    {
      no_dns_reason = g_strdup ("no /etc/resolv.conf to replace");
      return;
    }
  if (unshare (CLONE_NEWNS | CLONE_NEWNET) != 0)
    {
      /* Not root: a user namespace makes us root inside it. */
      g_autofree char *uid_map = g_strdup_printf ("0 %u 1", (guint) uid);
      g_autofree char *gid_map = g_strdup_printf ("0 %u 1", (guint) gid);

      if (unshare (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) != 0 ||
          !write_id_map ("/proc/self/setgroups", "deny") ||
          !write_id_map ("/proc/self/uid_map", uid_map) ||
          !write_id_map ("/proc/self/gid_map", gid_map))
        {
          no_dns_reason = g_strdup_printf ("no private network namespace here (%s)", g_strerror (errno));
          return;
        }
    }
  in_namespace = TRUE;

  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    {
      no_dns_reason = g_strdup_printf ("cannot make mounts private (%s)", g_strerror (errno));
      return;
    }
  /* lo, and an address that is not loopback: glibc's getaddrinfo()
   * (AI_ADDRCONFIG) asks nothing for IPv4 on a host without one. */
  fd = socket (AF_INET, SOCK_DGRAM, 0);
  if (fd < 0 || !set_interface (fd, "lo", NULL) || !set_interface (fd, "lo:53", ALIAS_ADDRESS))
    {
      no_dns_reason = g_strdup_printf ("cannot set up the loopback interface (%s)", g_strerror (errno));
      if (fd >= 0)
        close (fd);
      return;
    }
  close (fd);

  dns_dir = g_mkdtemp (g_steal_pointer (&template));
  resolv = g_build_filename (dns_dir, "resolv.conf", NULL);
  if (dns_dir == NULL ||
      !g_file_set_contents (resolv, "nameserver 127.0.0.1\n", -1, NULL) ||
      mount (resolv, "/etc/resolv.conf", NULL, MS_BIND, NULL) != 0)
    {
      no_dns_reason = g_strdup_printf ("cannot replace /etc/resolv.conf (%s)", g_strerror (errno));
      return;
    }
}

/* A DNS question for name (type A) in wire format. */
static GByteArray *
dns_question (const char *name)
{
  static const guint8 header[] = { 0x42, 0x42, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
  static const guint8 tail[] = { 0, 0, 1, 0, 1 };
  GByteArray *q = g_byte_array_new ();
  g_auto(GStrv) labels = g_strsplit (name, ".", -1);

  g_byte_array_append (q, header, sizeof header);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      guint8 len = strlen (labels[i]);

      g_byte_array_append (q, &len, 1);
      g_byte_array_append (q, (const guint8 *) labels[i], len);
    }
  g_byte_array_append (q, tail, sizeof tail);
  return q;
}

static gboolean
dnsmasq_answers (void)
{
  g_autoptr(GByteArray) q = dns_question ("17.220.83.45.zen.spamhaus.org");
  struct sockaddr_in to = { 0 };
  struct timeval tv = { 0, 200000 };
  guint8 reply[512];
  int fd = socket (AF_INET, SOCK_DGRAM, 0);
  gboolean ok;

  to.sin_family = AF_INET;
  to.sin_port = htons (53);
  inet_pton (AF_INET, "127.0.0.1", &to.sin_addr);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ok = sendto (fd, q->data, q->len, 0, (struct sockaddr *) &to, sizeof to) == (ssize_t) q->len &&
       recv (fd, reply, sizeof reply, 0) > 12;
  close (fd);
  return ok;
}

static const char *dnsmasq_records[] = {
  /* listed, with a reason */
  "--host-record=17.220.83.45.zen.spamhaus.org,127.0.0.2",
  "--txt-record=17.220.83.45.zen.spamhaus.org,Listed by SBL: https://check.spamhaus.org/sbl/query/SBL9",
  /* refused: a public resolver */
  "--host-record=18.220.83.45.zen.spamhaus.org,127.255.255.254",
  /* IPv6 nibbles */
  "--host-record=8.8.8.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.8.4.0.6.8.4.1.0.0.2.zen.spamhaus.org,127.0.0.4",
  /* bitmask list */
  "--host-record=shop-example.net.multi.uribl.com,127.0.0.2",
  /* everything else in these zones: NXDOMAIN */
  "--local=/zen.spamhaus.org/", "--local=/bl.spamcop.net/", "--local=/multi.uribl.com/",
  "--local=/multi.surbl.org/", "--local=/dbl.spamhaus.org/", "--local=/zrd.spamhaus.org/",
  /* Barracuda's server never answers: a socket that reads nothing */
  "--server=/b.barracudacentral.org/127.0.0.1#5300",
  /* PSBL: no server at all (dnsmasq refuses: no answer) */
};

static void
start_dnsmasq (void)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dnsmasq = g_find_program_in_path ("dnsmasq");
  g_autoptr(GError) error = NULL;
  struct sockaddr_in addr = { 0 };

  if (no_dns_reason != NULL)
    return;
  if (dnsmasq == NULL && g_file_test ("/usr/sbin/dnsmasq", G_FILE_TEST_IS_EXECUTABLE))
    dnsmasq = g_strdup ("/usr/sbin/dnsmasq");
  if (dnsmasq == NULL)
    {
      no_dns_reason = g_strdup ("dnsmasq is not installed");
      return;
    }

  silent_socket = socket (AF_INET, SOCK_DGRAM, 0);
  addr.sin_family = AF_INET;
  addr.sin_port = htons (SILENT_PORT);
  inet_pton (AF_INET, "127.0.0.1", &addr.sin_addr);
  if (bind (silent_socket, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      no_dns_reason = g_strdup_printf ("cannot bind the silent server (%s)", g_strerror (errno));
      return;
    }

  g_ptr_array_add (argv, g_strdup (dnsmasq));
  g_ptr_array_add (argv, g_strdup ("--keep-in-foreground"));
  g_ptr_array_add (argv, g_strdup ("--no-resolv"));
  g_ptr_array_add (argv, g_strdup ("--no-hosts"));
  g_ptr_array_add (argv, g_strdup ("--no-poll"));
  g_ptr_array_add (argv, g_strdup ("--bind-interfaces"));
  g_ptr_array_add (argv, g_strdup ("--listen-address=127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("--user=root"));
  g_ptr_array_add (argv, g_strdup ("--group=root"));
  g_ptr_array_add (argv, g_strdup ("--pid-file"));
  g_ptr_array_add (argv, g_strdup ("--log-queries"));
  g_ptr_array_add (argv, g_strdup_printf ("--log-facility=%s/queries.log", dns_dir));
  for (guint i = 0; i < G_N_ELEMENTS (dnsmasq_records); i++)
    g_ptr_array_add (argv, g_strdup (dnsmasq_records[i]));
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_async (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
                      G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &dnsmasq_pid, &error))
    {
      no_dns_reason = g_strdup_printf ("cannot start dnsmasq: %s", error->message);
      return;
    }
  for (guint i = 0; i < 50 && !dnsmasq_answers (); i++)
    {
      /* It gives up at once where it cannot change its user or groups
       * (a user namespace without root). */
      if (waitpid (dnsmasq_pid, NULL, WNOHANG) == dnsmasq_pid)
        {
          g_spawn_close_pid (dnsmasq_pid);
          dnsmasq_pid = 0;
          no_dns_reason = g_strdup ("dnsmasq could not start (it needs root, not a user namespace)");
          return;
        }
      g_usleep (100 * 1000);
    }
  if (!dnsmasq_answers ())
    no_dns_reason = g_strdup ("dnsmasq does not answer");
}

static void
stop_dnsmasq (void)
{
  if (dnsmasq_pid > 0)
    {
      kill (dnsmasq_pid, SIGTERM);
      waitpid (dnsmasq_pid, NULL, 0);
      g_spawn_close_pid (dnsmasq_pid);
    }
  if (silent_socket >= 0)
    close (silent_socket);
  if (dns_dir != NULL)
    {
      g_autofree char *log = g_build_filename (dns_dir, "queries.log", NULL);
      g_autofree char *resolv = g_build_filename (dns_dir, "resolv.conf", NULL);

      umount ("/etc/resolv.conf");
      g_unlink (log);
      g_unlink (resolv);
      g_rmdir (dns_dir);
    }
}

static gboolean
need_dns (void)
{
  if (no_dns_reason == NULL)
    return TRUE;
  g_test_skip_printf ("no real DNS server for the test: %s; the table resolver tests cover the same cases",
                      no_dns_reason);
  return FALSE;
}

/* How many questions dnsmasq logged so far. */
static guint
dnsmasq_queries (void)
{
  g_autofree char *log = g_build_filename (dns_dir, "queries.log", NULL);
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (log, &text, NULL, NULL))
    return 0;
  for (const char *p = text; (p = strstr (p, ": query[")) != NULL; p++)
    n++;
  return n;
}

static void
test_dns_answers (void)
{
  g_autoptr(GPtrArray) ips = strings ("45.83.220.17", "45.83.220.18", "2001:4860:4860::8888", NULL);
  g_autoptr(GPtrArray) domains = strings ("shop-example.net", NULL);
  g_autoptr(BounceBlocklistCheck) check = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  BounceBlocklistResult *r;

  if (!need_dns ())
    return;

  check = bounce_blocklist_check_new (NULL, ips, domains, NULL);
  bounce_blocklist_check_set_timeout (check, 1500);
  results = run_check (check, NULL, 0, &error);
  g_assert_no_error (error);

  r = result_for (results, "blocklist.spamhaus-zen", "45.83.220.17");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_LISTED);
  g_assert_cmpstr (((BounceBlocklistListing *) r->listings->pdata[0])->list_id, ==, "blocklist.spamhaus-sbl");
  g_assert_cmpstr (r->reason, ==, "Listed by SBL: https://check.spamhaus.org/sbl/query/SBL9");

  r = result_for (results, "blocklist.spamhaus-zen", "45.83.220.18");
  g_assert_cmpint (r->problem, ==, BOUNCE_BLOCKLIST_PROBLEM_REFUSED);

  r = result_for (results, "blocklist.spamhaus-zen", "2001:4860:4860::8888");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_LISTED);
  g_assert_cmpstr (((BounceBlocklistListing *) r->listings->pdata[0])->list_id, ==, "blocklist.spamhaus-xbl");

  r = result_for (results, "blocklist.spamcop", "45.83.220.17");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_NOT_LISTED);

  r = result_for (results, "blocklist.barracuda", "45.83.220.17");
  g_assert_cmpint (r->problem, ==, BOUNCE_BLOCKLIST_PROBLEM_TIMEOUT);

  r = result_for (results, "blocklist.psbl", "45.83.220.17");
  g_assert_cmpint (r->problem, ==, BOUNCE_BLOCKLIST_PROBLEM_NO_ANSWER);

  r = result_for (results, "blocklist.uribl", "shop-example.net");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_LISTED);
  r = result_for (results, "blocklist.spamhaus-dbl", "shop-example.net");
  g_assert_cmpint (r->status, ==, BOUNCE_BLOCKLIST_NOT_LISTED);
}

static void
test_dns_cancel (void)
{
  g_autoptr(GPtrArray) ips = strings ("45.83.220.17", NULL);
  g_autoptr(BounceBlocklistCheck) check = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (!need_dns ())
    return;

  /* Barracuda's silent server keeps the run waiting until the cancel. */
  check = bounce_blocklist_check_new (NULL, ips, NULL, NULL);
  bounce_blocklist_check_set_timeout (check, 30000);
  results = run_check (check, cancellable, 300, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (results);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
}

static char *
cli_bounce_path (void)
{
  g_autofree char *path = g_build_filename (dns_dir, "bounce.eml", NULL);

  g_assert_true (g_file_set_contents (path,
    "From: MAILER-DAEMON@mx.example.org\nTo: kim@shop-example.net\n"
    "Subject: Undelivered Mail Returned to Sender\n\n"
    "<lee@example.net>: host mx.example.net[8.8.4.4] said: 554 5.7.1 Service unavailable; "
    "Client host [45.83.220.17] blocked using zen.spamhaus.org (in reply to RCPT TO command)\n", -1, NULL));
  return g_steal_pointer (&path);
}

static char *
run_cli (const char * const *args,
         int                *status)
{
  const char *program = g_getenv ("BOUNCE_EXPLAIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_assert_nonnull (program);
  g_ptr_array_add (argv, (gpointer) program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (process);
  return out;
}

/* bounce-explain asks nothing without --check-blocklists, and with it
 * reports every list in its text and JSON output. */
static void
test_dns_cli (void)
{
  g_autofree char *bounce = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *checks;
  gboolean zen_listed = FALSE;
  guint before;
  int status;

  if (!need_dns ())
    return;

  bounce = cli_bounce_path ();
  before = dnsmasq_queries ();
  plain = run_cli ((const char *[]) { "--json", bounce, NULL }, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (plain, "blocklist_check"));
  g_assert_cmpuint (dnsmasq_queries (), ==, before);

  text = run_cli ((const char *[]) { "--check-blocklists", bounce, NULL }, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (dnsmasq_queries (), >, before);
  g_assert_nonnull (strstr (text, "Live blocklist check (DNS):"));
  g_assert_nonnull (strstr (text, "Spamhaus ZEN, 45.83.220.17: listed"));
  g_assert_nonnull (strstr (text, "SpamCop, 45.83.220.17: not listed"));
  g_assert_nonnull (strstr (text, "could not check"));

  json = run_cli ((const char *[]) { "--json", "--check-blocklists", bounce, NULL }, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  checks = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "blocklist_check");
  g_assert_cmpuint (json_array_get_length (checks), >, 4);
  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_str_equal (json_object_get_string_member (check, "list"), "blocklist.spamhaus-zen"))
        {
          JsonObject *listing = json_array_get_object_element (json_object_get_array_member (check, "listings"), 0);

          zen_listed = g_str_equal (json_object_get_string_member (check, "result"), "listed");
          g_assert_cmpstr (json_object_get_string_member (listing, "list"), ==, "blocklist.spamhaus-sbl");
          g_assert_cmpstr (json_object_get_string_member (listing, "lookup"), ==,
                           "https://check.spamhaus.org/results/?query=45.83.220.17");
        }
      if (g_str_equal (json_object_get_string_member (check, "list"), "blocklist.barracuda"))
        g_assert_cmpstr (json_object_get_string_member (check, "problem"), ==, "timeout");
    }
  g_assert_true (zen_listed);
}

int
main (int argc, char **argv)
{
  int status;

  enter_private_network ();

  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();
  real_resolver = g_object_ref (g_resolver_get_default ());
  if (!in_namespace && no_dns_reason == NULL)
    no_dns_reason = g_strdup ("no private network namespace");
  start_dnsmasq ();

  g_test_add_func ("/blocklist-check/query-names", test_query_names);
  g_test_add_func ("/blocklist-check/catalogue-data", test_catalogue_data);
  g_test_add_func ("/blocklist-check/bad-dns-data", test_bad_dns_data);
  g_test_add_func ("/blocklist-check/clean-reason", test_clean_reason);
  g_test_add_func ("/blocklist-check/nothing-before-run", test_nothing_before_run);
  g_test_add_func ("/blocklist-check/answers", test_answers);
  g_test_add_func ("/blocklist-check/undocumented-code", test_undocumented_code);
  g_test_add_func ("/blocklist-check/ipv6", test_ipv6);
  g_test_add_func ("/blocklist-check/cancel", test_cancel);
  g_test_add_func ("/blocklist-check/nothing-to-check", test_nothing_to_check);
  g_test_add_func ("/blocklist-check/for-report", test_for_report);
  g_test_add_func ("/blocklist-dns/answers", test_dns_answers);
  g_test_add_func ("/blocklist-dns/cancel", test_dns_cancel);
  g_test_add_func ("/blocklist-dns/cli", test_dns_cli);

  status = g_test_run ();
  stop_dnsmasq ();
  g_object_unref (real_resolver);
  return status;
}
