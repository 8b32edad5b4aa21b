/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* Apache James's own bounce from remote delivery: the DSNBounce mailet of
 * James 3 and the bounce of James 2's RemoteDelivery mailet (not the
 * "Error message below:" / "Message details:" notify mailets that
 * apache-james.c reads).  Learnt from its source
 * (https://github.com/apache/james-project, DSNBounce.java and
 * RemoteDelivery.java) and a notice quoted in MOSIP's mail server
 * documentation: "Hi. This is the James mail server at <host>.", "I'm
 * afraid I wasn't able to deliver your message to the following
 * addresses.", then "Failed recipient(s):" with one address per line and
 * "Error message:" with the reply (James 2 prints the addresses and the
 * error straight after the introduction).  The error never names the
 * command. */

static gboolean
parse_james_dsn (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "Hi. This is the James mail server at ");
  int failed, error;
  guint from, last;
  g_autoptr(GString) diag = g_string_new (NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  if (start < 0 || bounce_doc_find_start (d, start, "I'm afraid I wasn't able to deliver your message") < 0)
    return FALSE;
  failed = bounce_doc_find_start (d, start, "Failed recipient(s):");
  error = bounce_doc_find_start (d, start, "Error message:");
  from = failed >= 0 ? (guint) failed + 1 : (guint) start + 1;
  /* the addresses, one per line; in James 2 the error follows them */
  for (guint i = from; i < d->lines->len && (error < 0 || (int) i < error); i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      char *address = bounce_line_lone_address (l);

      if (address != NULL)
        {
          g_ptr_array_add (rows, bounce_doc_add_fact (d, address, i, i));
          continue;
        }
      if (rows->len > 0)
        {
          if (error >= 0 || bounce_line_is_blank (l) || bounce_line_starts (l, "The original message is attached"))
            {
              if (error < 0)
                break;
              continue;
            }
          bounce_diag_append_line (diag, l);
        }
    }
  last = rows->len > 0 ? (guint) -1 : 0;
  if (error >= 0)
    for (guint i = error + 1; i < d->lines->len; i++)
      {
        const BounceLine *l = bounce_doc_line (d, i);

        if (bounce_line_is_blank (l))
          {
            if (diag->len > 0)
              break;
            continue;
          }
        bounce_diag_append_line (diag, l);
        last = i;
      }
  for (guint i = 0; i < rows->len; i++)
    {
      BounceFact *r = rows->pdata[i];

      bounce_fact_set_diag (r, diag);
      r->command_unknown = TRUE;
      if (last != (guint) -1 && last != 0)
        r->end = bounce_doc_line (d, last)->offset + bounce_doc_line (d, last)->len;
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_james_dsn = {
  .name = "james-dsn",
  .title = "Apache James",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_james_dsn,
};
