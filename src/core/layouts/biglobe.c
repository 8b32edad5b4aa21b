/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* BIGLOBE, the Japanese provider (and the cable networks that use its
 * mail system: inacatv, tmtv, ttv):
 *
 *      ----- The following addresses had delivery problems -----
 *   bob@example.ne.jp
 *
 *      ----- Non-delivered information -----
 *   The number of messages in recipient's mailbox exceeded the local limit.
 *
 * The addresses one a line, then one explanation for all of them; the
 * SMTP command is never shown.  Learnt from Sisimai's Lhost::Biglobe. */

static const BouncePhrase biglobe_phrases[] = {
  { "Mail Delivery Failed... User unknown", "filtered" },
  { "The number of messages in recipient's mailbox exceeded the local limit.", "mailboxfull" },
};

static gboolean
parse_biglobe (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "----- The following addresses had delivery problems -----");
  int info;
  g_autoptr(GString) diag = g_string_new (NULL);
  guint i;

  if (start < 0)
    return FALSE;
  info = bounce_doc_find_start (d, start, "----- Non-delivered information -----");
  if (info < 0)
    return FALSE;
  for (i = info + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (bounce_line_starts (l, "--") || bounce_line_starts (l, "Content-Type:"))
        break;
      bounce_diag_append_line (diag, l);
    }
  for (guint k = start + 1; k < (guint) info; k++)
    {
      char *address = bounce_address_alone (bounce_doc_line (d, k));
      BounceFact *fact;

      if (address == NULL)
        continue;
      fact = bounce_doc_add_fact (d, address, k, i - 1);
      bounce_fact_set_diag (fact, diag);
      fact->command_unknown = TRUE;
      if (fact->text != NULL)
        bounce_fact_phrase_reason (fact, biglobe_phrases, G_N_ELEMENTS (biglobe_phrases), fact->text);
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_biglobe = {
  .name = "biglobe",
  .title = "BIGLOBE",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_biglobe,
};
