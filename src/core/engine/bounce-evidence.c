/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE   /* memmem() */
#include "config.h"

#include <string.h>

#include "bounce-engine.h"
#include "bounce-alternation.h"
#include "bounce-layout-lines.h"

/* Reading one recipient's evidence: which text is what the server said,
 * which reply and enhanced codes are its, and which status stands.  The
 * judgement (bounce-judge.c) then works from this. */

gboolean
bounce_status_is_specific (const char *status)
{
  g_auto(GStrv) parts = NULL;

  if (status == NULL)
    return FALSE;
  parts = g_strsplit (status, ".", 3);
  if (g_strv_length (parts) != 3)
    return FALSE;
  if (g_str_equal (parts[1], "7") && g_str_equal (parts[2], "1"))
    return FALSE;
  if (g_str_equal (parts[1], "6"))
    return TRUE;
  return !g_str_equal (parts[1], "0") && !g_str_equal (parts[2], "0");
}

gboolean
bounce_status_is_generic (const char *status)
{
  return status == NULL || g_str_has_suffix (status, ".0.0");
}

/* A multi-line SMTP reply repeats its codes on every line ("552-5.7.0 This
 * message was blocked because its content presents a potential 552-5.7.0
 * security issue"): once its lines are joined, drop the repetitions so the
 * sentence reads whole, for people and for the rules. */
static void
strip_reply_continuations (GString *out)
{
  gsize first = G_MAXSIZE;
  char code[4];
  gsize enh_len;
  char enh[16] = "";
  gsize i;
  gboolean last = FALSE;
  g_autoptr(GString) joined = NULL;

  /* (after a blank, or after the '#' Exchange writes before a reply it
   * quotes: see exchange_frame_end()) */
  for (i = 0; i + 4 <= out->len; i++)
    if ((i == 0 || out->str[i - 1] == ' ' || out->str[i - 1] == '#') && g_ascii_isdigit (out->str[i]) &&
        g_ascii_isdigit (out->str[i + 1]) && g_ascii_isdigit (out->str[i + 2]) && out->str[i + 3] == '-')
      {
        first = i;
        break;
      }
  if (first == G_MAXSIZE)
    return;
  memcpy (code, out->str + first, 3);
  code[3] = '\0';
  /* the enhanced code and its space, when one follows */
  enh_len = bounce_enhanced_code_length (out->str + first + 4);
  if (enh_len > 0 && out->str[first + 4 + enh_len] == ' ' && enh_len + 1 < sizeof enh)
    {
      enh_len++;
      memcpy (enh, out->str + first + 4, enh_len);
      enh[enh_len] = '\0';
    }
  else
    enh_len = 0;

  /* One pass, copying what stays: a long reply must not cost a memmove
   * per line. */
  joined = g_string_sized_new (out->len);
  g_string_append_len (joined, out->str, first + 4);
  for (i = first + 4; i < out->len;)
    {
      gsize k = i, end;

      if (joined->str[joined->len - 1] == ' ')
        {
          if (strncmp (out->str + k, "<<< ", 4) == 0)
            k += 4;
          /* (the last line's "550 " too, with or without an enhanced
           * code: RFC 5321 4.2.1 gives every line of the reply its code,
           * '-' after it on all but the last; after the last, the same
           * code is the text's) */
          if (!last && k + 4 <= out->len && strncmp (out->str + k, code, 3) == 0 &&
              (out->str[k + 3] == '-' || out->str[k + 3] == ' '))
            {
              end = k + 4;
              if (enh_len == 0 || strncmp (out->str + end, enh, enh_len) == 0)
                {
                  last = out->str[k + 3] == ' ';
                  i = end + enh_len;
                  continue;
                }
            }
        }
      g_string_append_c (joined, out->str[i]);
      i++;
    }
  g_string_assign (out, joined->str);
}

char *
bounce_collapse_space (const char *s,
                       gsize       max)
{
  GString *out = g_string_sized_new (MIN (strlen (s), max) + 1);
  gboolean space = FALSE;

  for (const char *p = s; *p && out->len < max; p++)
    {
      if (g_ascii_isspace (*p))
        space = out->len > 0;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  strip_reply_continuations (out);
  /* Do not end in the middle of a UTF-8 sequence. */
  while (out->len > 0 && !g_utf8_validate (out->str, out->len, NULL))
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

/* Where the first line of text that starts with the reply code ("550
 * 5.1.1 User unknown") begins, or NULL. */
static const char *
find_reply_line (const char *text,
                 const char *reply)
{
  gsize n = strlen (reply);
  const char *limit = text + MIN (strlen (text), (gsize) 64 * 1024);

  for (const char *p = text; p < limit; )
    {
      const char *nl = memchr (p, '\n', limit - p);
      const char *end = nl != NULL ? nl : limit;
      const char *s = p;

      while (s < end && (*s == ' ' || *s == '\t'))
        s++;
      if ((gsize) (end - s) > n && strncmp (s, reply, n) == 0 && (s[n] == ' ' || s[n] == '-'))
        return s;
      p = end + 1;
    }
  return NULL;
}

/* That line alone, or NULL. */
static char *
line_with_reply (const char *text,
                 const char *reply)
{
  const char *s = find_reply_line (text, reply);
  const char *nl = s != NULL ? strchr (s, '\n') : NULL;

  if (s == NULL)
    return NULL;
  return nl != NULL ? g_strndup (s, nl - s) : g_strdup (s);
}

/* Inside a recipient's own text a reply code needs less context: "...after
 * initial connection: 550 Access denied", "server message 550 unknown user". */
static char *
loose_reply (const char *text)
{
  static BounceRegexSlot regex;
  g_autoptr(GMatchInfo) info = NULL;
  g_autofree char *head = NULL;

  if (text == NULL)
    return NULL;
  head = g_strndup (text, bounce_utf8_cut (text, BOUNCE_BLOCK_LIMIT));
  /* (a recipient's text may be long: counted by its length towards the
   * JIT, as the patterns run over whole texts are) */
  if (!g_regex_match (bounce_regex_once_for (&regex,
                                             "(?:^|[\\s:;(\\[>=#-])([45][0-5][0-9])(?:[ -]{1,2}(?=[A-Za-z#<(\\[])|\\s*$)",
                                             G_REGEX_CASELESS | G_REGEX_MULTILINE, strlen (head)),
                      head, 0, &info))
    return NULL;
  return g_match_info_fetch (info, 1);
}

static void
replace (char **slot,
         char  *value)
{
  g_free (*slot);
  *slot = value;
}

/* The server's words: the report's Diagnostic-Code when it says something
 * (unless the layout's line is the refusing program's own), else the
 * layout's line, else the recipient's text; a Diagnostic-Code
 * that holds only the first line of a reply the layout shows whole gives
 * way to the whole. */
/* Whether a report's Diagnostic-Code is a local program's exit status
 * alone: Sendmail writes "X-Unix; 77" when the mailer it ran for the
 * recipient exited with that status (sysexits.h: 77 EX_NOPERM, 71
 * EX_OSERR); the notification's own words for the failure say more to a
 * person (Sisimai's lib/Sisimai/Lhost/Sendmail.pm lets the transcript's
 * line replace such a bare code).  Only what the row shows changes: the
 * judgement reads the exit status (bounce-judge.c). */
static gboolean
reply_is_exit_status (BounceFact *fact)
{
  const char *p = fact->reply;

  if (p == NULL || fact->reply_type == NULL || g_ascii_strcasecmp (fact->reply_type, "x-unix") != 0)
    return FALSE;
  while (g_ascii_isspace (*p))
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  while (g_ascii_isspace (*p))
    p++;
  return *p == '\0';
}

static char *
choose_diagnostic (BounceFact *fact)
{
  char *diagnostic = NULL;

  if (has_text (fact->reply) && !(fact->said_decides && fact->said != NULL))
    diagnostic = bounce_collapse_space (fact->reply, BOUNCE_DIAGNOSTIC_LIMIT);
  else if (fact->said != NULL)
    diagnostic = bounce_collapse_space (fact->said, BOUNCE_DIAGNOSTIC_LIMIT);
  else if (has_text (fact->text))
    diagnostic = bounce_collapse_space (fact->text, BOUNCE_DIAGNOSTIC_LIMIT);
  if (diagnostic != NULL && fact->said != NULL && fact->reply != NULL)
    {
      g_autofree char *whole = bounce_collapse_space (fact->said, BOUNCE_DIAGNOSTIC_LIMIT);

      if (strlen (whole) > strlen (diagnostic) && g_str_has_prefix (whole, diagnostic))
        replace (&diagnostic, g_steal_pointer (&whole));
    }
  return diagnostic;
}

/* Text for the rules: the server's words only, the diagnostic and the
 * recipient's text (a Diagnostic-Code is often shorter than the human
 * text); never the recipient's address, which says nothing about why its
 * mail failed ("dmarc@reports.example.com" is not a DMARC failure). */
static GString *
rules_context (BounceFact *fact,
               const char *diagnostic)
{
  GString *context = g_string_new (NULL);

  if (diagnostic)
    g_string_append (context, diagnostic);
  if (has_text (fact->text) && fact->reply != NULL)
    {
      g_autofree char *block = bounce_collapse_space (fact->text, BOUNCE_BLOCK_LIMIT);

      g_string_append (context, "\n");
      g_string_append (context, block);
    }
  return context;
}

/* Where the reply whose line starts at from began: a line of a
 * multi-line reply may start the text's line while its first line follows
 * the reporting server's words ("... said: 550-Please turn on SMTP
 * Authentication.\n    550 relay not permitted"); RFC 5321 4.2.1 writes
 * '-' after the code on every line but the last. */
static const char *
reply_first_line (const char *block,
                  const char *from,
                  const char *reply)
{
  gsize n = strlen (reply);

  for (const char *p = strstr (block, reply); p != NULL && p < from; p = strstr (p + 1, reply))
    if ((p == block || strchr (" \t\n:#", p[-1]) != NULL) && p[n] == '-')
      return p;
  return from;
}

/* Prose, then the reply on its own line (Gmail: "... couldn't be found
 * ... The response was:\n\n550 5.1.1 The email account ..."): the server
 * said what starts there.  A one-line introduction that says which command
 * the reply answered stays ("SMTP error from remote server after RCPT
 * command:", "... did not like our RCPT TO:"). */
static void
reply_after_prose (BounceFact     *fact,
                   BounceEvidence *ev)
{
  g_autofree char *block = NULL;
  g_autofree char *intro = NULL;
  const char *from;

  if (fact->reply != NULL || fact->said != NULL || fact->text == NULL || ev->diagnostic == NULL ||
      g_ascii_isdigit (ev->diagnostic[0]) || ev->reply == NULL)
    return;
  block = g_strndup (fact->text, bounce_utf8_cut (fact->text, BOUNCE_BLOCK_LIMIT));
  from = find_reply_line (block, ev->reply);
  if (from == NULL)
    return;
  from = reply_first_line (block, from, ev->reply);
  intro = g_strstrip (g_strndup (block, from - block));
  if (strchr (intro, '\n') == NULL && g_str_has_suffix (intro, ":") && strlen (intro) < 200)
    return;
  replace (&ev->diagnostic, bounce_collapse_space (from, BOUNCE_DIAGNOSTIC_LIMIT));
}

/* Reports that quote the replies to their attempts (pasted Exchange and
 * Microsoft 365 reports without DSN fields): the prose around the address
 * is theirs, the server's reply is the quoted one. */
static void
quoted_attempt (BounceFact     *fact,
                BounceEvidence *ev)
{
  BounceQuotedReply q = { 0 };

  if (fact->reply != NULL || fact->said != NULL || fact->text == NULL || ev->diagnostic == NULL ||
      g_ascii_isdigit (ev->diagnostic[0]))
    return;
  if (!bounce_layouts_attempt_reply (fact->text, FALSE, &q))
    return;
  replace (&ev->diagnostic, bounce_collapse_space (q.said, BOUNCE_DIAGNOSTIC_LIMIT));
  if (ev->reply == NULL && ev->enhanced == NULL)
    {
      ev->reply = g_steal_pointer (&q.reply);
      ev->enhanced = g_steal_pointer (&q.enhanced);
    }
  bounce_quoted_reply_clear (&q);
}

/* An expiry ("550 4.4.7 QUEUE.Expired; message expired") is the reporting
 * server's own verdict, not a reply; when the notification lists the
 * replies to its attempts, the newest of them says why the message could
 * not be delivered in time. */
static void
attempt_before_expiry (BounceMessageContext *ctx,
                       BounceFact           *fact,
                       BounceEvidence       *ev)
{
  const char *texts[2];

  if (ev->enhanced == NULL || !g_str_has_suffix (ev->enhanced, ".4.7") || fact->text == NULL)
    return;
  texts[0] = fact->text;
  texts[1] = ctx->n_recipients <= 1 ? ctx->notification->str : NULL;
  for (guint t = 0; t < G_N_ELEMENTS (texts) && texts[t] != NULL; t++)
    {
      BounceQuotedReply q = { 0 };

      if (bounce_layouts_attempt_reply (texts[t], TRUE, &q))
        {
          replace (&ev->reply, g_steal_pointer (&q.reply));
          replace (&ev->enhanced, g_steal_pointer (&q.enhanced));
          replace (&ev->diagnostic, bounce_collapse_space (q.said, BOUNCE_DIAGNOSTIC_LIMIT));
          bounce_quoted_reply_clear (&q);
          break;
        }
    }
}

/* Codes found only in the notification, for a lone recipient: with
 * nothing at all (the server's reply is elsewhere: Gmail, Exchange and
 * others put the address after the explanation), or with a Status but no
 * reply (the transcript part: "550 5.1.2 <a@b>... Host unknown"). */
static void
codes_of_lone_recipient (BounceMessageContext *ctx,
                         BounceFact           *fact,
                         BounceEvidence       *ev)
{
  if (ctx->n_recipients > 1 || ctx->notification->len == 0)
    return;
  if (ev->reply == NULL && ev->enhanced == NULL && fact->status == NULL)
    {
      g_autofree char *whole = bounce_collapse_space (ctx->notification->str, 64 * 1024);

      bounce_extract_first_codes (whole, &ev->reply, &ev->enhanced);
      /* ... and with nothing of its own to show, the line that holds it
       * ("Could not be delivered because of\n\n550 5.1.1 User unknown\n\n
       * The following recipients were affected: ...") */
      if (ev->reply != NULL && !has_text (ev->diagnostic))
        {
          char *line = line_with_reply (ctx->notification->str, ev->reply);

          if (line != NULL)
            {
              replace (&ev->diagnostic, bounce_collapse_space (line, BOUNCE_DIAGNOSTIC_LIMIT));
              g_free (line);
            }
        }
    }
  /* (a reply whose class agrees with the Status; line starts kept: a reply
   * code opening a line needs no more context) */
  if (ev->reply == NULL && fact->status != NULL)
    {
      g_autofree char *whole = g_strndup (ctx->notification->str,
                                          bounce_utf8_cut (ctx->notification->str, 64 * 1024));
      g_autofree char *r2 = NULL;
      g_autofree char *e2 = NULL;

      bounce_extract_first_codes (whole, &r2, &e2);
      if (r2 != NULL && r2[0] == fact->status[0])
        {
          ev->reply = g_steal_pointer (&r2);
          /* and its enhanced code, which says more than a Status of x.0.0
           * ("554 5.3.0 unknown mailer error" under Status: 5.0.0) */
          if (bounce_status_is_generic (fact->status) && e2 != NULL && e2[0] == fact->status[0])
            replace (&ev->enhanced, g_steal_pointer (&e2));
        }
    }
}

static void
read_codes (BounceMessageContext *ctx,
            BounceFact           *fact,
            BounceEvidence       *ev)
{
  BounceQuotedReply q = { 0 };

  /* A local delivery agent that refused the message (its words decide,
   * said_decides) answered no SMTP command: its codes are those its words
   * hold, not the transport's account in the report's fields or text.
   * Sisimai reads such a report the same way: the agent's message replaces
   * the diagnostic its reply code is read from (lib/Sisimai/RFC3464.pm with
   * MDA.pm). */
  if (fact->said_decides && fact->said != NULL)
    {
      bounce_extract_first_codes (fact->said, &ev->reply, &ev->enhanced);
      ev->enhanced_in_reply = ev->enhanced != NULL;
      return;
    }
  /* from the raw text: line starts matter to the extractor */
  if (has_text (fact->reply))
    bounce_extract_first_codes (fact->reply, &ev->reply, &ev->enhanced);
  else if (ev->diagnostic != NULL)
    bounce_extract_first_codes (ev->diagnostic, &ev->reply, &ev->enhanced);
  /* the reporting server's verdict quoting the remote server's last reply */
  if (ev->diagnostic != NULL && bounce_layouts_verdict_quote (ev->diagnostic, &q))
    {
      replace (&ev->reply, g_steal_pointer (&q.reply));
      replace (&ev->enhanced, g_steal_pointer (&q.enhanced));
      bounce_quoted_reply_clear (&q);
    }
  reply_after_prose (fact, ev);
  quoted_attempt (fact, ev);
  attempt_before_expiry (ctx, fact, ev);
  /* Only a code in the server's reply itself may overrule the Status. */
  ev->enhanced_in_reply = ev->enhanced != NULL;
  if ((ev->reply == NULL || ev->enhanced == NULL) && has_text (fact->text))
    {
      g_autofree char *r2 = NULL;
      g_autofree char *e2 = NULL;
      g_autofree char *block = g_strndup (fact->text, bounce_utf8_cut (fact->text, BOUNCE_BLOCK_LIMIT));

      bounce_extract_first_codes (block, &r2, &e2);
      if (ev->reply == NULL)
        ev->reply = g_steal_pointer (&r2);
      if (ev->enhanced == NULL)
        ev->enhanced = g_steal_pointer (&e2);
    }
  codes_of_lone_recipient (ctx, fact, ev);
  /* A failure's reply is a 4xx/5xx one: a transcript's "250 Ok" before
   * the refusal is not it. */
  if (ev->reply == NULL || (ev->reply[0] == '2' && fact->status != NULL && fact->status[0] != '2'))
    {
      char *loose = loose_reply (fact->reply ? fact->reply : fact->text);

      if (loose != NULL)
        replace (&ev->reply, loose);
    }
}

/* The report's Status is authoritative; a generic one yields to a more
 * specific code from the server's own reply, and the remote server's own
 * code beats the reporting MTA's translation of it (Sendmail writes 4.4.7
 * over "450 4.7.1 ..."), as does a permanent refusal the reporting MTA
 * filed as temporary. */
static const char *
decide_status (BounceFact     *fact,
               BounceEvidence *ev)
{
  const char *status = fact->status != NULL ? fact->status : fact->layout_status;
  const char *enhanced = ev->enhanced;

  if (status == NULL || (bounce_status_is_generic (status) && enhanced != NULL &&
                         !bounce_status_is_generic (enhanced) && enhanced[0] == status[0]))
    return enhanced;
  if (ev->enhanced_in_reply && g_strcmp0 (enhanced, status) != 0 && !bounce_status_is_generic (enhanced) &&
      (enhanced[0] == status[0] ||
       (enhanced[0] == '5' && ev->reply != NULL && ev->reply[0] == '5' &&
        g_strcmp0 (fact->action, "failed") == 0)))
    return enhanced;
  return status;
}

/* The field names of a delivery report (RFC 3464 2.2, 2.3): text pasted
 * with them holds the report's fields, not what the server said. */
static const char * const dsn_field_names[] = {
  "Reporting-MTA:", "Final-Recipient:", "Original-Recipient:", "Arrival-Date:", "Received-From-MTA:",
  "X-Postfix-Queue-ID:", NULL
};

/* Whether the reply at start follows the frame Exchange 2000 and 2003
 * write around a remote server's reply, "<mx.example.net #5.1.1 smtp;"
 * (Microsoft KB 284204, "Delivery status notifications in Exchange Server
 * and in Small Business Server": the server that reported the problem,
 * then '#' and the status code; a remote server's reply follows as an
 * RFC 3464 diagnostic, its type "smtp;" first).  Exchange 2010 writes the
 * same frame without the name ("#< #5.1.1 smtp;550 ...> #SMTP#"). */
static gboolean
after_exchange_status (const char *d,
                       const char *start)
{
  const char *p = start, *q;

  while (p > d && p[-1] == ' ')
    p--;
  if (p - d < 5 || g_ascii_strncasecmp (p - 5, "smtp;", 5) != 0)
    return FALSE;
  p -= 5;
  if (p == d || p[-1] != ' ')
    return FALSE;
  while (p > d && p[-1] == ' ')
    p--;
  for (q = p; q > d && (g_ascii_isdigit (q[-1]) || q[-1] == '.'); q--)
    ;
  if (q == p || q == d || q[-1] != '#' || bounce_enhanced_code_length (q) != (gsize) (p - q))
    return FALSE;
  for (q--; q > d && q[-1] == ' '; q--)
    ;
  for (; q > d && q[-1] != '<' && q[-1] != ' ' && q[-1] != '#'; q--)
    ;
  return q > d && q[-1] == '<';
}

/* Where the reply at start ends when Microsoft Exchange frames it, or
 * NULL.  The older frame (after_exchange_status()) closes with the '>'
 * that matches its '<' (a reply may hold "<bob@example.net>" itself).
 * Exchange 2007 and later list, under "Diagnostic information for
 * administrators", each rejected recipient with the remote server's name,
 * '#', its reply and " ##" ("mx.example.net #550 5.1.1 ... ##"), or
 * Exchange's own verdict without a name ("#550 5.1.1
 * RESOLVER.ADR.RecipNotFound; not found ##"); Microsoft's "Non-delivery
 * reports in Exchange Server" names these fields (Generating server, the
 * remote server, the enhanced status code and the reply), and Sisimai's
 * lib/Sisimai/Lhost/Exchange2007.pm (commit 03158add) reads the line after
 * the address the same way.  The 2010 form ends in " #SMTP#" (the
 * address's type).  Neither '#' nor what closes the frame is the
 * server's. */
static const char *
exchange_frame_end (const char *d,
                    const char *start)
{
  if (start > d && after_exchange_status (d, start))
    {
      int depth = 1;

      for (const char *p = start; *p != '\0'; p++)
        if (*p == '<')
          depth++;
        else if (*p == '>' && --depth == 0)
          return p;
      return NULL;
    }
  if (start > d && start[-1] == '#')
    {
      const char *hashes = strstr (start, " ##");
      const char *type = strstr (start, " #SMTP#");

      if (hashes == NULL || (type != NULL && type < hashes))
        hashes = type;
      return hashes;
    }
  return NULL;
}

/* Where a reply quoted in brackets ends ("It responded as follows: [550
 * 5.1.1 User unknown]", Sisimai's lib/Sisimai/Lhost/X6.pm), at the ']'
 * that matches the '[' before it, or NULL. */
static const char *
bracket_end (const char *d,
             const char *start)
{
  int depth = 1;

  if (start == d || start[-1] != '[')
    return NULL;
  for (const char *p = start; *p != '\0'; p++)
    if (*p == '[')
      depth++;
    else if (*p == ']' && --depth == 0)
      return p;
  return NULL;
}

/* Whether a report's Diagnostic-Code is the reporting server's own account
 * rather than the remote server's reply: RFC 3464 2.3.6 types a reply an
 * SMTP server gave "smtp"; another type is the reporting program's text
 * (Postfix before 2.3 wrote "X-Postfix; host mx.example.net[192.0.2.1]
 * said: 550 ... (in reply to RCPT TO command)", and still writes
 * "X-Postfix; ... connect to mx.example.net[192.0.2.1]: server refused to
 * talk to me: 421 ...": its smtp(8) client's words around the reply). */
static gboolean
diagnostic_in_own_words (BounceFact *fact)
{
  return fact->reply_type != NULL && g_ascii_strncasecmp (fact->reply_type, "x-", 2) == 0;
}

/* Whether the words in [d, start) name the server whose reply starts at
 * start: "host mx.example.net[192.0.2.1] said:", or a host the way
 * remote_host_pattern reads it. */
static gboolean
names_replying_server (const char *d,
                       const char *start)
{
  const char *p = start;
  gsize s, e;

  while (p > d && p[-1] == ' ')
    p--;
  if (p - d >= 5 && g_ascii_strncasecmp (p - 5, "said:", 5) == 0)
    return TRUE;
  return bounce_find_remote_host (d, start - d, 0, &s, &e, NULL);
}

/* The reporting server's own sentences after what went wrong: qmail-remote's
 * "Giving up on 192.0.2.1." once every address of the host failed, and
 * qmail-send's "I'm not going to try again; this message has been in the
 * queue too long." (the qmail-send bounce message format, QSBMF,
 * https://cr.yp.to/proto/qsbmf.txt, and qmail's sources; Sisimai's
 * lib/Sisimai/Lhost/qmail.pm, commit 02463e18, quotes both from
 * qmail-remote.c and qmail-send.c), and the closing paragraph of Exim's
 * delay warning, "No action is required on your part. Delivery attempts
 * will continue ..." (Exim's deliver.c, which Sisimai's Lhost::Exim
 * quotes).  They stay in the evidence the judgement reads. */
static const char * const reporter_after_reply[] = {
  "Giving up on ", "I'm not going to try again;",
  "No action is required on your part. Delivery attempts will continue",
};

/* Past the headings Gmail's older notification writes before what went
 * wrong: "Message will be retried for 2 more day(s)" and "Technical
 * details of permanent failure:" (or "temporary"), Gmail's own words, not
 * what a server said (the layout Sisimai's lib/Sisimai/Lhost/Gmail.pm, at
 * commit 019e893c, describes and reads). */
static const char *
after_gmail_labels (const char *d)
{
  for (;;)
    {
      const char *p = d;

      if (g_str_has_prefix (p, "Message will be retried for "))
        {
          p = strstr (p, " more day(s)");
          if (p == NULL)
            return d;
          p += strlen (" more day(s)");
        }
      else if (g_str_has_prefix (p, "Technical details of permanent failure:") ||
               g_str_has_prefix (p, "Technical details of temporary failure:"))
        p = strchr (p, ':') + 1;
      else
        return d;
      while (*p == ' ')
        p++;
      if (*p == '\0')
        return d;
      d = p;
    }
}

/* Where a reply whose lines were joined runs on into the notice's
 * separator before the returned message ("... [SMTP Error Code 550]
 * -------- Returned Mail --------", "... User unknown ----------
 * Forwarded message ----------", "552 Quota violation for bob@example.net
 * A copy of the original message below this line:"): there, at a word's
 * start after the reply's first word, else end. */
static const char *
before_returned_message (const char *start,
                         const char *end)
{
  for (const char *p = start + 1; p < end; p++)
    if (p[-1] == ' ' && bounce_text_opens_returned_message (p, end - p, BOUNCE_MARKER_HEADING))
      return p;
  return end;
}

/* What the recipient's row shows as "Server said": the server's reply,
 * whole, and nothing else.  The notification's own words before it ("...
 * because the server rejected it:", "host mx.example.net[192.0.2.1]
 * said:", "Reason:") are the reporting server's, and a delivery report's
 * fields after it are not words at all; both stay in the evidence the
 * judgement reads. */
static char *
server_said (BounceFact     *fact,
             BounceEvidence *ev)
{
  const char *d = ev->diagnostic;
  const char *start = d;
  const char *end, *frame;
  gsize n;

  if (reply_is_exit_status (fact) && (fact->said != NULL || has_text (fact->text)))
    return bounce_collapse_space (fact->said != NULL ? fact->said : fact->text, BOUNCE_DIAGNOSTIC_LIMIT);
  if (d == NULL || (fact->reply != NULL && !diagnostic_in_own_words (fact)))
    return g_strdup (d);
  d = after_gmail_labels (d);
  start = d;
  n = ev->reply != NULL ? strlen (ev->reply) : 0;
  /* the reply: its code after prose, at a word's start, followed by text */
  for (const char *p = n > 0 ? strstr (d, ev->reply) : NULL; p != NULL; p = strstr (p + 1, ev->reply))
    if ((p == d || strchr (" :;'\"(#[", p[-1]) != NULL) && (p[n] == ' ' || p[n] == '-') &&
        (p == d || p[-1] != '-'))
      {
        start = p;
        break;
      }
  /* (a report's own words frame it only where they name the server that
   * replied) */
  if (fact->reply != NULL && start > d && !names_replying_server (d, start))
    start = d;
  frame = exchange_frame_end (d, start);
  if (frame == NULL)
    frame = bracket_end (d, start);
  end = frame != NULL ? frame : start + strlen (start);
  for (guint i = 0; dsn_field_names[i] != NULL; i++)
    {
      const char *f = strstr (start, dsn_field_names[i]);

      if (f != NULL && f > start && f < end)
        end = f;
    }
  for (guint i = 0; i < G_N_ELEMENTS (reporter_after_reply); i++)
    {
      const char *f = strstr (start, reporter_after_reply[i]);

      if (f != NULL && f > start && f < end)
        end = f;
    }
  end = before_returned_message (start, end);
  while (end > start && end[-1] == ' ')
    end--;
  /* a reply quoted whole: "550 5.1.1 User unknown" */
  if (start > d && (start[-1] == '\'' || start[-1] == '"') && end > start && end[-1] == start[-1])
    end--;
  return end > start ? g_strndup (start, end - start) : g_strdup (d);
}

/* The alternatives of remote_host_pattern, in its order (each alone, its
 * first capturing group is the server). */
enum
{
  REMOTE_HOST_BRACKETS,          /* Postfix's and Exim's "host X[ip]" and the like */
  REMOTE_HOST_DID_NOT_LIKE,      /* DragonFly's "X [ip] did not like our" */
  REMOTE_HOST_SERVER_AT,         /* Exchange's "Remote Server at X (" */
  REMOTE_HOST_TALKING_TO,        /* Sendmail's "while talking to X.:" */
  REMOTE_HOST_HASH_REPLY,        /* Exchange 2007 and later: "X #550 ..." */
  REMOTE_HOST_HASH_FRAME,        /* Exchange 2000 and 2003: "<X #5.1.1 smtp;" */
  REMOTE_HOST_SERVER_RETURNED,   /* Exchange 2013 and later: "X Remote Server returned" */
  REMOTE_HOST_SMTP_SERVER,       /* "SMTP Server <X> rejected" */
  REMOTE_HOST_GMAIL,             /* the rest case-sensitive: Gmail's, then qmail-remote's */
  REMOTE_HOST_QMAIL_NOT_LIKE,
  REMOTE_HOST_QMAIL_CONNECTED,
  REMOTE_HOST_QMAIL_GIVING_UP,
  REMOTE_HOST_N_ALTERNATIVES
};

/* The server that refused, named in the reporting server's words when no
 * field gives it: Postfix's "host mx.example.net[192.0.2.1] said:" (or
 * "host 192.0.2.1[192.0.2.1] said:" for a server without a name in the
 * DNS: its address stands for it, as Postfix writes it),
 * "connect to mx.example.net[192.0.2.1]:25:", "conversation with
 * mx.example.net[192.0.2.1] timed out while ..." and "lost connection with
 * mx.example.net[192.0.2.1] while ..." (its smtp(8) client), Exim's
 * "host mx.example.net [192.0.2.1]" (its delivery errors), DragonFly's
 * "mx.example.net [192.0.2.1] did not like our RCPT TO:", Sendmail's
 * "... while talking to mx.example.net.:", Exchange's "Remote Server at
 * mx.example.net (192.0.2.1) returned", the line Exchange 2007 and later
 * write under a rejected recipient, the remote server's name before '#'
 * and its reply ("mx.example.net #550 5.1.1 ... ##", see
 * exchange_frame_end()), and the frame of Exchange 2000 and 2003 around a
 * remote server's reply, "<mx.example.net #5.1.1 smtp;550 ...>" (Microsoft
 * KB 284204: the server that reported the problem before the code), and
 * the remote server's name on a line of its own above "Remote Server
 * returned '...'", as Exchange 2013 and later list it under the recipient
 * (Microsoft, "Non-delivery reports in Exchange Server": the remote
 * server's FQDN, then its reply), and "SMTP Server <mx.example.net>
 * rejected recipient <bob@example.net> ... It responded as follows: [...]"
 * (the report Sisimai's lib/Sisimai/Lhost/X6.pm reads), and qmail-remote's
 * sentences, which name the remote server by its address: "192.0.2.1 does
 * not like recipient.", "Connected to 192.0.2.1 but sender was
 * rejected.", "Giving up on 192.0.2.1." (QSBMF, https://cr.yp.to/proto/qsbmf.txt,
 * and qmail's qmail-remote.c; case as qmail writes them; Sisimai's
 * lib/Sisimai/Lhost/qmail.pm, commit 02463e18, reads its rhost after
 * "Giving up on " and "Connected to "), and Gmail's older "Google tried to
 * deliver your message, but it was rejected by the server for the
 * recipient domain example.net by mx.example.net. [192.0.2.1]." (Sisimai's
 * lib/Sisimai/Lhost/Gmail.pm, commit 019e893c, reads its rhost there).
 *
 * Its alternatives are searched one at a time (bounce-alternation.h),
 * those that the text may hold (remote_host_alternatives()): the same
 * first match as the pattern's, where the whole pattern tried all twelve
 * alternatives at each position of a recipient's text (1.3 million
 * instructions on an Exchange report). */
static const char remote_host_pattern[] =
  "\\b(?:host|connect\\s+to|(?:conversation|connection)\\s+with)\\s+([a-z0-9][a-z0-9.-]{0,252}\\.[a-z]{2,63}|[0-9]{1,3}(?:\\.[0-9]{1,3}){3})\\s?\\[[0-9a-f.:]{3,45}\\]"
  "|\\b([a-z0-9][a-z0-9.-]{0,252}\\.[a-z]{2,63})\\s\\[[0-9a-f.:]{3,45}\\]\\s+did\\s+not\\s+like\\s+our\\b"
  "|\\bRemote\\s+Server\\s+at\\s+([a-z0-9][a-z0-9.-]{0,252}\\.[a-z]{2,63})\\s+\\("
  "|\\bwhile\\s+talking\\s+to\\s+([a-z0-9][a-z0-9.-]{0,252}\\.[a-z]{2,63})\\.?:"
  "|^[ \\t]*([a-z0-9][a-z0-9.-]{0,252}\\.[a-z]{2,63})[ \\t]+#(?:<|[45][0-9][0-9][ -])"
  "|<([a-z0-9][a-z0-9.-]{0,252}\\.[a-z]{2,63})[ \\t]+#[245]\\.[0-9]{1,3}\\.[0-9]{1,3}[ \\t]+smtp;"
  "|^[ \\t]*([a-z0-9][a-z0-9.-]{0,252}\\.[a-z]{2,63})\\s+Remote\\s+Server\\s+returned\\b"
  "|\\bSMTP\\s+Server\\s+<([a-z0-9][a-z0-9.-]{0,252}\\.[a-z]{2,63})>\\s+(?:rejected|refused)\\b"
  "|(?-i:\\brejected by the server for the recipient domain \\S+ by ([a-z0-9][a-z0-9.-]{0,252}\\.[a-z]{2,63})\\. \\[)"
  "|(?-i:\\b([0-9]{1,3}(?:\\.[0-9]{1,3}){3}) does not like recipient\\.)"
  "|(?-i:\\bConnected to ([0-9]{1,3}(?:\\.[0-9]{1,3}){3}) but )"
  "|(?-i:\\bGiving up on ([0-9]{1,3}(?:\\.[0-9]{1,3}){3})\\.)";
#define REMOTE_HOST_FLAGS (G_REGEX_CASELESS | G_REGEX_MULTILINE)

static BounceAlternation *
remote_host_alternation (void)
{
  static BounceAlternation *split = NULL;

  if (g_once_init_enter (&split))
    g_once_init_leave (&split, bounce_alternation_new_from_pattern (remote_host_pattern, REMOTE_HOST_FLAGS,
                                                                    G_REGEX_MATCH_DEFAULT));
  return split;
}

const char *
bounce_remote_host_pattern (GRegexCompileFlags *flags)
{
  if (flags != NULL)
    *flags = REMOTE_HOST_FLAGS;
  return remote_host_pattern;
}

guint
bounce_remote_host_n_alternatives (void)
{
  return bounce_alternation_get_n (remote_host_alternation ());
}

/* Whether, right after p, blanks and then each of words (lower case,
 * separated by blanks) follow, as \s+ and the caseless words of
 * remote_host_pattern need; TRUE too where a byte outside ASCII makes it
 * undecided (another script's blank, U+017F for an 's', U+212A for a 'k'). */
static gboolean
words_may_follow (const char         *p,
                  const char         *end,
                  const char * const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (p >= end)
        return FALSE;
      if ((guchar) *p >= 0x80)
        return TRUE;
      if (!g_ascii_isspace (*p) && *p != '\v')
        return FALSE;
      while (p < end && (g_ascii_isspace (*p) || *p == '\v'))
        p++;
      for (const char *w = words[i]; *w != '\0'; w++, p++)
        {
          if (p >= end)
            return FALSE;
          if ((guchar) *p >= 0x80)
            return TRUE;
          if (g_ascii_tolower (*p) != *w)
            return FALSE;
        }
    }
  return TRUE;
}

/* Whether "SMTP Server <" may end at the '<' at p, in [from, p]: blanks
 * before it, then "server" (its 's' maybe U+017F, which matches it
 * caseless); TRUE too where a byte outside ASCII makes it undecided
 * (another script's blank). */
static gboolean
server_may_end_at (const char *from,
                   const char *p)
{
  const char *q = p;

  while (q > from && (g_ascii_isspace (q[-1]) || q[-1] == '\v'))
    q--;
  if (q > from && (guchar) q[-1] >= 0x80)
    return TRUE;
  if (q == p || q - from < 6 || g_ascii_strncasecmp (q - 5, "erver", 5) != 0)
    return FALSE;
  return (q[-6] | 0x20) == 's' || (q - from >= 7 && (guchar) q[-7] == 0xc5 && (guchar) q[-6] == 0xbf);
}

/* Which alternatives of remote_host_pattern may match in [from, length),
 * tested without them (alive: one byte each); whether any may.  Each test
 * is a condition of its alternative's matches: the first two need a '['
 * before an address's first character (and the second "did not like
 * our"), the next two "remote server at" and "while talking to" ("remote",
 * "while" and "did" are letters whose case partners are ASCII alone,
 * unlike k and s; what follows them is tested by words_may_follow()), the
 * two after them a '#' before a code or a '<', the next "remote server
 * returned", then "server <", the last Gmail's and qmail's own words.  A
 * text without them is spared compiling and running the pattern; one with
 * some, the others. */
static gboolean
remote_host_alternatives (const char *text,
                          gsize       length,
                          gsize       from,
                          guint8     *alive)
{
  static const char * const server_at[] = { "server", "at", NULL };
  static const char * const server_returned[] = { "server", "returned", NULL };
  static const char * const talking_to[] = { "talking", "to", NULL };
  static const char * const not_like_our[] = { "not", "like", "our", NULL };
  static const char * const words[] = {
    [REMOTE_HOST_GMAIL] = "rejected by the server for the recipient domain ",
    [REMOTE_HOST_QMAIL_NOT_LIKE] = " does not like recipient.",
    [REMOTE_HOST_QMAIL_CONNECTED] = "Connected to ",
    [REMOTE_HOST_QMAIL_GIVING_UP] = "Giving up on ",
  };
  const char *start = text + from;
  const char *end = text + length;
  gboolean any = FALSE;

  memset (alive, 0, REMOTE_HOST_N_ALTERNATIVES);
  for (const char *p = memchr (start, '[', end - start); p != NULL && p + 1 < end;
       p = memchr (p + 1, '[', end - (p + 1)))
    if (g_ascii_isxdigit (p[1]) || p[1] == '.' || p[1] == ':')
      {
        alive[REMOTE_HOST_BRACKETS] = 1;
        break;
      }
  /* (memmem(): g_strstr_len() compares at each byte, which cost more
   * than the rest of this test and the search together) */
  for (guint i = REMOTE_HOST_GMAIL; i < REMOTE_HOST_N_ALTERNATIVES; i++)
    alive[i] = memmem (start, end - start, words[i], strlen (words[i])) != NULL;
  for (const char *p = memchr (start, '<', end - start); p != NULL && p + 1 < end;
       p = memchr (p + 1, '<', end - (p + 1)))
    if (server_may_end_at (start, p))
      {
        alive[REMOTE_HOST_SMTP_SERVER] = 1;
        break;
      }
  for (const char *p = memchr (start, '#', end - start); p != NULL && p + 1 < end;
       p = memchr (p + 1, '#', end - (p + 1)))
    {
      alive[REMOTE_HOST_HASH_REPLY] |= p[1] == '<' || p[1] == '4' || p[1] == '5';
      alive[REMOTE_HOST_HASH_FRAME] |= p[1] == '2' || p[1] == '4' || p[1] == '5';
    }
  for (const char *p = start; p < end; p++)
    {
      gsize left = end - p;

      if ((*p | 0x20) == 'r' && left >= 6 && g_ascii_strncasecmp (p, "remote", 6) == 0)
        {
          alive[REMOTE_HOST_SERVER_AT] |= words_may_follow (p + 6, end, server_at);
          alive[REMOTE_HOST_SERVER_RETURNED] |= words_may_follow (p + 6, end, server_returned);
        }
      else if ((*p | 0x20) == 'w' && left >= 5 && g_ascii_strncasecmp (p, "while", 5) == 0)
        alive[REMOTE_HOST_TALKING_TO] |= words_may_follow (p + 5, end, talking_to);
      else if ((*p | 0x20) == 'd' && alive[REMOTE_HOST_BRACKETS] && left >= 3 && g_ascii_strncasecmp (p, "did", 3) == 0)
        alive[REMOTE_HOST_DID_NOT_LIKE] |= words_may_follow (p + 3, end, not_like_our);
    }
  for (guint i = 0; i < REMOTE_HOST_N_ALTERNATIVES; i++)
    any |= alive[i];
  return any;
}

/* The search for remote_host_pattern's matches in text[from, length), or
 * NULL when the quick test finds that the text holds none: one test of the
 * text for any number of matches. */
static BounceAlternationIter *
remote_host_iter_new (const char *text,
                      gsize       length,
                      gsize       from)
{
  guint8 alive[REMOTE_HOST_N_ALTERNATIVES];

  if (text == NULL || from >= length || !remote_host_alternatives (text, length, from, alive))
    return NULL;
  return bounce_alternation_iter_new (remote_host_alternation (), text, from, length, alive);
}

gboolean
bounce_find_remote_host (const char  *text,
                         gsize        length,
                         gsize        from,
                         gsize       *start,
                         gsize       *end,
                         char       **host)
{
  g_autoptr(BounceAlternationIter) iter = remote_host_iter_new (text, length, from);
  BounceSpan match, group;

  /* (the server's name is never empty) */
  if (iter == NULL || !bounce_alternation_iter_next_group (iter, &match, &group) || group.end <= group.start)
    return FALSE;
  *start = group.start;
  *end = group.end;
  if (host != NULL)
    *host = g_ascii_strdown (text + group.start, group.end - group.start);
  return TRUE;
}

GArray *
bounce_find_remote_hosts (const char *text,
                          gsize       length,
                          gsize       from)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (BounceSpan));
  /* (one iterator for all of them: a report that names a thousand servers
   * is not tested again from each) */
  g_autoptr(BounceAlternationIter) iter = remote_host_iter_new (text, length, from);
  BounceSpan match, group;

  while (iter != NULL && bounce_alternation_iter_next_group (iter, &match, &group) && group.end > group.start)
    g_array_append_val (spans, group);
  return spans;
}

static char *
remote_host_in (const char *text)
{
  gsize start, end;
  char *host = NULL;

  if (text == NULL)
    return NULL;
  bounce_find_remote_host (text, bounce_utf8_cut (text, BOUNCE_BLOCK_LIMIT), 0, &start, &end, &host);
  return host;
}

/* Whether text[0, length) holds word (lower case ASCII) in any case. */
static gboolean
contains_caseless (const char *text,
                   gsize       length,
                   const char *word)
{
  gsize n = strlen (word);

  for (const char *p = text; p + n <= text + length; p++)
    if ((*p | 0x20) == word[0] && g_ascii_strncasecmp (p, word, n) == 0)
      return TRUE;
  return FALSE;
}

/* The server a lone recipient's notification talked to, in Sendmail's
 * transcript of the session ("----- Transcript of session follows -----",
 * then "... while talking to mx.example.net.:" over the commands and
 * replies): the recipient's remote server when the notification names no
 * other recipient.  Only that form is read from the whole notification;
 * the others may name servers of a returned message's Received fields. */
static char *
transcript_host (const char *text,
                 gsize       length)
{
  g_autoptr(GArray) spans = NULL;

  length = bounce_utf8_cut (text, MIN (length, (gsize) 64 * 1024));
  /* (only "talking to" counts here: a notification without the word is
   * spared the pattern, which otherwise runs over all of it) */
  if (!contains_caseless (text, length, "talking"))
    return NULL;
  spans = bounce_find_remote_hosts (text, length, 0);
  for (guint i = 0; i < spans->len; i++)
    {
      const BounceSpan *span = &g_array_index (spans, BounceSpan, i);
      const char *p = text + span->start;

      /* "talking to " right before the name */
      while (p > text && g_ascii_isspace (p[-1]))
        p--;
      if (p - text >= 2 && g_ascii_strncasecmp (p - 2, "to", 2) == 0)
        {
          p -= 2;
          while (p > text && g_ascii_isspace (p[-1]))
            p--;
          if (p - text >= 7 && g_ascii_strncasecmp (p - 7, "talking", 7) == 0)
            return g_ascii_strdown (text + span->start, span->end - span->start);
        }
    }
  return NULL;
}

/* The provider whose replies a recipient's own domain selects, as
 * Sisimai v5.1.0's dispatch picks a provider table by the recipient's
 * domain as well as by the remote host: a domain selects a table when it
 * is part of one of the host names that table is for (lib/Sisimai/Rhost.pm
 * at v5.1.0: "cox.net" and "charter.net" whole, "qq.com" in ".qq.com",
 * "docomo.ne.jp" in "mfsmax.docomo.ne.jp", "au.com" in "msmx.au.com").
 * Each host name is given with our provider it belongs to. */
static const struct {
  const char *host;
  const char *provider;
} destination_hosts[] = {
  { ".mail.icloud.com", "apple" },
  { ".apple.com", "apple" },
  { ".me.com", "apple" },
  { "cox.net", "cox" },
  { ".laposte.net", "laposte" },
  { ".orange.fr", "orange" },
  { ".wanadoo.fr", "orange" },
  { "smtp.secureserver.net", "godaddy" },
  { "mailstore1.secureserver.net", "godaddy" },
  { "aspmx.l.google.com", "google" },
  { "gmail-smtp-in.l.google.com", "google" },
  { ".email.ua", "iua" },
  { ".ezweb.ne.jp", "kddi" },
  { "msmx.au.com", "kddi" },
  { ".prod.outlook.com", "microsoft" },
  { ".protection.outlook.com", "microsoft" },
  { ".mimecast.com", "mimecast" },
  { "mfsmax.docomo.ne.jp", "nttdocomo" },
  { "charter.net", "spectrum" },
  { ".qq.com", "tencent" },
  { ".yahoodns.net", "yahoo-mx" },
};

static const char *
destination_provider (const char *address)
{
  const char *at = address != NULL ? strrchr (address, '@') : NULL;
  const char *domain = at != NULL ? at + 1 : NULL;

  /* (a domain with a dot: a bare label is part of too many host names) */
  if (domain == NULL || strchr (domain, '.') == NULL)
    return NULL;
  /* The host name's last labels only: Sisimai looks for the domain
   * anywhere in the host name, so "ud.com" would select
   * ".mail.icloud.com", a domain that is no part of that host. */
  for (guint i = 0; i < G_N_ELEMENTS (destination_hosts); i++)
    {
      const char *host = destination_hosts[i].host;
      gsize hl = strlen (host), dl = strlen (domain);

      if (dl <= hl && g_ascii_strcasecmp (host + hl - dl, domain) == 0 && (dl == hl || host[hl - dl - 1] == '.'))
        return destination_hosts[i].provider;
    }
  return NULL;
}

void
bounce_evidence_gather (BounceMessageContext *ctx,
                        BounceFact           *fact,
                        BounceEvidence       *ev)
{
  g_autofree char *talked_to = NULL;

  memset (ev, 0, sizeof *ev);
  ev->diagnostic = choose_diagnostic (fact);
  ev->context = rules_context (fact, ev->diagnostic);
  /* (a pasted Sendmail notification's transcript stands in for the
   * Remote-MTA field the whole message would have) */
  if (fact->remote_mta == NULL && ctx->n_recipients <= 1)
    talked_to = transcript_host (ctx->notification->str, ctx->notification->len);
  /* Which provider refused it: the remote server's, else the recipient's
   * domain's, else the bounce's. */
  ev->provider = bounce_catalogue_detect_provider (ctx->catalogue,
                                                   fact->remote_mta != NULL ? fact->remote_mta : talked_to);
  if (ev->provider == NULL)
    ev->provider = bounce_catalogue_detect_provider (ctx->catalogue, ev->context->str);
  /* (else the one the recipient's domain names, before the bounce's) */
  if (ev->provider == NULL)
    ev->provider = destination_provider (fact->address);
  if (ev->provider == NULL)
    {
      ev->provider = ctx->provider;
      ev->provider_of_bounce = ev->provider != NULL && !ctx->provider_reports;
    }
  read_codes (ctx, fact, ev);
  ev->status = decide_status (fact, ev);
  ev->said = server_said (fact, ev);
  ev->remote_host = fact->remote_mta != NULL ? g_strdup (fact->remote_mta) : remote_host_in (fact->text);
  if (ev->remote_host == NULL)
    ev->remote_host = remote_host_in (fact->said);
  /* (a report's own words in its Diagnostic-Code may name it too) */
  if (ev->remote_host == NULL && diagnostic_in_own_words (fact))
    ev->remote_host = remote_host_in (fact->reply);
  if (ev->remote_host == NULL)
    ev->remote_host = g_steal_pointer (&talked_to);
}

void
bounce_evidence_clear (BounceEvidence *ev)
{
  g_clear_pointer (&ev->diagnostic, g_free);
  g_clear_pointer (&ev->said, g_free);
  g_clear_pointer (&ev->remote_host, g_free);
  g_clear_pointer (&ev->reply, g_free);
  g_clear_pointer (&ev->enhanced, g_free);
  if (ev->context != NULL)
    g_string_free (ev->context, TRUE);
  ev->context = NULL;
}
