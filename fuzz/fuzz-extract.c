/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"

/* Code extraction on any text the decoder can produce (valid UTF-8):
 * findings in order, inside the text, on character boundaries; and the
 * small readers of a diagnostic line. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *enhanced = NULL;
  gsize length;
  gsize last = 0;
  gsize from = 0;

  fuzz_init ();
  text = g_utf8_make_valid ((const char *) data, size);
  length = strlen (text);
  findings = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_finding_free);
  bounce_extract (text, 0, -1, BOUNCE_EXTRACT_ALL, findings);
  for (guint i = 0; i < findings->len; i++)
    {
      BounceFinding *f = findings->pdata[i];

      FUZZ_CHECK (f->byte_offset + f->byte_length <= length);
      FUZZ_CHECK (f->byte_offset >= last);
      FUZZ_CHECK (g_utf8_validate (f->text, -1, NULL));
      FUZZ_CHECK (((guchar) text[f->byte_offset] & 0xc0) != 0x80);
      last = f->byte_offset;
    }

  bounce_extract_first_codes (text, &reply, &enhanced);
  bounce_extract_smtp_command (text, -1);
  for (guint n = 0; n < 64 && from < length; n++)
    {
      gsize start, end;
      g_autofree char *address = bounce_extract_address (text, -1, from, &start, &end);

      if (address == NULL)
        break;
      FUZZ_CHECK (start >= from && end <= length && end > start);
      from = end;
    }
  return 0;
}
