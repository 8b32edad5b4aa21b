/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* au by KDDI (EZweb, au one net): the Japanese carrier's own notices.
 * Learnt from the notices of au by KDDI's mail servers (EZweb, au one
 * net), as Sisimai's Lhost::EZweb and Lhost::KDDI read them: EZweb lists
 * "<addr>" lines (with the remote reply after a colon, or ">>> RCPT TO"
 * and "<<< 550 ..." lines under "Recipient: <addr>"); au one net writes
 * "Your mail sent on: <date>", "Could not be delivered to: <addr>" and a
 * sentence that names the condition. */

static const char * const au_openers[] = {
  "Each of the following recipients was rejected by a remote",
  "The following recipients did not receive this message:",
  "Could not be delivered to:",
  "The user(s) ",
  "Your message was not delivered within",
  "Your mail sent on:",
};

/* The carrier's fixed sentences, anywhere in the notice: EZweb's, then
 * au one net's (KDDI). */
static const BouncePhrase au_phrases[] = {
  { "The user(s) account is disabled", "suspend" },
  { "The user(s) account is temporarily limited", "suspend" },
  { "The user(s) account is temporarily over quota", "mailboxfull" },
  { "Your message was not delivered within", "expired" },
  { "The following recipients did not receive this message:", "notaccept" },
  { "As their mailbox is full", "mailboxfull" },
  { "Due to the following SMTP relay error", "norelaying" },
  { "As the remote domain doesnt exist", "hostunknown" },
};

/* "<addr>", "<addr>: text", "Recipient: <addr>", "Could not be delivered
 * to: <addr>"; returns the address and the text after it. */
static char *
au_address_line (const BounceLine  *l,
                 const char **rest,
                 gsize       *rest_len)
{
  const char *s, *lt, *gt;
  gsize n;

  bounce_line_trim (l, &s, &n);
  if (bounce_mem_has_prefix (s, n, "Recipient:"))
    s += 10, n -= 10;
  else if (bounce_mem_has_prefix (s, n, "Could not be delivered to:"))
    s += 26, n -= 26;
  while (n > 0 && *s == ' ')
    s++, n--;
  if (n < 5 || s[0] != '<')
    return NULL;
  lt = s;
  gt = memchr (s, '>', n);
  if (gt == NULL || memchr (lt, '@', gt - lt) == NULL || bounce_mem_has_unquoted (lt, gt - lt, " "))
    return NULL;
  *rest = gt + 1;
  *rest_len = n - (gt + 1 - s);
  if (*rest_len > 0 && **rest == ':')
    (*rest)++, (*rest_len)--;
  return bounce_address_in (lt + 1, gt - lt - 1);
}

static gboolean
au_is_opener (const BounceLine *l)
{
  for (guint i = 0; i < G_N_ELEMENTS (au_openers); i++)
    if (bounce_line_starts (l, au_openers[i]))
      return TRUE;
  return FALSE;
}

static gboolean
parse_au (BounceLayoutDoc *d)
{
  int opener = -1;
  gboolean rejected_list;
  BounceFact *current = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);
  g_autoptr(GString) all = g_string_new (NULL);
  const char *reason;

  for (guint i = 0; i < G_N_ELEMENTS (au_openers) && opener < 0; i++)
    opener = bounce_doc_find_start (d, 0, au_openers[i]);
  if (opener < 0)
    return FALSE;
  /* The carrier's notices come from its own servers. */
  if (bounce_doc_find (d, 0, "ezweb.ne.jp") < 0 && bounce_doc_find (d, 0, "au.com") < 0 &&
      bounce_doc_find (d, 0, "au one net") < 0 && bounce_doc_find (d, 0, "dion.ne.jp") < 0 &&
      !bounce_doc_received_has (d, "ezweb.ne.jp") && !bounce_doc_received_has (d, ".au.com") &&
      !bounce_doc_header_has (d, "From", "@ezweb.ne.jp") && !bounce_doc_header_has (d, "From", "@au.com") &&
      !bounce_doc_header_has (d, "From", ".dion.ne.jp") && !bounce_doc_header_has (d, "Message-Id", ".ezweb.ne.jp>") &&
      !bounce_doc_header_has (d, "Message-Id", ".au.com>") && !bounce_doc_header_has (d, "Reply-To", "@app.auone-net.jp") &&
      !bounce_doc_header_has (d, "From", "@app.auone-net.jp"))
    return FALSE;
  rejected_list = bounce_doc_find_start (d, 0, au_openers[0]) >= 0;

  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *rest, *s;
      gsize rest_len, n;
      char *address;

      bounce_diag_append_line (all, l);
      if (bounce_line_starts (l, "--") && current != NULL)
        break;
      address = au_address_line (l, &rest, &rest_len);
      if (address != NULL)
        {
          if (current != NULL)
            bounce_fact_set_diag (current, diag);
          g_string_truncate (diag, 0);
          current = bounce_doc_add_fact (d, address, i, i);
          bounce_diag_append (diag, rest, rest_len);
          continue;
        }
      if (current == NULL || au_is_opener (l) || bounce_line_is_blank (l))
        continue;
      bounce_line_trim (l, &s, &n);
      if (bounce_mem_has_prefix (s, n, ">>>"))
        {
          /* the command the server answered */
          current->command = bounce_extract_smtp_command (s, n);
          continue;
        }
      if (bounce_mem_has_prefix (s, n, "<<<"))
        s += 3, n -= 3;
      bounce_diag_append (diag, s, n);
      current->end = l->offset + l->len;
    }
  if (current != NULL)
    bounce_fact_set_diag (current, diag);
  if (d->out->len == 0)
    return FALSE;

  reason = bounce_phrase_reason (au_phrases, G_N_ELEMENTS (au_phrases), all->str);
  /* the carrier's spam filter ("spamghetti") marks what it refused */
  if (bounce_doc_header_has (d, "X-SPASIGN", "NG"))
    reason = "filtered";
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *r = d->out->pdata[i];

      if (reason != NULL)
        r->reason = g_strdup (reason);
      /* Refused by the carrier with no reply quoted: the recipient's own
       * reception filter (au lets users refuse mail by domain or address;
       * its spam filter marks its refusals with X-SPASIGN, above, which a
       * pasted notice no longer has). */
      else if (rejected_list && r->text == NULL && r->command == BOUNCE_SMTP_COMMAND_NONE)
        r->reason = g_strdup ("filtered");
    }
  return TRUE;
}

const BounceLayout bounce_layout_au = {
  .name = "au",
  .title = "au by KDDI (EZweb)",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_au,
};
