/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gmime/gmime.h>

#include "bounce-core.h"

void
bounce_core_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_mime_init ();
      g_once_init_leave (&initialized, 1);
    }
}
