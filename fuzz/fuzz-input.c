/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "fuzz-common.h"

/* Input decoding alone (GMime, charsets, the mbox split, DSN fields): the
 * display text is valid UTF-8 and the segments lie in order inside it. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(BounceInput) input = NULL;
  GPtrArray *segments;
  gsize length;
  gsize last_end = 0;

  fuzz_init ();
  bytes = g_bytes_new_static (data, size);
  input = bounce_input_new_from_bytes (bytes, NULL, NULL);
  if (input == NULL)
    return 0;

  length = bounce_input_get_text_length (input);
  FUZZ_CHECK (g_utf8_validate (bounce_input_get_text (input), length, NULL));
  segments = bounce_input_get_segments (input);
  for (guint i = 0; i < segments->len; i++)
    {
      BounceSegment *seg = segments->pdata[i];

      FUZZ_CHECK (seg->start <= seg->end && seg->end <= length);
      FUZZ_CHECK (seg->start >= last_end);
      last_end = seg->end;
    }
  return 0;
}
