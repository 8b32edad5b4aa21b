/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"
#include "bounce-layout-families.h"

/* McAfee Email Gateway (formerly the McAfee Email and Web Security
 * appliance).  Its notice (X-NAI-Header: "Modified by McAfee ...",
 * Subject: "Delivery Status") lists "<addr>   (why)" under "--- The
 * following addresses had delivery problems ---", with a delivery report
 * beside it.  Learnt from Sisimai's Lhost::McAfee and its reason table
 * (the appliance's own words for an unknown user).  It never names an
 * SMTP command. */

static const BouncePhrase mcafee_phrases[] = {
  { "User not exist", "userunknown" },
  { "550 Unknown user", "userunknown" },
  { "No such user", "userunknown" },
  { "unknown.", "userunknown" },   /* "User (bob@example.net) unknown." */
};

static gboolean
parse_mcafee (BounceLayoutDoc *d)
{
  int list = bounce_doc_find_start (d, 0, "--- The following addresses had delivery problems ---");

  if (list < 0)
    return FALSE;
  for (guint i = list + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *gt, *open;
      gsize n;
      BounceFact *r;
      g_autoptr(GString) diag = NULL;

      bounce_line_trim (l, &s, &n);
      if (n == 0)
        continue;
      /* "<bob@example.net>   (User unknown bob@example.net)" */
      if (s[0] != '<' || (gt = memchr (s, '>', n)) == NULL || (open = memchr (gt, '(', s + n - gt)) == NULL ||
          s[n - 1] != ')')
        break;
      r = bounce_doc_add_fact (d, bounce_address_in (s + 1, gt - s - 1), i, i);
      diag = g_string_new (NULL);
      bounce_diag_append (diag, open + 1, s + n - 1 - open - 1);
      bounce_fact_set_diag (r, diag);
    }
  bounce_dsn_add_unnamed (d);
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *r = d->out->pdata[i];
      const char *code = bounce_dsn_diagnostic (d, r->address);

      r->command_unknown = TRUE;
      r->reason = g_strdup (bounce_phrase_reason (mcafee_phrases, G_N_ELEMENTS (mcafee_phrases), r->text));
      if (r->reason == NULL)
        r->reason = g_strdup (bounce_phrase_reason (mcafee_phrases, G_N_ELEMENTS (mcafee_phrases), code));
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_mcafee = {
  .name = "mcafee",
  .title = "McAfee Email Gateway",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_mcafee,
};
