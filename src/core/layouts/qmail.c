/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"
#include "bounce-layout-families.h"

/* qmail.  Learnt from qmail's bounce layout, the qmail-send bounce message
 * format (QSBMF, https://cr.yp.to/proto/qsbmf.txt): a paragraph, then per
 * recipient "<addr>:" alone on a line with the explanation below it, up to
 * "--- Below this line is a copy of the message."; the fixed sentences of
 * qmail-remote (which say which command a remote refusal answered),
 * qmail-local and the qmail-ldap patch; and Sisimai's Lhost::qmail
 * (https://github.com/sisimai/p5-sisimai), whose reason table this is.
 * Servers that copied the layout (x2.c, x4.c) read it with the same
 * reader, each with its own table. */

/* qmail's own words: fixed sentences that name the condition, not a
 * remote server's reply. */
static const BouncePhrase qmail_phrases[] = {
  /* qmail-ldap */
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
  /* qmail-local, qmail-remote, error_str.c */
  { "no mailbox here by that name", "userunknown" },
  { "disk quota exceeded", "mailboxfull" },
  { "Message size exceeds fixed maximum message size:", "mesgtoobig" },
  { "Requested action not taken: mailbox unavailable (not enough free space)", "systemfull" },
  { "Sorry, I couldn't find any host", "hostunknown" },
  { "Sorry, I couldn't find a mail exchanger or IP address", "notaccept" },
  { "Sorry, I wasn't able to establish an SMTP connection", "networkerror" },
  { "Although I'm listed as a best-preference MX or A for that host", "networkerror" },
  { "bad interpreter: No such file or directory", "systemerror" },
  { "system error", "systemerror" },
  { "Unable to", "systemerror" },
};

/* The sentences that open qmail-send's notice. */
static const char * const qmail_openers[] = {
  "Hi. This is the qmail",
  "I'm afraid I wasn't able to deliver your message to the following addresses",
};

/* The line after the last recipient's block. */
static gboolean
qmail_is_end (const BounceLine *l)
{
  return bounce_line_starts (l, "--- ") || bounce_line_starts (l, "---Below this line") ||
         bounce_line_starts (l, "Original message follows");
}

/* A line of the remote server's reply, quoted by qmail-remote: "Remote
 * host said: 550 ..." and the further lines of a multi-line reply. */
static gboolean
qmail_is_reply_line (const BounceLine *l)
{
  const char *s;
  gsize n;

  bounce_line_trim (l, &s, &n);
  return bounce_mem_has_prefix (s, n, "Remote host said:") || bounce_line_is_reply (l);
}

/* qmail-remote's sentences about an SMTP conversation. */
static const char * const qmail_remote_sentences[] = {
  "Remote host said:", "Connected to ", "does not like recipient", "failed on DATA command",
  "failed after I sent the message", "most progress was", "Giving up on ",
};

typedef struct {
  const BouncePhrase *phrases;
  gsize n_phrases;
} QmailTable;

/* Reasons a reader of the quoted reply must not settle on its table
 * alone: Sisimai's Reason->retry list (lib/Sisimai/Reason.pm), which it
 * judges again from the whole text. */
static gboolean
qmail_reply_reason_is_firm (const char *reason)
{
  static const char * const rejudged[] = {
    "systemerror", "networkerror", "hostunknown", "userunknown", "suspend", "expired",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rejudged); i++)
    if (g_strcmp0 (reason, rejudged[i]) == 0)
      return FALSE;
  return reason != NULL;
}

static void
qmail_finish (BounceFact       *r,
              GString          *diag,
              GString          *own,
              const char       *reply,
              gboolean          replied,
              const QmailTable *table)
{
  const char *reason = NULL;
  gboolean remote = FALSE;

  bounce_fact_set_diag (r, diag);
  if (r->text == NULL)
    return;
  /* "192.0.2.7 does not like recipient.", "Sorry, no SMTP connection got
   * far enough; most progress was RCPT TO", "... failed after I sent the
   * message" */
  r->command = bounce_extract_smtp_command (r->text, -1);
  r->layout_status = bounce_hash_status_in (r->text);
  for (gsize i = 0; i < G_N_ELEMENTS (qmail_remote_sentences) && !remote; i++)
    remote = strstr (r->text, qmail_remote_sentences[i]) != NULL;
  /* A local delivery (qmail-local, a program it ran) has no SMTP command
   * at all. */
  r->command_unknown = !remote && r->command == BOUNCE_SMTP_COMMAND_NONE;
  /* qmail-remote's sentence for a refusal before the recipient names
   * it: of the sending server's name, of the sender. */
  /* Sisimai's Lhost::qmail reads its table against the first line of
   * the quoted reply first ("Remote host said: 452 Requested action not
   * taken: mailbox unavailable (not enough free space)" is a full
   * system, not a missing mailbox); a reason it judges again later is
   * left to the catalogue. */
  if (reply != NULL &&
      qmail_reply_reason_is_firm (bounce_phrase_reason (table->phrases, table->n_phrases, reply)))
    reason = bounce_phrase_reason (table->phrases, table->n_phrases, reply);
  else if (strstr (own->str, "but my name was rejected") != NULL)
    reason = "blocked";
  else if (strstr (own->str, "but sender was rejected") != NULL)
    reason = "rejected";
  else
    {
      /* The reason is in qmail's own words, not in the reply it quotes. */
      reason = bounce_phrase_reason (table->phrases, table->n_phrases, own->str);
      /* "does not like recipient." with no reply to say why: the
       * recipient; with one, or when qmail then gave up after retrying,
       * the reply (or the retrying) says more. */
      if (reason == NULL && !replied && strstr (own->str, "does not like recipient.") != NULL &&
          strstr (own->str, "in the queue too long") == NULL)
        reason = "userunknown";
      /* qmail-send's last words on a message it kept retrying
       * (qmail-send.c: "I'm not going to try again; this message has been
       * in the queue too long."): it gave up, whatever stopped it. */
      if (strstr (own->str, "this message has been in the queue too long") != NULL)
        r->retried = TRUE;
      if (reason == NULL && r->retried && strstr (own->str, "does not like recipient.") == NULL)
        reason = "expired";
    }
  r->reason = g_strdup (reason);
}

static gboolean
qmail_read (BounceLayoutDoc  *d,
            guint             start,
            const QmailTable *table)
{
  BounceFact *current = NULL;
  gboolean replied = FALSE;
  g_autoptr(GString) diag = g_string_new (NULL);
  g_autoptr(GString) own = g_string_new (NULL);
  g_autofree char *reply = NULL;   /* the first "Remote host said:" line */

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
            qmail_finish (current, diag, own, reply, replied, table);
          g_string_truncate (diag, 0);
          g_string_truncate (own, 0);
          g_clear_pointer (&reply, g_free);
          replied = FALSE;
          current = bounce_doc_add_fact (d, address, i, i);
          continue;
        }
      if (current == NULL)
        continue;
      bounce_diag_append_line (diag, l);
      if (qmail_is_reply_line (l))
        {
          if (reply == NULL && bounce_line_contains (l, "Remote host said:"))
            reply = g_strndup (l->s, l->len);
          replied = TRUE;
        }
      else
        bounce_diag_append_line (own, l);
      if (!bounce_line_is_blank (l))
        current->end = l->offset + l->len;
    }
  if (current != NULL)
    qmail_finish (current, diag, own, reply, replied, table);
  return d->out->len > 0;
}

gboolean
bounce_qmail_read (BounceLayoutDoc    *d,
                   guint               start,
                   const BouncePhrase *phrases,
                   gsize               n_phrases)
{
  QmailTable table = { phrases, n_phrases };

  if (phrases == NULL)
    {
      table.phrases = qmail_phrases;
      table.n_phrases = G_N_ELEMENTS (qmail_phrases);
    }
  return qmail_read (d, start, &table);
}

static gboolean
parse_qmail (BounceLayoutDoc *d)
{
  int start = -1;

  for (guint i = 0; i < G_N_ELEMENTS (qmail_openers) && start < 0; i++)
    start = bounce_doc_find_start (d, 0, qmail_openers[i]);
  if (start < 0)
    return FALSE;
  return bounce_qmail_read (d, start, qmail_phrases, G_N_ELEMENTS (qmail_phrases));
}

const BounceLayout bounce_layout_qmail = {
  .name = "qmail",
  .title = "qmail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_qmail,
};
