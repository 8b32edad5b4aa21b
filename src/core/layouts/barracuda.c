/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"
#include "bounce-layout-families.h"

/* Barracuda Spam & Virus Firewall (Email Security Gateway).  Its notice
 * (Subject: "**Message you sent blocked by our bulk email filter**") says
 * "Your message to: addr" / "was blocked by our Spam & Virus Firewall."
 * and carries a delivery report with its verdict.  Learnt from Sisimai's
 * Lhost::Barracuda, which reads the report; no reason table.  The filter
 * never names an SMTP command. */

static gboolean
parse_barracuda (BounceLayoutDoc *d)
{
  const char *subject = bounce_doc_header (d, "Subject");
  gboolean marked = subject != NULL && strstr (subject, "our bulk email filter") != NULL;

  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const BounceLine *next = i + 1 < d->lines->len ? bounce_doc_line (d, i + 1) : NULL;
      const char *s;
      gsize n;
      BounceFact *r;
      g_autoptr(GString) diag = NULL;

      bounce_line_trim (l, &s, &n);
      /* "Your message to: addr" over "was blocked by our Spam Firewall." */
      if (!bounce_mem_has_prefix (s, n, "Your message to:") || next == NULL ||
          !bounce_line_starts (next, "was blocked by our "))
        continue;
      r = bounce_doc_add_fact (d, bounce_address_in (s + 16, n - 16), i, i + 1);
      diag = g_string_new (NULL);
      bounce_diag_append_line (diag, next);
      bounce_fact_set_diag (r, diag);
      marked = TRUE;
    }
  if (!marked)
    return FALSE;
  bounce_dsn_add_unnamed (d);
  for (guint i = 0; i < d->out->len; i++)
    ((BounceFact *) d->out->pdata[i])->command_unknown = TRUE;
  return d->out->len > 0;
}

const BounceLayout bounce_layout_barracuda = {
  .name = "barracuda",
  .title = "Barracuda Email Security Gateway",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_barracuda,
};
