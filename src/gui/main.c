/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "bounce-application.h"
#include "bounce-core.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BounceApplication) app = NULL;

  setlocale (LC_ALL, "");
  bounce_core_init_gettext ();

  app = bounce_application_new (APP_ID, G_APPLICATION_HANDLES_OPEN);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
