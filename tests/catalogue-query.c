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
 *                                  engine ranks first, or "-<TAB>-" */

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
  g_printerr ("usage: catalogue-query --reasons | --strengths | --best < lines\n");
  return 2;
}
