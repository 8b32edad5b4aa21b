/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* Synchronet BBS's mail server.  Learnt from its source
 * (https://github.com/SynchronetBBS/sbbs, src/sbbs3/mailsrvr.cpp, the
 * bounce builder): the notice's text is "<host> reporting delivery
 * failure of message [after N attempts]", "from <sender> to <recipient>",
 * "Reason:" and the error on the line below, then "Original message text
 * follows:"; the subject repeats it ("Delivery failure of message to
 * <recipient> after N attempts: <error>").  The error is the remote reply
 * or Synchronet's own, and names the command only when its text says so. */

static gboolean
parse_synchronet (BounceLayoutDoc *d)
{
  int start, why;
  const char *v, *to;
  gsize n;
  char *address;
  guint last;
  BounceFact *r;
  g_autoptr(GString) diag = g_string_new (NULL);

  /* "Reason:" alone on a line first: cheaper than looking inside every line */
  if (bounce_doc_find_start (d, 0, "Reason:") < 0)
    return FALSE;
  start = bounce_doc_find (d, 0, " reporting delivery failure of message");
  if (start < 0 || (guint) start + 1 >= d->lines->len ||
      !bounce_line_value (bounce_doc_line (d, start + 1), "from ", &v, &n) ||
      (to = bounce_mem_find (v, n, " to ")) == NULL)
    return FALSE;
  to += strlen (" to ");
  address = bounce_address_in (to, n - (to - v));
  if (address == NULL)
    return FALSE;
  last = start + 1;
  why = bounce_doc_find_start (d, start + 1, "Reason:");
  if (why >= 0 && why <= start + 3)
    for (guint i = why; i < d->lines->len; i++)
      {
        const BounceLine *l = bounce_doc_line (d, i);

        if (bounce_line_starts (l, "Original message text follows") ||
            (i > (guint) why && bounce_line_is_blank (l)))
          break;
        if (i == (guint) why)
          {
            bounce_line_value (l, "Reason:", &v, &n);
            bounce_diag_append (diag, v, n);
          }
        else
          bounce_diag_append_line (diag, l);
        last = i;
      }
  r = bounce_doc_add_fact (d, address, start, last);
  bounce_fact_set_diag (r, diag);
  if (r->text != NULL)
    r->command = bounce_extract_smtp_command (r->text, -1);
  r->command_unknown = r->command == BOUNCE_SMTP_COMMAND_NONE;
  return TRUE;
}

const BounceLayout bounce_layout_synchronet = {
  .name = "synchronet",
  .title = "Synchronet",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_synchronet,
};
