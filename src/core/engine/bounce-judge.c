/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-engine.h"
#include "bounce-classify.h"
#include "bounce-judge.h"
#include "bounce-reason.h"

/* Where a recipient's verdict is decided: which catalogue rules explain its
 * evidence, its reason (a first reading, then the refinements below, in
 * order), temporary or permanent, hard or soft, and the entries that
 * explain it, most specific first. */

/* Whether a rule is a provider's own statement that its code names no
 * reason: a definite rule scoped to one provider whose reason is
 * "undefined".  Sisimai's per-host table for Orange and La Poste
 * (v5.1.0 lib/Sisimai/Rhost/FrancePTT.pm, get()) answers "undefined" for
 * the codes it lists without a reason and for those it does not list, and
 * Sisimai keeps that answer: lib/Sisimai/Fact.pm, rise(), asks its reason
 * classes (Reason.pm, get()) only when the per-host answer is empty. */
static gboolean
rule_is_provider_undefined (BounceEntry *rule)
{
  return rule != NULL && bounce_entry_get_strength (rule) == BOUNCE_RULE_DEFINITE &&
         bounce_entry_get_provider (rule) != NULL &&
         g_strcmp0 (bounce_entry_get_reason (rule), "undefined") == 0;
}

BounceEntry *
bounce_rules_first_with_reason (GPtrArray *rules)
{
  /* Rules that only explain ("undefined") do not decide, unless a
   * provider's own rule says its code names no reason. */
  for (guint i = 0; rules != NULL && i < rules->len; i++)
    {
      const char *reason = bounce_entry_get_reason (rules->pdata[i]);

      if (reason != NULL && (!g_str_equal (reason, "undefined") || rule_is_provider_undefined (rules->pdata[i])))
        return rules->pdata[i];
    }
  return NULL;
}

static gboolean
rule_is_weak (BounceEntry *rule)
{
  return rule != NULL && bounce_entry_get_strength (rule) == BOUNCE_RULE_WEAK;
}

/* A provider's own statement ("This user doesn't have a yahoo.com
 * account") means what it says at any stage; generic wording (which any
 * site may send at any stage) and code-derived reasons are refined by the
 * SMTP stage. */
static gboolean
rule_is_generic (BounceEntry *rule)
{
  return rule == NULL || bounce_entry_get_strength (rule) != BOUNCE_RULE_DEFINITE;
}

/* Whether the server that refused is one whose table Sisimai reads for
 * this provider's words: Sisimai reads a provider's table only for the
 * servers its Rhost dispatch names (v5.1.0 lib/Sisimai/Rhost.pm: YahooInc
 * for *.yahoodns.net, not for Yahoo's older mx.mail.yahoo.com), and the
 * words of any other server by its reason modules, as generic wording is
 * read (Reason/Filtered.pm true(): "user unknown" words at any command but
 * RCPT TO are a filter's).  So a provider's own statement, from a server
 * known to be that provider's (its host, its words), keeps its meaning at
 * any stage only if Sisimai has a table for that server's provider (or
 * for one it is part of: Yahoo's inbound servers, "yahoo-mx", are
 * Yahoo's).  Where no server is known, or in a pasted fragment that names
 * no remote server, which may have left out the host that selects a
 * table, the question stays open, and the words keep their meaning.  A
 * fragment that names the server that refused ("host d.mx.mail.yahoo.com
 * said:", the human part of a Postfix report) has left out no other: a
 * report's human part and its delivery-status part name the same remote
 * server (RFC 3464 section 2.3.5, Remote-MTA, is "the MTA that reported
 * the delivery status"; Postfix's bounce(5) text names that host), which
 * is the rhost Sisimai's dispatch reads. */
static gboolean
server_has_table_for (const BounceJudgement *j,
                      const char            *provider)
{
  const char *server = j->ev->provider;
  BounceEntry *entry;

  /* (a pasted fragment that names no remote server may have left out the
   * host that selects a table) */
  if (server == NULL || (j->ctx->message == NULL && j->ev->remote_host == NULL))
    return TRUE;
  if (!bounce_catalogue_provider_has_sisimai_table (j->ctx->catalogue, server))
    return FALSE;
  if (g_strcmp0 (server, provider) == 0)
    return TRUE;
  entry = bounce_catalogue_find_provider (j->ctx->catalogue, server);
  return entry != NULL && g_strcmp0 (bounce_entry_get_within (entry), provider) == 0;
}

/* A provider's own statement keeps its meaning (rule_is_generic() above)
 * only where the provider is known as the server that refused (its host's
 * name, its words, the recipient's domain), as Sisimai reads a
 * provider's table only for a remote host or a destination that selects it
 * (v5.1.0 lib/Sisimai/Fact.pm calls Sisimai::Rhost->find(), which picks a
 * table from the rhost or the recipient's domain).  A provider known only
 * as the sender of the bounce (an old Yahoo! bounce from sbcglobal.net
 * whose refusal names no host) has its words read as generic wording is,
 * by the reason modules (Reason/Filtered.pm true(): "user unknown" words
 * at no SMTP command are a filter's). */
static gboolean
rule_is_refined_by_stage (const BounceJudgement *j)
{
  BounceEntry *rule = j->rule;
  const char *provider = rule != NULL ? bounce_entry_get_provider (rule) : NULL;

  return rule_is_generic (rule) ||
         (provider != NULL && (j->ev->provider_of_bounce || !server_has_table_for (j, provider)));
}

static gboolean
is_reason (const char *reason,
           const char *name)
{
  return g_strcmp0 (reason, name) == 0;
}

static gboolean
is_action (BounceFact *fact,
           const char *action)
{
  return g_strcmp0 (fact->action, action) == 0;
}

/* ------------------------------------------------------------------ */
/* Which rules explain the evidence                                    */

/* The server's own reply (Diagnostic-Code) first; the human text around
 * it only when the reply says nothing the catalogue knows, since that text
 * often carries boilerplate ("we also stop infected mail...").  A layout's
 * line for the recipient is the same kind of text.  A Diagnostic-Code no
 * rule knows, with a precise Status, is better explained by the Status,
 * and the notification's prose does not overrule it either: Sisimai reads
 * such a report by its fields (a delay warning of Postfix, which its
 * Lhost::Postfix does not take, goes to its RFC 3464 reader, and
 * Reason.pm anotherone() names the status: "454 4.4.4 ... no MX or A for
 * domain" is a network error, whatever "could not be delivered for 3
 * days" the warning's text says; v5.0.3p2, commit
 * a7bcddac15d84d4310e0a7d347482772526f3f4d).  A lone recipient whose own
 * text matches nothing takes a rule from the whole notification, and so do
 * recipients listed under one explanation for all of them (none with a
 * reply or status of its own). */
static GPtrArray *
match_rules (BounceJudgement *j)
{
  BounceMessageContext *ctx = j->ctx;
  BounceFact *fact = j->fact;
  gboolean has_reply = fact->reply != NULL && *fact->reply != '\0';
  GPtrArray *rules = NULL;
  gboolean status_explains = FALSE;

  if (has_reply || fact->said != NULL)
    {
      rules = bounce_catalogue_match_rules (ctx->catalogue, j->ev->diagnostic, j->ev->provider);
      j->rule = bounce_rules_first_with_reason (rules);
      if (j->rule == NULL)
        g_clear_pointer (&rules, g_ptr_array_unref);
    }
  if (rules == NULL && has_reply && bounce_status_is_specific (fact->status))
    {
      rules = g_ptr_array_new ();
      status_explains = TRUE;
    }
  if (rules == NULL)
    {
      rules = bounce_catalogue_match_rules (ctx->catalogue, j->ev->context->str, j->ev->provider);
      j->rule = bounce_rules_first_with_reason (rules);
    }
  if (j->rule == NULL && !status_explains && (ctx->n_recipients <= 1 || ctx->one_explanation) &&
      ctx->notification->len > 0)
    {
      g_autoptr(GPtrArray) wide = bounce_catalogue_match_rules (ctx->catalogue, ctx->notification->str,
                                                                j->ev->provider);

      j->rule = bounce_rules_first_with_reason (wide);
      if (j->rule != NULL)
        g_ptr_array_add (rules, j->rule);
      /* a phrases entry is explained by the first rule that agrees */
      for (guint i = 0; j->rule != NULL && bounce_entry_get_kind (j->rule) == BOUNCE_ENTRY_PHRASES &&
                        i < wide->len; i++)
        if (bounce_entry_get_kind (wide->pdata[i]) != BOUNCE_ENTRY_PHRASES &&
            g_strcmp0 (bounce_entry_get_reason (wide->pdata[i]), bounce_entry_get_reason (j->rule)) == 0)
          {
            g_ptr_array_add (rules, wide->pdata[i]);
            break;
          }
    }
  return rules;
}

/* ------------------------------------------------------------------ */
/* The reason                                                           */

/* The condition the enhanced status code names.  The codes RFC 3463 and
 * its successors define for positive reports (X.1.5 "destination address
 * valid", X.6.4 "conversion with loss performed", RFC 3886's X.1.9 "relayed
 * to non-compliant mailer", RFC 6710's X.3.6 "priority changed") name a
 * delivery only in class 2: in a 4 or 5 failure they say nothing of why it
 * failed, and the reply code and the words have to. */
static const char *
reason_of_status (const BounceJudgement *j)
{
  const char *reason = j->status_entry ? bounce_entry_get_reason (j->status_entry) : NULL;

  const char *status = j->ev->status;

  if (is_reason (reason, "delivered") && (status == NULL || status[0] != '2'))
    return NULL;
  /* Sisimai's table names no temporary code of detail 0 in the address,
   * mailbox, system, network or protocol subjects (lib/Sisimai/SMTP/Status.pm,
   * v5.1.0: 4.3.0, 4.4.0 and 4.5.0 are commented out, 4.1.0 and 4.2.0
   * absent), where their permanent twins have names: "451 4.3.0 ... try
   * again later" names no condition. */
  if (status != NULL && status[0] == '4' && strlen (status) == 5 && status[4] == '0' &&
      status[2] >= '1' && status[2] <= '5')
    return NULL;
  return reason;
}

/* The first reading: the best rule, unless it is weak wording and a
 * precise status says more ("Recipient address rejected: <anything>" says
 * less than 5.7.26); else the status's reason, else the reply code's. */
const char *
bounce_judge_first_reason (const BounceJudgement *j)
{
  const char *status_reason = reason_of_status (j);

  if (j->delivered)
    return "delivered";
  if (j->rule != NULL && status_reason != NULL && rule_is_weak (j->rule) &&
      bounce_status_is_specific (j->ev->status))
    return status_reason;
  if (j->rule != NULL)
    return bounce_entry_get_reason (j->rule);
  if (status_reason != NULL && !bounce_status_is_generic (j->ev->status))
    return status_reason;
  if (j->reply_entry != NULL && bounce_entry_get_reason (j->reply_entry) != NULL)
    return bounce_entry_get_reason (j->reply_entry);
  return NULL;
}

/* The order in which Sisimai asks whether a bounce is of a kind, where
 * the status alone may answer (lib/Sisimai/Reason.pm, get(), its first
 * order of classes); every other reason is asked about after these. */
static const char * const sisimai_first_order[] = {
  "mailboxfull", "mesgtoobig", "exceedlimit", "suspend", "hasmoved", "norelaying", "authfailure",
  "userunknown", "filtered", "requireptr", "notcompliantrfc", "rejected", "hostunknown", "spamdetected",
  "speeding", "toomanyconn", "blocked",
};

static guint sisimai_order_of (const char *reason);
static gboolean sisimai_words_name (const BounceJudgement *j,
                                    const char            *reason);
static gboolean phrase_names_reason (const BounceJudgement *j,
                                     const char            *reason);

/* The reasons Sisimai decides again when a server's layout gave one
 * (lib/Sisimai/Reason.pm, retry(), v5.0.3p2 commit
 * a7bcddac15d84d4310e0a7d347482772526f3f4d, the last stored before v5.1.0;
 * 5.3.0 no longer lists suspend). */
static gboolean
sisimai_asks_again (const char *reason)
{
  static const char * const again[] = {
    "undefined", "onhold", "systemerror", "securityerror", "expired", "suspend", "networkerror",
    "hostunknown", "userunknown",
  };

  for (guint i = 0; i < G_N_ELEMENTS (again); i++)
    if (is_reason (reason, again[i]))
      return TRUE;
  return FALSE;
}

/* Whether the true() of Sisimai's class for reason r (one of its first
 * order) answers yes for a bounce whose layout stated another reason:
 * for r's words in the text (a phrase list naming r among the rules that
 * match), or for a status whose name is r where its true() takes the
 * status alone.  Read from Sisimai 5.3.0 lib/Sisimai/Reason/<Class>.pm true()
 * (Debian libsisimai-perl 5.3.0-1): Suspend and HasMoved, NotCompliantRFC
 * and Speeding take no status; NoRelaying says no after a reason of
 * securityerror, systemerror or undefined, or at the connection;
 * SpamDetected says no before DATA; MesgTooBig says no for 5.2.3 (RFC
 * 3463's per-mailbox limit); HostUnknown says no for a status it names
 * (5.1.2, 5.4.4) when the words are a network error's, and then reads no
 * words of its own (its true() at commit
 * b733d728c0c24d2a537ae426aa2b6bc8bf915de1, of the v5.1.0 era, and in
 * 5.3.0 alike).  UserUnknown, Filtered and Rejected weigh
 * the SMTP command and the status together, which the refinements after
 * this one do, so they are not asked here. */
static gboolean
sisimai_class_says_yes (const BounceJudgement *j,
                        const char            *r,
                        const char            *stated)
{
  const char *named = reason_of_status (j);
  gboolean by_status;

  if (is_reason (r, "userunknown") || is_reason (r, "filtered") || is_reason (r, "rejected"))
    return FALSE;
  if (is_reason (r, "norelaying") &&
      (is_reason (stated, "securityerror") || is_reason (stated, "systemerror") ||
       is_reason (stated, "undefined") || j->stage == BOUNCE_SMTP_COMMAND_CONNECT))
    return FALSE;
  if (is_reason (r, "spamdetected") &&
      (j->stage == BOUNCE_SMTP_COMMAND_CONNECT || j->stage == BOUNCE_SMTP_COMMAND_MAIL ||
       j->stage == BOUNCE_SMTP_COMMAND_RCPT))
    return FALSE;
  if (is_reason (r, "mesgtoobig") && j->ev->status != NULL && g_str_has_suffix (j->ev->status, ".2.3"))
    return FALSE;
  by_status = is_reason (named, r) && !is_reason (r, "suspend") && !is_reason (r, "hasmoved") &&
              !is_reason (r, "notcompliantrfc") && !is_reason (r, "speeding") && !is_reason (r, "norelaying");
  /* (a status named hostunknown with words of a network error is no
   * unknown host, whatever other words say) */
  if (is_reason (r, "hostunknown") && is_reason (named, r) && sisimai_words_name (j, "networkerror"))
    return FALSE;
  return by_status || phrase_names_reason (j, r);
}

/* The reporting server's own fixed sentence for a condition (qmail's
 * "Sorry, no mailbox here by that name") names it exactly.  But a
 * layout's reason that Sisimai asks about again (sisimai_asks_again())
 * gives way to a reason of its first order whose class says yes
 * (sisimai_class_says_yes()), tried in that order and before the layout's
 * own reason if that is in the order too: Fact.pm rise() calls Reason.pm
 * get() for such a reason, which tries the true() of each class of its
 * first order and keeps the layout's reason only when none says yes,
 * through anotherone().  So Gmail's "did not accept our requests to
 * connect" (expired, Lhost/Gmail.pm) with "Connection dropped" after it
 * is blocked (Reason/Blocked.pm).  Sisimai 5.3.0 lib/Sisimai/Fact.pm and
 * Reason.pm (Debian libsisimai-perl 5.3.0-1); the same flow in Reason.pm
 * get() at v5.0.3p2, commit a7bcddac15d84d4310e0a7d347482772526f3f4d. */
static const char *
layout_states_reason (const BounceJudgement *j,
                      const char            *reason)
{
  const char *stated = j->fact->reason;
  guint own;

  if (stated == NULL)
    return reason;
  if (!sisimai_asks_again (stated))
    return stated;
  own = sisimai_order_of (stated);
  for (guint i = 0; i < own; i++)
    if (sisimai_class_says_yes (j, sisimai_first_order[i], stated))
      return sisimai_first_order[i];
  return stated;
}

/* Whether a precise status may outweigh the reason read so far: generic
 * words of a catalogue rule decided it, not a provider's own (definite)
 * rule, whose meaning Sisimai's per-host tables give first, nor a layout's
 * own statement of the reason. */
static gboolean
status_may_outweigh (const BounceJudgement *j,
                     const char            *reason)
{
  return reason != NULL && j->rule != NULL && rule_is_generic (j->rule) && j->fact->reason == NULL &&
         j->ev->status != NULL;
}

/* Whether other words may outweigh the reason read so far, when there is
 * no status to weigh: as status_may_outweigh() asks, bar the status. */
static gboolean
words_may_give_way (const BounceJudgement *j,
                    const char            *reason)
{
  return reason != NULL && j->rule != NULL && rule_is_generic (j->rule) && j->fact->reason == NULL;
}

/* The statuses Sisimai's table names userunknown: 5.1.0, 5.1.1 and 5.1.3,
 * no temporary one (lib/Sisimai/SMTP/Status.pm, read at commit
 * 04d26310d21194352e8bc1aab105495e4e1072ac). */
static gboolean
status_names_unknown_mailbox (const char *status)
{
  return status != NULL &&
         (g_str_equal (status, "5.1.0") || g_str_equal (status, "5.1.1") || g_str_equal (status, "5.1.3"));
}

/* A permanent status that names an unknown mailbox (5.1.0, 5.1.1, 5.1.3)
 * outweighs generic wording of most other kinds.  Sisimai asks whether
 * the mailbox is unknown (lib/Sisimai/Reason/UserUnknown.pm, true())
 * before it asks whether the message was filtered, spam, a policy or
 * security refusal, a missing PTR record, too many connections or a
 * system error (the order of classes in Reason.pm, get()), and such a
 * status settles it, unless the words say what it asks about first (a
 * full mailbox, a message too big, a suspended or moved mailbox, relaying
 * or authentication refused) or what UserUnknown.pm lets speak instead (a
 * blocked host, a refused sender, a server that takes no mail).  A
 * provider's own sentence still means what it says, as Sisimai's per-host
 * rules (Rhost.pm) come before all of this. */
static const char *
unknown_user_by_status (const BounceJudgement *j,
                        const char            *reason)
{
  static const char * const outweighing[] = {
    "userunknown", "mailboxfull", "mesgtoobig", "exceedlimit", "suspend", "hasmoved", "norelaying",
    "authfailure", "blocked", "notaccept", "rejected",
  };
  const char *status = j->ev->status;

  if (!status_may_outweigh (j, reason) || !status_names_unknown_mailbox (status))
    return reason;
  for (gsize i = 0; i < G_N_ELEMENTS (outweighing); i++)
    if (is_reason (reason, outweighing[i]))
      return reason;
  return "userunknown";
}

/* A status that names a full mailbox (X.2.2), a per-mailbox size limit
 * (X.2.3) or a message too big (X.3.4, X.7.16) says so whatever generic
 * words come with it ("552 5.2.2 Too many messages"): these are the
 * first conditions Sisimai asks about, and their checks accept the status
 * alone (lib/Sisimai/Reason.pm, get(), its first order of classes;
 * Reason/MailboxFull.pm, MesgTooBig.pm and ExceedLimit.pm, true()).  Only
 * the words of a full mailbox, asked about first, outweigh the two size
 * statuses. */
static const char *
quota_or_size_by_status (const BounceJudgement *j,
                         const char            *reason)
{
  const char *named = reason_of_status (j);

  if (!status_may_outweigh (j, reason) || is_reason (reason, named))
    return reason;
  if (is_reason (named, "mailboxfull"))
    return "mailboxfull";
  if ((is_reason (named, "exceedlimit") || is_reason (named, "mesgtoobig")) && !is_reason (reason, "mailboxfull"))
    return named;
  return reason;
}

/* Where a reason comes in sisimai_first_order[]; after all of them for
 * any other reason. */
static guint
sisimai_order_of (const char *reason)
{
  for (guint i = 0; i < G_N_ELEMENTS (sisimai_first_order); i++)
    if (is_reason (reason, sisimai_first_order[i]))
      return i;
  return G_N_ELEMENTS (sisimai_first_order);
}

/* A status that names a refused sender (X.1.7, X.1.8), a domain that does
 * not exist (5.1.2) or too many recipients (5.5.3) settles the reason
 * against generic words of a kind Sisimai asks about later ("553 5.1.8
 * Message rejected as spam" is a refused sender): its checks for these
 * accept the status alone (Reason/Rejected.pm, HostUnknown.pm and
 * TooManyConn.pm, true()), and HostUnknown.pm lets only the words of a
 * network error speak against a 5.1.2. */
static const char *
status_before_later_words (const BounceJudgement *j,
                           const char            *reason)
{
  const char *status = j->ev->status;
  const char *named = NULL;

  if (!status_may_outweigh (j, reason) || strlen (status) < 5)
    return reason;
  if (g_str_equal (status + 1, ".1.7") || g_str_equal (status + 1, ".1.8"))
    named = "rejected";
  else if (g_str_equal (status, "5.1.2") && !is_reason (reason, "networkerror"))
    named = "hostunknown";
  else if (g_str_equal (status, "5.5.3"))
    named = "toomanyconn";
  if (named != NULL && sisimai_order_of (reason) > sisimai_order_of (named))
    return named;
  return reason;
}

/* The statuses whose name in Sisimai's table is a reason it does not ask
 * about again (lib/Sisimai/SMTP/Status.pm, StandardCode, in Sisimai 5.3.0,
 * Debian libsisimai-perl 5.3.0-1; the entries below for X.2.0, X.2.1,
 * X.2.4, 5.1.4, X.3.1, X.3.2, 5.5.x and X.6.x stand the same in the
 * v4-era tables before it), with that name. */
static const struct
{
  const char *status;
  const char *reason;
} sisimai_named_statuses[] = {
  { "4.1.6", "hasmoved" },       { "4.1.7", "rejected" },      { "4.1.8", "rejected" },
  { "4.2.2", "mailboxfull" },    { "4.2.3", "exceedlimit" },   { "4.2.4", "filtered" },
  { "4.3.1", "systemfull" },     { "4.3.2", "notaccept" },     { "4.4.5", "systemfull" },
  { "4.6.0", "contenterror" },   { "4.6.2", "contenterror" },  { "4.6.5", "contenterror" },
  { "4.7.16", "mesgtoobig" },    { "4.7.24", "authfailure" },  { "4.7.25", "requireptr" },
  { "4.7.26", "authfailure" },   { "5.1.4", "filtered" },      { "5.1.6", "hasmoved" },
  { "5.1.7", "rejected" },       { "5.1.8", "rejected" },      { "5.2.0", "filtered" },
  { "5.2.1", "filtered" },       { "5.2.2", "mailboxfull" },   { "5.2.3", "exceedlimit" },
  { "5.2.4", "filtered" },       { "5.3.1", "systemfull" },    { "5.3.2", "notaccept" },
  { "5.3.4", "mesgtoobig" },     { "5.5.2", "syntaxerror" },   { "5.5.3", "toomanyconn" },
  { "5.5.6", "syntaxerror" },    { "5.6.0", "contenterror" },  { "5.6.1", "contenterror" },
  { "5.6.2", "contenterror" },   { "5.6.3", "contenterror" },  { "5.6.5", "contenterror" },
  { "5.6.6", "contenterror" },   { "5.6.7", "contenterror" },  { "5.6.8", "contenterror" },
  { "5.6.9", "contenterror" },   { "5.7.16", "mesgtoobig" },   { "5.7.17", "hasmoved" },
  { "5.7.18", "hasmoved" },      { "5.7.20", "authfailure" },  { "5.7.21", "authfailure" },
  { "5.7.22", "authfailure" },   { "5.7.23", "authfailure" },  { "5.7.24", "authfailure" },
  { "5.7.25", "requireptr" },    { "5.7.26", "authfailure" },  { "5.7.29", "authfailure" },
};

/* The reason sisimai_named_statuses[] gives status, or NULL. */
static const char *
sisimai_name_of_status (const char *status)
{
  for (gsize i = 0; status != NULL && i < G_N_ELEMENTS (sisimai_named_statuses); i++)
    if (g_str_equal (status, sisimai_named_statuses[i].status))
      return sisimai_named_statuses[i].reason;
  return NULL;
}

/* A status that Sisimai's table names a reason it does not ask about again
 * (sisimai_named_statuses[]: "550 5.2.0 Mail refused by policy" is
 * filtered) settles the reason against generic words of a kind it only
 * looks for once the status has not (a policy refusal, a virus, a system
 * or network error, a full disk, content, a mailer's exit): Reason.pm
 * find() first asks the true() of each class of its first order, whose
 * words or status may answer, and when none does, anotherone() keeps the
 * status's name and tries the words of its second order (PolicyViolation,
 * VirusDetected, SystemError, ...) only for a status it has no name for
 * or one it asks about again (retry()).  Sisimai 5.3.0 lib/Sisimai/Reason.pm
 * (Debian libsisimai-perl 5.3.0-1); the same flow in get() and
 * anotherone() at v5.0.3p2, commit a7bcddac15d84d4310e0a7d347482772526f3f4d,
 * and in the v4-era Reason.pm stored at 04df8f3b0e2d509ebf137958cad5186abc193239.
 * Our table's name for the status must be Sisimai's. */
static const char *
status_name_before_second_order_words (const BounceJudgement *j,
                                       const char            *reason)
{
  const char *named = reason_of_status (j);

  if (!status_may_outweigh (j, reason) || named == NULL || is_reason (reason, named) ||
      sisimai_order_of (reason) < G_N_ELEMENTS (sisimai_first_order) ||
      !is_reason (named, sisimai_name_of_status (j->ev->status)))
    return reason;
  for (gsize i = 0; i < G_N_ELEMENTS (sisimai_first_order); i++)
    if (sisimai_class_says_yes (j, sisimai_first_order[i], reason))
      return sisimai_first_order[i];
  return named;
}

/* Whether an entry's source is the part of Sisimai's library at path
 * ("/lib/Sisimai/MDA.pm", or a directory). */
static gboolean
is_from_sisimai (BounceEntry *e,
                 const char  *path)
{
  const char *source = bounce_entry_get_source_url (e);

  return source != NULL && strstr (source, path) != NULL;
}

/* Whether an entry holds the words of one of Sisimai's reason modules
 * (its lib/Sisimai/Reason directory): the words its checks ask about. */
static gboolean
is_sisimai_reason_wording (BounceEntry *e)
{
  return is_from_sisimai (e, "/lib/Sisimai/Reason/");
}

/* Whether a rule that matched holds the words with which one of Sisimai's
 * reason modules names reason. */
static gboolean
sisimai_words_name (const BounceJudgement *j,
                    const char            *reason)
{
  for (guint i = 0; j->rules != NULL && i < j->rules->len; i++)
    if (is_reason (bounce_entry_get_reason (j->rules->pdata[i]), reason) &&
        is_sisimai_reason_wording (j->rules->pdata[i]))
      return TRUE;
  return FALSE;
}

/* When the words of a refused sender do not decide, Sisimai goes on down
 * the first order of its classes (lib/Sisimai/Reason.pm, get(): after
 * Rejected come HostUnknown, SpamDetected, Speeding, TooManyConn and
 * Blocked, each true() by its status's name or by its own words) before it
 * falls back on the status's name (anotherone()).  So a refusal after DATA
 * with an unknown-mailbox status whose reply also holds the words of one
 * of those classes ("550 Sender verify failed ... The account or domain
 * may not exist", 5.1.1) is of that class (Reason/HostUnknown.pm, true():
 * with a status not named hostunknown, its words decide); read in the
 * library at v5.0.3p2, commit a7bcddac15d84d4310e0a7d347482772526f3f4d,
 * the last stored before v5.1.0.  Spam words count only where
 * SpamDetected.pm lets them: not before the message was sent. */
static const char *
after_refused_sender (const BounceJudgement *j,
                      const char            *named)
{
  static const char * const later[] = { "hostunknown", "spamdetected", "speeding", "toomanyconn", "blocked" };
  BounceSmtpCommand stage = j->stage;
  gboolean before_message = stage == BOUNCE_SMTP_COMMAND_CONNECT || stage == BOUNCE_SMTP_COMMAND_MAIL ||
                            stage == BOUNCE_SMTP_COMMAND_RCPT;

  for (gsize k = 0; k < G_N_ELEMENTS (later); k++)
    {
      if (is_reason (named, later[k]))
        return named;
      if (is_reason (later[k], "spamdetected") && before_message)
        continue;
      if (sisimai_words_name (j, later[k]))
        return later[k];
    }
  return named;
}

/* Words that name a refused sender ("Sender address rejected: ...") say
 * why only as the answer to MAIL FROM, after DATA (unless the status
 * names an unknown mailbox), or where the status names nothing more exact
 * (a security or system error, or no condition at all): at RCPT TO, or
 * where no command is known, a status that names another condition says
 * it ("451 4.7.1 Sender address rejected: ..." is a block, "550 5.1.1" an
 * unknown mailbox).  Sisimai asks so (v5.1.0 lib/Sisimai/Reason/Rejected.pm,
 * true(): the words count at MAIL, at DATA unless the status is
 * userunknown, or with a status named onhold, undefined, securityerror or
 * systemerror; otherwise the status's name is the reason).  A code of
 * detail 0 ("550 5.1.0 <...> sender rejected") only says which subject the
 * words are about, and the words say it better: there we keep them, where
 * Sisimai reads 5.1.0 as an unknown mailbox. */
static const char *
rejected_words_against_status (const BounceJudgement *j,
                               const char            *reason)
{
  static const char * const says_less[] = {
    "rejected", "onhold", "undefined", "securityerror", "systemerror", "syntaxerror",
  };
  const char *named = reason_of_status (j);

  if (!is_reason (reason, "rejected") || !status_may_outweigh (j, reason) || named == NULL ||
      g_str_has_suffix (j->ev->status, ".0") || j->stage == BOUNCE_SMTP_COMMAND_MAIL ||
      (j->stage == BOUNCE_SMTP_COMMAND_DATA && !is_reason (named, "userunknown")))
    return reason;
  for (gsize i = 0; i < G_N_ELEMENTS (says_less); i++)
    if (is_reason (named, says_less[i]))
      return reason;
  return after_refused_sender (j, named);
}

/* Spam is found in a message, so words of a spam refusal given before the
 * message was sent (at the greeting, MAIL FROM or RCPT TO) are not the
 * reason when something else speaks: a status that names a condition of
 * its own ("451 4.7.1 ... spam" is a block, "550 5.2.0 ... spam" a
 * filter), or words of a block, too many connections or too fast a rate.
 * Sisimai asks so (v5.1.0 lib/Sisimai/Reason/SpamDetected.pm, true(): no
 * spam at CONN, EHLO, HELO, MAIL or RCPT, unless the status says spam; the
 * checks after it in Reason.pm get(), Speeding, TooManyConn and Blocked,
 * by their status or their own words, then anotherone(), which keeps the
 * status's name unless that is one of those it asks again about, retry(),
 * and otherwise finds the spam words).  A syntax error is asked about
 * again here too: our table gives that name to codes Sisimai's leaves
 * unnamed or calls a system error. */
static const char *
spam_before_data (const BounceJudgement *j,
                  const char            *reason)
{
  static const char * const asked_again[] = {
    "spamdetected", "undefined", "onhold", "systemerror", "securityerror", "expired", "suspend",
    "networkerror", "hostunknown", "userunknown", "syntaxerror",
  };
  static const char * const later[] = { "speeding", "toomanyconn", "blocked" };
  const char *named = reason_of_status (j);
  BounceSmtpCommand stage = j->stage;
  gboolean named_counts = named != NULL && !bounce_status_is_generic (j->ev->status);

  /* (with no status at all, as a pasted fragment often has none, the
   * words of the later checks still speak: SpamDetected.pm's true() turns
   * spam words away before DATA whatever the status) */
  if (!is_reason (reason, "spamdetected") ||
      (j->ev->status != NULL ? !status_may_outweigh (j, reason) : !words_may_give_way (j, reason)) ||
      (stage != BOUNCE_SMTP_COMMAND_CONNECT && stage != BOUNCE_SMTP_COMMAND_MAIL &&
       stage != BOUNCE_SMTP_COMMAND_RCPT))
    return reason;
  for (gsize i = 0; named_counts && i < G_N_ELEMENTS (asked_again); i++)
    if (is_reason (named, asked_again[i]))
      named_counts = FALSE;
  for (gsize k = 0; k < G_N_ELEMENTS (later); k++)
    {
      if (named_counts && is_reason (named, later[k]))
        return later[k];
      if (sisimai_words_name (j, later[k]))
        return later[k];
    }
  return named_counts ? named : reason;
}

/* Words that only ask to try again later ("please try again later",
 * "temporarily deferred") name no condition: a status that names one says
 * it ("451 4.7.1 Please try again later" is a block, 5.7.1 a security
 * error).  Sisimai has no words for "on hold": its checks (v5.1.0
 * lib/Sisimai/Reason.pm, get() and anotherone()) name a reason from the
 * status whenever its table does (SMTP/Status.pm, name()), and "onhold"
 * is only what is left when nothing named one, before a delay's
 * "expired".  Only weak words give way so: greylisting and address
 * verification in progress are causes of their own that a user can act
 * on, whatever the code.  Nor do the temporary address codes 4.1.0 to
 * 4.1.5, which that table leaves unnamed and ours names. */
static const char *
status_over_words_naming_nothing (const BounceJudgement *j,
                                  const char            *reason)
{
  const char *named = reason_of_status (j);
  const char *status = j->ev->status;

  if (!is_reason (reason, "onhold") || !rule_is_weak (j->rule) || !status_may_outweigh (j, reason) ||
      named == NULL || bounce_status_is_generic (status) || is_reason (named, "onhold") ||
      is_reason (named, "undefined") ||
      (g_str_has_prefix (status, "4.1.") && strlen (status) == 5 && status[4] <= '5'))
    return reason;
  return named;
}

/* Once the sender has given up, a condition may have a different name
 * ("connection timed out" for days is an expiry). */
static const char *
final_name_once_given_up (const BounceJudgement *j,
                          const char            *reason)
{
  if (j->rule != NULL && reason == bounce_entry_get_reason (j->rule) &&
      bounce_entry_get_final_reason (j->rule) != NULL && !j->ctx->delay_notice &&
      !is_action (j->fact, "delayed"))
    return bounce_entry_get_final_reason (j->rule);
  return reason;
}

/* A DSN action "expired" (RFC 3464 allows extensions) with nothing more
 * specific than a network error. */
static const char *
expired_action (const BounceJudgement *j,
                const char            *reason)
{
  if (is_action (j->fact, "expired") && (reason == NULL || is_reason (reason, "networkerror")))
    return "expired";
  return reason;
}

/* Whether a phrase list (the literal words servers write for one reason,
 * such as Sisimai's reason tables) names this reason among the rules that
 * explain the evidence. */
static gboolean
phrase_names_reason (const BounceJudgement *j,
                     const char            *reason)
{
  for (guint i = 0; j->rules != NULL && i < j->rules->len; i++)
    {
      BounceEntry *e = j->rules->pdata[i];

      if (bounce_entry_get_kind (e) == BOUNCE_ENTRY_PHRASES &&
          is_reason (bounce_entry_get_reason (e), reason))
        return TRUE;
    }
  return FALSE;
}

/* A delay warning reports a delivery whose time is running out: when all
 * it has to say is that the network or the server is failing, that is the
 * condition, not the cause.  Sisimai reads a delay the same way
 * (lib/Sisimai/Reason.pm, anotherone(): an "Action: delayed" whose text
 * names no reason is "expired"), but a delay whose text is one of the
 * phrases of a reason's own table keeps that reason: "connect to
 * mx[192.0.2.2]:25: No route to host" is a network error
 * (lib/Sisimai/Reason/NetworkError.pm), where "Connection timed out" is an
 * expiry (Reason/Expired.pm) and "Connection refused" names nothing.
 * Nor is the failure only the delay when the status names it precisely
 * (4.4.2 "bad connection", 4.4.4 "unable to route", 4.3.5 "system
 * incorrectly configured"): Sisimai turns a delay into "expired" only when
 * its status has no name of its own (Reason.pm, anotherone()), and the
 * codes that say no more than the delay, 4.4.0 (undefined network status)
 * and 4.4.1 (no answer from host, which its SMTP/Status.pm names an
 * expiry), are no such name. */
static gboolean
status_names_failure (const BounceJudgement *j)
{
  const char *status = j->ev->status;
  const char *named = reason_of_status (j);
  g_auto(GStrv) parts = status != NULL ? g_strsplit (status, ".", 3) : NULL;

  if (parts == NULL || g_strv_length (parts) != 3 || g_str_equal (parts[2], "0") ||
      (g_str_equal (parts[1], "4") && g_str_equal (parts[2], "1")))
    return FALSE;
  return is_reason (named, "networkerror") || is_reason (named, "systemerror");
}

static const char *
delay_of_failing_network (const BounceJudgement *j,
                          const char            *reason)
{
  if (is_action (j->fact, "delayed") && j->fact->reason == NULL &&
      (reason == NULL || is_reason (reason, "onhold") ||
       ((is_reason (reason, "networkerror") || is_reason (reason, "systemerror")) &&
        !phrase_names_reason (j, reason) && !status_names_failure (j))))
    return "expired";
  return reason;
}

/* Where "user unknown" is no answer to RCPT TO, Sisimai calls it a filter's
 * only when its own words of an unknown user are there
 * (Reason/Filtered.pm true() asks UserUnknown->match()); words it does not
 * know ("551 not our customer", from BounceParser's table) leave it to
 * the status's name when the status names a condition (Reason.pm,
 * anotherone(): 5.1.6, hasmoved).  Returns that name, else "filtered". */
static const char *
filter_or_status (const BounceJudgement *j)
{
  const char *named = reason_of_status (j);

  if (named == NULL || is_reason (named, "userunknown") || is_reason (named, "undefined") ||
      is_reason (named, "onhold") || g_str_has_suffix (j->ev->status, ".0"))
    return "filtered";
  return sisimai_words_name (j, "userunknown") ? "filtered" : named;
}

/* "User unknown" is only trustworthy as the answer to RCPT TO or with a
 * status that names an unknown mailbox (5.1.0, 5.1.1 and 5.1.3, those
 * Sisimai's SMTP/Status.pm names userunknown, no temporary one: read at commit
 * 04d26310d21194352e8bc1aab105495e4e1072ac; its UserUnknown.pm true() asks
 * for that name, not for the code); after DATA, or in a layout that shows
 * no command here (whether or not it ever shows one), it is usually a
 * filter speaking.  So is it in a whole message that names no command at
 * all, neither a layout of its own nor the report's fields: Sisimai
 * (v5.1.0 lib/Sisimai/Reason/UserUnknown.pm true() takes the wording as an
 * unknown user only with such a status or at RCPT; Reason/Filtered.pm
 * true() takes it as a filter's at any other command or none, whatever
 * the layout: Lhost::Postfix, for one, reads the X-Postfix type of its
 * local delivery as SMTP and finds no command, v5.0.3p2, commit
 * a7bcddac15d84d4310e0a7d347482772526f3f4d).  A pasted fragment is not
 * such a message: what it leaves out may well have named RCPT TO, or given
 * the x.1.1 status. */
static const char *
unknown_user_after_data (const BounceJudgement *j,
                         const char            *reason)
{
  const char *status = j->ev->status;
  BounceSmtpCommand stage = j->stage;
  const BounceFact *fact = j->fact;
  /* a layout shows no command here: in a whole message, whether or not it
   * ever shows one (a fragment may have left it out) */
  gboolean layout_names_none = fact->from_layout && fact->command == BOUNCE_SMTP_COMMAND_NONE &&
                               (!fact->command_unknown || j->ctx->message != NULL);
  /* a whole message read without a layout names none anywhere */
  gboolean message_names_none = !fact->from_layout && j->ctx->message != NULL &&
                                stage == BOUNCE_SMTP_COMMAND_NONE;

  if (is_reason (reason, "userunknown") && stage != BOUNCE_SMTP_COMMAND_RCPT &&
      stage != BOUNCE_SMTP_COMMAND_MAIL && stage != BOUNCE_SMTP_COMMAND_CONNECT &&
      !status_names_unknown_mailbox (status) &&
      (stage == BOUNCE_SMTP_COMMAND_DATA || layout_names_none || message_names_none))
    return filter_or_status (j);
  return reason;
}

/* Nor does "user unknown" outweigh a precise status that names another
 * condition (5.2.1 "mailbox disabled", 5.7.1 "refused by policy") unless
 * the refusal answered RCPT TO. */
static const char *
unknown_user_against_status (const BounceJudgement *j,
                             const char            *reason)
{
  const char *status = j->ev->status;
  const char *status_reason = reason_of_status (j);

  if (is_reason (reason, "userunknown") && j->stage != BOUNCE_SMTP_COMMAND_RCPT && status_reason != NULL &&
      !bounce_status_is_generic (status) && !g_str_has_suffix (status, ".0") &&
      !is_reason (status_reason, "userunknown") && !is_reason (status_reason, "undefined"))
    return filter_or_status (j);
  return reason;
}

/* At MAIL FROM every "unknown" or vague refusal is about the sender. */
static const char *
refusal_of_sender (const BounceJudgement *j,
                   const char            *reason)
{
  if (j->stage == BOUNCE_SMTP_COMMAND_MAIL &&
      (is_reason (reason, "userunknown") || is_reason (reason, "filtered") ||
       is_reason (reason, "hostunknown") || rule_is_weak (j->rule)))
    return "rejected";
  return reason;
}

/* Refused at the greeting or at HELO, before anything about the message
 * was said: the refusal is of the connecting server. */
static const char *
refusal_at_greeting (const BounceJudgement *j,
                     const char            *reason)
{
  if (j->stage == BOUNCE_SMTP_COMMAND_CONNECT && (j->rule == NULL || rule_is_weak (j->rule)) &&
      (is_reason (reason, "rejected") || is_reason (reason, "onhold") ||
       is_reason (reason, "systemerror") || is_reason (reason, "filtered")))
    return "blocked";
  return reason;
}

/* The same words mean different things at different SMTP stages: only
 * generic wording and code-derived reasons are refined by it, and only one
 * stage rule applies. */
static const char *
by_smtp_stage (const BounceJudgement *j,
               const char            *reason)
{
  static const BounceRefinementFunc stage_rules[] = {
    unknown_user_after_data, unknown_user_against_status, refusal_of_sender, refusal_at_greeting,
  };

  if (reason == NULL || !rule_is_refined_by_stage (j) || j->fact->reason != NULL)
    return reason;
  for (gsize i = 0; i < G_N_ELEMENTS (stage_rules); i++)
    {
      const char *refined = stage_rules[i] (j, reason);

      if (refined != reason)
        return refined;
    }
  return reason;
}

/* x.4.7 says it outright: the delivery time expired, whatever network or
 * system trouble came before (RFC 3463: "Delivery time expired"). */
static const char *
delivery_time_expired (const BounceJudgement *j,
                       const char            *reason)
{
  const char *status = j->ev->status;

  if (status != NULL && g_str_has_suffix (status, ".4.7") &&
      (reason == NULL || is_reason (reason, "systemerror") || is_reason (reason, "onhold")))
    return "expired";
  return reason;
}

/* Nothing named a condition: a failure with codes or words of its own is
 * on hold (the cause is not known), and nothing but the notification's
 * boilerplate ("I'm sorry to have to inform you ...") is undefined.  A
 * failure after temporary errors (Action "failed", a 4.x.x status) is no
 * exception: Sisimai calls a delivery "expired" only when its words, its
 * status (4.4.1, 4.4.7) or an Action "delayed" or "expired" say so
 * (lib/Sisimai/Reason.pm, get() and anotherone()), not for having been
 * given up; that it was given up is the recipient's outcome. */
static const char *
nothing_named (const BounceJudgement *j,
               const char            *reason)
{
  if (reason != NULL)
    return reason;
  return (j->ev->status != NULL || j->ev->reply != NULL ||
          (j->ev->diagnostic != NULL && !j->fact->whole_notification)) ? "onhold" : "undefined";
}

/* "Host not found" with a temporary code is a DNS lookup that failed for
 * now, not a domain that does not exist. */
static const char *
temporary_host_lookup (const BounceJudgement *j,
                       const char            *reason)
{
  const char *status = j->ev->status;

  if (is_reason (reason, "hostunknown") && status != NULL && status[0] == '4' &&
      !g_str_has_prefix (status, "4.1."))
    return "networkerror";
  return reason;
}

static const BounceRefinement refinements[] = {
  { "layout-states-reason", layout_states_reason },
  { "quota-or-size-by-status", quota_or_size_by_status },
  { "unknown-user-by-status", unknown_user_by_status },
  { "status-before-later-words", status_before_later_words },
  { "status-name-before-second-order-words", status_name_before_second_order_words },
  { "rejected-words-against-status", rejected_words_against_status },
  { "spam-before-data", spam_before_data },
  { "status-over-words-naming-nothing", status_over_words_naming_nothing },
  { "final-name-once-given-up", final_name_once_given_up },
  { "expired-action", expired_action },
  { "delay-of-failing-network", delay_of_failing_network },
  { "by-smtp-stage", by_smtp_stage },
  { "delivery-time-expired", delivery_time_expired },
  { "nothing-named", nothing_named },
  { "temporary-host-lookup", temporary_host_lookup },
  { NULL, NULL }
};

const BounceRefinement *
bounce_judge_refinements (void)
{
  return refinements;
}

/* A Diagnostic-Code of type X-Unix is the exit of a local delivery program,
 * and Sisimai reads it another way (lib/Sisimai/Reason.pm, get() and
 * anotherone(), v5.0.3p2 commit a7bcddac15d84d4310e0a7d347482772526f3f4d,
 * the last stored before v5.1.0): get() skips the checks of the SMTP
 * reasons for a type other than SMTP, and anotherone() then tries the
 * wording of its second list of reasons on the field's own text only (in
 * that list's order), else keeps the name of the status, else takes
 * contenterror for X.6, securityerror for X.7 and mailererror for X-Unix.
 * Returns NULL for other types. */
static const char *const program_reasons[] = {
  "mailboxfull", "spamdetected", "policyviolation", "virusdetected", "norelaying",
  "authfailure", "badreputation", "securityerror", "systemerror", "networkerror",
  "speeding", "suspend", "expired", "contenterror", "systemfull", "notaccept",
  "mailererror", NULL
};

/* Sendmail's report gives a program's exit code alone ("X-Unix; 255"); the
 * words are in the transcript's status lines ("554 5.3.0 unknown mailer
 * error 255"), which Sisimai reads instead of a number (lib/Sisimai/Lhost/
 * Sendmail.pm, inquire(): a diagnosis of digits only gives way to the lines
 * of the transcript that begin with a reply code and a status).  Returns
 * them joined, or NULL. */
static char *
transcript_status_lines (const BounceJudgement *j)
{
  const char *reply = j->fact->reply;
  GString *lines = NULL;
  g_auto(GStrv) split = NULL;

  if (reply == NULL || *reply == '\0' || j->ctx->notification->len == 0)
    return NULL;
  for (const char *p = reply; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return NULL;
  split = g_strsplit (j->ctx->notification->str, "\n", -1);
  for (guint i = 0; split[i] != NULL; i++)
    {
      const char *l = split[i];

      if (strlen (l) > 10 && (l[0] == '4' || l[0] == '5') && g_ascii_isdigit (l[1]) &&
          g_ascii_isdigit (l[2]) && (l[3] == ' ' || l[3] == '\t') && (l[4] == '4' || l[4] == '5') &&
          l[5] == '.' && g_ascii_isdigit (l[6]) && l[7] == '.' && g_ascii_isdigit (l[8]) &&
          (l[9] == ' ' || l[9] == '\t'))
        {
          if (lines == NULL)
            lines = g_string_new (NULL);
          else
            g_string_append_c (lines, ' ');
          g_string_append (lines, g_strstrip (split[i]));
        }
    }
  return lines != NULL ? g_string_free (lines, FALSE) : NULL;
}

static const char *
reason_of_program_exit (const BounceJudgement *j)
{
  BounceFact *fact = j->fact;
  const char *status = j->ev->status;
  const char *status_reason;
  guint best = G_N_ELEMENTS (program_reasons);

  if (fact->reply_type == NULL || g_ascii_strncasecmp (fact->reply_type, "x-unix", 6) != 0 ||
      fact->reason != NULL)
    return NULL;
  if (j->ev->diagnostic != NULL)
    {
      g_autofree char *transcript = transcript_status_lines (j);
      g_autoptr(GPtrArray) rules = bounce_catalogue_match_rules (j->ctx->catalogue,
                                                                 transcript != NULL ? transcript
                                                                                    : j->ev->diagnostic,
                                                                 j->ev->provider);

      /* a local delivery agent's own message ("maildrop: Cannot find system
       * user") is a reason Sisimai's MDA.pm has set before, which
       * anotherone() keeps */
      for (guint i = 0; i < rules->len; i++)
        if (is_from_sisimai (rules->pdata[i], "/lib/Sisimai/MDA.pm") &&
            bounce_entry_get_reason (rules->pdata[i]) != NULL)
          return bounce_entry_get_reason (rules->pdata[i]);
      /* else only the words of Sisimai's reason modules: their match() is
       * what anotherone() asks */
      for (guint i = 0; i < rules->len; i++)
        for (guint k = 0; k < best && program_reasons[k] != NULL; k++)
          if (is_sisimai_reason_wording (rules->pdata[i]) &&
              is_reason (bounce_entry_get_reason (rules->pdata[i]), program_reasons[k]))
            best = k;
    }
  if (best < G_N_ELEMENTS (program_reasons) - 1)
    return program_reasons[best];
  status_reason = reason_of_status (j);
  if (status_reason != NULL && !bounce_status_is_generic (status))
    return status_reason;
  /* X.6.* and X.7.*, whatever the detail */
  if (status != NULL && strlen (status) >= 3 && status[1] == '.' && (status[2] == '6' || status[2] == '7'))
    return status[2] == '6' ? "contenterror" : "securityerror";
  return "mailererror";
}

const char *
bounce_judge_reason (const BounceJudgement *j)
{
  const char *reason = bounce_judge_first_reason (j);
  const char *program = NULL;

  if (j->delivered)
    return reason;
  /* A provider's "undefined" is final (Sisimai's Fact.pm, rise(): a
   * per-host answer from Rhost.pm, get(), is not asked about again): no
   * status, stage or delay refines it.  A layout's own statement of the
   * reason still comes first, as Sisimai asks Rhost.pm only when the
   * report's parser set none. */
  if (j->rule != NULL && j->fact->reason == NULL && reason == bounce_entry_get_reason (j->rule) &&
      rule_is_provider_undefined (j->rule))
    return reason;
  program = reason_of_program_exit (j);
  if (program != NULL)
    return program;
  for (guint i = 0; refinements[i].name != NULL; i++)
    reason = refinements[i].func (j, reason);
  return reason;
}

/* ------------------------------------------------------------------ */
/* Temporary or permanent                                               */

BouncePermanence
bounce_judge_permanence (const BounceJudgement *j)
{
  const char *status = j->ev->status;
  const char *reply = j->ev->reply;

  if (is_action (j->fact, "delayed"))
    return BOUNCE_PERMANENCE_TEMPORARY;
  if (is_action (j->fact, "failed"))
    return BOUNCE_PERMANENCE_PERMANENT;
  /* A provider's own statement that the refusal is final ("permanently
   * deferred; retrying will NOT succeed") outweighs the 4xx code it comes
   * with: the sending server may keep trying, but it cannot succeed. */
  if (j->rule != NULL && bounce_entry_get_strength (j->rule) == BOUNCE_RULE_DEFINITE &&
      bounce_entry_get_permanence (j->rule) == BOUNCE_PERMANENCE_PERMANENT)
    return BOUNCE_PERMANENCE_PERMANENT;
  if (status != NULL && (status[0] == '4' || status[0] == '5'))
    return status[0] == '4' ? BOUNCE_PERMANENCE_TEMPORARY : BOUNCE_PERMANENCE_PERMANENT;
  if (reply != NULL)
    return reply[0] == '4' ? BOUNCE_PERMANENCE_TEMPORARY : BOUNCE_PERMANENCE_PERMANENT;
  if (j->rule != NULL && bounce_entry_get_permanence (j->rule) != BOUNCE_PERMANENCE_UNKNOWN)
    return bounce_entry_get_permanence (j->rule);
  if (j->ctx->temporary_words)
    return BOUNCE_PERMANENCE_TEMPORARY;
  if (!j->delivered)
    return BOUNCE_PERMANENCE_PERMANENT;
  return BOUNCE_PERMANENCE_UNKNOWN;
}

/* Hard or soft goes by what the server's codes say: a refusal coded 4xx
 * may succeed later even if the sending server has given up on it (a
 * pseudo status is ours, not the server's).  Without a code of either
 * class it is hard: Sisimai v5.1.0 (lib/Sisimai/SMTP/Error.pm,
 * soft_or_hard(), stored commit b733d728c0c24d2a537ae426aa2b6bc8bf915de1)
 * calls a "notaccept" soft only when the status or reply code it finds
 * is of class 4, whatever the words or the report's Action say. */
static gboolean
is_hard (const BounceJudgement *j,
         const char            *reason,
         const char            *status,
         gboolean               inferred)
{
  const char *reply = j->ev->reply;
  BouncePermanence coded = BOUNCE_PERMANENCE_PERMANENT;

  if (j->delivered)
    return FALSE;
  if (status != NULL && !inferred && (status[0] == '4' || status[0] == '5'))
    coded = status[0] == '4' ? BOUNCE_PERMANENCE_TEMPORARY : BOUNCE_PERMANENCE_PERMANENT;
  else if (reply != NULL && (reply[0] == '4' || reply[0] == '5'))
    coded = reply[0] == '4' ? BOUNCE_PERMANENCE_TEMPORARY : BOUNCE_PERMANENCE_PERMANENT;
  return bounce_reason_is_hard (reason, coded == BOUNCE_PERMANENCE_PERMANENT);
}

/* A recipient without an enhanced status code still gets one for scripts:
 * a pseudo code X.0.9NN in the reference bounce parsers' convention,
 * flagged "status_inferred" and never shown in the window.  Like theirs,
 * its class is what the server's own words say: the class of its reply
 * code, else the class the server's layout gives a code-less recipient
 * (pseudo_class_set: Sisimai's module for that server sets the status
 * itself, so Fact.pm's reading of the words never comes), else
 * "temporary" or "permanent" in its text, else 5.  Whether delivery is
 * still being tried is the recipient's action and permanence, not this
 * code. */
static const char *
pseudo_status (const BounceJudgement *j,
               const char            *reason)
{
  const char *reply = j->ev->reply;
  g_autofree char *lower = j->ev->diagnostic != NULL ? g_ascii_strdown (j->ev->diagnostic, -1) : NULL;
  gboolean temporary;

  if (reply != NULL && (reply[0] == '4' || reply[0] == '5'))
    temporary = reply[0] == '4';
  else if (j->fact->pseudo_class_set)
    temporary = j->fact->pseudo_temporary;
  else if (lower != NULL && (strstr (lower, "temporar") != NULL || strstr (lower, "persistent") != NULL))
    temporary = TRUE;
  else if (lower != NULL && strstr (lower, "permanent") != NULL)
    temporary = FALSE;
  else
    /* a server that kept retrying met temporary failures */
    temporary = j->fact->retried;
  return bounce_reason_pseudo_status (j->fact->pseudo_reason != NULL ? j->fact->pseudo_reason : reason,
                                      temporary);
}

/* ------------------------------------------------------------------ */
/* The reply code reported                                              */

/* The reply codes the SMTP specifications define: RFC 5321 section 4.2.3,
 * SMTP AUTH (RFC 4954: 235, 334, 432, 454, 530, 534, 535, 538), RFC 7504's
 * 521 and 556, ETRN (RFC 1985: 253, 458, 459), RFC 2645's 453, and those
 * the enhanced status code registry (RFC 5248) pairs with its codes (422,
 * 430, 523, 524, 525, 533).  Sisimai reads no other number as a reply
 * code (lib/Sisimai/SMTP/Reply.pm, find()): "542 Rejected" or "426
 * connection timed out" carry a server's own number, which the text shown
 * keeps. */
static gboolean
reply_is_registered (const char *code)
{
  static const char * const codes[] = {
    "211", "214", "220", "221", "235", "250", "251", "252", "253", "334", "354",
    "421", "422", "430", "432", "450", "451", "452", "453", "454", "455", "456", "458", "459",
    "500", "501", "502", "503", "504", "520", "521", "523", "524", "525", "530", "533", "534",
    "535", "538", "550", "551", "552", "553", "554", "555", "556",
  };

  for (gsize i = 0; code != NULL && i < G_N_ELEMENTS (codes); i++)
    if (g_str_equal (code, codes[i]))
      return TRUE;
  return FALSE;
}

/* The first registered reply code of class klass in text, standing on its
 * own (not part of a longer number, an address or a status code). */
static char *
registered_reply_in (const char *text,
                     char        klass)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      char code[4];

      if (*p != klass || (p > text && (g_ascii_isdigit (p[-1]) || p[-1] == '.' || p[-1] == '/')) ||
          !g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]) ||
          g_ascii_isdigit (p[3]) || p[3] == '.' || p[3] == '/')
        continue;
      memcpy (code, p, 3);
      code[3] = '\0';
      if (reply_is_registered (code))
        return g_strdup (code);
    }
  return NULL;
}

/* The reply code the recipient reports: a registered one, of the class of
 * its status.  A permanent status with a temporary reply (or the other way
 * round) takes a reply of its own class from the server's text, if there
 * is one, else none: Sisimai reports a reply code only when its class and
 * the status's agree (lib/Sisimai/Fact.pm, its REPLYCODE block). */
char *
bounce_judge_reported_reply (const BounceJudgement *j,
                             const char            *status)
{
  const char *reply = j->ev->reply;

  if (reply == NULL || !reply_is_registered (reply))
    return NULL;
  if (status == NULL || status[0] == reply[0] || (status[0] != '2' && status[0] != '4' && status[0] != '5'))
    return g_strdup (reply);
  return registered_reply_in (j->ev->diagnostic, status[0]);
}

/* ------------------------------------------------------------------ */
/* The recipient                                                        */

/* A warning whose Subject says the delivery is delayed ("Delivery Status
 * Notification (Delay)") names recipients that are still being tried,
 * whether or not it carries fields to say so; a pasted fragment has no
 * Subject, so its own words have to say it ("This is only a notification
 * about a delay ..."). */
static void
settle_action (BounceMessageContext *ctx,
               BounceFact           *fact)
{
  if (fact->action == NULL && (ctx->delay_subject || ctx->delay_words))
    fact->action = g_strdup ("delayed");
}

/* Entries, most specific first: the rules, the status, the reply code,
 * the status's subject and class, the reason.  The first is what people
 * read: it must agree with the reason, so when the SMTP stage or a precise
 * status renamed what a rule's words suggested ("user unknown" after DATA
 * is a filter), the entry for what was decided goes first.  A delay
 * warning keeps its cause first: its reason only says the time is running
 * out. */
static void
add_entries (const BounceJudgement *j,
             BounceRecipient       *r,
             const char            *reason,
             const char            *status,
             gboolean               inferred)
{
  BounceCatalogue *catalogue = j->ctx->catalogue;
  GPtrArray *entries;
  BounceEntry *e;

  /* (a phrases entry is explained by its reason's entry, added below) */
  for (guint i = 0; i < j->rules->len; i++)
    if (bounce_entry_get_kind (j->rules->pdata[i]) != BOUNCE_ENTRY_PHRASES)
      bounce_recipient_add_entry (r, j->rules->pdata[i]);
  if (j->status_entry != NULL)
    bounce_recipient_add_entry (r, j->status_entry);
  if (j->reply_entry != NULL)
    bounce_recipient_add_entry (r, j->reply_entry);
  if (status != NULL && !inferred)
    {
      if ((e = bounce_catalogue_find_subject (catalogue, status)) != NULL)
        bounce_recipient_add_entry (r, e);
      if ((e = bounce_catalogue_find_class (catalogue, status)) != NULL)
        bounce_recipient_add_entry (r, e);
    }
  if ((e = bounce_catalogue_find_reason (catalogue, reason)) != NULL)
    bounce_recipient_add_entry (r, e);
  entries = bounce_recipient_get_entries (r);
  if (j->delivered)
    {
      /* A recipient the report says was delivered or relayed (RFC 3464
       * 2.3.3) is explained by that: the entries of its 2.X.X code are
       * those of failures ("X.0.0: the server reported a failure without
       * saying what kind"), so the reason's entry leads. */
      guint at;

      if (e != NULL && entries != NULL && g_ptr_array_find (entries, e, &at) && at > 0)
        g_ptr_array_insert (entries, 0, g_ptr_array_steal_index (entries, at));
      return;
    }
  if (is_action (j->fact, "delayed"))
    {
      /* A delay warning's recipient is still being tried: a rule of
       * expiry that is not one of the delay's own ("temporary": true, the
       * server keeps trying) says the sending server gave up, and does not
       * lead its explanation.  Postfix's delay warning says "could not be
       * delivered for 4 hours" (its delay_template, bounce_template.c)
       * where Sendmail's final notice says the same words. */
      for (guint i = 0, moved = 0; entries != NULL && i + moved < entries->len;)
        {
          BounceEntry *entry = entries->pdata[i];

          if (bounce_entry_get_kind (entry) == BOUNCE_ENTRY_RULE &&
              g_strcmp0 (bounce_entry_get_reason (entry), "expired") == 0 &&
              bounce_entry_get_permanence (entry) != BOUNCE_PERMANENCE_TEMPORARY)
            {
              g_ptr_array_add (entries, g_ptr_array_steal_index (entries, i));
              moved++;
            }
          else
            i++;
        }
      /* When nothing else explains it, the reason's own entry ("Delivery
       * kept failing and the sending server gave up") would still lead:
       * the catalogue's entry for a delay the server's words announce
       * says what a warning means instead. */
      if (entries != NULL && entries->len > 0 &&
          bounce_entry_get_kind (entries->pdata[0]) == BOUNCE_ENTRY_REASON &&
          g_strcmp0 (bounce_entry_get_reason (entries->pdata[0]), "expired") == 0 &&
          (e = bounce_catalogue_lookup (catalogue, "rule.generic.delayed")) != NULL &&
          !g_ptr_array_find (entries, e, NULL))
        g_ptr_array_insert (entries, 0, g_object_ref (e));
      return;
    }
  for (guint i = 1; entries != NULL && i < entries->len; i++)
    {
      BounceEntryKind kind = bounce_entry_get_kind (entries->pdata[i]);

      if (g_strcmp0 (bounce_entry_get_reason (entries->pdata[0]), reason) == 0)
        break;
      /* an entry for the code's subject or class alone ("X.2.X: a
       * problem with the recipient's mailbox") says less than the
       * reason's own entry after it ("The recipient's mailbox is full") */
      if (kind == BOUNCE_ENTRY_SUBJECT || kind == BOUNCE_ENTRY_CLASS)
        continue;
      if (g_strcmp0 (bounce_entry_get_reason (entries->pdata[i]), reason) == 0)
        {
          gpointer agreeing = g_ptr_array_steal_index (entries, i);

          g_ptr_array_insert (entries, 0, agreeing);
          break;
        }
    }
}

/* For tuning the catalogue: BOUNCE_DEBUG_REASON=1 bounce-explain ... prints
 * per recipient what decided the reason. */
static void
debug_reason (const BounceJudgement *j)
{
  BounceEntry *rule = j->rule;
  BounceEntry *se = j->status_entry;

  g_printerr ("DEBUG\t%s\t%s\t%s\t%s\t%d\t%s\t%d\n", j->fact->address ? j->fact->address : "-",
              rule ? bounce_entry_get_reason (rule) : "-", rule ? bounce_entry_get_id (rule) : "-",
              se && bounce_entry_get_reason (se) ? bounce_entry_get_reason (se) : "-",
              j->stage, j->ev->status ? j->ev->status : "-", rule ? bounce_entry_get_priority (rule) : -1);
}

void
bounce_judge (BounceMessageContext *ctx,
              BounceFact           *fact,
              BounceRecipient      *r)
{
  BounceEvidence ev;
  BounceJudgement j = { ctx, fact, &ev };
  g_autoptr(GPtrArray) rules = NULL;
  g_autofree char *reply = NULL;
  const char *reason;
  const char *status;
  BouncePermanence permanence;
  gboolean inferred = FALSE;

  settle_action (ctx, fact);
  bounce_evidence_gather (ctx, fact, &ev);
  j.delivered = is_action (fact, "delivered") || is_action (fact, "relayed") || is_action (fact, "expanded");
  rules = j.rules = match_rules (&j);
  if (ev.status != NULL)
    j.status_entry = bounce_catalogue_find_enhanced (ctx->catalogue, ev.status, ev.provider);
  if (ev.reply != NULL)
    j.reply_entry = bounce_catalogue_find_reply (ctx->catalogue, ev.reply);
  j.stage = fact->command != BOUNCE_SMTP_COMMAND_NONE ? fact->command
                                                      : bounce_extract_smtp_command (ev.context->str, -1);
  reason = bounce_judge_reason (&j);
  if (g_getenv ("BOUNCE_DEBUG_REASON"))
    debug_reason (&j);
  permanence = bounce_judge_permanence (&j);

  status = ev.status;
  if (status == NULL && !j.delivered)
    {
      status = pseudo_status (&j, reason);
      inferred = status != NULL;
    }
  bounce_recipient_set_status_inferred (r, inferred);
  bounce_recipient_set_address (r, fact->address);
  bounce_recipient_set_original_address (r, fact->original);
  bounce_recipient_set_status (r, status);
  /* (a pseudo status is ours: its class follows the reason's table, not
   * the server) */
  reply = bounce_judge_reported_reply (&j, inferred ? NULL : status);
  bounce_recipient_set_reply_code (r, reply);
  bounce_recipient_set_reason (r, reason);
  bounce_recipient_set_permanence (r, j.delivered ? BOUNCE_PERMANENCE_UNKNOWN : permanence);
  bounce_recipient_set_hard_bounce (r, is_hard (&j, reason, status, inferred));
  bounce_recipient_set_action (r, fact->action);
  /* A notice that the message was not delivered, with nothing in it of a
   * warning (settle_action() found no delay in its Subject or words), is
   * the sending server's last word, even after temporary errors: a delay
   * warning says it keeps trying (Postfix's, Exim's and Sendmail's do).
   * A mail program's send error is the end of it too: nothing retries a
   * message its outgoing server refused. */
  bounce_recipient_set_given_up (r, (fact->retried && !is_action (fact, "delayed")) ||
                                    (fact->action == NULL && ctx->message != NULL &&
                                     bounce_classify_states_failure (ctx)) ||
                                    fact->not_sent);
  bounce_recipient_set_not_sent (r, fact->not_sent);
  bounce_recipient_set_remote_mta (r, ev.remote_host);
  bounce_recipient_set_diagnostic (r, ev.said);
  bounce_recipient_set_last_attempt (r, fact->last_attempt);
  bounce_recipient_set_will_retry_until (r, fact->will_retry);
  bounce_recipient_set_provider (r, ev.provider);
  if (fact->has_range)
    bounce_recipient_set_range (r, fact->start, fact->end);
  add_entries (&j, r, reason, status, inferred);
  bounce_evidence_clear (&ev);
}
