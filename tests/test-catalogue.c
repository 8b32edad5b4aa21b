/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "bounce-core.h"
#include "corpus-common.h"
#include "bounce-alternation.h"
#include "bounce-literal.h"
#include "bounce-prefilter.h"

static BounceCatalogue *
catalogue (void)
{
  g_autoptr(GError) error = NULL;
  static BounceCatalogue *cat = NULL;

  if (cat == NULL)
    {
      cat = bounce_catalogue_new_from_resource (BOUNCE_CATALOGUE_RESOURCE_DIR, &error);
      g_assert_no_error (error);
      g_assert_nonnull (cat);
    }
  return cat;
}

/* The whole catalogue loads: every entry passed bounce_entry_new_from_json's
 * checks (known kind and reason, https URLs, compiling pattern, unique id). */
static void
test_catalogue_loads (void)
{
  BounceCatalogue *cat = catalogue ();

  g_assert_cmpuint (bounce_catalogue_get_n_entries (cat), >, 0);
  g_assert_nonnull (bounce_catalogue_get_version (cat));
  g_assert_true (bounce_catalogue_get_default () != NULL);
}

static void
test_catalogue_reasons (void)
{
  const char * const *names = bounce_reason_names ();
  guint n = 0;

  for (guint i = 0; names[i]; i++, n++)
    {
      BounceEntry *e = bounce_catalogue_find_reason (catalogue (), names[i]);

      if (e == NULL)
        g_error ("no catalogue entry for reason %s", names[i]);
      g_assert_cmpstr (bounce_entry_get_title (e), !=, "");
      g_assert_nonnull (bounce_entry_get_explanation (e));
      g_assert_nonnull (bounce_entry_get_sender_steps (e)[0]);
      g_assert_nonnull (bounce_entry_get_admin_steps (e)[0]);
    }
  g_assert_cmpuint (n, ==, 34);
}

/* Any enhanced code, even an unknown vendor detail, gets an explanation. */
static void
test_catalogue_fallbacks (void)
{
  static const char * const codes[] = { "5.1.1", "4.2.2", "5.7.999", "4.4.316", "2.0.0", "5.9.9" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      BounceEntry *e = bounce_catalogue_find_enhanced (catalogue (), codes[i], NULL);

      if (e == NULL)
        e = bounce_catalogue_find_subject (catalogue (), codes[i]);
      if (e == NULL)
        e = bounce_catalogue_find_class (catalogue (), codes[i]);
      if (e == NULL)
        g_error ("no explanation at all for %s", codes[i]);
    }
  g_assert_nonnull (bounce_catalogue_find_reply (catalogue (), "550"));
  g_assert_nonnull (bounce_catalogue_find_reply (catalogue (), "421"));
}

static void
test_catalogue_urls_https (void)
{
  GPtrArray *entries = bounce_catalogue_get_entries (catalogue ());

  for (guint i = 0; i < entries->len; i++)
    {
      BounceEntry *e = entries->pdata[i];
      GPtrArray *links = bounce_entry_get_links (e);
      const char *source = bounce_entry_get_source_url (e);

      if (source != NULL)
        g_assert_true (g_str_has_prefix (source, "https://"));
      for (guint j = 0; j < links->len; j++)
        g_assert_true (g_str_has_prefix (((BounceEntryLink *) links->pdata[j])->url, "https://"));
    }
}

/* Every rule carries examples; each example matches its rule, and the
 * engine's best explanation for the example is that rule, with the rule's
 * reason and temporary/permanent.  A rule silently shadowed by a broader
 * one fails here. */
/* The first of matched that explains the text: phrases entries are
 * explained by their reason's entry, so past them the first rule is the
 * explanation; unless the best match is a phrases entry of another reason,
 * which decides otherwise. */
static BounceEntry *
first_explaining (GPtrArray   *matched,
                  BounceEntry *rule)
{
  if (matched->len > 0 && bounce_entry_get_kind (matched->pdata[0]) == BOUNCE_ENTRY_PHRASES &&
      g_strcmp0 (bounce_entry_get_reason (matched->pdata[0]), bounce_entry_get_reason (rule)) != 0 &&
      g_strcmp0 (bounce_entry_get_reason (matched->pdata[0]), bounce_entry_get_final_reason (rule)) != 0)
    return matched->pdata[0];
  for (guint i = 0; i < matched->len; i++)
    if (bounce_entry_get_kind (matched->pdata[i]) != BOUNCE_ENTRY_PHRASES)
      return matched->pdata[i];
  return NULL;
}

static void
test_catalogue_rule_examples (void)
{
  GPtrArray *entries = bounce_catalogue_get_entries (catalogue ());
  g_autoptr(GString) failures = g_string_new (NULL);
  guint n_rules = 0;
  guint n_examples = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      BounceEntry *rule = entries->pdata[i];
      const char * const *examples;
      const char *provider;

      if (bounce_entry_get_kind (rule) != BOUNCE_ENTRY_RULE)
        continue;
      n_rules++;
      examples = bounce_entry_get_examples (rule);
      provider = bounce_entry_get_provider (rule);
      if (examples[0] == NULL)
        g_string_append_printf (failures, "%s: no examples\n", bounce_entry_get_id (rule));

      for (guint j = 0; examples[j]; j++)
        {
          g_autoptr(GPtrArray) matched = NULL;

          n_examples++;
          if (!g_regex_match (bounce_entry_get_regex (rule), examples[j], 0, NULL))
            {
              g_string_append_printf (failures, "%s: example does not match: %s\n",
                                      bounce_entry_get_id (rule), examples[j]);
              continue;
            }
          matched = bounce_catalogue_match_rules (catalogue (), examples[j], provider);
          if (first_explaining (matched, rule) != rule)
            {
              g_string_append_printf (failures, "%s: shadowed by %s for: %s\n",
                                      bounce_entry_get_id (rule),
                                      first_explaining (matched, rule) ? bounce_entry_get_id (first_explaining (matched, rule))
                                                                       : "nothing",
                                      examples[j]);
              continue;
            }

          /* Unscoped rules that decide a reason go through the whole
           * engine, as a pasted line ("undefined" rules only explain). */
          if (provider == NULL && bounce_entry_get_reason (rule) != NULL &&
              g_strcmp0 (bounce_entry_get_reason (rule), "undefined") != 0)
            {
              g_autoptr(GBytes) bytes = g_bytes_new (examples[j], strlen (examples[j]));
              g_autoptr(GError) error = NULL;
              g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "example", NULL, &error);
              GListModel *recipients;
              g_autoptr(BounceRecipient) r = NULL;

              g_assert_no_error (error);
              recipients = bounce_report_get_recipients (report);
              if (g_list_model_get_n_items (recipients) == 0)
                {
                  g_string_append_printf (failures, "%s: engine finds no failure in: %s\n",
                                          bounce_entry_get_id (rule), examples[j]);
                  continue;
                }
              r = g_list_model_get_item (recipients, 0);
              /* A pasted line reads as a final report, so a rule's
               * final_reason is as good as its reason there. */
              if (g_strcmp0 (bounce_recipient_get_reason (r), bounce_entry_get_reason (rule)) != 0 &&
                  g_strcmp0 (bounce_recipient_get_reason (r), bounce_entry_get_final_reason (rule)) != 0)
                g_string_append_printf (failures, "%s: engine says %s, rule says %s for: %s\n",
                                        bounce_entry_get_id (rule), bounce_recipient_get_reason (r),
                                        bounce_entry_get_reason (rule), examples[j]);
              if (bounce_entry_get_permanence (rule) != BOUNCE_PERMANENCE_UNKNOWN &&
                  bounce_recipient_get_permanence (r) != bounce_entry_get_permanence (rule))
                g_string_append_printf (failures, "%s: temporary/permanent differs for: %s\n",
                                        bounce_entry_get_id (rule), examples[j]);
            }
        }
    }

  g_test_message ("%u rules, %u examples", n_rules, n_examples);
  if (failures->len > 0)
    {
      g_printerr ("%s", failures->str);
      g_test_fail_printf ("rule examples failed (see above)");
    }
}

/* A server that refuses the sending IP because a live DNS blocklist names
 * it blocks the sender.  A list that has closed (SORBS, NiX Spam) names
 * nobody any more: a refusal that cites it comes from the receiving
 * server's stale configuration, a fault on that side ("systemerror", as
 * for a list queried through a public resolver), so the headline must not
 * say the sender's IP is blocked.  Lists of the domains in a message's
 * links (looked up by domain only, or shown listing a URL) are about
 * content and are left out. */
static void
test_catalogue_ip_listing_reason (void)
{
  GPtrArray *lists = bounce_catalogue_get_blocklists (catalogue ());
  g_autoptr(GString) failures = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; i < lists->len; i++)
    {
      BounceEntry *list = lists->pdata[i];
      const char * const *zones = bounce_entry_get_zones (list);
      const char * const *examples = bounce_entry_get_examples (list);
      gboolean of_links = bounce_entry_get_lookup_ip (list) == NULL &&
                          bounce_entry_get_lookup_domain (list) != NULL;

      for (guint j = 0; examples[j] != NULL && !of_links; j++)
        of_links = strstr (examples[j], "URL") != NULL;
      if (of_links)
        continue;
      for (guint j = 0; zones[j] != NULL; j++)
        {
          g_autofree char *text = NULL;
          g_autoptr(GBytes) bytes = NULL;
          g_autoptr(GError) error = NULL;
          g_autoptr(BounceReport) report = NULL;
          g_autoptr(BounceRecipient) r = NULL;

          if (g_hostname_is_ip_address (zones[j]))
            continue;  /* a return code, not a zone */
          text = g_strdup_printf ("<kim@example.net>: host mx.example.net[192.0.2.7] said: 554 5.7.1 "
                                  "Service unavailable; Client host [192.0.2.10] blocked using %s "
                                  "(in reply to RCPT TO command)\n", zones[j]);
          bytes = g_bytes_new (text, strlen (text));
          report = bounce_analyze_bytes (bytes, "listing", NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (g_list_model_get_n_items (bounce_report_get_recipients (report)), ==, 1);
          r = g_list_model_get_item (bounce_report_get_recipients (report), 0);
          n++;
          if (g_strcmp0 (bounce_recipient_get_reason (r),
                         bounce_entry_get_closed (list) ? "systemerror" : "blocked") != 0)
            g_string_append_printf (failures, "%s (%s): %s\n", bounce_entry_get_id (list), zones[j],
                                    bounce_recipient_get_reason (r));
        }
    }
  /* Spamhaus's answer to a query through a public resolver, taken for a
   * listing: the sender is not listed, the receiving server's DNS setup is
   * broken, so the fault is on that side (a system error), not a block. */
  {
    static const char text[] = "<kim@example.net>: host mx.example.net[192.0.2.7] said: 554 5.7.1 "
                               "Service unavailable; Client host [192.0.2.10] blocked using "
                               "zen.spamhaus.org; Error: open resolver; "
                               "https://www.spamhaus.org/returnc/pub/198.51.100.53\n";
    g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "resolver", NULL, &error);
    g_autoptr(BounceRecipient) r = NULL;

    g_assert_no_error (error);
    r = g_list_model_get_item (bounce_report_get_recipients (report), 0);
    g_assert_nonnull (r);
    if (g_strcmp0 (bounce_recipient_get_reason (r), "systemerror") != 0)
      g_string_append_printf (failures, "open resolver: %s\n", bounce_recipient_get_reason (r));
  }

  g_test_message ("%u zones", n);
  g_assert_cmpuint (n, >, 10);
  if (failures->len > 0)
    {
      g_printerr ("%s", failures->str);
      g_test_fail_printf ("an IP listing is not a block, or a closed list is (see above)");
    }
}

/* Whether any rule matched on text has this id prefix or reason. */
static const char *
matched (const char *text,
         const char *id_prefix,
         const char *reason)
{
  g_autoptr(GPtrArray) rules = bounce_catalogue_match_rules (catalogue (), text, NULL);

  for (guint i = 0; i < rules->len; i++)
    {
      BounceEntry *e = rules->pdata[i];

      if ((id_prefix != NULL && g_str_has_prefix (bounce_entry_get_id (e), id_prefix)) ||
          (reason != NULL && g_strcmp0 (bounce_entry_get_reason (e), reason) == 0))
        return bounce_entry_get_id (e);
    }
  return NULL;
}

/* Rules read the server's words, not the names it quotes: no rule matches
 * inside the recipient's address, and inside a host name or a URL's path
 * only where it names the site itself ("bl.spamcop.net"), so a host called
 * spamcop-relay.example.net is no SpamCop listing.  The site a URL points
 * to is the server's word. */
static void
test_catalogue_names_are_not_words (void)
{
  GPtrArray *lists = bounce_catalogue_get_blocklists (catalogue ());
  g_autoptr(GString) failures = g_string_new (NULL);
  const char *hit;
  guint n = 0;

  if ((hit = matched ("550 5.0.1 Recipient rejected for dmarc@reports.example.com", NULL, "authfailure")))
    g_string_append_printf (failures, "dmarc@reports.example.com: %s\n", hit);
  if ((hit = matched ("554 5.7.1 Service unavailable; Client host [spamcop-relay.example.net] rejected",
                      "rule.dnsbl.", NULL)))
    g_string_append_printf (failures, "spamcop-relay.example.net: %s\n", hit);
  if ((hit = matched ("550 5.7.1 Rejected, see https://help.example.com/virus-and-spam-policy",
                      NULL, "virusdetected")))
    g_string_append_printf (failures, "a URL's path: %s\n", hit);

  /* every list's name, inside a host name and inside an address */
  for (guint i = 0; i < lists->len; i++)
    {
      const char * const *zones = bounce_entry_get_zones (lists->pdata[i]);

      for (guint j = 0; zones[j] != NULL; j++)
        {
          g_autofree char *label = g_strdelimit (g_strdup (zones[j]), ".", '-');
          g_autofree char *in_host = NULL;
          g_autofree char *in_address = NULL;

          if (g_hostname_is_ip_address (zones[j]))
            continue;
          in_host = g_strdup_printf ("554 5.7.1 Service unavailable; Client host "
                                     "[%s-relay.example.net] rejected", label);
          in_address = g_strdup_printf ("550 5.1.1 <%s@example.org>: Recipient address rejected: "
                                        "User unknown in local recipient table", label);
          n++;
          if ((hit = matched (in_host, "rule.dnsbl.", NULL)))
            g_string_append_printf (failures, "%s: %s\n", in_host, hit);
          if ((hit = matched (in_address, "rule.dnsbl.", NULL)))
            g_string_append_printf (failures, "%s: %s\n", in_address, hit);
        }
    }

  /* nor does the report name a list for a zone inside an address */
  {
    static const char text[] = "550 5.1.1 <bl.spamcop.net@example.org>: Recipient address rejected: "
                               "User unknown in local recipient table\n";
    g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "address", NULL, &error);

    g_assert_no_error (error);
    if (bounce_report_get_blocklists (report)->len > 0)
      g_string_append_printf (failures, "the zone in an address names %s\n",
                              bounce_entry_get_id (bounce_report_get_blocklists (report)->pdata[0]));
  }

  /* the server naming a list, or pointing to its page, still counts */
  g_assert_cmpstr (matched ("554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked "
                            "using bl.spamcop.net", "rule.dnsbl.spamcop", NULL), ==, "rule.dnsbl.spamcop");
  g_assert_nonnull (matched ("553 http://www.spamhaus.org/query/bl?ip=192.0.2.222", "rule.dnsbl.spamhaus", NULL));
  g_assert_nonnull (matched ("550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown",
                             NULL, "userunknown"));
  g_assert_cmpuint (n, >, 10);
  if (failures->len > 0)
    {
      g_printerr ("%s", failures->str);
      g_test_fail_printf ("a rule read a name, not the server's words (see above)");
    }
}

static void
test_catalogue_search (void)
{
  g_autoptr(GPtrArray) hits = NULL;

  hits = bounce_catalogue_search (catalogue (), "5.1.1");
  g_assert_cmpuint (hits->len, >, 0);
  g_assert_cmpstr (bounce_entry_get_code (hits->pdata[0]), ==, "X.1.1");

  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = bounce_catalogue_search (catalogue (), "mailbox full");
  g_assert_cmpuint (hits->len, >, 0);

  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = bounce_catalogue_search (catalogue (), "");
  g_assert_cmpuint (hits->len, ==, 0);

  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = bounce_catalogue_search (catalogue (), "zzqx-no-such-words");
  g_assert_cmpuint (hits->len, ==, 0);
}

/* Typing never JIT-compiles the rules' patterns: a search tries each rule
 * on the query, and once a rule had been tried often enough every rule was
 * compiled for the JIT in one keystroke, on the window's main thread. */
static void
test_catalogue_search_no_jit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceCatalogue) cat = bounce_catalogue_new_from_resource (BOUNCE_CATALOGUE_RESOURCE_DIR, &error);
  GPtrArray *entries;
  BounceEntry *rule = NULL;
  GRegex *plain;

  g_assert_no_error (error);
  entries = bounce_catalogue_get_entries (cat);
  for (guint i = 0; i < entries->len && rule == NULL; i++)
    if (bounce_entry_get_kind (entries->pdata[i]) == BOUNCE_ENTRY_RULE)
      rule = entries->pdata[i];
  g_assert_nonnull (rule);
  plain = bounce_entry_get_plain_regex (rule);
  g_assert_nonnull (plain);

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GPtrArray) hits = bounce_catalogue_search (cat, "zzqx-no-such-words");

      g_assert_cmpuint (hits->len, ==, 0);
    }
  /* (bounce_entry_get_regex() gives the JIT's once it is compiled) */
  g_assert_true (bounce_entry_get_regex (rule) == plain);
}

/* A rule that names a provider's own code ("TSS04") is found through that
 * code: the providers' token shapes must find it in the rule's examples,
 * or the window cannot highlight and explain it. */
static void
test_catalogue_rule_tokens (void)
{
  GPtrArray *entries = bounce_catalogue_get_entries (catalogue ());
  BounceAlternation *tokens = bounce_catalogue_get_tokens (catalogue ());
  g_autoptr(GString) failures = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      BounceEntry *rule = entries->pdata[i];
      const char * const *examples = bounce_entry_get_examples (rule);
      const char *code = bounce_entry_get_code (rule);
      gboolean found = FALSE;

      if (bounce_entry_get_kind (rule) != BOUNCE_ENTRY_RULE || code == NULL)
        continue;
      n++;
      for (guint j = 0; examples[j] != NULL && !found; j++)
        {
          g_autoptr(GPtrArray) findings = bounce_extract_all (examples[j], tokens);

          for (guint k = 0; k < findings->len && !found; k++)
            {
              BounceFinding *f = findings->pdata[k];

              found = f->kind == BOUNCE_FINDING_PROVIDER_TOKEN &&
                      (g_ascii_strcasecmp (f->text, code) == 0 || g_str_has_suffix (f->text, code));
            }
        }
      if (!found)
        g_string_append_printf (failures, "%s: no example yields the token %s\n",
                                bounce_entry_get_id (rule), code);
    }
  g_test_message ("%u rules with a provider code", n);
  g_assert_cmpuint (n, >, 50);
  if (failures->len > 0)
    {
      g_printerr ("%s", failures->str);
      g_test_fail_printf ("provider codes the token shapes do not find (see above)");
    }
}

static void
test_catalogue_bad_entries (void)
{
  static const char * const bad[] = {
    "{\"id\":\"x\",\"kind\":\"nonsense\",\"title\":\"t\"}",
    "{\"id\":\"Bad Id\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\"}",
    "{\"id\":\"x\",\"kind\":\"rule\",\"title\":\"t\",\"pattern\":\"(unclosed\"}",
    "{\"id\":\"x\",\"kind\":\"rule\",\"title\":\"t\",\"pattern\":\"a\",\"reason\":\"nosuchreason\"}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"source\":\"http://example.com/\"}",
    "{\"id\":\"x\",\"kind\":\"blocklist\",\"title\":\"t\",\"lookup_ip\":\"https://example.com/\"}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"title\":\"t\"}",
    /* a rule must say how strong its wording is, and only rules do */
    "{\"id\":\"x\",\"kind\":\"rule\",\"title\":\"t\",\"pattern\":\"a\",\"reason\":\"blocked\"}",
    "{\"id\":\"x\",\"kind\":\"rule\",\"title\":\"t\",\"pattern\":\"a\",\"strength\":\"strong\"}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"strength\":\"weak\"}",
    /* token shapes belong to providers and must compile */
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"tokens\":\"A1\"}",
    "{\"id\":\"x\",\"kind\":\"provider\",\"code\":\"x\",\"name\":\"t\",\"pattern\":\"x\",\"tokens\":\"(A\"}",
    /* conditional steps: known keys and values, a condition, a case for
     * the server's words, "otherwise" after a "words" step */
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"sender\":[{\"text\":\"a\",\"when\":\"x\"}]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"sender\":[{\"text\":\"a\"}]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"sender\":[{\"text\":\"a\",\"state\":\"soon\"}]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"sender\":[{\"text\":\"a\",\"class\":\"5\"}]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"sender\":[{\"text\":\"a\",\"words\":\"full\"}]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"sender\":[{\"text\":\"a\",\"words\":\"(full\",\"case\":\"If\"}]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"sender\":[{\"text\":\"a\",\"otherwise\":true,\"case\":\"If\"}]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"sender\":[{\"state\":\"delayed\"}]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"sender\":[42]}",
    /* values of the wrong JSON type, which json-glib's typed getters
     * answered with a critical (found by fuzz-catalogue) */
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"sender\":[{\"text\":\"a\",\"state\":{}}]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"sender\":[{\"text\":\"a\",\"class\":[]}]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"sender\":[{\"text\":\"a\",\"words\":{},\"case\":\"If\"}]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"links\":[\"https://example.com/\"]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"links\":[{\"title\":{},\"url\":\"https://example.com/\"}]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"links\":[{\"title\":\"t\",\"url\":[]}]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"links\":{\"title\":\"t\"}}",
    /* a priority is a bounded integer; multi is a boolean */
    "{\"id\":\"x\",\"kind\":\"rule\",\"title\":\"t\",\"pattern\":\"a\",\"strength\":\"weak\",\"priority\":2147483648}",
    "{\"id\":\"x\",\"kind\":\"rule\",\"title\":\"t\",\"pattern\":\"a\",\"strength\":\"weak\",\"priority\":\"50\"}",
    "{\"id\":\"x\",\"kind\":\"rule\",\"title\":\"t\",\"pattern\":\"a\",\"strength\":\"weak\",\"priority\":1e300}",
    "{\"id\":\"x\",\"kind\":\"rule\",\"title\":\"t\",\"pattern\":\"a\",\"strength\":\"weak\",\"multi\":\"yes\"}",
    /* an empty answer code splits into no parts at all (found by
     * fuzz-catalogue: GIO was handed NULL and raised a critical) */
    "{\"id\":\"x\",\"kind\":\"blocklist\",\"title\":\"t\",\"pattern\":\"x\\\\.example\",\"dns\":{\"zone\":\"x.example.org\",\"query\":[\"ipv4\"],\"source\":\"https://x.example.org/\",\"answers\":[{\"code\":\"\",\"meaning\":\"m\"}]}}",
    "{\"id\":\"x\",\"kind\":\"blocklist\",\"title\":\"t\",\"pattern\":\"x\\\\.example\",\"dns\":{\"zone\":\"x.example.org\",\"query\":[\"ipv4\"],\"source\":\"https://x.example.org/\",\"answers\":[{\"code\":\"-\",\"meaning\":\"m\"}]}}",
    /* a string that is not UTF-8: json-glib takes an octal escape
     * ("\377", the byte 0xff) and does not check what it makes, and a
     * pattern of it crashed PCRE2 inside g_regex_new() (found by
     * fuzz-catalogue) */
    "{\"id\":\"x\",\"kind\":\"rule\",\"title\":\"t\",\"pattern\":\"a\\377\",\"strength\":\"weak\"}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\",\"sender\":[{\"text\":\"a\",\"words\":\"\\377\",\"case\":\"If\"}]}",
    "{\"id\":\"x\",\"kind\":\"reply\",\"code\":\"550\",\"title\":\"t\\377\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(BounceEntry) entry = NULL;

      g_assert_true (json_parser_load_from_data (parser, bad[i], -1, NULL));
      entry = bounce_entry_new_from_json (json_node_get_object (json_parser_get_root (parser)), &error);
      g_assert_null (entry);
      g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE);
    }
}

/* A provider's entry for a code explains that code only from that
 * provider when the registry defines the code for everyone: Google's
 * 5.7.28 page is about Gmail, the registry's X.7.28 ("mail flood
 * detected") about any server.  A code no registry entry covers (Microsoft's
 * 5.7.57) is still best explained by the one provider that defines it. */
static void
test_catalogue_code_scope (void)
{
  static const struct { const char *code; const char *provider; const char *id; } cases[] = {
    { "5.7.28", NULL, "enhanced.x.7.28" },
    { "5.7.28", "google", "enhanced.google.5.7.28" },
    { "5.7.28", "microsoft", "enhanced.x.7.28" },
    { "5.7.13", NULL, "enhanced.x.7.13" },
    { "5.7.57", NULL, "enhanced.microsoft.5.7.57" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BounceEntry *e = bounce_catalogue_find_enhanced (catalogue (), cases[i].code, cases[i].provider);

      g_assert_nonnull (e);
      g_assert_cmpstr (bounce_entry_get_id (e), ==, cases[i].id);
    }
}

/* The remote hosts Sisimai's provider tables (the modules in lib/Sisimai/Rhost/) are
 * recognised by name their provider; a provider within another (Yahoo's
 * inbound servers within Yahoo) gets the other's scoped entries too, and
 * its own entries do not apply to the other.  A host whose name only
 * contains a provider's ("notqq.com", "my-yahoodns.net") is nobody's. */
static gboolean
has_entry (GPtrArray  *entries,
           const char *id)
{
  for (guint i = 0; i < entries->len; i++)
    if (g_str_equal (bounce_entry_get_id (entries->pdata[i]), id))
      return TRUE;
  return FALSE;
}

static void
test_catalogue_provider_hosts (void)
{
  static const struct { const char *host; const char *provider; } hosts[] = {
    { "Remote-MTA: dns; mx3.qq.com", "tencent" },
    { "Remote-MTA: dns; mfsmax.docomo.ne.jp", "nttdocomo" },
    { "Remote-MTA: dns; msmx.au.com", "kddi" },
    { "Reporting-MTA: dns; lsean.ezweb.ne.jp", "kddi" },
    { "Remote-MTA: dns; mx3.email.ua", "iua" },
    { "Remote-MTA: dns; BN6PR11MB1234.namprd11.prod.exchangelabs.com", "microsoft" },
    { "Remote-MTA: dns; mta6.am0.yahoodns.net", "yahoo-mx" },
    { "From: MAILER-DAEMON@yahoo.com", "yahoo" },
    { "Remote-MTA: dns; mx.bureau.com", NULL },
    /* a provider's name inside another host's name is not the provider */
    { "Remote-MTA: dns; mx.notqq.com", NULL },
    { "Remote-MTA: dns; mx.not-qq.com", NULL },
    { "Remote-MTA: dns; qq.com-relay.example.net", NULL },
    { "Remote-MTA: dns; mx.evil-docomo.ne.jp", NULL },
    { "Remote-MTA: dns; my-ezweb.ne.jp", NULL },
    { "Remote-MTA: dns; mx.taxi.ua", NULL },
    { "Remote-MTA: dns; mx.not-exchangelabs.com", NULL },
    { "Remote-MTA: dns; mx.my-yahoodns.net", NULL },
    { "Remote-MTA: dns; mx.fake-aol.com", NULL },
    { "Remote-MTA: dns; contoso.notonmicrosoft.com", NULL },
  };
  const char *deferral = "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected "
                         "volume or user complaints";
  g_autoptr(GPtrArray) from_mx = NULL;
  g_autoptr(GPtrArray) from_yahoo = NULL;
  BounceEntry *mx;

  for (gsize i = 0; i < G_N_ELEMENTS (hosts); i++)
    g_assert_cmpstr (bounce_catalogue_detect_provider (catalogue (), hosts[i].host), ==, hosts[i].provider);

  mx = bounce_catalogue_find_provider (catalogue (), "yahoo-mx");
  g_assert_nonnull (mx);
  g_assert_cmpstr (bounce_entry_get_within (mx), ==, "yahoo");
  from_mx = bounce_catalogue_match_rules (catalogue (), deferral, "yahoo-mx");
  from_yahoo = bounce_catalogue_match_rules (catalogue (), deferral, "yahoo");
  g_assert_cmpuint (from_mx->len, >, 0);
  g_assert_cmpstr (bounce_entry_get_id (from_mx->pdata[0]), ==, "rule.yahoo.mx-deferred");
  g_assert_true (has_entry (from_mx, "rule.yahoo.deferred"));
  g_assert_false (has_entry (from_yahoo, "rule.yahoo.mx-deferred"));
  g_assert_cmpstr (bounce_entry_get_id (from_yahoo->pdata[0]), ==, "rule.yahoo.deferred");
}

/* A catalogue tried out from a directory (BOUNCE_CATALOGUE_DIR): a missing
 * one is an error that names the file; a rule whose pattern does not
 * compile is said once, when first tried, and never matches, while the
 * others still do. */
static void
test_catalogue_directory (void)
{
  static const char index_json[] = "{\"version\":\"t\",\"files\":[\"rules.json\"]}";
  static const char rules_json[] =
    "{\"entries\":["
    "{\"id\":\"rule.t.bad\",\"kind\":\"rule\",\"strength\":\"generic\",\"reason\":\"onhold\","
    "\"pattern\":\"grey(list\",\"examples\":[\"greylisted\"],\"title\":\"t\",\"explanation\":\"t\"},"
    "{\"id\":\"rule.t.good\",\"kind\":\"rule\",\"strength\":\"generic\",\"reason\":\"onhold\","
    "\"pattern\":\"grey\\\\s*listed\",\"examples\":[\"greylisted\"],\"title\":\"t\",\"explanation\":\"t\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceCatalogue) missing = NULL;
  g_autoptr(BounceCatalogue) tried = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *index_path = NULL;
  g_autofree char *rules_path = NULL;

  if (!g_test_subprocess ())
    {
      missing = bounce_catalogue_new_from_directory ("/nonexistent/catalogue", &error);
      g_assert_null (missing);
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
      g_assert_nonnull (strstr (error->message, "/nonexistent/catalogue/index.json"));

      /* (the warning, once, in a child: the test's own warnings are fatal) */
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stderr ("*rule.t.bad*bad pattern*");
      g_test_trap_assert_stderr_unmatched ("*bad pattern*bad pattern*");
      return;
    }

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  dir = g_dir_make_tmp ("bounce-catalogue-XXXXXX", &error);
  g_assert_no_error (error);
  index_path = g_build_filename (dir, "index.json", NULL);
  rules_path = g_build_filename (dir, "rules.json", NULL);
  g_assert_true (g_file_set_contents (index_path, index_json, -1, NULL));
  g_assert_true (g_file_set_contents (rules_path, rules_json, -1, NULL));
  tried = bounce_catalogue_new_from_directory (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bounce_catalogue_get_version (tried), ==, "t");

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GPtrArray) rules = bounce_catalogue_match_rules (tried, "451 4.7.1 Greylisted, try again later", NULL);

      g_assert_cmpuint (rules->len, ==, 1);
      g_assert_cmpstr (bounce_entry_get_id (rules->pdata[0]), ==, "rule.t.good");
    }
  g_unlink (rules_path);
  g_unlink (index_path);
  g_rmdir (dir);
}

/* The window's worker threads match rules of one shared catalogue at once,
 * while its patterns are still uncompiled: each rule's regex is compiled
 * on first use and JIT-compiled later, whichever thread gets there first.
 * Every thread must get the same answers as one thread alone; a compile
 * that two threads both keep would leak (the sanitizer build sees that). */
#define MATCH_THREADS 4
#define MATCH_ROUNDS 13   /* 4 x 13 uses of a rule: past its JIT compile */

typedef struct {
  BounceCatalogue *catalogue;
  GPtrArray *texts;          /* one example of every rule */
  gint *go;
} MatchJob;

static char *
matched_ids (BounceCatalogue *cat,
             const char      *text)
{
  g_autoptr(GPtrArray) rules = bounce_catalogue_match_rules (cat, text, NULL);
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < rules->len; i++)
    g_string_append_printf (ids, "%s ", bounce_entry_get_id (rules->pdata[i]));
  return g_string_free (ids, FALSE);
}

static gpointer
match_thread (gpointer data)
{
  MatchJob *job = data;
  GPtrArray *answers = g_ptr_array_new_with_free_func (g_free);

  while (!g_atomic_int_get (job->go))
    g_thread_yield ();
  for (guint round = 0; round < MATCH_ROUNDS; round++)
    for (guint i = 0; i < job->texts->len; i++)
      {
        char *ids = matched_ids (job->catalogue, job->texts->pdata[i]);

        if (round == 0)
          g_ptr_array_add (answers, ids);
        else
          g_free (ids);
      }
  return answers;
}

static void
test_catalogue_threads (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceCatalogue) fresh = bounce_catalogue_new_from_resource (BOUNCE_CATALOGUE_RESOURCE_DIR, &error);
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  GPtrArray *entries = bounce_catalogue_get_entries (catalogue ());
  GThread *threads[MATCH_THREADS];
  gint go = 0;
  MatchJob job = { fresh, texts, &go };

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    if (bounce_entry_get_kind (entries->pdata[i]) == BOUNCE_ENTRY_RULE)
      g_ptr_array_add (texts, (gpointer) bounce_entry_get_examples (entries->pdata[i])[0]);
  g_assert_cmpuint (texts->len, >, 100);

  for (guint t = 0; t < MATCH_THREADS; t++)
    threads[t] = g_thread_new ("match", match_thread, &job);
  g_atomic_int_set (&go, 1);
  for (guint t = 0; t < MATCH_THREADS; t++)
    {
      g_autoptr(GPtrArray) answers = g_thread_join (threads[t]);

      g_assert_cmpuint (answers->len, ==, texts->len);
      for (guint i = 0; i < texts->len; i++)
        {
          g_autofree char *alone = matched_ids (catalogue (), texts->pdata[i]);

          g_assert_cmpstr (answers->pdata[i], ==, alone);
        }
    }
}

/* The same race without the matching around it, made likely: the
 * threads wait for each other at every entry of a fresh catalogue (a
 * spinning start line) and then all ask it for its regex, 13 times each,
 * past the JIT compile.  An entry publishes the first regex compiled and
 * hands that one to every thread, so no entry may have shown the threads
 * more than two (the plain one and the JIT-compiled one), and the last
 * must be what it gives now.  A compile that a thread kept for itself
 * instead of the published one shows as a third. */
typedef struct {
  GPtrArray *entries;        /* BounceEntry with a pattern */
  gint *arrived;             /* per entry: threads at its start line */
} RegexJob;

static gpointer
regex_thread (gpointer data)
{
  RegexJob *job = data;
  GPtrArray *seen = g_ptr_array_new ();   /* entry x MATCH_ROUNDS */

  for (guint e = 0; e < job->entries->len; e++)
    {
      g_atomic_int_inc (&job->arrived[e]);
      /* spinning, so that the threads on the cores leave together */
      for (guint spins = 0; g_atomic_int_get (&job->arrived[e]) < MATCH_THREADS; spins++)
        if (spins > 10000)
          g_thread_yield ();
      for (guint round = 0; round < MATCH_ROUNDS; round++)
        g_ptr_array_add (seen, bounce_entry_get_regex (job->entries->pdata[e]));
    }
  return seen;
}

static void
test_catalogue_threads_regex (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceCatalogue) fresh = bounce_catalogue_new_from_resource (BOUNCE_CATALOGUE_RESOURCE_DIR, &error);
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autofree gint *arrived = NULL;
  GPtrArray *seen[MATCH_THREADS];
  GThread *threads[MATCH_THREADS];
  RegexJob job;
  GPtrArray *all;

  g_assert_no_error (error);
  all = bounce_catalogue_get_entries (fresh);
  for (guint i = 0; i < all->len; i++)
    if (bounce_entry_get_pattern (all->pdata[i]) != NULL)
      g_ptr_array_add (entries, all->pdata[i]);
  g_assert_cmpuint (entries->len, >, 100);
  arrived = g_new0 (gint, entries->len);
  job = (RegexJob) { entries, arrived };

  for (guint t = 0; t < MATCH_THREADS; t++)
    threads[t] = g_thread_new ("regex", regex_thread, &job);
  for (guint t = 0; t < MATCH_THREADS; t++)
    seen[t] = g_thread_join (threads[t]);

  for (guint e = 0; e < entries->len; e++)
    {
      GRegex *now = bounce_entry_get_regex (entries->pdata[e]);
      GRegex *other = NULL;

      g_assert_nonnull (now);
      for (guint t = 0; t < MATCH_THREADS; t++)
        for (guint round = 0; round < MATCH_ROUNDS; round++)
          {
            GRegex *got = seen[t]->pdata[e * MATCH_ROUNDS + round];

            if (got == now)
              continue;
            if (other == NULL)
              other = got;
            if (got != other)
              g_test_fail_printf ("%s: the threads got three regexes",
                                  bounce_entry_get_id (entries->pdata[e]));
          }
    }
  for (guint t = 0; t < MATCH_THREADS; t++)
    g_ptr_array_unref (seen[t]);
}

/* The words a pattern needs, one per alternative, never from optional
 * parts, classes, escapes or lookarounds; none when an alternative has no
 * certain word, or the syntax is not followed. */
static void
test_prefilter_words (void)
{
  static const struct { const char *pattern; const char *words; } cases[] = {
    { "user unknown", "unknown" },
    { "\\bmailbox\\s+(?:is\\s+)?full\\b", "mailbox" },
    { "(?i)quota|over ?limit", "quota,limit" },
    { "spamhaus|(?:blocked|listed) by", "spamhaus,blocked,listed" },
    { "colou?r", "colo" },
    { "colou?rfully", "rfully" },
    { "(?:abc)?def", "def" },
    { "\\d{3}\\.\\d", NULL },
    { "a|bcd", NULL },
    { "\\x{41}bcd\\p{L}efg", "bcd" },
    { "[a-z]+xyz(?=tail)", "xyz" },
    { "(?!never)word", "word" },
    { "abcd{0,2}efgh", "efgh" },
    { "ab?cd?", NULL },
    { "abc{2}de", "abc" },
    { "\\Qliteral\\E", NULL },
    { "(?x) spaced out", NULL },
    { "アイレクトリ", "アイレクトリ" },
    /* (a character folding decomposes ends a word: "デ" is "テ" and U+3099) */
    { "ディレクトリ", "ィレクトリ" },
    { "IB506", "ib506" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) words = bounce_prefilter_words (cases[i].pattern);
      g_autofree char *joined = words != NULL ? g_strjoinv (",", words) : NULL;

      g_assert_cmpstr (joined, ==, cases[i].words);
    }
}

/* The sets of words a pattern needs: all the certain words of each way
 * through its alternatives, a group's alternatives multiplied out with
 * the words around them, and nothing from optional parts, classes,
 * escapes or lookarounds. */
static void
test_prefilter_sets (void)
{
  static const struct { const char *pattern; const char *sets; } cases[] = {
    { "user unknown", "user+unknown" },
    { "\\bmailbox\\s+(?:is\\s+)?full\\b", "mailbox+full" },
    { "(?i)quota|over ?limit", "quota|over+limit" },
    { "spamhaus|(?:blocked|listed) by", "spamhaus|blocked|listed" },
    { "(?:mailbox|account) (?:is )?(?:disabled|inactive)",
      "mailbox+disabled|mailbox+inactive|account+disabled|account+inactive" },
    { "user (?:unknown|not found) here", "user+unknown+here|user+not+found+here" },
    { "(?:no|not) such user", "such+user" },
    { "user user", "user" },
    { "a|bcd", NULL },
    { "(?:abc|de)fghij", "fghij" },
    { "(?=look)ahead", "ahead" },
    /* punctuation as itself or escaped, and characters without case, are
     * part of a word; white space and characters with a case are not */
    { "\\bya\\.ru\\b", "ya.ru" },
    { "(?<![\\w-])(?:i|email)\\.ua(?![\\w-])", ".ua" },
    { "don't know", "don't+know" },
    { "x-ms-exchange", "x-ms-exchange" },
    { "ÉCOLE mail", "cole+mail" },
    { "ab c", NULL },
    { "ab’s", NULL },
    { "5\\.7\\.1|ディレクトリ", "5.7.1|ィレクトリ" },
    /* five groups of two and one of eleven: 55 combinations, all kept
     * (the catalogue's "account ... disabled" words multiply out so) */
    { "\\b(?:account|mailbox|user|address|recipient)\\s{1,3}(?:disabled|suspended|deactivated|inactive|frozen|locked|discontinued|closed|terminated|expired|blocked)\\b",
      "account+disabled|account+suspended|account+deactivated|account+inactive|account+frozen|"
      "account+locked|account+discontinued|account+closed|account+terminated|account+expired|"
      "account+blocked|mailbox+disabled|mailbox+suspended|mailbox+deactivated|mailbox+inactive|"
      "mailbox+frozen|mailbox+locked|mailbox+discontinued|mailbox+closed|mailbox+terminated|"
      "mailbox+expired|mailbox+blocked|user+disabled|user+suspended|user+deactivated|"
      "user+inactive|user+frozen|user+locked|user+discontinued|user+closed|"
      "user+terminated|user+expired|user+blocked|address+disabled|address+suspended|"
      "address+deactivated|address+inactive|address+frozen|address+locked|address+discontinued|"
      "address+closed|address+terminated|address+expired|address+blocked|recipient+disabled|"
      "recipient+suspended|recipient+deactivated|recipient+inactive|recipient+frozen|recipient+locked|"
      "recipient+discontinued|recipient+closed|recipient+terminated|recipient+expired|recipient+blocked" },
    /* seven groups of two: 128 combinations, more than are kept; the groups
     * past that are left out */
    { "(?:aaa|bbb) (?:ccc|ddd) (?:eee|fff) (?:ggg|hhh) (?:iii|jjj) (?:kkk|lll) (?:mmm|nnn)",
      "aaa+ccc+eee+ggg+iii+kkk|aaa+ccc+eee+ggg+iii+lll|aaa+ccc+eee+ggg+jjj+kkk|aaa+ccc+eee+ggg+jjj+lll|"
      "aaa+ccc+eee+hhh+iii+kkk|aaa+ccc+eee+hhh+iii+lll|aaa+ccc+eee+hhh+jjj+kkk|aaa+ccc+eee+hhh+jjj+lll|"
      "aaa+ccc+fff+ggg+iii+kkk|aaa+ccc+fff+ggg+iii+lll|aaa+ccc+fff+ggg+jjj+kkk|aaa+ccc+fff+ggg+jjj+lll|"
      "aaa+ccc+fff+hhh+iii+kkk|aaa+ccc+fff+hhh+iii+lll|aaa+ccc+fff+hhh+jjj+kkk|aaa+ccc+fff+hhh+jjj+lll|"
      "aaa+ddd+eee+ggg+iii+kkk|aaa+ddd+eee+ggg+iii+lll|aaa+ddd+eee+ggg+jjj+kkk|aaa+ddd+eee+ggg+jjj+lll|"
      "aaa+ddd+eee+hhh+iii+kkk|aaa+ddd+eee+hhh+iii+lll|aaa+ddd+eee+hhh+jjj+kkk|aaa+ddd+eee+hhh+jjj+lll|"
      "aaa+ddd+fff+ggg+iii+kkk|aaa+ddd+fff+ggg+iii+lll|aaa+ddd+fff+ggg+jjj+kkk|aaa+ddd+fff+ggg+jjj+lll|"
      "aaa+ddd+fff+hhh+iii+kkk|aaa+ddd+fff+hhh+iii+lll|aaa+ddd+fff+hhh+jjj+kkk|aaa+ddd+fff+hhh+jjj+lll|"
      "bbb+ccc+eee+ggg+iii+kkk|bbb+ccc+eee+ggg+iii+lll|bbb+ccc+eee+ggg+jjj+kkk|bbb+ccc+eee+ggg+jjj+lll|"
      "bbb+ccc+eee+hhh+iii+kkk|bbb+ccc+eee+hhh+iii+lll|bbb+ccc+eee+hhh+jjj+kkk|bbb+ccc+eee+hhh+jjj+lll|"
      "bbb+ccc+fff+ggg+iii+kkk|bbb+ccc+fff+ggg+iii+lll|bbb+ccc+fff+ggg+jjj+kkk|bbb+ccc+fff+ggg+jjj+lll|"
      "bbb+ccc+fff+hhh+iii+kkk|bbb+ccc+fff+hhh+iii+lll|bbb+ccc+fff+hhh+jjj+kkk|bbb+ccc+fff+hhh+jjj+lll|"
      "bbb+ddd+eee+ggg+iii+kkk|bbb+ddd+eee+ggg+iii+lll|bbb+ddd+eee+ggg+jjj+kkk|bbb+ddd+eee+ggg+jjj+lll|"
      "bbb+ddd+eee+hhh+iii+kkk|bbb+ddd+eee+hhh+iii+lll|bbb+ddd+eee+hhh+jjj+kkk|bbb+ddd+eee+hhh+jjj+lll|"
      "bbb+ddd+fff+ggg+iii+kkk|bbb+ddd+fff+ggg+iii+lll|bbb+ddd+fff+ggg+jjj+kkk|bbb+ddd+fff+ggg+jjj+lll|"
      "bbb+ddd+fff+hhh+iii+kkk|bbb+ddd+fff+hhh+iii+lll|bbb+ddd+fff+hhh+jjj+kkk|bbb+ddd+fff+hhh+jjj+lll" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sets = bounce_prefilter_describe (cases[i].pattern);

      g_assert_cmpstr (sets, ==, cases[i].sets);
    }
}

/* A rule is a candidate only when all the words of one of its sets are in
 * the text, wherever they stand. */
static void
test_prefilter_needs_all_words (void)
{
  BouncePrefilter *filter = bounce_prefilter_new ();
  /* which rules are candidates; which alternatives may match (the
   * first rule's two, the second's one) */
  static const struct { const char *text; const char *expected; const char *alive; } cases[] = {
    { "mailbox is full", "11", "101" },
    { "the mail box is full, the account disabled", "01", "001" },
    { "the mail box is full", "00", "000" },
    { "mailbox is disabled", "01", "001" },
    { "account inactive; fullness", "11", "011" },
    { "quota", "00", "000" },
    /* a long s, which a caseless "s" matches: every rule */
    { "quota \u017f", "11", "111" },
  };
  guint first;

  bounce_prefilter_add (filter, 0, "mailbox (?:is )?full|account.*inactive");
  bounce_prefilter_add (filter, 1, "(?:mailbox|account) (?:is )?(?:disabled|inactive|full)");
  bounce_prefilter_build (filter);
  g_assert_cmpuint (bounce_prefilter_get_n_alternatives (filter), ==, 3);
  g_assert_cmpuint (bounce_prefilter_get_alternatives (filter, 0, &first), ==, 2);
  g_assert_cmpuint (first, ==, 0);
  g_assert_cmpuint (bounce_prefilter_get_alternatives (filter, 1, &first), ==, 1);
  g_assert_cmpuint (first, ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint8 candidates[2] = { 0, 0 };
      guint8 alive[3] = { 7, 7, 7 };
      char got[3], got_alive[4];

      bounce_prefilter_scan (filter, cases[i].text, strlen (cases[i].text), candidates, NULL);
      got[0] = candidates[0] ? '1' : '0';
      got[1] = candidates[1] ? '1' : '0';
      got[2] = '\0';
      g_assert_cmpstr (got, ==, cases[i].expected);

      /* the same candidates when the alternatives are asked for */
      memset (candidates, 0, sizeof candidates);
      bounce_prefilter_scan (filter, cases[i].text, strlen (cases[i].text), candidates, alive);
      got[0] = candidates[0] ? '1' : '0';
      got[1] = candidates[1] ? '1' : '0';
      g_assert_cmpstr (got, ==, cases[i].expected);
      for (guint a = 0; a < 3; a++)
        got_alive[a] = alive[a] == 1 ? '1' : alive[a] == 0 ? '0' : '?';
      got_alive[3] = '\0';
      g_assert_cmpstr (got_alive, ==, cases[i].alive);
    }
  bounce_prefilter_free (filter);
}

/* The prefilter never leaves out a rule that matches: every rule is a
 * candidate for each of its examples, and for the same text in upper case
 * and with its white space changed. */
static void
test_prefilter_candidates (void)
{
  GPtrArray *entries = bounce_catalogue_get_entries (catalogue ());
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  BouncePrefilter *filter = bounce_prefilter_new ();
  guint with_words = 0;

  for (guint i = 0; i < entries->len; i++)
    if (bounce_entry_get_kind (entries->pdata[i]) == BOUNCE_ENTRY_RULE)
      {
        if (bounce_prefilter_add (filter, rules->len, bounce_entry_get_pattern (entries->pdata[i])))
          with_words++;
        g_ptr_array_add (rules, entries->pdata[i]);
      }
  bounce_prefilter_build (filter);
  g_test_message ("%u of %u rules have words", with_words, rules->len);
  for (guint i = 0; g_test_verbose () && i < rules->len; i++)
    {
      g_auto(GStrv) words = bounce_prefilter_words (bounce_entry_get_pattern (rules->pdata[i]));

      if (words == NULL)
        g_test_message ("always tried: %s", bounce_entry_get_id (rules->pdata[i]));
    }
  /* (most rules must have words, or the filter saves nothing) */
  g_assert_cmpuint (with_words * 10, >=, rules->len * 9);

  for (guint i = 0; i < rules->len; i++)
    {
      const char * const *examples = bounce_entry_get_examples (rules->pdata[i]);

      for (guint j = 0; examples[j] != NULL; j++)
        {
          g_autofree char *upper = g_utf8_strup (examples[j], -1);
          g_auto(GStrv) parts = g_strsplit (examples[j], " ", -1);
          g_autofree char *spaced = g_strjoinv ("\n\t ", parts);
          const char *texts[] = { examples[j], upper, spaced };

          for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
            {
              g_autofree char *folded = bounce_literal_fold (texts[t], -1);
              g_autofree guint8 *candidates = g_new0 (guint8, rules->len);

              if (!g_regex_match (bounce_entry_get_regex (rules->pdata[i]), texts[t], 0, NULL))
                continue;
              bounce_prefilter_scan (filter, folded, strlen (folded), candidates, NULL);
              if (!candidates[i])
                g_error ("%s: not a candidate for “%s”", bounce_entry_get_id (rules->pdata[i]), texts[t]);
            }
        }
    }
  bounce_prefilter_free (filter);
}

/* A compiled filter read as trusted uses the word sets' index stored at
 * build time, one read with checks makes it again: over the rules' examples
 * both give the built filter's candidates and alternatives. */
static void
test_prefilter_compiled_sets (void)
{
  GPtrArray *entries = bounce_catalogue_get_entries (catalogue ());
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  BouncePrefilter *filters[3];
  g_autoptr(GVariant) variant = NULL;
  guint n_alts;

  filters[0] = bounce_prefilter_new ();
  for (guint i = 0; i < entries->len; i++)
    if (bounce_entry_get_kind (entries->pdata[i]) == BOUNCE_ENTRY_RULE)
      {
        bounce_prefilter_add (filters[0], rules->len, bounce_entry_get_pattern (entries->pdata[i]));
        g_ptr_array_add (rules, entries->pdata[i]);
      }
  bounce_prefilter_build (filters[0]);
  variant = g_variant_ref_sink (bounce_prefilter_to_variant (filters[0]));
  filters[1] = bounce_prefilter_new_from_variant (variant, FALSE);
  filters[2] = bounce_prefilter_new_from_variant (variant, TRUE);
  g_assert_nonnull (filters[1]);
  g_assert_nonnull (filters[2]);
  n_alts = bounce_prefilter_get_n_alternatives (filters[0]);

  for (guint i = 0; i < rules->len; i++)
    {
      const char * const *examples = bounce_entry_get_examples (rules->pdata[i]);

      for (guint j = 0; examples[j] != NULL; j++)
        {
          g_autofree char *folded = bounce_literal_fold (examples[j], -1);
          guint8 *candidates[3] = { NULL, NULL, NULL };
          guint8 *alive[3] = { NULL, NULL, NULL };

          for (guint f = 0; f < 3; f++)
            {
              candidates[f] = g_new0 (guint8, rules->len);
              alive[f] = g_new0 (guint8, MAX (n_alts, 1));
              bounce_prefilter_scan (filters[f], folded, strlen (folded), candidates[f], alive[f]);
            }
          for (guint f = 1; f < 3; f++)
            {
              g_assert_cmpmem (candidates[f], rules->len, candidates[0], rules->len);
              g_assert_cmpmem (alive[f], n_alts, alive[0], n_alts);
            }
          for (guint f = 0; f < 3; f++)
            {
              g_free (candidates[f]);
              g_free (alive[f]);
              candidates[f] = alive[f] = NULL;
            }
        }
    }
  for (guint f = 0; f < 3; f++)
    bounce_prefilter_free (filters[f]);
}

/* -- the compiled catalogue ------------------------------------------------ */

static void
assert_same_strv (const char * const *a,
                  const char * const *b)
{
  g_assert_cmpuint (g_strv_length ((GStrv) a), ==, g_strv_length ((GStrv) b));
  for (guint i = 0; a[i] != NULL; i++)
    g_assert_cmpstr (a[i], ==, b[i]);
}

static void
assert_same_literals (GPtrArray *a,
                      GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      g_assert_cmpuint (bounce_literal_get_n_parts (a->pdata[i]), ==, bounce_literal_get_n_parts (b->pdata[i]));
      for (guint k = 0; k < bounce_literal_get_n_parts (a->pdata[i]); k++)
        g_assert_cmpstr (bounce_literal_get_part (a->pdata[i], k), ==, bounce_literal_get_part (b->pdata[i], k));
    }
}

static void
assert_same_steps (BounceEntry *a,
                   BounceEntry *b,
                   gboolean     admin)
{
  g_autoptr(GPtrArray) x = bounce_entry_select_steps (a, admin, NULL);
  g_autoptr(GPtrArray) y = bounce_entry_select_steps (b, admin, NULL);
  /* a context in which every kind of condition can be decided */
  BounceStepContext context = { "mailbox full quota exceeded over quota", BOUNCE_OUTCOME_DELAYED,
                                BOUNCE_PERMANENCE_TEMPORARY };
  g_autoptr(GPtrArray) xc = bounce_entry_select_steps (a, admin, &context);
  g_autoptr(GPtrArray) yc = bounce_entry_select_steps (b, admin, &context);

  g_assert_cmpuint (x->len, ==, y->len);
  for (guint i = 0; i < x->len; i++)
    {
      g_autofree char *p = bounce_step_to_string (x->pdata[i]);
      g_autofree char *q = bounce_step_to_string (y->pdata[i]);

      g_assert_cmpstr (p, ==, q);
    }
  g_assert_cmpuint (xc->len, ==, yc->len);
  for (guint i = 0; i < xc->len; i++)
    {
      g_autofree char *p = bounce_step_to_string (xc->pdata[i]);
      g_autofree char *q = bounce_step_to_string (yc->pdata[i]);

      g_assert_cmpstr (p, ==, q);
    }
}

static void
assert_same_dns (const BounceDnsInfo *a,
                 const BounceDnsInfo *b)
{
  g_assert_true ((a == NULL) == (b == NULL));
  if (a == NULL)
    return;
  g_assert_cmpstr (a->zone, ==, b->zone);
  g_assert_cmpint (a->query, ==, b->query);
  g_assert_cmpint (a->txt, ==, b->txt);
  g_assert_cmpstr (a->source, ==, b->source);
  for (guint k = 0; k < 2; k++)
    {
      GPtrArray *x = k == 0 ? a->answers : a->refused;
      GPtrArray *y = k == 0 ? b->answers : b->refused;

      g_assert_cmpuint (x->len, ==, y->len);
      for (guint i = 0; i < x->len; i++)
        {
          const BounceDnsAnswer *p = x->pdata[i];
          const BounceDnsAnswer *q = y->pdata[i];

          g_assert_cmpuint (p->first, ==, q->first);
          g_assert_cmpuint (p->last, ==, q->last);
          g_assert_cmpuint (p->bit, ==, q->bit);
          g_assert_cmpstr (p->list_id, ==, q->list_id);
          g_assert_cmpstr (p->meaning, ==, q->meaning);
          g_assert_cmpstr (p->source, ==, q->source);
        }
    }
}

static void
assert_same_entry (BounceEntry *a,
                   BounceEntry *b)
{
  GPtrArray *la = bounce_entry_get_links (a);
  GPtrArray *lb = bounce_entry_get_links (b);
  g_autoptr(GPtrArray) ma = bounce_entry_get_msgids (a);
  g_autoptr(GPtrArray) mb = bounce_entry_get_msgids (b);

  g_assert_cmpstr (bounce_entry_get_id (a), ==, bounce_entry_get_id (b));
  g_assert_cmpint (bounce_entry_get_kind (a), ==, bounce_entry_get_kind (b));
  g_assert_cmpstr (bounce_entry_get_code (a), ==, bounce_entry_get_code (b));
  g_assert_cmpstr (bounce_entry_get_provider (a), ==, bounce_entry_get_provider (b));
  g_assert_cmpstr (bounce_entry_get_within (a), ==, bounce_entry_get_within (b));
  g_assert_cmpstr (bounce_entry_get_title (a), ==, bounce_entry_get_title (b));
  g_assert_cmpstr (bounce_entry_get_explanation (a), ==, bounce_entry_get_explanation (b));
  assert_same_strv (bounce_entry_get_sender_steps (a), bounce_entry_get_sender_steps (b));
  assert_same_strv (bounce_entry_get_admin_steps (a), bounce_entry_get_admin_steps (b));
  assert_same_steps (a, b, FALSE);
  assert_same_steps (a, b, TRUE);
  g_assert_cmpstr (bounce_entry_get_reason (a), ==, bounce_entry_get_reason (b));
  g_assert_cmpstr (bounce_entry_get_final_reason (a), ==, bounce_entry_get_final_reason (b));
  g_assert_cmpint (bounce_entry_get_permanence (a), ==, bounce_entry_get_permanence (b));
  g_assert_cmpstr (bounce_entry_get_source_url (a), ==, bounce_entry_get_source_url (b));
  g_assert_cmpuint (la->len, ==, lb->len);
  for (guint i = 0; i < la->len; i++)
    {
      g_assert_cmpstr (((BounceEntryLink *) la->pdata[i])->title, ==, ((BounceEntryLink *) lb->pdata[i])->title);
      g_assert_cmpstr (((BounceEntryLink *) la->pdata[i])->url, ==, ((BounceEntryLink *) lb->pdata[i])->url);
    }
  g_assert_cmpint (bounce_entry_get_priority (a), ==, bounce_entry_get_priority (b));
  g_assert_cmpint (bounce_entry_get_strength (a), ==, bounce_entry_get_strength (b));
  g_assert_cmpstr (bounce_entry_get_pattern (a), ==, bounce_entry_get_pattern (b));
  g_assert_cmpstr (bounce_entry_get_tokens (a), ==, bounce_entry_get_tokens (b));
  assert_same_strv (bounce_entry_get_examples (a), bounce_entry_get_examples (b));
  assert_same_strv (bounce_entry_get_zones (a), bounce_entry_get_zones (b));
  g_assert_cmpstr (bounce_entry_get_lookup_ip (a), ==, bounce_entry_get_lookup_ip (b));
  g_assert_cmpstr (bounce_entry_get_lookup_domain (a), ==, bounce_entry_get_lookup_domain (b));
  g_assert_cmpstr (bounce_entry_get_delist_url (a), ==, bounce_entry_get_delist_url (b));
  g_assert_cmpint (bounce_entry_get_closed (a), ==, bounce_entry_get_closed (b));
  g_assert_cmpstr (bounce_entry_get_closed_date (a), ==, bounce_entry_get_closed_date (b));
  g_assert_cmpint (bounce_entry_get_multi (a), ==, bounce_entry_get_multi (b));
  assert_same_literals (bounce_entry_get_phrases (a), bounce_entry_get_phrases (b));
  assert_same_dns (bounce_entry_get_dns (a), bounce_entry_get_dns (b));
  g_assert_cmpuint (ma->len, ==, mb->len);
  for (guint i = 0; i < ma->len; i++)
    g_assert_cmpstr (ma->pdata[i], ==, mb->pdata[i]);
}

static void
assert_same_matches (BounceCatalogue *a,
                     BounceCatalogue *b,
                     const char      *text,
                     const char      *provider)
{
  g_autoptr(GPtrArray) x = bounce_catalogue_match_rules (a, text, provider);
  g_autoptr(GPtrArray) y = bounce_catalogue_match_rules (b, text, provider);

  g_assert_cmpuint (x->len, ==, y->len);
  for (guint i = 0; i < x->len; i++)
    g_assert_cmpstr (bounce_entry_get_id (x->pdata[i]), ==, bounce_entry_get_id (y->pdata[i]));
}

static void
assert_same_entry_or_null (BounceEntry *a,
                           BounceEntry *b)
{
  g_assert_true ((a == NULL) == (b == NULL));
  if (a != NULL)
    g_assert_cmpstr (bounce_entry_get_id (a), ==, bounce_entry_get_id (b));
}

/* The built-in catalogue is read compiled (bounce-catalogue-compile, at
 * build time): it must be the JSON's catalogue, entry for entry, and
 * answer every question the same. */
static void
note_found (guint32              owner,
            const BounceLiteral *literal,
            gsize                length,
            gpointer             data)
{
  g_string_append_printf (data, "%u:%" G_GSIZE_FORMAT ":%s ", owner, length, bounce_literal_get_part (literal, 0));
}

/* A compiled literal index read as trusted is scanned as it is stored (its
 * literals made only when asked for): the same finds as one read with its
 * literals made and checked, and the same literals. */
static void
test_catalogue_literal_index_compact (void)
{
  static const char * const phrases[][20] = {
    { "mailbox", "full", NULL },
    { "user unknown", NULL },
    { "<", "not", NULL },
    { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", NULL },
    { "quota", NULL },
  };
  static const char * const texts[] = {
    "the mailbox is full", "user unknown", "<x> not here", "a b c d e f g h i j k l m n o p q",
    "quotas exceeded", "mailbox quota full", "", "u",
  };
  g_autoptr(GPtrArray) literals = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_literal_free);
  BounceLiteralIndex *built = bounce_literal_index_new ();
  BounceLiteralIndex *checked, *compact;
  g_autoptr(GVariant) variant = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    {
      BounceLiteral *literal = bounce_literal_new (phrases[i]);

      g_ptr_array_add (literals, literal);
      bounce_literal_index_add (built, literal, i);
    }
  g_ptr_array_add (literals, bounce_literal_new_anywhere ("ota"));
  bounce_literal_index_add (built, literals->pdata[literals->len - 1], 9);
  bounce_literal_index_build (built);
  variant = g_variant_ref_sink (bounce_literal_index_to_variant (built));
  checked = bounce_literal_index_new_from_variant (variant, FALSE);
  compact = bounce_literal_index_new_from_variant (variant, TRUE);
  g_assert_nonnull (checked);
  g_assert_nonnull (compact);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *folded = bounce_literal_fold (texts[i], -1);
      g_autoptr(GString) a = g_string_new (NULL);
      g_autoptr(GString) b = g_string_new (NULL);
      g_autoptr(GString) c = g_string_new (NULL);

      bounce_literal_index_scan (built, folded, strlen (folded), note_found, a);
      bounce_literal_index_scan (checked, folded, strlen (folded), note_found, b);
      bounce_literal_index_scan (compact, folded, strlen (folded), note_found, c);
      g_test_message ("%s: %s", texts[i], a->str);
      g_assert_cmpstr (b->str, ==, a->str);
      g_assert_cmpstr (c->str, ==, a->str);
      if (i == 0)
        g_assert_cmpstr (a->str, ==, "0:11:mailbox ");
    }
  g_assert_cmpuint (bounce_literal_index_get_n_literals (compact), ==, literals->len);
  for (guint i = 0; i < literals->len; i++)
    {
      guint32 owner_a, owner_b;
      const BounceLiteral *x = bounce_literal_index_get_literal (checked, i, &owner_a);
      const BounceLiteral *y = bounce_literal_index_get_literal (compact, i, &owner_b);

      g_assert_cmpuint (owner_a, ==, owner_b);
      g_assert_cmpuint (bounce_literal_get_n_parts (x), ==, bounce_literal_get_n_parts (y));
      for (guint k = 0; k < bounce_literal_get_n_parts (x); k++)
        g_assert_cmpstr (bounce_literal_get_part (x, k), ==, bounce_literal_get_part (y, k));
    }
  bounce_literal_index_free (compact);
  bounce_literal_index_free (checked);
  bounce_literal_index_free (built);
}

/* The built-in catalogue is read as trusted (not checked again, as it was
 * when it was built): it gives what the same bytes read with every check
 * give. */
static void
test_catalogue_builtin_trusted (void)
{
  BounceCatalogue *builtin = bounce_catalogue_get_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data (BOUNCE_CATALOGUE_COMPILED_RESOURCE,
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_autoptr(BounceCatalogue) checked = NULL;
  GPtrArray *entries;
  const char *providers[] = { NULL, "google", "microsoft", "yahoo" };

  g_assert_no_error (error);
  checked = bounce_catalogue_new_from_compiled (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bounce_catalogue_get_version (builtin), ==, bounce_catalogue_get_version (checked));
  g_assert_cmpuint (bounce_catalogue_get_n_entries (builtin), ==, bounce_catalogue_get_n_entries (checked));
  g_assert_null (bounce_catalogue_find_provider (builtin, "no-such-provider"));
  entries = bounce_catalogue_get_entries (checked);
  for (guint i = 0; i < entries->len; i++)
    {
      const char * const *examples = bounce_entry_get_examples (entries->pdata[i]);

      g_assert_cmpstr (bounce_entry_get_id (bounce_catalogue_lookup (builtin, bounce_entry_get_id (entries->pdata[i]))),
                       ==, bounce_entry_get_id (entries->pdata[i]));
      /* a provider is found by its code (from the tables' codes) */
      if (bounce_entry_get_kind (entries->pdata[i]) == BOUNCE_ENTRY_PROVIDER)
        g_assert_cmpstr (bounce_entry_get_id (bounce_catalogue_find_provider (builtin,
                                                                              bounce_entry_get_code (entries->pdata[i]))),
                         ==, bounce_entry_get_id (bounce_catalogue_find_provider (checked,
                                                                                  bounce_entry_get_code (entries->pdata[i]))));
      for (guint k = 0; examples[k] != NULL; k++)
        for (guint p = 0; p < G_N_ELEMENTS (providers); p++)
          {
            assert_same_matches (builtin, checked, examples[k], providers[p]);
            g_assert_cmpstr (bounce_catalogue_detect_provider (builtin, examples[k]), ==,
                             bounce_catalogue_detect_provider (checked, examples[k]));
          }
    }
}

static gpointer
get_phrases_thread (gpointer entry)
{
  return bounce_entry_get_phrases (entry);
}

/* A compiled phrases entry's phrases, read when first asked for, are the
 * JSON's, the same list from any thread at once, and still there once the
 * catalogue that made the entry is gone. */
static void
test_compiled_phrases (void)
{
  BounceCatalogue *json = catalogue ();
  GPtrArray *entries = bounce_catalogue_get_entries (json);
  guint n_checked = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      BounceEntry *expected = entries->pdata[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(BounceCatalogue) compiled = NULL;
      g_autoptr(BounceEntry) entry = NULL;
      GThread *threads[4];
      gpointer lists[G_N_ELEMENTS (threads)];

      if (bounce_entry_get_kind (expected) != BOUNCE_ENTRY_PHRASES || n_checked++ % 8 != 0)
        continue;
      bytes = g_resources_lookup_data (BOUNCE_CATALOGUE_COMPILED_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      g_assert_no_error (error);
      compiled = bounce_catalogue_new_from_compiled (bytes, &error);
      g_assert_no_error (error);
      entry = g_object_ref (bounce_catalogue_lookup (compiled, bounce_entry_get_id (expected)));
      g_clear_object (&compiled);
      g_clear_pointer (&bytes, g_bytes_unref);
      for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
        threads[t] = g_thread_new ("phrases", get_phrases_thread, entry);
      for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
        lists[t] = g_thread_join (threads[t]);
      for (guint t = 1; t < G_N_ELEMENTS (threads); t++)
        g_assert_true (lists[t] == lists[0]);
      assert_same_literals (bounce_entry_get_phrases (entry), bounce_entry_get_phrases (expected));
    }
  g_assert_cmpuint (n_checked, >, 8);
}

static void
test_catalogue_compiled (void)
{
  BounceCatalogue *json = catalogue ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data (BOUNCE_CATALOGUE_COMPILED_RESOURCE,
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_autoptr(BounceCatalogue) compiled = NULL;
  g_autoptr(GBytes) again = NULL;
  GPtrArray *entries;
  const char *providers[] = { NULL, "google", "microsoft", "yahoo", "yahoo-inbound" };
  guint32 flags = 0;

  g_assert_no_error (error);
  /* read in place: the resource is not compressed (it lies in the
   * program's data), and aligned as a GVariant needs it, so a GVariant over
   * it needs no copy */
  g_assert_true ((g_resources_get_info (BOUNCE_CATALOGUE_COMPILED_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                        NULL, &flags, NULL) && !(flags & G_RESOURCE_FLAGS_COMPRESSED)));
  g_assert_cmpuint ((gsize) g_bytes_get_data (bytes, NULL) % 8, ==, 0);
  compiled = bounce_catalogue_new_from_compiled (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (compiled);
  /* ... and it is what compiling the JSON gives now */
  again = bounce_catalogue_compile (json);
  g_assert_true (g_bytes_equal (again, bytes));

  g_assert_cmpstr (bounce_catalogue_get_version (compiled), ==, bounce_catalogue_get_version (json));
  g_assert_cmpuint (bounce_catalogue_get_n_entries (compiled), ==, bounce_catalogue_get_n_entries (json));
  /* Lookups first, while the compiled entries are made one by one. */
  entries = bounce_catalogue_get_entries (json);
  for (guint i = 0; i < entries->len; i++)
    {
      BounceEntry *entry = entries->pdata[i];
      const char *code = bounce_entry_get_code (entry);

      assert_same_entry_or_null (bounce_catalogue_lookup (compiled, bounce_entry_get_id (entry)), entry);
      if (code == NULL)
        continue;
      for (guint p = 0; p < G_N_ELEMENTS (providers); p++)
        assert_same_entry_or_null (bounce_catalogue_find_enhanced (compiled, code, providers[p]),
                                   bounce_catalogue_find_enhanced (json, code, providers[p]));
      assert_same_entry_or_null (bounce_catalogue_find_subject (compiled, code),
                                 bounce_catalogue_find_subject (json, code));
      assert_same_entry_or_null (bounce_catalogue_find_class (compiled, code),
                                 bounce_catalogue_find_class (json, code));
      assert_same_entry_or_null (bounce_catalogue_find_reply (compiled, code),
                                 bounce_catalogue_find_reply (json, code));
      assert_same_entry_or_null (bounce_catalogue_find_reason (compiled, code),
                                 bounce_catalogue_find_reason (json, code));
      assert_same_entry_or_null (bounce_catalogue_find_provider_token (compiled, code),
                                 bounce_catalogue_find_provider_token (json, code));
      assert_same_entry_or_null (bounce_catalogue_find_provider (compiled, code),
                                 bounce_catalogue_find_provider (json, code));
    }
  g_assert_null (bounce_catalogue_lookup (compiled, "no-such-entry"));
  g_assert_null (bounce_catalogue_find_reply (compiled, "999"));
  for (guint i = 0; i < entries->len; i++)
    {
      const char * const *examples = bounce_entry_get_examples (entries->pdata[i]);

      for (guint k = 0; examples[k] != NULL; k++)
        for (guint p = 0; p < G_N_ELEMENTS (providers); p++)
          {
            assert_same_matches (compiled, json, examples[k], providers[p]);
            g_assert_cmpstr (bounce_catalogue_detect_provider (compiled, examples[k]), ==,
                             bounce_catalogue_detect_provider (json, examples[k]));
          }
    }
  g_assert_cmpstr (g_regex_get_pattern (bounce_catalogue_get_token_regex (compiled)), ==,
                   g_regex_get_pattern (bounce_catalogue_get_token_regex (json)));
  g_assert_cmpuint (bounce_catalogue_get_blocklists (compiled)->len, ==,
                    bounce_catalogue_get_blocklists (json)->len);
  /* each blocklist's zones and multi-list flag, as both catalogues' tables
   * give them without the entry, are its entry's */
  {
    BounceCatalogue *both[] = { json, compiled };
    guint multi = 0;
    guint n_multi;

    for (guint c = 0; c < G_N_ELEMENTS (both); c++)
      {
        GPtrArray *lists = bounce_catalogue_get_blocklists (both[c]);
        const guint32 *multi_lists = bounce_catalogue_get_multi_blocklists (both[c], &n_multi);
        guint next = 0;

        g_assert_cmpuint (bounce_catalogue_get_n_blocklists (both[c]), ==, lists->len);
        for (guint i = 0; i < lists->len; i++)
          {
            const char * const *zones = bounce_entry_get_zones (lists->pdata[i]);
            const char * const *listed = bounce_catalogue_get_blocklist_zones (both[c], i);

            g_assert_true (bounce_catalogue_get_blocklist (both[c], i) == lists->pdata[i]);
            g_assert_true (g_strv_equal ((const char **) listed, (const char **) zones));
            if (bounce_entry_get_multi (lists->pdata[i]))
              {
                g_assert_cmpuint (next, <, n_multi);
                g_assert_cmpuint (multi_lists[next++], ==, i);
                multi++;
              }
          }
        g_assert_cmpuint (next, ==, n_multi);
      }
    g_assert_cmpuint (multi, >, 0);
  }
  /* then every entry, field by field */
  for (guint i = 0; i < entries->len; i++)
    assert_same_entry (bounce_catalogue_get_entries (compiled)->pdata[i], entries->pdata[i]);
  {
    g_autoptr(GPtrArray) x = bounce_catalogue_search (compiled, "mailbox full");
    g_autoptr(GPtrArray) y = bounce_catalogue_search (json, "mailbox full");

    g_assert_cmpuint (x->len, ==, y->len);
    g_assert_cmpuint (x->len, >, 0);
  }
}

/* What is not a compiled catalogue is refused, not read. */
static void
test_catalogue_compiled_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data (BOUNCE_CATALOGUE_COMPILED_RESOURCE,
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_autoptr(GBytes) other = NULL;
  g_autoptr(BounceCatalogue) refused = NULL;
  g_autofree char *copy = NULL;
  const char *data;
  gsize len;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &len);
  copy = g_memdup2 (data, len);
  copy[0] ^= 1;   /* the magic's first byte */
  other = g_bytes_new_take (g_steal_pointer (&copy), len);
  refused = bounce_catalogue_new_from_compiled (other, &error);
  g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE);
  g_assert_null (refused);
}

/* A compiled catalogue read from a file is checked whole: a pattern that is
 * no longer UTF-8 (PCRE would read past it) makes its entry damaged, an
 * error rather than a crash when the rule is first tried. */
static void
test_catalogue_compiled_damaged_string (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data (BOUNCE_CATALOGUE_COMPILED_RESOURCE,
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  static const char pattern[] = "(?:user|recipient)\\s{1,3}doesn't";
  g_autoptr(GBytes) damaged = NULL;
  g_autoptr(BounceCatalogue) catalogue = NULL;
  g_autofree char *copy = NULL;
  const char *data;
  char *at;
  gsize len;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &len);
  copy = g_memdup2 (data, len);
  at = NULL;
  for (gsize i = 0; at == NULL && i + strlen (pattern) <= len; i++)
    if (memcmp (copy + i, pattern, strlen (pattern)) == 0)
      at = copy + i;
  g_assert_nonnull (at);
  at[1] = (char) 0xff;   /* "(\xff:user|...": not UTF-8 */
  damaged = g_bytes_new_take (g_steal_pointer (&copy), len);
  catalogue = bounce_catalogue_new_from_compiled (damaged, &error);
  g_assert_no_error (error);
  g_assert_nonnull (catalogue);
  g_assert_false (bounce_catalogue_check_compiled (catalogue, &error));
  g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE);
  g_clear_error (&error);

  /* the built-in one passes the same check */
  g_assert_true (bounce_catalogue_check_compiled (bounce_catalogue_get_default (), &error));
  g_assert_no_error (error);
}

/* bounce_literal_fold(): lower case, one space for each run of white space
 * (the no-break space too) and none at the ends, ’ and ‘ as ', UTF-8 text
 * decomposed (NFD) without the accents of Latin letters, and the bytes of
 * a text that is not UTF-8 as they are (but ASCII letters), wherever its
 * first non-ASCII byte is; it stops at a NUL byte or at len. */
static void
test_literal_fold (void)
{
  static const struct {
    const char *text;
    gssize len;
    const char *folded;
  } cases[] = {
    { "  550 5.1.1  User\tUNKNOWN \r\n", -1, "550 5.1.1 user unknown" },
    { "Mailbox\xc2\xa0" "FULL", -1, "mailbox full" },
    { "Don\xe2\x80\x99t  \xe2\x80\x98quote\xe2\x80\x99", -1, "don't 'quote'" },
    /* (the long s U+017F as 's', as a caseless regex matches it, though
     * g_unichar_tolower() keeps it; the Kelvin sign as 'k') */
    { "\xc3\x89TAT \xc5\xbf \xce\xa3\xce\x9f\xce\xa3 \xe2\x84\xaa", -1,
      "etat s \xcf\x83\xce\xbf\xcf\x83 k" },
    /* accents: composed (NFC), decomposed (NFD, "e" U+0301) and left out
     * read the same; so do the letters CLDR's Latin-ASCII spells in ASCII */
    { "Empf\xc3\xa4nger \xc3\x9c" "BERSCHRITTEN r\xc3\xa9"
      "\xc3\xa9l", -1, "empfanger uberschritten reel" },
    { "Empfa\xcc\x88nger U\xcc\x88" "BERSCHRITTEN re\xcc\x81" "e\xcc\x81l", -1,
      "empfanger uberschritten reel" },
    { "Bo\xc3\xaete pleine, bo\xc3\xaete PLEINE", -1, "boite pleine, boite pleine" },
    { "U\xcc\x9b\xcc\x81 \xe1\xbb\xa8", -1, "u u" },   /* two accents, in either order */
    { "nieprawid\xc5\x82owa STRA\xc3\x9f" "E \xc5\x92uvre \xc3\x98", -1, "nieprawidlowa strasse oeuvre o" },
    /* a mark that begins the text or follows a space stays; so do those
     * of other scripts, decomposed (\xd0\xb9 is not \xd0\xb8) */
    { "\xcc\x81" "a \xcc\x81", -1, "\xcc\x81" "a \xcc\x81" },
    { "\xd0\x99\xd0\x95 \xd0\xb8\xcc\x86", -1, "\xd0\xb8\xcc\x86\xd0\xb5 \xd0\xb8\xcc\x86" },
    /* Japanese: "\xe3\x83\x87" as its NFD, "\xe3\x83\x86" and U+3099 */
    { "\xe3\x83\x87\xe3\x82\xa3", -1, "\xe3\x83\x86\xe3\x82\x99\xe3\x82\xa3" },
    { "\xe3\x83\x86\xe3\x82\x99\xe3\x82\xa3", -1, "\xe3\x83\x86\xe3\x82\x99\xe3\x82\xa3" },
    /* Latin-1 after UTF-8: not UTF-8, so no character is lowered but ASCII */
    { "Caf\xc3\x89 USER Caf\xc9", -1, "caf\xc3\x89 user caf\xc9" },
    { "ABC\xc2\xa0" "DEF\xff", -1, "abc def\xff" },
    { "Abc DEF", 3, "abc" },
    /* (g_ascii_isspace()'s white space: not the vertical tab) */
    { "A\vB\fC\rD", -1, "a\vb c d" },
    { "Abc\0\xc3\x89", 5, "abc" },
    { "Ab\xc3\x89\0Z", 5, "ab\xc3\x89" },
    { "", -1, "" },
    { NULL, -1, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = bounce_literal_fold (cases[i].text, cases[i].len);

      g_assert_cmpstr (folded, ==, cases[i].folded);
    }
}

/* bounce_literal_fold_full(): the folded length, and whether the text is
 * its own NFC (bounce_catalogue_match_rules() composes it for the rules'
 * regexes otherwise): all ASCII, composed accents, Cyrillic, Japanese
 * without a separate voicing mark, Hangul syllables are; a combining
 * mark, a singleton (the ohm sign U+2126 for Ω), Hangul written as
 * letters are not.  Every case is checked against g_utf8_normalize(). */
static void
test_literal_fold_normal (void)
{
  static const struct {
    const char *text;
    gboolean normal;
  } cases[] = {
    { "550 5.1.1 User unknown", TRUE },
    { "Empf\xc3\xa4nger \xe2\x80\x99\xc2\xa0", TRUE },
    { "Empfa\xcc\x88nger", FALSE },
    { "\xd0\xb9\xd1\x97 \xd0\x99", TRUE },
    { "\xd0\xb8\xcc\x86", FALSE },
    { "\xe2\x84\xa6", FALSE },
    { "\xe3\x83\x87\xe3\x82\xa3\xe3\x83\xac\xe5\xad\x98\xe5\x9c\xa8", TRUE },
    { "\xe3\x83\x86\xe3\x82\x99", FALSE },
    { "\xea\xb0\x80", TRUE },
    { "\xe1\x84\x80\xe1\x85\xa1", FALSE },
    { "Caf\xc3\x89 Caf\xc9", TRUE },   /* not UTF-8: never composed */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = 0;
      gboolean normal = !cases[i].normal;
      g_autofree char *folded = bounce_literal_fold_full (cases[i].text, -1, &len, &normal);

      g_test_message ("case %u", i);
      g_assert_cmpuint (len, ==, strlen (folded));
      g_assert_cmpint (normal, ==, cases[i].normal);
      if (g_utf8_validate (cases[i].text, -1, NULL))
        {
          g_autofree char *nfc = g_utf8_normalize (cases[i].text, -1, G_NORMALIZE_NFC);

          g_assert_cmpint (strcmp (nfc, cases[i].text) == 0, ==, normal);
        }
    }
}

/* Random texts of the characters normalisation and folding treat apart
 * (marks in and out of order, Latin letters composed and not, the
 * combining grapheme joiner, Cyrillic, kana and their voicing mark,
 * Hangul syllables and letters, singletons, the letters spelt in ASCII,
 * white space): each folds as its NFC and its NFD do, and one said
 * normal is its own NFC. */
static void
test_literal_fold_random_forms (void)
{
  static const gunichar pool[] = {
    'a', 'E', 'i', 'S', 'k', '5', ' ', '\n', '-', 0xa0, 0xe9, 0xc4, 0xdf, 0x142, 0x153, 0xd8,
    0x17f, 0x1e9b, 0x300, 0x301, 0x308, 0x323, 0x327, 0x31b, 0x34f, 0x345, 0x3b1, 0x1f85,
    0x439, 0x438, 0x306, 0x30c7, 0x30c6, 0x3099, 0x309a, 0x304c, 0xac00, 0x1100, 0x1161,
    0x11a8, 0x2126, 0x212a, 0x212b, 0x2019, 0x958, 0x93c, 0x5b4, 0x65e5, 0x1d15e,
  };

  for (guint n = 0; n < 3000; n++)
    {
      GString *text = g_string_new (NULL);
      guint len = g_test_rand_int_range (0, 24);
      g_autofree char *folded = NULL;
      g_autofree char *nfc = NULL;
      g_autofree char *nfd = NULL;
      g_autofree char *folded_nfc = NULL;
      g_autofree char *folded_nfd = NULL;
      gboolean normal = FALSE;
      gsize folded_len = 0;

      for (guint i = 0; i < len; i++)
        g_string_append_unichar (text, pool[g_test_rand_int_range (0, G_N_ELEMENTS (pool))]);
      folded = bounce_literal_fold_full (text->str, text->len, &folded_len, &normal);
      nfc = g_utf8_normalize (text->str, -1, G_NORMALIZE_NFC);
      nfd = g_utf8_normalize (text->str, -1, G_NORMALIZE_NFD);
      folded_nfc = bounce_literal_fold (nfc, -1);
      folded_nfd = bounce_literal_fold (nfd, -1);
      if (g_strcmp0 (folded_nfc, folded) != 0 || g_strcmp0 (folded_nfd, folded) != 0 ||
          (normal && strcmp (nfc, text->str) != 0) || folded_len != strlen (folded) ||
          !g_utf8_validate (folded, -1, NULL))
        g_error ("fold of \"%s\" (normal %d): \"%s\", of its NFC \"%s\", of its NFD \"%s\"",
                 text->str, normal, folded, folded_nfc, folded_nfd);
      g_string_free (text, TRUE);
    }
}

/* The corpus files of eml/ that are text (valid UTF-8), for the tests
 * that check a prefilter against every one of them. */
static GPtrArray *
corpus_texts (void)
{
  static const char * const dirs[] = { "eml", NULL };
  GPtrArray *texts = corpus_read_texts (dirs);

  for (guint i = texts->len; i-- > 0;)
    if (!g_utf8_validate (((CorpusText *) texts->pdata[i])->contents, -1, NULL))
      g_ptr_array_remove_index (texts, i);
  g_assert_cmpuint (texts->len, >, 100);
  return texts;
}

/* Over every corpus text: its NFC and its NFD fold as it does, and one
 * said to be normal is its own NFC. */
static void
test_literal_fold_corpus_forms (void)
{
  g_autoptr(GPtrArray) texts = corpus_texts ();
  guint n_changed = 0;

  for (guint i = 0; i < texts->len; i++)
    {
      const char *contents = ((CorpusText *) texts->pdata[i])->contents;
      gboolean normal = FALSE;
      g_autofree char *folded = bounce_literal_fold_full (contents, -1, NULL, &normal);
      g_autofree char *nfc = g_utf8_normalize (contents, -1, G_NORMALIZE_NFC);
      g_autofree char *nfd = g_utf8_normalize (contents, -1, G_NORMALIZE_NFD);
      g_autofree char *folded_nfc = bounce_literal_fold (nfc, -1);
      g_autofree char *folded_nfd = bounce_literal_fold (nfd, -1);

      g_assert_cmpstr (folded_nfc, ==, folded);
      g_assert_cmpstr (folded_nfd, ==, folded);
      if (normal)
        g_assert_cmpstr (nfc, ==, contents);
      n_changed += strcmp (nfd, contents) != 0;
    }
  /* (some hold accents) */
  g_assert_cmpuint (n_changed, >, 0);
}

/* bounce_entry_may_match(): never FALSE where the pattern matches (every
 * entry with a pattern over every corpus file), and FALSE where the words
 * its pattern needs are missing. */
static void
test_entry_may_match (void)
{
  BounceCatalogue *catalogue = bounce_catalogue_get_default ();
  GPtrArray *entries = bounce_catalogue_get_entries (catalogue);
  GPtrArray *blocklists = bounce_catalogue_get_blocklists (catalogue);
  g_autoptr(GPtrArray) texts = corpus_texts ();
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  guint ruled_out = 0;

  g_ptr_array_extend (all, entries, NULL, NULL);
  g_ptr_array_extend (all, blocklists, NULL, NULL);
  for (guint t = 0; t < texts->len; t++)
    {
      const char *name = ((CorpusText *) texts->pdata[t])->name;
      const char *contents = ((CorpusText *) texts->pdata[t])->contents;
      g_autofree char *folded = bounce_literal_fold (contents, -1);

      for (guint i = 0; i < all->len; i++)
        {
          BounceEntry *entry = all->pdata[i];
          GRegex *regex = bounce_entry_get_plain_regex (entry);

          if (bounce_entry_may_match (entry, folded))
            continue;
          ruled_out++;
          if (regex != NULL && g_regex_match (regex, contents, 0, NULL))
            g_error ("%s matches %s but was ruled out", bounce_entry_get_id (entry), name);
        }
    }
  g_assert_cmpuint (ruled_out, >, 1000);

  /* the words of blocklist.spamhaus-zen's pattern, and a long s */
  {
    BounceEntry *entry = bounce_catalogue_lookup (catalogue, "blocklist.spamhaus-zen");
    g_autofree char *without = bounce_literal_fold ("550 blocked, see zen.example.org", -1);
    g_autofree char *with = bounce_literal_fold ("550 listed at ZEN.SpamHaus.org", -1);
    g_autofree char *long_s = bounce_literal_fold ("550 listed at zen.\xc5\xbfpamhaus.org", -1);

    g_assert_nonnull (entry);
    g_assert_false (bounce_entry_may_match (entry, without));
    g_assert_true (bounce_entry_may_match (entry, with));
    g_assert_true (bounce_entry_may_match (entry, long_s));
  }
}

/* Walks the matches of regex in text (as g_match_info_next() finds them)
 * and those split finds with the alternatives alive side by side, the
 * first max of them, and fails where they differ; returns how many there
 * were. */
static guint
assert_same_as_whole (GRegex            *regex,
                      BounceAlternation *split,
                      const guint8      *alive,
                      const char        *text,
                      const char        *id,
                      guint              max)
{
  g_autoptr(GMatchInfo) info = NULL;
  g_autoptr(BounceAlternationIter) iter = bounce_alternation_iter_new (split, text, 0, strlen (text), alive);
  gboolean whole = g_regex_match (regex, text, 0, &info);
  guint n;

  for (n = 0; n < max; n++)
    {
      BounceSpan span = { 0, 0 };
      gboolean parts = bounce_alternation_iter_next (iter, &span);
      int s = -1, e = -1;

      if (whole)
        g_match_info_fetch_pos (info, 0, &s, &e);
      if (whole != parts || (whole && ((gsize) s != span.start || (gsize) e != span.end)))
        g_error ("%s on “%.60s”, match %u: whole %d-%d, alternatives %s %" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT, id, text,
                 n, s, e, parts ? "" : "none", span.start, span.end);
      if (!whole)
        break;
      whole = g_match_info_next (info, NULL);
    }
  return n;
}

/* A rule's regex matched one alternative at a time, only the alternatives
 * whose words the prefilter finds in the text (as
 * bounce_catalogue_match_rules() matches it), finds the same matches in
 * the same order as the whole regex, on every corpus file and each rule's
 * examples; an alternative left out never matches alone; and a rule that
 * is no candidate never matches. */
static void
test_prefilter_alternatives (void)
{
  GPtrArray *entries = bounce_catalogue_get_entries (catalogue ());
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  g_autoptr(GPtrArray) splits = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_alternation_free);
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) texts = corpus_texts ();
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  BouncePrefilter *filter = bounce_prefilter_new ();
  guint split_rules = 0, left_out = 0, compared = 0, matched_split = 0;

  for (guint i = 0; i < entries->len; i++)
    if (bounce_entry_get_kind (entries->pdata[i]) == BOUNCE_ENTRY_RULE)
      {
        const char *pattern = bounce_entry_get_pattern (entries->pdata[i]);

        bounce_prefilter_add (filter, rules->len, pattern);
        g_ptr_array_add (rules, entries->pdata[i]);
        g_ptr_array_add (splits, pattern != NULL ? bounce_alternation_new_from_pattern (pattern, G_REGEX_CASELESS,
                                                                                          G_REGEX_MATCH_DEFAULT)
                                                 : NULL);
      }
  bounce_prefilter_build (filter);
  for (guint i = 0; i < rules->len; i++)
    {
      guint n = bounce_prefilter_get_alternatives (filter, i, NULL);

      g_auto(GStrv) split = bounce_alternation_split (bounce_entry_get_pattern (rules->pdata[i]));
      GPtrArray *regexes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_regex_unref);

      /* (the catalogue's split and the prefilter's are the same) */
      if (splits->pdata[i] != NULL && n > 1)
        {
          g_assert_cmpuint (bounce_alternation_get_n (splits->pdata[i]), ==, n);
          g_assert_cmpuint (g_strv_length (split), ==, n);
          split_rules++;
        }
      /* each alternative alone, to check those left out */
      for (guint a = 0; n > 1 && a < n; a++)
        {
          GRegex *piece = g_regex_new (split[a], G_REGEX_CASELESS | G_REGEX_OPTIMIZE, G_REGEX_MATCH_DEFAULT, NULL);

          g_assert_nonnull (piece);
          g_ptr_array_add (regexes, piece);
        }
      g_ptr_array_add (pieces, regexes);
    }
  g_test_message ("%u rules of %u split into alternatives", split_rules, rules->len);
  g_assert_cmpuint (split_rules, >, 50);

  /* the corpus files, and each rule's examples with their words in upper
   * case (the words are found folded) */
  for (guint t = 0; t < texts->len; t++)
    g_ptr_array_add (all, ((CorpusText *) texts->pdata[t])->contents);
  for (guint i = 0; i < rules->len; i++)
    {
      const char * const *examples = bounce_entry_get_examples (rules->pdata[i]);

      for (guint j = 0; examples[j] != NULL; j++)
        {
          g_ptr_array_add (all, (gpointer) examples[j]);
          g_ptr_array_add (texts, g_new0 (CorpusText, 1));
          ((CorpusText *) texts->pdata[texts->len - 1])->contents = g_utf8_strup (examples[j], -1);
          g_ptr_array_add (all, ((CorpusText *) texts->pdata[texts->len - 1])->contents);
        }
    }

  for (guint t = 0; t < all->len; t++)
    {
      const char *text = all->pdata[t];
      g_autofree char *folded = bounce_literal_fold (text, -1);
      g_autofree guint8 *candidates = g_new0 (guint8, rules->len);
      g_autofree guint8 *alive = g_new0 (guint8, MAX (bounce_prefilter_get_n_alternatives (filter), 1));

      bounce_prefilter_scan (filter, folded, strlen (folded), candidates, alive);
      for (guint i = 0; i < rules->len; i++)
        {
          BounceAlternation *split = splits->pdata[i];
          GRegex *regex = bounce_entry_get_regex (rules->pdata[i]);
          guint first, n = bounce_prefilter_get_alternatives (filter, i, &first);

          if (regex == NULL)
            continue;
          if (!candidates[i])
            {
              if (g_regex_match (regex, text, 0, NULL))
                g_error ("%s matches “%.60s” but is no candidate", bounce_entry_get_id (rules->pdata[i]), text);
              continue;
            }
          if (n < 2 || memchr (alive + first, 0, n) == NULL)
            continue;
          compared++;
          matched_split += assert_same_as_whole (regex, split, alive + first, text,
                                                 bounce_entry_get_id (rules->pdata[i]), 64) > 0;
          for (guint a = 0; a < n; a++)
            {
              GRegex *piece = g_ptr_array_index ((GPtrArray *) pieces->pdata[i], a);

              if (alive[first + a])
                continue;
              left_out++;
              if (g_regex_match (piece, text, 0, NULL))
                g_error ("%s: “%s” matches “%.60s” but was left out", bounce_entry_get_id (rules->pdata[i]),
                         g_regex_get_pattern (piece), text);
            }
        }
    }
  g_test_message ("%u texts compared, %u with matches; %u alternatives left out", compared, matched_split, left_out);
  g_assert_cmpuint (compared, >, 1000);
  g_assert_cmpuint (matched_split, >, 100);
  bounce_prefilter_free (filter);
}

/* The prefilters of the providers' and the blocklists' patterns leave out
 * none that matches: on every corpus file, the provider found is the first
 * whose pattern matches, and every blocklist whose pattern matches is a
 * candidate (while most are not). */
static void
test_list_prefilters (void)
{
  BounceCatalogue *catalogue = bounce_catalogue_get_default ();
  GPtrArray *entries = bounce_catalogue_get_entries (catalogue);
  GPtrArray *blocklists = bounce_catalogue_get_blocklists (catalogue);
  g_autoptr(GPtrArray) texts = corpus_texts ();
  guint ruled_out = 0, found = 0;

  for (guint t = 0; t < texts->len; t++)
    {
      const char *name = ((CorpusText *) texts->pdata[t])->name;
      const char *contents = ((CorpusText *) texts->pdata[t])->contents;
      g_autofree char *folded = NULL;
      g_autofree guint8 *candidates = NULL;
      const char *first = NULL;

      for (guint i = 0; i < entries->len && first == NULL; i++)
        {
          BounceEntry *entry = entries->pdata[i];
          GRegex *regex = bounce_entry_get_plain_regex (entry);

          if (bounce_entry_get_kind (entry) == BOUNCE_ENTRY_PROVIDER && regex != NULL &&
              g_regex_match (regex, contents, 0, NULL))
            first = bounce_entry_get_code (entry);
        }
      g_assert_cmpstr (bounce_catalogue_detect_provider (catalogue, contents), ==, first);
      found += first != NULL;

      folded = bounce_literal_fold (contents, -1);
      candidates = bounce_catalogue_blocklists_may_match (catalogue, folded);
      for (guint i = 0; i < blocklists->len; i++)
        {
          GRegex *regex = bounce_entry_get_plain_regex (blocklists->pdata[i]);

          if (candidates[i])
            continue;
          ruled_out++;
          if (regex != NULL && g_regex_match (regex, contents, 0, NULL))
            g_error ("%s matches %s but was ruled out", bounce_entry_get_id (blocklists->pdata[i]), name);
        }
    }
  g_assert_cmpuint (found, >, 50);
  g_assert_cmpuint (ruled_out, >, texts->len * blocklists->len / 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();
  g_test_add_func ("/catalogue/code-scope", test_catalogue_code_scope);
  g_test_add_func ("/catalogue/loads", test_catalogue_loads);
  g_test_add_func ("/catalogue/literal-fold", test_literal_fold);
  g_test_add_func ("/catalogue/literal-fold-normal", test_literal_fold_normal);
  g_test_add_func ("/catalogue/literal-fold-random-forms", test_literal_fold_random_forms);
  g_test_add_func ("/catalogue/literal-fold-corpus-forms", test_literal_fold_corpus_forms);
  g_test_add_func ("/catalogue/compiled", test_catalogue_compiled);
  g_test_add_func ("/catalogue/builtin-trusted", test_catalogue_builtin_trusted);
  g_test_add_func ("/catalogue/literal-index-compact", test_catalogue_literal_index_compact);
  g_test_add_func ("/catalogue/compiled-refused", test_catalogue_compiled_refused);
  g_test_add_func ("/catalogue/compiled-damaged-string", test_catalogue_compiled_damaged_string);
  g_test_add_func ("/catalogue/reasons", test_catalogue_reasons);
  g_test_add_func ("/catalogue/fallbacks", test_catalogue_fallbacks);
  g_test_add_func ("/catalogue/urls-https", test_catalogue_urls_https);
  g_test_add_func ("/catalogue/rule-examples", test_catalogue_rule_examples);
  g_test_add_func ("/catalogue/ip-listing-reason", test_catalogue_ip_listing_reason);
  g_test_add_func ("/catalogue/search", test_catalogue_search);
  g_test_add_func ("/catalogue/search-no-jit", test_catalogue_search_no_jit);
  g_test_add_func ("/catalogue/names-are-not-words", test_catalogue_names_are_not_words);
  g_test_add_func ("/catalogue/bad-entries", test_catalogue_bad_entries);
  g_test_add_func ("/catalogue/rule-tokens", test_catalogue_rule_tokens);
  g_test_add_func ("/catalogue/provider-hosts", test_catalogue_provider_hosts);
  g_test_add_func ("/catalogue/directory", test_catalogue_directory);
  g_test_add_func ("/catalogue/threads", test_catalogue_threads);
  g_test_add_func ("/catalogue/threads-regex", test_catalogue_threads_regex);
  g_test_add_func ("/catalogue/prefilter-words", test_prefilter_words);
  g_test_add_func ("/catalogue/prefilter-candidates", test_prefilter_candidates);
  g_test_add_func ("/catalogue/prefilter-compiled-sets", test_prefilter_compiled_sets);
  g_test_add_func ("/catalogue/prefilter-sets", test_prefilter_sets);
  g_test_add_func ("/catalogue/compiled-phrases", test_compiled_phrases);
  g_test_add_func ("/catalogue/prefilter-needs-all-words", test_prefilter_needs_all_words);
  g_test_add_func ("/catalogue/prefilter-alternatives", test_prefilter_alternatives);
  g_test_add_func ("/catalogue/entry-may-match", test_entry_may_match);
  g_test_add_func ("/catalogue/list-prefilters", test_list_prefilters);
  return g_test_run ();
}
