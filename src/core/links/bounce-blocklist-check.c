/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bounce-blocklist-check.h"
#include "bounce-extract.h"
#include "bounce-links.h"

/* A bounce names few senders; a handful of each is plenty, and keeps the
 * number of queries (and what is sent) small. */
#define MAX_IPS 3
#define MAX_DOMAINS 2
/* Queries in flight at once: GIO's resolver runs each in a worker thread. */
#define MAX_PARALLEL 8
/* The list's own words are shown on one line. */
#define MAX_REASON 400

struct _BounceBlocklistCheck
{
  GObject parent_instance;

  BounceCatalogue *catalogue;
  GPtrArray *targets;    /* strings: normalised IPs, then domains */
  GPtrArray *services;   /* BounceEntry: lists with DNS data, named ones first */
  GPtrArray *plan;       /* Planned */
  guint timeout_ms;
};

G_DEFINE_FINAL_TYPE (BounceBlocklistCheck, bounce_blocklist_check, G_TYPE_OBJECT)

typedef struct {
  BounceEntry *service;  /* borrowed from the catalogue */
  char *target;
  char *name;            /* without the final dot */
} Planned;

static void
planned_free (Planned *p)
{
  g_free (p->target);
  g_free (p->name);
  g_free (p);
}

/* ------------------------------------------------------------------ */
/* Results */

static void
listing_free (BounceBlocklistListing *listing)
{
  g_free (listing->answer);
  g_free (listing->list_id);
  g_free (listing->list_title);
  g_free (listing->meaning);
  g_free (listing->lookup_url);
  g_free (listing->delist_url);
  g_free (listing);
}

void
bounce_blocklist_result_free (BounceBlocklistResult *result)
{
  if (result == NULL)
    return;
  g_free (result->service_id);
  g_free (result->title);
  g_free (result->zone);
  g_free (result->target);
  g_free (result->query);
  g_free (result->detail);
  g_clear_pointer (&result->answers, g_ptr_array_unref);
  g_clear_pointer (&result->listings, g_ptr_array_unref);
  g_free (result->reason);
  g_free (result->lookup_url);
  g_free (result->delist_url);
  g_free (result);
}

const char *
bounce_blocklist_status_to_string (BounceBlocklistStatus status)
{
  switch (status)
    {
    case BOUNCE_BLOCKLIST_LISTED:
      return "listed";
    case BOUNCE_BLOCKLIST_NOT_LISTED:
      return "not_listed";
    case BOUNCE_BLOCKLIST_NOT_CHECKED:
    default:
      return "not_checked";
    }
}

const char *
bounce_blocklist_problem_to_string (BounceBlocklistProblem problem)
{
  switch (problem)
    {
    case BOUNCE_BLOCKLIST_PROBLEM_TIMEOUT:
      return "timeout";
    case BOUNCE_BLOCKLIST_PROBLEM_REFUSED:
      return "refused";
    case BOUNCE_BLOCKLIST_PROBLEM_NO_ANSWER:
      return "no_answer";
    case BOUNCE_BLOCKLIST_PROBLEM_UNEXPECTED:
      return "unexpected_answer";
    case BOUNCE_BLOCKLIST_PROBLEM_CANCELLED:
      return "cancelled";
    case BOUNCE_BLOCKLIST_PROBLEM_NONE:
    default:
      return NULL;
    }
}

static const char *
translate (const char *msgid)
{
  return msgid != NULL && *msgid != '\0' ? g_dgettext (GETTEXT_PACKAGE, msgid) : msgid;
}

static gboolean
target_is_ip (const char *target)
{
  return g_hostname_is_ip_address (target);
}

/* The lookup page of a list for the target, or NULL. */
static char *
lookup_url_for (BounceEntry *list,
                const char  *target)
{
  if (target_is_ip (target))
    return bounce_link_expand (bounce_entry_get_lookup_ip (list), target, NULL);
  return bounce_link_expand (bounce_entry_get_lookup_domain (list), NULL, target);
}

static char *
delist_url_for (BounceEntry *list)
{
  return bounce_link_expand (bounce_entry_get_delist_url (list), NULL, NULL);
}

BounceBlocklistResult *
bounce_blocklist_result_new (BounceEntry *service,
                             const char  *target,
                             const char  *name)
{
  BounceBlocklistResult *result;

  g_return_val_if_fail (BOUNCE_IS_ENTRY (service), NULL);
  g_return_val_if_fail (target != NULL, NULL);

  result = g_new0 (BounceBlocklistResult, 1);

  result->service_id = g_strdup (bounce_entry_get_id (service));
  result->title = g_strdup (bounce_entry_get_title (service));
  result->zone = g_strdup (bounce_entry_get_dns (service) ? bounce_entry_get_dns (service)->zone : NULL);
  result->target = g_strdup (target);
  result->query = g_strdup (name);
  result->status = BOUNCE_BLOCKLIST_NOT_CHECKED;
  result->answers = g_ptr_array_new_with_free_func (g_free);
  result->listings = g_ptr_array_new_with_free_func ((GDestroyNotify) listing_free);
  result->lookup_url = lookup_url_for (service, target);
  result->delist_url = delist_url_for (service);
  return result;
}

static void
set_problem (BounceBlocklistResult  *result,
             BounceBlocklistProblem  problem,
             char                   *detail)  /* transfer full */
{
  result->status = BOUNCE_BLOCKLIST_NOT_CHECKED;
  result->problem = problem;
  g_free (result->detail);
  result->detail = detail;
  g_ptr_array_set_size (result->listings, 0);
}

static void
add_listing (BounceBlocklistResult *result,
             BounceCatalogue       *catalogue,
             BounceEntry           *service,
             const char            *answer,
             const BounceDnsAnswer *meaning)
{
  BounceEntry *list = NULL;
  BounceBlocklistListing *listing;

  if (meaning != NULL && meaning->list_id != NULL && catalogue != NULL)
    list = bounce_catalogue_lookup (catalogue, meaning->list_id);
  if (list == NULL)
    list = service;

  listing = g_new0 (BounceBlocklistListing, 1);
  listing->answer = g_strdup (answer);
  listing->list_id = g_strdup (bounce_entry_get_id (list));
  listing->list_title = g_strdup (bounce_entry_get_title (list));
  if (meaning != NULL)
    listing->meaning = g_strdup (translate (meaning->meaning));
  else
    listing->meaning = g_strdup (_("The list has this address or domain on it."));
  listing->lookup_url = lookup_url_for (list, result->target);
  if (listing->lookup_url == NULL)
    listing->lookup_url = g_strdup (result->lookup_url);
  listing->delist_url = delist_url_for (list);
  if (listing->delist_url == NULL)
    listing->delist_url = g_strdup (result->delist_url);
  g_ptr_array_add (result->listings, listing);
}

static guint32
ipv4_host_order (GInetAddress *address)
{
  const guint8 *b = g_inet_address_to_bytes (address);

  return ((guint32) b[0] << 24) | ((guint32) b[1] << 16) | ((guint32) b[2] << 8) | b[3];
}

void
bounce_blocklist_result_interpret (BounceBlocklistResult *result,
                                   BounceCatalogue       *catalogue,
                                   BounceEntry           *service,
                                   GList                 *addresses)
{
  const BounceDnsInfo *dns;

  g_return_if_fail (result != NULL);
  g_return_if_fail (BOUNCE_IS_ENTRY (service));

  dns = bounce_entry_get_dns (service);
  g_ptr_array_set_size (result->answers, 0);
  g_ptr_array_set_size (result->listings, 0);
  result->problem = BOUNCE_BLOCKLIST_PROBLEM_NONE;
  g_clear_pointer (&result->detail, g_free);

  for (GList *l = addresses; l != NULL; l = l->next)
    g_ptr_array_add (result->answers, g_inet_address_to_string (l->data));

  if (addresses == NULL)
    {
      result->status = BOUNCE_BLOCKLIST_NOT_LISTED;
      return;
    }

  /* A refusal anywhere in the answer means the answer says nothing about
   * the target: never report it as a listing. */
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      GInetAddress *address = l->data;
      guint32 value;

      if (g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV4)
        continue;
      value = ipv4_host_order (address);
      for (guint i = 0; dns != NULL && i < dns->refused->len; i++)
        {
          const BounceDnsAnswer *refused = dns->refused->pdata[i];

          if (bounce_dns_answer_matches (refused, value))
            {
              set_problem (result, BOUNCE_BLOCKLIST_PROBLEM_REFUSED, g_strdup (translate (refused->meaning)));
              return;
            }
        }
    }

  for (GList *l = addresses; l != NULL; l = l->next)
    {
      GInetAddress *address = l->data;
      g_autofree char *text = g_inet_address_to_string (address);
      guint32 value;
      gboolean matched = FALSE;

      /* RFC 5782: a listing is an address in 127.0.0.0/8.  Anything else
       * is a zone that no longer is a blocklist (lapsed domains answer
       * every name) or a resolver that rewrites answers. */
      if (g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV4 ||
          ((value = ipv4_host_order (address)) >> 24) != 127)
        {
          /* Translators: %s is an IP address such as 192.0.2.1 */
          set_problem (result, BOUNCE_BLOCKLIST_PROBLEM_UNEXPECTED,
                       g_strdup_printf (_("The answer %s is not a blocklist answer: the list’s domain may no "
                                          "longer belong to the list, or the DNS server changes answers."),
                                        text));
          return;
        }

      if (dns == NULL || dns->answers->len == 0)
        {
          add_listing (result, catalogue, service, text, NULL);
          continue;
        }
      for (guint i = 0; i < dns->answers->len; i++)
        {
          const BounceDnsAnswer *answer = dns->answers->pdata[i];

          if (bounce_dns_answer_matches (answer, value))
            {
              add_listing (result, catalogue, service, text, answer);
              matched = TRUE;
            }
        }
      if (!matched)
        {
          /* Translators: %s is an IP address such as 127.0.0.8 */
          set_problem (result, BOUNCE_BLOCKLIST_PROBLEM_UNEXPECTED,
                       g_strdup_printf (_("The list answered %s, which its documentation does not explain; "
                                          "use its lookup page."), text));
          return;
        }
    }

  result->status = result->listings->len > 0 ? BOUNCE_BLOCKLIST_LISTED : BOUNCE_BLOCKLIST_NOT_LISTED;
}

char *
bounce_blocklist_clean_reason (const char * const *strings)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autofree char *valid = NULL;
  GString *out;

  for (guint i = 0; strings != NULL && strings[i] != NULL && joined->len < MAX_REASON * 4; i++)
    g_string_append (joined, strings[i]);

  valid = g_utf8_make_valid (joined->str, joined->len);
  out = g_string_new (NULL);
  for (const char *p = valid; *p != '\0' && out->len < MAX_REASON; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_isspace (c))
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
        }
      else
        g_string_append_unichar (out, c);
    }
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */
/* The check */

static void
bounce_blocklist_check_finalize (GObject *object)
{
  BounceBlocklistCheck *self = BOUNCE_BLOCKLIST_CHECK (object);

  g_clear_object (&self->catalogue);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_clear_pointer (&self->services, g_ptr_array_unref);
  g_clear_pointer (&self->plan, g_ptr_array_unref);

  G_OBJECT_CLASS (bounce_blocklist_check_parent_class)->finalize (object);
}

static void
bounce_blocklist_check_class_init (BounceBlocklistCheckClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bounce_blocklist_check_finalize;
}

static void
bounce_blocklist_check_init (BounceBlocklistCheck *self)
{
  self->targets = g_ptr_array_new_with_free_func (g_free);
  self->services = g_ptr_array_new ();
  self->plan = g_ptr_array_new_with_free_func ((GDestroyNotify) planned_free);
  self->timeout_ms = BOUNCE_BLOCKLIST_CHECK_DEFAULT_TIMEOUT;
}

static void
add_targets (GPtrArray *out,
             GPtrArray *values,
             gboolean   ip,
             guint      max)
{
  guint added = 0;

  for (guint i = 0; values != NULL && i < values->len && added < max; i++)
    {
      const char *value = g_ptr_array_index (values, i);
      g_autofree char *norm = NULL;

      if (value == NULL)
        continue;
      if (ip)
        {
          g_autoptr(GInetAddress) address = g_inet_address_new_from_string (value);

          if (address == NULL)
            continue;
          norm = g_inet_address_to_string (address);
          if (!bounce_ip_is_public (norm))
            continue;
        }
      else
        {
          if (!bounce_domain_is_public (value))
            continue;
          norm = g_ascii_strdown (value, -1);
        }
      if (g_ptr_array_find_with_equal_func (out, norm, g_str_equal, NULL))
        continue;
      g_ptr_array_add (out, g_steal_pointer (&norm));
      added++;
    }
}

/* Does the bounce name this list, or a list one of its answers means? */
static gboolean
service_is_named (BounceEntry *service,
                  GPtrArray   *named)
{
  const BounceDnsInfo *dns = bounce_entry_get_dns (service);

  for (guint i = 0; named != NULL && i < named->len; i++)
    {
      BounceEntry *entry = g_ptr_array_index (named, i);

      if (entry == service)
        return TRUE;
      for (guint j = 0; j < dns->answers->len; j++)
        if (g_strcmp0 (((BounceDnsAnswer *) dns->answers->pdata[j])->list_id, bounce_entry_get_id (entry)) == 0)
          return TRUE;
    }
  return FALSE;
}

BounceBlocklistCheck *
bounce_blocklist_check_new (BounceCatalogue *catalogue,
                            GPtrArray       *ips,
                            GPtrArray       *domains,
                            GPtrArray       *named)
{
  BounceBlocklistCheck *self;
  GPtrArray *lists;

  g_return_val_if_fail (catalogue == NULL || BOUNCE_IS_CATALOGUE (catalogue), NULL);

  if (catalogue == NULL)
    catalogue = bounce_catalogue_get_default ();
  self = g_object_new (BOUNCE_TYPE_BLOCKLIST_CHECK, NULL);
  self->catalogue = g_object_ref (catalogue);
  add_targets (self->targets, ips, TRUE, MAX_IPS);
  add_targets (self->targets, domains, FALSE, MAX_DOMAINS);

  lists = bounce_catalogue_get_blocklists (catalogue);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; lists != NULL && i < lists->len; i++)
      {
        BounceEntry *service = g_ptr_array_index (lists, i);
        const BounceDnsInfo *dns = bounce_entry_get_dns (service);

        /* Closed lists have no DNS data (the catalogue refuses it); the
         * check makes sure anyway. */
        if (dns == NULL || bounce_entry_get_closed (service))
          continue;
        if (service_is_named (service, named) != (pass == 0))
          continue;
        g_ptr_array_add (self->services, service);
      }

  for (guint i = 0; i < self->services->len; i++)
    {
      BounceEntry *service = g_ptr_array_index (self->services, i);
      const BounceDnsInfo *dns = bounce_entry_get_dns (service);

      for (guint j = 0; j < self->targets->len; j++)
        {
          const char *target = g_ptr_array_index (self->targets, j);
          char *name = bounce_dns_query_name (target, dns->zone, dns->query);
          Planned *p;

          if (name == NULL)
            continue;
          p = g_new0 (Planned, 1);
          p->service = service;
          p->target = g_strdup (target);
          p->name = name;
          g_ptr_array_add (self->plan, p);
        }
    }

  /* Lists no target fits are not asked at all. */
  for (guint i = self->services->len; i > 0; i--)
    {
      gboolean used = FALSE;

      for (guint j = 0; j < self->plan->len && !used; j++)
        used = ((Planned *) self->plan->pdata[j])->service == self->services->pdata[i - 1];
      if (!used)
        g_ptr_array_remove_index (self->services, i - 1);
    }

  return self;
}

BounceBlocklistCheck *
bounce_blocklist_check_new_for_report (BounceReport *report)
{
  g_return_val_if_fail (BOUNCE_IS_REPORT (report), NULL);

  return bounce_blocklist_check_new (NULL, bounce_report_get_ips (report),
                                     bounce_report_get_domains (report),
                                     bounce_report_get_blocklists (report));
}

void
bounce_blocklist_check_set_timeout (BounceBlocklistCheck *self,
                                    guint                 timeout_ms)
{
  g_return_if_fail (BOUNCE_IS_BLOCKLIST_CHECK (self));
  self->timeout_ms = MAX (timeout_ms, 1);
}

guint
bounce_blocklist_check_get_timeout (BounceBlocklistCheck *self)
{
  g_return_val_if_fail (BOUNCE_IS_BLOCKLIST_CHECK (self), 0);
  return self->timeout_ms;
}

GPtrArray *
bounce_blocklist_check_get_targets (BounceBlocklistCheck *self)
{
  g_return_val_if_fail (BOUNCE_IS_BLOCKLIST_CHECK (self), NULL);
  return self->targets;
}

GPtrArray *
bounce_blocklist_check_get_services (BounceBlocklistCheck *self)
{
  g_return_val_if_fail (BOUNCE_IS_BLOCKLIST_CHECK (self), NULL);
  return self->services;
}

guint
bounce_blocklist_check_get_n_queries (BounceBlocklistCheck *self)
{
  g_return_val_if_fail (BOUNCE_IS_BLOCKLIST_CHECK (self), 0);
  return self->plan->len;
}

/* ------------------------------------------------------------------ */
/* Running it */

typedef struct {
  GTask *task;             /* owned until every query is done */
  GResolver *resolver;
  GMainContext *context;
  GPtrArray *results;      /* BounceBlocklistResult, in plan order */
  guint next;              /* next planned query to start */
  guint running;
  guint timeout_ms;
} Run;

typedef struct {
  Run *run;
  Planned *planned;
  BounceBlocklistResult *result;
  GCancellable *cancellable;   /* this query's: cancelled by its timer or by the run's */
  gulong cancel_id;            /* on the run's cancellable */
  GSource *timer;
  gboolean timed_out;
} Query;

static void start_next (Run *run);

static void
clear_timer (Query *q)
{
  if (q->timer != NULL)
    {
      g_source_destroy (q->timer);
      g_clear_pointer (&q->timer, g_source_unref);
    }
}

static void
run_free (Run *run)
{
  g_clear_object (&run->resolver);
  g_main_context_unref (run->context);
  g_clear_pointer (&run->results, g_ptr_array_unref);
  g_free (run);
}

static gboolean
on_query_timeout (gpointer user_data)
{
  Query *q = user_data;

  q->timed_out = TRUE;
  g_cancellable_cancel (q->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_run_cancelled (GCancellable *run_cancellable,
                  gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/* Starts the timer of the query's next lookup. */
static void
query_arm (Query *q)
{
  Run *run = q->run;

  clear_timer (q);
  q->timed_out = FALSE;
  q->timer = g_timeout_source_new (run->timeout_ms);
  g_source_set_callback (q->timer, on_query_timeout, q, NULL);
  g_source_attach (q->timer, run->context);
}

static void
query_finish (Query *q)
{
  Run *run = q->run;
  GCancellable *run_cancellable = g_task_get_cancellable (run->task);

  clear_timer (q);
  if (q->cancel_id != 0)
    g_cancellable_disconnect (run_cancellable, q->cancel_id);
  g_clear_object (&q->cancellable);
  g_free (q);

  run->running--;
  start_next (run);
}

static void
on_txt_done (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  Query *q = user_data;
  g_autoptr(GError) error = NULL;
  GList *records = g_resolver_lookup_records_finish (G_RESOLVER (source), res, &error);

  /* The reason is a courtesy: without it the listing stands. */
  for (GList *l = records; l != NULL && q->result->reason == NULL; l = l->next)
    {
      GVariant *record = l->data;

      if (g_variant_is_of_type (record, G_VARIANT_TYPE ("(as)")))
        {
          g_autofree const char **strings = NULL;

          g_variant_get (record, "(^a&s)", &strings);
          q->result->reason = bounce_blocklist_clean_reason (strings);
        }
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
  query_finish (q);
}

static void
on_address_done (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Query *q = user_data;
  Run *run = q->run;
  BounceBlocklistCheck *self = g_task_get_source_object (run->task);
  BounceBlocklistResult *result = q->result;
  g_autoptr(GError) error = NULL;
  GList *addresses;
  const BounceDnsInfo *dns = bounce_entry_get_dns (q->planned->service);

  addresses = g_resolver_lookup_by_name_with_flags_finish (G_RESOLVER (source), res, &error);
  clear_timer (q);

  if (addresses != NULL)
    bounce_blocklist_result_interpret (result, self->catalogue, q->planned->service, addresses);
  else if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    bounce_blocklist_result_interpret (result, NULL, q->planned->service, NULL);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && q->timed_out)
    set_problem (result, BOUNCE_BLOCKLIST_PROBLEM_TIMEOUT,
                 /* Translators: %u is a number of seconds */
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "The list did not answer within %u second.",
                                               "The list did not answer within %u seconds.",
                                               (run->timeout_ms + 999) / 1000),
                                  (run->timeout_ms + 999) / 1000));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_problem (result, BOUNCE_BLOCKLIST_PROBLEM_CANCELLED, g_strdup (_("The check was stopped.")));
  else
    set_problem (result, BOUNCE_BLOCKLIST_PROBLEM_NO_ANSWER,
                 g_strdup (_("The DNS server did not give an answer. Check the network connection.")));
  g_list_free_full (addresses, g_object_unref);

  if (result->status == BOUNCE_BLOCKLIST_LISTED && dns != NULL && dns->txt &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (run->task)))
    {
      g_autofree char *name = g_strconcat (q->planned->name, ".", NULL);

      query_arm (q);
      g_resolver_lookup_records_async (run->resolver, name, G_RESOLVER_RECORD_TXT, q->cancellable,
                                       on_txt_done, q);
      return;
    }
  query_finish (q);
}

static void
start_next (Run *run)
{
  BounceBlocklistCheck *self = g_task_get_source_object (run->task);
  GCancellable *run_cancellable = g_task_get_cancellable (run->task);

  while (run->running < MAX_PARALLEL && run->next < self->plan->len &&
         !g_cancellable_is_cancelled (run_cancellable))
    {
      Planned *planned = self->plan->pdata[run->next];
      Query *q = g_new0 (Query, 1);
      /* The final dot keeps the resolver from trying the search domains
       * of resolv.conf (a wildcard there would look like a listing). */
      g_autofree char *name = g_strconcat (planned->name, ".", NULL);

      q->run = run;
      q->planned = planned;
      q->result = run->results->pdata[run->next];
      run->next++;
      run->running++;
      q->cancellable = g_cancellable_new ();
      query_arm (q);
      if (run_cancellable != NULL)
        q->cancel_id = g_cancellable_connect (run_cancellable, G_CALLBACK (on_run_cancelled),
                                              g_object_ref (q->cancellable), g_object_unref);
      g_resolver_lookup_by_name_with_flags_async (run->resolver, name,
                                                  G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY,
                                                  q->cancellable, on_address_done, q);
    }

  if (run->running > 0)
    return;

  /* Every query is done (or was never started because of a cancel). */
  for (guint i = run->next; i < run->results->len; i++)
    set_problem (run->results->pdata[i], BOUNCE_BLOCKLIST_PROBLEM_CANCELLED,
                 g_strdup (_("The check was stopped.")));
  {
    GTask *task = g_steal_pointer (&run->task);

    if (!g_task_return_error_if_cancelled (task))
      g_task_return_pointer (task, g_steal_pointer (&run->results), (GDestroyNotify) g_ptr_array_unref);
    run_free (run);
    g_object_unref (task);
  }
}

static gboolean
start_next_idle (gpointer user_data)
{
  start_next (user_data);
  return G_SOURCE_REMOVE;
}

void
bounce_blocklist_check_run_async (BounceBlocklistCheck *self,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  Run *run;

  g_return_if_fail (BOUNCE_IS_BLOCKLIST_CHECK (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run = g_new0 (Run, 1);
  run->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (run->task, bounce_blocklist_check_run_async);
  run->resolver = g_resolver_get_default ();
  run->context = g_main_context_ref_thread_default ();
  run->timeout_ms = self->timeout_ms;
  run->results = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_blocklist_result_free);
  for (guint i = 0; i < self->plan->len; i++)
    {
      Planned *p = self->plan->pdata[i];

      g_ptr_array_add (run->results, bounce_blocklist_result_new (p->service, p->target, p->name));
    }

  /* Completes from the main loop even with nothing to ask, like any async call. */
  if (self->plan->len == 0 || g_cancellable_is_cancelled (cancellable))
    {
      GSource *idle = g_idle_source_new ();

      g_source_set_callback (idle, start_next_idle, run, NULL);
      g_source_attach (idle, run->context);
      g_source_unref (idle);
      return;
    }
  start_next (run);
}

GPtrArray *
bounce_blocklist_check_run_finish (BounceBlocklistCheck  *self,
                                   GAsyncResult          *result,
                                   GError               **error)
{
  g_return_val_if_fail (BOUNCE_IS_BLOCKLIST_CHECK (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bounce_blocklist_check_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* Output */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
bounce_blocklist_results_to_json_node (GPtrArray *results)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      BounceBlocklistResult *r = results->pdata[i];

      json_builder_begin_object (builder);
      add_string (builder, "list", r->service_id);
      add_string (builder, "title", r->title);
      add_string (builder, "zone", r->zone);
      add_string (builder, "target", r->target);
      add_string (builder, "query", r->query);
      add_string (builder, "result", bounce_blocklist_status_to_string (r->status));
      add_string (builder, "problem", bounce_blocklist_problem_to_string (r->problem));
      add_string (builder, "detail", r->detail);
      json_builder_set_member_name (builder, "answers");
      json_builder_begin_array (builder);
      for (guint j = 0; j < r->answers->len; j++)
        json_builder_add_string_value (builder, r->answers->pdata[j]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "listings");
      json_builder_begin_array (builder);
      for (guint j = 0; j < r->listings->len; j++)
        {
          BounceBlocklistListing *listing = r->listings->pdata[j];

          json_builder_begin_object (builder);
          add_string (builder, "answer", listing->answer);
          add_string (builder, "list", listing->list_id);
          add_string (builder, "title", listing->list_title);
          add_string (builder, "meaning", listing->meaning);
          add_string (builder, "lookup", listing->lookup_url);
          add_string (builder, "delist", listing->delist_url);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      add_string (builder, "reason", r->reason);
      add_string (builder, "lookup", r->lookup_url);
      add_string (builder, "delist", r->delist_url);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

char *
bounce_blocklist_results_to_text (GPtrArray *results)
{
  GString *out = g_string_new (NULL);

  if (results == NULL || results->len == 0)
    {
      g_string_append_printf (out, "%s\n", _("No blocklist could be asked: the bounce names no public "
                                             "sending address or domain."));
      return g_string_free (out, FALSE);
    }

  for (guint i = 0; i < results->len; i++)
    {
      BounceBlocklistResult *r = results->pdata[i];

      /* Translators: "Spamhaus ZEN, 192.0.2.1: " before the result */
      g_string_append_printf (out, _("  %s, %s: "), r->title, r->target);
      switch (r->status)
        {
        case BOUNCE_BLOCKLIST_LISTED:
          g_string_append_printf (out, "%s\n", _("listed"));
          for (guint j = 0; j < r->listings->len; j++)
            {
              BounceBlocklistListing *listing = r->listings->pdata[j];

              g_string_append_printf (out, "    %s (%s): %s\n", listing->list_title, listing->answer,
                                      listing->meaning);
              if (listing->lookup_url != NULL)
                g_string_append_printf (out, _("      Look up: %s\n"), listing->lookup_url);
              if (listing->delist_url != NULL)
                g_string_append_printf (out, _("      Removal: %s\n"), listing->delist_url);
            }
          if (r->reason != NULL)
            g_string_append_printf (out, _("    The list says: %s\n"), r->reason);
          break;
        case BOUNCE_BLOCKLIST_NOT_LISTED:
          g_string_append_printf (out, "%s\n", _("not listed"));
          break;
        case BOUNCE_BLOCKLIST_NOT_CHECKED:
        default:
          g_string_append_printf (out, "%s\n", _("could not check"));
          if (r->detail != NULL)
            g_string_append_printf (out, "    %s\n", r->detail);
          if (r->lookup_url != NULL)
            g_string_append_printf (out, _("      Look up: %s\n"), r->lookup_url);
          break;
        }
    }
  return g_string_free (out, FALSE);
}
