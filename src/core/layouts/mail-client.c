/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* A mail program's send error, pasted: the outgoing server refused the
 * message while the program was handing it over, so no bounce was ever
 * written; the program put the server's reply inside sentences of its own.
 * Thunderbird's are its Fluent strings smtp-error-sending-recipient-command,
 * smtp-error-sending-from-command, smtp-error-sending-data-command,
 * smtp-error-sending-message, smtp-server-error, smtp-too-many-recipients
 * and smtp-permanent-size-exceeded (the messenger compose strings of
 * comm-central's mail/locales/en-US), for example
 *
 *   An error occurred while sending mail. The mail server responded:
 *   5.1.1 <bob@example.net>: Recipient address rejected: User unknown.
 *   Please check the message recipient "bob@example.net" and try again.
 *
 * and Netscape's and older Mozilla's are MK_ERROR_SENDING_FROM_COMMAND,
 * MK_ERROR_SENDING_RCPT_COMMAND, MK_ERROR_SENDING_DATA_COMMAND,
 * MK_ERROR_SENDING_MESSAGE and MK_SMTP_SERVER_ERROR (allxpstr.h).  Which
 * string it is says which command the reply answered: the recipient's
 * (RCPT TO), the sender's (MAIL FROM: the sender was refused, no
 * recipient), the message's (DATA).  The recipient is the one the sentence
 * after the reply names.  The server's reply is what lies between
 * "responded:" and that sentence, without the full stop the program adds
 * after it; the program drops the reply's three-digit code on some lines
 * and keeps the enhanced code, and a multi-line reply (RFC 5321 4.2.1)
 * repeats its code on each line, which is dropped when the lines are
 * joined.
 *
 * Outlook's send and receive errors put the reply in its task's message
 * the same way: "Task 'mail.example.org - Sending' reported error
 * (0x800CCC78) : 'Unable to send the message. Please verify the e-mail
 * address in your account properties.  The server responded: 553 sorry,
 * that domain isn't in my list of allowed rcpthosts.'" (the task messages
 * as users quote them, for example
 * https://www.office-forums.com/threads/what-does-precondition-failed-mean-when-you-try-and-send-an-ema.1346239/
 * and https://www.cloudprojectsoftware.com/error-codes/outlook-0x800ccc78);
 * the reply ends at the closing quote, and the message does not say which
 * command it answered.
 * A recipient whose command is not known is the address the reply names,
 * unless the reply refuses it as the sender.
 *
 * Thunderbird's German and French dialogs are its translations of the
 * same strings (thunderbird/thunderbird-l10n, de/ and
 * fr/mail/messenger/messageSend.ftl): "Fehler beim Senden der Nachricht
 * ... Der Mail-Server antwortete: ... Bitte überprüfen Sie die
 * E-Mail-Adresse des Empfängers", "Une erreur est survenue lors de l'envoi
 * de l'e-mail. Le serveur de courrier a répondu : ... Veuillez vérifier
 * l'adresse du destinataire"; French puts a space before the colon and
 * may quote the reply in guillemets. */

/* The program's own sentences before the reply. */
static const char * const client_intros[] = {
  "error occurred while sending mail",
  "An error occurred sending mail",
  "The message was not sent due to exceeding the allowed number of recipients",
  "exceeds the global size limit of the server",
  /* Outlook's */
  "reported error (0x",
  "Sending reported error",
  /* Thunderbird's German and French */
  "Fehler beim Senden der Nachricht",
  "Die Nachricht wurde nicht gesendet",
  "übersteigt das globale Größenlimit des Servers",
  "est survenue lors de l",
  "excède la taille globale limite du serveur",
  NULL
};

/* The words just before the reply. */
static const char * const client_responded[] = {
  "responded:", "responded", "antwortete:", "répondu", NULL
};

/* ... and after it, with the command each says the reply answered. */
static const struct {
  const char *words;
  BounceSmtpCommand command;
} client_tails[] = {
  { "Please check the message recipient", BOUNCE_SMTP_COMMAND_RCPT },
  { "Please verify that your email address is correct", BOUNCE_SMTP_COMMAND_MAIL },
  { "Please check the message and try again", BOUNCE_SMTP_COMMAND_DATA },
  { "Contact your mail administrator for assistance", BOUNCE_SMTP_COMMAND_NONE },
  { "Bitte überprüfen Sie die E-Mail-Adresse des Empfängers", BOUNCE_SMTP_COMMAND_RCPT },
  { "Bitte überprüfen Sie, ob Ihre E-Mail-Adresse", BOUNCE_SMTP_COMMAND_MAIL },
  { "Bitte überprüfen Sie die Nachricht", BOUNCE_SMTP_COMMAND_DATA },
  { "Veuillez vérifier l’adresse du destinataire", BOUNCE_SMTP_COMMAND_RCPT },
  { "Veuillez vérifier l'adresse du destinataire", BOUNCE_SMTP_COMMAND_RCPT },
  { "Veuillez vérifier que votre adresse", BOUNCE_SMTP_COMMAND_MAIL },
  { "Veuillez vérifier le message", BOUNCE_SMTP_COMMAND_DATA },
};

/* The length of the blanks, colon and opening guillemet between the words
 * before the reply and the reply: spaces, tabs, no-break spaces (U+00A0,
 * U+202F, French typography), ':' and '«'. */
static gsize
before_reply (const char *s,
              gsize       n)
{
  gsize i = 0;

  while (i < n)
    {
      if (s[i] == ' ' || s[i] == '\t' || s[i] == ':')
        i++;
      else if (i + 1 < n && (guchar) s[i] == 0xc2 && ((guchar) s[i + 1] == 0xa0 || (guchar) s[i + 1] == 0xab))
        i += 2;
      else if (i + 2 < n && (guchar) s[i] == 0xe2 && (guchar) s[i + 1] == 0x80 && (guchar) s[i + 2] == 0xaf)
        i += 3;
      else
        break;
    }
  return i;
}

/* How many lines the program's message spans at most. */
#define CLIENT_MESSAGE_LINES 24

/* The length of the codes a line of a reply starts with ("550-5.1.1 ",
 * "5.1.1 ", "550 "), or 0. */
static gsize
reply_code_length (const char *s,
                   gsize       n)
{
  gsize i = 0, codes = 0;

  while (i < n)
    {
      gsize code;

      /* a reply code, or an enhanced status code (bounce_enhanced_code_length()) */
      if (i + 3 <= n && g_ascii_isdigit (s[i]) && g_ascii_isdigit (s[i + 1]) && g_ascii_isdigit (s[i + 2]))
        code = 3;
      else
        code = bounce_enhanced_code_length (s + i);
      if (code == 0 || i + code >= n || (s[i + code] != ' ' && s[i + code] != '-'))
        break;
      codes++;
      i += code + 1;
    }
  return codes > 0 ? i : 0;
}

static int
find_tail (const char *s,
           gsize       n,
           gsize      *at)
{
  for (guint k = 0; k < G_N_ELEMENTS (client_tails); k++)
    {
      const char *t = bounce_mem_find (s, n, client_tails[k].words);

      if (t != NULL)
        {
          *at = t - s;
          return k;
        }
    }
  return -1;
}

static gboolean
parse_mail_client (BounceLayoutDoc *d)
{
  g_autoptr(GString) said = g_string_new (NULL);
  g_autofree char *address = NULL;
  BounceSmtpCommand command = BOUNCE_SMTP_COMMAND_NONE;
  gboolean command_known = FALSE;
  int intro = -1;
  guint first = 0, last = 0, i;
  int tail = -1;
  BounceFact *fact;

  /* (a program's dialog is no delivery report: a report's recipients are
   * its fields') */
  if (bounce_doc_has_dsn (d))
    return FALSE;
  for (guint k = 0; client_intros[k] != NULL && intro < 0; k++)
    intro = bounce_doc_find (d, 0, client_intros[k]);
  if (intro < 0)
    return FALSE;

  /* "responded:" on the sentence's line or soon after it */
  for (i = intro; i < d->lines->len && i < (guint) intro + 3; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *r = NULL;

      for (guint k = 0; client_responded[k] != NULL && r == NULL; k++)
        if ((r = bounce_mem_find (l->s, l->len, client_responded[k])) != NULL)
          r += strlen (client_responded[k]);
      if (r == NULL)
        continue;
      first = i;
      r += before_reply (r, l->s + l->len - r);
      for (guint j = i; j < d->lines->len && j < i + CLIENT_MESSAGE_LINES; j++)
        {
          const BounceLine *m = bounce_doc_line (d, j);
          const char *s = j == i ? r : m->s;
          gsize n = j == i ? (gsize) (m->s + m->len - r) : m->len;
          gsize at = 0, code;

          if (bounce_line_is_blank (m) && said->len > 0)
            break;
          last = j;
          tail = find_tail (s, n, &at);
          if (tail >= 0)
            n = at;
          while (n > 0 && (*s == ' ' || *s == '\t'))
            s++, n--;
          /* a continuation line's repeated code */
          if (said->len > 0 && reply_code_length (said->str, said->len) > 0 &&
              (code = reply_code_length (s, n)) > 0)
            s += code, n -= code;
          bounce_diag_append (said, s, n);
          if (tail >= 0)
            break;
        }
      break;
    }
  if (said->len == 0)
    return FALSE;
  /* the quote that closes Outlook's message, the closing guillemet, and
   * the full stop the programs put after the reply */
  if (said->str[said->len - 1] == '\'' && bounce_mem_find (bounce_doc_line (d, intro)->s,
                                                          bounce_doc_line (d, intro)->len, ": '") != NULL)
    g_string_truncate (said, said->len - 1);
  if (g_str_has_suffix (said->str, "»"))
    g_string_truncate (said, said->len - strlen ("»"));
  while (said->len > 0 && (said->str[said->len - 1] == ' ' ||
                           (said->len >= 2 && (guchar) said->str[said->len - 2] == 0xc2 &&
                            (guchar) said->str[said->len - 1] == 0xa0)))
    g_string_truncate (said, said->len - (said->str[said->len - 1] == ' ' ? 1 : 2));
  if (said->len > 0 && said->str[said->len - 1] == '.')
    g_string_truncate (said, said->len - 1);
  if (said->len == 0)
    return FALSE;

  if (tail >= 0)
    {
      command = client_tails[tail].command;
      command_known = command != BOUNCE_SMTP_COMMAND_NONE;
    }
  if (command == BOUNCE_SMTP_COMMAND_RCPT)
    {
      /* the address the program names, perhaps on the next line */
      const BounceLine *l = bounce_doc_line (d, last);
      const BounceLine *next = last + 1 < d->lines->len ? bounce_doc_line (d, last + 1) : l;
      const char *t = bounce_mem_find (l->s, l->len, client_tails[tail].words);

      address = bounce_address_in (t, next->s + next->len - t);
    }
  if (address == NULL && command != BOUNCE_SMTP_COMMAND_MAIL)
    {
      gsize end = 0;

      address = bounce_extract_address (said->str, said->len, 0, NULL, &end);
      if (address != NULL && bounce_extract_refuses_sender (said->str + end))
        g_clear_pointer (&address, g_free);
    }

  fact = bounce_doc_add_fact (d, g_steal_pointer (&address), first, last);
  fact->nameless = fact->address == NULL;
  fact->said = g_strdup (said->str);
  bounce_fact_set_diag (fact, said);
  fact->command = command;
  fact->command_unknown = !command_known;
  /* Thunderbird shows the error in the window the message was written in
   * and sends nothing; Outlook keeps the message in its Outbox: either way
   * it was not sent, and no server holds it to try again. */
  fact->not_sent = TRUE;
  return TRUE;
}

const BounceLayout bounce_layout_mail_client = {
  .name = "mail-client",
  .title = "Mail program's send error",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_mail_client,
};
