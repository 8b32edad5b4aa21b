/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bounce-core.h"

/* Shared by the libFuzzer targets in fuzz/: one stage of the core each,
 * so that each runs fast enough to reach millions of executions. */

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Warnings and criticals are bugs here: abort, which libFuzzer catches
 * and records (GLib's own fatal path raises SIGTRAP, which it does not). */
static inline void
fuzz_log_handler (const char     *domain,
                  GLogLevelFlags  level,
                  const char     *message,
                  gpointer        user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      fprintf (stderr, "%s: %s\n", domain != NULL ? domain : "fuzz", message);
      abort ();
    }
}

static inline void
fuzz_init (void)
{
  static gboolean initialized = FALSE;

  if (!initialized)
    {
      g_log_set_default_handler (fuzz_log_handler, NULL);
      bounce_core_init ();
      bounce_catalogue_get_default ();
      initialized = TRUE;
    }
}

/* A violated promise of the core: abort, so the fuzzer keeps the input. */
#define FUZZ_CHECK(cond) \
  G_STMT_START { \
    if (!(cond)) \
      { \
        fprintf (stderr, "fuzz check failed: %s\n", #cond); \
        abort (); \
      } \
  } G_STMT_END
