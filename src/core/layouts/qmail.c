/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* qmail and the servers that copied its layout.  Learnt from qmail's bounce
 * layout, the qmail-send bounce message format (QSBMF,
 * https://cr.yp.to/proto/qsbmf.txt), and the fixed sentences of qmail-
 * remote, qmail-local and qmail-ldap, as collected in Sisimai's Lhost::Qmail
 * (https://github.com/sisimai/p5-sisimai). */

/* qmail-remote's, qmail-local's and qmail-ldap's own words: fixed
 * sentences that name the condition, not a remote server's reply. */
static const BouncePhrase qmail_phrases[] = {
  { "Mailaddress is administrativly disabled", "suspend" },
  { "Mailaddress is administratively disabled", "suspend" },
  { "Sorry, no mailbox here by that name", "userunknown" },
  { "The message exeeded the maximum size the user accepts", "exceedlimit" },
  { "Automatic homedir creator crashed", "systemerror" },
  { "Illegal value in LDAP attribute", "systemerror" },
  { "LDAP attribute is not given but mandatory", "systemerror" },
  { "Timeout while performing search on LDAP server", "systemerror" },
  { "Too many results returned but needs to be unique", "systemerror" },
  { "error while executing qmail-forward", "systemerror" },
  { "Temporary error in automatic homedir creation", "systemerror" },
  { "Temporary failure in LDAP lookup", "systemerror" },
  { "Unable to contact LDAP server", "systemerror" },
  { "Unable to login into LDAP server", "systemerror" },
  { "Sorry, I couldn't find any host ", "hostunknown" },
  { "Sorry, I wasn't able to establish an SMTP connection", "networkerror" },
  { "Although I'm listed as a best-preference MX or A for that host", "networkerror" },
};

/* The sentences that open the recipient list. */
static const char * const qmail_openers[] = {
  "Hi. This is the qmail",
  "I'm afraid I wasn't able to deliver your message to the following addresses",
  "Unable to deliver message to the following address",
  "Sorry, we were unable to deliver your message to the following address",
};

static gboolean
qmail_is_end (const BounceLine *l)
{
  return bounce_line_starts (l, "--- ") || bounce_line_starts (l, "---Below this line") ||
         bounce_line_starts (l, "--- Below this line");
}

static void
qmail_finish (BounceFact *r,
              GString               *diag)
{

  bounce_fact_set_diag (r, diag);
  if (r->text == NULL)
    return;
  /* also "Sorry, no SMTP connection got far enough; most progress was RCPT TO" */
  r->command = bounce_extract_smtp_command (r->text, -1);
  r->layout_status = bounce_hash_status_in (r->text);
  r->reason = g_strdup (bounce_phrase_reason (qmail_phrases, G_N_ELEMENTS (qmail_phrases), r->text));
}

static gboolean
parse_qmail (BounceLayoutDoc *d)
{
  int start = -1;
  BounceFact *current = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (qmail_openers) && start < 0; i++)
    start = bounce_doc_find_start (d, 0, qmail_openers[i]);
  if (start < 0)
    return FALSE;

  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      char *address;

      if (qmail_is_end (l))
        break;
      address = bounce_address_colon_line (l);
      if (address != NULL)
        {
          if (current != NULL)
            qmail_finish (current, diag);
          g_string_truncate (diag, 0);
          current = bounce_doc_add_fact (d, address, i, i);
          continue;
        }
      if (current == NULL)
        continue;
      bounce_diag_append_line (diag, l);
      if (!bounce_line_is_blank (l))
        current->end = l->offset + l->len;
    }
  if (current != NULL)
    qmail_finish (current, diag);
  return d->out->len > 0;
}

const BounceLayout bounce_layout_qmail = {
  .name = "qmail",
  .title = "qmail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_qmail,
};
