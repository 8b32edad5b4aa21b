/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Mail.Ru (mail.ru, bk.ru, inbox.ru, list.ru) runs Exim: its notices are
 * Exim's, under a Russian greeting ("Это письмо создано автоматически
 * сервером Mail.Ru ...").  The list is read as Exim's (exim.c); Mail.Ru's
 * servers add sentences of their own.  Learnt from Sisimai's
 * Lhost::MailRu. */

extern const BounceLayout bounce_layout_exim;

/* Sentences of Exim and Mail.Ru's servers that name the condition when no
 * remote server's reply is quoted. */
static const BouncePhrase mailru_phrases[] = {
  { "retry timeout exceeded", "expired" },
  { "No action is required on your part", "expired" },
  { "user not found", "userunknown" },
  { "all host address lookups failed permanently", "hostunknown" },
  { "all relevant MX records point to non-existent hosts", "hostunknown" },
  { "Unrouteable address", "hostunknown" },
  { "mailbox is full", "mailboxfull" },
  { "error: quota exceed", "mailboxfull" },
  { "an MX or SRV record indicated no SMTP service", "notaccept" },
  { "no host found for existing SMTP connection", "notaccept" },
  { "delivery to file forbidden", "systemerror" },
  { "delivery to pipe forbidden", "systemerror" },
  { "local delivery failed", "systemerror" },
  { "Too many \"Received\" headers", "contenterror" },
};

static gboolean
is_mailru (BounceLayoutDoc *d)
{
  if (bounce_doc_find (d, 0, "Mail.Ru") >= 0)
    return TRUE;
  return (bounce_doc_header_has (d, "Message-Id", ".mail.ru>") || bounce_doc_header_has (d, "Message-Id", "smailru.net>")) &&
         bounce_doc_header_has (d, "From", "mailer-daemon@") && bounce_doc_header_has (d, "From", "mail.ru");
}

static gboolean
parse_mailru (BounceLayoutDoc *d)
{
  if (!is_mailru (d) || !bounce_layout_exim.parse (d))
    return FALSE;
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *fact = d->out->pdata[i];

      /* Mail.Ru's notice says "This is a permanent error" of every address
       * it lists, one whose retry time ran out too: the pseudo status of
       * such an address is permanent (X.0.947 of class 5), as Sisimai's
       * Lhost::MailRu (v5.1.0) leaves it, unlike Exim's own notices, whose
       * expiry Sisimai codes as a temporary failure. */
      fact->retried = FALSE;
      /* (nor does Lhost::MailRu code a recipient without codes itself, as
       * Lhost::Exim does: Fact.pm reads the words) */
      fact->pseudo_class_set = FALSE;
      if (fact->text == NULL || strstr (fact->text, "SMTP error from remote") != NULL)
        continue;
      bounce_fact_phrase_reason (fact, mailru_phrases, G_N_ELEMENTS (mailru_phrases), fact->text);
    }
  return TRUE;
}

const BounceLayout bounce_layout_mailru = {
  .name = "mailru",
  .title = "Mail.Ru",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_mailru,
};
