/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* SimpleLogin (Proton's e-mail alias service), which tells its user in
 * its own words when a message through an alias bounced.  Learnt from its
 * templates (https://github.com/simple-login/app,
 * templates/emails/transactional/bounce/): a reply through an alias that
 * the contact's server refused, "Email cannot be sent to <contact> from
 * your alias <alias>" ("This might mean <contact> - is not a valid
 * address, or - doesn't exist, or - its mail server refuses your email."),
 * and a forwarded message that the user's own mailbox refused, "An email
 * sent to your alias <alias> from <sender> was bounced by your mailbox
 * <mailbox>." ("This is usually because your mailbox service thinks the
 * email is a spam.").  Neither quotes the reply or names the command, nor
 * says for sure why. */

static gboolean
parse_simplelogin (BounceLayoutDoc *d)
{
  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *v, *mark;
      gsize n;
      char *address = NULL;
      BounceFact *r;
      g_autoptr(GString) diag = NULL;

      if (bounce_line_value (l, "Email cannot be sent to ", &v, &n) &&
          (mark = bounce_mem_find (v, n, " from your alias ")) != NULL)
        address = bounce_address_in (v, mark - v);
      else if (bounce_line_value (l, "An email sent to your alias ", &v, &n) &&
               (mark = bounce_mem_find (v, n, " was bounced by your mailbox ")) != NULL)
        {
          mark += strlen (" was bounced by your mailbox ");
          address = bounce_address_in (mark, n - (mark - v));
        }
      else
        continue;
      if (address == NULL)
        return FALSE;
      r = bounce_doc_add_fact (d, address, i, i);
      diag = g_string_new (NULL);
      bounce_diag_append_line (diag, l);
      bounce_fact_set_diag (r, diag);
      r->command_unknown = TRUE;
      return TRUE;
    }
  return FALSE;
}

const BounceLayout bounce_layout_simplelogin = {
  .name = "simplelogin",
  .title = "SimpleLogin",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_simplelogin,
};
