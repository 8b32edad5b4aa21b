/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"

/* What the catalogue tells people for the replies they really get: the
 * regression set of real provider replies (tests/replies/), and the advice
 * the engine chooses for them, one test per problem of the catalogue audit
 * (issue 13). */

/* A reply pasted on its own, as a helpdesk user does. */
static BounceReport *
analyse (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  BounceReport *report = bounce_analyze_bytes (bytes, "pasted", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static BounceRecipient *
first_recipient (BounceReport *report)
{
  GListModel *list = bounce_report_get_recipients (report);

  if (g_list_model_get_n_items (list) == 0)
    return NULL;
  return g_list_model_get_item (list, 0);
}

static const char *
first_entry_id (BounceRecipient *r)
{
  GPtrArray *entries = r != NULL ? bounce_recipient_get_entries (r) : NULL;

  if (entries == NULL || entries->len == 0)
    return NULL;
  return bounce_entry_get_id (entries->pdata[0]);
}

/* The steps chosen for the recipient, one per line, as bounce-explain
 * shows them. */
static char *
chosen_steps (BounceRecipient *r,
              gboolean         admin)
{
  g_autoptr(GPtrArray) steps = bounce_recipient_select_steps (r, admin);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < steps->len; i++)
    {
      g_autofree char *text = bounce_step_to_string (steps->pdata[i]);

      g_string_append_printf (out, "%s\n", text);
    }
  return g_string_free (out, FALSE);
}

/* The steps one entry shows in a case the bounce states fully, one per
 * line: none of them is left hedged with its condition. */
static char *
entry_steps (const char    *id,
             BounceOutcome  outcome,
             BouncePermanence permanence,
             const char    *reply)
{
  BounceEntry *entry = bounce_catalogue_lookup (bounce_catalogue_get_default (), id);
  BounceStepContext context = { reply, outcome, permanence };
  g_autoptr(GPtrArray) steps = NULL;
  GString *out = g_string_new (NULL);

  g_assert_nonnull (entry);
  steps = bounce_entry_select_steps (entry, FALSE, &context);
  for (guint i = 0; i < steps->len; i++)
    {
      g_autofree char *text = bounce_step_to_string (steps->pdata[i]);

      g_assert_null (((BounceStep *) steps->pdata[i])->condition);
      g_string_append_printf (out, "%s\n", text);
    }
  return g_string_free (out, FALSE);
}

static gboolean
contains (const char *haystack,
          const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack, -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

/* ------------------------------------------------------------------ */
/* The regression set                                                   */

/* Every real reply of tests/replies/provider-replies.tsv, pasted on its
 * own, reaches the catalogue entry named beside it (the first entry
 * bounce-explain gives the recipient).  At least 150 replies, from every
 * provider group the audit names, each with its public source. */
static void
test_regression_set (void)
{
  static const char * const groups[] = {
    "google", "microsoft", "yahoo", "apple", "comcast", "gmx", "orange", "mta", NULL
  };
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "replies", "provider-replies.tsv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) per_group = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) reached = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) failures = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  GPtrArray *all = bounce_catalogue_get_entries (bounce_catalogue_get_default ());
  guint n = 0, n_provider_rules = 0, n_provider_reached = 0;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      g_autoptr(BounceReport) report = NULL;
      g_autoptr(BounceRecipient) r = NULL;
      const char *got;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      fields = g_strsplit (lines[i], "\t", 4);
      if (g_strv_length (fields) != 4)
        {
          g_string_append_printf (failures, "line %u: needs four tab-separated fields\n", i + 1);
          continue;
        }
      if (!g_strv_contains (groups, fields[0]))
        g_string_append_printf (failures, "line %u: unknown group %s\n", i + 1, fields[0]);
      if (bounce_catalogue_lookup (bounce_catalogue_get_default (), fields[1]) == NULL)
        g_string_append_printf (failures, "line %u: no entry %s\n", i + 1, fields[1]);
      if (!g_str_has_prefix (fields[2], "https://") && !g_str_has_prefix (fields[2], "http://"))
        g_string_append_printf (failures, "line %u: the source is not a URL: %s\n", i + 1, fields[2]);

      n++;
      g_hash_table_insert (per_group, (gpointer) g_intern_string (fields[0]),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (per_group, g_intern_string (fields[0]))) + 1));
      report = analyse (fields[3]);
      r = first_recipient (report);
      got = first_entry_id (r);
      if (g_strcmp0 (got, fields[1]) != 0)
        g_string_append_printf (failures, "line %u (%s): expected %s, got %s: %s\n", i + 1, fields[2],
                                fields[1], got ? got : "nothing", fields[3]);
      else
        g_hash_table_add (reached, (gpointer) g_intern_string (got));
    }

  for (guint i = 0; groups[i] != NULL; i++)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (per_group, g_intern_string (groups[i])));

      g_test_message ("%s: %u replies", groups[i], count);
      if (count < 8)
        g_string_append_printf (failures, "group %s has only %u replies (at least 8)\n", groups[i], count);
    }
  for (guint i = 0; i < all->len; i++)
    {
      BounceEntry *e = all->pdata[i];

      if (bounce_entry_get_kind (e) != BOUNCE_ENTRY_RULE || bounce_entry_get_provider (e) == NULL)
        continue;
      n_provider_rules++;
      if (g_hash_table_contains (reached, bounce_entry_get_id (e)))
        n_provider_reached++;
    }
  g_test_message ("%u replies reach %u entries; %u of %u provider-scoped rules are reached",
                  n, g_hash_table_size (reached), n_provider_reached, n_provider_rules);

  if (n < 150)
    g_string_append_printf (failures, "only %u replies (at least 150)\n", n);
  if (failures->len > 0)
    {
      g_printerr ("%s", failures->str);
      g_test_fail_printf ("the regression set failed (see above)");
    }
}

/* ------------------------------------------------------------------ */
/* One test per point of the audit                                     */

/* 1. Gmail's most common sign-in complaint says "via your web browser";
 * it is Google's sign-in check, not a server-side trust relationship. */
static void
test_gmail_web_login (void)
{
  static const char * const replies[] = {
    "534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgnsbt-> Please log in via "
    "your web browser and then try again. 534-5.7.14 Learn more at 534 5.7.14 "
    "https://support.google.com/mail/answer/78754 k76sm6774626pfg.42 - gsmtp",
    "534 5.7.9 Please log in with your web browser and then try again. Learn more at 5.7.9 "
    "https://support.google.com/mail/?p=WebLoginRequired",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autoptr(BounceReport) report = analyse (replies[i]);
      g_autoptr(BounceRecipient) r = first_recipient (report);
      g_autofree char *sender = NULL;

      g_assert_nonnull (r);
      g_assert_cmpstr (first_entry_id (r), ==, "rule.google.web-login");
      sender = chosen_steps (r, FALSE);
      g_assert_true (contains (sender, "browser"));
      g_assert_false (contains (sender, "server side"));
    }
}

/* 2. Gmail's "unusual rate of unsolicited mail originating from your IP",
 * as 421 4.7.28 and 550 5.7.1/5.7.28: a rate limit or block on the sending
 * IP, not the content; rewriting does not help, and no provider's help
 * page for spam content is offered. */
static void
test_gmail_unsolicited_rate (void)
{
  static const char * const replies[] = {
    "421-4.7.28 [203.0.113.7       4] Our system has detected an unusual rate of 421-4.7.28 unsolicited "
    "mail originating from your IP address. To protect our 421-4.7.28 users from spam, mail sent from "
    "your IP address has been temporarily 421-4.7.28 rate limited. - gsmtp",
    "550-5.7.1 [104.248.27.183       1] Our system has detected an unusual rate of 550-5.7.1 unsolicited "
    "mail originating from your IP address. To protect our 550-5.7.1 users from spam, mail sent from "
    "your IP address has been blocked. - gsmtp",
    "550 5.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address.",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autoptr(BounceReport) report = analyse (replies[i]);
      g_autoptr(BounceRecipient) r = first_recipient (report);
      g_autofree char *sender = NULL;
      g_autofree char *admin = NULL;
      g_autofree char *text = NULL;

      g_test_message ("%s", replies[i]);
      g_assert_nonnull (r);
      g_assert_true (g_str_has_prefix (first_entry_id (r), "rule.google."));
      g_assert_cmpstr (bounce_recipient_get_reason (r), !=, "spamdetected");
      sender = chosen_steps (r, FALSE);
      admin = chosen_steps (r, TRUE);
      g_assert_false (contains (sender, "rewrite"));
      g_assert_true (contains (admin, "compromise"));
      text = bounce_report_to_text (report);
      g_assert_false (contains (text, "yandex"));
      g_assert_true (contains (admin, "Postmaster Tools"));
    }
}

/* 6. A virus found in the message: the sender's computer or account may be
 * infected, so no step says the bounce can be ignored. */
static void
test_virus_never_ignore (void)
{
  static const char * const replies[] = {
    "554 5.7.1 Message rejected: virus found in attachment",
    "550 5.7.1 Message contains malware",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autoptr(BounceReport) report = analyse (replies[i]);
      g_autoptr(BounceRecipient) r = first_recipient (report);
      g_autofree char *sender = NULL;

      g_assert_nonnull (r);
      g_assert_cmpstr (bounce_recipient_get_reason (r), ==, "virusdetected");
      sender = chosen_steps (r, FALSE);
      g_assert_false (contains (sender, "ignore"));
      g_assert_true (contains (sender, "infected"));
    }
}

/* 7. Yahoo's TS03: "permanently deferred; Retrying will NOT succeed",
 * although coded 421: final, and nothing tells the sender to wait. */
static void
test_yahoo_ts03 (void)
{
  static const char * const replies[] = {
    "421 4.7.1 [TS03] All messages from 192.0.2.10 will be permanently deferred; Retrying will NOT "
    "succeed. See https://postmaster.yahooinc.com/error-codes",
    "421 4.7.1 [TS03]",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autoptr(BounceReport) report = analyse (replies[i]);
      g_autoptr(BounceRecipient) r = first_recipient (report);
      g_autofree char *sender = NULL;

      g_assert_nonnull (r);
      g_assert_cmpstr (first_entry_id (r), ==, "rule.yahoo.token-ts03");
      g_assert_cmpint (bounce_recipient_get_permanence (r), ==, BOUNCE_PERMANENCE_PERMANENT);
      g_assert_cmpint (bounce_recipient_get_outcome (r), !=, BOUNCE_OUTCOME_DELAYED);
      sender = chosen_steps (r, FALSE);
      g_assert_false (contains (sender, "wait"));
      g_assert_false (contains (sender, "retries"));
    }
}

/* 8. Generic wording rules cite standards or nothing: a Postfix SORBS
 * rejection or a plain spam or virus refusal shows no provider's help page
 * under "More information". */
static void
test_generic_rules_cite_no_provider (void)
{
  static const char * const replies[] = {
    "<kim@example.net>: host mx.example.net[192.0.2.1] said: 554 5.7.1 Service unavailable; Client host "
    "[45.83.220.17] blocked using dnsbl.sorbs.net (in reply to RCPT TO command)",
    "550 5.7.1 Message rejected as spam by Content Filtering",
    "554 5.7.1 Message rejected: virus found in attachment",
    "451 4.3.0 Temporary system error, try again later",
    "421 4.7.0 Too many connections from your host",
    "550 5.7.1 Message rejected by policy",
    "550 5.7.23 SPF validation failed",
  };
  static const char * const providers[] = {
    "yandex", "yahoo", "apple.com", "zoho", "gmail", "microsoft", "outlook",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autoptr(BounceReport) report = analyse (replies[i]);
      g_autofree char *text = bounce_report_to_text (report);
      const char *more = strstr (text, "More information:");

      g_test_message ("%s", replies[i]);
      g_assert_nonnull (first_recipient (report));
      for (gsize j = 0; more != NULL && j < G_N_ELEMENTS (providers); j++)
        if (contains (more, providers[j]))
          g_error ("“%s” links to %s:\n%s", replies[i], providers[j], more);
    }
}

/* 9. Entries that serve two cases show the step for the case at hand, not
 * a hedge that covers both. */
static void
test_steps_follow_the_case (void)
{
  static const struct {
    const char *id;
    BounceOutcome outcome;
    BouncePermanence permanence;
    const char *reply;
    const char *shown;      /* a step with this text is shown */
    const char *hidden;     /* no step with this text is shown */
  } cases[] = {
    { "reply.452", BOUNCE_OUTCOME_DELAYED, BOUNCE_PERMANENCE_TEMPORARY,
      "452 4.5.3 Too many recipients", "fewer recipients", "out of space" },
    { "reply.452", BOUNCE_OUTCOME_DELAYED, BOUNCE_PERMANENCE_TEMPORARY,
      "452 4.3.1 Insufficient system storage", "out of space", "fewer recipients" },
    { "reply.452", BOUNCE_OUTCOME_DELAYED, BOUNCE_PERMANENCE_TEMPORARY,
      "452 Try later", "retries on its own", "again later" },
    { "reply.452", BOUNCE_OUTCOME_GAVE_UP, BOUNCE_PERMANENCE_TEMPORARY,
      "452 Try later", "again later", "retries on its own" },
    { "reply.552", BOUNCE_OUTCOME_PERMANENT, BOUNCE_PERMANENCE_PERMANENT,
      "552 5.2.2 Mailbox full", "mailbox is full", "as a link" },
    { "reply.552", BOUNCE_OUTCOME_PERMANENT, BOUNCE_PERMANENCE_PERMANENT,
      "552 5.3.4 Message size exceeds fixed maximum message size", "as a link", "mailbox is full" },
    { "reply.432", BOUNCE_OUTCOME_DELAYED, BOUNCE_PERMANENCE_TEMPORARY,
      "432 4.7.12 A password transition is needed", "webmail", "retries on its own" },
    { "reply.432", BOUNCE_OUTCOME_DELAYED, BOUNCE_PERMANENCE_TEMPORARY,
      "432 4.3.2 Concurrent connections limit exceeded", "retries on its own", "webmail" },
    { "enhanced.5.7.1", BOUNCE_OUTCOME_PERMANENT, BOUNCE_PERMANENCE_PERMANENT,
      "550 5.7.1 Relaying denied", "outgoing server", "allow mail from you" },
    { "enhanced.5.7.1", BOUNCE_OUTCOME_PERMANENT, BOUNCE_PERMANENCE_PERMANENT,
      "550 5.7.1 Delivery not authorized, message refused", "allow mail from you", "outgoing server" },
    { "rule.microsoft.dns-query-failed", BOUNCE_OUTCOME_PERMANENT, BOUNCE_PERMANENCE_PERMANENT,
      "550 5.4.312 DNS query failed", "typos", "retries on its own" },
    { "rule.microsoft.dns-query-failed", BOUNCE_OUTCOME_DELAYED, BOUNCE_PERMANENCE_TEMPORARY,
      "451 4.4.312 DNS query failed", "retries on its own", "typos" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *steps = entry_steps (cases[i].id, cases[i].outcome, cases[i].permanence, cases[i].reply);

      g_test_message ("%s: %s", cases[i].id, cases[i].reply);
      if (!contains (steps, cases[i].shown) || contains (steps, cases[i].hidden))
        g_error ("%s for “%s” shows:\n%s(wanted “%s”, not “%s”)", cases[i].id, cases[i].reply, steps,
                 cases[i].shown, cases[i].hidden);
    }

  /* without a bounce (the catalogue browser) every case is shown, each
   * with its condition */
  {
    BounceEntry *entry = bounce_catalogue_lookup (bounce_catalogue_get_default (), "reply.452");
    g_autoptr(GPtrArray) all = bounce_entry_select_steps (entry, FALSE, NULL);
    guint conditional = 0;

    for (guint i = 0; i < all->len; i++)
      if (((BounceStep *) all->pdata[i])->condition != NULL)
        conditional++;
    g_assert_cmpuint (conditional, >=, 3);
  }

  /* through the whole engine: a pasted 452 that names too many recipients */
  {
    g_autoptr(BounceReport) report = analyse ("452 4.5.3 Error: too many recipients");
    g_autoptr(BounceRecipient) r = first_recipient (report);
    g_autofree char *sender = NULL;

    g_assert_nonnull (r);
    sender = chosen_steps (r, FALSE);
    g_assert_true (contains (sender, "fewer recipients"));
    g_assert_false (contains (sender, "out of space"));
    g_assert_false (contains (sender, "mailbox is full"));
  }
}

/* 11. "550 mailbox unavailable or not local" (the helpdesk article's
 * wording) may mean relaying refused: that reading is offered too, and only
 * when the server says "not local". */
static void
test_not_local (void)
{
  g_autoptr(BounceReport) report = analyse ("550 Requested action not taken: mailbox unavailable or not local");
  g_autoptr(BounceRecipient) r = first_recipient (report);
  g_autoptr(BounceReport) other = analyse ("550 Requested action not taken: mailbox unavailable");
  g_autoptr(BounceRecipient) o = first_recipient (other);
  g_autofree char *sender = NULL;
  g_autofree char *other_sender = NULL;

  g_assert_nonnull (r);
  g_assert_nonnull (o);
  sender = chosen_steps (r, FALSE);
  other_sender = chosen_steps (o, FALSE);
  g_assert_true (contains (sender, "typos"));
  g_assert_true (contains (sender, "outgoing server"));
  g_assert_false (contains (other_sender, "outgoing server"));
}

/* A refusal after DATA in words that mean an unknown user is a filter's by
 * Sisimai's reading (the recipient's reason is "filtered"), but the words
 * still say the address may be wrong: the step that says to check it is
 * chosen by what the rules read in the reply ("said"), not by a pattern of
 * its own, so every wording of an unknown user the catalogue knows brings
 * it ("no mailbox here by that name" is qmail's, which no pattern of the
 * step named), and a filter's own words do not. */
static void
test_filtered_unknown_user (void)
{
  g_autoptr(BounceReport) report =
    analyse ("<bob@example.net>: host mx.example.net[192.0.2.1] said: 550 Sorry, no\n"
             "    mailbox here by that name (in reply to end of DATA command)\n");
  g_autoptr(BounceRecipient) r = first_recipient (report);
  g_autoptr(BounceReport) other =
    analyse ("<bob@example.net>: host mx.example.net[192.0.2.1] said: 550 Message\n"
             "    rejected due to user rules (in reply to end of DATA command)\n");
  g_autoptr(BounceRecipient) o = first_recipient (other);
  g_autofree char *sender = NULL;
  g_autofree char *other_sender = NULL;

  g_assert_nonnull (r);
  g_assert_nonnull (o);
  g_assert_cmpstr (bounce_recipient_get_reason (r), ==, "filtered");
  g_assert_cmpstr (bounce_recipient_get_reason (o), ==, "filtered");
  sender = chosen_steps (r, FALSE);
  other_sender = chosen_steps (o, FALSE);
  g_assert_true (g_str_has_prefix (sender, "Check the recipient’s address for typos."));
  g_assert_false (contains (other_sender, "typos"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();

  g_test_add_func ("/advice/regression-set", test_regression_set);
  g_test_add_func ("/advice/gmail-web-login", test_gmail_web_login);
  g_test_add_func ("/advice/gmail-unsolicited-rate", test_gmail_unsolicited_rate);
  g_test_add_func ("/advice/virus-never-ignore", test_virus_never_ignore);
  g_test_add_func ("/advice/yahoo-ts03", test_yahoo_ts03);
  g_test_add_func ("/advice/generic-rules-cite-no-provider", test_generic_rules_cite_no_provider);
  g_test_add_func ("/advice/steps-follow-the-case", test_steps_follow_the_case);
  g_test_add_func ("/advice/not-local", test_not_local);
  g_test_add_func ("/advice/filtered-unknown-user", test_filtered_unknown_user);

  return g_test_run ();
}
