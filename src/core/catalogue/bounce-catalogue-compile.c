/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bounce-catalogue-compile SRCDIR OUTPUT: reads the catalogue's JSON in
 * SRCDIR with the core's own loader (every check included) and writes it
 * compiled (bounce_catalogue_compile()), for the GResource.  Run by the
 * build; the program reads the result in place instead of parsing JSON. */
#include "config.h"

#include <locale.h>

#include "bounce-catalogue.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceCatalogue) catalogue = NULL;
  g_autoptr(GBytes) compiled = NULL;
  g_autoptr(BounceCatalogue) check = NULL;

  /* The "C" locale: texts are stored untranslated (a link's title is
   * translated when an entry is read, as when it is read from JSON). */
  setlocale (LC_ALL, "C");
  if (argc != 3)
    {
      g_printerr ("usage: %s CATALOGUE-DIR OUTPUT\n", argv[0]);
      return 2;
    }
  catalogue = bounce_catalogue_new_from_directory (argv[1], &error);
  if (catalogue == NULL)
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }
  compiled = bounce_catalogue_compile (catalogue);
  /* What was written must read back, every entry (one that does not
   * stops the program here, not when a user's bounce needs it). */
  check = bounce_catalogue_new_from_compiled (compiled, &error);
  if (check == NULL || bounce_catalogue_get_n_entries (check) != bounce_catalogue_get_n_entries (catalogue) ||
      bounce_catalogue_get_entries (check)->len != bounce_catalogue_get_n_entries (catalogue))
    {
      g_printerr ("%s: the compiled catalogue does not read back: %s\n", argv[0],
                  error != NULL ? error->message : "entries differ");
      return 1;
    }
  if (!g_file_set_contents (argv[2], g_bytes_get_data (compiled, NULL), g_bytes_get_size (compiled), &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }
  return 0;
}
