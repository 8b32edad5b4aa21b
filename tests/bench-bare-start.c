/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The floor of one bounce-explain run: a program that links the libraries
 * bounce-explain links (GLib, GIO, json-glib, GMime), sets the locale,
 * starts GMime as bounce_core_init() does, and exits.  build-aux/bench
 * prints its time and memory beside bounce-explain's. */
#include "config.h"

#include <locale.h>

#include <gio/gio.h>
#include <gmime/gmime.h>
#include <json-glib/json-glib.h>

int
main (void)
{
  setlocale (LC_ALL, "");
  g_mime_init ();
  /* (a call into each library, so that none is dropped as unneeded) */
  g_type_ensure (JSON_TYPE_PARSER);
  g_type_ensure (G_TYPE_FILE);
  g_mime_shutdown ();
  return 0;
}
