/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* Citadel.  Learnt from its SMTP queue's bounce builder (smtpq_do_bounce()
 * and its predecessors in the SMTP client module; mirror at
 * https://github.com/mingodad/citadel): "A message you sent could not be
 * delivered to some or all of its recipients." with "The following
 * addresses were undeliverable:", or "... due to prolonged unavailability
 * of its destination(s)." with "Giving up on the following addresses:"
 * when it gave up after retrying, or "A message you sent has not been
 * delivered to some or all of its recipients." for a warning; then one
 * line per recipient, " <address>: <status messages>".  The status
 * messages are the remote replies; they name the command only when their
 * text says so. */

static gboolean
parse_citadel (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "A message you sent could not be delivered to some or all of its recipients");
  int warn = start < 0 ? bounce_doc_find_start (d, 0, "A message you sent has not been delivered to some or all of its recipients") : -1;
  int list;
  gboolean gave_up;

  if (start < 0 && warn < 0)
    return FALSE;
  if (start < 0)
    start = warn;
  gave_up = bounce_doc_find_start (d, start, "Giving up on the following addresses:") >= 0;
  list = bounce_doc_find_start (d, start, gave_up ? "Giving up on the following addresses:"
                                                  : "The following addresses were undeliverable:");
  if (list < 0)
    {
      /* the warning's own heading line follows its intro */
      list = start + 1;
      while ((guint) list < d->lines->len && !bounce_line_is_blank (bounce_doc_line (d, list)))
        list++;
    }
  for (guint i = list + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *colon;
      gsize n;
      char *address;
      BounceFact *r;
      g_autoptr(GString) diag = NULL;

      bounce_line_trim (l, &s, &n);
      if (n == 0)
        {
          if (d->out->len > 0)
            break;
          continue;
        }
      colon = bounce_mem_find (s, n, ": ");
      if (colon == NULL && n > 0 && s[n - 1] == ':')
        colon = s + n - 1;
      if (colon == NULL || memchr (s, '@', colon - s) == NULL || bounce_mem_has_unquoted (s, colon - s, " "))
        break;
      address = bounce_address_in (s, colon - s);
      if (address == NULL)
        break;
      r = bounce_doc_add_fact (d, address, i, i);
      diag = g_string_new (NULL);
      bounce_diag_append (diag, colon + 1, n - (colon + 1 - s));
      bounce_fact_set_diag (r, diag);
      if (r->text != NULL)
        r->command = bounce_extract_smtp_command (r->text, -1);
      r->command_unknown = r->command == BOUNCE_SMTP_COMMAND_NONE;
      if (warn >= 0)
        r->action = g_strdup ("delayed");
      else if (gave_up)
        r->retried = TRUE;
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_citadel = {
  .name = "citadel",
  .title = "Citadel",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_citadel,
};
