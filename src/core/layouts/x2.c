/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"
#include "bounce-layout-families.h"

/* An unnamed server (Sisimai's Lhost::X2): "Message from <domain>." and
 * "Unable to deliver message to the following address(es).", then
 * qmail's "<addr>:" blocks up to "--- Original message follows.".
 * Learnt from Sisimai's Lhost::X2, which has no reason table of its own:
 * the server's explanations are qmail's sentences, read with qmail's
 * table. */

static gboolean
parse_x2 (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "Unable to deliver message to the following address");
  gboolean marked;

  if (start < 0)
    return FALSE;
  /* its first line, or its last: the copy of the message follows */
  marked = start > 0 && bounce_line_starts (bounce_doc_line (d, start - 1), "Message from ");
  if (!marked)
    marked = bounce_doc_find_start (d, start, "--- Original message follows.") >= 0;
  if (!marked)
    return FALSE;
  if (!bounce_qmail_read (d, start, NULL, 0))
    return FALSE;
  /* qmail's reader takes an explanation without qmail-remote's sentences
   * for qmail-local's, which has no SMTP command at all (command_unknown).
   * This server is not qmail: nothing says its explanations come from a
   * local delivery, and its notice never shows the command, as Sisimai's
   * Lhost::X2 reads it (no command set).  Left unmarked, bare "user
   * unknown" wording is then judged as Sisimai::Reason::Filtered->true
   * judges it without RCPT or an X.1.1 status: a filter's words. */
  for (guint i = 0; i < d->out->len; i++)
    ((BounceFact *) d->out->pdata[i])->command_unknown = FALSE;
  return TRUE;
}

const BounceLayout bounce_layout_x2 = {
  .name = "x2",
  .title = "unknown MTA (x2)",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_x2,
};
