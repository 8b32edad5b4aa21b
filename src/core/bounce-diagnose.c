/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "bounce-diagnose.h"
#include "bounce-extract.h"
#include "bounce-formats.h"

/* How much text after a recipient line belongs to it at most. */
#define MAX_BLOCK 4096
/* How much diagnostic text a recipient keeps for display. */
#define MAX_DIAGNOSTIC 1000

typedef struct {
  char *address;          /* lower-case, or NULL */
  GString *block;         /* text found for it in the notification */
  gsize start;            /* byte range of its first block */
  gsize end;
  /* from the delivery-status fields */
  char *status;
  char *action;
  char *remote_mta;
  char *dsn_diagnostic;
  char *last_attempt;
  char *will_retry;
  /* from a recogniser of the reporting server's layout */
  char *layout_reason;    /* a reason the layout states in its own words */
  char *layout_status;    /* a status code the layout gives ("#5.1.1") */
  char *layout_diagnostic; /* the layout's own line for the recipient */
  const char *pseudo_reason; /* the layout's convention for a pseudo status */
  BounceSmtpCommand command; /* what the failing reply answered, when shown */
  /* Flags, packed: an mbox of many reports holds one of these per
   * recipient. */
  guint has_range : 1;
  guint from_dsn : 1;
  guint from_layout : 1;  /* found by a recogniser, which shows the failed
                           * command whenever the server reported one */
  guint command_unknown : 1; /* ... unless its layout never shows it */
  guint retried : 1;      /* the layout says it retried until it gave up */
  guint whole_notification : 1; /* no text of its own: the block is all of
                                 * the notification */
} Candidate;

static void
candidate_free (Candidate *c)
{
  g_free (c->address);
  if (c->block)
    g_string_free (c->block, TRUE);
  g_free (c->status);
  g_free (c->action);
  g_free (c->remote_mta);
  g_free (c->dsn_diagnostic);
  g_free (c->last_attempt);
  g_free (c->will_retry);
  g_free (c->layout_reason);
  g_free (c->layout_status);
  g_free (c->layout_diagnostic);
  g_free (c);
}

typedef struct {
  GHashTable *keys;         /* recipient_key() of the report's recipients */
  guint n_indexed;          /* how many of them are in keys */
} Reported;

typedef struct {
  BounceReport *report;
  BounceCatalogue *catalogue;
  BounceInput *input;
  const char *text;
  guint message_index;
  BounceMessage *message;   /* NULL for pasted fragments */
  const char *sender;       /* lower-case address the bounce went to (the original sender) */
  GString *notification;    /* all notification text of the message */
  gboolean delay_notice;    /* a warning that delivery is still being tried */
  gboolean temporary_words; /* the notification speaks of a temporary failure or a delay */
  gboolean delay_words;     /* ... of a delay, in a warning's own words */
  gboolean delay_subject;   /* ... and its Subject says so */
  char *provider;           /* where the bounce comes from */
  Reported *reported;       /* shared by all messages */
  guint seg_begin;          /* the message's segments: [seg_begin, seg_end) */
  guint seg_end;
} Context;

static const struct {
  const char *reason;
  const char *permanent;
  const char *temporary;
} pseudo_codes[] = {
  /* Sisimai's internal codes: what a bounce without an enhanced code is
   * reported as, so our output compares with the reference parsers. */
  { "blocked",         "5.0.971", "4.0.971" },
  { "contenterror",    "5.0.960", "4.0.960" },
  { "exceedlimit",     "5.0.923", "5.0.923" },
  { "expired",         "5.0.947", "4.0.947" },
  { "filtered",        "5.0.910", "4.0.924" },
  { "hasmoved",        "5.0.916", "5.0.916" },
  { "hostunknown",     "5.0.912", "5.0.912" },
  { "mailboxfull",     "5.0.922", "4.0.922" },
  { "mailererror",     "5.0.939", "5.0.939" },
  { "mesgtoobig",      "5.0.934", "5.0.934" },
  { "networkerror",    "5.0.944", "4.0.944" },
  { "norelaying",      "5.0.909", "5.0.909" },
  { "notaccept",       "5.0.932", "4.0.932" },
  { "onhold",          "5.0.901", "4.0.901" },
  { "policyviolation", "5.0.972", "5.0.972" },
  { "rejected",        "5.0.918", "4.0.918" },
  { "securityerror",   "5.0.970", "4.0.970" },
  { "spamdetected",    "5.0.980", "4.0.980" },
  { "suspend",         "5.0.921", "5.0.921" },
  { "systemerror",     "5.0.930", "4.0.930" },
  { "systemfull",      "5.0.931", "4.0.931" },
  { "syntaxerror",     "5.0.902", "5.0.902" },
  { "toomanyconn",     "5.0.945", "4.0.945" },
  { "userunknown",     "5.0.911", "5.0.911" },
  { "undefined",       "5.0.900", "4.0.900" },
  { "virusdetected",   "5.0.971", "5.0.971" },
  { "speeding",        "4.0.945", "4.0.945" },
  { "badreputation",   "5.0.971", "4.0.971" },
  { "requireptr",      "5.0.973", "4.0.973" },
  { "authfailure",     "5.0.970", "4.0.970" },
  { "notcompliantrfc", "5.0.960", "4.0.960" },
};

const char *
bounce_reason_pseudo_status (const char *reason,
                             gboolean    temporary)
{
  for (guint i = 0; i < G_N_ELEMENTS (pseudo_codes); i++)
    if (g_strcmp0 (pseudo_codes[i].reason, reason) == 0)
      return temporary ? pseudo_codes[i].temporary : pseudo_codes[i].permanent;
  return NULL;
}

gboolean
bounce_reason_is_hard (const char       *reason,
                       BouncePermanence  permanence)
{
  if (g_strcmp0 (reason, "userunknown") == 0 ||
      g_strcmp0 (reason, "hostunknown") == 0 ||
      g_strcmp0 (reason, "hasmoved") == 0)
    return TRUE;
  return g_strcmp0 (reason, "notaccept") == 0 && permanence == BOUNCE_PERMANENCE_PERMANENT;
}

/* ------------------------------------------------------------------ */
/* Patterns, compiled once                                              */

typedef enum {
  RE_RCPT_CONTEXT,
  RE_LIST_INTRO,
  RE_SENDER_INTRO,
  RE_CODE_PREFIX,
  RE_HEADERISH,
  RE_BOUNCE_SUBJECT,
  RE_BOUNCE_FROM,
  RE_AUTOREPLY_SUBJECT,
  RE_DAEMON_ADDRESS,
  RE_REMOTE_HOST_IP,
  RE_PERMANENT_WORDS,
  RE_TEMPORARY_WORDS,
  RE_ERROR_WORDS,
  RE_LOOSE_REPLY,
  RE_DELAY_SUBJECT,
  RE_QUOTED_REPLY,
  RE_ATTEMPT_REPLY,
  RE_DELAY_WORDS,
  N_RE
} PatternId;

/* What a delay warning says of itself: "will be retried", "has not yet
 * been delivered", "This is only a notification about a delay". */
#define DELAY_WORDS \
  "will\\s+(?:be\\s+)?(?:retry|retried|try\\s+again|keep\\s+trying|continue\\s+trying)|" \
  "has\\s+not\\s+(?:yet\\s+)?been\\s+delivered|not\\s+yet\\s+(?:been\\s+)?(?:delivered|received)|still\\s+trying|" \
  "delivery\\s+(?:has\\s+been\\s+)?delayed|this\\s+is\\s+(?:only\\s+)?a\\s+warning|" \
  "notification\\s+about\\s+a\\s+delay|delay(?:ed)?\\s+(?:warning|notification)"

static const char * const pattern_sources[N_RE] = {
  /* An address is a recipient when the line says so. */
  [RE_RCPT_CONTEXT] =
    "(?:RCPT\\s{0,3}TO\\s{0,3}:?|"
    "(?:failed\\s+|unknown\\s+|invalid\\s+|original\\s+|final\\s+|bad\\s+)?recipient(?:s|\\(s\\))?"
    "(?:\\s+address(?:es)?)?\\s{0,3}[:=]?|address(?:es)?\\s*:|user\\s*:|mailbox\\s*:?|"
    "\\b(?:deliver\\w*|sen[dt]\\w*|message|mail|e-?mail|forward\\w*|relay\\w*|reach)\\b[^\\n@]{0,40}\\b(?:to|for)\\s*:?)"
    "[\\s<\"'(\\[]{0,4}$",
  /* A line that lists failed addresses ends like this. */
  [RE_LIST_INTRO] =
    "(?:recipient(?:s|\\(s\\))?|address(?:es|\\(es\\))?|user(?:s|\\(s\\))?|mailbox(?:es)?|errors?|"
    "following|failed|problems?|delivered\\s+to|destination|follow)\\s*[-:]*\\s*[-|=*]*\\s*$|"
    /* "The following recipients have not yet received your message:" */
    "following\\s+(?:recipients?|recipient\\(s\\)|addresses|address\\(es\\)|users?)\\b[^:]{0,80}:\\s*$",
  /* "A message sent by" / "from": the next address is the sender. */
  [RE_SENDER_INTRO] =
    "(?:sent\\s+by|from|sender|envelope\\s+from|return-path)\\s*:?\\s*$",
  /* A Sendmail-style line "554 <a@b>... reason". */
  [RE_CODE_PREFIX] =
    "^\\s{0,8}[45]\\d\\d[ -]?\\s{0,2}[<\"]?$",
  /* A header-like line inside text that names the sender side, not a recipient. */
  [RE_HEADERISH] =
    "^\\s{0,4}(?:from|reply-to|return-path|sender|message-id|in-reply-to|references|"
    "x-[a-z0-9-]+|received|envelope-from|mail\\s+from|>>>\\s*mail\\s+from|"
    "reporting-mta|received-from-mta|arrival-date|date|subject|to|cc|bcc|delivered-to)\\s*:",
  [RE_BOUNCE_SUBJECT] =
    "undeliver|undelivered|delivery\\s+(?:status|fail|notification|report|problem|has\\s+failed)|"
    "failure\\s+notice|returned\\s+mail|mail\\s+delivery|non.?deliver|nondeliver|could\\s+not\\s+be\\s+delivered|"
    "not\\s+delivered|delivery\\s+error|bounced?\\b|rejected|mail\\s+system\\s+error|warning:\\s*message|"
    "delayed\\s+mail|delivery\\s+delayed|message\\s+delayed|delivery\\s+delay|couldn't\\s+be\\s+delivered|"
    "unzustellbar|nicht\\s+zustellbar|retorno\\s+de\\s+mensagem|non\\s+remis|error\\s+sending|"
    "delivery\\s+to\\s+the\\s+following|permanent\\s+error|failed\\s+delivery|unable\\s+to\\s+deliver|"
    "mail\\s+failed|return(?:ed|ing)\\s+to\\s+sender",
  [RE_BOUNCE_FROM] =
    "mailer-daemon|postmaster|mail\\s+delivery|mail\\s+administrator|delivery\\s+subsystem|"
    "mailerdaemon|mdaemon|mail\\s+system|bounce|no-?reply|daemon|nobody",
  [RE_AUTOREPLY_SUBJECT] =
    "^(?:auto(?:matic)?[ -]?(?:reply|response|antwort|r[ée]ponse)|out\\s+of\\s+(?:the\\s+)?office|"
    "vacation|away|abwesen|absence|holiday|on\\s+leave|autoreply|auto:)|"
    "\\bout\\s+of\\s+(?:the\\s+)?office\\b|\\bauto(?:matic)?[ -]reply\\b|\\bvacation\\b",
  [RE_DAEMON_ADDRESS] =
    "^(?:mailer-daemon|mail-daemon|mailerdaemon|double-bounce|mdaemon)(?:[+-][^@]*)?@",
  /* "host mx.example.com[192.0.2.1]" / "remote host 192.0.2.1 said": the
   * receiving server's address, not one to look up in a blocklist. */
  [RE_REMOTE_HOST_IP] =
    "(?:host|server|mta|mx|relay|said|from)\\s*[^\\s\\[\\]]{0,255}\\s*\\[?\\s*$",
  [RE_PERMANENT_WORDS] =
    "permanent(?:ly)?\\s+(?:error|fail|fatal)|this\\s+is\\s+a\\s+permanent|fatal\\s+error|"
    "i've\\s+given\\s+up|permanent\\s+fatal|failed\\s+permanently",
  [RE_TEMPORARY_WORDS] =
    "temporar(?:y|ily)\\s+(?:error|failure|problem|unavailable|deferred|rejected)|" DELAY_WORDS,
  [RE_ERROR_WORDS] =
    "\\b(?:user\\s+unknown|unknown\\s+(?:user|host|domain|address|recipient)|does\\s+not\\s+exist|no\\s+such|not\\s+found|rejected|refused|denied|"
    "blocked|blacklisted|listed|quota|full|undeliverable|could\\s+not\\s+be\\s+delivered|failed|failure|"
    "unavailable|not\\s+allowed|spam|invalid|disabled|suspended|timed?\\s*out|error)\\b",
  /* Inside a recipient's own diagnostic, a reply code needs less context:
   * "...after initial connection: 550 Access denied", "server message 550 unknown user". */
  [RE_LOOSE_REPLY] =
    "(?:^|[\\s:;(\\[>=#-])([45][0-5][0-9])(?:[ -]{1,2}(?=[A-Za-z#<(\\[])|\\s*$)",
  [RE_DELAY_SUBJECT] =
    "\\b(?:delay(?:ed)?|warning|still\\s+trying|not\\s+yet\\s+delivered|will\\s+retry|transient)\\b",
  /* A remote reply quoted whole in angle brackets after the reporting
   * server's own verdict: "...in 840 minutes.<421 4.4.2 Connection timed out>" */
  [RE_QUOTED_REPLY] =
    "[.:;]\\s{0,3}<([45][0-5][0-9])[ -]([245]\\.[0-9]{1,3}\\.[0-9]{1,3})\\s[^<>\\n]{1,300}>",
  /* What only a delay warning says of itself (a reply's "temporarily
   * deferred" is a temporary error, not a warning). */
  [RE_DELAY_WORDS] = DELAY_WORDS,
  /* Exchange's history of attempts: "Remote Server at host (IP) returned
   * '441 4.4.1 Error encountered ...'", newest first. */
  [RE_ATTEMPT_REPLY] =
    "\\breturned\\s{1,3}'(([45][0-5][0-9])[ -]([45]\\.[0-9]{1,3}\\.[0-9]{1,3})\\s[^']{1,600})'",
};

static GRegex *patterns[N_RE];

static void
compile_patterns (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint i = 0; i < N_RE; i++)
        {
          g_autoptr(GError) error = NULL;
          GRegexCompileFlags flags = G_REGEX_OPTIMIZE | G_REGEX_CASELESS;

          if (i == RE_RCPT_CONTEXT || i == RE_LOOSE_REPLY || i == RE_LIST_INTRO || i == RE_SENDER_INTRO || i == RE_HEADERISH || i == RE_REMOTE_HOST_IP ||
              i == RE_AUTOREPLY_SUBJECT || i == RE_DAEMON_ADDRESS)
            flags |= G_REGEX_MULTILINE;
          patterns[i] = g_regex_new (pattern_sources[i], flags, G_REGEX_MATCH_DEFAULT, &error);
          if (patterns[i] == NULL)
            g_error ("Internal pattern %u does not compile: %s", i, error->message);
        }
      g_once_init_leave (&done, 1);
    }
}

static gboolean
re_match (PatternId   id,
          const char *text)
{
  if (text == NULL)
    return FALSE;
  return g_regex_match (patterns[id], text, 0, NULL);
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */

static const char *
header (Context    *ctx,
        const char *name)
{
  if (ctx->message == NULL)
    return NULL;
  return bounce_fields_lookup (ctx->message->headers, name);
}

/* The bare address in a header or field value such as
 * "Cat <a@b.example>" or "rfc822; a@b.example"; lower-case. */
static char *
address_from_value (const char *value)
{
  return bounce_extract_address (value, -1, 0, NULL, NULL);
}

static gboolean
is_enhanced_at (const char *s,
                gsize      *len)
{
  gsize i = 0, d;

  if (!(s[0] == '2' || s[0] == '4' || s[0] == '5') || s[1] != '.')
    return FALSE;
  i = 2;
  for (d = 0; g_ascii_isdigit (s[i]) && d < 3; d++)
    i++;
  if (d == 0 || s[i] != '.')
    return FALSE;
  i++;
  for (d = 0; g_ascii_isdigit (s[i]) && d < 3; d++)
    i++;
  if (d == 0 || s[i] != ' ')
    return FALSE;
  *len = i + 1;
  return TRUE;
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
  gsize enh_len = 0;
  char enh[16] = "";
  gsize i;
  g_autoptr(GString) joined = NULL;

  for (i = 0; i + 4 <= out->len; i++)
    if ((i == 0 || out->str[i - 1] == ' ') && g_ascii_isdigit (out->str[i]) &&
        g_ascii_isdigit (out->str[i + 1]) && g_ascii_isdigit (out->str[i + 2]) && out->str[i + 3] == '-')
      {
        first = i;
        break;
      }
  if (first == G_MAXSIZE)
    return;
  memcpy (code, out->str + first, 3);
  code[3] = '\0';
  if (is_enhanced_at (out->str + first + 4, &enh_len) && enh_len < sizeof enh)
    {
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
          if (k + 4 <= out->len && strncmp (out->str + k, code, 3) == 0 &&
              (out->str[k + 3] == '-' || (out->str[k + 3] == ' ' && enh_len > 0)))
            {
              end = k + 4;
              if (enh_len == 0 || strncmp (out->str + end, enh, enh_len) == 0)
                {
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

static char *
collapse_space (const char *s,
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

/* An MTA's note on where the address came from, between the address and
 * the reason: Postfix "(expanded from <a@b>)", Exim "(generated from a@b)"
 * and "(ultimately generated from a@b)". */
static const char * const address_notes[] = {
  "(expanded from ", "(generated from ", "(ultimately generated from ", NULL
};

/* A recipient's block of text starts right after the address, so it can
 * begin with the rest of the address's own markup: "<a@b>: reason",
 * "\"a@b\":", "to <a@b>.", "a@b<mailto:a@b>", an alias note.  Returns how
 * many bytes of that to skip, so the diagnostic starts at the server's
 * words.  Closing marks count only right after the address (a quote on the
 * next line opens the reason), and the white space after the markup stays:
 * collapse_space() drops it, and a block of white space alone still says
 * that the recipient's line was there. */
static gsize
skip_address_remainder (const char *s,
                        gsize       len)
{
  gsize i = 0;

  if (len > 8 && g_ascii_strncasecmp (s, "<mailto:", 8) == 0)
    {
      const char *close = memchr (s, '>', len);

      if (close != NULL && memchr (s, '\n', close - s) == NULL)
        i = close - s + 1;
    }
  while (i < len && s[i] != '\0' && strchr (">\"')]", s[i]) != NULL)
    i++;
  for (;;)
    {
      gboolean note = FALSE;
      gsize j = i, n;

      while (j < len && g_ascii_isspace (s[j]))
        j++;
      if (j < len && s[j] != '\0' && strchr (":;,.", s[j]) != NULL)
        {
          i = j + 1;
          continue;
        }
      if (j >= len || s[j] != '(')
        break;
      for (guint k = 0; address_notes[k] != NULL && !note; k++)
        {
          gsize klen = strlen (address_notes[k]);

          note = len - j > klen && g_ascii_strncasecmp (s + j, address_notes[k], klen) == 0;
        }
      for (n = j; n < len && s[n] != ')' && s[n] != '\n'; n++)
        ;
      if (!note || n >= len || s[n] != ')')
        break;
      i = n + 1;
    }
  /* Exchange: "bob@example.net on 1/1/2010 10:00 AM" or "... on Mon, 1 Jan
   * 2001 10:00:05 +0100": when the attempt was made, not what went wrong */
  {
    gsize j = i;

    while (j < len && (s[j] == ' ' || s[j] == '\t'))
      j++;
    if (j > i && len - j > 4 && g_ascii_strncasecmp (s + j, "on ", 3) == 0 &&
        (g_ascii_isdigit (s[j + 3]) || (g_ascii_isupper (s[j + 3]) && len - j > 6 &&
                                        g_ascii_islower (s[j + 4]) && g_ascii_islower (s[j + 5]) &&
                                        (s[j + 6] == ',' || s[j + 6] == ' '))))
      {
        const char *nl = memchr (s + j, '\n', len - j);

        i = nl != NULL ? (gsize) (nl - s) : len;
      }
  }
  return i;
}

/* Strips "smtp;" / "X-Postfix;" style type prefixes of DSN values. */
static const char *
skip_type_prefix (const char *value)
{
  const char *semi;

  if (value == NULL)
    return NULL;
  semi = strchr (value, ';');
  if (semi != NULL && semi - value < 20)
    {
      gboolean word = TRUE;

      for (const char *p = value; p < semi; p++)
        if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == ' '))
          word = FALSE;
      if (word)
        {
          value = semi + 1;
          while (g_ascii_isspace (*value))
            value++;
        }
    }
  return value;
}

static gboolean
is_enhanced_code (const char *s)
{
  g_auto(GStrv) parts = NULL;

  if (s == NULL || !strchr ("245", s[0]) || s[0] == '\0' || s[1] != '.')
    return FALSE;
  parts = g_strsplit (s, ".", -1);
  if (g_strv_length (parts) != 3)
    return FALSE;
  for (guint i = 1; i < 3; i++)
    {
      gsize n = strlen (parts[i]);

      if (n == 0 || n > 3)
        return FALSE;
      for (gsize j = 0; j < n; j++)
        if (!g_ascii_isdigit (parts[i][j]))
          return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Finding recipients in the notification text                          */

static gboolean
is_ignored_address (Context    *ctx,
                    const char *address)
{
  if (address == NULL)
    return TRUE;
  if (ctx->sender != NULL && g_str_equal (address, ctx->sender))
    return TRUE;
  return re_match (RE_DAEMON_ADDRESS, address);
}

static Candidate *
find_candidate (GPtrArray  *candidates,
                const char *address)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = candidates->pdata[i];

      if (g_strcmp0 (c->address, address) == 0)
        return c;
    }
  return NULL;
}

typedef struct {
  char *address;
  gsize line_start;   /* where its block begins */
  gsize block_start;  /* after the address itself */
} RecipientLine;

static void
recipient_line_clear (RecipientLine *r)
{
  g_free (r->address);
}

/* Is the address on this line a failed recipient?  True when the line is
 * just the address (the layout of Exim, qmail, Sendmail and Exchange), when
 * it starts a Postfix-style "<address>: reason" line, or when the words
 * before it say so ("RCPT TO:", "delivery to", "recipient:" ...). */
static gboolean
line_names_recipient (const char *line,
                      gsize       line_len,
                      gsize       addr_start,
                      gsize       addr_end,
                      const char *previous)
{
  g_autofree char *before = g_strndup (line, addr_start);
  g_autofree char *after = g_strndup (line + addr_end, line_len - addr_end);
  const char *b = before;
  const char *a = after;
  gboolean only_punct_before = TRUE;
  gboolean only_punct_after = TRUE;

  if (re_match (RE_HEADERISH, before))
    return FALSE;
  if (re_match (RE_CODE_PREFIX, before))
    return TRUE;
  for (; *b; b++)
    if (!(g_ascii_isspace (*b) || strchr ("<\"'*-:;>[(•", *b)))
      only_punct_before = FALSE;
  {
    g_autofree char *lower = g_ascii_strdown (before, -1);

    if (g_str_has_suffix (g_strstrip (lower), "rfc822;"))
      only_punct_before = TRUE;
  }

  if (only_punct_before && previous != NULL && re_match (RE_SENDER_INTRO, previous))
    return FALSE;

  /* what follows: nothing, ":", ">", "(...)", "<mailto:...>", " on <date>" */
  while (*a && (g_ascii_isspace (*a) || strchr (">\"':.,;", *a)))
    a++;
  if (*a != '\0' && *a != '(' && *a != '<' && *a != '[' &&
      g_ascii_strncasecmp (a, "on ", 3) != 0)
    only_punct_after = FALSE;

  if (only_punct_before && only_punct_after)
    return TRUE;
  /* Postfix: "<a@b>: host x said: ..." and "a@b: reason" */
  if (only_punct_before && line[addr_end] != '\0' &&
      (strncmp (line + addr_end, ">:", 2) == 0 || line[addr_end] == ':'))
    return TRUE;
  /* "a@b Invalid Address, ERROR_CODE :550" and lists introduced by
   * "...the following recipients:" */
  if (only_punct_before &&
      (re_match (RE_ERROR_WORDS, after) ||
       (previous != NULL && re_match (RE_LIST_INTRO, previous))))
    return TRUE;
  return re_match (RE_RCPT_CONTEXT, before);
}

static void
scan_text_range (Context   *ctx,
                 gsize      start,
                 gsize      end,
                 GArray    *lines)
{
  const char *text = ctx->text;
  gsize pos = start;
  g_autofree char *previous = NULL;

  while (pos < end)
    {
      const char *nl = memchr (text + pos, '\n', end - pos);
      gsize line_end = nl ? (gsize) (nl - text) : end;
      gsize line_len = line_end - pos;
      g_autofree char *line = NULL;

      if (line_len > 0 && line_len < 2000 && memchr (text + pos, '@', line_len) != NULL)
        {
          gsize s, e = 0;
          char *address;

          line = g_strndup (text + pos, line_len);
          while ((address = bounce_extract_address (line, line_len, e, &s, &e)) != NULL)
            {
              if (strchr (address, '.') != NULL && !is_ignored_address (ctx, address) &&
                  line_names_recipient (line, line_len, s, e, previous))
                {
                  RecipientLine r = { address, pos, pos + e };

                  g_array_append_val (lines, r);
                  break;
                }
              g_free (address);
            }
        }
      if (line_len > 0 && line_len < 2000)
        {
          g_autofree char *l = g_strndup (text + pos, line_len);

          if (*g_strstrip (l) != '\0')
            {
              g_free (previous);
              previous = g_steal_pointer (&l);
            }
        }
      pos = line_end + 1;
    }
}

/* Where the explanation ends in text[start, end): before a separator line
 * that introduces the returned message ("----- Original message -----",
 * "--- Below this line is a copy of the message.", "--- The header of the
 * original message is following. ---"), which is no part of it. */
static gsize
before_returned_message (const char *text,
                         gsize       start,
                         gsize       end)
{
  static const char * const words[] = {
    "original", "copy of the message", "unsent message", "message text follows",
  };
  gsize pos = start;

  while (pos < end)
    {
      const char *nl = memchr (text + pos, '\n', end - pos);
      gsize line_end = nl ? (gsize) (nl - text) : end;
      const char *p = text + pos;

      while (p < text + line_end && (*p == ' ' || *p == '\t' || *p == '|'))
        p++;
      if (text + line_end - p >= 3 && strchr ("-=", p[0]) != NULL && p[1] == p[0] && p[2] == p[0])
        {
          g_autofree char *line = g_ascii_strdown (p, text + line_end - p);

          for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
            if (strstr (line, words[i]) != NULL)
              return pos;
        }
      /* the same without a separator: "Possibly truncated original
       * message follows:", "Original message headers:", DragonFly's
       * "Message headers follow." */
      else if (pos > start && text + line_end - p < 80)
        {
          g_autofree char *line = g_ascii_strdown (p, text + line_end - p);

          if (strstr (line, "original message follows") != NULL ||
              g_str_has_prefix (line, "message headers follow") ||
              g_str_has_prefix (line, "original message headers") ||
              g_str_has_prefix (line, "original message:"))
            return pos;
        }
      pos = line_end + 1;
    }
  return end;
}

/* Recipients named in the notification text, each with the text that
 * follows it up to the next recipient. */
static GPtrArray *
text_candidates (Context *ctx)
{
  GPtrArray *candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  GPtrArray *segments = bounce_input_get_segments (ctx->input);
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (RecipientLine));
  g_autoptr(GArray) seg_end = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GHashTable) covered = g_hash_table_new (NULL, NULL);   /* Candidate -> end of its text so far */
  gsize scanned = 0;

  g_array_set_clear_func (lines, (GDestroyNotify) recipient_line_clear);

  for (guint i = ctx->seg_begin; i < ctx->seg_end; i++)
    {
      BounceSegment *seg = segments->pdata[i];
      gsize before = lines->len;

      if (seg->message_index != ctx->message_index || seg->kind != BOUNCE_SEGMENT_TEXT)
        continue;
      if (scanned >= BOUNCE_NOTIFICATION_LIMIT)
        break;
      scan_text_range (ctx, seg->start,
                       seg->start + bounce_utf8_cut (ctx->text + seg->start,
                                                     MIN (seg->end - seg->start, BOUNCE_NOTIFICATION_LIMIT - scanned)),
                       lines);
      scanned += seg->end - seg->start;
      for (gsize j = before; j < lines->len; j++)
        g_array_append_val (seg_end, seg->end);
    }

  for (guint i = 0; i < lines->len; i++)
    {
      RecipientLine *r = &g_array_index (lines, RecipientLine, i);
      gsize limit = g_array_index (seg_end, gsize, i);
      gsize block_end;
      gsize skip;
      Candidate *c;

      /* The block runs to the next line that names another recipient. */
      for (guint j = i + 1; j < lines->len; j++)
        {
          RecipientLine *next = &g_array_index (lines, RecipientLine, j);

          if (g_strcmp0 (next->address, r->address) != 0 && next->line_start < limit)
            {
              limit = next->line_start;
              break;
            }
        }
      block_end = r->block_start;
      if (limit > r->block_start)
        block_end += bounce_utf8_cut (ctx->text + r->block_start, MIN (limit - r->block_start, MAX_BLOCK));
      block_end = before_returned_message (ctx->text, r->block_start, block_end);

      c = find_candidate (candidates, r->address);
      if (c == NULL)
        {
          c = g_new0 (Candidate, 1);
          c->address = g_strdup (r->address);
          c->block = g_string_new (NULL);
          c->start = r->line_start;
          c->end = block_end;
          c->has_range = TRUE;
          g_ptr_array_add (candidates, c);
        }
      /* The address named again inside its own block ("... after RCPT
       * TO:<a@b>:") adds nothing the block does not hold already. */
      else if (r->line_start < GPOINTER_TO_SIZE (g_hash_table_lookup (covered, c)))
        continue;
      g_hash_table_insert (covered, c, GSIZE_TO_POINTER (block_end));
      if (c->block->len > 0)
        g_string_append_c (c->block, '\n');
      /* Keep the recipient line (minus the address) so "<a@b>: host x said:
       * 550 ..." keeps its codes. */
      skip = skip_address_remainder (ctx->text + r->block_start, block_end - r->block_start);
      g_string_append_len (c->block, ctx->text + r->block_start + skip,
                           block_end - r->block_start - skip);
    }
  return candidates;
}

/* Recipients found by a recogniser of the reporting server's layout:
 * each with the server's explanation and, when the layout shows them, the
 * failed SMTP command, a status code and the layout's own reason. */
static GPtrArray *
layout_candidates (Context *ctx)
{
  GPtrArray *candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  g_autoptr(GPtrArray) found = NULL;

  /* (a pasted fragment too: people paste the text their mail program
   * shows, which is the layout) */
  found = bounce_formats_parse (ctx->input, ctx->message_index);
  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      BounceFormatRecipient *f = found->pdata[i];
      Candidate *c = find_candidate (candidates, f->address);

      if (c != NULL || is_ignored_address (ctx, f->address))
        continue;
      c = g_new0 (Candidate, 1);
      c->address = g_strdup (f->address);
      c->block = g_string_new (f->diagnostic);
      c->start = f->start;
      c->end = f->end;
      c->has_range = f->end > f->start;
      c->from_layout = TRUE;
      c->command = f->command;
      c->command_unknown = f->command_unknown;
      c->retried = f->retried;
      c->pseudo_reason = f->pseudo_reason;
      c->layout_reason = g_strdup (f->reason);
      c->layout_status = g_strdup (f->status);
      if (g_strcmp0 (f->action, "delayed") == 0)
        c->action = g_strdup (f->action);
      g_ptr_array_add (candidates, c);
    }
  return candidates;
}

/* A recipient without an enhanced status code still gets one for
 * scripts: a pseudo code X.0.9NN in the reference bounce parsers'
 * convention, flagged "status_inferred" and never shown in the window.
 * Like theirs, its class is what the server's own words say: the class of
 * its reply code, else "temporary" or "permanent" in its text, else 5.
 * Whether delivery is still being tried is the recipient's action and
 * permanence, not this code. */
static const char *
pseudo_status (Candidate  *c,
               const char *reason,
               const char *reply,
               const char *diagnostic)
{
  g_autofree char *lower = diagnostic != NULL ? g_ascii_strdown (diagnostic, -1) : NULL;
  gboolean temporary;

  if (reply != NULL && (reply[0] == '4' || reply[0] == '5'))
    temporary = reply[0] == '4';
  else if (lower != NULL && (strstr (lower, "temporar") != NULL || strstr (lower, "persistent") != NULL))
    temporary = TRUE;
  else if (lower != NULL && strstr (lower, "permanent") != NULL)
    temporary = FALSE;
  else
    /* a server that kept retrying met temporary failures */
    temporary = c->retried;
  return bounce_reason_pseudo_status (c->pseudo_reason != NULL ? c->pseudo_reason : reason, temporary);
}

/* The first reply in text that Exchange quotes as having been returned
 * ("Remote Server at host (IP) returned '441 4.4.1 Error ...'"), past the
 * expiry verdicts (x.4.7) when skip_expiry.  On success *reply, *enhanced
 * and *said (the whole reply) are replaced. */
static gboolean
attempt_reply (const char *text,
               gboolean    skip_expiry,
               char      **reply,
               char      **enhanced,
               char      **said)
{
  g_autoptr(GMatchInfo) info = NULL;

  g_regex_match_full (patterns[RE_ATTEMPT_REPLY], text, bounce_utf8_cut (text, MAX_BLOCK), 0, 0, &info, NULL);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      g_autofree char *code = g_match_info_fetch (info, 3);

      if (skip_expiry && g_str_has_suffix (code, ".4.7"))
        continue;
      g_free (*reply);
      g_free (*enhanced);
      g_free (*said);
      *said = g_match_info_fetch (info, 1);
      *reply = g_match_info_fetch (info, 2);
      *enhanced = g_steal_pointer (&code);
      return TRUE;
    }
  return FALSE;
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

/* ------------------------------------------------------------------ */
/* Delivery-status recipients                                            */

/* PowerMTA classifies every bounce it sends in an extension field of the
 * DSN (X-PowerMTA-BounceCategory); its classes map onto reasons. */
static const char *
powermta_category_reason (const char *category)
{
  static const struct {
    const char *category;
    const char *reason;
  } map[] = {
    { "bad-mailbox", "userunknown" },
    { "inactive-mailbox", "suspend" },
    { "quota-issues", "mailboxfull" },
    { "bad-domain", "hostunknown" },
    { "no-answer-from-host", "networkerror" },
    { "bad-connection", "networkerror" },
    { "routing-errors", "systemerror" },
    { "bad-configuration", "systemerror" },
    { "message-expired", "expired" },
    { "spam-related", "spamdetected" },
    { "virus-related", "virusdetected" },
    { "content-related", "contenterror" },
    { "policy-related", "policyviolation" },
    { "invalid-sender", "rejected" },
    { "relaying-issues", "norelaying" },
    { "protocol-errors", "syntaxerror" },
  };
  g_autofree char *key = NULL;

  if (category == NULL)
    return NULL;
  key = g_ascii_strdown (category, -1);
  g_strstrip (key);
  for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (key, map[i].category))
      return map[i].reason;
  return NULL;
}

static GPtrArray *
dsn_candidates (Context   *ctx,
                GPtrArray *groups)
{
  GPtrArray *candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  /* address -> Candidate: a report may list tens of thousands of recipients */
  g_autoptr(GHashTable) by_address = g_hash_table_new (g_str_hash, g_str_equal);

  if (groups == NULL)
    return candidates;
  for (guint i = 0; i < groups->len; i++)
    {
      BounceFieldGroup *group = groups->pdata[i];
      const char *final = bounce_fields_lookup (group->fields, "Final-Recipient");
      const char *original = bounce_fields_lookup (group->fields, "Original-Recipient");
      const char *status = bounce_fields_lookup (group->fields, "Status");
      const char *action = bounce_fields_lookup (group->fields, "Action");
      Candidate *c;
      g_autofree char *address = NULL;

      if (final == NULL && original == NULL)
        continue;
      address = address_from_value (final ? final : original);
      if (address == NULL && original != NULL)
        address = address_from_value (original);
      if (address == NULL && final == NULL)
        continue;

      c = address ? g_hash_table_lookup (by_address, address) : NULL;
      if (c != NULL && c->status != NULL)
        continue;   /* the same recipient twice: keep the first report */
      if (c == NULL)
        {
          c = g_new0 (Candidate, 1);
          c->address = g_steal_pointer (&address);
          g_ptr_array_add (candidates, c);
          if (c->address != NULL)
            g_hash_table_insert (by_address, c->address, c);
        }
      c->from_dsn = TRUE;
      c->start = group->start;
      c->end = group->end;
      c->has_range = TRUE;
      if (status != NULL)
        {
          g_autofree char *s = g_strstrip (g_strdup (status));
          char *space = strpbrk (s, " \t(");

          if (space)
            *space = '\0';
          if (is_enhanced_code (s))
            c->status = g_steal_pointer (&s);
        }
      /* A recipient seen again without a status yet: the later group's
       * fields replace the earlier ones. */
      g_clear_pointer (&c->action, g_free);
      g_clear_pointer (&c->remote_mta, g_free);
      g_clear_pointer (&c->dsn_diagnostic, g_free);
      g_clear_pointer (&c->last_attempt, g_free);
      g_clear_pointer (&c->will_retry, g_free);
      if (action != NULL)
        {
          c->action = g_ascii_strdown (action, -1);
          g_strstrip (c->action);
        }
      c->remote_mta = g_strdup (skip_type_prefix (bounce_fields_lookup (group->fields, "Remote-MTA")));
      c->dsn_diagnostic = g_strdup (skip_type_prefix (bounce_fields_lookup (group->fields, "Diagnostic-Code")));
      c->last_attempt = g_strdup (bounce_fields_lookup (group->fields, "Last-Attempt-Date"));
      c->will_retry = g_strdup (bounce_fields_lookup (group->fields, "Will-Retry-Until"));
      g_clear_pointer (&c->layout_reason, g_free);
      c->layout_reason = g_strdup (powermta_category_reason (bounce_fields_lookup (group->fields,
                                                                                  "X-PowerMTA-BounceCategory")));
      if (c->action != NULL)
        {
          /* "failed (bad destination mailbox address)" */
          char *space = strpbrk (c->action, " \t(");

          if (space)
            *space = '\0';
        }
    }
  return candidates;
}


/* ------------------------------------------------------------------ */
/* JSON notifications                                                    */

static void
field_free (BounceField *f)
{
  g_free (f->name);
  g_free (f->value);
  g_free (f);
}

static void
field_group_free (BounceFieldGroup *g)
{
  g_ptr_array_unref (g->fields);
  g_free (g);
}

static void
add_field (GPtrArray  *fields,
           const char *name,
           const char *value)
{
  BounceField *f;

  if (value == NULL)
    return;
  f = g_new0 (BounceField, 1);
  f->name = g_strdup (name);
  f->value = g_strdup (value);
  g_ptr_array_add (fields, f);
}

static BounceFieldGroup *
field_group_new (void)
{
  BounceFieldGroup *g = g_new0 (BounceFieldGroup, 1);

  g->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  return g;
}

static const char *
json_string (JsonObject *o,
             const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonObject *
json_object (JsonObject *o,
             const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
json_array (JsonObject *o,
            const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static JsonParser *
parse_json_object (const char *text,
                   gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return g_steal_pointer (&parser);
}

/* Amazon SES reports bounces, complaints and deliveries as JSON (bare or
 * inside an SNS envelope) rather than as a DSN.  They are turned into
 * delivery-status groups / feedback fields so the usual path handles them. */
static gboolean
json_notification (Context    *ctx,
                   GPtrArray **groups_out,
                   GPtrArray **feedback_out)
{
  const char *n = ctx->notification->str;
  const char *key = strstr (n, "notificationType");
  const char *open;
  const char *close;
  g_autoptr(JsonParser) outer = NULL;
  g_autoptr(JsonParser) inner = NULL;
  JsonObject *root;
  const char *type;
  GPtrArray *groups;

  if (key == NULL || ctx->notification->len > 4 * 1024 * 1024)
    return FALSE;
  open = strchr (n, '{');
  close = strrchr (n, '}');
  if (open == NULL || close == NULL || close < open)
    return FALSE;
  {
    /* Mail gateways fold long lines, even inside JSON strings. */
    g_autoptr(GString) json = g_string_new_len (open, close - open + 1);

    g_string_replace (json, "\n ", "", 0);
    g_string_replace (json, "\n", " ", 0);
    outer = parse_json_object (json->str, json->len);
  }
  if (outer == NULL)
    return FALSE;
  root = json_node_get_object (json_parser_get_root (outer));
  if (json_string (root, "notificationType") == NULL && json_string (root, "Message") != NULL)
    {
      const char *message = json_string (root, "Message");

      inner = parse_json_object (message, strlen (message));
      if (inner == NULL)
        return FALSE;
      root = json_node_get_object (json_parser_get_root (inner));
    }
  type = json_string (root, "notificationType");
  if (type == NULL)
    return FALSE;

  groups = g_ptr_array_new_with_free_func ((GDestroyNotify) field_group_free);
  g_ptr_array_add (groups, field_group_new ());   /* per-message group */

  if (g_ascii_strcasecmp (type, "Bounce") == 0)
    {
      JsonObject *bounce = json_object (root, "bounce");
      JsonArray *list = json_array (bounce, "bouncedRecipients");
      const char *kind = json_string (bounce, "bounceType");
      gboolean transient = kind && g_ascii_strcasecmp (kind, "Transient") == 0;

      for (guint i = 0; list && i < json_array_get_length (list); i++)
        {
          JsonObject *r = json_array_get_object_element (list, i);
          BounceFieldGroup *g = field_group_new ();

          add_field (g->fields, "Final-Recipient", json_string (r, "emailAddress"));
          add_field (g->fields, "Action", json_string (r, "action") ? json_string (r, "action")
                                                                   : (transient ? "delayed" : "failed"));
          add_field (g->fields, "Status", json_string (r, "status"));
          add_field (g->fields, "Diagnostic-Code", json_string (r, "diagnosticCode"));
          add_field (g->fields, "Remote-MTA", json_string (bounce, "remoteMtaIp"));
          g_ptr_array_add (groups, g);
        }
    }
  else if (g_ascii_strcasecmp (type, "Delivery") == 0)
    {
      JsonObject *delivery = json_object (root, "delivery");
      JsonArray *list = json_array (delivery, "recipients");
      const char *response = json_string (delivery, "smtpResponse");
      g_autofree char *status = NULL;

      if (response != NULL)
        bounce_extract_first_codes (response, NULL, &status);
      for (guint i = 0; list && i < json_array_get_length (list); i++)
        {
          BounceFieldGroup *g = field_group_new ();

          add_field (g->fields, "Final-Recipient", json_array_get_string_element (list, i));
          add_field (g->fields, "Action", "delivered");
          add_field (g->fields, "Status", status);
          add_field (g->fields, "Diagnostic-Code", response);
          add_field (g->fields, "Remote-MTA", json_string (delivery, "remoteMtaIp"));
          g_ptr_array_add (groups, g);
        }
    }
  else if (g_ascii_strcasecmp (type, "Complaint") == 0)
    {
      JsonObject *complaint = json_object (root, "complaint");
      JsonArray *list = json_array (complaint, "complainedRecipients");
      const char *feedback = json_string (complaint, "complaintFeedbackType");
      GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);

      add_field (fields, "Feedback-Type", feedback ? feedback : "abuse");
      for (guint i = 0; list && i < json_array_get_length (list); i++)
        add_field (fields, "Original-Rcpt-To",
                   json_string (json_array_get_object_element (list, i), "emailAddress"));
      *feedback_out = fields;
    }
  *groups_out = groups;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Reason, codes and permanence                                         */

static BounceEntry *
first_rule_with_reason (GPtrArray *rules)
{
  /* Rules that only explain ("undefined") do not decide. */
  for (guint i = 0; i < rules->len; i++)
    {
      const char *reason = bounce_entry_get_reason (rules->pdata[i]);

      if (reason != NULL && !g_str_equal (reason, "undefined"))
        return rules->pdata[i];
    }
  return NULL;
}

/* A provider's own statement ("This user doesn't have a yahoo.com
 * account") means what it says at any stage; generic wording, the wording
 * of MTA software (which any site may send at any stage) and code-derived
 * reasons are refined by the SMTP stage. */
static gboolean
rule_reason_is_generic (BounceEntry *rule)
{
  return rule == NULL ||
         (bounce_entry_get_provider (rule) == NULL &&
          (bounce_entry_get_priority (rule) < 30 || g_str_has_prefix (bounce_entry_get_id (rule), "rule.mta.")));
}

/* Broad wording rules (low priority, any provider) give way to a precise
 * status code. */
static gboolean
is_weak_rule (BounceEntry *rule)
{
  return bounce_entry_get_provider (rule) == NULL && bounce_entry_get_priority (rule) < 8;
}

/* A status that names a precise condition: x.y.z with y and z both set
 * (5.1.2, 5.7.26), or any media error (x.6.z), but not the catch-all 5.7.1. */
static gboolean
is_specific_status (const char *status)
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

static gboolean
is_generic_status (const char *status)
{
  /* x.0.0 says nothing beyond the class. */
  return status == NULL || g_str_has_suffix (status, ".0.0");
}

static char *
loose_reply (const char *text)
{
  g_autoptr(GMatchInfo) info = NULL;
  g_autofree char *head = NULL;

  if (text == NULL)
    return NULL;
  head = g_strndup (text, bounce_utf8_cut (text, MAX_BLOCK));
  if (!g_regex_match (patterns[RE_LOOSE_REPLY], head, 0, &info))
    return NULL;
  return g_match_info_fetch (info, 1);
}

static void
diagnose_candidate (Context         *ctx,
                    Candidate       *c,
                    guint            n_candidates,
                    BounceRecipient *r)
{
  g_autofree char *diagnostic = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *enhanced = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GString) context = g_string_new (NULL);
  BounceEntry *rule = NULL;
  BounceEntry *status_entry = NULL;
  BounceEntry *reply_entry = NULL;
  const char *reason = NULL;
  const char *status;
  const char *provider;
  gboolean enhanced_in_reply;
  BouncePermanence permanence = BOUNCE_PERMANENCE_UNKNOWN;
  gboolean inferred = FALSE;
  gboolean delivered;

  /* A warning whose Subject says the delivery is delayed ("Delivery Status
   * Notification (Delay)") names recipients that are still being tried,
   * whether or not it carries DSN fields to say so. */
  if (c->action == NULL && ctx->delay_subject)
    c->action = g_strdup ("delayed");
  /* A pasted fragment has no Subject: its own words have to say it ("This
   * is only a notification about a delay ...", "will continue trying"). */
  else if (c->action == NULL && ctx->message == NULL && ctx->delay_words)
    c->action = g_strdup ("delayed");

  /* The diagnostic: the DSN's Diagnostic-Code when it says something,
   * else the recipient's block of text. */
  if (c->dsn_diagnostic != NULL && *c->dsn_diagnostic != '\0')
    diagnostic = collapse_space (c->dsn_diagnostic, MAX_DIAGNOSTIC);
  else if (c->layout_diagnostic != NULL)
    diagnostic = collapse_space (c->layout_diagnostic, MAX_DIAGNOSTIC);
  else if (c->block != NULL && c->block->len > 0)
    diagnostic = collapse_space (c->block->str, MAX_DIAGNOSTIC);
  /* A Diagnostic-Code that holds only the first line of a multi-line reply
   * the layout shows whole: the whole reply. */
  if (diagnostic != NULL && c->layout_diagnostic != NULL && c->dsn_diagnostic != NULL)
    {
      g_autofree char *whole = collapse_space (c->layout_diagnostic, MAX_DIAGNOSTIC);

      if (strlen (whole) > strlen (diagnostic) && g_str_has_prefix (whole, diagnostic))
        {
          g_free (diagnostic);
          diagnostic = g_steal_pointer (&whole);
        }
    }

  /* Text for the rules: the recipient (some addresses say what they are,
   * such as a mailing list), the diagnostic, and the recipient's block (the
   * Diagnostic-Code is often shorter than the human text). */
  if (c->address != NULL)
    g_string_append_printf (context, "Recipient: %s\n", c->address);
  if (diagnostic)
    g_string_append (context, diagnostic);
  if (c->block != NULL && c->block->len > 0 && c->dsn_diagnostic != NULL)
    {
      g_autofree char *block = collapse_space (c->block->str, MAX_BLOCK);

      g_string_append (context, "\n");
      g_string_append (context, block);
    }

  /* Which provider refused it: the remote server's, else the bounce's. */
  provider = bounce_catalogue_detect_provider (ctx->catalogue, c->remote_mta);
  if (provider == NULL)
    provider = bounce_catalogue_detect_provider (ctx->catalogue, context->str);
  if (provider == NULL)
    provider = ctx->provider;

  /* Codes from the raw text: line starts matter to the extractor. */
  if (c->dsn_diagnostic != NULL && *c->dsn_diagnostic != '\0')
    bounce_extract_first_codes (c->dsn_diagnostic, &reply, &enhanced);
  else if (diagnostic != NULL)
    bounce_extract_first_codes (diagnostic, &reply, &enhanced);
  /* "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2
   * Connection timed out>": the reporting server's verdict quotes the
   * remote server's last reply, which is the one that says what happened. */
  if (diagnostic != NULL)
    {
      g_autoptr(GMatchInfo) info = NULL;

      if (g_regex_match (patterns[RE_QUOTED_REPLY], diagnostic, 0, &info))
        {
          g_free (reply);
          g_free (enhanced);
          reply = g_match_info_fetch (info, 1);
          enhanced = g_match_info_fetch (info, 2);
        }
    }
  /* Prose, then the reply on its own line (Gmail: "... couldn't be found
   * ... The response was:\n\n550 5.1.1 The email account ..."): the
   * server said what starts there. */
  if (c->dsn_diagnostic == NULL && c->layout_diagnostic == NULL && c->block != NULL &&
      diagnostic != NULL && !g_ascii_isdigit (diagnostic[0]) && reply != NULL)
    {
      g_autofree char *block = g_strndup (c->block->str, bounce_utf8_cut (c->block->str, MAX_BLOCK));
      const char *from = find_reply_line (block, reply);
      g_autofree char *intro = from != NULL ? g_strstrip (g_strndup (block, from - block)) : NULL;

      /* (a one-line introduction that says which command the reply
       * answered stays: "SMTP error from remote server after RCPT
       * command:", "... did not like our RCPT TO:") */
      if (from != NULL &&
          !(strchr (intro, '\n') == NULL && g_str_has_suffix (intro, ":") && strlen (intro) < 200))
        {
          g_free (diagnostic);
          diagnostic = collapse_space (from, MAX_DIAGNOSTIC);
        }
    }
  /* Pasted Exchange and Microsoft 365 reports: the prose around the
   * address is theirs, the server's reply is quoted in "Remote Server
   * returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; ...'". */
  if (c->dsn_diagnostic == NULL && c->layout_diagnostic == NULL && c->block != NULL &&
      diagnostic != NULL && !g_ascii_isdigit (diagnostic[0]))
    {
      g_autofree char *r2 = NULL;
      g_autofree char *e2 = NULL;
      g_autofree char *said = NULL;

      if (attempt_reply (c->block->str, FALSE, &r2, &e2, &said))
        {
          g_free (diagnostic);
          diagnostic = collapse_space (said, MAX_DIAGNOSTIC);
          if (reply == NULL && enhanced == NULL)
            {
              reply = g_steal_pointer (&r2);
              enhanced = g_steal_pointer (&e2);
            }
        }
    }
  /* An expiry ("550 4.4.7 QUEUE.Expired; message expired") is the
   * reporting server's own verdict, not a reply; when the notification
   * lists the replies to its attempts, the newest of them says why the
   * message could not be delivered in time. */
  if (enhanced != NULL && g_str_has_suffix (enhanced, ".4.7") && c->block != NULL)
    {
      const char *texts[] = { c->block->str, n_candidates <= 1 ? ctx->notification->str : NULL };

      for (guint t = 0; t < G_N_ELEMENTS (texts) && texts[t] != NULL; t++)
        {
          g_autofree char *said = NULL;

          if (attempt_reply (texts[t], TRUE, &reply, &enhanced, &said))
            {
              g_free (diagnostic);
              diagnostic = collapse_space (said, MAX_DIAGNOSTIC);
              break;
            }
        }
    }
  /* Only a code in the server's reply itself may overrule the Status. */
  enhanced_in_reply = enhanced != NULL;
  if ((reply == NULL || enhanced == NULL) && c->block != NULL && c->block->len > 0)
    {
      g_autofree char *r2 = NULL;
      g_autofree char *e2 = NULL;
      g_autofree char *block = g_strndup (c->block->str, bounce_utf8_cut (c->block->str, MAX_BLOCK));

      bounce_extract_first_codes (block, &r2, &e2);
      if (reply == NULL)
        reply = g_steal_pointer (&r2);
      if (enhanced == NULL)
        enhanced = g_steal_pointer (&e2);
    }

  /* A lone recipient whose block says nothing: the server's reply is
   * elsewhere in the notification (Gmail, Exchange and others put the
   * address after the explanation). */
  if (reply == NULL && enhanced == NULL && c->status == NULL && n_candidates <= 1 &&
      ctx->notification->len > 0)
    {
      g_autofree char *whole = collapse_space (ctx->notification->str, 64 * 1024);

      bounce_extract_first_codes (whole, &reply, &enhanced);
      /* ... and with nothing of its own to show, the line that holds it
       * ("Could not be delivered because of\n\n550 5.1.1 User unknown\n\n
       * The following recipients were affected: ...") */
      if (reply != NULL && (diagnostic == NULL || *diagnostic == '\0'))
        {
          g_autofree char *line = line_with_reply (ctx->notification->str, reply);

          if (line != NULL)
            {
              g_free (diagnostic);
              diagnostic = collapse_space (line, MAX_DIAGNOSTIC);
            }
        }
    }

  /* A lone recipient with a Status but no reply: the reply is often in the
   * transcript part of the notification ("550 5.1.2 <a@b>... Host
   * unknown"); take it when its class agrees with the Status. */
  if (reply == NULL && c->status != NULL && n_candidates <= 1 && ctx->notification->len > 0)
    {
      /* line starts kept: a reply code opening a line needs no more context */
      g_autofree char *whole = g_strndup (ctx->notification->str, bounce_utf8_cut (ctx->notification->str, 64 * 1024));
      g_autofree char *r2 = NULL;
      g_autofree char *e2 = NULL;

      bounce_extract_first_codes (whole, &r2, &e2);
      if (r2 != NULL && r2[0] == c->status[0])
        {
          reply = g_steal_pointer (&r2);
          /* and its enhanced code, which says more than a Status of x.0.0
           * ("554 5.3.0 unknown mailer error" under Status: 5.0.0) */
          if (is_generic_status (c->status) && e2 != NULL && e2[0] == c->status[0])
            {
              g_free (enhanced);
              enhanced = g_steal_pointer (&e2);
            }
        }
    }

  /* A failure's reply is a 4xx/5xx one: a transcript's "250 Ok" before
   * the refusal is not it. */
  if (reply == NULL || (reply[0] == '2' && c->status != NULL && c->status[0] != '2'))
    {
      char *loose = loose_reply (c->dsn_diagnostic ? c->dsn_diagnostic : (c->block ? c->block->str : NULL));

      if (loose != NULL)
        {
          g_free (reply);
          reply = loose;
        }
    }

  /* The DSN Status field is authoritative; a generic one yields to a more
   * specific code from the server's own reply. */
  status = c->status != NULL ? c->status : c->layout_status;
  if (status == NULL || (is_generic_status (status) && enhanced != NULL &&
                         !is_generic_status (enhanced) && enhanced[0] == status[0]))
    status = enhanced;
  /* The remote server's own code beats the reporting MTA's translation of
   * it (Sendmail writes 4.4.7 over "450 4.7.1 ..."). */
  else if (enhanced_in_reply && g_strcmp0 (enhanced, status) != 0 && !is_generic_status (enhanced) &&
           (enhanced[0] == status[0] ||
            /* a permanent refusal the reporting MTA filed as temporary */
            (enhanced[0] == '5' && reply != NULL && reply[0] == '5' &&
             g_strcmp0 (c->action, "failed") == 0)))
    status = enhanced;

  delivered = g_strcmp0 (c->action, "delivered") == 0 ||
              g_strcmp0 (c->action, "relayed") == 0 ||
              g_strcmp0 (c->action, "expanded") == 0;

  /* The server's own reply (Diagnostic-Code) first; the human text around
   * it only when the reply says nothing we know, since that text often
   * carries boilerplate ("we also stop infected mail...").  A recognised
   * layout's line for the recipient is the same kind of text. */
  if ((c->dsn_diagnostic != NULL && *c->dsn_diagnostic != '\0') || c->layout_diagnostic != NULL)
    {
      g_autoptr(GString) narrow = g_string_new (NULL);

      if (c->address != NULL)
        g_string_append_printf (narrow, "Recipient: %s\n", c->address);
      g_string_append (narrow, diagnostic);
      rules = bounce_catalogue_match_rules (ctx->catalogue, narrow->str, provider);
      rule = first_rule_with_reason (rules);
      if (rule == NULL)
        g_clear_pointer (&rules, g_ptr_array_unref);
    }
  /* A Diagnostic-Code no rule knows, with a precise Status, is better
   * explained by the Status than by the human text around it. */
  if (rules == NULL && c->dsn_diagnostic != NULL && *c->dsn_diagnostic != '\0' &&
      is_specific_status (c->status))
    rules = g_ptr_array_new ();
  if (rules == NULL)
    {
      rules = bounce_catalogue_match_rules (ctx->catalogue, context->str, provider);
      rule = first_rule_with_reason (rules);
    }
  if (rule == NULL && n_candidates <= 1 && ctx->notification->len > 0)
    {
      g_autoptr(GPtrArray) wide = bounce_catalogue_match_rules (ctx->catalogue,
                                                                ctx->notification->str,
                                                                provider);
      rule = first_rule_with_reason (wide);
      if (rule != NULL)
        g_ptr_array_add (rules, rule);
    }

  if (status != NULL)
    status_entry = bounce_catalogue_find_enhanced (ctx->catalogue, status, provider);
  if (reply != NULL)
    reply_entry = bounce_catalogue_find_reply (ctx->catalogue, reply);

  if (delivered)
    reason = "delivered";
  else if (rule != NULL && status_entry != NULL && bounce_entry_get_reason (status_entry) != NULL &&
           is_weak_rule (rule) && is_specific_status (status))
    /* "Recipient address rejected: <anything>" says less than 5.7.26. */
    reason = bounce_entry_get_reason (status_entry);
  else if (rule != NULL)
    reason = bounce_entry_get_reason (rule);
  else if (status_entry != NULL && bounce_entry_get_reason (status_entry) != NULL &&
           !is_generic_status (status))
    reason = bounce_entry_get_reason (status_entry);
  else if (reply_entry != NULL && bounce_entry_get_reason (reply_entry) != NULL)
    reason = bounce_entry_get_reason (reply_entry);

  /* The reporting server's own fixed sentence for a condition (qmail's
   * "Sorry, no mailbox here by that name") names it exactly. */
  if (!delivered && c->layout_reason != NULL)
    reason = c->layout_reason;

  /* Once the sender has given up, a condition may have a different name
   * ("connection timed out" for days is an expiry). */
  if (!delivered && rule != NULL && reason == bounce_entry_get_reason (rule) &&
      bounce_entry_get_final_reason (rule) != NULL && !ctx->delay_notice &&
      g_strcmp0 (c->action, "delayed") != 0)
    reason = bounce_entry_get_final_reason (rule);
  if (!delivered && g_strcmp0 (c->action, "expired") == 0 &&
      (reason == NULL || g_str_equal (reason, "networkerror")))
    reason = "expired";
  /* A delay warning reports a delivery whose time is running out: when
   * all it has to say is that the network or the server is failing, that
   * is the condition, not the cause. */
  if (!delivered && g_strcmp0 (c->action, "delayed") == 0 && c->layout_reason == NULL &&
      (reason == NULL || g_str_equal (reason, "networkerror") || g_str_equal (reason, "systemerror") ||
       g_str_equal (reason, "onhold")))
    reason = "expired";

  /* The same words mean different things at different SMTP stages: an
   * "unknown user" answer to the message body is a content filter
   * pretending, a refusal of MAIL FROM is about the sender. */
  if (!delivered && reason != NULL && rule_reason_is_generic (rule) && c->layout_reason == NULL)
    {
      BounceSmtpCommand stage = c->command != BOUNCE_SMTP_COMMAND_NONE ?
                                c->command : bounce_extract_smtp_command (context->str, -1);

      /* "User unknown" is only trustworthy as the answer to RCPT TO or with
       * a x.1.1 status; after DATA, or with no trace of the command, it is
       * usually a filter speaking. */
      if (g_str_equal (reason, "userunknown") && stage != BOUNCE_SMTP_COMMAND_RCPT && stage != BOUNCE_SMTP_COMMAND_MAIL &&
          stage != BOUNCE_SMTP_COMMAND_CONNECT && (status == NULL || !g_str_has_suffix (status, ".1.1")) &&
          (stage == BOUNCE_SMTP_COMMAND_DATA || (c->from_layout && c->command == BOUNCE_SMTP_COMMAND_NONE && !c->command_unknown)))
        reason = "filtered";
      /* Nor does it outweigh a precise status that names another
       * condition (5.2.1 "mailbox disabled", 5.7.1 "refused by policy")
       * unless the refusal answered RCPT TO. */
      else if (g_str_equal (reason, "userunknown") && stage != BOUNCE_SMTP_COMMAND_RCPT && status_entry != NULL &&
               !is_generic_status (status) && !g_str_has_suffix (status, ".0") &&
               bounce_entry_get_reason (status_entry) != NULL &&
               !g_str_equal (bounce_entry_get_reason (status_entry), "userunknown") &&
               !g_str_equal (bounce_entry_get_reason (status_entry), "undefined"))
        reason = "filtered";
      /* At MAIL FROM every "unknown" or vague refusal is about the sender. */
      else if (stage == BOUNCE_SMTP_COMMAND_MAIL && (g_str_equal (reason, "userunknown") ||
                                      g_str_equal (reason, "filtered") ||
                                      g_str_equal (reason, "hostunknown") ||
                                      (rule != NULL && is_weak_rule (rule))))
        reason = "rejected";
      /* Refused at the greeting or at HELO, before anything about the
       * message was said: the refusal is of the connecting server. */
      else if (stage == BOUNCE_SMTP_COMMAND_CONNECT && (rule == NULL || is_weak_rule (rule)) &&
               (g_str_equal (reason, "rejected") || g_str_equal (reason, "onhold") ||
                g_str_equal (reason, "systemerror") || g_str_equal (reason, "filtered")))
        reason = "blocked";
    }

  /* A delivery that was given up after retrying is "expired" whatever the
   * last temporary error was. */
  if (!delivered && g_strcmp0 (c->action, "failed") == 0 && status != NULL && status[0] == '4' &&
      reason == NULL)
    reason = "expired";

  /* x.4.7 says it outright: the delivery time expired, whatever network or
   * system trouble came before. */
  if (!delivered && status != NULL && g_str_has_suffix (status, ".4.7") &&
      (reason == NULL || g_str_equal (reason, "systemerror") || g_str_equal (reason, "onhold")))
    reason = "expired";

  if (reason == NULL)
    /* Nothing but the notification's boilerplate ("I'm sorry to have to
     * inform you ...") is no diagnostic: the cause is unknown. */
    reason = (status != NULL || reply != NULL || (diagnostic != NULL && !c->whole_notification)) ?
             "onhold" : "undefined";
  /* For tuning the catalogue: BOUNCE_DEBUG_REASON=1 bounce-explain ... prints
   * per recipient what decided the reason (best rule, status reason, SMTP
   * stage, status, rule priority). */
  if (g_getenv ("BOUNCE_DEBUG_REASON"))
    g_printerr ("DEBUG\t%s\t%s\t%s\t%s\t%d\t%s\t%d\n", c->address ? c->address : "-",
                rule ? bounce_entry_get_reason (rule) : "-", rule ? bounce_entry_get_id (rule) : "-",
                status_entry && bounce_entry_get_reason (status_entry) ? bounce_entry_get_reason (status_entry) : "-",
                c->command != BOUNCE_SMTP_COMMAND_NONE ? c->command :
                bounce_extract_smtp_command (context->str, -1),
                status ? status : "-", rule ? bounce_entry_get_priority (rule) : -1);

  /* Temporary or permanent. */
  if (g_strcmp0 (c->action, "delayed") == 0)
    permanence = BOUNCE_PERMANENCE_TEMPORARY;
  else if (g_strcmp0 (c->action, "failed") == 0)
    permanence = BOUNCE_PERMANENCE_PERMANENT;
  else if (status != NULL && (status[0] == '4' || status[0] == '5'))
    permanence = status[0] == '4' ? BOUNCE_PERMANENCE_TEMPORARY : BOUNCE_PERMANENCE_PERMANENT;
  else if (reply != NULL)
    permanence = reply[0] == '4' ? BOUNCE_PERMANENCE_TEMPORARY : BOUNCE_PERMANENCE_PERMANENT;
  else if (rule != NULL && bounce_entry_get_permanence (rule) != BOUNCE_PERMANENCE_UNKNOWN)
    permanence = bounce_entry_get_permanence (rule);
  else if (ctx->temporary_words)
    permanence = BOUNCE_PERMANENCE_TEMPORARY;
  else if (!delivered)
    permanence = BOUNCE_PERMANENCE_PERMANENT;

  /* "Host not found" with a temporary code is a DNS lookup that failed
   * for now, not a domain that does not exist. */
  if (g_str_equal (reason, "hostunknown") && status != NULL && status[0] == '4' &&
      !g_str_has_prefix (status, "4.1."))
    reason = "networkerror";

  if (status == NULL && !delivered)
    {
      status = pseudo_status (c, reason, reply, diagnostic);
      inferred = status != NULL;
      bounce_recipient_set_status_inferred (r, inferred);
    }

  bounce_recipient_set_address (r, c->address);
  bounce_recipient_set_status (r, status);
  bounce_recipient_set_reply_code (r, reply);
  bounce_recipient_set_reason (r, reason);
  bounce_recipient_set_permanence (r, delivered ? BOUNCE_PERMANENCE_UNKNOWN : permanence);
  /* Hard or soft goes by what the server's codes say: a refusal coded 4xx
   * may succeed later even if the sending server has given up on it. */
  {
    BouncePermanence coded = permanence;

    /* (a pseudo status is ours, not the server's) */
    if (status != NULL && !inferred && (status[0] == '4' || status[0] == '5'))
      coded = status[0] == '4' ? BOUNCE_PERMANENCE_TEMPORARY : BOUNCE_PERMANENCE_PERMANENT;
    else if (reply != NULL && (reply[0] == '4' || reply[0] == '5'))
      coded = reply[0] == '4' ? BOUNCE_PERMANENCE_TEMPORARY : BOUNCE_PERMANENCE_PERMANENT;
    bounce_recipient_set_hard_bounce (r, !delivered && bounce_reason_is_hard (reason, coded));
  }
  bounce_recipient_set_action (r, c->action);
  bounce_recipient_set_remote_mta (r, c->remote_mta);
  bounce_recipient_set_diagnostic (r, diagnostic);
  bounce_recipient_set_last_attempt (r, c->last_attempt);
  bounce_recipient_set_will_retry_until (r, c->will_retry);
  bounce_recipient_set_provider (r, provider);
  if (c->has_range)
    bounce_recipient_set_range (r, c->start, c->end);

  /* Entries, most specific first. */
  for (guint i = 0; i < rules->len; i++)
    bounce_recipient_add_entry (r, rules->pdata[i]);
  if (status_entry != NULL)
    bounce_recipient_add_entry (r, status_entry);
  if (reply_entry != NULL)
    bounce_recipient_add_entry (r, reply_entry);
  /* (a pseudo status is no code of the server's to explain) */
  if (status != NULL && !inferred)
    {
      BounceEntry *e;

      if ((e = bounce_catalogue_find_subject (ctx->catalogue, status)) != NULL)
        bounce_recipient_add_entry (r, e);
      if ((e = bounce_catalogue_find_class (ctx->catalogue, status)) != NULL)
        bounce_recipient_add_entry (r, e);
    }
  {
    BounceEntry *e = bounce_catalogue_find_reason (ctx->catalogue, reason);

    if (e != NULL)
      bounce_recipient_add_entry (r, e);
  }
  /* The first entry is the explanation people read: it must agree with the
   * reason.  When the SMTP stage or a precise status renamed what a rule's
   * words suggested ("user unknown" after DATA is a filter), the entry for
   * what was decided goes first.  A delay warning keeps its cause first:
   * its reason only says the time is running out. */
  if (!delivered && g_strcmp0 (c->action, "delayed") != 0)
    {
      GPtrArray *entries = bounce_recipient_get_entries (r);

      for (guint i = 1; entries != NULL && i < entries->len; i++)
        {
          if (g_strcmp0 (bounce_entry_get_reason (entries->pdata[0]), reason) == 0)
            break;
          if (g_strcmp0 (bounce_entry_get_reason (entries->pdata[i]), reason) == 0)
            {
              gpointer agreeing = g_ptr_array_steal_index (entries, i);

              g_ptr_array_insert (entries, 0, agreeing);
              break;
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Message kinds                                                        */

static const char *
address_or_empty (const char *value)
{
  static const char empty[] = "";
  const char *lt;

  if (value == NULL)
    return empty;
  lt = strchr (value, '<');
  return lt ? lt + 1 : value;
}

static gboolean
looks_like_bounce (Context *ctx)
{
  const char *subject = header (ctx, "Subject");
  const char *from = header (ctx, "From");
  const char *return_path = header (ctx, "Return-Path");

  if (ctx->message == NULL)
    return TRUE;   /* a pasted fragment: judged by what it contains */
  if (ctx->message->report_type != NULL &&
      g_ascii_strcasecmp (ctx->message->report_type, "delivery-status") == 0)
    return TRUE;
  if (header (ctx, "X-Failed-Recipients") != NULL)
    return TRUE;
  if (re_match (RE_BOUNCE_SUBJECT, subject))
    return TRUE;
  /* MAILER-DAEMON and postmaster only send reports; "noreply" and the
   * like also send newsletters, so they need an empty Return-Path too. */
  if (re_match (RE_DAEMON_ADDRESS, address_or_empty (from)) ||
      (from != NULL && strstr (from, "MAILER-DAEMON") != NULL))
    return TRUE;
  if (re_match (RE_BOUNCE_FROM, from) &&
      (return_path == NULL || strstr (return_path, "<>") != NULL || re_match (RE_BOUNCE_FROM, return_path)))
    return TRUE;
  return FALSE;
}

static gboolean
looks_like_autoreply (Context *ctx)
{
  const char *auto_submitted = header (ctx, "Auto-Submitted");
  const char *subject = header (ctx, "Subject");

  if (ctx->message == NULL)
    return FALSE;
  if (header (ctx, "X-Autoreply") != NULL || header (ctx, "X-Autorespond") != NULL ||
      header (ctx, "X-Autoresponder") != NULL)
    return TRUE;
  if (re_match (RE_AUTOREPLY_SUBJECT, subject))
    return TRUE;
  return auto_submitted != NULL && g_ascii_strncasecmp (auto_submitted, "auto-replied", 12) == 0 &&
         !re_match (RE_BOUNCE_SUBJECT, subject);
}

static void
add_simple_recipient (Context    *ctx,
                      const char *address,
                      const char *reason)
{
  g_autoptr(BounceRecipient) r = bounce_recipient_new ();
  BounceEntry *e = bounce_catalogue_find_reason (ctx->catalogue, reason);

  bounce_recipient_set_address (r, address);
  bounce_recipient_set_reason (r, reason);
  if (e != NULL)
    bounce_recipient_add_entry (r, e);
  bounce_report_add_recipient (ctx->report, r);
}

/* One-click unsubscribe requests (Apple Mail's "X-Apple-Unsubscribe") are
 * opt-out feedback, not bounces. */
static gboolean
handle_unsubscribe (Context *ctx)
{
  g_autofree char *address = NULL;

  if (header (ctx, "X-Apple-Unsubscribe") == NULL)
    return FALSE;
  bounce_report_set_kind (ctx->report, BOUNCE_KIND_FEEDBACK);
  bounce_report_set_feedback_type (ctx->report, "opt-out");
  address = address_from_value (header (ctx, "From"));
  add_simple_recipient (ctx, address, "feedback");
  return TRUE;
}

static gboolean
handle_feedback (Context   *ctx,
                 GPtrArray *fields)
{
  const char *type;
  guint added = 0;

  if (fields == NULL)
    return FALSE;
  type = bounce_fields_lookup (fields, "Feedback-Type");
  if (type == NULL)
    return FALSE;
  bounce_report_set_kind (ctx->report, BOUNCE_KIND_FEEDBACK);
  {
    g_autofree char *lower = g_ascii_strdown (type, -1);

    bounce_report_set_feedback_type (ctx->report, g_strstrip (lower));
  }
  for (guint i = 0; i < fields->len; i++)
    {
      BounceField *f = fields->pdata[i];

      if (g_ascii_strcasecmp (f->name, "Original-Rcpt-To") == 0 ||
          g_ascii_strcasecmp (f->name, "Removal-Recipient") == 0)
        {
          g_autofree char *address = address_from_value (f->value);

          add_simple_recipient (ctx, address, "feedback");
          added++;
        }
    }
  if (added == 0)
    {
      const char *to = ctx->message && ctx->message->original_headers ?
                       bounce_fields_lookup (ctx->message->original_headers, "To") : NULL;
      g_autofree char *address = address_from_value (to);

      add_simple_recipient (ctx, address, "feedback");
    }
  return TRUE;
}

static void
collect_notification (Context *ctx)
{
  GPtrArray *segments = bounce_input_get_segments (ctx->input);

  for (guint i = ctx->seg_begin; i < ctx->seg_end; i++)
    {
      BounceSegment *seg = segments->pdata[i];

      if (seg->message_index != ctx->message_index)
        continue;
      if (seg->kind == BOUNCE_SEGMENT_TEXT || seg->kind == BOUNCE_SEGMENT_DELIVERY_STATUS)
        {
          gsize room = BOUNCE_NOTIFICATION_LIMIT - MIN (ctx->notification->len, BOUNCE_NOTIFICATION_LIMIT);

          g_string_append_len (ctx->notification, ctx->text + seg->start,
                               bounce_utf8_cut (ctx->text + seg->start, MIN (seg->end - seg->start, room)));
          g_string_append_c (ctx->notification, '\n');
        }
    }
}

/* A Received line the reporting server wrote for itself: no "from"
 * clause ("by mx.example.org (Postfix) id ...") or a local submission
 * ("from mail by mx.example.org with local (Exim 4.92)"), but not qmail's
 * note of a message taken from the network. */
static gboolean
is_own_received (const char *value)
{
  while (g_ascii_isspace (*value))
    value++;
  if (strstr (value, "invoked from network") != NULL)
    return FALSE;
  return g_ascii_strncasecmp (value, "from ", 5) != 0 || strstr (value, " with local") != NULL;
}

static char *
detect_message_provider (Context *ctx)
{
  const char *p = NULL;

  if (ctx->message != NULL)
    {
      GPtrArray *headers = ctx->message->headers;
      g_autoptr(GString) own = g_string_new (NULL);
      g_autoptr(GString) added = g_string_new (NULL);
      g_autoptr(GString) relays = g_string_new (NULL);
      const char *oldest = NULL;

      /* Evidence in order of how surely it names the reporting server:
       * what it wrote about itself (Reporting-MTA, From, Message-Id), its
       * own Received stamp (the oldest line), then what others may have
       * added on the way back (X- headers, then the relays' Received
       * lines).  Within each, the catalogue's order of providers decides. */
      for (guint i = 0; i < headers->len; i++)
        {
          BounceField *f = headers->pdata[i];

          if (g_ascii_strcasecmp (f->name, "From") == 0 ||
              g_ascii_strcasecmp (f->name, "Message-Id") == 0)
            g_string_append_printf (own, "%s\n", f->value);
          else if (g_ascii_strncasecmp (f->name, "X-", 2) == 0)
            g_string_append_printf (added, "%s: %s\n", f->name, f->value);
          else if (g_ascii_strcasecmp (f->name, "Received") == 0)
            {
              g_string_append_printf (relays, "%s\n", f->value);
              oldest = f->value;
            }
        }
      /* The DSN's Reporting-MTA names it even when another service
       * passed the report on (Amazon SES relays the NDRs it receives). */
      if (ctx->message->dsn_groups != NULL && ctx->message->dsn_groups->len > 0)
        {
          BounceFieldGroup *g = ctx->message->dsn_groups->pdata[0];
          const char *mta = bounce_fields_lookup (g->fields, "Reporting-MTA");

          if (mta)
            p = bounce_catalogue_detect_provider (ctx->catalogue, mta);
        }
      if (p == NULL)
        p = bounce_catalogue_detect_provider (ctx->catalogue, own->str);
      if (p == NULL && oldest != NULL && is_own_received (oldest))
        p = bounce_catalogue_detect_provider (ctx->catalogue, oldest);
      if (p == NULL)
        p = bounce_catalogue_detect_provider (ctx->catalogue, added->str);
      if (p == NULL)
        p = bounce_catalogue_detect_provider (ctx->catalogue, relays->str);
    }
  if (p == NULL)
    p = bounce_catalogue_detect_provider (ctx->catalogue, ctx->notification->str);
  return g_strdup (p);
}

static gboolean
has_error_codes (const char *text)
{
  g_autofree char *reply = NULL;
  g_autofree char *enhanced = NULL;

  bounce_extract_first_codes (text, &reply, &enhanced);
  return (reply != NULL && (reply[0] == '4' || reply[0] == '5')) ||
         (enhanced != NULL && (enhanced[0] == '4' || enhanced[0] == '5'));
}

/* A multipart/report of type delivery-status is a bounce even when it
 * names no recipient ("Delivery report unavailable"). */
static gboolean
is_delivery_report (Context *ctx)
{
  return ctx->message != NULL && ctx->message->report_type != NULL &&
         g_ascii_strcasecmp (ctx->message->report_type, "delivery-status") == 0;
}

/* A pasted line without codes ("Mailbox full", "AUP#I-1000") is still a
 * failure when the catalogue recognises it. */
static gboolean
fragment_names_failure (Context *ctx)
{
  g_autoptr(GPtrArray) rules = NULL;

  if (ctx->notification->len > 64 * 1024)
    return FALSE;
  rules = bounce_catalogue_match_rules (ctx->catalogue, ctx->notification->str, NULL);
  return first_rule_with_reason (rules) != NULL;
}

static char *
recipient_key (BounceRecipient *r)
{
  const char *parts[] = {
    bounce_recipient_get_address (r),
    bounce_recipient_get_status (r),
    bounce_recipient_get_diagnostic (r),
  };
  GString *key = g_string_new (NULL);

  /* Length-prefixed, so that NULL, "" and separators in the text never collide. */
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] == NULL)
        g_string_append (key, "-;");
      else
        g_string_append_printf (key, "%" G_GSIZE_FORMAT ":%s;", strlen (parts[i]), parts[i]);
    }
  return g_string_free (key, FALSE);
}

/* Same address, status and diagnostic as a recipient already in the report.
 * The keys of the report's recipients are indexed as they appear, so that an
 * mbox of many thousand reports is not quadratic. */
static gboolean
already_reported (Context         *ctx,
                  BounceRecipient *r)
{
  GListModel *list = bounce_report_get_recipients (ctx->report);
  guint n = g_list_model_get_n_items (list);
  g_autofree char *key = NULL;

  for (; ctx->reported->n_indexed < n; ctx->reported->n_indexed++)
    {
      g_autoptr(BounceRecipient) other = g_list_model_get_item (list, ctx->reported->n_indexed);

      g_hash_table_add (ctx->reported->keys, recipient_key (other));
    }
  key = recipient_key (r);
  return g_hash_table_contains (ctx->reported->keys, key);
}

/* The notification text is read up to a limit (limit: the notification
 * limit for the scan for addresses, less for the layouts).  A list of
 * recipients that goes on past it was cut, which the report must say: the
 * text just past the limit names recipients the list does not have. */
#define CUT_PROBE (16 * 1024)

static gboolean
recipient_list_cut (Context   *ctx,
                    GPtrArray *chosen,
                    gsize      limit)
{
  GPtrArray *segments = bounce_input_get_segments (ctx->input);
  gsize total = 0;

  for (guint i = ctx->seg_begin; i < ctx->seg_end; i++)
    {
      BounceSegment *seg = segments->pdata[i];
      g_autoptr(GArray) lines = NULL;
      gsize cut;

      if (seg->message_index != ctx->message_index || seg->kind != BOUNCE_SEGMENT_TEXT)
        continue;
      if (total + (seg->end - seg->start) <= limit)
        {
          total += seg->end - seg->start;
          continue;
        }
      cut = seg->start + (limit - total);
      while (cut > seg->start && ctx->text[cut - 1] != '\n')
        cut--;
      lines = g_array_new (FALSE, FALSE, sizeof (RecipientLine));
      g_array_set_clear_func (lines, (GDestroyNotify) recipient_line_clear);
      scan_text_range (ctx, cut, cut + bounce_utf8_cut (ctx->text + cut, MIN (seg->end - cut, CUT_PROBE)),
                       lines);
      for (guint j = 0; j < lines->len; j++)
        if (find_candidate (chosen, g_array_index (lines, RecipientLine, j).address) == NULL)
          return TRUE;
      return FALSE;
    }
  return FALSE;
}

static void
diagnose_message (Context *ctx)
{
  g_autoptr(GPtrArray) dsn = NULL;
  g_autoptr(GPtrArray) from_text = NULL;
  g_autoptr(GPtrArray) from_layout = NULL;
  g_autoptr(GPtrArray) json_groups = NULL;
  g_autoptr(GPtrArray) json_feedback = NULL;
  GPtrArray *chosen;
  gboolean bounce_like;
  gboolean known_layout;

  collect_notification (ctx);
  ctx->delay_subject = re_match (RE_DELAY_SUBJECT, header (ctx, "Subject"));
  /* (once per message: every recipient asks) */
  ctx->temporary_words = ctx->notification->len < 256 * 1024 &&
                         re_match (RE_TEMPORARY_WORDS, ctx->notification->str);
  ctx->delay_words = ctx->temporary_words && re_match (RE_DELAY_WORDS, ctx->notification->str);
  ctx->delay_notice = ctx->delay_subject || ctx->temporary_words;
  g_free (ctx->provider);
  ctx->provider = detect_message_provider (ctx);
  if (bounce_report_get_provider (ctx->report) == NULL && ctx->provider != NULL)
    bounce_report_set_provider (ctx->report, ctx->provider);

  json_notification (ctx, &json_groups, &json_feedback);
  if (handle_feedback (ctx, ctx->message ? ctx->message->feedback_fields : NULL) ||
      handle_feedback (ctx, json_feedback) || handle_unsubscribe (ctx))
    return;

  if (ctx->message != NULL && ctx->message->dsn_groups != NULL && ctx->message->dsn_groups->len > 1)
    dsn = dsn_candidates (ctx, ctx->message->dsn_groups);
  else
    dsn = dsn_candidates (ctx, json_groups);
  from_text = text_candidates (ctx);
  from_layout = layout_candidates (ctx);
  known_layout = from_layout->len > 0;
  /* A known layout lists its recipients better than a scan for addresses;
   * with a DSN it adds the failed command and its own wording. */
  if (from_layout->len > 0 && dsn->len == 0)
    {
      g_ptr_array_unref (from_text);
      from_text = g_steal_pointer (&from_layout);
    }
  else
    for (guint i = 0; i < dsn->len; i++)
      {
        Candidate *c = dsn->pdata[i];
        Candidate *l = find_candidate (from_layout, c->address);

        if (l == NULL)
          continue;
        c->from_layout = TRUE;
        c->command = l->command;
        c->command_unknown = l->command_unknown;
        c->retried = l->retried;
        c->pseudo_reason = l->pseudo_reason;
        if (l->block->len > 0)
          c->layout_diagnostic = g_strdup (l->block->str);
        if (c->layout_reason == NULL && !is_specific_status (c->status))
          c->layout_reason = g_strdup (l->layout_reason);
      }
  /* Headers are the usual sign; failing that, a recipient line next to
   * SMTP error codes is (forwarded bounces, carriers' own formats). */
  bounce_like = known_layout || looks_like_bounce (ctx) ||
                (from_text->len > 0 && has_error_codes (ctx->notification->str));

  /* Merge: the DSN gives the list and its fields, the text adds what the
   * server said for each recipient. */
  for (guint i = 0; i < dsn->len; i++)
    {
      Candidate *c = dsn->pdata[i];
      Candidate *t = find_candidate (from_text, c->address);
      if (t != NULL && t->block != NULL)
        {
          c->block = g_string_new (t->block->str);
          if (c->dsn_diagnostic == NULL)
            {
              c->start = t->start;
              c->end = t->end;
            }
        }
      else if (dsn->len == 1 && from_text->len == 0 && ctx->notification->len > 0)
        c->block = g_string_new (NULL);
    }

  if (dsn->len > 0)
    chosen = dsn;
  else if (bounce_like && from_text->len > 0)
    chosen = from_text;
  else
    chosen = NULL;

  if (chosen == NULL && bounce_like && !looks_like_autoreply (ctx) &&
      (has_error_codes (ctx->notification->str) || is_delivery_report (ctx) ||
       (ctx->message == NULL && fragment_names_failure (ctx))))
    {
      /* Codes but no recipient line: a fragment, or a server that does not
       * repeat the address.  One recipient, from X-Failed-Recipients or the
       * returned message when we have them. */
      Candidate *c = g_new0 (Candidate, 1);
      const char *failed = header (ctx, "X-Failed-Recipients");
      const char *to = ctx->message && ctx->message->original_headers ?
                       bounce_fields_lookup (ctx->message->original_headers, "To") : NULL;

      c->address = address_from_value (failed ? failed : to);
      c->block = g_string_new (ctx->notification->str);
      c->whole_notification = TRUE;
      g_ptr_array_add (from_text, c);
      chosen = from_text;
    }
  else if (chosen == NULL && bounce_like && ctx->message != NULL && !looks_like_autoreply (ctx))
    {
      const char *failed = header (ctx, "X-Failed-Recipients");

      if (failed != NULL)
        {
          g_auto(GStrv) list = g_strsplit (failed, ",", -1);

          for (guint i = 0; list[i]; i++)
            {
              Candidate *c = g_new0 (Candidate, 1);

              c->address = address_from_value (list[i]);
              c->block = g_string_new (ctx->notification->str);
              c->whole_notification = TRUE;
              g_ptr_array_add (from_text, c);
            }
          chosen = from_text;
        }
    }

  if (chosen == NULL)
    {
      if (looks_like_autoreply (ctx))
        {
          g_autofree char *address = address_from_value (header (ctx, "From"));

          if (bounce_report_get_kind (ctx->report) == BOUNCE_KIND_NOT_BOUNCE)
            bounce_report_set_kind (ctx->report, BOUNCE_KIND_AUTOREPLY);
          add_simple_recipient (ctx, address, "vacation");
        }
      return;
    }

  if ((chosen == dsn && ctx->message != NULL && ctx->message->dsn_truncated) ||
      (chosen == from_text &&
       recipient_list_cut (ctx, chosen, known_layout && dsn->len == 0 ? BOUNCE_FORMATS_SCAN_LIMIT
                                                                      : BOUNCE_NOTIFICATION_LIMIT)))
    bounce_report_add_truncated (ctx->report, BOUNCE_TRUNCATED_RECIPIENTS);

  for (guint i = 0; i < chosen->len; i++)
    {
      g_autoptr(BounceRecipient) r = NULL;

      if (g_list_model_get_n_items (bounce_report_get_recipients (ctx->report)) >= BOUNCE_MAX_RECIPIENTS)
        {
          bounce_report_add_truncated (ctx->report, BOUNCE_TRUNCATED_RECIPIENTS);
          break;
        }
      r = bounce_recipient_new ();
      diagnose_candidate (ctx, chosen->pdata[i], chosen->len, r);
      /* An mbox may hold the same report twice ("Postmaster Copy: ..."). */
      if (ctx->message_index > 0 && already_reported (ctx, r))
        continue;
      bounce_report_add_recipient (ctx->report, r);
    }
}

static void
decide_kind (BounceReport *report)
{
  GListModel *list = bounce_report_get_recipients (report);
  guint n = g_list_model_get_n_items (list);
  gboolean failed = FALSE;
  gboolean delayed = FALSE;
  gboolean delivered = FALSE;

  if (bounce_report_get_kind (report) == BOUNCE_KIND_FEEDBACK)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (list, i);
      const char *reason = bounce_recipient_get_reason (r);

      if (g_str_equal (reason, "delivered"))
        delivered = TRUE;
      else if (g_str_equal (reason, "vacation") || g_str_equal (reason, "feedback"))
        continue;
      else if (g_strcmp0 (bounce_recipient_get_action (r), "delayed") == 0 ||
               (bounce_recipient_get_permanence (r) == BOUNCE_PERMANENCE_TEMPORARY &&
                g_strcmp0 (bounce_recipient_get_action (r), "failed") != 0 &&
                !g_str_equal (reason, "expired")))
        delayed = TRUE;
      else
        failed = TRUE;
    }
  if (failed)
    bounce_report_set_kind (report, BOUNCE_KIND_FAILURE);
  else if (delayed)
    bounce_report_set_kind (report, BOUNCE_KIND_DELAY);
  else if (delivered)
    bounce_report_set_kind (report, BOUNCE_KIND_DELIVERED);
}

void
bounce_diagnose (BounceReport    *report,
                 BounceCatalogue *catalogue)
{
  BounceInput *input = bounce_report_get_input (report);
  GPtrArray *messages = bounce_input_get_messages (input);
  /* A pasted fragment has no headers to go by. */
  guint n_messages = messages && bounce_input_get_is_message (input) ? messages->len : 0;
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Reported reported = { keys, 0 };
  GPtrArray *segments = bounce_input_get_segments (input);
  guint seg_cursor = 0;

  compile_patterns ();

  for (guint i = 0; i < MAX (n_messages, 1); i++)
    {
      Context ctx = { 0 };
      g_autofree char *sender = NULL;

      ctx.report = report;
      ctx.catalogue = catalogue;
      ctx.input = input;
      ctx.text = bounce_input_get_text (input);
      ctx.message_index = i;
      ctx.message = i < n_messages ? messages->pdata[i] : NULL;
      ctx.notification = g_string_new (NULL);
      ctx.reported = &reported;
      /* Segments come in message order: finding each message's own keeps a
       * large mbox linear. */
      while (seg_cursor < segments->len &&
             ((BounceSegment *) segments->pdata[seg_cursor])->message_index < i)
        seg_cursor++;
      ctx.seg_begin = ctx.seg_end = seg_cursor;
      while (ctx.seg_end < segments->len &&
             ((BounceSegment *) segments->pdata[ctx.seg_end])->message_index == i)
        ctx.seg_end++;
      if (ctx.message != NULL)
        {
          sender = address_from_value (bounce_fields_lookup (ctx.message->headers, "To"));
          ctx.sender = sender;
        }
      diagnose_message (&ctx);
      g_string_free (ctx.notification, TRUE);
      g_free (ctx.provider);

      /* The report is full: the reports still to come are not read. */
      if (i + 1 < n_messages &&
          g_list_model_get_n_items (bounce_report_get_recipients (report)) >= BOUNCE_MAX_RECIPIENTS)
        {
          bounce_report_add_truncated (report, BOUNCE_TRUNCATED_RECIPIENTS);
          break;
        }
    }
  decide_kind (report);

  /* Only a bounce or a report has a reporting side: an ordinary message or
   * an automatic reply that came through a provider was not reported by
   * it, so no "Reported by" for those. */
  if (bounce_report_get_kind (report) == BOUNCE_KIND_NOT_BOUNCE ||
      bounce_report_get_kind (report) == BOUNCE_KIND_AUTOREPLY)
    bounce_report_set_provider (report, NULL);
}
