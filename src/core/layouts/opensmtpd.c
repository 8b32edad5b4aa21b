/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* OpenSMTPD.  Learnt from OpenSMTPD's bounce messages (smtpd/bounce.c) and
 * its MTA failure strings (smtpd/mta.c), and Sisimai's Lhost::OpenSMTPD
 * (its reason table: a domain with no MX accepts no mail).  Its notices
 * never say which command a remote reply answered. */

/* The sentences OpenSMTPD writes when it decided alone (no remote reply
 * to quote): its queue and MX-relay failure strings. */
static const BouncePhrase opensmtpd_phrases[] = {
  { "Envelope expired", "expired" },
  { "Invalid domain name", "hostunknown" },
  { "Domain does not exist", "hostunknown" },
  { "Destination seem to reject all mails", "notaccept" },
  { "Could not retrieve credentials", "securityerror" },
  { "Network error on destination MXs", "networkerror" },
  { "Address family mismatch on destination MXs", "networkerror" },
  { "All routes to destination blocked", "networkerror" },
  { "bad DNS lookup error code", "networkerror" },
  { "Could not retrieve source address", "networkerror" },
  { "Loop detected", "networkerror" },
  { "No MX found for domain", "notaccept" },
  { "No MX found for destination", "notaccept" },
  { "No valid route to remote MX", "networkerror" },
  { "No valid route to destination", "networkerror" },
  { "Temporary failure in MX lookup", "networkerror" },
};

/* "    This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail."
 * then, after "... list of recipients:", one unindented "addr: text"
 * line per recipient. */
static gboolean
parse_opensmtpd (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "This is the MAILER-DAEMON, please DO NOT REPLY");
  int list;
  int delay;

  if (start < 0)
    return FALSE;
  list = bounce_doc_find (d, start, "list of recipients:");
  if (list < 0)
    return FALSE;
  delay = bounce_doc_find (d, start, "A message is delayed");
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
      /* the list is not indented; the notice's own prose is */
      if (l->s[0] == ' ' || l->s[0] == '\t')
        break;
      colon = memchr (s, ':', n);
      if (colon == NULL || memchr (s, '@', colon - s) == NULL)
        break;
      address = bounce_address_in (s, colon - s);
      if (address == NULL)
        break;
      r = bounce_doc_add_fact (d, address, i, i);
      diag = g_string_new (NULL);
      bounce_diag_append (diag, colon + 1, n - (colon + 1 - s));
      bounce_fact_set_diag (r, diag);
      /* OpenSMTPD never says which command a remote reply answered. */
      r->command_unknown = TRUE;
      if (delay >= 0 && delay < list)
        r->action = g_strdup ("delayed");
      /* A remote server's reply starts with its code; anything else is
       * one of OpenSMTPD's own sentences. */
      if (r->text != NULL && !g_ascii_isdigit (r->text[0]))
        r->reason = g_strdup (bounce_phrase_reason (opensmtpd_phrases, G_N_ELEMENTS (opensmtpd_phrases),
                                             r->text));
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_opensmtpd = {
  .name = "opensmtpd",
  .title = "OpenSMTPD",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_opensmtpd,
};
