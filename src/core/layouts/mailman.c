/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* GNU Mailman's refusal of a post to a list.  Learnt from its templates
 * and their documented output (https://gitlab.com/mailman/mailman,
 * templates list:user:notice:refuse and list:user:notice:rejected, and
 * Mailman 2's RefuseRequest()): "Your request to the <list> mailing list"
 * / "<request>" / "has been rejected by the list moderator.  The moderator
 * gave the following reason for rejecting your request:" / "\"<reason>\"" /
 * "Any questions or comments should be directed to the list administrator
 * at:" / "<list>-owner@<domain>"; and "Your message to the <list>
 * mailing-list was rejected for the following reasons:" with the reasons
 * below.  Mailman 3 names the list by its address, Mailman 2 by its name
 * only, in which case the list's address is its owner address without
 * "-owner".  Either way the list refused the message ("rejected", as for
 * fml's notices); no SMTP command is involved. */

static char *
list_from_owner (const char *owner)
{
  const char *at = strchr (owner, '@');
  g_autofree char *local = NULL;

  if (at == NULL || at - owner <= 6 || strncmp (at - 6, "-owner", 6) != 0)
    return NULL;
  local = g_strndup (owner, at - 6 - owner);
  return g_strconcat (local, at, NULL);
}

static gboolean
parse_mailman (BounceLayoutDoc *d)
{
  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *v, *end;
      gsize n;
      gboolean refused;
      char *address;
      guint last = i;
      int why = -1;
      BounceFact *r;
      g_autoptr(GString) diag = NULL;

      if (bounce_line_value (l, "Your request to the ", &v, &n) &&
          ((end = bounce_mem_find (v, n, " mailing list")) != NULL ||
           (end = bounce_mem_find (v, n, " mailing-list")) != NULL))
        refused = TRUE;
      else if (bounce_line_value (l, "Your message to the ", &v, &n) &&
               (end = bounce_mem_find (v, n, " mailing-list was rejected")) != NULL)
        refused = FALSE;
      else
        continue;
      if (refused)
        {
          why = bounce_doc_find_start (d, i + 1, "has been rejected by the list moderator");
          if (why < 0 || why > (int) i + 6)
            continue;
        }
      address = bounce_address_in (v, end - v);
      if (address == NULL && refused)
        {
          /* Mailman 2: "... the list administrator at:" and the owner */
          int at = bounce_doc_find (d, i, "directed to");

          for (guint j = at >= 0 ? (guint) at : d->lines->len; j < d->lines->len && j < (guint) at + 4 && address == NULL; j++)
            {
              const BounceLine *m = bounce_doc_line (d, j);
              g_autofree char *owner = bounce_address_in (m->s, m->len);

              if (owner != NULL)
                address = list_from_owner (owner);
            }
        }
      if (address == NULL)
        return FALSE;
      diag = g_string_new (NULL);
      /* the moderator's reason, or the rules' reasons */
      for (guint j = (refused ? (guint) why : i) + 1; j < d->lines->len; j++)
        {
          const BounceLine *m = bounce_doc_line (d, j);
          const char *s;
          gsize k;

          if (bounce_line_starts (m, "Any questions or comments") ||
              bounce_line_starts (m, "The original message as received by Mailman"))
            break;
          if (bounce_line_starts (m, "reason for rejecting your request:") ||
              bounce_line_starts (m, "following reason for rejecting your request:") ||
              bounce_line_starts (m, "The moderator gave the following reason") ||
              bounce_line_is_blank (m))
            continue;
          bounce_line_trim (m, &s, &k);
          if (k >= 2 && s[0] == '"' && s[k - 1] == '"')
            s++, k -= 2;
          bounce_diag_append (diag, s, k);
          last = j;
        }
      r = bounce_doc_add_fact (d, address, i, last);
      bounce_fact_set_diag (r, diag);
      r->command_unknown = TRUE;
      r->reason = g_strdup ("rejected");
      return TRUE;
    }
  return FALSE;
}

const BounceLayout bounce_layout_mailman = {
  .name = "mailman",
  .title = "GNU Mailman",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_mailman,
};
