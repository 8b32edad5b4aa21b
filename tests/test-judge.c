/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"
#include "bounce-judge.h"

/* Each refinement of the reason (bounce-judge.c), on its own: given a
 * judgement and a reason so far, what it makes of them. */

typedef struct {
  BounceMessageContext ctx;
  BounceFact fact;
  BounceEvidence ev;
  BounceJudgement j;
} Fixture;

static BounceEntry *
entry (const char *id)
{
  BounceEntry *e = bounce_catalogue_lookup (bounce_catalogue_get_default (), id);

  g_assert_nonnull (e);
  return e;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  memset (f, 0, sizeof *f);
  f->ctx.catalogue = bounce_catalogue_get_default ();
  f->ctx.notification = g_string_new (NULL);
  f->j.ctx = &f->ctx;
  f->j.fact = &f->fact;
  f->j.ev = &f->ev;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_string_free (f->ctx.notification, TRUE);
}

static BounceRefinementFunc
refinement (const char *name)
{
  for (const BounceRefinement *r = bounce_judge_refinements (); r->name != NULL; r++)
    if (g_str_equal (r->name, name))
      return r->func;
  g_error ("no refinement %s", name);
  return NULL;
}

static void
test_order (void)
{
  static const char * const order[] = {
    "layout-states-reason", "quota-or-size-by-status", "unknown-user-by-status",
    "status-before-later-words", "status-name-before-second-order-words", "rejected-words-against-status",
    "spam-before-data",
    "status-over-words-naming-nothing", "final-name-once-given-up", "expired-action", "delay-of-failing-network",
    "by-smtp-stage", "delivery-time-expired", "nothing-named",
    "temporary-host-lookup", NULL
  };
  const BounceRefinement *r = bounce_judge_refinements ();
  guint i;

  for (i = 0; order[i] != NULL; i++)
    g_assert_cmpstr (r[i].name, ==, order[i]);
  g_assert_null (r[i].name);
}

static void
test_layout_states_reason (Fixture *f, gconstpointer data)
{
  BounceRefinementFunc fn = refinement ("layout-states-reason");

  g_assert_cmpstr (fn (&f->j, "filtered"), ==, "filtered");
  f->fact.reason = (char *) "mailboxfull";
  g_assert_cmpstr (fn (&f->j, "filtered"), ==, "mailboxfull");
  /* a reason Sisimai decides again gives way to one of its first order
   * whose words are in the text (Reason.pm get(), Blocked.pm true()):
   * Gmail's "did not accept our requests to connect" (expired) with
   * "Connection dropped" after it */
  {
    g_autoptr(GPtrArray) rules = g_ptr_array_new ();

    f->j.rules = rules;
    g_ptr_array_add (rules, entry ("phrases.sisimai.blocked"));
    f->fact.reason = (char *) "expired";
    g_assert_cmpstr (fn (&f->j, "blocked"), ==, "blocked");
    /* a reason Sisimai keeps is not asked again */
    f->fact.reason = (char *) "mailboxfull";
    g_assert_cmpstr (fn (&f->j, "blocked"), ==, "mailboxfull");
    /* a reason of the first order is asked about in its place: blocked
     * comes after hostunknown */
    f->fact.reason = (char *) "hostunknown";
    g_assert_cmpstr (fn (&f->j, "blocked"), ==, "hostunknown");
    /* no-relaying words do not outweigh a layout's security error
     * (NoRelaying.pm true()) */
    g_ptr_array_set_size (rules, 0);
    g_ptr_array_add (rules, entry ("phrases.sisimai.norelaying"));
    f->fact.reason = (char *) "securityerror";
    g_assert_cmpstr (fn (&f->j, "norelaying"), ==, "securityerror");
    f->fact.reason = (char *) "networkerror";
    g_assert_cmpstr (fn (&f->j, "norelaying"), ==, "norelaying");
    f->j.rules = NULL;
  }
  /* a status whose name counts alone (MailboxFull.pm true()), and one
   * that does not (Suspend.pm true() reads no status) */
  f->fact.reason = (char *) "expired";
  f->ev.status = "5.2.2";
  f->j.status_entry = entry ("enhanced.x.2.2");
  g_assert_cmpstr (fn (&f->j, NULL), ==, "mailboxfull");
  f->fact.reason = (char *) "userunknown";
  f->ev.status = "5.2.1";
  f->j.status_entry = entry ("enhanced.x.2.1");
  g_assert_cmpstr (fn (&f->j, NULL), ==, "userunknown");
  /* a status named hostunknown (5.4.4) counts alone, but not with the
   * words of a network error ("malformed or unexpected name server
   * reply"), and then HostUnknown.pm true() reads no words of its own */
  f->fact.reason = (char *) "expired";
  f->ev.status = "5.4.4";
  f->j.status_entry = entry ("enhanced.x.4.4");
  g_assert_cmpstr (fn (&f->j, NULL), ==, "hostunknown");
  {
    g_autoptr(GPtrArray) rules = g_ptr_array_new ();

    f->j.rules = rules;
    g_ptr_array_add (rules, entry ("phrases.sisimai.networkerror"));
    g_assert_cmpstr (fn (&f->j, NULL), ==, "expired");
    g_ptr_array_add (rules, entry ("phrases.sisimai.hostunknown"));
    g_assert_cmpstr (fn (&f->j, NULL), ==, "expired");
    f->j.rules = NULL;
  }
  f->ev.status = NULL;
  f->j.status_entry = NULL;
  f->fact.reason = NULL;
}

static void
test_final_name_once_given_up (Fixture *f, gconstpointer data)
{
  BounceRefinementFunc fn = refinement ("final-name-once-given-up");
  const char *reason;

  f->j.rule = entry ("rule.wording.connection");
  reason = bounce_entry_get_reason (f->j.rule);
  g_assert_cmpstr (fn (&f->j, reason), ==, "expired");
  /* still being tried: the condition keeps its name */
  f->ctx.delay_notice = TRUE;
  g_assert_cmpstr (fn (&f->j, reason), ==, reason);
  f->ctx.delay_notice = FALSE;
  f->fact.action = (char *) "delayed";
  g_assert_cmpstr (fn (&f->j, reason), ==, reason);
  f->fact.action = NULL;
  /* a reason that is not the rule's own (renamed before) stays */
  g_assert_cmpstr (fn (&f->j, "mailboxfull"), ==, "mailboxfull");
}

static void
test_expired_action (Fixture *f, gconstpointer data)
{
  BounceRefinementFunc fn = refinement ("expired-action");

  f->fact.action = (char *) "expired";
  g_assert_cmpstr (fn (&f->j, "networkerror"), ==, "expired");
  g_assert_cmpstr (fn (&f->j, NULL), ==, "expired");
  g_assert_cmpstr (fn (&f->j, "mailboxfull"), ==, "mailboxfull");
  f->fact.action = (char *) "failed";
  g_assert_cmpstr (fn (&f->j, "networkerror"), ==, "networkerror");
  f->fact.action = NULL;
}

static void
test_delay_of_failing_network (Fixture *f, gconstpointer data)
{
  BounceRefinementFunc fn = refinement ("delay-of-failing-network");

  f->fact.action = (char *) "delayed";
  g_assert_cmpstr (fn (&f->j, "systemerror"), ==, "expired");
  g_assert_cmpstr (fn (&f->j, "onhold"), ==, "expired");
  g_assert_cmpstr (fn (&f->j, "mailboxfull"), ==, "mailboxfull");
  /* a layout's own sentence names the condition */
  f->fact.reason = (char *) "networkerror";
  g_assert_cmpstr (fn (&f->j, "networkerror"), ==, "networkerror");
  f->fact.reason = NULL;
  /* "connect to mx[192.0.2.2]:25: No route to host" in a delay: the
   * connection wording alone is the condition, but the words are in
   * Sisimai's network error table too, which names the cause */
  {
    g_autoptr(GPtrArray) rules = g_ptr_array_new ();

    f->j.rules = rules;
    g_ptr_array_add (rules, entry ("rule.wording.connection"));
    g_assert_cmpstr (fn (&f->j, "networkerror"), ==, "expired");
    g_ptr_array_add (rules, entry ("phrases.sisimai.networkerror"));
    g_assert_cmpstr (fn (&f->j, "networkerror"), ==, "networkerror");
    /* a table for another reason does not keep this one */
    g_assert_cmpstr (fn (&f->j, "systemerror"), ==, "expired");
    f->j.rules = NULL;
  }
  /* a status that names the failure precisely keeps it (Sisimai's
   * Reason.pm: a delay is "expired" only when the status names nothing);
   * 4.4.0 and 4.4.1 say no more than the delay */
  f->ev.status = "4.4.2";
  f->j.status_entry = entry ("enhanced.x.4.2");
  g_assert_cmpstr (fn (&f->j, "networkerror"), ==, "networkerror");
  f->ev.status = "4.3.5";
  f->j.status_entry = entry ("enhanced.x.3.5");
  g_assert_cmpstr (fn (&f->j, "systemerror"), ==, "systemerror");
  f->ev.status = "4.4.1";
  f->j.status_entry = entry ("enhanced.4.4.1");
  g_assert_cmpstr (fn (&f->j, "networkerror"), ==, "expired");
  f->ev.status = "4.4.0";
  f->j.status_entry = entry ("enhanced.x.4.0");
  g_assert_cmpstr (fn (&f->j, "networkerror"), ==, "expired");
  f->ev.status = NULL;
  f->j.status_entry = NULL;
  f->fact.action = NULL;
  g_assert_cmpstr (fn (&f->j, "systemerror"), ==, "systemerror");
}

static void
test_by_smtp_stage (Fixture *f, gconstpointer data)
{
  BounceRefinementFunc fn = refinement ("by-smtp-stage");

  /* "user unknown" after DATA is a filter; after RCPT TO it is what it says */
  f->j.stage = BOUNCE_SMTP_COMMAND_DATA;
  g_assert_cmpstr (fn (&f->j, "userunknown"), ==, "filtered");
  f->ev.status = "5.1.1";
  f->j.stage = BOUNCE_SMTP_COMMAND_NONE;
  g_assert_cmpstr (fn (&f->j, "userunknown"), ==, "userunknown");
  f->j.stage = BOUNCE_SMTP_COMMAND_RCPT;
  f->ev.status = NULL;
  g_assert_cmpstr (fn (&f->j, "userunknown"), ==, "userunknown");
  /* ... in a layout that shows the command but does not here */
  f->j.stage = BOUNCE_SMTP_COMMAND_NONE;
  f->fact.from_layout = TRUE;
  g_assert_cmpstr (fn (&f->j, "userunknown"), ==, "filtered");
  f->fact.command_unknown = TRUE;
  g_assert_cmpstr (fn (&f->j, "userunknown"), ==, "userunknown");
  f->fact.from_layout = f->fact.command_unknown = FALSE;
  /* against a precise status naming another condition: a filter's, when
   * Sisimai's own words of an unknown user are there; else the status's
   * name (5.1.6, hasmoved) */
  f->ev.status = "5.1.6";
  f->j.status_entry = entry ("enhanced.x.1.6");
  g_assert_cmpstr (fn (&f->j, "userunknown"), ==, "hasmoved");
  {
    g_autoptr(GPtrArray) rules = g_ptr_array_new ();

    g_ptr_array_add (rules, entry ("phrases.sisimai.userunknown"));
    f->j.rules = rules;
    g_assert_cmpstr (fn (&f->j, "userunknown"), ==, "filtered");
    f->ev.status = "5.2.1";
    f->j.status_entry = entry ("enhanced.x.2.1");
    g_assert_cmpstr (fn (&f->j, "userunknown"), ==, "filtered");
    f->j.rules = NULL;
  }
  f->ev.status = NULL;
  f->j.status_entry = NULL;
  /* at MAIL FROM, about the sender */
  f->j.stage = BOUNCE_SMTP_COMMAND_MAIL;
  g_assert_cmpstr (fn (&f->j, "filtered"), ==, "rejected");
  g_assert_cmpstr (fn (&f->j, "hostunknown"), ==, "rejected");
  g_assert_cmpstr (fn (&f->j, "mailboxfull"), ==, "mailboxfull");
  /* at the greeting, a refusal of the connecting server */
  f->j.stage = BOUNCE_SMTP_COMMAND_CONNECT;
  g_assert_cmpstr (fn (&f->j, "rejected"), ==, "blocked");
  g_assert_cmpstr (fn (&f->j, "systemerror"), ==, "blocked");
  /* a definite statement is not refined, nor a layout's own reason */
  f->j.rule = entry ("rule.microsoft.connection-refused-316");
  g_assert_cmpint (bounce_entry_get_strength (f->j.rule), ==, BOUNCE_RULE_DEFINITE);
  g_assert_cmpstr (fn (&f->j, "rejected"), ==, "rejected");
  f->j.rule = NULL;
  f->fact.reason = (char *) "rejected";
  g_assert_cmpstr (fn (&f->j, "rejected"), ==, "rejected");
  f->fact.reason = NULL;
  g_assert_null (fn (&f->j, NULL));
}

/* A failure after temporary errors whose words name nothing is on hold,
 * not expired (Sisimai's Reason.pm: only words, a status or the Action
 * name an expiry). */
static void
test_given_up_names_nothing (Fixture *f, gconstpointer data)
{
  f->fact.action = (char *) "failed";
  f->ev.status = "4.0.0";
  f->ev.reply = "451";
  f->j.status_entry = entry ("enhanced.x.0.0");
  g_assert_cmpstr (bounce_judge_reason (&f->j), ==, "onhold");
  /* an Action "expired" still says it */
  f->fact.action = (char *) "expired";
  g_assert_cmpstr (bounce_judge_reason (&f->j), ==, "expired");
  f->fact.action = NULL;
  f->ev.status = NULL;
  f->ev.reply = NULL;
  f->j.status_entry = NULL;
}

static void
test_delivery_time_expired (Fixture *f, gconstpointer data)
{
  BounceRefinementFunc fn = refinement ("delivery-time-expired");

  f->ev.status = "5.4.7";
  g_assert_cmpstr (fn (&f->j, "systemerror"), ==, "expired");
  g_assert_cmpstr (fn (&f->j, NULL), ==, "expired");
  g_assert_cmpstr (fn (&f->j, "mailboxfull"), ==, "mailboxfull");
  f->ev.status = "5.4.4";
  g_assert_cmpstr (fn (&f->j, "systemerror"), ==, "systemerror");
  f->ev.status = NULL;
}

static void
test_nothing_named (Fixture *f, gconstpointer data)
{
  BounceRefinementFunc fn = refinement ("nothing-named");

  g_assert_cmpstr (fn (&f->j, "mailboxfull"), ==, "mailboxfull");
  g_assert_cmpstr (fn (&f->j, NULL), ==, "undefined");
  f->ev.reply = (char *) "550";
  g_assert_cmpstr (fn (&f->j, NULL), ==, "onhold");
  f->ev.reply = NULL;
  /* the notification's boilerplate is no diagnostic of the recipient's */
  f->ev.diagnostic = (char *) "I'm sorry to have to inform you";
  f->fact.whole_notification = TRUE;
  g_assert_cmpstr (fn (&f->j, NULL), ==, "undefined");
  f->fact.whole_notification = FALSE;
  g_assert_cmpstr (fn (&f->j, NULL), ==, "onhold");
  f->ev.diagnostic = NULL;
}

static void
test_temporary_host_lookup (Fixture *f, gconstpointer data)
{
  BounceRefinementFunc fn = refinement ("temporary-host-lookup");

  f->ev.status = "4.4.3";
  g_assert_cmpstr (fn (&f->j, "hostunknown"), ==, "networkerror");
  f->ev.status = "4.1.2";
  g_assert_cmpstr (fn (&f->j, "hostunknown"), ==, "hostunknown");
  f->ev.status = "5.4.4";
  g_assert_cmpstr (fn (&f->j, "hostunknown"), ==, "hostunknown");
  f->ev.status = NULL;
}

/* The first reading: a weak rule gives way to a precise status. */
static void
test_first_reason (Fixture *f, gconstpointer data)
{
  f->j.rule = entry ("rule.wording.unknown-user");
  g_assert_cmpstr (bounce_judge_first_reason (&f->j), ==, "userunknown");
  f->j.status_entry = entry ("enhanced.x.7.1");
  f->ev.status = "5.7.1";
  g_assert_cmpstr (bounce_judge_first_reason (&f->j), ==, "userunknown");
  f->j.rule = NULL;
  g_assert_cmpstr (bounce_judge_first_reason (&f->j), ==, "securityerror");
  /* RFC 3463's X.2.3 is a per-mailbox limit, IANA's X.7.28 a flood of
   * abusive messages: named as Sisimai's status table names them */
  /* a temporary 4.7.1 is a block, as Sisimai's status table has it */
  f->j.status_entry = entry ("enhanced.4.7.1");
  f->ev.status = "4.7.1";
  g_assert_cmpstr (bounce_judge_first_reason (&f->j), ==, "blocked");
  f->j.status_entry = entry ("enhanced.x.2.3");
  f->ev.status = "5.2.3";
  g_assert_cmpstr (bounce_judge_first_reason (&f->j), ==, "exceedlimit");
  f->j.status_entry = entry ("enhanced.x.7.28");
  f->ev.status = "5.7.28";
  g_assert_cmpstr (bounce_judge_first_reason (&f->j), ==, "spamdetected");
  f->j.delivered = TRUE;
  g_assert_cmpstr (bounce_judge_first_reason (&f->j), ==, "delivered");
  f->j.delivered = FALSE;
  /* a code for positive reports (RFC 3463's X.1.5) names a delivery only
   * in class 2; in a failure the reply code speaks */
  f->j.status_entry = entry ("enhanced.x.1.5");
  f->ev.status = "2.1.5";
  g_assert_cmpstr (bounce_judge_first_reason (&f->j), ==, "delivered");
  f->ev.status = "5.1.5";
  g_assert_null (bounce_judge_first_reason (&f->j));
  f->ev.reply = "550";
  f->j.reply_entry = bounce_catalogue_find_reply (f->ctx.catalogue, "550");
  g_assert_cmpstr (bounce_judge_first_reason (&f->j), !=, "delivered");
  f->ev.reply = NULL;
  f->j.reply_entry = NULL;
}

/* The reply code reported: only a registered one, of the status's class
 * (Sisimai's SMTP/Reply.pm and the REPLYCODE block of its Fact.pm). */
static void
test_reported_reply (Fixture *f, gconstpointer data)
{
  g_autofree char *plain = NULL;
  g_autofree char *unregistered = NULL;
  g_autofree char *other_class = NULL;
  g_autofree char *own_class = NULL;
  g_autofree char *none = NULL;

  f->ev.reply = "550";
  plain = bounce_judge_reported_reply (&f->j, "5.1.1");
  g_assert_cmpstr (plain, ==, "550");
  f->ev.reply = "542";
  unregistered = bounce_judge_reported_reply (&f->j, "5.0.0");
  g_assert_null (unregistered);
  /* a temporary reply under a permanent status, nothing else said */
  f->ev.reply = "421";
  f->ev.diagnostic = "421 4.4.2 closing connection";
  other_class = bounce_judge_reported_reply (&f->j, "5.0.0");
  g_assert_null (other_class);
  /* ... or a reply of the status's class later in the text */
  f->ev.diagnostic = "421 try later; then 554 5.7.1 refused (mx2.example.net/10.0.0.550)";
  own_class = bounce_judge_reported_reply (&f->j, "5.7.1");
  g_assert_cmpstr (own_class, ==, "554");
  f->ev.reply = NULL;
  none = bounce_judge_reported_reply (&f->j, "5.7.1");
  g_assert_null (none);
  f->ev.diagnostic = NULL;
}

/* A 5.1.1 status outweighs generic wording of a filter, spam or a policy,
 * but not a full or suspended mailbox, refused relaying, a blocked host or
 * a refused sender
 * (Sisimai's Reason/UserUnknown.pm, true(), and its order of classes). */
static void
test_unknown_user_by_status (Fixture *f, gconstpointer data)
{
  BounceRefinementFunc fn = refinement ("unknown-user-by-status");

  f->j.rule = entry ("rule.wording.unknown-user");
  f->ev.status = "5.1.1";
  g_assert_cmpstr (fn (&f->j, "spamdetected"), ==, "userunknown");
  g_assert_cmpstr (fn (&f->j, "filtered"), ==, "userunknown");
  g_assert_cmpstr (fn (&f->j, "toomanyconn"), ==, "userunknown");
  g_assert_cmpstr (fn (&f->j, "mailboxfull"), ==, "mailboxfull");
  g_assert_cmpstr (fn (&f->j, "suspend"), ==, "suspend");
  g_assert_cmpstr (fn (&f->j, "norelaying"), ==, "norelaying");
  g_assert_cmpstr (fn (&f->j, "blocked"), ==, "blocked");
  g_assert_cmpstr (fn (&f->j, "rejected"), ==, "rejected");
  /* not for another status, a temporary one or a layout's own reason */
  f->ev.status = "5.7.1";
  g_assert_cmpstr (fn (&f->j, "spamdetected"), ==, "spamdetected");
  f->ev.status = "4.1.1";
  g_assert_cmpstr (fn (&f->j, "spamdetected"), ==, "spamdetected");
  f->ev.status = "5.1.1";
  f->fact.reason = (char *) "spamdetected";
  g_assert_cmpstr (fn (&f->j, "spamdetected"), ==, "spamdetected");
  f->fact.reason = NULL;
  /* nor against a provider's own sentence */
  f->j.rule = entry ("rule.microsoft.delivery-not-authorized");
  g_assert_cmpstr (fn (&f->j, "rejected"), ==, "rejected");
  f->j.rule = NULL;
  f->ev.status = NULL;
}

/* X.2.2, X.2.3 and X.3.4 say it whatever generic words come with them;
 * only a full mailbox's words outweigh the size statuses (Sisimai's
 * Reason/MailboxFull.pm, MesgTooBig.pm, ExceedLimit.pm). */
static void
test_quota_or_size_by_status (Fixture *f, gconstpointer data)
{
  BounceRefinementFunc fn = refinement ("quota-or-size-by-status");

  f->j.rule = entry ("rule.wording.unknown-user");
  f->ev.status = "5.2.2";
  f->j.status_entry = entry ("enhanced.5.2.2");
  g_assert_cmpstr (fn (&f->j, "toomanyconn"), ==, "mailboxfull");
  g_assert_cmpstr (fn (&f->j, "userunknown"), ==, "mailboxfull");
  f->ev.status = "5.2.3";
  f->j.status_entry = entry ("enhanced.x.2.3");
  g_assert_cmpstr (fn (&f->j, "mesgtoobig"), ==, "exceedlimit");
  g_assert_cmpstr (fn (&f->j, "spamdetected"), ==, "exceedlimit");
  g_assert_cmpstr (fn (&f->j, "mailboxfull"), ==, "mailboxfull");
  f->ev.status = "5.3.4";
  f->j.status_entry = entry ("enhanced.x.3.4");
  g_assert_cmpstr (fn (&f->j, "exceedlimit"), ==, "mesgtoobig");
  g_assert_cmpstr (fn (&f->j, "mailboxfull"), ==, "mailboxfull");
  /* a layout's own reason and a provider's sentence keep theirs */
  f->fact.reason = (char *) "toomanyconn";
  g_assert_cmpstr (fn (&f->j, "toomanyconn"), ==, "toomanyconn");
  f->fact.reason = NULL;
  f->j.rule = entry ("rule.microsoft.delivery-not-authorized");
  g_assert_cmpstr (fn (&f->j, "rejected"), ==, "rejected");
  /* another status says nothing here */
  f->j.rule = entry ("rule.wording.unknown-user");
  f->ev.status = "5.7.1";
  f->j.status_entry = entry ("enhanced.5.7.1");
  g_assert_cmpstr (fn (&f->j, "spamdetected"), ==, "spamdetected");
  f->j.rule = NULL;
  f->ev.status = NULL;
  f->j.status_entry = NULL;
}

/* X.1.7 and X.1.8 (a refused sender), 5.1.2 and 5.5.3 settle the reason
 * against generic words Sisimai asks about later (Reason/Rejected.pm,
 * HostUnknown.pm, TooManyConn.pm). */
static void
test_status_before_later_words (Fixture *f, gconstpointer data)
{
  BounceRefinementFunc fn = refinement ("status-before-later-words");

  f->j.rule = entry ("rule.wording.unknown-user");
  f->ev.status = "5.1.8";
  g_assert_cmpstr (fn (&f->j, "spamdetected"), ==, "rejected");
  g_assert_cmpstr (fn (&f->j, "policyviolation"), ==, "rejected");
  /* asked about before a refused sender */
  g_assert_cmpstr (fn (&f->j, "filtered"), ==, "filtered");
  g_assert_cmpstr (fn (&f->j, "mailboxfull"), ==, "mailboxfull");
  f->ev.status = "4.1.7";
  g_assert_cmpstr (fn (&f->j, "syntaxerror"), ==, "rejected");
  f->ev.status = "5.1.2";
  g_assert_cmpstr (fn (&f->j, "spamdetected"), ==, "hostunknown");
  g_assert_cmpstr (fn (&f->j, "networkerror"), ==, "networkerror");
  g_assert_cmpstr (fn (&f->j, "rejected"), ==, "rejected");
  f->ev.status = "5.5.3";
  g_assert_cmpstr (fn (&f->j, "securityerror"), ==, "toomanyconn");
  g_assert_cmpstr (fn (&f->j, "blocked"), ==, "toomanyconn");
  /* not for other statuses, a layout's reason or a provider's sentence */
  f->ev.status = "5.7.1";
  g_assert_cmpstr (fn (&f->j, "spamdetected"), ==, "spamdetected");
  f->ev.status = "5.1.8";
  f->fact.reason = (char *) "spamdetected";
  g_assert_cmpstr (fn (&f->j, "spamdetected"), ==, "spamdetected");
  f->fact.reason = NULL;
  f->j.rule = entry ("rule.dnsbl.spamhaus-zen");
  g_assert_cmpstr (fn (&f->j, "blocked"), ==, "blocked");
  f->j.rule = NULL;
  f->ev.status = NULL;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();

  g_test_add_func ("/judge/order", test_order);
#define ADD(path, fn) g_test_add ("/judge/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("first-reason", test_first_reason);
  ADD ("reported-reply", test_reported_reply);
  ADD ("layout-states-reason", test_layout_states_reason);
  ADD ("quota-or-size-by-status", test_quota_or_size_by_status);
  ADD ("unknown-user-by-status", test_unknown_user_by_status);
  ADD ("status-before-later-words", test_status_before_later_words);
  ADD ("final-name-once-given-up", test_final_name_once_given_up);
  ADD ("expired-action", test_expired_action);
  ADD ("delay-of-failing-network", test_delay_of_failing_network);
  ADD ("by-smtp-stage", test_by_smtp_stage);
  ADD ("given-up-names-nothing", test_given_up_names_nothing);
  ADD ("delivery-time-expired", test_delivery_time_expired);
  ADD ("nothing-named", test_nothing_named);
  ADD ("temporary-host-lookup", test_temporary_host_lookup);
#undef ADD
  return g_test_run ();
}
