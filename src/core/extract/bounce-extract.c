/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "bounce-extract.h"
#include "bounce-alternation.h"
#include "bounce-scan.h"

/*
 * Extraction works in two steps: one pass over the text finds candidates
 * quickly (bounce-scan.c: each kind starts on a selective byte, and every
 * repeat is bounded), then small C checks look at the bytes around a
 * candidate to decide whether it sits in an SMTP-ish context.  Context rules
 * in C are easier to read and to bound than one giant look-around regex.
 *
 * Matching is on bytes with ASCII classes (which is what codes and host
 * names need).  Every candidate starts and ends on an ASCII byte, so it
 * never splits a multi-byte character.  The few patterns left here are
 * compiled with G_REGEX_RAW for the same reason.
 */

G_DEFINE_BOXED_TYPE (BounceFinding, bounce_finding, bounce_finding_copy, bounce_finding_free)

BounceFinding *
bounce_finding_copy (const BounceFinding *finding)
{
  BounceFinding *copy;

  g_return_val_if_fail (finding != NULL, NULL);

  copy = g_new0 (BounceFinding, 1);
  *copy = *finding;
  copy->text = g_strdup (finding->text);
  copy->entry_id = g_strdup (finding->entry_id);
  return copy;
}

void
bounce_finding_free (BounceFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->text);
  g_free (finding->entry_id);
  g_free (finding);
}

const char *
bounce_finding_kind_to_string (BounceFindingKind kind)
{
  switch (kind)
    {
    case BOUNCE_FINDING_REPLY_CODE:
      return "reply";
    case BOUNCE_FINDING_ENHANCED_CODE:
      return "enhanced";
    case BOUNCE_FINDING_PROVIDER_TOKEN:
      return "token";
    case BOUNCE_FINDING_IPV4:
      return "ipv4";
    case BOUNCE_FINDING_IPV6:
      return "ipv6";
    case BOUNCE_FINDING_HOSTNAME:
      return "hostname";
    case BOUNCE_FINDING_EMAIL:
      return "email";
    case BOUNCE_FINDING_DNSBL_ZONE:
      return "zone";
    case BOUNCE_FINDING_URL:
      return "url";
    default:
      return "unknown";
    }
}

/* ------------------------------------------------------------------ */
/* Patterns                                                            */

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

typedef struct
{
  gsize start;
  gsize end;
} Span;

static inline gboolean
is_word_byte (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* Whether word[0, len) is one of list, case aside.  (The first bytes are
 * compared first: every host name's last label is looked up in two lists
 * of about a hundred.) */
/* g_ascii_tolower() without the call. */
static inline char
ascii_lower (char c)
{
  return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static gboolean
word_in_list (const char  *word,
              gsize        len,
              const char * const *list)
{
  char first;

  if (len == 0)
    return FALSE;
  first = ascii_lower (word[0]);
  for (gsize i = 0; list[i] != NULL; i++)
    {
      if (ascii_lower (list[i][0]) == first && strlen (list[i]) == len && g_ascii_strncasecmp (word, list[i], len) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The same for a long list, sorted (strcmp(), lower case, each word once:
 * bounce_extract_word_lists_ok() checks the lists for the tests), of n
 * words: looked up by halves, not compared with each of them.  (A set of
 * them made at the first use cost a run about 0.15 M instructions.) */
static gboolean
word_in_sorted (const char          *word,
                gsize                len,
                const char * const  *list,
                gsize                n)
{
  char lower[32];
  gsize lo = 0, hi = n;

  if (len == 0 || len >= sizeof lower || memchr (word, '\0', len) != NULL)
    return word_in_list (word, len, list);
  for (gsize i = 0; i < len; i++)
    lower[i] = ascii_lower (word[i]);
  lower[len] = '\0';
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      int c = strcmp (lower, list[mid]);

      if (c == 0)
        return TRUE;
      if (c < 0)
        hi = mid;
      else
        lo = mid + 1;
    }
  return FALSE;
}

/* Does any span contain [start, end)?  spans is sorted by start and, for a
 * single kind, non-overlapping. */
static gboolean
spans_contain (GArray *spans,
               gsize   start,
               gsize   end)
{
  guint lo = 0, hi;

  if (spans == NULL || spans->len == 0)
    return FALSE;

  hi = spans->len;
  /* Find the last span whose start <= start. */
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (spans, Span, mid).start <= start)
        lo = mid;
      else
        hi = mid;
    }
  {
    const Span *s = &g_array_index (spans, Span, lo);

    return s->start <= start && end <= s->end;
  }
}

static void
add_finding (GPtrArray         *out,
             BounceFindingKind  kind,
             const char        *text,
             gsize              byte_offset,
             gsize              byte_length,
             char              *normalised)
{
  BounceFinding *f = g_new0 (BounceFinding, 1);

  f->kind = kind;
  f->byte_offset = byte_offset;
  f->byte_length = byte_length;
  f->text = normalised != NULL ? normalised : g_strndup (text + byte_offset, byte_length);
  g_ptr_array_add (out, f);
}

/* ------------------------------------------------------------------ */
/* Enhanced status codes                                               */

/* Software names and words that put a dotted triple in a version context. */
static const char * const version_words[] = {
  "postfix", "exim", "sendmail", "qmail", "courier", "dovecot", "exchange",
  "version", "ver", "release", "rel", "build", "openssl", "openssh", "linux",
  "kernel", "debian", "ubuntu", "python", "perl", "php", "glib", "gtk", "gmime",
  "spamassassin", "amavis", "amavisd", "amavisd-new", "clamav", "rspamd", "zimbra",
  "mimedefang", "firefox", "thunderbird", "outlook", "chrome", "android", "ios",
  "macos", "windows", "apache", "nginx", "mysql", "postgresql", "libc", "glibc",
  "v", "vers", "patch", "update", "firmware", "mailman", "fml", "phpmailer",
  "swiftmailer", "nodemailer", "roundcube", "squirrelmail", "horde", "sogo", "mutt",
  NULL
};

/* Parses "c.s.d" at text[pos] with the same rules as RE_ENHANCED; returns
 * its length or 0. */
static gsize
enhanced_at (const char *text,
             gsize       pos,
             gsize       end)
{
  gsize p = pos, digits = 0;

  if (pos > 0 && (is_word_byte (text[pos - 1]) || strchr ("./\\$", text[pos - 1]) != NULL))
    return 0;
  if (p + 5 > end || !strchr ("245", text[p]) || text[p] == '\0')
    return 0;
  if (text[p + 1] != '.' || text[p + 2] < '0' || text[p + 2] > '7' || text[p + 3] != '.')
    return 0;
  p += 4;
  while (p < end && g_ascii_isdigit (text[p]) && digits < 4)
    {
      p++;
      digits++;
    }
  if (digits == 0 || digits > 3)
    return 0;
  if (p < end)
    {
      char c = text[p];
      char n = p + 1 < end ? text[p + 1] : '\0';

      if (is_word_byte (c) || c == '@' || c == '+' || c == '~')
        return 0;
      if (c == '.' && g_ascii_isalnum (n))
        return 0;
      if (c == '-' && g_ascii_isdigit (n))
        return 0;
    }
  return p - pos;
}

/* Header fields whose values carry software versions, not statuses.  With
 * relays FALSE, the trace fields (Received, Server), which also carry
 * addresses, do not count. */
static gboolean
in_version_header (const char *text,
                   gsize       pos,
                   gboolean    relays)
{
  gsize ls = pos, n;
  g_autofree char *name = NULL;

  while (ls > 0 && text[ls - 1] != '\n' && text[ls - 1] != '\r' && pos - ls < 300)
    ls--;
  if (ls > 0 && pos - ls >= 300)
    return FALSE;
  for (n = ls; n < pos && n - ls < 40 && (g_ascii_isalnum (text[n]) || text[n] == '-'); n++)
    ;
  if (n == ls || n >= pos || text[n] != ':')
    return FALSE;
  name = g_ascii_strdown (text + ls, n - ls);
  return strstr (name, "version") != NULL || strstr (name, "mailer") != NULL ||
         strstr (name, "agent") != NULL || strstr (name, "mlserver") != NULL ||
         (relays && (g_str_equal (name, "received") || g_str_equal (name, "x-received") ||
                     g_str_equal (name, "server")));
}

static gboolean
enhanced_in_context (const char *text,
                     gsize       pos,
                     gsize       len,
                     gsize       end)
{
  gsize b = pos, w;
  guint skipped = 0;
  gboolean after_reply;

  after_reply = pos >= 4 && (text[pos - 1] == ' ' || text[pos - 1] == '-') &&
                g_ascii_isdigit (text[pos - 2]) && g_ascii_isdigit (text[pos - 3]) &&
                text[pos - 4] == text[pos];
  if (after_reply)
    return TRUE;

  /* Registered success codes have one-digit details; "2.1.15" is a
   * version (Mailman, Postfix, ...). */
  if (text[pos] == '2' && len > 5)
    return FALSE;

  if (in_version_header (text, pos, TRUE))
    return FALSE;

  /* "Postfix 2.1.5", "version 5.0.1", "Version: 2.0.8" */
  while (b > 0 && strchr (" \t:", text[b - 1]) != NULL && skipped < 3)
    {
      b--;
      skipped++;
    }
  if (skipped > 0)
    {
      w = b;
      while (w > 0 && b - w < 24 && (g_ascii_isalpha (text[w - 1]) || text[w - 1] == '-'))
        w--;
      if (w < b && word_in_list (text + w, b - w, version_words))
        return FALSE;
      /* "Nyaan SMTP 2.2.22": a product name, for success codes */
      if (w < b && text[pos] == '2' && b - w >= 4 &&
          g_ascii_strncasecmp (text + b - 4, "smtp", 4) == 0)
        return FALSE;
    }

  /* "4.0.3 release", "5.2.7 (build 123)" */
  {
    static const char * const after_words[] = { "release", "build", "beta", "alpha", "rc", NULL };
    gsize p = pos + len, e;

    while (p < end && (text[p] == ' ' || text[p] == '('))
      p++;
    for (e = p; e < end && g_ascii_isalpha (text[e]) && e - p < 10; e++)
      ;
    if (e > p && word_in_list (text + p, e - p, after_words))
      return FALSE;
  }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Reply codes                                                         */

/* A number followed by one of these words is a count, not a reply. */
static const char * const unit_words[] = {
  "byte", "bytes", "b", "kb", "k", "mb", "m", "gb", "kib", "mib", "octets",
  "characters", "chars", "messages", "mails", "emails", "recipients", "users",
  "times", "attempts", "tries", "retries", "seconds", "secs", "sec", "s", "ms",
  "minutes", "mins", "min", "hours", "hrs", "h", "days", "d", "weeks", "months",
  "years", "lines", "items", "pages", "percent", "kbps", "mbps", "px", "km",
  "miles", "dollars", "euros", "usd", "eur", "gbp", "pts", "points", "connections",
  "addresses", "domains", "hosts", "ips", "files", "entries", "records",
  NULL
};

/* A reply code right after one of these (with optional ':', ';', quotes,
 * brackets in between) is in an SMTP context. */
static const char * const reply_words[] = {
  "said", "says", "replied", "reply", "replies", "response", "responded",
  "returned", "answered", "answer", "status", "code", "error", "err",
  "errors", "reason", "failed", "failure", "rejected", "refused", "deferred",
  "with", "smtp", "esmtp", "lmtp", "diagnostic-code", "x-postfix", "x-unix",
  "x-local", "x-qmail", "x-notes", "x-exim", "x-smtp", "sent", "error_code",
  "errorcode", "smtp_code", "status_code", "statuscode", "responsecode",
  NULL
};

/* These count only when a ':' follows them ("server: 550"). */
static const char * const reply_colon_words[] = {
  "server", "host", "result", "details", "detail", "diagnostic", "info",
  "problem", "explanation", "message", "text", "recipient", "mta", "remote",
  "out", "was", "me",
  NULL
};

static gboolean
followed_by_unit (const char *text,
                  gsize       after,
                  gsize       end)
{
  gsize p = after, w;

  if (p < end && text[p] == '%')
    return TRUE;
  if (p >= end || (text[p] != ' ' && text[p] != '\t'))
    return FALSE;
  while (p < end && (text[p] == ' ' || text[p] == '\t') && p - after < 4)
    p++;
  w = p;
  while (p < end && g_ascii_isalpha (text[p]) && p - w < 13)
    p++;
  if (p == w || (p < end && is_word_byte (text[p])))
    return FALSE;
  return word_in_list (text + w, p - w, unit_words);
}

/* Does the line before pos (bounded) mention an SMTP command? */
static gboolean
line_has_smtp_command (const char *text,
                       gsize       pos)
{
  gsize ls = pos;

  while (ls > 0 && text[ls - 1] != '\n' && text[ls - 1] != '\r' && pos - ls < 300)
    ls--;
  for (gsize i = ls; i + 7 <= pos; i++)
    {
      if ((text[i] == 'R' || text[i] == 'r') && g_ascii_strncasecmp (text + i, "rcpt to", 7) == 0)
        return TRUE;
      if ((text[i] == 'M' || text[i] == 'm') && i + 9 <= pos &&
          g_ascii_strncasecmp (text + i, "mail from", 9) == 0)
        return TRUE;
    }
  return FALSE;
}

/* RFC 5321 codes: the second digit is 0-5; success codes are few.  4xx
 * starts at 420 so that HTTP's 400-418 stay out; 571 is an old Exchange
 * favourite. */
static gboolean
reply_code_is_valid (const char *c)
{
  static const char * const success[] = {
    "211", "214", "220", "221", "235", "250", "251", "252", "253", NULL
  };

  if (c[0] == '2')
    return word_in_list (c, 3, success);
  if (c[0] == '4')
    return c[1] >= '2' && c[1] <= '5';
  return (c[1] >= '0' && c[1] <= '5') || (c[1] == '7' && c[2] == '1');
}

/* Same three digits followed by '-' or ' ' earlier on the line: the
 * joined lines of a multi-line reply ("554-No SMTP service 554-Bad DNS"). */
static gboolean
code_earlier_on_line (const char *text,
                      gsize       pos)
{
  for (gsize i = pos; i > 0 && pos - i < 300 && text[i - 1] != '\n' && text[i - 1] != '\r'; i--)
    {
      gsize s = i - 1;

      if (s + 4 <= pos && memcmp (text + s, text + pos, 3) == 0 &&
          (text[s + 3] == '-' || text[s + 3] == ' ') &&
          (s == 0 || !is_word_byte (text[s - 1])))
        return TRUE;
    }
  return FALSE;
}

static gboolean
span_ends_at (GArray *spans,
              gsize   at)
{
  guint lo = 0, hi;

  if (spans == NULL || spans->len == 0 || at == 0)
    return FALSE;
  hi = spans->len;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (spans, Span, mid).start < at)
        lo = mid;
      else
        hi = mid;
    }
  return g_array_index (spans, Span, lo).end == at;
}

/* A byte of an address's local part as bounces write it: ASCII, no
 * quoting (RFC 5322's atext and the dot). */
static inline gboolean
is_local_part_byte (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+/=?^_`{|}~.-", c) != NULL);
}

/* Whether an address starts at text[p]: local-part bytes (RFC 5322 3.2.3
 * atext and the dot, digits among them) up to an '@' and a letter or digit.
 * A local part of digits alone is common ("550 12345678@qq.example... No
 * such user"), and is no number after a reply code. */
static gboolean
address_starts_at (const char *text,
                   gsize       p,
                   gsize       end)
{
  gsize q = p;

  while (q < end && q - p < 64 && is_local_part_byte (text[q]))
    q++;
  return q > p && q + 1 < end && text[q] == '@' && g_ascii_isalnum (text[q + 1]);
}

static gboolean
reply_in_context (const char *text,
                  gsize       pos,
                  gsize       end,
                  GArray     *email_spans)
{
  gsize after = pos + 3;
  gsize b, w;
  gboolean text_follows, has_colon = FALSE, has_comma = FALSE;
  guint skipped = 0;

  if (!reply_code_is_valid (text + pos) || followed_by_unit (text, after, end))
    return FALSE;

  /* "550 5.1.1", "550-5.7.1", "#550 #5.0.0", "550: 5.2.2" */
  {
    gsize p = after;

    if (p < end && text[p] == ':')
      p++;
    if (p < end && (text[p] == ' ' || text[p] == '-' || text[p] == '\t'))
      {
        p++;
        if (p < end && (text[p] == '#' || text[p] == '(' || text[p] == ' '))
          p++;
        if (enhanced_at (text, p, end) > 0)
          return TRUE;
      }
  }

  /* "(550)" but not the area code of "(550) 123-4567" */
  if (pos > 0 && text[pos - 1] == '(' && after < end && text[after] == ')')
    {
      gsize p = after + 1;

      while (p < end && text[p] == ' ' && p - after < 3)
        p++;
      return !(p < end && g_ascii_isdigit (text[p]));
    }

  /* Some text (not a number, but maybe an address of digits) after
   * "550 " / "550-". */
  text_follows = after < end && (text[after] == ' ' || text[after] == '-' || text[after] == '\t') &&
                 after + 1 < end &&
                 (!g_ascii_isdigit (text[after + 1]) || address_starts_at (text, after + 1, end)) &&
                 text[after + 1] != '\n' && text[after + 1] != '\r';

  /* Line start, maybe indented, quoted ("> 550") or a transcript ("<<< 550"). */
  b = pos;
  while (b > 0 && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '>') && pos - b < 16)
    b--;
  if (b >= 3 && strncmp (text + b - 3, "<<<", 3) == 0)
    {
      b -= 3;
      while (b > 0 && (text[b - 1] == ' ' || text[b - 1] == '\t') && pos - b < 24)
        b--;
      if (text_follows || after >= end)
        return TRUE;
    }
  if ((b == 0 || text[b - 1] == '\n' || text[b - 1] == '\r') && text_follows)
    return TRUE;

  /* A context word before it: "said: 550", "smtp; 550", "returned '550". */
  b = pos;
  while (b > 0 && skipped < 8 && strchr (" \t\r\n:;,='\"([<#", text[b - 1]) != NULL)
    {
      if (text[b - 1] == ':')
        has_colon = TRUE;
      if (text[b - 1] == ',')
        has_comma = TRUE;
      b--;
      skipped++;
    }
  if (b < pos && b > 0)
    {
      /* Exim: "host mx.example [192.0.2.1]: 550 ...", "[192.0.2.5], 550" */
      if ((has_colon || has_comma) && (text[b - 1] == ']' || text[b - 1] == ')'))
        return TRUE;
      /* "<a@b.example>: 550", "a@b.example: 550", "<a@b>... 550" */
      if (has_colon && (text[b - 1] == '>' || span_ends_at (email_spans, b)))
        return TRUE;
      if (b >= 4 && strncmp (text + b - 4, ">...", 4) == 0)
        return TRUE;
      /* "-> 550 Unknown user" (Exchange quoting the remote reply) */
      if ((b >= 2 && strncmp (text + b - 2, "->", 2) == 0) ||
          (b >= 5 && strncmp (text + b - 5, "-&gt;", 5) == 0))
        return TRUE;
      /* Postfix "delivery via mx[192.0.2.2]:25: 250 2.0.0 Ok" */
      if (has_colon && g_ascii_isdigit (text[b - 1]))
        {
          w = b;
          while (w > 0 && g_ascii_isdigit (text[w - 1]) && b - w < 5)
            w--;
          if (w >= 2 && text[w - 1] == ':' && text[w - 2] == ']')
            return TRUE;
        }
      /* "550 5.7.1 550 User Unknown" */
      if (text_follows && b >= 5 && !has_colon && g_ascii_isdigit (text[b - 1]))
        {
          w = b;
          while (w > 0 && b - w < 7 && (g_ascii_isdigit (text[w - 1]) || text[w - 1] == '.'))
            w--;
          if (enhanced_at (text, w, b) == b - w)
            return TRUE;
        }
      w = b;
      while (w > 0 && b - w < 24 && (is_word_byte (text[w - 1]) || text[w - 1] == '-'))
        w--;
      if (w < b)
        {
          if (word_in_list (text + w, b - w, reply_words))
            return TRUE;
          if (has_colon && word_in_list (text + w, b - w, reply_colon_words))
            return TRUE;
        }
    }

  /* "RCPT TO:<a@b.example> 550 User unknown" */
  if (text_follows && line_has_smtp_command (text, pos))
    return TRUE;
  if (text_follows && code_earlier_on_line (text, pos))
    return TRUE;

  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Host names                                                          */

static const char * const file_extensions[] = {
  "asc", "asp", "aspx", "avi", "bak", "bmp", "bz2", "cfg", "cgi", "conf", "crt", "css", "csv",
  "dat", "dll", "doc", "docx", "eml", "eps", "exe", "gif", "gz", "htm", "html", "ico", "ics",
  "ini", "iso", "jpeg", "jpg", "js", "json", "jsp", "log", "mkv", "mov", "mp3", "mp4", "msg",
  "odp", "ods", "odt", "p7s", "pdf", "pem", "php", "pl", "png", "ppt", "pptx", "rar", "rtf", "sig",
  "so", "sql", "svg", "tar", "tgz", "tif", "tiff", "tmp", "txt", "vcf", "wav", "webp", "xls",
  "xlsx", "xml", "xz", "yaml", "yml", "zip",
  NULL
};

/* Top-level domains of three or more letters that a two-label name may end
 * in.  Without a full TLD list, a two-label name with another long final
 * label ("delivered.please") is more likely prose than a host. */
static const char * const common_long_tlds[] = {
  "academy", "aero", "agency", "amazon", "amsterdam", "app", "apple", "arpa", "asia", "bank",
  "bayern", "berlin", "bid", "biz", "blog", "cat", "center", "cloud", "club", "com", "company",
  "coop", "corp", "cricket", "date", "dev", "digital", "download", "edu", "education", "email",
  "example", "faith", "global", "gmbh", "google", "gov", "group", "hamburg", "home", "host",
  "hosting", "icu", "inc", "info", "insurance", "int", "internal", "invalid", "jobs", "lan",
  "life", "link", "live", "llc", "loan", "local", "localdomain", "localhost", "london", "ltd",
  "mail", "marketing", "media", "men", "microsoft", "mil", "mobi", "moe", "museum", "name", "net",
  "network", "news", "ngo", "nrw", "nyc", "ong", "onion", "online", "org", "page", "paris",
  "party", "post", "pro", "racing", "review", "school", "science", "services", "shop", "site",
  "solutions", "space", "store", "stream", "support", "swiss", "systems", "team", "tech", "tel",
  "test", "today", "tokyo", "tools", "top", "trade", "travel", "university", "vip", "wang",
  "website", "wien", "win", "work", "world", "xxx", "xyz", "yahoo", "zone",
  NULL
};

gboolean
bounce_extract_word_lists_ok (void)
{
  const char * const *lists[] = { file_extensions, common_long_tlds };

  for (gsize l = 0; l < G_N_ELEMENTS (lists); l++)
    for (gsize i = 0; lists[l][i] != NULL; i++)
      {
        for (const char *c = lists[l][i]; *c != '\0'; c++)
          if (g_ascii_isupper (*c))
            return FALSE;
        if (i > 0 && strcmp (lists[l][i - 1], lists[l][i]) >= 0)
          return FALSE;
      }
  return TRUE;
}

static gboolean
label_is_valid (const char *s,
                gsize       len)
{
  if (len == 0 || len > 63 || s[0] == '-' || s[len - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (s[i]) && s[i] != '-')
        return FALSE;
    }
  return TRUE;
}

/* Validates the host name s[0, len); single_label allows "localhost"-like
 * names (only used for e-mail domains inside <...>). */
static gboolean
hostname_is_plausible (const char *s,
                       gsize       len,
                       gboolean    single_label)
{
  gsize last = 0, labels = 0, i;
  gboolean has_upper = FALSE, has_lower = FALSE, is_idn;
  gsize tld_len;

  if (len == 0 || len > 253)
    return FALSE;

  for (i = 0; i <= len; i++)
    {
      if (i == len || s[i] == '.')
        {
          if (!label_is_valid (s + last, i - last))
            return FALSE;
          labels++;
          if (i < len)
            last = i + 1;
        }
    }
  if (labels < 2 && !single_label)
    return FALSE;

  tld_len = len - last;
  is_idn = tld_len > 4 && g_ascii_strncasecmp (s + last, "xn--", 4) == 0;
  if (!is_idn)
    {
      if (tld_len < 2 || tld_len > 24)
        return labels == 1 && single_label;
      for (i = last; i < len; i++)
        {
          if (!g_ascii_isalpha (s[i]))
            return FALSE;
          if (g_ascii_isupper (s[i]))
            has_upper = TRUE;
          else
            has_lower = TRUE;
        }
      /* "RESOLVER.ADR.RecipNotFound", "delivered.Please": not a TLD. */
      if (has_upper && has_lower)
        return FALSE;
      if (labels >= 2 && word_in_sorted (s + last, tld_len, file_extensions, G_N_ELEMENTS (file_extensions) - 1))
        return FALSE;
      if (labels == 2 && tld_len > 2 && !word_in_sorted (s + last, tld_len, common_long_tlds, G_N_ELEMENTS (common_long_tlds) - 1))
        return FALSE;
    }
  return TRUE;
}

/* Words that make a host name, before its last label, a list's zone (and
 * so does a label that is exactly "bl": hostname_is_zone()). */
static const char * const zone_keywords[] = {
  "spamhaus", "spamcop", "barracudacentral", "sorbs", "dnsbl", "rbl", "blocklist",
  "blacklist", "surbl", "uribl", "manitu", "spameatingmonkey",
  "mailspike", "abuseat", "psbl", "0spam", "s5h", "backscatterer", "invaluement",
  "uceprotect", "gbudb", "junkemailfilter", "spamrats", "nszones",
  "dronebl", "mailpolice", "wpbl", "anonmails",
  NULL
};

static gboolean
hostname_is_zone (const char *lower)
{
  const char *tld = strrchr (lower, '.');
  g_autofree char *head = NULL;

  if (tld == NULL || g_str_has_prefix (lower, "www."))
    return FALSE;
  head = g_strndup (lower, tld - lower + 1);  /* keeps the dot: "bl." matches "bl.spamcop." */
  /* a label that is exactly "bl" (bl.spamcop.net, b.barracuda...), tested
   * once rather than as a keyword compared by name for every host */
  if (g_str_has_prefix (head, "bl.") || strstr (head, ".bl.") != NULL)
    return TRUE;
  for (gsize i = 0; zone_keywords[i] != NULL; i++)
    if (strstr (head, zone_keywords[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* IP addresses                                                        */

static gboolean
ipv4_bytes_public (const guint8 *b)
{
  if (b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224)
    return FALSE;  /* this-network, RFC 1918, loopback, multicast, 240/4, broadcast */
  if (b[0] == 100 && (b[1] & 0xc0) == 64)
    return FALSE;  /* 100.64/10 shared address space (CGNAT) */
  if (b[0] == 169 && b[1] == 254)
    return FALSE;
  if (b[0] == 172 && (b[1] & 0xf0) == 16)
    return FALSE;
  if (b[0] == 192 && b[1] == 168)
    return FALSE;
  if (b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2))
    return FALSE;  /* IETF protocol assignments, TEST-NET-1 */
  if (b[0] == 198 && (b[1] == 18 || b[1] == 19))
    return FALSE;  /* benchmarking */
  if (b[0] == 198 && b[1] == 51 && b[2] == 100)
    return FALSE;
  if (b[0] == 203 && b[1] == 0 && b[2] == 113)
    return FALSE;
  return TRUE;
}

static gboolean
inet_address_is_public (GInetAddress *addr)
{
  const guint8 *b = g_inet_address_to_bytes (addr);

  if (g_inet_address_get_is_any (addr) ||
      g_inet_address_get_is_loopback (addr) ||
      g_inet_address_get_is_link_local (addr) ||
      g_inet_address_get_is_site_local (addr) ||
      g_inet_address_get_is_multicast (addr))
    return FALSE;

  if (g_inet_address_get_family (addr) == G_SOCKET_FAMILY_IPV4)
    return ipv4_bytes_public (b);

  /* ::ffff:a.b.c.d (mapped) and 64:ff9b::a.b.c.d (NAT64) carry an IPv4 address. */
  {
    static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    static const guint8 nat64[12] = { 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 };

    if (memcmp (b, mapped, 12) == 0 || memcmp (b, nat64, 12) == 0)
      return ipv4_bytes_public (b + 12);
  }

  /* Only global unicast 2000::/3 is public (excludes fc00::/7, fe80::/10,
   * ::/96 compatible, 100::/64 discard, ...). */
  if ((b[0] & 0xe0) != 0x20)
    return FALSE;
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
    return FALSE;  /* 2001:db8::/32 documentation */
  if (b[0] == 0x3f && b[1] == 0xff && (b[2] & 0xf0) == 0)
    return FALSE;  /* 3fff::/20 documentation */
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && (b[3] & 0xf0) == 0x10)
    return FALSE;  /* 2001:10::/28 ORCHID */
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x02 && b[4] == 0 && b[5] == 0)
    return FALSE;  /* 2001:2::/48 benchmarking */
  return TRUE;
}

gboolean
bounce_ip_is_public (const char *s)
{
  g_autoptr(GInetAddress) addr = NULL;
  g_autofree char *copy = NULL;
  char *p;
  gsize len;

  if (s == NULL)
    return FALSE;

  /* Accept the "[IPv6:...]" and "[1.2.3.4]" forms found in headers. */
  copy = g_strstrip (g_strdup (s));
  p = copy;
  len = strlen (p);
  if (len >= 2 && p[0] == '[' && p[len - 1] == ']')
    {
      p[len - 1] = '\0';
      p++;
    }
  if (g_ascii_strncasecmp (p, "IPv6:", 5) == 0)
    p += 5;

  addr = g_inet_address_new_from_string (p);
  if (addr == NULL)
    return FALSE;
  return inet_address_is_public (addr);
}

/* ------------------------------------------------------------------ */
/* Scanning                                                            */

typedef struct
{
  const char *text;
  gsize start;
  gsize end;
  gboolean want_reply;
  gboolean want_enhanced;
  BounceAlternation *tokens;   /* providers' token shapes, or NULL */
  gboolean want_network;
  GPtrArray *out;            /* BounceFinding, unsorted */
  GArray *url_spans;         /* Span */
  GArray *email_spans;       /* Span */
  GArray *ipv6_spans;        /* Span */
} Scan;

typedef void (*MatchFunc) (Scan *scan, gsize s, gsize e);

/* Calls func on each candidate of that kind, in the order of their starts. */
static void
for_each_candidate (Scan           *scan,
                    GArray         *candidates,
                    BounceScanKind  kind,
                    MatchFunc       func)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      const BounceScanCandidate *c = &g_array_index (candidates, BounceScanCandidate, i);

      if (c->kind == kind)
        func (scan, c->start, c->end);
    }
}

static void
on_url (Scan *scan, gsize s, gsize e)
{
  const char *t = scan->text;
  Span span;

  /* Trailing punctuation and unbalanced closing brackets belong to the
   * sentence, not the URL. */
  for (;;)
    {
      char c;

      if (e <= s)
        return;
      c = t[e - 1];
      if (strchr (".,;:!?*", c) != NULL)
        {
          e--;
          continue;
        }
      /* a quoted-printable soft line break */
      if (c == '=' && e < scan->end && (t[e] == '\n' || t[e] == '\r'))
        {
          e--;
          continue;
        }
      if (c == ')' || c == ']' || c == '}')
        {
          char open = c == ')' ? '(' : c == ']' ? '[' : '{';
          int depth = 0;

          for (gsize i = s; i < e; i++)
            {
              if (t[i] == open)
                depth++;
              else if (t[i] == c)
                depth--;
            }
          if (depth < 0)
            {
              e--;
              continue;
            }
        }
      break;
    }
  /* The bounded repeat may have stopped inside a multi-byte character. */
  while (e > s && ((guchar) t[e] & 0xc0) == 0x80 && e < scan->end)
    e--;

  {
    const char *host = memchr (t + s, ':', e - s);

    /* "http://" with nothing after it */
    if (host == NULL || (gsize) (host + 3 - t) >= e)
      return;
  }

  span.start = s;
  span.end = e;
  g_array_append_val (scan->url_spans, span);
  if (scan->want_network)
    add_finding (scan->out, BOUNCE_FINDING_URL, t, s, e - s, NULL);
}

static const char local_part_chars[] = "!#$%&'*+/=?^_`{|}~.-";

static void
on_email_at (Scan *scan, gsize at, gsize e)
{
  const char *t = scan->text;
  gsize ls = at, d_end = e;
  gboolean bracketed;
  GString *norm;
  Span span;

  /* Bytes >= 0x80 are UTF-8 (RFC 6531 local parts). */
  while (ls > 0 && at - ls < 64 &&
         (g_ascii_isalnum (t[ls - 1]) || (guchar) t[ls - 1] >= 0x80 ||
          (t[ls - 1] != '\0' && strchr (local_part_chars, t[ls - 1]) != NULL)))
    ls--;
  /* Leading punctuation is quoting, not part of the address; the length
   * limit may also have stopped inside a character. */
  while (ls < at && (((guchar) t[ls] & 0xc0) == 0x80 ||
                     (!g_ascii_isalnum (t[ls]) && t[ls] != '_' && (guchar) t[ls] < 0x80)))
    ls++;
  /* "header.from=a@b", "orig_to=a@b": a key, not part of the local part
   * (but keep SRS/VERP forms like "bounce+x=y@b"). */
  {
    const char *eq = memchr (t + ls, '=', at - ls);

    if (eq != NULL && eq + 1 < t + at)
      {
        gboolean key = FALSE;

        for (const char *k = t + ls; k < eq; k++)
          {
            if (*k == '.' || *k == '_')
              key = TRUE;
            else if (!g_ascii_isalpha (*k) && *k != '-')
              {
                key = FALSE;
                break;
              }
          }
        if (key || ((gsize) (eq - (t + ls)) <= 4 && g_ascii_strncasecmp (t + ls, "to", eq - (t + ls)) == 0) ||
            g_ascii_strncasecmp (t + ls, "from=", 5) == 0)
          ls = eq + 1 - t;
      }
  }
  if (ls == at)
    return;

  while (d_end > at + 1 && (t[d_end - 1] == '.' || t[d_end - 1] == '-'))
    d_end--;

  bracketed = ls > 0 && t[ls - 1] == '<' && d_end < scan->end && t[d_end] == '>';
  if (!hostname_is_plausible (t + at + 1, d_end - at - 1, bracketed))
    return;

  span.start = ls;
  span.end = d_end;
  g_array_append_val (scan->email_spans, span);

  if (!scan->want_network)
    return;
  norm = g_string_new_len (t + ls, at - ls);
  g_string_append_c (norm, '@');
  for (gsize i = at + 1; i < d_end; i++)
    g_string_append_c (norm, g_ascii_tolower (t[i]));
  add_finding (scan->out, BOUNCE_FINDING_EMAIL, t, ls, d_end - ls, g_string_free (norm, FALSE));
}

static void
on_host (Scan *scan, gsize s, gsize e)
{
  const char *t = scan->text;
  char *lower;

  if (e < scan->end && (t[e] == '@' || t[e] == '_'))
    return;  /* the local part of an e-mail address */
  while (e > s && (t[e - 1] == '.' || t[e - 1] == '-'))
    e--;
  if (!hostname_is_plausible (t + s, e - s, FALSE))
    return;

  lower = g_ascii_strdown (t + s, e - s);
  add_finding (scan->out,
               hostname_is_zone (lower) ? BOUNCE_FINDING_DNSBL_ZONE : BOUNCE_FINDING_HOSTNAME,
               t, s, e - s, lower);
}

/* Four dotted numbers that name a software build or a server's own
 * diagnostic, not an address: Exchange's "Microsoft SMTP Server (TLS) id
 * 15.1.112.19", "SMTPSVC(6.0.3790.4675)", "X-Mailer: ... 16.0.5.1", and
 * the codes Yahoo appends to its replies ("temporarily deferred - [numeric
 * code]" in its postmaster help, such as "- 4.16.55.1;"). */
static gboolean
ipv4_is_version (const char *text,
                 gsize       pos)
{
  static const char * const id_words[] = { "id", "smtpsvc", NULL };
  gsize b = pos, w;
  guint skipped = 0;

  if (in_version_header (text, pos, FALSE))
    return TRUE;

  /* A class digit after "- " (the line may wrap there) or '#': a server's
   * diagnostic number. */
  if (strchr ("245", text[pos]) != NULL && text[pos + 1] == '.')
    {
      while (b > 0 && pos - b < 8 && strchr (" \t\r\n", text[b - 1]) != NULL)
        b--;
      if ((b < pos && b > 0 && text[b - 1] == '-') || (b == pos && b > 0 && text[b - 1] == '#'))
        return TRUE;
      b = pos;
    }

  while (b > 0 && strchr (" \t:=(", text[b - 1]) != NULL && skipped < 3)
    {
      b--;
      skipped++;
    }
  if (skipped == 0)
    return FALSE;
  w = b;
  while (w > 0 && b - w < 24 && g_ascii_isalpha (text[w - 1]))
    w--;
  return w < b && (word_in_list (text + w, b - w, version_words) ||
                   word_in_list (text + w, b - w, id_words));
}

/* bounce_ip_is_public() of the address the scan found at text[s, e): four
 * octets of at most 255 written without leading zeros (bounce-scan.c's
 * ipv4_at()), which GLib's parser always reads, and for an IPv4 address
 * inet_address_is_public() comes down to ipv4_bytes_public().  Its bytes
 * are read here: a GInetAddress for each address found was most of the
 * scan's time for addresses. */
static gboolean
scanned_ipv4_is_public (const char *text,
                        gsize       s,
                        gsize       e)
{
  guint8 bytes[4];
  guint octet = 0, value = 0;

  for (gsize p = s; p <= e; p++)
    {
      if (p == e || text[p] == '.')
        {
          g_assert (octet < 4 && value <= 255);
          bytes[octet++] = (guint8) value;
          value = 0;
        }
      else
        value = value * 10 + (guint) (text[p] - '0');
    }
  g_assert (octet == 4);
  return ipv4_bytes_public (bytes);
}

static void
on_ipv4 (Scan *scan, gsize s, gsize e)
{
  BounceFinding *f;

  if (ipv4_is_version (scan->text, s))
    return;
  add_finding (scan->out, BOUNCE_FINDING_IPV4, scan->text, s, e - s, NULL);
  f = g_ptr_array_index (scan->out, scan->out->len - 1);
  f->is_public = scanned_ipv4_is_public (scan->text, s, e);
}

static void
on_ipv6 (Scan *scan, gsize s, gsize e)
{
  const char *t = scan->text;
  char buf[48];
  gboolean has_digit = FALSE;
  Span span;

  /* "2001:db8::1abc" or "...:1_x": part of a longer token */
  if (e < scan->end && (is_word_byte (t[e])))
    return;

  for (guint tries = 0; tries < 3 && e > s + 1; tries++)
    {
      g_autoptr(GInetAddress) addr = NULL;
      gsize len = e - s;

      memcpy (buf, t + s, len);
      buf[len] = '\0';
      addr = g_inet_address_new_from_string (buf);
      if (addr != NULL && g_inet_address_get_family (addr) == G_SOCKET_FAMILY_IPV6)
        {
          BounceFinding *f;

          for (gsize i = 0; i < len; i++)
            has_digit |= g_ascii_isdigit (buf[i]);
          /* "dead::beef" and "a::b" are words more often than addresses */
          if (!has_digit)
            return;
          span.start = s;
          span.end = e;
          g_array_append_val (scan->ipv6_spans, span);
          add_finding (scan->out, BOUNCE_FINDING_IPV6, t, s, len, g_ascii_strdown (buf, len));
          f = g_ptr_array_index (scan->out, scan->out->len - 1);
          f->is_public = inet_address_is_public (addr);
          return;
        }
      /* "2001:db8::1." at the end of a sentence, "fe80::1:" before a port */
      if (t[e - 1] != '.' && t[e - 1] != ':')
        return;
      e--;
    }
}

static void
on_reply (Scan *scan, gsize s, gsize e)
{
  if (reply_in_context (scan->text, s, scan->end, scan->email_spans))
    add_finding (scan->out, BOUNCE_FINDING_REPLY_CODE, scan->text, s, e - s, NULL);
}

static void
on_enhanced (Scan *scan, gsize s, gsize e)
{
  if (enhanced_in_context (scan->text, s, e - s, scan->end))
    add_finding (scan->out, BOUNCE_FINDING_ENHANCED_CODE, scan->text, s, e - s, NULL);
}

static void
on_token (Scan *scan, gsize s, gsize e)
{
  add_finding (scan->out, BOUNCE_FINDING_PROVIDER_TOKEN, scan->text, s, e - s, NULL);
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const BounceFinding *fa = *(const BounceFinding * const *) a;
  const BounceFinding *fb = *(const BounceFinding * const *) b;

  if (fa->byte_offset != fb->byte_offset)
    return fa->byte_offset < fb->byte_offset ? -1 : 1;
  if (fa->byte_length != fb->byte_length)
    return fa->byte_length > fb->byte_length ? -1 : 1;
  return (int) fa->kind - (int) fb->kind;
}

static gboolean
finding_is_redundant (Scan                *scan,
                      const BounceFinding *f,
                      gsize               *kind_end)
{
  gsize fe = f->byte_offset + f->byte_length;

  /* Same kind overlapping an earlier (longer-first) finding. */
  if (f->byte_offset < kind_end[f->kind])
    return TRUE;

  switch (f->kind)
    {
    case BOUNCE_FINDING_HOSTNAME:
    case BOUNCE_FINDING_DNSBL_ZONE:
      return spans_contain (scan->url_spans, f->byte_offset, fe) ||
             spans_contain (scan->email_spans, f->byte_offset, fe);
    case BOUNCE_FINDING_REPLY_CODE:
    case BOUNCE_FINDING_ENHANCED_CODE:
      return spans_contain (scan->url_spans, f->byte_offset, fe) ||
             spans_contain (scan->email_spans, f->byte_offset, fe);
    case BOUNCE_FINDING_IPV4:
      return spans_contain (scan->ipv6_spans, f->byte_offset, fe);
    case BOUNCE_FINDING_PROVIDER_TOKEN:
    case BOUNCE_FINDING_IPV6:
    case BOUNCE_FINDING_EMAIL:
    case BOUNCE_FINDING_URL:
    default:
      return FALSE;
    }
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const Span *sa = a, *sb = b;

  if (sa->start != sb->start)
    return sa->start < sb->start ? -1 : 1;
  return sa->end > sb->end ? -1 : sa->end < sb->end;
}

/* Runs the scanners and leaves the unsorted, unfiltered findings in
 * scan->out. */
static void
scan_run (Scan *scan)
{
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (BounceScanCandidate));
  guint kinds = BOUNCE_SCAN_MASK (BOUNCE_SCAN_URL) | BOUNCE_SCAN_MASK (BOUNCE_SCAN_EMAIL_AT);

  scan->url_spans = g_array_new (FALSE, FALSE, sizeof (Span));
  scan->email_spans = g_array_new (FALSE, FALSE, sizeof (Span));
  scan->ipv6_spans = g_array_new (FALSE, FALSE, sizeof (Span));

  if (scan->want_reply)
    kinds |= BOUNCE_SCAN_MASK (BOUNCE_SCAN_REPLY);
  if (scan->want_enhanced)
    kinds |= BOUNCE_SCAN_MASK (BOUNCE_SCAN_ENHANCED);
  if (scan->want_network)
    kinds |= BOUNCE_SCAN_MASK (BOUNCE_SCAN_IPV6) | BOUNCE_SCAN_MASK (BOUNCE_SCAN_IPV4) |
             BOUNCE_SCAN_MASK (BOUNCE_SCAN_HOST);
  bounce_scan_candidates (scan->text, scan->start, scan->end, kinds, candidates);

  /* URLs and e-mail addresses are always located: codes inside them
   * ("?code=550", "5.1.1@...") are not codes.  The reply codes' context
   * needs the addresses. */
  for_each_candidate (scan, candidates, BOUNCE_SCAN_URL, on_url);
  for_each_candidate (scan, candidates, BOUNCE_SCAN_EMAIL_AT, on_email_at);
  g_array_sort (scan->email_spans, compare_spans);

  for_each_candidate (scan, candidates, BOUNCE_SCAN_REPLY, on_reply);
  for_each_candidate (scan, candidates, BOUNCE_SCAN_ENHANCED, on_enhanced);
  if (scan->tokens != NULL)
    {
      g_autoptr(BounceAlternationIter) iter = bounce_alternation_iter_new (scan->tokens, scan->text,
                                                                            scan->start, scan->end, NULL);
      BounceSpan t;

      while (bounce_alternation_iter_next (iter, &t))
        {
          if (t.end > t.start)
            on_token (scan, t.start, t.end);
        }
    }
  for_each_candidate (scan, candidates, BOUNCE_SCAN_IPV6, on_ipv6);
  for_each_candidate (scan, candidates, BOUNCE_SCAN_IPV4, on_ipv4);
  for_each_candidate (scan, candidates, BOUNCE_SCAN_HOST, on_host);
}

static void
scan_clear (Scan *scan)
{
  g_clear_pointer (&scan->url_spans, g_array_unref);
  g_clear_pointer (&scan->email_spans, g_array_unref);
  g_clear_pointer (&scan->ipv6_spans, g_array_unref);
}

/* (every finding's offset is counted in characters, from the text's
 * start: a pass over most of the text.  Most of it is ASCII, one character
 * a byte, which eight bytes at a time without a high bit tell at once.) */
glong
bounce_utf8_count_chars (const char *p,
                         const char *end)
{
  const guint64 high_bits = G_GUINT64_CONSTANT (0x8080808080808080);
  glong n = 0;

  g_return_val_if_fail (p != NULL && p <= end, 0);

  while (end - p >= 8)
    {
      guint64 eight;

      memcpy (&eight, p, sizeof eight);
      if ((eight & high_bits) == 0)
        n += 8;
      else
        for (guint i = 0; i < 8; i++)
          n += ((guchar) p[i] & 0xc0) != 0x80;
      p += 8;
    }
  for (; p < end; p++)
    n += ((guchar) *p & 0xc0) != 0x80;
  return n;
}

void
bounce_extract (const char         *text,
                gsize               start,
                gssize              end,
                BounceExtractFlags  flags,
                BounceAlternation  *tokens,
                GPtrArray          *findings)
{
  g_autoptr(GPtrArray) found = NULL;
  Scan scan = { 0 };
  gsize kind_end[BOUNCE_FINDING_URL + 1] = { 0 };
  gsize cur_byte;
  glong cur_char;

  g_return_if_fail (text != NULL);
  g_return_if_fail (findings != NULL);

  if (end < 0)
    end = start + strlen (text + start);
  if ((gsize) end <= start)
    return;

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_finding_free);
  scan.text = text;
  scan.start = start;
  scan.end = (gsize) end;
  scan.want_reply = scan.want_enhanced = (flags & BOUNCE_EXTRACT_CODES) != 0;
  scan.tokens = (flags & BOUNCE_EXTRACT_CODES) != 0 ? tokens : NULL;
  scan.want_network = (flags & BOUNCE_EXTRACT_NETWORK) != 0;
  scan.out = found;
  scan_run (&scan);

  g_ptr_array_sort (found, compare_findings);

  cur_byte = start;
  cur_char = start > 0 ? g_utf8_pointer_to_offset (text, text + start) : 0;
  for (guint i = 0; i < found->len; i++)
    {
      BounceFinding *f = g_ptr_array_index (found, i);

      /* An address whose local part starts before the range is not in it. */
      if (f->byte_offset < start || finding_is_redundant (&scan, f, kind_end))
        continue;
      kind_end[f->kind] = MAX (kind_end[f->kind], f->byte_offset + f->byte_length);

      cur_char += bounce_utf8_count_chars (text + cur_byte, text + f->byte_offset);
      cur_byte = f->byte_offset;
      f->offset = cur_char;
      f->length = bounce_utf8_count_chars (text + f->byte_offset, text + f->byte_offset + f->byte_length);

      found->pdata[i] = NULL;  /* ownership moves to findings */
      g_ptr_array_add (findings, f);
    }
  scan_clear (&scan);
}

GPtrArray *
bounce_extract_all (const char        *text,
                    BounceAlternation *tokens)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_finding_free);

  g_return_val_if_fail (text != NULL, findings);

  bounce_extract (text, 0, -1, BOUNCE_EXTRACT_ALL, tokens, findings);
  return findings;
}

void
bounce_extract_first_codes (const char  *diagnostic,
                            char       **reply_code,
                            char       **enhanced_code)
{
  g_autoptr(GPtrArray) found = NULL;
  Scan scan = { 0 };
  const BounceFinding *first_reply = NULL, *first_enhanced = NULL;

  if (reply_code != NULL)
    *reply_code = NULL;
  if (enhanced_code != NULL)
    *enhanced_code = NULL;
  if (diagnostic == NULL || *diagnostic == '\0')
    return;

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_finding_free);
  scan.text = diagnostic;
  scan.start = 0;
  scan.end = strlen (diagnostic);
  scan.want_reply = reply_code != NULL;
  scan.want_enhanced = enhanced_code != NULL;
  scan.out = found;
  scan_run (&scan);

  for (guint i = 0; i < found->len; i++)
    {
      const BounceFinding *f = g_ptr_array_index (found, i);
      gsize fe = f->byte_offset + f->byte_length;
      const BounceFinding **slot;

      if (f->kind == BOUNCE_FINDING_REPLY_CODE)
        slot = &first_reply;
      else if (f->kind == BOUNCE_FINDING_ENHANCED_CODE)
        slot = &first_enhanced;
      else
        continue;
      if (spans_contain (scan.url_spans, f->byte_offset, fe) ||
          spans_contain (scan.email_spans, f->byte_offset, fe))
        continue;
      /* A transcript shows the accepted steps ("250 2.1.5 Ok") before the
       * refusal: a failure code beats any success code, wherever it is. */
      if (*slot == NULL ||
          ((f->text[0] == '4' || f->text[0] == '5') && (*slot)->text[0] != '4' && (*slot)->text[0] != '5') ||
          (f->byte_offset < (*slot)->byte_offset &&
           ((f->text[0] == '4' || f->text[0] == '5') || ((*slot)->text[0] != '4' && (*slot)->text[0] != '5'))))
        *slot = f;
    }

  if (reply_code != NULL && first_reply != NULL)
    *reply_code = g_strdup (first_reply->text);
  if (enhanced_code != NULL && first_enhanced != NULL)
    *enhanced_code = g_strdup (first_enhanced->text);
  scan_clear (&scan);
}

gsize
bounce_utf8_cut (const char *s,
                 gsize       max)
{
  gsize len = strnlen (s, max);

  if (len < max || s[len] == '\0')
    return len;
  /* s[len] starts the first byte left out: back up over the continuation
   * bytes (10xxxxxx) of a character it would split */
  while (len > 0 && ((guchar) s[len] & 0xC0) == 0x80)
    len--;
  return len;
}

gboolean
bounce_text_is_plain_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if ((*p < ' ' && *p != '\t') || *p >= 0x7f)
      return FALSE;
  return TRUE;
}

gboolean
bounce_ascii_range_has_word (const char *p,
                             const char *end,
                             const char *word,
                             gsize       len)
{
  for (; p + len <= end; p++)
    if (((guchar) *p | 0x20) == (guchar) word[0] && g_ascii_strncasecmp (p, word, len) == 0)
      return TRUE;
  return FALSE;
}

gsize
bounce_utf8_back (const char *s,
                  gsize       offset,
                  gsize       max)
{
  gsize from = offset > max ? offset - max : 0;

  /* s[from] may be a continuation byte (10xxxxxx) of a character that
   * starts before the window: move on to the next character */
  while (from < offset && ((guchar) s[from] & 0xC0) == 0x80)
    from++;
  return from;
}

/* \s and \w of a regex matched on bytes (G_REGEX_RAW): GRegex compiles
 * with Unicode properties (PCRE2_UCP), so a byte past ASCII is the Latin-1
 * character of its value: NEL and the no-break space are blanks; the
 * letters and the numbers (ª ² ³ µ ¹ º ¼ ½ ¾ À-Ö Ø-ö ø-ÿ) word bytes. */
static inline gboolean
is_regex_space (guchar c)
{
  return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xa0;
}

static inline gboolean
is_regex_word (guchar c)
{
  if (c < 0x80)
    return g_ascii_isalnum (c) || c == '_';
  return c == 0xaa || c == 0xb2 || c == 0xb3 || c == 0xb5 || c == 0xb9 || c == 0xba ||
         (c >= 0xbc && c <= 0xbe) || (c >= 0xc0 && c != 0xd7 && c != 0xf7);
}

/* Whether words are at text[p, length), in any case, a space standing for
 * one blank or more (\s+); *end is set past them. */
static gboolean
words_at (const char *text,
          gsize       length,
          gsize       p,
          const char *words,
          gsize      *end)
{
  for (const char *w = words; *w != '\0'; w++)
    {
      if (p >= length)
        return FALSE;
      if (*w != ' ')
        {
          if (g_ascii_tolower (text[p]) != *w)
            return FALSE;
          p++;
          continue;
        }
      if (!is_regex_space (text[p]))
        return FALSE;
      while (p < length && is_regex_space (text[p]))
        p++;
    }
  *end = p;
  return TRUE;
}

/* What bounces write before the command a reply answered (Postfix, Exim,
 * qmail, Sendmail transcripts, Exchange, DragonFly, mfilter ...), then one
 * to three blanks, "the" and "final" if they are there, and the command
 * (whole words); or the words that stand in for them. */
static const char * const command_intros[] = {
  "in reply to", "after pipelined", "after", ">>>", "progress was", "during", "response to",
  "while sending", "did not like our", "smtp command", "failed on", "in",
};

static const struct {
  const char *words;
  BounceSmtpCommand command;
} smtp_commands[] = {
  { "rcpt", BOUNCE_SMTP_COMMAND_RCPT },
  { "rcpt to", BOUNCE_SMTP_COMMAND_RCPT },
  { "mail", BOUNCE_SMTP_COMMAND_MAIL },
  { "mail from", BOUNCE_SMTP_COMMAND_MAIL },
  { "data", BOUNCE_SMTP_COMMAND_DATA },
  { "bdat", BOUNCE_SMTP_COMMAND_DATA },
  { "end of data", BOUNCE_SMTP_COMMAND_DATA },
  { "message body", BOUNCE_SMTP_COMMAND_DATA },
  { "helo", BOUNCE_SMTP_COMMAND_CONNECT },
  { "ehlo", BOUNCE_SMTP_COMMAND_CONNECT },
  { "lhlo", BOUNCE_SMTP_COMMAND_CONNECT },
  { "initial connection", BOUNCE_SMTP_COMMAND_CONNECT },
  { "connect", BOUNCE_SMTP_COMMAND_CONNECT },
  { "greeting", BOUNCE_SMTP_COMMAND_CONNECT },
  { "starttls", BOUNCE_SMTP_COMMAND_CONNECT },
  { "auth", BOUNCE_SMTP_COMMAND_CONNECT },
}, smtp_command_phrases[] = {
  { "does not like recipient", BOUNCE_SMTP_COMMAND_RCPT },
  { "[rcpt_to]", BOUNCE_SMTP_COMMAND_RCPT },
  { "failed after i sent the message", BOUNCE_SMTP_COMMAND_DATA },
  { "[data]", BOUNCE_SMTP_COMMAND_DATA },
  { "but sender was rejected", BOUNCE_SMTP_COMMAND_MAIL },
  { "but my name was rejected", BOUNCE_SMTP_COMMAND_CONNECT },
  { "but greeting failed", BOUNCE_SMTP_COMMAND_CONNECT },
};

/* The command named at text[p, length) ("the final DATA"), as a whole word. */
static BounceSmtpCommand
command_at (const char *text,
            gsize       length,
            gsize       p)
{
  gsize after_the = p, after_final, end;

  /* (neither "the" nor "final" is a command: at most one way through
   * them finds one) */
  words_at (text, length, p, "the ", &after_the);
  for (guint i = 0; i < 2; i++)
    {
      gsize q = i == 0 ? after_the : p;

      after_final = q;
      words_at (text, length, q, "final ", &after_final);
      for (guint j = 0; j < 2; j++)
        {
          gsize c = j == 0 ? after_final : q;

          for (gsize k = 0; k < G_N_ELEMENTS (smtp_commands); k++)
            if (words_at (text, length, c, smtp_commands[k].words, &end) &&
                (end == length || !is_regex_word (text[end])))
              return smtp_commands[k].command;
        }
    }
  return BOUNCE_SMTP_COMMAND_NONE;
}

/* The command a text says a reply answered at p, or NONE. */
static BounceSmtpCommand
smtp_command_at (const char *text,
                 gsize       length,
                 gsize       p)
{
  BounceSmtpCommand command;
  gsize end, blanks;

  for (gsize i = 0; i < G_N_ELEMENTS (command_intros); i++)
    {
      if (g_ascii_tolower (text[p]) != command_intros[i][0] ||
          !words_at (text, length, p, command_intros[i], &end))
        continue;
      /* one to three blanks: a fourth cannot start a command */
      for (blanks = 0; end + blanks < length && is_regex_space (text[end + blanks]); blanks++)
        ;
      if (blanks >= 1 && blanks <= 3 && (command = command_at (text, length, end + blanks)) != BOUNCE_SMTP_COMMAND_NONE)
        return command;
    }
  if (words_at (text, length, p, "smtp:", &end))
    {
      for (blanks = 0; end + blanks < length && is_regex_space (text[end + blanks]); blanks++)
        ;
      if (blanks <= 3 && (command = command_at (text, length, end + blanks)) != BOUNCE_SMTP_COMMAND_NONE)
        return command;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (smtp_command_phrases); i++)
    if (g_ascii_tolower (text[p]) == smtp_command_phrases[i].words[0] &&
        words_at (text, length, p, smtp_command_phrases[i].words, &end))
      return smtp_command_phrases[i].command;
  return BOUNCE_SMTP_COMMAND_NONE;
}

/* Read by hand, at the first place that says it (the regular expression
 * it replaces cost a run more to compile than all the reading). */
BounceSmtpCommand
bounce_extract_smtp_command (const char *text,
                             gssize      length)
{
  if (text == NULL)
    return BOUNCE_SMTP_COMMAND_NONE;
  if (length < 0)
    length = strlen (text);
  for (gsize p = 0; p < (gsize) length; p++)
    {
      BounceSmtpCommand command;

      /* (the first bytes of what smtp_command_at() reads) */
      if (strchr ("iaprdwsf>[b", g_ascii_tolower (text[p])) == NULL || text[p] == '\0')
        continue;
      command = smtp_command_at (text, length, p);
      if (command != BOUNCE_SMTP_COMMAND_NONE)
        return command;
    }
  return BOUNCE_SMTP_COMMAND_NONE;
}

/* Whether a character beyond ASCII may stand in an address found in a
 * text.  RFC 6531 3.3 lets any UTF-8 character into the local part (atext)
 * and RFC 5890 2.3.2.1 U-labels into the domain ("jörg@bücher.example");
 * in running text only letters, digits and combining marks are taken, and
 * not those of scripts written without spaces between words (Han, kana,
 * Thai ...), where the text around an address touches it ("宛先bob@example.jp
 * への送信"). */
static gboolean
is_address_unichar (gunichar c)
{
  switch (g_unichar_get_script (c))
    {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_BOPOMOFO:
    case G_UNICODE_SCRIPT_YI:
    case G_UNICODE_SCRIPT_THAI:
    case G_UNICODE_SCRIPT_LAO:
    case G_UNICODE_SCRIPT_KHMER:
    case G_UNICODE_SCRIPT_MYANMAR:
    case G_UNICODE_SCRIPT_TIBETAN:
      return FALSE;
    default:
      break;
    }
  return c > 0x7f && c != 0xfeff && (g_unichar_isalnum (c) || g_unichar_ismark (c)) &&
         !(c >= 0xff00 && c <= 0xffef);   /* full-width forms: CJK text */
}

/* The byte length of an address character beyond ASCII that starts at
 * text[p] (see is_address_unichar()), or 0. */
static gsize
unichar_at (const char *text,
            gsize       length,
            gsize       p)
{
  gunichar c;

  if (p >= length || (guchar) text[p] < 0x80)
    return 0;
  c = g_utf8_get_char_validated (text + p, MIN (length - p, 4));
  if (c == (gunichar) -1 || c == (gunichar) -2 || !is_address_unichar (c))
    return 0;
  return g_unichar_to_utf8 (c, NULL);
}

/* The byte length of an address character beyond ASCII that ends just
 * before text[p] and starts at or after from, or 0. */
static gsize
unichar_before (const char *text,
                gsize       from,
                gsize       p)
{
  gsize k = p;

  while (k > from && p - k < 4)
    {
      k--;
      if (((guchar) text[k] & 0xc0) != 0x80)
        return unichar_at (text, p, k) == p - k ? p - k : 0;
    }
  return 0;
}

/* The length of the DNS label at text[p, length): a letter or digit, then
 * up to 64 bytes in all of letters, digits and hyphens of which the last
 * taken is a letter or digit, as many as there are; 0 when none starts
 * there.  Letters beyond ASCII are a U-label's (RFC 5890 2.3.2.1). */
static gsize
label_length (const char *text,
              gsize       length,
              gsize       p)
{
  gsize n = 0, last = 0;

  while (p + n < length)
    {
      gsize w = g_ascii_isalnum (text[p + n]) ? 1 : unichar_at (text, length, p + n);

      if (w == 0 && n > 0 && text[p + n] == '-')
        w = 1;
      if (w == 0 || n + w > 64)
        break;
      n += w;
      if (text[p + n - 1] != '-')
        last = n;
    }
  return last;
}

/* The start of a quoted local part (RFC 5321 4.1.2 Quoted-string: "john
 * smith"@example.org) whose closing quote is text[q], at most 64 bytes
 * with its quotes (RFC 5321 4.5.3.1.1) and on one line; q itself when
 * there is none. */
static gsize
quoted_local_start (const char *text,
                    gsize       from,
                    gsize       q)
{
  if (q <= from || text[q] != '"')
    return q;
  for (gsize k = q; k > from && q - k < 63; )
    {
      k--;
      if ((guchar) text[k] < 0x20 || text[k] == 0x7f)
        return q;
      if (text[k] == '"' && (k == from || text[k - 1] != '\\'))
        {
          /* not empty, and no word glued before it */
          if (k + 1 == q || (k > from && is_local_part_byte (text[k - 1])))
            return q;
          return k;
        }
    }
  return q;
}

/* The first address in text[from, length), by hand: the leftmost run of
 * up to 64 local-part bytes (or a quoted local part) that ends at an '@'
 * followed by a label, and the domain of up to 127 labels joined by dots
 * (RFC 1035 2.3.4: 255 octets at most), each as long as it goes.  On ASCII
 * text without quotes that is what the regular expression
 * [A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.(same)){0,126}
 * would match; bounces hold addresses in most of their lines, and the
 * regex's compilation alone cost more than all the reading. */
static gboolean
find_address (const char *text,
              gsize       length,
              gsize       from,
              gsize      *start,
              gsize      *end)
{
  for (gsize at = from; at < length; at++)
    {
      gsize s = at, e, label, w;

      if (text[at] != '@')
        continue;
      if (at > from && text[at - 1] == '"')
        s = quoted_local_start (text, from, at - 1);
      if (s == at || s == at - 1)
        {
          s = at;
          for (;;)
            {
              if (s > from && at - s < 64 && is_local_part_byte (text[s - 1]))
                s--;
              else if ((w = unichar_before (text, from, s)) > 0 && at - s + w <= 64)
                s -= w;
              else
                break;
            }
        }
      label = label_length (text, length, at + 1);
      if (s == at || label == 0)
        continue;
      e = at + 1 + label;
      for (guint i = 0; i < 126 && e < length && text[e] == '.'; i++)
        {
          label = label_length (text, length, e + 1);
          if (label == 0)
            break;
          e += 1 + label;
        }
      *start = s;
      *end = e;
      return TRUE;
    }
  return FALSE;
}

char *
bounce_extract_address (const char *text,
                        gssize      length,
                        gsize       from,
                        gsize      *start,
                        gsize      *end)
{
  gsize s, e;

  if (text == NULL)
    return NULL;
  if (length < 0)
    length = strlen (text);
  if (from >= (gsize) length || !find_address (text, length, from, &s, &e))
    return NULL;
  /* Quotes around an address ("delivery to 'a@b' failed") are not part
   * of it, although RFC 5322 allows them in a local part; nor is a dot. */
  while (e - s > 1 && text[s] != '@' && strchr ("'`.", text[s]) != NULL)
    s++;
  if (start != NULL)
    *start = s;
  if (end != NULL)
    *end = e;
  /* Trailing dots come from sentences ("... to a@b.example."). */
  while (e > s && text[e - 1] == '.')
    e--;
  return bounce_address_fold (text + s, e - s);
}

/* Whether s[0, len) is one RFC 2047 encoded word (its section 2):
 * "=?" charset "?" B or Q "?" encoded-text "?=". */
static gboolean
is_encoded_word (const char *s,
                 gsize       len)
{
  const char *q1, *q2;

  if (len < 8 || s[0] != '=' || s[1] != '?' || s[len - 2] != '?' || s[len - 1] != '=')
    return FALSE;
  q1 = memchr (s + 2, '?', len - 4);   /* after the charset */
  if (q1 == NULL || q1 == s + 2 || q1 + 3 > s + len - 2)
    return FALSE;
  q2 = q1 + 2;                         /* after the encoding */
  return q1[1] != '\0' && strchr ("BbQq", q1[1]) != NULL && *q2 == '?' && q2 < s + len - 2;
}

char *
bounce_address_fold (const char *s,
                     gsize       len)
{
  const char *at = NULL;

  for (gsize i = len; i > 0; i--)
    if (s[i - 1] == '@')
      {
        at = s + i - 1;
        break;
      }
  if (at != NULL && is_encoded_word (s, at - s))
    {
      /* the domain (with its '@'), folded as any other */
      g_autofree char *domain = bounce_address_fold (at, s + len - at);

      return g_strdup_printf ("%.*s%s", (int) (at - s), s, domain);
    }
  for (gsize i = 0; i < len; i++)
    if ((guchar) s[i] >= 0x80)
      return g_utf8_strdown (s, len);   /* "JÖRG@BÜCHER.example" */
  return g_ascii_strdown (s, len);
}

/* The names mail systems send reports from (the local part, or its start
 * before a '+' or '-' extension). */
static const char * const daemon_names[] = {
  "mailer-daemon", "mail-daemon", "mailerdaemon", "double-bounce", "mdaemon",
};

gboolean
bounce_address_is_daemon (const char *text)
{
  const char *at = NULL;

  if (text == NULL)
    return FALSE;
  /* at each line start (after any line end a regex knows: LF, CR, VT, FF,
   * Latin-1 NEL), a name, then the '@' or an extension up to the first
   * '@' */
  for (const char *line = text; line != NULL; )
    {
      if ((at == NULL || at < line) && (at = strchr (line, '@')) == NULL)
        return FALSE;
      for (gsize i = 0; i < G_N_ELEMENTS (daemon_names); i++)
        {
          gsize n = strlen (daemon_names[i]);

          if ((gsize) (at - line) >= n && g_ascii_strncasecmp (line, daemon_names[i], n) == 0 &&
              (line + n == at || line[n] == '+' || line[n] == '-'))
            return TRUE;
        }
      line = strpbrk (line, "\n\r\v\f\x85");
      if (line != NULL)
        line++;
    }
  return FALSE;
}

gboolean
bounce_extract_refuses_sender (const char *after)
{
  static const char * const refusals[] = { "sender address rejected", "domain of sender address" };

  while (*after != '\0' && (g_ascii_isspace (*after) || strchr (">\"':.", *after) != NULL))
    after++;
  for (gsize i = 0; i < G_N_ELEMENTS (refusals); i++)
    if (g_ascii_strncasecmp (after, refusals[i], strlen (refusals[i])) == 0)
      return TRUE;
  return FALSE;
}

gsize
bounce_enhanced_code_length (const char *s)
{
  gsize i = 2, d;

  if (s == NULL || !(s[0] == '2' || s[0] == '4' || s[0] == '5') || s[1] != '.')
    return 0;
  for (d = 0; g_ascii_isdigit (s[i]) && d < 3; d++)
    i++;
  if (d == 0 || s[i] != '.')
    return 0;
  i++;
  for (d = 0; g_ascii_isdigit (s[i]) && d < 3; d++)
    i++;
  if (d == 0)
    return 0;
  return i;
}

GRegex *
bounce_regex_once (BounceRegexSlot    *slot,
                   const char         *pattern,
                   GRegexCompileFlags  flags)
{
  return bounce_regex_once_for (slot, pattern, flags, 0);
}

GRegex *
bounce_regex_once_for (BounceRegexSlot    *slot,
                       const char         *pattern,
                       GRegexCompileFlags  flags,
                       gsize               length)
{
  GRegex *jit = g_atomic_pointer_get (&slot->jit);
  gint uses = 1 + (gint) MIN (length / BOUNCE_REGEX_BYTES_PER_USE, BOUNCE_REGEX_JIT_AFTER_USES);

  if (jit != NULL)
    return jit;
  if (g_once_init_enter (&slot->plain))
    {
      g_autoptr(GError) error = NULL;
      GRegex *regex;

      slot->flags = flags & ~G_REGEX_OPTIMIZE;
      regex = g_regex_new (pattern, slot->flags, G_REGEX_MATCH_DEFAULT, &error);
      /* The patterns are constants: a failure is a programming error. */
      if (regex == NULL)
        g_error ("Internal pattern does not compile: %s: %s", pattern, error->message);
      g_once_init_leave (&slot->plain, regex);
    }
  bounce_regex_count_uses (&slot->uses, uses, &slot->jit, pattern, slot->flags);
  return slot->plain;
}

void
bounce_regex_count_uses (gint               *uses,
                         gint                n,
                         GRegex            **jit,
                         const char         *pattern,
                         GRegexCompileFlags  flags)
{
  gint before = g_atomic_int_add (uses, n);

  /* (one caller only sees the count pass the mark) */
  if (before <= BOUNCE_REGEX_JIT_AFTER_USES && before + n > BOUNCE_REGEX_JIT_AFTER_USES)
    {
      /* The pattern compiled already, so this cannot fail but for lack of
       * memory: the plain one is used then. */
      GRegex *regex = g_regex_new (pattern, flags | G_REGEX_OPTIMIZE, G_REGEX_MATCH_DEFAULT, NULL);

      if (regex != NULL && !g_atomic_pointer_compare_and_exchange (jit, NULL, regex))
        g_regex_unref (regex);
    }
}

void
bounce_regex_slot_init (BounceRegexSlot    *slot,
                        GRegex             *plain,
                        GRegexCompileFlags  flags)
{
  g_return_if_fail (slot != NULL && plain != NULL);

  slot->flags = flags & ~G_REGEX_OPTIMIZE;
  slot->plain = plain;
  slot->jit = NULL;
  slot->uses = 0;
}
