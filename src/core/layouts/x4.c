/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"
#include "bounce-layout-families.h"

/* Unnamed servers that copied qmail's layout (Sisimai's Lhost::X4, "qmail
 * clones"): an opening paragraph of their own, then qmail's "<addr>:"
 * blocks and qmail's sentences.  Learnt from Sisimai's Lhost::X4: its
 * openers, and its reason table, which differs from qmail's in one place
 * (no mail exchanger is a network error here). */

static const BouncePhrase x4_phrases[] = {
  { "Mailaddress is administrativ", "suspend" },   /* "administrativly disabled", sic */
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
  { "no mailbox here by that name", "userunknown" },
  { "disk quota exceeded", "mailboxfull" },
  { "Message size exceeds fixed maximum message size:", "mesgtoobig" },
  { "Requested action not taken: mailbox unavailable (not enough free space)", "systemfull" },
  { "Sorry, I couldn't find any host", "hostunknown" },
  { "Sorry, I couldn't find a mail exchanger or IP address", "networkerror" },
  { "Sorry, I wasn't able to establish an SMTP connection", "networkerror" },
  { "Although I'm listed as a best-preference MX or A for that host", "networkerror" },
  { "bad interpreter: No such file or directory", "systemerror" },
  { "system error", "systemerror" },
  { "Unable to", "systemerror" },
};

/* Their opening sentences, distinct enough to read a pasted notice. */
static const char * const x4_openers[] = {
  "unable to deliver your message to the following addresses",
  "Su mensaje no pudo ser entregado",
  "This is the machine generated message from mail service",
  "This is the mail delivery agent at",
  "Unable to deliver message to the following address",
  "Unfortunately, your mail was not delivered to the following address:",
  "Your mail message to the following address",
  "Your message to the following addresses",
  "Sorry, we were unable to deliver your message to the following address",
};

/* ... and two that only count in a message qmail's way marked. */
static const char * const x4_weak_openers[] = {
  "We're sorry.",
  "He/Her is not ",
};

static gboolean
marked_by_qmail (BounceLayoutDoc *d)
{
  const char *subject = bounce_doc_header (d, "Subject");
  const char *received = bounce_doc_header (d, "Received");

  if (subject != NULL && (g_str_has_prefix (subject, "failure notice") ||
                          g_str_has_prefix (subject, "Permanent Delivery Failure")))
    return TRUE;
  return received != NULL && strstr (received, "(qmail ") != NULL &&
         (strstr (received, "invoked for bounce") != NULL || strstr (received, "invoked from network") != NULL);
}

static gboolean
parse_x4 (BounceLayoutDoc *d)
{
  int start = -1;

  for (guint i = 0; i < d->lines->len && start < 0; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      for (guint k = 0; k < G_N_ELEMENTS (x4_openers) && start < 0; k++)
        if (bounce_line_contains (l, x4_openers[k]))
          start = i;
    }
  if (start < 0 && marked_by_qmail (d))
    for (guint k = 0; k < G_N_ELEMENTS (x4_weak_openers) && start < 0; k++)
      start = bounce_doc_find_start (d, 0, x4_weak_openers[k]);
  if (start < 0)
    return FALSE;
  return bounce_qmail_read (d, start, x4_phrases, G_N_ELEMENTS (x4_phrases));
}

const BounceLayout bounce_layout_x4 = {
  .name = "x4",
  .title = "unknown MTA (x4, a qmail copy)",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_x4,
};
