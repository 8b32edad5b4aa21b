/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bounce-catalogue.h"
#include "bounce-report.h"

G_BEGIN_DECLS

/* A live check of the sending IP addresses and domains against the DNS
 * blocklists of the catalogue (those with a "dns" object; closed lists
 * never).  Nothing is sent anywhere until bounce_blocklist_check_run_async()
 * is called: creating a check only plans the queries, so that the caller
 * can tell the user what will be sent. */

typedef enum {
  BOUNCE_BLOCKLIST_LISTED,       /* the list has the target */
  BOUNCE_BLOCKLIST_NOT_LISTED,   /* the list answered that it has not (NXDOMAIN) */
  BOUNCE_BLOCKLIST_NOT_CHECKED,  /* no usable answer: see the problem */
} BounceBlocklistStatus;

typedef enum {
  BOUNCE_BLOCKLIST_PROBLEM_NONE,
  BOUNCE_BLOCKLIST_PROBLEM_TIMEOUT,     /* no answer within the timeout */
  BOUNCE_BLOCKLIST_PROBLEM_REFUSED,     /* the list refused to answer this resolver (public, over quota) */
  BOUNCE_BLOCKLIST_PROBLEM_NO_ANSWER,   /* the DNS server could not be reached or failed: no network? */
  BOUNCE_BLOCKLIST_PROBLEM_UNEXPECTED,  /* an answer the list's documentation does not explain */
  BOUNCE_BLOCKLIST_PROBLEM_CANCELLED,   /* the check was stopped before this list answered */
} BounceBlocklistProblem;

/* What one answer of a list means. */
typedef struct {
  char *answer;       /* "127.0.0.2" */
  char *list_id;      /* the catalogue list it means (a part of a combined list, or the list asked) */
  char *list_title;   /* translated */
  char *meaning;      /* translated */
  char *lookup_url;   /* the list's lookup page for the target, or NULL */
  char *delist_url;   /* its removal page, or NULL */
} BounceBlocklistListing;

typedef struct {
  char *service_id;            /* the catalogue entry asked */
  char *title;                 /* its title, translated */
  char *zone;
  char *target;                /* the IP address or domain checked */
  char *query;                 /* the DNS name asked, without the final dot */
  BounceBlocklistStatus status;
  BounceBlocklistProblem problem;
  char *detail;                /* translated: why it could not be checked, else NULL */
  GPtrArray *answers;          /* strings: the addresses the list answered */
  GPtrArray *listings;         /* BounceBlocklistListing, when listed */
  char *reason;                /* the list's own words (its TXT record), or NULL */
  char *lookup_url;            /* the list's lookup page for the target, or NULL */
  char *delist_url;            /* the list's removal page, or NULL */
} BounceBlocklistResult;

/* Per query, in milliseconds. */
#define BOUNCE_BLOCKLIST_CHECK_DEFAULT_TIMEOUT 4000

/* A result not asked yet (status not checked) for asking service about
 * target with the DNS name query (may be NULL). */
BounceBlocklistResult *bounce_blocklist_result_new         (BounceEntry           *service,
                                                            const char            *target,
                                                            const char            *query);
void                   bounce_blocklist_result_free        (BounceBlocklistResult *result);
const char            *bounce_blocklist_status_to_string   (BounceBlocklistStatus  status);
const char            *bounce_blocklist_problem_to_string  (BounceBlocklistProblem problem);

#define BOUNCE_TYPE_BLOCKLIST_CHECK (bounce_blocklist_check_get_type ())
G_DECLARE_FINAL_TYPE (BounceBlocklistCheck, bounce_blocklist_check, BOUNCE, BLOCKLIST_CHECK, GObject)

/* ips, domains: strings (invalid, private and special-use ones are left
 * out; at most a few of each are checked); named: BounceEntry, the lists
 * the bounce names, which come first.  Any may be NULL. */
BounceBlocklistCheck  *bounce_blocklist_check_new          (BounceCatalogue       *catalogue,
                                                            GPtrArray             *ips,
                                                            GPtrArray             *domains,
                                                            GPtrArray             *named);
/* The report's sending IP addresses, domains and named lists. */
BounceBlocklistCheck  *bounce_blocklist_check_new_for_report (BounceReport        *report);

void                   bounce_blocklist_check_set_timeout  (BounceBlocklistCheck  *self,
                                                            guint                  timeout_ms);
guint                  bounce_blocklist_check_get_timeout  (BounceBlocklistCheck  *self);
/* What will be sent: the targets (strings), and the lists asked
 * (BounceEntry), each in order. */
GPtrArray             *bounce_blocklist_check_get_targets  (BounceBlocklistCheck  *self);
GPtrArray             *bounce_blocklist_check_get_services (BounceBlocklistCheck  *self);
guint                  bounce_blocklist_check_get_n_queries (BounceBlocklistCheck *self);

/* Asks every list about every target it takes, a few queries at a time,
 * each with the timeout, through the default GResolver (g_resolver_get_default()
 * when the run starts).  The callback runs in the caller's thread-default
 * main context; cancelling ends the run with G_IO_ERROR_CANCELLED.  The
 * result is a GPtrArray of BounceBlocklistResult, in plan order. */
void                   bounce_blocklist_check_run_async    (BounceBlocklistCheck  *self,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
GPtrArray             *bounce_blocklist_check_run_finish   (BounceBlocklistCheck  *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);

/* Fills a result (its service, target and zone set) from the list's
 * answer: addresses are GInetAddress, NULL or empty for NXDOMAIN.  Used by
 * the run; public for tests and the fuzzer. */
void                   bounce_blocklist_result_interpret   (BounceBlocklistResult *result,
                                                            BounceCatalogue       *catalogue,
                                                            BounceEntry           *service,
                                                            GList                 *addresses);
/* The list's TXT words as one line of valid UTF-8 without control
 * characters, at most a few hundred bytes; NULL when empty. */
char                  *bounce_blocklist_clean_reason       (const char * const    *strings);

/* Output for bounce-explain. */
JsonNode              *bounce_blocklist_results_to_json_node (GPtrArray           *results);
char                  *bounce_blocklist_results_to_text    (GPtrArray             *results);

G_END_DECLS
