/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* HCL (formerly IBM Lotus) Domino.  Its delivery failure report reads
 * "Your message", the subject, "was not delivered to:", the address,
 * "because:" and the router's reason, all indented by two spaces.
 * Learnt from Sisimai's Lhost::Domino and its reason table (the router's
 * own sentences, in the languages Domino writes them).  The report never
 * names an SMTP command: the router decided. */

static const BouncePhrase domino_phrases[] = {
  { "not listed in Domino Directory", "userunknown" },
  { "not listed in public Name & Address Book", "userunknown" },
  { "no se encuentra en el Directorio de Domino", "userunknown" },
  { "non r\xc3\xa9pertori\xc3\xa9 dans l'annuaire Domino", "userunknown" },
  { "Domino \xe3\x83\x87\xe3\x82\xa3\xe3\x83\xac\xe3\x82\xaf\xe3\x83\x88\xe3\x83\xaa\xe3\x81\xab\xe3\x81\xaf"
    "\xe8\xa6\x8b\xe3\x81\xa4\xe3\x81\x8b\xe3\x82\x8a\xe3\x81\xbe\xe3\x81\x9b\xe3\x82\x93", "userunknown" },
  { "Cannot route mail to user", "filtered" },
  { "Several matches found in Domino Directory", "systemerror" },
};

static gboolean
line_is (const BounceLine *l,
         const char       *text)
{
  const char *s;
  gsize n;

  bounce_line_trim (l, &s, &n);
  return n == strlen (text) && memcmp (s, text, n) == 0;
}

static gboolean
parse_domino (BounceLayoutDoc *d)
{
  int start = -1;

  for (guint i = 0; i < d->lines->len && start < 0; i++)
    if (line_is (bounce_doc_line (d, i), "Your message"))
      start = i;
  if (start < 0 || bounce_doc_find_start (d, start, "was not delivered to:") < 0 ||
      bounce_doc_find_start (d, start, "because:") < 0)
    return FALSE;

  for (guint i = start + 1; i < d->lines->len; i++)
    {
      BounceFact *r = NULL;
      g_autoptr(GString) diag = g_string_new (NULL);
      guint k;

      if (!line_is (bounce_doc_line (d, i), "was not delivered to:"))
        continue;
      /* the address, then "because:" and the reason up to a blank line */
      for (k = i + 1; k < d->lines->len && r == NULL; k++)
        {
          const BounceLine *l = bounce_doc_line (d, k);
          const char *s;
          gsize n;

          bounce_line_trim (l, &s, &n);
          if (n == 0)
            continue;
          if (memchr (s, '@', n) == NULL || bounce_mem_has_unquoted (s, n, " "))
            break;
          r = bounce_doc_add_fact (d, bounce_address_in (s, n), k, k);
        }
      if (r == NULL)
        continue;
      for (; k < d->lines->len && !line_is (bounce_doc_line (d, k), "because:"); k++)
        if (line_is (bounce_doc_line (d, k), "was not delivered to:"))
          break;
      if (k < d->lines->len && line_is (bounce_doc_line (d, k), "because:"))
        {
          gboolean started = FALSE;

          for (k++; k < d->lines->len; k++)
            {
              const BounceLine *l = bounce_doc_line (d, k);

              if (bounce_line_is_blank (l))
                {
                  if (started)
                    break;
                  continue;
                }
              started = TRUE;
              bounce_diag_append_line (diag, l);
              r->end = l->offset + l->len;
            }
        }
      bounce_fact_set_diag (r, diag);
      r->command_unknown = TRUE;
      r->reason = g_strdup (bounce_phrase_reason (domino_phrases, G_N_ELEMENTS (domino_phrases), r->text));
      i = k > i ? k - 1 : i;
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_domino = {
  .name = "domino",
  .title = "HCL Domino",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_domino,
};
