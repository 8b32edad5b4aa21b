/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* Mimecast's own non-delivery notices (Subject "[Postmaster] Email
 * Delivery Failure", Message-Id "...@...mimecast.lan"): every item of the
 * notice starts with "-- ": the address under "An email that you
 * attempted to send to the following address could not be delivered:",
 * then "The problem appears to be :" and "Additional information follows
 * :" over the explanations.  Learnt from Sisimai's Lhost::Mimecast; no
 * reason table (Mimecast's provider wording is in the catalogue).  It
 * never names an SMTP command. */

static gboolean
parse_mimecast (BounceLayoutDoc *d)
{
  int problem = bounce_doc_find_start (d, 0, "The problem appears to be");
  BounceFact *current = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (problem < 0)
    return FALSE;
  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (!bounce_mem_has_prefix (s, n, "-- "))
        continue;
      s += 3, n -= 3;
      while (n > 0 && *s == ' ')
        s++, n--;
      /* "-- bob@example.net": a recipient; "-- text": an explanation */
      if (n > 3 && memchr (s, '@', n) != NULL && !bounce_mem_has_unquoted (s, n, " ") && (guint) problem > i)
        {
          if (current != NULL)
            bounce_fact_set_diag (current, diag);
          g_string_truncate (diag, 0);
          current = bounce_doc_add_fact (d, bounce_address_in (s, n), i, i);
          continue;
        }
      if (current == NULL)
        continue;
      bounce_diag_append (diag, s, n);
      current->end = l->offset + l->len;
    }
  if (current != NULL)
    bounce_fact_set_diag (current, diag);
  /* one set of explanations for all the addresses listed before it */
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *r = d->out->pdata[i];

      if (r->text == NULL && current != NULL)
        r->text = g_strdup (current->text);
      r->command_unknown = TRUE;
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_mimecast = {
  .name = "mimecast",
  .title = "Mimecast",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_mimecast,
};
