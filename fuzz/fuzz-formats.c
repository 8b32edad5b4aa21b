/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "fuzz-common.h"
#include "bounce-fact.h"
#include "bounce-layouts.h"

/* The server layouts (Sendmail, Exim, qmail, ... one after the other until
 * one knows the layout) on decoded input, message by message: every
 * recipient they give has an address (unless the layout marks it nameless:
 * listed by display name only, as Exchange 2003's reports do), valid text
 * and a range inside the text that runs forwards. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BounceInput) input = NULL;
  GPtrArray *messages;

  fuzz_init ();
  input = bounce_input_new_from_text ((const char *) data, size, NULL);
  if (input == NULL)
    return 0;

  messages = bounce_input_get_messages (input);
  for (guint m = 0; m < MAX (messages->len, 1) && m < 8; m++)
    {
      g_autoptr(GPtrArray) found = bounce_layouts_parse_text (input, m);

      for (guint i = 0; found != NULL && i < found->len; i++)
        {
          BounceFact *r = found->pdata[i];

          FUZZ_CHECK (r->address != NULL || r->nameless);
          FUZZ_CHECK (!r->has_range || (r->start <= r->end && r->end <= bounce_input_get_text_length (input)));
          FUZZ_CHECK (r->text == NULL || g_utf8_validate (r->text, -1, NULL));
        }
    }
  return 0;
}
