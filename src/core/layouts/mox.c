/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* mox.  Learnt from its source (https://github.com/mjl-/mox, queue/dsn.go):
 * one notice per recipient, "Delivery has failed permanently for your email
 * to:" (or "Delivery has been delayed of your email to:") with the address
 * indented below, then "Error during the last delivery attempt:" with
 * mox's summary of the error, and "Full SMTP response:" with the remote
 * reply's lines when there was one.  The summary names the command only
 * when the text says so. */

static gboolean
parse_mox (BounceLayoutDoc *d)
{
  int failed = bounce_doc_find_start (d, 0, "Delivery has failed permanently for your email to:");
  int delayed = failed < 0 ? bounce_doc_find_start (d, 0, "Delivery has been delayed of your email to:") : -1;
  int start = failed >= 0 ? failed : delayed;
  int error, full;
  char *address = NULL;
  guint at = 0, last;
  BounceFact *r;
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autoptr(GString) reply = g_string_new (NULL);

  if (start < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len && address == NULL; i++)
    if (!bounce_line_is_blank (bounce_doc_line (d, i)))
      {
        address = bounce_line_lone_address (bounce_doc_line (d, i));
        at = i;
        if (address == NULL)
          return FALSE;
      }
  if (address == NULL)
    return FALSE;
  error = bounce_doc_find_start (d, at, "Error during the last delivery attempt:");
  full = bounce_doc_find_start (d, at, "Full SMTP response:");
  last = at;
  for (guint pass = 0; pass < 2; pass++)
    {
      int from = pass == 0 ? error : full;
      GString *into = pass == 0 ? summary : reply;
      gboolean any = FALSE;

      if (from < 0)
        continue;
      for (guint i = from + 1; i < d->lines->len; i++)
        {
          const BounceLine *l = bounce_doc_line (d, i);

          if (bounce_line_is_blank (l))
            {
              if (any)
                break;
              continue;
            }
          if (!bounce_line_is_indented (l))
            break;
          bounce_diag_append_line (into, l);
          any = TRUE;
          last = MAX (last, i);
        }
    }
  r = bounce_doc_add_fact (d, address, at, last);
  bounce_fact_set_diag (r, reply->len > 0 ? reply : summary);
  if (delayed >= 0)
    r->action = g_strdup ("delayed");
  r->command = bounce_extract_smtp_command (summary->str, summary->len);
  r->command_unknown = r->command == BOUNCE_SMTP_COMMAND_NONE;
  return TRUE;
}

const BounceLayout bounce_layout_mox = {
  .name = "mox",
  .title = "mox",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_mox,
};
