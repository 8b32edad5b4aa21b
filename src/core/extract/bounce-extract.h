/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "bounce-alternation.h"

G_BEGIN_DECLS

typedef enum {
  BOUNCE_FINDING_REPLY_CODE,     /* 550 */
  BOUNCE_FINDING_ENHANCED_CODE,  /* 5.7.1 */
  BOUNCE_FINDING_PROVIDER_TOKEN, /* TSS04, S3150, AS(2201), ... */
  BOUNCE_FINDING_IPV4,
  BOUNCE_FINDING_IPV6,
  BOUNCE_FINDING_HOSTNAME,
  BOUNCE_FINDING_EMAIL,
  BOUNCE_FINDING_DNSBL_ZONE,     /* zen.spamhaus.org, ... named in the text */
  BOUNCE_FINDING_URL,
} BounceFindingKind;

typedef struct {
  BounceFindingKind kind;
  char *text;            /* the matched text, normalised (e.g. lower-case host) */
  gsize byte_offset;     /* into the analysed text */
  gsize byte_length;
  glong offset;          /* in characters, for GtkTextBuffer */
  glong length;          /* in characters */
  gboolean is_public;    /* IPs: a public unicast address (not private, loopback, documentation, ...) */
  char *entry_id;        /* catalogue entry that explains it, or NULL (set by the analyzer) */
} BounceFinding;

#define BOUNCE_TYPE_FINDING (bounce_finding_get_type ())
GType          bounce_finding_get_type   (void) G_GNUC_CONST;
BounceFinding *bounce_finding_copy       (const BounceFinding *finding);
void           bounce_finding_free       (BounceFinding       *finding);
const char    *bounce_finding_kind_to_string (BounceFindingKind kind);  /* "reply", "enhanced", "token", "ipv4", ... */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceFinding, bounce_finding_free)

typedef enum {
  BOUNCE_EXTRACT_CODES   = 1 << 0,  /* reply codes, enhanced codes, provider tokens */
  BOUNCE_EXTRACT_NETWORK = 1 << 1,  /* IPs, host names, emails, zones, URLs */
  BOUNCE_EXTRACT_ALL     = BOUNCE_EXTRACT_CODES | BOUNCE_EXTRACT_NETWORK,
} BounceExtractFlags;

/* Finds everything in text[start, end) (byte offsets; end may be -1 for the
 * whole string).  Appends BounceFinding to findings, sorted by offset, with
 * character offsets relative to the start of text (not of start).
 * tokens finds providers' own codes (the catalogue's
 * bounce_catalogue_get_tokens(); NULL for none).  Patterns are
 * compiled once per process. */
void           bounce_extract            (const char         *text,
                                          gsize               start,
                                          gssize              end,
                                          BounceExtractFlags  flags,
                                          BounceAlternation  *tokens,
                                          GPtrArray          *findings);

/* Convenience: a new array (free func set) with everything in text. */
GPtrArray     *bounce_extract_all        (const char         *text,
                                          BounceAlternation  *tokens);

/* Just the first "<reply> <enhanced>" pair of a diagnostic string such as
 * "smtp; 550 5.1.1 <a@b>... User unknown": the first failure (4xx, 5xx)
 * codes, else the first codes of any class.  Either out may be set to NULL. */
void           bounce_extract_first_codes (const char        *diagnostic,
                                           char             **reply_code,
                                           char             **enhanced_code);

/* The SMTP command a server's reply answered, as bounces say it. */
typedef enum {
  BOUNCE_SMTP_COMMAND_NONE,     /* the text does not say */
  BOUNCE_SMTP_COMMAND_CONNECT,  /* the greeting, HELO/EHLO, STARTTLS, AUTH */
  BOUNCE_SMTP_COMMAND_MAIL,
  BOUNCE_SMTP_COMMAND_RCPT,
  BOUNCE_SMTP_COMMAND_DATA,     /* DATA, BDAT or the end of the message */
} BounceSmtpCommand;

/* The command the text says a refusal answered: "in reply to RCPT TO
 * command", "after end of data", ">>> DATA", "SMTP:RCPT", "does not like
 * recipient", "most progress was RCPT TO" ...  The first mention counts:
 * transcripts list later commands (QUIT, RSET) after the failing one.
 * length may be -1 for a NUL-terminated text. */
BounceSmtpCommand bounce_extract_smtp_command (const char *text,
                                               gssize      length);

/* The first e-mail address in text[from, length), lower case (but for a
 * local part written as an RFC 2047 encoded word: see
 * bounce_address_fold()), with its byte
 * range in *start and *end (either may be NULL); NULL when there is none.
 * Its local part may be a quoted string, kept with its quotes ("john
 * smith"@example.org, RFC 5321 4.1.2), and it may hold letters beyond ASCII
 * (RFC 6531), though not of scripts written without spaces (Han, kana ...).
 * length may be -1 for a NUL-terminated text. */
/* The address s[0, len) in the one case the program writes addresses
 * in: lower case (RFC 5321 2.4: the domain is caseless, and although a
 * local part may be case-sensitive, receivers treat it so), except for a
 * local part written as an RFC 2047 encoded word ("=?utf-8?B?...?=@..."),
 * which some servers echo although RFC 2047 5 (3) forbids it in an
 * addr-spec: its base64 is case-sensitive, so lower case would corrupt
 * it; that local part stays as written and only the domain is folded. */
char             *bounce_address_fold         (const char *s,
                                               gsize       len);
char             *bounce_extract_address      (const char *text,
                                               gssize      length,
                                               gsize       from,
                                               gsize      *start,
                                               gsize      *end);

/* The length of the longest start of the UTF-8 text s that is at most max
 * bytes long and does not end inside a character: where to cut a text
 * before handing it to a regular expression, whose JIT-compiled code must
 * never see a broken character. */
gsize             bounce_utf8_cut             (const char *s,
                                               gsize       max);
/* The other end: where a window of at most max bytes that ends at offset
 * in the UTF-8 text s may start without splitting a character. */
gsize             bounce_utf8_back            (const char *s,
                                               gsize       offset,
                                               gsize       max);

/* The characters of the valid UTF-8 text [p, end): its bytes that do not
 * continue a character. */
glong             bounce_utf8_count_chars     (const char *p,
                                               const char *end);

/* Whether word (lower case, starting with a letter) is in [p, end), in
 * any ASCII case: the cheap test of whether a text holds what a pattern's
 * alternatives need before the pattern is compiled and run. */
gboolean       bounce_ascii_range_has_word (const char      *p,
                                            const char      *end,
                                            const char      *word,
                                            gsize            len);

/* Whether text is only printable ASCII and tabs.  There, a caseless regex
 * of ASCII words matches only those words in ASCII case; elsewhere it also
 * finds 's' in U+017F and 'k' in U+212A, \s and \d other scripts' blanks
 * and digits, and ^ and $ more line ends than the line feed. */
gboolean       bounce_text_is_plain_ascii  (const char      *text);

/* The length of the enhanced status code ("5.1.1", "4.7.500": class 2, 4
 * or 5, then two numbers of one to three digits) that s starts with, or 0.
 * The caller checks what follows it. */
gsize          bounce_enhanced_code_length (const char       *s);

/* TRUE when a line of text starts with a mail system's own address
 * ("MAILER-DAEMON@...", "double-bounce@..."), which is never a recipient. */
gboolean       bounce_address_is_daemon  (const char         *text);
/* Whether the words right after an address say its sender was refused:
 * Postfix's "<a@b>: Sender address rejected: ..." (src/smtpd/smtpd_check.c)
 * and Sendmail's "<a@b>... Domain of sender address a@b does not exist"
 * (sendmail/srvrsmtp.c); the address is then the sender's. */
gboolean       bounce_extract_refuses_sender (const char *after);

/* Number of uses after which a pattern is worth JIT-compiling: the JIT
 * costs more than a few matches without it (in a one-shot bounce-explain
 * run it was most of the regular expressions' cost), a window or a batch
 * run gets it for the patterns it keeps using. */
#define BOUNCE_REGEX_JIT_AFTER_USES 48

/* A pattern's compiled forms, for bounce_regex_once(); static storage
 * (all zero) or filled by bounce_regex_slot_init(). */
typedef struct
{
  GRegex *plain;            /* compiled without the JIT on first use */
  GRegex *jit;              /* with G_REGEX_OPTIMIZE, once used enough */
  gint uses;
  GRegexCompileFlags flags; /* plain's flags (set with it) */
} BounceRegexSlot;

/* The constant pattern compiled with flags on first use, kept in *slot;
 * JIT-compiled (G_REGEX_OPTIMIZE) after BOUNCE_REGEX_JIT_AFTER_USES calls,
 * which then return that one.  Every call counts as a use: call it for each
 * match.  Thread-safe; the regexes are kept for the life of the process. */
GRegex        *bounce_regex_once          (BounceRegexSlot   *slot,
                                           const char        *pattern,
                                           GRegexCompileFlags flags);

/* As bounce_regex_once(), for a match over length bytes: it counts as one
 * use per BOUNCE_REGEX_BYTES_PER_USE bytes besides the call, so that a
 * pattern run over long texts, where matching without the JIT costs most,
 * is JIT-compiled sooner than one run over lines. */
#define BOUNCE_REGEX_BYTES_PER_USE 128
GRegex        *bounce_regex_once_for      (BounceRegexSlot   *slot,
                                           const char        *pattern,
                                           GRegexCompileFlags flags,
                                           gsize              length);

/* Counts n more matches of a pattern made without the JIT in *uses and,
 * when they pass BOUNCE_REGEX_JIT_AFTER_USES, compiles it again with flags
 * and G_REGEX_OPTIMIZE into *jit (NULL until then), for the callers to use
 * from then on.  Thread-safe; the catalogue's rules and
 * bounce_regex_once() share it. */
void           bounce_regex_count_uses    (gint              *uses,
                                           gint               n,
                                           GRegex           **jit,
                                           const char        *pattern,
                                           GRegexCompileFlags flags);

/* Fills slot with plain, a regex compiled without G_REGEX_OPTIMIZE from
 * flags (the slot takes the reference), before any bounce_regex_once() on
 * it, which then JIT-compiles g_regex_get_pattern (plain) when it is used
 * enough (pass that pattern to it).  Not thread-safe. */
void           bounce_regex_slot_init     (BounceRegexSlot   *slot,
                                           GRegex            *plain,
                                           GRegexCompileFlags flags);

/* Whether the long word lists the host name test looks words up in by
 * halves are sorted, in lower case, each word once (for the tests). */
gboolean       bounce_extract_word_lists_ok (void);

/* TRUE when s is a syntactically valid, public (routable) IP address. */
gboolean       bounce_ip_is_public       (const char         *s);

G_END_DECLS
