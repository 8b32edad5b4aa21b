/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* Lotus Notes: the reason first, then the address it applies to.  Learnt
 * from Lotus Notes (HCL Domino clients)' delivery failure reports, as
 * Sisimai's Lhost::Notes reads them. */

static const BouncePhrase notes_phrases[] = {
  { "User not listed in public Name & Address Book", "userunknown" },
  { "\xe3\x83\x87\xe3\x82\xa3\xe3\x83\xac\xe3\x82\xaf\xe3\x83\x88\xe3\x83\xaa\xe3\x81\xae"
    "\xe3\x83\xaa\xe3\x82\xb9\xe3\x83\x88\xe3\x81\xab\xe3\x81\x82\xe3\x82\x8a\xe3\x81\xbe"
    "\xe3\x81\x9b\xe3\x82\x93", "userunknown" },  /* "not in the directory's list" */
  { "Message has exceeded maximum hop count", "networkerror" },
};

static gboolean
parse_notes (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "------- Failure Reasons");
  g_autoptr(GString) diag = g_string_new (NULL);
  g_autofree char *last = NULL;

  if (start < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (bounce_mem_has_prefix (s, n, "------- Returned Message"))
        break;
      if (n == 0)
        continue;
      if (!bounce_mem_has_unquoted (s, n, " ") && memchr (s, '@', n) != NULL)
        {
          BounceFact *r = bounce_doc_add_fact (d, bounce_address_in (s, n), i, i);

          if (diag->len > 0)
            {
              g_free (last);
              last = g_strdup (diag->str);
              g_string_truncate (diag, 0);
            }
          r->text = g_strdup (last);
          /* the Notes router decided: there was no SMTP command */
          r->command_unknown = TRUE;
          r->reason = g_strdup (bounce_phrase_reason (notes_phrases, G_N_ELEMENTS (notes_phrases), last));
          continue;
        }
      bounce_diag_append (diag, s, n);
    }
  /* Reasons with no address under them: the recipient is the one the
   * returned message was addressed to, its To: header, which is where
   * Sisimai looks when the reasons name nobody (lib/Sisimai/Lhost/Notes.pm
   * at 7c78f336b7a6, its fallback after the loop over the reasons). */
  if (d->out->len == 0 && diag->len > 0)
    {
      const char *to = bounce_doc_original_header (d, "To");
      char *address = to != NULL ? bounce_address_in (to, strlen (to)) : NULL;

      if (address != NULL)
        {
          BounceFact *r = bounce_doc_add_fact (d, address, start, start);

          bounce_fact_set_diag (r, diag);
          r->command_unknown = TRUE;
          r->reason = g_strdup (bounce_phrase_reason (notes_phrases, G_N_ELEMENTS (notes_phrases), diag->str));
        }
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_notes = {
  .name = "notes",
  .title = "Lotus Notes",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_notes,
};
