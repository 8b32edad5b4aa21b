/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bounce-core.h"

/* Answers questions about the built-in catalogue with the engine's own
 * code, so that tools (build-aux/catalogue-lint.py) never re-implement it:
 *
 *   catalogue-query --reasons      the reason names, one per line
 *   catalogue-query --strengths    the rule strengths, one per line
 *   catalogue-query --best         for each line "PROVIDER<TAB>TEXT" on
 *                                  standard input ("-" for no provider),
 *                                  "RULE-ID<TAB>REASON" of the rule the
 *                                  engine ranks first, or "-<TAB>-"
 *   catalogue-query --permanence   for each entry id on standard input,
 *                                  temporary, permanent or unknown
 *   catalogue-query --steps        for each line "ID<TAB>OUTCOME<TAB>CLASS
 *                                  <TAB>REPLY" on standard input (OUTCOME
 *                                  as bounce_outcome_to_string() names it,
 *                                  CLASS temporary or permanent; "-" for
 *                                  not known, REPLY "-" for none; OUTCOME
 *                                  "-" and CLASS "-" and REPLY "-": nothing
 *                                  known, as in the catalogue browser),
 *                                  the sender's and the administrator's
 *                                  steps the engine shows:
 *                                  "SENDER<TAB>ADMIN", the steps of each
 *                                  joined with US (0x1f)
 *   catalogue-query --examples     every rule example analysed as a pasted
 *                                  line: "RULE-ID<TAB>OUTCOME<TAB>SENDER
 *                                  <TAB>ADMIN", the rule's steps chosen for
 *                                  the recipient the engine finds (OUTCOME
 *                                  "-" when it finds none) */

static int
best_rules (void)
{
  BounceCatalogue *catalogue = bounce_catalogue_get_default ();
  char line[8192];

  while (fgets (line, sizeof line, stdin) != NULL)
    {
      char *tab = strchr (line, '\t');
      g_autoptr(GPtrArray) rules = NULL;
      const char *provider = line;
      BounceEntry *best;

      line[strcspn (line, "\n")] = '\0';
      if (tab == NULL)
        {
          g_printerr ("catalogue-query: expected PROVIDER<TAB>TEXT: %s\n", line);
          return 2;
        }
      *tab = '\0';
      if (g_str_equal (provider, "-"))
        provider = NULL;
      rules = bounce_catalogue_match_rules (catalogue, tab + 1, provider);
      best = rules->len > 0 ? rules->pdata[0] : NULL;
      printf ("%s\t%s\n", best ? bounce_entry_get_id (best) : "-",
              best && bounce_entry_get_reason (best) ? bounce_entry_get_reason (best) : "-");
      fflush (stdout);
    }
  return 0;
}

static void
print_steps (BounceEntry             *entry,
             const BounceStepContext *context)
{
  for (guint admin = 0; admin < 2; admin++)
    {
      g_autoptr(GPtrArray) steps = bounce_entry_select_steps (entry, admin, context);

      for (guint i = 0; i < steps->len; i++)
        {
          g_autofree char *text = bounce_step_to_string (steps->pdata[i]);

          printf ("%s%s", i > 0 ? "\x1f" : "", text);
        }
      printf (admin ? "\n" : "\t");
    }
}

static gboolean
parse_outcome (const char    *name,
               BounceOutcome *outcome)
{
  for (BounceOutcome o = BOUNCE_OUTCOME_NONE; o <= BOUNCE_OUTCOME_PERMANENT; o++)
    if (g_str_equal (name, bounce_outcome_to_string (o)))
      {
        *outcome = o;
        return TRUE;
      }
  return FALSE;
}

static int
entry_steps (void)
{
  BounceCatalogue *catalogue = bounce_catalogue_get_default ();
  char line[8192];

  while (fgets (line, sizeof line, stdin) != NULL)
    {
      g_auto(GStrv) fields = NULL;
      BounceStepContext context = { NULL, BOUNCE_OUTCOME_NONE, BOUNCE_PERMANENCE_UNKNOWN };
      gboolean known;
      BounceEntry *entry;

      line[strcspn (line, "\n")] = '\0';
      fields = g_strsplit (line, "\t", 4);
      if (g_strv_length (fields) != 4 || (entry = bounce_catalogue_lookup (catalogue, fields[0])) == NULL)
        {
          g_printerr ("catalogue-query: expected ID<TAB>OUTCOME<TAB>CLASS<TAB>REPLY: %s\n", line);
          return 2;
        }
      known = !g_str_equal (fields[1], "-") || !g_str_equal (fields[2], "-") || !g_str_equal (fields[3], "-");
      if (!g_str_equal (fields[1], "-") && !parse_outcome (fields[1], &context.outcome))
        {
          g_printerr ("catalogue-query: unknown outcome %s\n", fields[1]);
          return 2;
        }
      if (g_str_equal (fields[2], "temporary"))
        context.permanence = BOUNCE_PERMANENCE_TEMPORARY;
      else if (g_str_equal (fields[2], "permanent"))
        context.permanence = BOUNCE_PERMANENCE_PERMANENT;
      if (!g_str_equal (fields[3], "-"))
        context.reply = fields[3];
      print_steps (entry, known ? &context : NULL);
      fflush (stdout);
    }
  return 0;
}

static int
entry_permanence (void)
{
  BounceCatalogue *catalogue = bounce_catalogue_get_default ();
  char line[1024];

  while (fgets (line, sizeof line, stdin) != NULL)
    {
      BounceEntry *entry;

      line[strcspn (line, "\n")] = '\0';
      entry = bounce_catalogue_lookup (catalogue, line);
      if (entry == NULL)
        {
          g_printerr ("catalogue-query: no entry %s\n", line);
          return 2;
        }
      switch (bounce_entry_get_permanence (entry))
        {
        case BOUNCE_PERMANENCE_TEMPORARY:
          printf ("temporary\n");
          break;
        case BOUNCE_PERMANENCE_PERMANENT:
          printf ("permanent\n");
          break;
        case BOUNCE_PERMANENCE_UNKNOWN:
        default:
          printf ("unknown\n");
          break;
        }
    }
  return 0;
}

static int
rule_examples (void)
{
  GPtrArray *entries = bounce_catalogue_get_entries (bounce_catalogue_get_default ());

  for (guint i = 0; i < entries->len; i++)
    {
      BounceEntry *rule = entries->pdata[i];
      const char * const *examples = bounce_entry_get_examples (rule);

      if (bounce_entry_get_kind (rule) != BOUNCE_ENTRY_RULE || examples == NULL)
        continue;
      for (guint j = 0; examples[j] != NULL; j++)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (examples[j], strlen (examples[j]));
          g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "example", NULL, NULL);
          g_autoptr(BounceRecipient) r = NULL;
          BounceStepContext context;

          if (report != NULL && g_list_model_get_n_items (bounce_report_get_recipients (report)) > 0)
            r = g_list_model_get_item (bounce_report_get_recipients (report), 0);
          if (r == NULL)
            {
              printf ("%s\t-\t\t\n", bounce_entry_get_id (rule));
              continue;
            }
          bounce_recipient_get_step_context (r, &context);
          printf ("%s\t%s\t", bounce_entry_get_id (rule), bounce_outcome_to_string (context.outcome));
          print_steps (rule, &context);
        }
    }
  fflush (stdout);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  bounce_core_init ();
  if (argc == 2 && g_str_equal (argv[1], "--reasons"))
    {
      for (const char * const *n = bounce_reason_names (); *n != NULL; n++)
        printf ("%s\n", *n);
      return 0;
    }
  if (argc == 2 && g_str_equal (argv[1], "--strengths"))
    {
      for (const char * const *n = bounce_entry_strength_names (); *n != NULL; n++)
        printf ("%s\n", *n);
      return 0;
    }
  if (argc == 2 && g_str_equal (argv[1], "--best"))
    return best_rules ();
  if (argc == 2 && g_str_equal (argv[1], "--permanence"))
    return entry_permanence ();
  if (argc == 2 && g_str_equal (argv[1], "--steps"))
    return entry_steps ();
  if (argc == 2 && g_str_equal (argv[1], "--examples"))
    return rule_examples ();
  g_printerr ("usage: catalogue-query --reasons | --strengths | --best | --permanence | --steps < lines"
              " | --examples\n");
  return 2;
}
