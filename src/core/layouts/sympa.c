/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* Sympa, the mailing list manager, refusing a post.  Learnt from its mail
 * templates (https://github.com/sympa-community/sympa, default/mail_tt2/):
 * delivery_status_notification.tt2, "This is an automatic response sent by
 * Sympa Mailing Lists Manager." / "Impossible to distribute your message
 * for list '<list address>' for the following reason:" and Sympa's own
 * sentence ("List '<list>' does not exist.", "The following address is not
 * a known mailing list:", "Your message could not be sent because its size
 * (...) was over the maximum size (...) allowed on this list.", a virus
 * alert), and reject.tt2, "Your message for list <list>@<host> has been
 * rejected by the moderator (<moderator>)."  No SMTP command is involved. */

static const BouncePhrase sympa_phrases[] = {
  { "does not exist", "userunknown" },
  { "is not a known mailing list", "userunknown" },
  { "was over the maximum size", "mesgtoobig" },
  { "V I R U S", "virusdetected" },
  { "found a virus", "virusdetected" },
  { "has been rejected by the moderator", "rejected" },
};

static BounceFact *
sympa_fact (BounceLayoutDoc *d,
            char            *address,
            guint            first,
            guint            last,
            GString         *diag)
{
  BounceFact *r = bounce_doc_add_fact (d, address, first, last);

  bounce_fact_set_diag (r, diag);
  r->command_unknown = TRUE;
  r->reason = g_strdup (bounce_phrase_reason (sympa_phrases, G_N_ELEMENTS (sympa_phrases), diag->str));
  return r;
}

static gboolean
parse_sympa (BounceLayoutDoc *d)
{
  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *v, *end;
      gsize n;
      char *address;
      guint last = i;
      g_autoptr(GString) diag = g_string_new (NULL);

      /* "Your message for list x@y\nhas been rejected by the moderator (z)." */
      if (bounce_line_value (l, "Your message for list ", &v, &n) && i + 1 < d->lines->len &&
          bounce_line_starts (bounce_doc_line (d, i + 1), "has been rejected by the moderator"))
        {
          address = bounce_address_in (v, n);
          if (address == NULL)
            return FALSE;
          bounce_diag_append_line (diag, bounce_doc_line (d, i + 1));
          sympa_fact (d, address, i, i + 1, diag);
          return TRUE;
        }
      if (!bounce_line_value (l, "Impossible to distribute your message for list ", &v, &n) ||
          (end = bounce_mem_find (v, n, " for the following reason")) == NULL)
        continue;
      /* the list's address between quotes */
      {
        const char *a = v, *b = end;

        while (a < b && (*a == '\'' || *a == '"'))
          a++;
        while (b > a && (b[-1] == '\'' || b[-1] == '"'))
          b--;
        address = bounce_address_in (a, b - a);
      }
      if (address == NULL)
        return FALSE;
      /* Sympa's sentence, up to its help lines */
      for (guint j = i + 1; j < d->lines->len; j++)
        {
          const BounceLine *m = bounce_doc_line (d, j);

          if (bounce_line_is_blank (m))
            {
              if (diag->len > 0 && !bounce_line_starts (bounce_doc_line (d, j - 1), "The following address"))
                break;
              continue;
            }
          if (bounce_line_starts (m, "Reporting-MTA:") || bounce_line_starts (m, "To find out the correct listname"))
            break;
          bounce_diag_append_line (diag, m);
          last = j;
        }
      sympa_fact (d, address, i, last, diag);
      return TRUE;
    }
  return FALSE;
}

const BounceLayout bounce_layout_sympa = {
  .name = "sympa",
  .title = "Sympa",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_sympa,
};
