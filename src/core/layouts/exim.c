/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"
#include "bounce-layout-families.h"

/* Exim (and the appliances built on it).  Learnt from Exim's bounce and
 * delay-warning messages (the Exim specification, chapter "Customizing
 * bounce and warning messages",
 * https://www.exim.org/exim-html-current/doc/html/spec_html/ch-customizing_bounce_and_warning_messages.html)
 * and Sisimai's Lhost::Exim. */

/* Exim's own sentences for what it decided itself, not a remote reply:
 * the messages its routers and transports set on an address (deliver.c,
 * route.c, parser.c, routers/dnslookup.c, transports/appendfile.c, pipe.c
 * and smtp.c). */
static const BouncePhrase exim_phrases[] = {
  /* first: "mailbox is full: retry timeout exceeded" is about the mailbox */
  { "mailbox is full", "mailboxfull" },
  { "error: quota exceed", "mailboxfull" },
  { "user not found", "userunknown" },
  { "Unrouteable address", "hostunknown" },
  { "all relevant MX records point to non-existent hosts", "hostunknown" },
  { "all host address lookups failed permanently", "hostunknown" },
  { "an MX or SRV record indicated no SMTP service", "notaccept" },
  { "no host found for existing SMTP connection", "notaccept" },
  /* the address itself could not be parsed */
  { "angle-brackets nested too deep", "syntaxerror" },
  { "expected word or \"<\"", "syntaxerror" },
  { "domain missing in source-routed address", "syntaxerror" },
  { "malformed address:", "syntaxerror" },
  { "delivery to file forbidden", "systemerror" },
  { "delivery to pipe forbidden", "systemerror" },
  { "local delivery failed", "systemerror" },
  { "LMTP error after", "systemerror" },
  { "Too many \"Received\" headers", "contenterror" },
};

/* ... and the ones that say it retried, or held the message, until it
 * gave up. */
static const BouncePhrase exim_retry_phrases[] = {
  { "retry timeout exceeded", "expired" },
  { "retry time not reached for any host after a long failure period", "expired" },
  { "all hosts have been failing for a long time", "expired" },
  { "has been frozen", "expired" },
  { "was frozen on arrival", "expired" },
};

/* The sentences that open Exim's notices (deliver.c and receive.c). */
static const char * const exim_openers[] = {
  "This message was created automatically by mail delivery software",
  "A message that you sent was rejected by the local scanning code",
  "A message that you sent contained one or more recipient addresses that were incorrectly",
  "A message that you sent could not be delivered to all of its recipients",
};

/* The line before the list of addresses. */
static const char * const exim_list_heads[] = {
  "failed:",
  "incorrectly constructed:",
  "were incorrectly constructed",
};

static gboolean
exim_is_end (const BounceLine *l)
{
  return bounce_line_starts (l, "------ This is a copy of the message") ||
         bounce_line_starts (l, "------ The body of the message") ||
         bounce_line_starts (l, "Included is a copy of the message") ||
         bounce_line_starts (l, "--- The header of the original message") ||
         bounce_line_starts (l, "Reporting-MTA:") || bounce_line_starts (l, "Action:");
}

/* "  addr", "  addr:", "  <addr>: 550 text" or "  addr: text", indented,
 * as Exim lists failed addresses; returns the address and where the text
 * after it starts. */
static char *
exim_address_line (const BounceLine  *l,
                   const char **rest,
                   gsize       *rest_len)
{
  const char *s = l->s;
  gsize n = l->len;
  gsize i = 0, end;
  gboolean colon;
  g_autofree char *address = NULL;

  while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' '))
    n--;
  if (n < 3 || (s[0] != ' ' && s[0] != '\t'))
    return NULL;
  while (i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  if (i > 4 || i >= n)
    return NULL;
  end = i;
  /* (a quoted local part may hold blanks: RFC 5321 4.1.2) */
  for (gboolean quoted = FALSE; end < n && (quoted || (s[end] != ' ' && s[end] != '\t')); end++)
    if (s[end] == '"')
      quoted = !quoted;
  /* the token is the address, with optional <> and a trailing colon */
  {
    const char *t = s + i;
    gsize tn = end - i;

    colon = tn > 0 && t[tn - 1] == ':';
    if (colon)
      tn--;
    if (tn > 2 && t[0] == '<' && t[tn - 1] == '>')
      t++, tn -= 2;
    /* (quotes only around a local part: "john smith"@example.org) */
    if (tn < 3 || memchr (t, '@', tn) == NULL || bounce_mem_has_unquoted (t, tn, "<>") ||
        (memchr (t, '"', tn) != NULL && t[0] != '"'))
      return NULL;
    address = bounce_address_in (t, tn);
  }
  if (address == NULL)
    return NULL;
  /* after it: nothing, or ": text" */
  while (end < n && (s[end] == ' ' || s[end] == '\t'))
    end++;
  /* "  text <addr>: why": the address as written, then as Exim read it */
  if (end < n && !colon && s[end] == '<')
    {
      const char *gt = memchr (s + end, '>', n - end);

      if (gt == NULL || gt + 1 >= s + n || gt[1] != ':' || memchr (s + end, '@', gt - (s + end)) == NULL)
        return NULL;
      g_free (address);
      address = bounce_address_in (s + end + 1, gt - (s + end + 1));
      if (address == NULL)
        return NULL;
      end = gt + 2 - s;
      colon = TRUE;
    }
  if (end < n && !colon && s[end] != ':' && s[end] != '(')
    return NULL;
  if (end < n && s[end] == ':')
    end++;
  *rest = s + end;
  *rest_len = n - end;
  return g_steal_pointer (&address);
}

/* Exim's X-Failed-Recipients header lists the failed addresses in the
 * order of the notice: read once, as the list is walked. */
typedef struct {
  const char *list;   /* NULL once read to the end */
  gsize length;
  gsize from;
  guint index;        /* of the next address */
} FailedList;

/* Its n-th address (n never less than in the call before), or NULL. */
static char *
failed_list_nth (FailedList *f,
                 guint       n)
{
  while (f->list != NULL && f->index <= n)
    {
      gsize start, end;
      char *address = bounce_extract_address (f->list, f->length, f->from, &start, &end);

      if (address == NULL)
        {
          f->list = NULL;
          break;
        }
      f->from = end;
      if (f->index++ == n)
        return address;
      g_free (address);
    }
  return NULL;
}

/* "  bob": an address Exim lists by its local part alone (a recipient
 * written without a domain, which Exim qualified), when the n-th address of
 * X-Failed-Recipients has that local part; Exim adds the header to every
 * bounce with the failed addresses in full (the Exim specification,
 * "Customizing bounce and warning messages"; Mailman's Bouncers/Exim.py
 * reads it alone). */
static char *
exim_local_part_line (const BounceLine *l,
                      FailedList       *failed,
                      guint             n)
{
  const char *s;
  gsize len;
  FailedList peek = *failed;
  g_autofree char *address = NULL;
  const char *at;

  if (l->len == 0 || (l->s[0] != ' ' && l->s[0] != '\t'))
    return NULL;
  bounce_line_trim (l, &s, &len);
  if (len > 0 && s[len - 1] == ':')
    len--;
  /* the line is that local part exactly, or it is not this address */
  address = failed_list_nth (&peek, n);
  at = address != NULL ? strchr (address, '@') : NULL;
  if (at == NULL || len == 0 || (gsize) (at - address) != len || g_ascii_strncasecmp (address, s, len) != 0)
    return NULL;
  *failed = peek;
  return g_steal_pointer (&address);
}

/* What Exim writes in the list in place of an address, indented:
 * "  pipe to |/usr/bin/procmail" or "  save to /var/mail/bob", a delivery
 * to a command or a file, the address that led there following as
 * "generated by bob@example.org"; or "  an undisclosed address", its
 * stand-in for an address a redirect router generated while its
 * hide_child_in_errors option is set (Exim specification, "The redirect
 * router"; Sisimai's Lhost::Exim reads the line as an alias), the address
 * the sender wrote following as "(generated from bob@example.org)". */
static gboolean
exim_stand_in_line (const BounceLine *l)
{
  const char *s;
  gsize n;

  if (l->len == 0 || (l->s[0] != ' ' && l->s[0] != '\t'))
    return FALSE;
  bounce_line_trim (l, &s, &n);
  return bounce_mem_has_prefix (s, n, "pipe to ") || bounce_mem_has_prefix (s, n, "save to ") ||
         (n == 22 && memcmp (s, "an undisclosed address", 22) == 0);
}

/* The class of a pseudo status, for a recipient whose text has neither a
 * status nor a reply code: Sisimai's Exim module sets that status itself
 * (lib/Sisimai/Lhost/Exim.pm, its STATUS block, the same in v5.0.x commit
 * 0683f71169d5a0e6ad852d0b55ad1fe10637dc8e and 2024's 35bcefcdce7c),
 * temporary when its own reading of the recipient is "expired" or
 * "mailboxfull" and permanent for any other; its reading is "blocked"
 * after HELO/EHLO, "onhold" after MAIL, else one of Exim's sentences,
 * else "expired" for a retry, freeze or delay sentence ($delayedfor: every
 * delay warning says "No action is required on your part"), else
 * "mailererror" for a pipe.  With no reading it sets no status and
 * Fact.pm reads the words (pseudo_status() in bounce-judge.c).  A reply
 * code in the text, when there is one, decides in pseudo_status() first,
 * as in that module. */
static void
exim_pseudo_class (BounceFact *r,
                   gboolean    delayed)
{
  const char *reading = NULL;

  if (r->command == BOUNCE_SMTP_COMMAND_CONNECT)
    reading = "blocked";
  else if (r->command == BOUNCE_SMTP_COMMAND_MAIL)
    reading = "onhold";
  else if (r->text == NULL ||
           (reading = bounce_phrase_reason (exim_phrases, G_N_ELEMENTS (exim_phrases), r->text)) == NULL)
    {
      if (delayed || (r->text != NULL &&
                      bounce_phrase_reason (exim_retry_phrases, G_N_ELEMENTS (exim_retry_phrases), r->text) != NULL))
        reading = "expired";
      else if (g_strcmp0 (r->reason, "mailererror") == 0)
        reading = "mailererror";
    }
  if (reading == NULL)
    return;
  r->pseudo_class_set = TRUE;
  r->pseudo_temporary = g_str_equal (reading, "expired") || g_str_equal (reading, "mailboxfull");
}

static void
exim_finish (BounceFact *r,
             GString               *diag,
             gboolean               delayed)
{
  bounce_fact_set_diag (r, diag);
  if (delayed)
    r->action = g_strdup ("delayed");
  if (r->text == NULL)
    {
      exim_pseudo_class (r, delayed);
      return;
    }
  r->command = bounce_extract_smtp_command (r->text, -1);
  /* The reference parsers code a sender refusal in Exim's layout that has
   * no enhanced code as "on hold" (x.0.901), whatever its reason. */
  if (r->command == BOUNCE_SMTP_COMMAND_MAIL)
    r->pseudo_reason = "onhold";
  /* A remote server's reply is quoted after "SMTP error from remote mail
   * server after <command>" (or "LMTP error after <command>"); Exim's own
   * sentences only name the reason when it decided alone. */
  if (r->command == BOUNCE_SMTP_COMMAND_NONE &&
      bounce_mem_find (r->text, strlen (r->text), "SMTP error from remote") == NULL)
    {
      const char *retry = bounce_phrase_reason (exim_retry_phrases, G_N_ELEMENTS (exim_retry_phrases), r->text);
      const char *reason = bounce_phrase_reason (exim_phrases, G_N_ELEMENTS (exim_phrases), r->text);

      r->retried = retry != NULL;
      if (reason == NULL)
        reason = retry;
      if (reason != NULL)
        {
          g_free (r->reason);
          r->reason = g_strdup (reason);
        }
    }
  exim_pseudo_class (r, delayed);
}

/* After the list, "The following text was generated during the delivery
 * attempt:" and, per failed address, a "------ address ------" heading
 * over what the pipe command or the local delivery printed: that output
 * says what went wrong. */
static void
exim_attempt_output (BounceLayoutDoc  *d,
                     guint from)
{
  int at = bounce_doc_find_start (d, from, "The following text was generated during the delivery attempt");
  BounceFact *target = d->out->len == 1 ? d->out->pdata[0] : NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (at < 0)
    return;
  for (guint i = at + 1; i <= d->lines->len; i++)
    {
      const BounceLine *l = i < d->lines->len ? bounce_doc_line (d, i) : NULL;
      const char *s = NULL;
      gsize n = 0;
      gboolean heading;

      if (l != NULL)
        bounce_line_trim (l, &s, &n);
      heading = l != NULL && (bounce_mem_has_prefix (s, n, "------") ||
                              (n >= 6 && memcmp (s + n - 6, "------", 6) == 0));
      if (l == NULL || exim_is_end (l) || (heading && bounce_mem_has_prefix (s, n, "------")))
        {
          /* the text gathered so far belongs to the previous heading */
          if (target != NULL && text->len > 0)
            {
              g_autoptr(GString) diag = g_string_new (target->text);

              bounce_diag_append (diag, text->str, text->len);
              bounce_fact_set_diag (target, diag);
            }
          g_string_truncate (text, 0);
          if (l == NULL || exim_is_end (l))
            break;
        }
      if (heading)
        {
          g_autofree char *address = bounce_address_in (s, n);
          BounceFact *named = address != NULL ? bounce_doc_find_fact (d, address) : NULL;

          if (named != NULL)
            target = named;
          continue;
        }
      if (n > 0)
        bounce_diag_append (text, s, n);
    }
}

/* The notice Exim sends its freeze_tell address when it freezes a message
 * (Subject "Message frozen"): "Message <id> has been frozen (<why>)." or
 * "Message <id> was frozen on arrival by <what>.", "The sender is <...>.",
 * then "The following address(es) have yet to be delivered:" over lines
 * "  addr", "  addr <parent>" and ": <error>" after them (Exim's
 * src/deliver.c and src/receive.c call moan_tell_someone() in src/moan.c
 * with these sentences).  Sisimai reads the two frozen sentences as the
 * start of Exim's layout and the freeze as the reason, expired
 * (lib/Sisimai/Lhost/Exim.pm at 35bcefcdce7c, 'frozen' and $delayedfor). */
static int
exim_frozen_start (BounceLayoutDoc *d)
{
  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (bounce_line_starts (l, "Message ") &&
          (bounce_line_contains (l, " has been frozen") || bounce_line_contains (l, " was frozen on arrival")))
        return i;
    }
  return -1;
}

/* The notice a redirect router sends about errors it skipped in a forward
 * or alias file (Subject "error(s) in forwarding or filtering"): "The
 * <name> router encountered the following error(s):", then per error an
 * indented "<error>" or "<error> in the address" over the quoted address,
 * a blank line after each, and "Other addresses were processed normally."
 * or "No valid addresses were generated." at the end (Exim's src/moan.c,
 * moan_skipped_syntax_errors()).  Sisimai reads the first sentence as the
 * start of Exim's layout (lib/Sisimai/Lhost/Exim.pm at 35bcefcdce7c,
 * 'message'); the error's words give the reason from the table above. */
static gboolean
exim_read_router_errors (BounceLayoutDoc *d)
{
  int start = bounce_doc_find (d, 0, " router encountered the following error(s):");
  g_autoptr(GString) diag = g_string_new (NULL);
  guint first = 0;

  if (start < 0 || !bounce_line_starts (bounce_doc_line (d, start), "The "))
    return FALSE;
  for (guint i = start + 1; i <= d->lines->len; i++)
    {
      const BounceLine *l = i < d->lines->len ? bounce_doc_line (d, i) : NULL;
      gboolean end = l == NULL || bounce_line_starts (l, "Other addresses were processed normally") ||
                     bounce_line_starts (l, "No valid addresses were generated");

      if (end || bounce_line_is_blank (l))
        {
          if (diag->len > 0)
            {
              /* the address quoted after "in the address", else the first
               * one the error names */
              const char *quoted = strstr (diag->str, " in the address \"");
              char *address;

              address = quoted != NULL ? bounce_address_in (quoted, strlen (quoted)) : NULL;
              if (address == NULL)
                address = bounce_address_in (diag->str, diag->len);
              if (address != NULL && bounce_doc_find_fact (d, address) == NULL)
                {
                  BounceFact *r = bounce_doc_add_fact (d, address, first, i - 1);

                  exim_finish (r, diag, FALSE);
                  r->command_unknown = TRUE;
                }
              else
                g_free (address);
              g_string_truncate (diag, 0);
            }
          if (end)
            break;
          continue;
        }
      if (l->s[0] != ' ' && l->s[0] != '\t')
        break;
      if (diag->len == 0)
        first = i;
      bounce_diag_append_line (diag, l);
    }
  return d->out->len > 0;
}

/* Whether the text so far ends with a colon ("... after RCPT TO:"). */
static gboolean
after_colon (const GString *diag)
{
  gsize n = diag->len;

  while (n > 0 && g_ascii_isspace (diag->str[n - 1]))
    n--;
  return n > 0 && diag->str[n - 1] == ':';
}

gboolean
bounce_exim_read (BounceLayoutDoc *d)
{
  int start = -1;
  int list = -1;
  int frozen = -1;
  gboolean delayed;
  guint i;
  BounceFact *current = NULL;
  gboolean in_error = FALSE;
  g_autoptr(GString) diag = g_string_new (NULL);
  FailedList failed = { bounce_doc_header (d, "X-Failed-Recipients") };

  for (guint k = 0; k < G_N_ELEMENTS (exim_openers) && start < 0; k++)
    start = bounce_doc_find_start (d, 0, exim_openers[k]);
  if (start < 0 && exim_read_router_errors (d))
    return TRUE;
  if (start < 0 && (frozen = exim_frozen_start (d)) >= 0)
    {
      /* a frozen message: still queued, held until someone releases it */
      start = frozen;
      list = bounce_doc_find_start (d, start, "The following address(es) have yet to be delivered");
      if (list < 0)
        return FALSE;
    }
  if (start < 0)
    return FALSE;
  failed.length = failed.list != NULL ? strlen (failed.list) : 0;
  /* the failed list, or a delay warning's one address */
  for (guint k = 0; k < G_N_ELEMENTS (exim_list_heads) && list < 0; k++)
    list = bounce_doc_find (d, start, exim_list_heads[k]);
  delayed = frozen >= 0;
  if (frozen < 0)
    {
      int later = bounce_doc_find (d, start, "has not yet been delivered");

      if (later >= 0 && (list < 0 || later < list))
        {
          list = bounce_doc_find (d, later, "not yet been delivered is");
          if (list < 0)
            list = bounce_doc_find (d, later, "not yet been delivered are");
          delayed = TRUE;
        }
    }
  if (list < 0)
    return FALSE;

  for (i = list + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *rest;
      gsize rest_len;
      char *address;
      gboolean pipe = FALSE;

      if (exim_is_end (l))
        break;
      address = exim_address_line (l, &rest, &rest_len);
      if (address == NULL && (address = exim_local_part_line (l, &failed, d->out->len)) != NULL)
        {
          rest = NULL;
          rest_len = 0;
        }
      if (address == NULL && exim_stand_in_line (l))
        {
          /* the address that generated the delivery, else the header's */
          const BounceLine *next = i + 1 < d->lines->len ? bounce_doc_line (d, i + 1) : NULL;
          const char *g;
          gsize gn;

          if (next != NULL)
            {
              bounce_line_trim (next, &g, &gn);
              if (bounce_mem_has_prefix (g, gn, "generated by ") ||
                  bounce_mem_has_prefix (g, gn, "(generated from ") ||
                  bounce_mem_has_prefix (g, gn, "(ultimately generated from "))
                address = bounce_address_in (g, gn);
            }
          if (address == NULL)
            address = failed_list_nth (&failed, d->out->len);
          if (address != NULL)
            {
              rest = NULL;
              rest_len = 0;
              pipe = bounce_line_starts (l, "pipe to ");
            }
        }
      /* Exim names the command its remote server refused with the
       * command's argument ("SMTP error from remote mail server after RCPT
       * TO:<bob@example.net>:", deliver.c), and a reply may name the
       * address too ("553 5.1.1 unknown or illegal user:
       * bob@example.net"); a line wrapped after the colon puts the address
       * on a line of its own, which is no new recipient. */
      if (address != NULL && current != NULL && g_strcmp0 (address, current->address) == 0 &&
          after_colon (diag))
        {
          g_clear_pointer (&address, g_free);
          current->end = l->offset + l->len;
          bounce_diag_append_line (diag, l);
          continue;
        }
      if (address != NULL)
        {
          if (current != NULL)
            exim_finish (current, diag, delayed);
          in_error = FALSE;
          g_string_truncate (diag, 0);
          current = bounce_doc_add_fact (d, address, i, i);
          /* a command that failed is a mailer error whatever it printed */
          if (pipe)
            current->reason = g_strdup ("mailererror");
          /* the freeze is what happened to every address listed */
          if (frozen >= 0)
            bounce_diag_append_line (diag, bounce_doc_line (d, frozen));
          bounce_diag_append (diag, rest, rest_len);
          continue;
        }
      if (current == NULL)
        {
          /* text before the first address ends the list early only if it
           * is not blank or indented */
          continue;
        }
      if (bounce_line_is_blank (l))
        {
          in_error = FALSE;
          continue;
        }
      /* the explanation is indented under its address; some servers that
       * write Exim's notice put the remote server's error at the margin
       * ("SMTP error from remote server after RCPT command:", its host and
       * its reply, up to a blank line) */
      if (l->s[0] != ' ' && l->s[0] != '\t')
        {
          if (!in_error && !bounce_line_starts (l, "SMTP error from remote") &&
              !bounce_line_starts (l, "LMTP error after"))
            break;
          in_error = TRUE;
        }
      current->end = l->offset + l->len;
      /* how the address was reached ("generated by bob@example.org",
       * "(ultimately generated from alias@example.org)") is no part of
       * what went wrong */
      if (bounce_line_starts (l, "generated by ") || bounce_line_starts (l, "(generated from ") ||
          bounce_line_starts (l, "(ultimately generated from "))
        {
          /* (the address the sender wrote, which a redirect made this one) */
          const char *s;
          gsize n;

          bounce_line_trim (l, &s, &n);
          if (current->original == NULL && s[0] == '(')
            {
              current->original = bounce_address_in (s, n);
              if (g_strcmp0 (current->original, current->address) == 0)
                g_clear_pointer (&current->original, g_free);
            }
          continue;
        }
      bounce_diag_append_line (diag, l);
    }
  if (current != NULL)
    exim_finish (current, diag, delayed);
  if (d->out->len > 0)
    exim_attempt_output (d, i);
  return d->out->len > 0;
}

const BounceLayout bounce_layout_exim = {
  .name = "exim",
  .title = "Exim",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = bounce_exim_read,
};
