/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"
#include "bounce-layout-families.h"

/* MessageLabs (Symantec / Broadcom Email Security.cloud).  Its notice
 * (From: MAILER-DAEMON@messagelabs.com, X-Msg-Ref, Subject: "Mail
 * Delivery Failure") reads "This is the mail delivery agent at ...", "I
 * was unable to deliver your message to the following addresses:", the
 * addresses one per line, "Reason: <reply>"; a delivery report gives the
 * same.  Learnt from Sisimai's Lhost::MessageLabs and its reason table:
 * its own "542 <addr> Rejected" reply and "No such user" for an unknown
 * recipient, its relay refusal asking for SMTP authentication.  It never
 * names an SMTP command. */

static const BouncePhrase messagelabs_phrases[] = {
  { "Please turn on SMTP Authentication in your mail client", "securityerror" },
  { "No such user", "userunknown" },
};

/* "542 bob@example.net Rejected": the reply code that starts it, or the
 * word after the address (or alone) */
static const char *
messagelabs_reason (const char *text)
{
  const char *p;

  if (text == NULL)
    return NULL;
  if (g_str_has_prefix (text, "542") && (text[3] == '\0' || text[3] == ' ' || text[3] == '-'))
    return "userunknown";
  for (p = strstr (text, "Rejected"); p != NULL; p = strstr (p + 1, "Rejected"))
    {
      const char *word = p;

      if (p == text)
        return "userunknown";
      if (p[-1] != ' ')
        continue;
      /* the token before it is the address */
      for (word = p - 1; word > text && word[-1] != ' '; word--)
        ;
      if (memchr (word, '@', p - word) != NULL)
        return "userunknown";
    }
  return bounce_phrase_reason (messagelabs_phrases, G_N_ELEMENTS (messagelabs_phrases), text);
}

static gboolean
parse_messagelabs (BounceLayoutDoc *d)
{
  int list = bounce_doc_find_start (d, 0, "I was unable to deliver your message to the following addresses:");
  const char *from = bounce_doc_header (d, "From");
  gboolean marked = bounce_doc_header (d, "X-Msg-Ref") != NULL && from != NULL &&
                    strstr (from, "messagelabs.com") != NULL;
  guint pending = 0;

  if (list < 0 && !marked)
    return FALSE;
  if (list >= 0 && bounce_doc_find_start (d, 0, "This is the mail delivery agent at") < 0)
    return FALSE;
  for (guint i = list >= 0 ? (guint) list + 1 : d->lines->len; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (bounce_mem_has_prefix (s, n, "The message subject was:"))
        break;
      if (n > 3 && memchr (s, '@', n) != NULL && !bounce_mem_has_unquoted (s, n, " "))
        {
          bounce_doc_add_fact (d, bounce_address_in (s, n), i, i);
          continue;
        }
      if (!bounce_mem_has_prefix (s, n, "Reason:"))
        continue;
      {
        g_autoptr(GString) diag = g_string_new (NULL);
        guint k;

        bounce_diag_append (diag, s + 7, n - 7);
        for (k = i + 1; k < d->lines->len && !bounce_line_is_blank (bounce_doc_line (d, k)); k++)
          bounce_diag_append_line (diag, bounce_doc_line (d, k));
        for (; pending < d->out->len; pending++)
          {
            BounceFact *r = d->out->pdata[pending];

            bounce_fact_set_diag (r, diag);
            r->end = bounce_doc_line (d, k - 1)->offset + bounce_doc_line (d, k - 1)->len;
          }
        i = k - 1;
      }
    }
  bounce_dsn_add_unnamed (d);
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *r = d->out->pdata[i];
      const char *reason = messagelabs_reason (r->text);

      if (reason == NULL)
        reason = messagelabs_reason (bounce_dsn_diagnostic (d, r->address));
      r->command_unknown = TRUE;
      r->reason = g_strdup (reason);
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_messagelabs = {
  .name = "messagelabs",
  .title = "Symantec Email Security.cloud (MessageLabs)",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_messagelabs,
};
