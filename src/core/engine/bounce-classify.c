/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-classify.h"
#include "bounce-literal.h"
#include "bounce-prefilter.h"

/* What kind of message it is, from its headers and its words: a bounce, a
 * delay warning, an automatic reply.  The wording below is what RFC 3464
 * notifications and RFC 3834 automatic responses commonly say, in the
 * languages the catalogue covers. */

/* What a delay warning says of itself: "will be retried", "has not yet
 * been delivered", "This is only a notification about a delay". */
#define DELAY_WORDS \
  "will\\s+(?:be\\s+)?(?:retry|retried|try\\s+again|keep\\s+trying|continue\\s+trying)|" \
  "(?:delivery\\s+)?(?:attempts|retries)\\s+will\\s+continue|will\\s+continue\\s+to\\s+(?:try|attempt)|" \
  "has\\s+not\\s+yet\\s+been\\s+delivered|not\\s+yet\\s+(?:been\\s+)?(?:delivered|received)|still\\s+trying|" \
  "delivery\\s+(?:has\\s+been\\s+)?delayed|this\\s+is\\s+(?:only\\s+)?a\\s+warning|" \
  "notification\\s+about\\s+a\\s+delay|delay(?:ed)?\\s+(?:warning|notification)"

typedef enum {
  RE_BOUNCE_SUBJECT,
  RE_BOUNCE_FROM,
  RE_AUTOREPLY_SUBJECT,
  RE_TEMPORARY_WORDS,
  RE_DELAY_SUBJECT,
  RE_WARNING_SUBJECT,
  RE_DELAY_WORDS,
  RE_BOUNCE_WORDS,
  RE_ENHANCED_CODE,
  RE_AUTOREPLY_WORDS,
  RE_FEEDBACK_WORDS,
  RE_DELIVERED_WORDS,
  RE_READ_RECEIPT_WORDS,
  RE_CHALLENGE_SENDER,
  RE_CHALLENGE_WORDS,
  RE_FAILURE_STATEMENT,
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
    "\\b(?:delay(?:ed)?|still\\s+trying|not\\s+yet\\s+delivered|will\\s+retry|transient)\\b", 0 },
  /* "Warning" heads delay notices (Sendmail's "Warning: could not send
   * message for past 4 hours", OpenSMTPD's "Delivery status notification:
   * warning") but also failures (MDaemon's "Warning: bob@... - User
   * unknown!"): it counts when the text speaks of a temporary failure. */
  [RE_WARNING_SUBJECT] = { "\\bwarning\\b", 0 },
  /* What only a delay warning says of itself (a reply's "temporarily
   * deferred" is a temporary error, not a warning). */
  [RE_DELAY_WORDS] = { DELAY_WORDS, 0 },
  /* What a mail server's report says of itself, and the fields and
   * transcripts it quotes (RFC 3464, RFC 5321): in a pasted text, these and
   * not a number such as 550 make it a bounce. */
  [RE_BOUNCE_WORDS] = {
    "diagnostic-code|final-recipient|original-recipient|reporting-mta|remote-mta|x-failed-recipients|"
    "mailer-daemon|postmaster|mail\\s+delivery\\s+(?:subsystem|system|software|failed)|"
    "delivery\\s+(?:status|has\\s+failed|failed|failure|to\\s+the\\s+following|problem|report)|"
    "undeliver|non-?delivery|could\\s*n[o']t\\s+be\\s+delivered|was\\s*n[o']t\\s+delivered|not\\s+(?:been\\s+)?delivered|"
    "delivery\\s+to\\s+[^\\n]{1,80}\\s+failed|returned\\s+mail|\\b(?:smtp|esmtp|lmtp)\\b|remote\\s+(?:host|server|mail\\s+server)|"
    "\\bsaid:|in\\s+reply\\s+to\\s+(?:rcpt|mail|data|end\\s+of\\s+data)|rcpt\\s+to|mail\\s+from:|"
    "recipient|address(?:es)?\\s+failed|permanent(?:ly)?\\s+(?:error|failure|fatal)|"
    "temporar(?:y|ily)\\s+(?:error|failure|deferred|rejected)|\\b(?:rejected|refused|denied|blocked|bounced?)\\b|"
    "\\b(?:user|mailbox|host|domain)\\s+unknown|\\bunknown\\s+(?:user|recipient|mailbox)|no\\s+such\\s+(?:user|mailbox)|"
    /* RFC 5321's own reply texts (section 4.2.3) */
    "requested\\s+(?:mail\\s+)?action\\s+(?:not\\s+taken|aborted)|service\\s+not\\s+available|"
    "transaction\\s+failed|\\bnot\\s+allowed\\b|mailbox\\s+(?:unavailable|name\\s+not\\s+allowed)|syntax\\s+error|"
    "bad\\s+sequence\\s+of\\s+commands|insufficient\\s+system\\s+storage|exceeded\\s+storage\\s+allocation|"
    "user\\s+not\\s+local|closing\\s+transmission\\s+channel|"
    /* Gmail's notice in Japanese, "<address> にメールを配信できませんでした"
     * (could not deliver mail to <address>), as a user quotes one:
     * https://tabi-g.blogspot.com/2020/06/gmail-full-case.html */
    "にメールを配信できませんでした",
    0 },
  /* The sentence in which a server's report says that a message was not
   * delivered: Postfix's and Exim's "could not be delivered" (Postfix
   * bounce(5) templates; the Exim specification, "Bounce and warning
   * messages"), qmail's "I wasn't able to deliver your message ... This is
   * a permanent error" (qmail-send), IMail's "undeliverable to", Exim's
   * "returning message to sender", Sendmail's "Unable to deliver". */
  [RE_FAILURE_STATEMENT] = {
    "could\\s*n[o']t\\s+be\\s+delivered|was\\s*n[o']t\\s+able\\s+to\\s+deliver|unable\\s+to\\s+deliver|"
    "\\bundeliverable\\b|(?:was|has)\\s+not\\s+been\\s+delivered|delivery\\s+(?:has\\s+)?failed|"
    "\\bpermanent\\s+(?:error|failure)\\b|returning\\s+message\\s+to\\s+sender|"
    /* Gmail's notice in Japanese (RE_BOUNCE_WORDS) */
    "にメールを配信できませんでした", 0 },
  /* An enhanced status code (RFC 3463): class 4 or 5, subject and detail. */
  [RE_ENHANCED_CODE] = { "(?<![\\d.])[45]\\.[0-7]\\.[0-9]{1,3}(?![\\d.])", 0 },
  /* An out-of-office note pasted without its headers (RFC 3834 responses
   * say so in their headers; the text is all a paste has). */
  [RE_AUTOREPLY_WORDS] = {
    "\\b(?:i\\s+am|i'm|i\\s+will\\s+be)\\s+(?:currently\\s+|now\\s+)?(?:out\\s+of\\s+(?:the\\s+)?office|away\\b|"
    "on\\s+(?:vacation|holiday|leave|annual\\s+leave|parental\\s+leave|sick\\s+leave|a\\s+business\\s+trip)|"
    "travel+ing|not\\s+in\\s+the\\s+office|out\\s+of\\s+town)|"
    "\\bout\\s+of\\s+(?:the\\s+)?office\\b|limited\\s+access\\s+to\\s+(?:my\\s+)?e-?mail|"
    "\\b(?:will|shall)\\s+(?:be\\s+back|return)\\s+(?:on|in|to\\s+the\\s+office)|upon\\s+my\\s+return|"
    "\\bauto(?:matic|mated)?[- ]?(?:reply|response|antwort)\\b|abwesenheitsnotiz|"
    "\\bich\\s+bin\\s+[^\\n]{0,60}?(?:abwesend|nicht\\s+im\\s+b(?:ü|ue)ro|im\\s+urlaub|au(?:ß|ss)er\\s+haus)|"
    "\\bje\\s+suis\\s+(?:actuellement\\s+)?(?:absente?|en\\s+cong(?:é|e)s?)|absente?\\s+du\\s+bureau|"
    "fuera\\s+de\\s+la\\s+oficina|estoy\\s+de\\s+vacaciones|fuori\\s+ufficio|sono\\s+in\\s+ferie|"
    "ausente\\s+do\\s+escrit(?:ó|o)rio|estou\\s+de\\s+f(?:é|e)rias|ik\\s+ben\\s+(?:met\\s+vakantie|afwezig|niet\\s+op\\s+kantoor)|"
    "jestem\\s+na\\s+urlopie|poza\\s+biurem|不在にして|休暇中|休假|不在办公室",
    0 },
  /* The human-readable part of a feedback report (RFC 5965 section 3, RFC
   * 6591): what kind of report it is.  A Feedback-Type field counts only
   * with a registered type (RFC 5965 section 7.3: abuse, fraud, other,
   * virus; RFC 6650: not-spam; RFC 6591: auth-failure). */
  [RE_FEEDBACK_WORDS] = {
    "\\b(?:e-?mail\\s+)?abuse\\s+(?:report|complaint)\\b|\\bopt-?out\\s+report\\b|"
    "\\bauthentication[-\\s]failure\\s+report\\b|\\bfeedback\\s+loop\\s+(?:report|complaint)\\b|"
    "\\breport\\s+for\\s+an\\s+e-?mail\\s+message\\s+(?:received\\s+)?from\\b|"
    "\\bfeedback-type:[ \\t]{0,8}(?:abuse|fraud|other|virus|not-spam|auth-failure)\\b|\\bsent\\s+this\\s+e-?mail\\s+to\\s+unsubscribe\\b",
    0 },
  /* A report that a message was delivered (RFC 3464 "delivered" or
   * "relayed", as servers word it). */
  [RE_DELIVERED_WORDS] = {
    "delivery\\s+to\\s+(?:these|the\\s+following)\\s+recipients?\\s+(?:or\\s+groups?\\s+)?(?:is|was|has\\s+been)\\s+complete|"
    "(?:has|have)\\s+been\\s+(?:successfully\\s+)?delivered\\s+to|(?:was|were)\\s+successfully\\s+delivered|"
    "delivery\\s+report\\s+that\\s+you\\s+requested|delivery\\s+(?:has\\s+)?succeeded|"
    "your\\s+message\\s+(?:has\\s+been|was)\\s+delivered|"
    /* Exchange's delivery receipt: "Your message ... was delivered to
     * the following recipient(s):" after the message's To and Subject */
    "\\bwas\\s+delivered\\s+to\\s+the\\s+following\\s+recipient",
    0 },
  /* A read receipt (RFC 8098 message disposition notification), or the
   * words of one. */
  [RE_READ_RECEIPT_WORDS] = {
    "^\\s*disposition:\\s*[a-z-]+/[a-z-]+;\\s*(?:displayed|deleted|dispatched|processed)|"
    "\\b(?:was|has\\s+been)\\s+read\\s+on\\b|was\\s+deleted\\s+without\\s+being\\s+read|"
    "\\breturn\\s+receipt\\b|\\bread\\s+receipt\\b|lesebest(?:ä|ae)tigung|accus(?:é|e)\\s+de\\s+lecture",
    G_REGEX_MULTILINE },
  /* Challenge-response and sender-verification services, by name (Boxbe,
   * cPanel's BoxTrapper, SpamArrest, ChoiceMail, Sendio, Mailblocks, TMDA,
   * Bluebottle), or a
   * BoxTrapper Subject "verify#...". */
  [RE_CHALLENGE_SENDER] = {
    "\\bboxbe\\b|boxtrapper|spam\\s?arrest|choicemail|\\bsendio\\b|mailblocks|^\\s*verify#|\\btmda\\b|bluebottle",
    G_REGEX_MULTILINE },
  /* ... or what they ask: to confirm you are a real sender, or to put an
   * address on an approved list, also asked in the passive ("to be added
   * to my list of approved senders": EarthLink's spamBlocker answers
   * unknown senders with such an automatic reply, its "Allowed Sender
   * Request", EarthLink Web Mail Help, spamBlocker FAQ). */
  [RE_CHALLENGE_WORDS] = {
    "(?:be|get|getting|being)\\s+added\\s+to\\s+(?:my|the|our)\\s+(?:list\\s+of\\s+(?:approved|allowed|authori[sz]ed)\\s+senders|"
    "(?:approved|allowed)\\s+senders?\\s+list|white\\s?list|allow\\s?list)|allowed\\s+sender\\s+request|"
    "(?:add|put)\\s+(?:me|us|my\\s+(?:e-?mail\\s+)?address|your\\s+(?:e-?mail\\s+)?address|yourself)\\s+(?:to|on)\\s+"
    "(?:your|my|the|our)\\s+(?:white\\s?list|safe[- ]senders?(?:\\s+list)?|approved\\s+senders?(?:\\s+list)?|"
    "guest\\s+list|allow\\s?list|contacts?\\s+list|address\\s+book)|"
    "(?:verify|confirm|prove)\\s+(?:that\\s+)?you\\s+(?:are\\s+(?:a\\s+)?(?:human|real\\s+(?:person|sender)|not\\s+a\\s+(?:robot|spammer))|"
    "sent\\s+(?:this|the|your)\\s+(?:message|e-?mail))|"
    "(?:complete|finish)\\s+the\\s+(?:sender\\s+)?verification(?:\\s+process)?|"
    "waiting\\s+(?:list|for\\s+(?:your|the\\s+sender'?s?)\\s+(?:verification|confirmation|approval))|"
    "(?:your\\s+message|the\\s+message)\\s+(?:is|has\\s+been|will\\s+be)\\s+held\\s+(?:until|pending)|"
    "your\\s+server\\s+requires\\s+confirmation",
    0 },
};

static gboolean
match (PatternId   id,
       const char *text)
{
  static BounceRegexSlot compiled[N_RE];

  if (text == NULL)
    return FALSE;
  return g_regex_match (bounce_regex_once_for (&compiled[id], patterns[id].source,
                                               patterns[id].flags | G_REGEX_CASELESS, strlen (text)),
                        text, 0, NULL);
}

/* A word of each way through RE_TEMPORARY_WORDS (as the catalogue's
 * prefilter reads them, bounce_prefilter_describe(); picked by hand for
 * being rare, which its own choice, the longest, is not: "delivered"),
 * folded.  Most bounces hold none: the pattern, the costliest here to
 * compile, then is neither compiled nor run. */
static const char * const temporary_needs[] = { "temporar", "will", "yet", "trying", "delay", "warning", NULL };

/* The same for RE_CHALLENGE_WORDS, whose longest words ("message",
 * "address", "sender") nearly every bounce holds: "added" to a list,
 * "allowed" or "approved" senders, the list's name ("white list", "safe
 * senders", "guest list", "contacts list", "address book"), "verify" or
 * "verification", "confirm", "prove", "waiting", "held". */
static const char * const challenge_needs[] = {
  "added", "allow", "approved", "white", "safe", "guest", "contact", "boo", "verif", "confirm", "prove",
  "waiting", "held", NULL
};

/* Whether a text (folded, bounce_literal_fold()) holds one of the words
 * every match of a pattern here needs: those above, else those the
 * catalogue's prefilter reads from the pattern (none where a way through
 * it has none: then it always may match). */
static gboolean
pattern_may_match (PatternId   id,
                   const char *folded)
{
  static GPtrArray *needs[N_RE];

  if (g_once_init_enter (&needs[id]))
    {
      const char * const *picked = id == RE_TEMPORARY_WORDS ? temporary_needs :
                                   id == RE_CHALLENGE_WORDS ? challenge_needs : NULL;
      GPtrArray *words;

      if (picked == NULL)
        words = bounce_prefilter_needs (patterns[id].source);
      else
        {
          words = g_ptr_array_new ();
          for (guint i = 0; picked[i] != NULL; i++)
            g_ptr_array_add (words, (gpointer) picked[i]);
        }
      g_once_init_leave (&needs[id], words);
    }
  return bounce_prefilter_needs_met (needs[id], folded);
}

static gboolean
text_may_match (PatternId   id,
                const char *text)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = bounce_literal_fold (text, -1);
  return pattern_may_match (id, folded);
}

gboolean
bounce_classify_temporary_words_may_match (const char *text)
{
  return text_may_match (RE_TEMPORARY_WORDS, text);
}

gboolean
bounce_classify_temporary_words (const char *text)
{
  return match (RE_TEMPORARY_WORDS, text);
}

/* Whether subject may match RE_DELAY_SUBJECT: a subject of printable
 * ASCII must hold a word of one of its alternatives ("yet" of "not yet
 * delivered").  Most subjects hold none, and the pattern is then neither
 * compiled nor run. */
static gboolean
subject_may_say_delay (const char *subject)
{
  static const char * const words[] = { "delay", "still", "yet", "retry", "transient" };
  const char *end;

  if (subject == NULL)
    return FALSE;
  if (!bounce_text_is_plain_ascii (subject))
    return TRUE;
  end = subject + strlen (subject);
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (bounce_ascii_range_has_word (subject, end, words[i], strlen (words[i])))
      return TRUE;
  return FALSE;
}

void
bounce_classify_words (BounceMessageContext *ctx)
{
  const char *subject = bounce_context_header (ctx, "Subject");

  ctx->temporary_words = ctx->notification->len < 256 * 1024 &&
                         bounce_classify_temporary_words_may_match (ctx->notification->str) &&
                         match (RE_TEMPORARY_WORDS, ctx->notification->str);
  ctx->delay_subject = (subject_may_say_delay (subject) && match (RE_DELAY_SUBJECT, subject)) ||
                       (ctx->temporary_words && match (RE_WARNING_SUBJECT, subject));
  ctx->delay_words = ctx->temporary_words && match (RE_DELAY_WORDS, ctx->notification->str);
  ctx->states_failure = -1;
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

/* A delivery status report (RFC 3464), or Exim's X-Failed-Recipients,
 * which Exim adds to bounces only (the Exim specification, "Customizing
 * bounce and warning messages"; Mailman's Bouncers/Exim.py reads it
 * alone). */
static gboolean
has_failure_headers (BounceMessageContext *ctx)
{
  return bounce_classify_is_delivery_report (ctx) || bounce_context_header (ctx, "X-Failed-Recipients") != NULL;
}

gboolean
bounce_classify_mail_system_sender (const char *from,
                                    const char *return_path)
{
  return bounce_address_is_daemon (address_or_empty (from)) ||
         (from != NULL && strstr (from, "MAILER-DAEMON") != NULL) ||
         g_ascii_strncasecmp (address_or_empty (from), "postmaster@", 11) == 0 ||
         (return_path != NULL && strstr (return_path, "<>") != NULL);
}

gboolean
bounce_classify_from_mail_system (BounceMessageContext *ctx)
{
  return bounce_classify_mail_system_sender (bounce_context_header (ctx, "From"),
                                             bounce_context_header (ctx, "Return-Path"));
}

gboolean
bounce_classify_looks_like_bounce (BounceMessageContext *ctx)
{
  const char *subject = bounce_context_header (ctx, "Subject");
  const char *from = bounce_context_header (ctx, "From");
  const char *return_path = bounce_context_header (ctx, "Return-Path");

  if (ctx->message == NULL)
    return TRUE;   /* a pasted fragment: judged by what it contains */
  if (has_failure_headers (ctx))
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

/* (asked for few messages, those without report fields: matched once, on
 * first asking) */
gboolean
bounce_classify_states_failure (BounceMessageContext *ctx)
{
  if (ctx->states_failure < 0)
    ctx->states_failure = ctx->notification->len <= 256 * 1024 &&
                          match (RE_FAILURE_STATEMENT, ctx->notification->str);
  return ctx->states_failure;
}

/* An enhanced status code among a report's words: a failure report
 * whatever its headers say. */
gboolean
bounce_classify_reads_as_failure_report (BounceMessageContext *ctx)
{
  GString *text = ctx->notification;

  return text->len <= 256 * 1024 && match (RE_ENHANCED_CODE, text->str) && match (RE_BOUNCE_WORDS, text->str);
}

/* Auto-Submitted's keywords of a message no person wrote: RFC 3834
 * section 5 "auto-replied" and "auto-generated", and RFC 8098's
 * "auto-notified" (IANA Auto-Submitted header field keywords).  Sisimai
 * takes any of the three for an automatic reply, its vacation
 * (lib/Sisimai/RFC3834.pm: 'auto-submitted' => qr/\Aauto-(?:generated|
 * replied|notified)/, unchanged from sisimai/p5-sisimai 031749e5 to its
 * 2023 make()), once no report layout has read the message. */
static gboolean
auto_submitted_automatic (const char *value)
{
  static const char * const keywords[] = { "auto-replied", "auto-generated", "auto-notified" };

  while (value != NULL && g_ascii_isspace (*value))
    value++;
  for (gsize i = 0; value != NULL && i < G_N_ELEMENTS (keywords); i++)
    if (g_ascii_strncasecmp (value, keywords[i], strlen (keywords[i])) == 0)
      return TRUE;
  return FALSE;
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
  /* Exim marks its bounces "Auto-Submitted" too: whatever its Subject,
   * a message with a bounce's own headers is a bounce */
  if (has_failure_headers (ctx))
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
  /* "Auto-Submitted: auto-replied" is any automatic answer to a message
   * (RFC 3834 section 5), bounces included: alone, it makes a holiday
   * reply only of a text that does not read as a failure report (an
   * enhanced status code among a report's words) */
  return auto_submitted_automatic (auto_submitted) && !match (RE_BOUNCE_SUBJECT, subject) &&
         !bounce_classify_reads_as_failure_report (ctx);
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

/* A short text (a line or two) is a server's reply on its own when the
 * catalogue knows its words ("Mailbox full"); a longer one, such as an
 * ordinary message that happens to say "access denied", needs more. */
static gboolean
is_short (const char *text)
{
  guint lines = 0;

  if (strlen (text) > 320)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n' && p[1] != '\n' && p[1] != '\0')
      lines++;
  return lines <= 3;
}

gboolean
bounce_classify_fragment_is_bounce (BounceMessageContext *ctx,
                                    gboolean              names_recipients)
{
  const char *text = ctx->notification->str;
  g_autoptr(GPtrArray) rules = NULL;
  BounceEntry *named;
  gboolean words, code;

  if (ctx->notification->len > 256 * 1024)
    return bounce_classify_has_error_codes (text);
  if (match (RE_ENHANCED_CODE, text))
    return TRUE;
  words = match (RE_BOUNCE_WORDS, text);
  code = bounce_classify_has_error_codes (text);
  if (words && (code || names_recipients))
    return TRUE;
  rules = bounce_catalogue_match_rules (ctx->catalogue, text, NULL);
  named = bounce_rules_first_with_reason (rules);
  if (named == NULL)
    return FALSE;
  /* a provider's own sentence says it all ("the group you tried to contact") */
  return bounce_entry_get_strength (named) == BOUNCE_RULE_DEFINITE || words || code || is_short (text);
}

/* The words every match of RE_READ_RECEIPT_WORDS needs, as the catalogue's
 * prefilter reads them from the pattern: a text holding none of them
 * cannot match. */
gboolean
bounce_classify_read_receipt_may_match (const char *text)
{
  return text_may_match (RE_READ_RECEIPT_WORDS, text);
}

gboolean
bounce_classify_read_receipt_words (const char *text)
{
  return match (RE_READ_RECEIPT_WORDS, text);
}

gboolean
bounce_classify_looks_like_read_receipt (BounceMessageContext *ctx)
{
  if (ctx->message != NULL && ctx->message->report_type != NULL)
    return g_ascii_strcasecmp (ctx->message->report_type, "disposition-notification") == 0;
  /* (the pattern, which tries every line start, only where its words are) */
  return ctx->notification->len < 64 * 1024 && bounce_classify_read_receipt_may_match (ctx->notification->str) &&
         match (RE_READ_RECEIPT_WORDS, ctx->notification->str) &&
         !bounce_classify_has_error_codes (ctx->notification->str);
}

gboolean
bounce_classify_challenge_sender (const char *text)
{
  return match (RE_CHALLENGE_SENDER, text);
}

gboolean
bounce_classify_challenge_words (const char *text)
{
  return match (RE_CHALLENGE_WORDS, text);
}

gboolean
bounce_classify_challenge_sender_may_match (const char *text)
{
  return text_may_match (RE_CHALLENGE_SENDER, text);
}

gboolean
bounce_classify_challenge_words_may_match (const char *text)
{
  return text_may_match (RE_CHALLENGE_WORDS, text);
}

gboolean
bounce_classify_looks_like_challenge (BounceMessageContext *ctx)
{
  static const char * const headers[] = { "From", "Sender", "Reply-To", "Subject", "Message-ID", "X-Mailer" };
  const char *text = ctx->notification->str;
  const char *agent = bounce_context_header (ctx, "X-Delivery-Agent");
  g_autofree char *folded = NULL;
  gboolean named, asks;

  if (bounce_classify_is_delivery_report (ctx) || bounce_context_header (ctx, "X-Failed-Recipients") != NULL ||
      ctx->notification->len > 64 * 1024)
    return FALSE;
  /* a refusal with its codes is a bounce, whatever it goes on to ask */
  if (match (RE_ENHANCED_CODE, text) || strstr (text, "Diagnostic-Code:") != NULL)
    return FALSE;
  /* the headers challenge-response systems mark their requests with: TMDA's
   * X-Delivery-Agent, Bluebottle's X-Bluebottle-Request (both read so by
   * Mail::DeliveryStatus::BounceParser) */
  named = bounce_context_header (ctx, "X-Bluebottle-Request") != NULL ||
          (agent != NULL && g_str_has_prefix (agent, "TMDA"));
  /* (the patterns run only where their words are: most bounces hold none
   * of them) */
  for (guint i = 0; i < G_N_ELEMENTS (headers) && !named; i++)
    {
      const char *value = bounce_context_header (ctx, headers[i]);

      named = text_may_match (RE_CHALLENGE_SENDER, value) && match (RE_CHALLENGE_SENDER, value);
    }
  folded = bounce_literal_fold (text, -1);
  asks = pattern_may_match (RE_CHALLENGE_WORDS, folded) && match (RE_CHALLENGE_WORDS, text);
  if (named || (pattern_may_match (RE_CHALLENGE_SENDER, folded) && match (RE_CHALLENGE_SENDER, text)))
    return asks || named || bounce_context_header (ctx, "Subject") != NULL ||
           !bounce_classify_has_error_codes (text);
  return asks && !bounce_classify_has_error_codes (text);
}

/* A challenge-response service's notice sent as a delivery report: Boxbe
 * mails its request as a multipart/report from noreply@boxbe.com whose
 * Diagnostic-Code is "X-Boxbe-Notice; Sender not pre-approved.  Follow
 * instructions in above notice" (Status 4.7.0, Action failed): the
 * recipient's filter holds the message for the sender to confirm, a
 * request and no refusal, which the issue "Every phrase the field knows"
 * asks to be said so.  Read from the bounce's own headers only (its
 * sender names the service), and only while no recipient was refused with
 * a permanent status: such a service's refusal for good is a bounce. */
gboolean
bounce_classify_challenge_report (BounceMessageContext *ctx,
                                  GPtrArray            *listed)
{
  static const char * const headers[] = { "From", "Sender", "Message-ID" };
  gboolean named = FALSE;

  if (listed == NULL || listed->len == 0)
    return FALSE;
  /* (the statuses first: most reports have a permanent one, and need no
   * regex compiled for their headers) */
  for (guint i = 0; i < listed->len; i++)
    {
      const BounceFact *f = listed->pdata[i];

      if (f->status != NULL && f->status[0] == '5')
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (headers) && !named; i++)
    named = match (RE_CHALLENGE_SENDER, bounce_context_header (ctx, headers[i]));
  return named;
}

gboolean
bounce_classify_autoreply_words (BounceMessageContext *ctx)
{
  /* (a system account's mail is never a holiday reply, whatever it says) */
  return ctx->notification->len < 64 * 1024 && !is_system_message (ctx) &&
         match (RE_AUTOREPLY_WORDS, ctx->notification->str) &&
         !bounce_classify_has_error_codes (ctx->notification->str);
}

gboolean
bounce_classify_delivered_words (BounceMessageContext *ctx)
{
  return ctx->notification->len < 64 * 1024 && match (RE_DELIVERED_WORDS, ctx->notification->str) &&
         !bounce_classify_has_error_codes (ctx->notification->str);
}

const char *
bounce_classify_feedback_words (BounceMessageContext *ctx)
{
  g_autofree char *lower = NULL;

  if (ctx->notification->len > 64 * 1024 || !match (RE_FEEDBACK_WORDS, ctx->notification->str))
    return NULL;
  lower = g_ascii_strdown (ctx->notification->str, -1);
  if (strstr (lower, "opt-out") != NULL || strstr (lower, "optout") != NULL || strstr (lower, "unsubscribe") != NULL)
    return "opt-out";
  if (strstr (lower, "authentication failure") != NULL || strstr (lower, "authentication-failure") != NULL)
    return "auth-failure";
  return "abuse";
}

/* Two domains of the same organisation: equal, or one a subdomain of the
 * other ("mail.example.com", "example.com"). */
static gboolean
same_organisation (const char *a,
                   const char *b)
{
  gsize la = strlen (a), lb = strlen (b);

  if (g_ascii_strcasecmp (a, b) == 0)
    return TRUE;
  if (la > lb)
    return a[la - lb - 1] == '.' && g_ascii_strcasecmp (a + la - lb, b) == 0;
  return lb > la && b[lb - la - 1] == '.' && g_ascii_strcasecmp (b + lb - la, a) == 0;
}

/* Whether any of the returned message's headers named (Received, Message-ID,
 * DKIM-Signature, Return-Path, Sender) mentions domain: the message went
 * through, or was signed or written at, that organisation. */
static gboolean
original_mentions (GPtrArray  *original,
                   const char *domain)
{
  static const char * const names[] = {
    "Received", "Message-ID", "DKIM-Signature", "Return-Path", "Sender", "X-Original-Sender"
  };
  g_autofree char *needle = g_ascii_strdown (domain, -1);

  for (guint i = 0; i < original->len; i++)
    {
      BounceField *f = original->pdata[i];
      g_autofree char *value = NULL;

      for (guint k = 0; k < G_N_ELEMENTS (names); k++)
        if (g_ascii_strcasecmp (f->name, names[k]) == 0)
          {
            value = g_ascii_strdown (f->value, -1);
            break;
          }
      if (value != NULL && strstr (value, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* A role or machine address (root, a list's owner- or bounce address),
 * whose bounces are a system's, not a person's.  address is what
 * bounce_extract_address() gives (UTF-8 or a quoted local part may be in
 * it); the names are ASCII, so its local part is compared in ASCII case,
 * as a caseless regex of the names would. */
static gboolean
is_role_address (const char *address)
{
  static const char * const names[] = {
    "root", "postmaster", "abuse", "hostmaster", "webmaster", "admin", "administrator", "noreply", "no-reply",
    "donotreply", "do-notreply", "donot-reply", "do-not-reply", "www-data", "apache", "nobody", "daemon",
  };
  const char *at = strchr (address, '@');
  gsize len;

  if (bounce_address_is_daemon (address))
    return TRUE;
  if (at == NULL)
    return FALSE;
  len = at - address;
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (len == strlen (names[i]) && g_ascii_strncasecmp (address, names[i], len) == 0)
      return TRUE;
  /* a list's owner-, bounce and -request addresses */
  return (len >= 6 && g_ascii_strncasecmp (address, "owner-", 6) == 0) ||
         bounce_ascii_range_has_word (address, at, "bounce", 6) ||
         (len >= 8 && g_ascii_strncasecmp (at - 8, "-request", 8) == 0);
}

/* The returned message's first hop (its oldest Received field) was an
 * unauthenticated SMTP delivery from another host: not a program on a
 * server ("from userid 48"), not a user signed in to send ("with
 * ESMTPSA", "with HTTP", "with MAPI"). */
static gboolean
arrived_from_outside (GPtrArray *original)
{
  static BounceRegexSlot smtp, local;
  const char *oldest = NULL;

  for (guint i = 0; i < original->len; i++)
    {
      BounceField *f = original->pdata[i];

      if (g_ascii_strcasecmp (f->name, "Received") == 0)
        oldest = f->value;
    }
  return oldest != NULL &&
         g_regex_match (bounce_regex_once (&smtp, "^\\s*from\\s[^;]*\\bwith\\s+e?smtps?\\b", G_REGEX_CASELESS),
                        oldest, 0, NULL) &&
         !g_regex_match (bounce_regex_once (&local,
                                            "from\\s+userid|invoked\\s+by\\s+uid|\\blocalhost\\b|127\\.0\\.0\\.1|"
                                            "\\[::1\\]|with\\s+(?:local|e?smtps?a|asmtp|http|mapi)\\b",
                                            G_REGEX_CASELESS),
                         oldest, 0, NULL);
}

gboolean
bounce_classify_is_backscatter (BounceMessageContext *ctx)
{
  GPtrArray *original;
  g_autofree char *user = NULL;
  g_autofree char *from = NULL;
  const char *at_user, *at_from;

  if (ctx->message == NULL || (original = ctx->message->original_headers) == NULL ||
      bounce_fields_lookup (original, "Received") == NULL)
    return FALSE;
  user = bounce_extract_address (bounce_context_header (ctx, "To"), -1, 0, NULL, NULL);
  from = bounce_extract_address (bounce_fields_lookup (original, "From"), -1, 0, NULL, NULL);
  if (user == NULL || from == NULL || is_role_address (user))
    return FALSE;
  at_user = strrchr (user, '@');
  at_from = strrchr (from, '@');
  /* The bounce came to the user for a message that another person, at
   * another organisation, wrote, and that never went through, nor was
   * signed at, the user's organisation: the user's address was put on it
   * as the envelope sender by someone else.  Anything less (the same
   * name at another domain, a message relayed by the user's servers) may
   * be the user's own mail. */
  if (same_organisation (at_user + 1, at_from + 1) ||
      (at_user - user == at_from - from && g_ascii_strncasecmp (user, from, at_user - user) == 0))
    return FALSE;
  return !original_mentions (original, at_user + 1) && arrived_from_outside (original);
}

/* Words before an address that make it the sender's, not a recipient's;
 * a salutation at the start of a line too: a notice greets its reader,
 * the sender ("Hello alice@example.com," in Google Groups' letter,
 * support.google.com/groups/answer/2464926), never the recipient. */
static gboolean
sender_side (const char *before)
{
  static BounceRegexSlot regex;

  return g_regex_match (bounce_regex_once (&regex,
                                           "(?:\\bfrom|\\bsender|envelope-from|return-path|sent\\s+by|reply-to|"
                                           "\\bcc|\\bbcc)\\s*[:=]?\\s*[<\"'(\\[]*\\s*$|"
                                           "(?:^|\\n)[ \\t]*(?:hello|hi|hey|dear|greetings|hallo|liebe[r]?|"
                                           "bonjour|hola|estimad[oa]|ciao|buongiorno|gentile|ol[aá]|prezad[oa]|"
                                           "beste|geachte|witaj|szanown[ya])[ \\t,]*[<\"'(\\[]*$",
                                           G_REGEX_CASELESS),
                        before, 0, NULL);
}

/* An address on a reply's attribution line, the line a mail program
 * writes above the message it quotes: Gmail's and Apple Mail's "On <date>,
 * <name> <address> wrote:" (Gmail folds a long one, so "wrote:" may start
 * the next line), and the same line in the languages of the mail
 * programs' translations ("a écrit :", "escribió:", "ha scritto:",
 * "schreef:", "napisał:", "escreveu:"; German puts the verb first: "Am
 * <date> schrieb <name> <address>:").  The address is the quoted
 * message's author, the notice's sender, never a recipient. */
static gboolean
attribution_line (const char *before,
                  const char *after)
{
  static BounceRegexSlot verb_after, verb_before, colon_after;

  if (g_regex_match (bounce_regex_once (&verb_after,
                                        "^[>\\]\"')]*[ \t]*\n?[ \t]*"
                                        "(?:wrote|a\\s+écrit|escribió|ha\\s+scritto|schreef|napisał|escreveu)"
                                        "[ \t]*:[ \t]*(?:\n|$)",
                                        G_REGEX_CASELESS),
                     after, 0, NULL))
    return TRUE;
  return g_regex_match (bounce_regex_once (&colon_after, "^[>\\]\"')]*[ \t]*:[ \t]*(?:\n|$)", 0),
                        after, 0, NULL) &&
         g_regex_match (bounce_regex_once (&verb_before, "\\bschrieb\\b[^\n]*$", G_REGEX_CASELESS),
                        before, 0, NULL);
}

/* An address in a refusal of the sender: the refused address itself
 * (Postfix's "<a@b>: Sender address rejected: ...", src/smtpd/smtpd_check.c;
 * Sendmail's "<a@b>... Domain of sender address a@b does not exist",
 * sendmail/srvrsmtp.c) and any address in the rest of that line, such as
 * the login of Postfix's "Sender address rejected: not owned by user
 * a@b" (reject_sender_login_mismatch, postconf(5)).  None of them is a
 * recipient: the server refused the message for all of them. */
static gboolean
in_sender_refusal (const char *before,
                   const char *after)
{
  const char *line = strrchr (before, '\n');
  g_autofree char *lower = g_ascii_strdown (line != NULL ? line + 1 : before, -1);

  return bounce_extract_refuses_sender (after) || strstr (lower, "sender address rejected") != NULL;
}

/* ... and words that make it the failed recipient's. */
static gboolean
recipient_side (const char *before)
{
  static BounceRegexSlot regex;

  return g_regex_match (bounce_regex_once (&regex,
                                           "(?:\\bto|\\brecipient(?:s|\\(s\\))?|\\brcpt|\\bfor|\\buser|\\bmailbox|"
                                           "\\baddress(?:es)?\\s+(?:was|were|is)|undeliverable\\s+to|"
                                           "delivered\\s+to)\\s*[:=]?\\s*[<\"'(\\[]*\\s*$",
                                           G_REGEX_CASELESS),
                        before, 0, NULL);
}

/* The value of the header line "Name: value" at line (NULL when the line
 * is not one), up to the end of the line. */
static char *
header_line_value (const char *line,
                   const char *end,
                   const char *name)
{
  gsize n = strlen (name);
  const char *eol = memchr (line, '\n', end - line);

  if (eol == NULL)
    eol = end;
  if ((gsize) (eol - line) <= n || g_ascii_strncasecmp (line, name, n) != 0 || line[n] != ':')
    return NULL;
  return g_strndup (line + n + 1, eol - line - n - 1);
}

gboolean
bounce_classify_names_mail_system (const char *from)
{
  static BounceRegexSlot display;

  return bounce_classify_mail_system_sender (from, NULL) ||
         g_regex_match (bounce_regex_once (&display,
                                           "mail\\s+delivery|delivery\\s+subsystem|mail\\s+system|"
                                           "mail\\s+administrator|mailer.daemon|postmaster",
                                           G_REGEX_CASELESS),
                        from, 0, NULL);
}

/* The address at start is on a From: line (the sender of whatever message
 * it heads), or on the "To:" line of a header block (lines up to an empty
 * one) whose From: names a mail system or whose Subject: is a bounce's:
 * the header of a notice pasted with the lines a mail program shows above
 * it, or forwarded inline.  Its To: is the notice's reader, the sender of
 * the failed message; a returned original's To:, the failed recipient,
 * sits under the original's own From: and Subject:. */
static gboolean
notice_addressee (const char *text,
                  gsize       len,
                  gsize       start)
{
  const char *end = text + len;
  const char *line = text + start;
  const char *first, *p;
  gboolean notice = FALSE;

  while (line > text && line[-1] != '\n')
    line--;
  if (g_ascii_strncasecmp (line, "From:", 5) == 0)
    return TRUE;
  if (g_ascii_strncasecmp (line, "To:", 3) != 0)
    return FALSE;
  /* the block: back to the line after an empty one */
  first = line;
  while (first > text)
    {
      const char *prev = first - 1;

      while (prev > text && prev[-1] != '\n')
        prev--;
      if (prev == first - 1)
        break;  /* an empty line */
      first = prev;
    }
  for (p = first; p < end && *p != '\n' && !notice;)
    {
      const char *eol = memchr (p, '\n', end - p);
      g_autofree char *from = header_line_value (p, end, "From");
      g_autofree char *subject = header_line_value (p, end, "Subject");

      if (from != NULL)
        notice = bounce_classify_names_mail_system (from);
      if (subject != NULL)
        notice = match (RE_BOUNCE_SUBJECT, subject);
      p = eol != NULL ? eol + 1 : end;
    }
  return notice;
}

char *
bounce_classify_named_recipient (const char *text)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *author = NULL;      /* on a reply's attribution line */
  g_autofree char *author_line = NULL;
  char *named = NULL;
  gsize len, from = 0, start, end;
  char *address;

  if (text == NULL)
    return NULL;
  len = MIN (strlen (text), (gsize) 16 * 1024);
  while (seen->len < 32 && (address = bounce_extract_address (text, len, from, &start, &end)) != NULL)
    {
      gsize b = bounce_utf8_back (text, start, 48);
      g_autofree char *before = g_strndup (text + b, start - b);
      g_autofree char *after = g_strndup (text + end, MIN (len - end, (gsize) 48));
      gboolean known = FALSE;

      from = end;
      if (author == NULL && attribution_line (before, after))
        {
          const char *nl = strrchr (before, '\n');

          author = address;
          author_line = g_strconcat (nl != NULL ? nl + 1 : before, address, NULL);
          continue;
        }
      if (bounce_address_is_daemon (address) || sender_side (before) || in_sender_refusal (before, after) ||
          notice_addressee (text, len, start))
        {
          g_free (address);
          continue;
        }
      if (named == NULL && recipient_side (before))
        named = g_strdup (address);
      for (guint i = 0; i < seen->len && !known; i++)
        known = g_str_equal (seen->pdata[i], address);
      if (!known)
        g_ptr_array_add (seen, address);
      else
        g_free (address);
    }
  if (named == NULL && seen->len == 1)
    named = g_strdup (seen->pdata[0]);
  /* A quoted message that names nobody else (an out-of-office reply): its
   * author, unless a mail system wrote it. */
  if (named == NULL && seen->len == 0 && author != NULL && !bounce_address_is_daemon (author) &&
      !bounce_classify_names_mail_system (author_line))
    named = g_steal_pointer (&author);
  return named;
}
