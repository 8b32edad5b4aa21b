/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* Ipswitch IMail Server.  Its notices (Subject "Undeliverable Mail",
 * X-Mailer "<SMTP32 vN>") say in one line what went wrong and for whom,
 * "Unknown user: bob@example.net" or "undeliverable to bob@example.net",
 * sometimes after "Body of message generated response:" and the remote
 * reply, and end at "Original message follows.".  Learnt from Sisimai's
 * Lhost::IMailServer and its reason table (IMail's own sentences). */

static const BouncePhrase imail_phrases[] = {
  { "Unknown host", "hostunknown" },
  { "Unknown user", "userunknown" },
  { "Invalid final delivery userid", "userunknown" },
  { "User mailbox exceeds allowed size", "mailboxfull" },
  { "Requested action not taken: virus detected", "virusdetected" },
  /* IMail's spam filter refusing a message for a blocklisted link in it
   * (lib/Sisimai/Lhost/IMailServer.pm at 7e7f1128b1c2, 'spamdetected') */
  { "Blacklisted URL in message", "spamdetected" },
  { "undeliverable to", "undefined" },
  { "Delivery failed", "expired" },
};

static gboolean
marked_by_imail (BounceLayoutDoc *d)
{
  const char *subject = bounce_doc_header (d, "Subject");
  const char *mailer = bounce_doc_header (d, "X-Mailer");

  return (subject != NULL && g_str_has_prefix (subject, "Undeliverable Mail")) ||
         (mailer != NULL && g_str_has_prefix (mailer, "<SMTP32 v"));
}

/* "<why>: addr" (the address last) or "undeliverable to addr"; known
 * says whether the why must be one of IMail's sentences. */
static char *
imail_line (const char *s,
            gsize       n,
            gboolean    known)
{
  const char *sep = NULL;

  /* (spaces in any number between the words: Sisimai's Lhost::IMailServer
   * reads "undeliverable[ ]+to[ ]+") */
  if (bounce_mem_has_prefix (s, n, "undeliverable "))
    {
      gsize k = 13;

      while (k < n && s[k] == ' ')
        k++;
      if (bounce_mem_has_prefix (s + k, n - k, "to "))
        return bounce_address_in (s + k + 3, n - k - 3);
    }
  for (const char *p = s; p + 1 < s + n; p++)
    if (p[0] == ':' && p[1] == ' ')
      sep = p;
  if (sep == NULL || sep - s < 8 || memchr (sep, '@', s + n - sep) == NULL ||
      bounce_mem_has_unquoted (sep + 2, s + n - sep - 2, " "))
    return NULL;
  if (known)
    {
      gboolean found = FALSE;

      for (gsize i = 0; i < G_N_ELEMENTS (imail_phrases) && !found; i++)
        found = bounce_mem_has_prefix (s, n, imail_phrases[i].phrase);
      if (!found)
        return NULL;
    }
  return bounce_address_in (sep + 2, s + n - sep - 2);
}

static gboolean
parse_imail (BounceLayoutDoc *d)
{
  int end = bounce_doc_find_start (d, 0, "Original message follows.");
  gboolean marked = marked_by_imail (d);
  g_autoptr(GString) response = g_string_new (NULL);
  gboolean in_response = FALSE;

  /* a pasted notice: IMail's closing line and one of its sentences */
  if (!marked && end < 0)
    return FALSE;
  if (end < 0)
    end = d->lines->len;
  for (guint i = 0; i < (guint) end; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;
      char *address;

      bounce_line_trim (l, &s, &n);
      if (n == 0)
        {
          in_response = FALSE;
          continue;
        }
      address = imail_line (s, n, !marked);
      if (address != NULL)
        {
          BounceFact *r = bounce_doc_add_fact (d, address, i, i);
          g_autoptr(GString) diag = g_string_new (NULL);

          bounce_diag_append (diag, s, n);
          bounce_fact_set_diag (r, diag);
          continue;
        }
      if (bounce_mem_find (s, n, "Body of message generated response:") != NULL)
        {
          in_response = TRUE;
          continue;
        }
      if (in_response)
        bounce_diag_append (response, s, n);
    }
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *r = d->out->pdata[i];

      /* the remote reply, then IMail's line for the recipient */
      if (response->len > 0)
        {
          g_autoptr(GString) diag = g_string_new (response->str);

          bounce_diag_append (diag, r->text, strlen (r->text));
          bounce_fact_set_diag (r, diag);
        }
      r->command = bounce_extract_smtp_command (r->text, -1);
      r->command_unknown = r->command == BOUNCE_SMTP_COMMAND_NONE;
      r->reason = g_strdup (bounce_phrase_reason (imail_phrases, G_N_ELEMENTS (imail_phrases), r->text));
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_imailserver = {
  .name = "imailserver",
  .title = "Ipswitch IMail Server",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_imail,
};
