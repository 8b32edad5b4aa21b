/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* hMailServer.  Learnt from hMailServer's source
 * (https://github.com/hmailserver/hmailserver): the default text of its
 * SEND_FAILED_NOTIFICATION server message in the database scripts ("Your
 * message did not reach some or all of the intended recipients." ... "The
 * following recipient(s) could not be reached:" then %MACRO_RECIPIENTS%,
 * signed "hMailServer"), and the per-recipient error text built in
 * SMTPClientConnection.cpp, ExternalDelivery.cpp and LocalDelivery.cpp: the
 * address alone on a line, then indented "Error Type: SMTP" and either
 * "Remote server (ip) issued an error." / "hMailServer sent: <command>" /
 * "Remote server replied: <reply>", or "Connection to recipients server
 * failed." / "Error: <text>", or "Error Description:" / "Additional
 * information:" for its own decisions. */

static const BouncePhrase hmailserver_phrases[] = {
  { "Inbox is full", "mailboxfull" },
  { "inbox is full", "mailboxfull" },
};

typedef struct {
  BounceFact *fact;
  GString *diag;
  gboolean own;   /* hMailServer's own description, not a remote reply */
} Block;

static void
block_finish (Block *b)
{
  if (b->fact == NULL)
    return;
  bounce_fact_set_diag (b->fact, b->diag);
  if (b->own && b->fact->text != NULL)
    b->fact->reason = g_strdup (bounce_phrase_reason (hmailserver_phrases,
                                                      G_N_ELEMENTS (hmailserver_phrases),
                                                      b->fact->text));
  g_string_free (b->diag, TRUE);
  b->fact = NULL;
  b->diag = NULL;
}

static gboolean
parse_hmailserver (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "The following recipient(s)");
  Block b = { NULL, NULL, FALSE };

  /* hMailServer's own detail lines, not only the heading Exchange 5.5
   * also used */
  if (start < 0 || bounce_doc_find_start (d, start, "Error Type:") < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *v;
      gsize n;
      char *address;

      if (bounce_line_is_blank (l))
        continue;
      if (!bounce_line_is_indented (l))
        {
          address = bounce_line_lone_address (l);
          if (address == NULL)
            break;   /* the "hMailServer" signature, or the end */
          block_finish (&b);
          b.fact = bounce_doc_add_fact (d, address, i, i);
          b.diag = g_string_new (NULL);
          b.own = FALSE;
          /* shown for every remote refusal ("hMailServer sent:") */
          b.fact->command = BOUNCE_SMTP_COMMAND_NONE;
          continue;
        }
      if (b.fact == NULL)
        continue;
      b.fact->end = l->offset + l->len;
      if (bounce_line_value (l, "hMailServer sent:", &v, &n))
        b.fact->command = bounce_command_of_word (v, n);
      else if (bounce_line_value (l, "Remote server replied:", &v, &n) ||
               bounce_line_value (l, "Error:", &v, &n))
        bounce_diag_append (b.diag, v, n);
      else if (bounce_line_value (l, "Error Description:", &v, &n) ||
               bounce_line_value (l, "Additional information:", &v, &n))
        {
          bounce_diag_append (b.diag, v, n);
          b.own = TRUE;
        }
    }
  block_finish (&b);
  return d->out->len > 0;
}

const BounceLayout bounce_layout_hmailserver = {
  .name = "hmailserver",
  .title = "hMailServer",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_hmailserver,
};
