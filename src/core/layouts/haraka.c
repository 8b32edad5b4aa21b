/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* Haraka.  Learnt from Haraka's source (https://github.com/haraka/Haraka):
 * its bounce template config/outbound.bounce_message ("Hi. This is the
 * Haraka Mailer program at <host>." then "Intended Recipients: <list>" and
 * "Failure Reason: <reason>", one reason for every recipient listed), filled
 * in by the outbound queue.  The reason is the remote reply or Haraka's own
 * error, never the command it answered. */

static gboolean
parse_haraka (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "Hi. This is the Haraka Mailer program");
  int list, why;
  const char *v, *reason;
  gsize n, reason_len;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (start < 0)
    return FALSE;
  list = bounce_doc_find_start (d, start, "Intended Recipients:");
  why = bounce_doc_find_start (d, start, "Failure Reason:");
  if (list < 0 || why < 0)
    return FALSE;
  bounce_line_value (bounce_doc_line (d, why), "Failure Reason:", &reason, &reason_len);
  bounce_diag_append (diag, reason, reason_len);
  /* a reply of several lines goes on until a blank line */
  for (guint i = why + 1; i < d->lines->len && !bounce_line_is_blank (bounce_doc_line (d, i)); i++)
    bounce_diag_append_line (diag, bounce_doc_line (d, i));
  bounce_line_value (bounce_doc_line (d, list), "Intended Recipients:", &v, &n);
  for (gsize from = 0; from < n;)
    {
      gsize s, e;
      char *address = bounce_extract_address (v, n, from, &s, &e);
      BounceFact *r;

      if (address == NULL)
        break;
      from = e;
      r = bounce_doc_add_fact (d, address, list, why);
      bounce_fact_set_diag (r, diag);
      r->command_unknown = TRUE;
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_haraka = {
  .name = "haraka",
  .title = "Haraka",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_haraka,
};
