/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Gmail's and Google Workspace's (formerly G Suite's) notices since about
 * 2014: a heading between two pairs of stars, a paragraph that names the
 * recipient, and the remote server's reply after "The response was:" or
 * "The response from the remote server was:":
 *
 *   ** Address not found **
 *
 *   Your message wasn't delivered to bob@example.net because the address
 *   couldn't be found, or is unable to receive mail.
 *
 *   The response from the remote server was:
 *   550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown
 *
 * "** Delivery incomplete **" warns of a temporary problem; "** Message
 * not delivered **" and "** Message blocked **" are failures.  A notice
 * about the sender's own settings ("Send mail as") names no recipient:
 * the returned message's To: does.  The SMTP command is never shown.
 * Learnt from Google's help page "Fix bounced or rejected emails"
 * (https://support.google.com/mail/answer/6596) and Sisimai's
 * Lhost::GSuite and Lhost::GoogleWorkspace, which read the same layout
 * with and without a delivery report. */

/* Google's own sentences (the DNS ones decided below). */
static const BouncePhrase google_phrases[] = {
  { "because the address couldn't be found. Check for typos or unnecessary spaces and try again.", "userunknown" },
  { "Null MX", "notaccept" },
  { " had no relevant answers.", "networkerror" },
};

static gboolean
google_heading (const BounceLine *l)
{
  const char *s;
  gsize n;

  bounce_line_trim (l, &s, &n);
  return n > 6 && s[0] == '*' && s[1] == '*' && s[2] == ' ' &&
         s[n - 1] == '*' && s[n - 2] == '*' && s[n - 3] == ' ';
}

static gboolean
google_is_end (const BounceLine *l)
{
  return bounce_line_starts (l, "----- Original message -----") ||
         bounce_line_starts (l, "----- Message header follows -----") ||
         bounce_line_starts (l, "Content-Type: message/") || bounce_line_starts (l, "Content-Type: text/rfc822") ||
         bounce_line_starts (l, "Reporting-MTA:") || bounce_line_starts (l, "Final-Recipient:");
}

static void
google_reason (BounceFact *fact)
{
  const char *t = fact->text;
  gsize n = strlen (t);
  g_autofree char *reply = NULL;
  g_autofree char *status = NULL;

  if (bounce_fact_phrase_reason (fact, google_phrases, G_N_ELEMENTS (google_phrases), t))
    return;
  /* "DNS Error: DNS type 'mx' lookup of example.org responded with code
   * NXDOMAIN Domain name not found": the domain does not exist when a
   * permanent code says so; otherwise the lookup failed for now */
  if (bounce_mem_find (t, n, " responded with code NXDOMAIN") == NULL &&
      bounce_mem_find (t, n, "Domain name not found") == NULL)
    return;
  bounce_extract_first_codes (t, &reply, &status);
  fact->reason = g_strdup ((reply != NULL && reply[0] == '5') || (status != NULL && status[0] == '5')
                           ? "hostunknown" : "networkerror");
}

static gboolean
parse_google_workspace (BounceLayoutDoc *d)
{
  int heading = -1;
  guint i;
  gboolean temporary;
  g_autoptr(GString) diag = g_string_new (NULL);
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  guint first = 0, last = 0;
  int response = 0;          /* 1 after "The response was:", 2 in the reply */

  for (i = 0; i < d->lines->len && heading < 0; i++)
    if (google_heading (bounce_doc_line (d, i)))
      heading = i;
  if (heading < 0)
    return FALSE;
  /* the heading alone is too little: Google's sentences follow it */
  if (bounce_doc_find (d, heading, "The response was:") < 0 &&
      bounce_doc_find (d, heading, "The response from the remote server was:") < 0 &&
      bounce_doc_find (d, heading, "wasn't delivered to") < 0 &&
      bounce_doc_find (d, heading, "problem delivering your message to") < 0 &&
      bounce_doc_find (d, heading, "Your message to ") < 0)
    return FALSE;
  temporary = bounce_line_contains (bounce_doc_line (d, heading), "incomplete") ||
              bounce_doc_find (d, heading, "There was a temporary problem") >= 0;

  for (i = heading + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (google_is_end (l))
        break;
      if (bounce_line_starts (l, "The response"))
        response = 1;
      else if (response == 1 && !bounce_line_is_blank (l))
        response = 2;
      else if (response == 2 && bounce_line_is_blank (l))
        break;   /* the reply's paragraph is the last of the notice */
      if (bounce_line_is_blank (l) || bounce_line_starts (l, "Learn more") || bounce_line_starts (l, "LEARN MORE"))
        continue;
      /* the recipients are named in the first paragraph */
      if (addresses->len == 0 || i == last + 1)
        {
          gsize from = 0, s, e;
          char *address;

          while ((address = bounce_extract_address (l->s, l->len, from, &s, &e)) != NULL)
            {
              from = e;
              if (bounce_doc_is_ignored_address (d, address))
                {
                  g_free (address);
                  continue;
                }
              if (addresses->len == 0)
                first = i;
              last = i;
              g_ptr_array_add (addresses, address);
            }
        }
      bounce_diag_append_line (diag, l);
    }
  if (addresses->len == 0 && d->message != NULL && d->message->original_headers != NULL)
    {
      /* "Send mail as" and the like: the message's own recipient */
      const char *to = bounce_fields_lookup (d->message->original_headers, "To");
      char *address = to != NULL ? bounce_extract_address (to, -1, 0, NULL, NULL) : NULL;

      if (address != NULL)
        g_ptr_array_add (addresses, address);
      first = last = heading;
    }
  for (guint k = 0; k < addresses->len; k++)
    {
      BounceFact *fact = bounce_doc_add_fact (d, g_strdup (addresses->pdata[k]), first, MAX (last, i - 1));

      bounce_fact_set_diag (fact, diag);
      if (temporary)
        fact->action = g_strdup ("delayed");
      fact->command = bounce_extract_smtp_command (diag->str, diag->len);
      fact->command_unknown = fact->command == BOUNCE_SMTP_COMMAND_NONE;
      if (fact->text != NULL)
        google_reason (fact);
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_google_workspace = {
  .name = "google-workspace",
  .title = "Gmail / Google Workspace",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_google_workspace,
};
