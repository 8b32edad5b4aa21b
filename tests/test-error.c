/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-core.h"

static void
test_error_quark (void)
{
  g_autoptr(GError) error = g_error_new (BOUNCE_ERROR, BOUNCE_ERROR_TOO_LARGE, "too large");

  g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_TOO_LARGE);
  g_assert_cmpstr (g_quark_to_string (BOUNCE_ERROR), ==, "bounce-error-quark");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();
  g_test_add_func ("/error/quark", test_error_quark);
  return g_test_run ();
}
