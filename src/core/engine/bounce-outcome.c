/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-reason.h"
#include "bounce-report.h"

/* Where the verdict is decided: what became of each recipient's message,
 * of the whole report, which recipient the headline is about, and which
 * entry gives the headline.  The window, bounce-explain and the copied
 * summary all read it from here, so they cannot disagree. */

const char *
bounce_outcome_to_string (BounceOutcome outcome)
{
  switch (outcome)
    {
    case BOUNCE_OUTCOME_DELAYED:
      return "delayed";
    case BOUNCE_OUTCOME_UNKNOWN:
      return "failed";
    case BOUNCE_OUTCOME_GAVE_UP:
      return "gave-up";
    case BOUNCE_OUTCOME_PERMANENT:
      return "permanent";
    case BOUNCE_OUTCOME_NONE:
    default:
      return "none";
    }
}

/* The class the server's own codes give (4 or 5), or 0: its status unless
 * the engine inferred it, else its reply code. */
static char
coded_class (BounceRecipient *r)
{
  const char *status = bounce_recipient_get_status (r);
  const char *reply = bounce_recipient_get_reply_code (r);

  if (status != NULL && !bounce_recipient_get_status_inferred (r) && (status[0] == '4' || status[0] == '5'))
    return status[0];
  if (reply != NULL && (reply[0] == '4' || reply[0] == '5'))
    return reply[0];
  return 0;
}

/* A delay warning's recipients, and temporary failures the sending server
 * has not given up on, are still being tried.  A delivery that ended after
 * temporary errors (an expiry, or a failure whose codes are temporary) was
 * given up; one refused with permanent codes failed for good. */
BounceOutcome
bounce_recipient_get_outcome (BounceRecipient *r)
{
  const BounceReasonInfo *info = bounce_reason_lookup (bounce_recipient_get_reason (r));
  const char *action = bounce_recipient_get_action (r);
  gboolean failed = g_strcmp0 (action, "failed") == 0;
  gboolean expired = g_strcmp0 (bounce_recipient_get_reason (r), "expired") == 0;
  BouncePermanence permanence = bounce_recipient_get_permanence (r);

  if (info != NULL && info->not_a_failure)
    return BOUNCE_OUTCOME_NONE;
  if (g_strcmp0 (action, "delayed") == 0)
    return BOUNCE_OUTCOME_DELAYED;
  if (permanence == BOUNCE_PERMANENCE_TEMPORARY && !failed && !expired && !bounce_recipient_get_given_up (r))
    return BOUNCE_OUTCOME_DELAYED;
  if (expired || (failed && coded_class (r) == '4') || permanence == BOUNCE_PERMANENCE_TEMPORARY)
    return BOUNCE_OUTCOME_GAVE_UP;
  if (permanence == BOUNCE_PERMANENCE_PERMANENT)
    return BOUNCE_OUTCOME_PERMANENT;
  return BOUNCE_OUTCOME_UNKNOWN;
}

static BounceKind
kind_of (BounceReport  *report,
         BounceOutcome  outcome)
{
  GListModel *list = bounce_report_get_recipients (report);

  if (outcome >= BOUNCE_OUTCOME_UNKNOWN)
    return BOUNCE_KIND_FAILURE;
  if (outcome == BOUNCE_OUTCOME_DELAYED)
    return BOUNCE_KIND_DELAY;
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (list, i);

      if (g_strcmp0 (bounce_recipient_get_reason (r), "delivered") == 0)
        return BOUNCE_KIND_DELIVERED;
    }
  /* a text whose only "failure" is an out-of-office note is one */
  for (guint i = 0; bounce_report_get_kind (report) == BOUNCE_KIND_NOT_BOUNCE &&
                    i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (list, i);

      if (g_strcmp0 (bounce_recipient_get_reason (r), "vacation") == 0)
        return BOUNCE_KIND_AUTOREPLY;
    }
  return bounce_report_get_kind (report);
}

/* The headline: the main recipient's reason.  A delay warning is about a
 * delivery still being tried: "expired" would say it has been given up, so
 * its headline names what is holding it up, or what the warning itself
 * says ("will be retried"), or nothing beyond "not delivered yet".  A
 * reason that names no cause ("onhold", "undefined") gives way to the
 * entry that explains the reply, when one does ("Greylisting: the server
 * asked for a retry"). */
/* Whether the failure is explained by its enhanced status code alone (no
 * words of the server's that a rule knows), and that code names one
 * condition: "451 4.7.1 Access denied" is headed by what 4.7.1 says
 * ("Temporarily refused by policy"), not by the reason it is filed under
 * (blocked: "Your server's IP address is blocked"), which claims more than
 * the reply does.  A code of detail 0 (X.2.0, X.6.0: "other or undefined",
 * RFC 3463 3.1) names only a subject, and the reason heads it.  So does
 * an expiry: X.4.7's "taking longer than allowed" reads as a delay, and
 * the reason says the sending server gave up. */
static gboolean
code_speaks_alone (GPtrArray *entries)
{
  BounceEntry *first = entries != NULL && entries->len > 0 ? entries->pdata[0] : NULL;
  const char *code;

  if (first == NULL || bounce_entry_get_kind (first) != BOUNCE_ENTRY_ENHANCED ||
      bounce_entry_get_title (first) == NULL)
    return FALSE;
  for (guint i = 1; i < entries->len; i++)
    {
      BounceEntryKind kind = bounce_entry_get_kind (entries->pdata[i]);

      if (kind == BOUNCE_ENTRY_RULE || kind == BOUNCE_ENTRY_PHRASES)
        return FALSE;
    }
  code = bounce_entry_get_code (first);
  return code != NULL && !g_str_has_suffix (code, ".0");
}

static BounceEntry *
headline_entry (BounceReport    *report,
                BounceRecipient *r,
                BounceCatalogue *catalogue)
{
  const char *reason = bounce_recipient_get_reason (r);
  GPtrArray *entries = bounce_recipient_get_entries (r);
  BounceEntry *first = entries != NULL && entries->len > 0 ? entries->pdata[0] : NULL;

  if ((g_strcmp0 (reason, "onhold") == 0 || g_strcmp0 (reason, "undefined") == 0) &&
      first != NULL && bounce_entry_get_title (first) != NULL &&
      bounce_entry_get_kind (first) == BOUNCE_ENTRY_RULE)
    return first;
  if (code_speaks_alone (entries) && g_strcmp0 (reason, "expired") != 0 && g_strcmp0 (reason, "delivered") != 0)
    return first;
  if (bounce_report_get_kind (report) != BOUNCE_KIND_DELAY || g_strcmp0 (reason, "expired") != 0)
    return bounce_catalogue_find_reason (catalogue, reason);
  if (first != NULL && bounce_entry_get_title (first) != NULL &&
      bounce_entry_get_kind (first) != BOUNCE_ENTRY_REASON &&
      (g_strcmp0 (bounce_entry_get_reason (first), "expired") != 0 ||
       bounce_entry_get_permanence (first) == BOUNCE_PERMANENCE_TEMPORARY))
    return first;
  return NULL;
}

void
bounce_report_decide_verdict (BounceReport    *self,
                              BounceCatalogue *catalogue)
{
  GListModel *list = bounce_report_get_recipients (self);
  guint n = g_list_model_get_n_items (list);
  BounceOutcome outcome = BOUNCE_OUTCOME_NONE;
  g_autoptr(BounceRecipient) main_recipient = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (list, i);

      outcome = MAX (outcome, bounce_recipient_get_outcome (r));
    }
  /* The first of the worst outcome, preferring one whose reason names a
   * cause: a report on four recipients is not headed "The reply gives no
   * clear cause" because the first one's reply said too little. */
  for (guint pass = 0; pass < 2 && main_recipient == NULL; pass++)
    for (guint i = 0; i < n && main_recipient == NULL; i++)
      {
        g_autoptr(BounceRecipient) r = g_list_model_get_item (list, i);
        const char *reason = bounce_recipient_get_reason (r);

        if (bounce_recipient_get_outcome (r) == outcome &&
            (pass == 1 || (g_strcmp0 (reason, "onhold") != 0 && g_strcmp0 (reason, "undefined") != 0)))
          main_recipient = g_steal_pointer (&r);
      }
  if (bounce_report_get_kind (self) != BOUNCE_KIND_FEEDBACK)
    bounce_report_set_kind (self, kind_of (self, outcome));
  bounce_report_set_outcome (self, outcome, main_recipient);
  bounce_report_set_verdict (self, main_recipient != NULL ?
                                   headline_entry (self, main_recipient, catalogue) : NULL);
}
