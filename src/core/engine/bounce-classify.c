/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-classify.h"

/* What kind of message it is, from its headers and its words: a bounce, a
 * delay warning, an automatic reply.  The wording below is what RFC 3464
 * notifications and RFC 3834 automatic responses commonly say, in the
 * languages the catalogue covers. */

/* What a delay warning says of itself: "will be retried", "has not yet
 * been delivered", "This is only a notification about a delay". */
#define DELAY_WORDS \
  "will\\s+(?:be\\s+)?(?:retry|retried|try\\s+again|keep\\s+trying|continue\\s+trying)|" \
  "has\\s+not\\s+(?:yet\\s+)?been\\s+delivered|not\\s+yet\\s+(?:been\\s+)?(?:delivered|received)|still\\s+trying|" \
  "delivery\\s+(?:has\\s+been\\s+)?delayed|this\\s+is\\s+(?:only\\s+)?a\\s+warning|" \
  "notification\\s+about\\s+a\\s+delay|delay(?:ed)?\\s+(?:warning|notification)"

typedef enum {
  RE_BOUNCE_SUBJECT,
  RE_BOUNCE_FROM,
  RE_AUTOREPLY_SUBJECT,
  RE_TEMPORARY_WORDS,
  RE_DELAY_SUBJECT,
  RE_DELAY_WORDS,
  N_RE
} PatternId;

static const struct {
  const char *source;
  GRegexCompileFlags flags;
} patterns[N_RE] = {
  [RE_BOUNCE_SUBJECT] = {
    "undeliver|undelivered|delivery\\s+(?:status|fail|notification|report|problem|has\\s+failed)|"
    "failure\\s+notice|returned\\s+mail|mail\\s+delivery|non.?deliver|nondeliver|could\\s+not\\s+be\\s+delivered|"
    "not\\s+delivered|delivery\\s+error|bounced?\\b|rejected|mail\\s+system\\s+error|warning:\\s*message|"
    "delayed\\s+mail|delivery\\s+delayed|message\\s+delayed|delivery\\s+delay|couldn't\\s+be\\s+delivered|"
    "unzustellbar|nicht\\s+zustellbar|retorno\\s+de\\s+mensagem|non\\s+remis|error\\s+sending|"
    "delivery\\s+to\\s+the\\s+following|permanent\\s+error|failed\\s+delivery|unable\\s+to\\s+deliver|"
    "mail\\s+failed|return(?:ed|ing)\\s+to\\s+sender", 0 },
  [RE_BOUNCE_FROM] = {
    "mailer-daemon|postmaster|mail\\s+delivery|mail\\s+administrator|delivery\\s+subsystem|"
    "mailerdaemon|mdaemon|mail\\s+system|bounce|no-?reply|daemon|nobody", 0 },
  [RE_AUTOREPLY_SUBJECT] = {
    "^(?:auto(?:matic)?[ -]?(?:reply|response|antwort|r[ée]ponse)|out\\s+of\\s+(?:the\\s+)?office|"
    "vacation|away|abwesen|absence|holiday|on\\s+leave|autoreply|auto:)|"
    "\\bout\\s+of\\s+(?:the\\s+)?office\\b|\\bauto(?:matic)?[ -]reply\\b|\\bvacation\\b", G_REGEX_MULTILINE },
  [RE_TEMPORARY_WORDS] = {
    "temporar(?:y|ily)\\s+(?:error|failure|problem|unavailable|deferred|rejected)|" DELAY_WORDS, 0 },
  [RE_DELAY_SUBJECT] = {
    "\\b(?:delay(?:ed)?|warning|still\\s+trying|not\\s+yet\\s+delivered|will\\s+retry|transient)\\b", 0 },
  /* What only a delay warning says of itself (a reply's "temporarily
   * deferred" is a temporary error, not a warning). */
  [RE_DELAY_WORDS] = { DELAY_WORDS, 0 },
};

static gboolean
match (PatternId   id,
       const char *text)
{
  static GRegex *compiled[N_RE];

  if (text == NULL)
    return FALSE;
  return g_regex_match (bounce_regex_once (&compiled[id], patterns[id].source,
                                           patterns[id].flags | G_REGEX_CASELESS),
                        text, 0, NULL);
}

void
bounce_classify_words (BounceMessageContext *ctx)
{
  ctx->delay_subject = match (RE_DELAY_SUBJECT, bounce_context_header (ctx, "Subject"));
  ctx->temporary_words = ctx->notification->len < 256 * 1024 &&
                         match (RE_TEMPORARY_WORDS, ctx->notification->str);
  ctx->delay_words = ctx->temporary_words && match (RE_DELAY_WORDS, ctx->notification->str);
  ctx->delay_notice = ctx->delay_subject || ctx->temporary_words;
}

static const char *
address_or_empty (const char *value)
{
  const char *lt;

  if (value == NULL)
    return "";
  lt = strchr (value, '<');
  return lt ? lt + 1 : value;
}

gboolean
bounce_classify_is_delivery_report (BounceMessageContext *ctx)
{
  return ctx->message != NULL && ctx->message->report_type != NULL &&
         g_ascii_strcasecmp (ctx->message->report_type, "delivery-status") == 0;
}

gboolean
bounce_classify_looks_like_bounce (BounceMessageContext *ctx)
{
  const char *subject = bounce_context_header (ctx, "Subject");
  const char *from = bounce_context_header (ctx, "From");
  const char *return_path = bounce_context_header (ctx, "Return-Path");

  if (ctx->message == NULL)
    return TRUE;   /* a pasted fragment: judged by what it contains */
  if (bounce_classify_is_delivery_report (ctx) || bounce_context_header (ctx, "X-Failed-Recipients") != NULL)
    return TRUE;
  if (match (RE_BOUNCE_SUBJECT, subject))
    return TRUE;
  /* MAILER-DAEMON and postmaster only send reports; "noreply" and the
   * like also send newsletters, so they need an empty Return-Path too. */
  if (bounce_address_is_daemon (address_or_empty (from)) ||
      (from != NULL && strstr (from, "MAILER-DAEMON") != NULL))
    return TRUE;
  return match (RE_BOUNCE_FROM, from) &&
         (return_path == NULL || strstr (return_path, "<>") != NULL || match (RE_BOUNCE_FROM, return_path));
}

static gboolean
contains_nocase (const char *value,
                 const char *needle)
{
  g_autofree char *lower = value != NULL ? g_ascii_strdown (value, -1) : NULL;

  return lower != NULL && strstr (lower, needle) != NULL;
}

/* Messages of system accounts are never anyone's holiday reply: from
 * root, postmaster or a mailer daemon, to root, sudo's "SECURITY
 * information for" and Exim's "Mail failure -" (the exclusions of
 * Sisimai::RFC3834). */
static gboolean
is_system_message (BounceMessageContext *ctx)
{
  const char *from = address_or_empty (bounce_context_header (ctx, "From"));
  const char *to = address_or_empty (bounce_context_header (ctx, "To"));
  const char *subject = bounce_context_header (ctx, "Subject");

  return g_ascii_strncasecmp (from, "root@", 5) == 0 || g_ascii_strncasecmp (from, "postmaster@", 11) == 0 ||
         g_ascii_strncasecmp (from, "mailer-daemon@", 14) == 0 || g_ascii_strncasecmp (to, "root@", 5) == 0 ||
         contains_nocase (subject, "security information for") || contains_nocase (subject, "mail failure -");
}

/* RFC 3834 (Auto-Submitted) and what auto-responders add: X-Autoreply and
 * its kin, Precedence: auto_reply, Apple Mail's X-Apple-Action: vacation,
 * and their Subject prefixes. */
gboolean
bounce_classify_looks_like_autoreply (BounceMessageContext *ctx)
{
  const char *auto_submitted = bounce_context_header (ctx, "Auto-Submitted");
  const char *subject = bounce_context_header (ctx, "Subject");
  const char *precedence = bounce_context_header (ctx, "Precedence");
  const char *apple = bounce_context_header (ctx, "X-Apple-Action");

  if (ctx->message == NULL || is_system_message (ctx))
    return FALSE;
  if (bounce_context_header (ctx, "X-Autoreply") != NULL || bounce_context_header (ctx, "X-Autorespond") != NULL ||
      bounce_context_header (ctx, "X-Autoresponder") != NULL)
    return TRUE;
  while (precedence != NULL && g_ascii_isspace (*precedence))
    precedence++;
  if ((precedence != NULL && g_ascii_strncasecmp (precedence, "auto_reply", 10) == 0) ||
      contains_nocase (apple, "vacation"))
    return TRUE;
  if (match (RE_AUTOREPLY_SUBJECT, subject))
    return TRUE;
  return auto_submitted != NULL && g_ascii_strncasecmp (auto_submitted, "auto-replied", 12) == 0 &&
         !match (RE_BOUNCE_SUBJECT, subject);
}

gboolean
bounce_classify_has_error_codes (const char *text)
{
  g_autofree char *reply = NULL;
  g_autofree char *enhanced = NULL;

  bounce_extract_first_codes (text, &reply, &enhanced);
  return (reply != NULL && (reply[0] == '4' || reply[0] == '5')) ||
         (enhanced != NULL && (enhanced[0] == '4' || enhanced[0] == '5'));
}

gboolean
bounce_classify_fragment_names_failure (BounceMessageContext *ctx)
{
  g_autoptr(GPtrArray) rules = NULL;

  if (ctx->notification->len > 64 * 1024)
    return FALSE;
  rules = bounce_catalogue_match_rules (ctx->catalogue, ctx->notification->str, NULL);
  return bounce_rules_first_with_reason (rules) != NULL;
}
