/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "fuzz-common.h"

/* libFuzzer target: any bytes through the whole analyser and every output
 * format.  Build with -Dfuzzing=true and clang (see fuzz/meson.build). */

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(BounceReport) report = NULL;

  /* (with the others' log handler: a critical or warning is a find,
   * also when G_DEBUG does not make it fatal) */
  fuzz_init ();

  bytes = g_bytes_new_static (data, size);
  report = bounce_analyze_bytes (bytes, "fuzz", NULL, NULL);
  if (report != NULL)
    {
      g_autofree char *json = bounce_report_to_json (report, FALSE);
      g_autofree char *text = bounce_report_to_text (report);
      g_autofree char *summary = bounce_report_to_summary (report);

      /* The outputs must always be valid UTF-8. */
      FUZZ_CHECK (g_utf8_validate (json, -1, NULL) && g_utf8_validate (text, -1, NULL) &&
                  g_utf8_validate (summary, -1, NULL));
    }
  return 0;
}
