/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-scan.h"

/*
 * One pass over the text in place of seven regular expressions, each run
 * match after match over the whole text (bounce-scan.h lists them).  Every
 * kind but the e-mail domain starts where the byte before is not a word
 * byte ([A-Za-z0-9_]), so the pass only looks closer at the starts of
 * words, at '@' and at ':'.  Each matcher below follows its regex's
 * semantics (bytes; see is_word() for \w) including how it backtracks: where a
 * bounded repeat is followed by something its own bytes cannot be, the
 * regex cannot succeed with fewer repeats either, which the notes at each
 * matcher spell out.  Nothing backtracks here: each matcher reads at most
 * its match and a byte or two after it, and before it.
 */

/* \w as those regexes read it: GRegex sets PCRE2_UCP, also with
 * G_REGEX_RAW, so a byte >= 0x80 is the Latin-1 character of that code
 * point, and the letters and numbers among them are word characters. */
static inline gboolean
is_word (guchar c)
{
  if (c < 0x80)
    return g_ascii_isalnum (c) || c == '_';
  return c == 0xaa || c == 0xb2 || c == 0xb3 || c == 0xb5 || c == 0xb9 || c == 0xba ||
         (c >= 0xbc && c <= 0xbe) || (c >= 0xc0 && c != 0xd7 && c != 0xf7);
}

static inline gboolean
is_hex (guchar c)
{
  return g_ascii_isxdigit (c);
}

/* [A-Za-z0-9-] */
static inline gboolean
is_label_byte (guchar c)
{
  return g_ascii_isalnum (c) || c == '-';
}

/* Length of the run of bytes for which pred holds from text[p], counting
 * at most max (stops at end). */
#define RUN(pred, text, p, end, max, out)                               \
  G_STMT_START {                                                       \
    gsize run_q_ = (p);                                                \
    while (run_q_ < (end) && run_q_ - (p) < (max) && pred ((guchar) (text)[run_q_])) \
      run_q_++;                                                        \
    (out) = run_q_ - (p);                                              \
  } G_STMT_END

/* (?i)\bhttps?://[^\s"'<>`\x00-\x1f\x7f]{1,2048}
 * "https?" first tries the 's': if "://" does not follow it, "http" alone
 * is followed by 's', not ':'.  \s, with PCRE2_UCP, also takes U+0085 and
 * U+00A0 (the bytes 0x85 and 0xa0). */
static inline gboolean
is_url_byte (guchar c)
{
  return c > 0x20 && c != 0x7f && c != 0x85 && c != 0xa0 &&
         c != '"' && c != '\'' && c != '<' && c != '>' && c != '`';
}

static gsize
url_at (const char *t,
        gsize       p,
        gsize       end)
{
  gsize q = p + 4, n;

  if (p > 0 && is_word (t[p - 1]))
    return 0;
  if (end - p < 8 || g_ascii_strncasecmp (t + p, "http", 4) != 0)
    return 0;
  if (t[q] == 's' || t[q] == 'S')
    q++;
  if (end - q < 4 || memcmp (t + q, "://", 3) != 0)
    return 0;
  q += 3;
  RUN (is_url_byte, t, q, end, 2048, n);
  return n > 0 ? q + n : 0;
}

/* @[A-Za-z0-9][A-Za-z0-9.-]{0,252} */
static inline gboolean
is_domain_byte (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.';
}

static gsize
email_at (const char *t,
          gsize       p,
          gsize       end)
{
  gsize n;

  if (t[p] != '@' || p + 1 >= end || !g_ascii_isalnum (t[p + 1]))
    return 0;
  RUN (is_domain_byte, t, p + 2, end, 252, n);
  return p + 2 + n;
}

/* (?<![\w.,+/$\\-])[245][0-7][0-9](?![\w@%]|[.,:/][0-9]) */
static gsize
reply_at (const char *t,
          gsize       p,
          gsize       end)
{
  gsize q = p + 3;

  if (p > 0 && (is_word (t[p - 1]) || strchr (".,+/$\\-", t[p - 1]) != NULL))
    return 0;
  if (q > end || (t[p] != '2' && t[p] != '4' && t[p] != '5') ||
      t[p + 1] < '0' || t[p + 1] > '7' || !g_ascii_isdigit (t[p + 2]))
    return 0;
  if (q < end)
    {
      guchar c = t[q];

      if (is_word (c) || c == '@' || c == '%')
        return 0;
      if (c != '\0' && strchr (".,:/", c) != NULL && q + 1 < end && g_ascii_isdigit (t[q + 1]))
        return 0;
    }
  return q;
}

/* (?<![\w./\\$])[245]\.[0-7]\.[0-9]{1,3}(?![\w@+~]|\.[0-9A-Za-z]|-[0-9])
 * With fewer than the digits there are, a digit follows: \w. */
static gsize
enhanced_at (const char *t,
             gsize       p,
             gsize       end)
{
  gsize q, n;

  if (p > 0 && (is_word (t[p - 1]) || strchr ("./\\$", t[p - 1]) != NULL))
    return 0;
  if (end - p < 5 || (t[p] != '2' && t[p] != '4' && t[p] != '5') || t[p + 1] != '.' ||
      t[p + 2] < '0' || t[p + 2] > '7' || t[p + 3] != '.')
    return 0;
  RUN (g_ascii_isdigit, t, p + 4, end, 3, n);
  if (n == 0)
    return 0;
  q = p + 4 + n;
  if (q < end)
    {
      guchar c = t[q];

      if (is_word (c) || c == '@' || c == '+' || c == '~')
        return 0;
      if (c == '.' && q + 1 < end && g_ascii_isalnum (t[q + 1]))
        return 0;
      if (c == '-' && q + 1 < end && g_ascii_isdigit (t[q + 1]))
        return 0;
    }
  return q;
}

/* The length of the octet at t[q] (25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])
 * that takes the whole run of digits there, or 0.  A '.' or a non-word
 * byte must follow an octet, so a match of fewer digits than the run has
 * (a digit follows it) never leads to an address. */
static gsize
octet_at (const char *t,
          gsize       q,
          gsize       end)
{
  gsize n;
  guint value = 0;

  RUN (g_ascii_isdigit, t, q, end, 4, n);
  if (n == 0 || n > 3 || (n > 1 && t[q] == '0'))
    return 0;
  for (gsize i = 0; i < n; i++)
    value = value * 10 + (guint) (t[q + i] - '0');
  return value <= 255 ? n : 0;
}

/* (?<![\w.])OCTET\.OCTET\.OCTET\.OCTET(?![\w]|\.[0-9]) */
static gsize
ipv4_at (const char *t,
         gsize       p,
         gsize       end)
{
  gsize q = p;

  if (p > 0 && (is_word (t[p - 1]) || t[p - 1] == '.'))
    return 0;
  for (guint i = 0; i < 4; i++)
    {
      gsize n = octet_at (t, q, end);

      if (n == 0)
        return 0;
      q += n;
      if (i < 3)
        {
          if (q >= end || t[q] != '.')
            return 0;
          q++;
        }
    }
  if (q < end && (is_word (t[q]) || (t[q] == '.' && q + 1 < end && g_ascii_isdigit (t[q + 1]))))
    return 0;
  return q;
}

/* (?:(?<=IPv6:)|(?<![\w:.]))(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:])[0-9A-Fa-f:.]{2,45}
 * In the look-ahead, fewer hex digits than the run has are followed by a
 * hex digit, not ':'; the look-ahead makes the match at least 2 bytes. */
static inline gboolean
is_ipv6_byte (guchar c)
{
  return is_hex (c) || c == ':' || c == '.';
}

static gsize
ipv6_at (const char *t,
         gsize       p,
         gsize       end)
{
  gsize h, n;

  if (p > 0 && (is_word (t[p - 1]) || t[p - 1] == ':' || t[p - 1] == '.') &&
      !(p >= 5 && memcmp (t + p - 5, "IPv6:", 5) == 0))
    return 0;
  RUN (is_hex, t, p, end, 5, h);
  if (h > 4 || p + h + 1 >= end || t[p + h] != ':' ||
      !(is_hex (t[p + h + 1]) || t[p + h + 1] == ':'))
    return 0;
  RUN (is_ipv6_byte, t, p, end, 45, n);
  return p + n;
}

/* (?<![\w.@-])[A-Za-z0-9][A-Za-z0-9-]{0,62}\.[A-Za-z0-9][A-Za-z0-9.-]{0,250}
 * Fewer label bytes than the run has are followed by a label byte, not
 * '.'. */
static gsize
host_at (const char *t,
         gsize       p,
         gsize       end)
{
  gsize q, n;

  if (p > 0 && (is_word (t[p - 1]) || t[p - 1] == '.' || t[p - 1] == '@' || t[p - 1] == '-'))
    return 0;
  if (!g_ascii_isalnum (t[p]))
    return 0;
  RUN (is_label_byte, t, p + 1, end, 63, n);
  if (n > 62)
    return 0;
  q = p + 1 + n;
  if (q + 1 >= end || t[q] != '.' || !g_ascii_isalnum (t[q + 1]))
    return 0;
  RUN (is_domain_byte, t, q + 2, end, 250, n);
  return q + 2 + n;
}

typedef gsize (*MatchAt) (const char *t, gsize p, gsize end);

static const MatchAt matchers[BOUNCE_SCAN_N_KINDS] = {
  [BOUNCE_SCAN_URL] = url_at,
  [BOUNCE_SCAN_EMAIL_AT] = email_at,
  [BOUNCE_SCAN_REPLY] = reply_at,
  [BOUNCE_SCAN_ENHANCED] = enhanced_at,
  [BOUNCE_SCAN_IPV6] = ipv6_at,
  [BOUNCE_SCAN_IPV4] = ipv4_at,
  [BOUNCE_SCAN_HOST] = host_at,
};

/* Byte classes for the pass: a word byte (is_word()), and the bytes a
 * candidate can start on, with the kinds to try there. */
enum { CLASS_WORD = 1u << 15 };

static const guint16 *
get_classes (void)
{
  static gsize initialized = 0;
  static guint16 classes[256];

  if (g_once_init_enter (&initialized))
    {
      for (guint c = 0; c < 256; c++)
        {
          guint16 k = 0;

          if (c == '@')
            k = BOUNCE_SCAN_MASK (BOUNCE_SCAN_EMAIL_AT);
          else if (c == ':')
            k = BOUNCE_SCAN_MASK (BOUNCE_SCAN_IPV6);
          else if (g_ascii_isdigit (c))
            k = BOUNCE_SCAN_MASK (BOUNCE_SCAN_IPV6) | BOUNCE_SCAN_MASK (BOUNCE_SCAN_IPV4) |
                BOUNCE_SCAN_MASK (BOUNCE_SCAN_HOST) |
                (c == '2' || c == '4' || c == '5'
                 ? BOUNCE_SCAN_MASK (BOUNCE_SCAN_REPLY) | BOUNCE_SCAN_MASK (BOUNCE_SCAN_ENHANCED)
                 : 0);
          else if (g_ascii_isalpha (c))
            k = BOUNCE_SCAN_MASK (BOUNCE_SCAN_HOST) |
                (is_hex (c) ? BOUNCE_SCAN_MASK (BOUNCE_SCAN_IPV6) : 0) |
                (c == 'h' || c == 'H' ? BOUNCE_SCAN_MASK (BOUNCE_SCAN_URL) : 0);
          if (is_word (c))
            k |= CLASS_WORD;
          classes[c] = k;
        }
      g_once_init_leave (&initialized, 1);
    }
  return classes;
}

/* The end of the run of letters and digits from text[p]. */
static inline gsize
alnum_run_end (const char *t,
               gsize       p,
               gsize       end)
{
  while (p < end && g_ascii_isalnum (t[p]))
    p++;
  return p;
}

/* Whether a run of letters and digits that starts with a letter and ends
 * at text[run_end] may be the start of a host name or of an IPv6 address:
 * '.' or '-' must follow it (host_at(): its first label goes on to a dot),
 * or ':' (ipv6_at(): at most four hex digits, then a colon).  A URL starts
 * with 'h'.  Most words are none of these, and their letters are not
 * looked at again by each matcher in turn. */
static inline gboolean
may_go_on_at (const char *t,
              gsize       run_end,
              gsize       end)
{
  return run_end < end && (t[run_end] == '.' || t[run_end] == '-' || t[run_end] == ':');
}

void
bounce_scan_candidates (const char *text,
                        gsize       start,
                        gsize       end,
                        guint       kinds,
                        GArray     *candidates)
{
  const guint16 *classes;
  gsize resume[BOUNCE_SCAN_N_KINDS];
  gboolean prev_word;

  g_return_if_fail (text != NULL);
  g_return_if_fail (candidates != NULL);
  g_return_if_fail ((kinds & CLASS_WORD) == 0);

  if (end <= start)
    return;
  for (guint k = 0; k < BOUNCE_SCAN_N_KINDS; k++)
    resume[k] = start;

  classes = get_classes ();
  prev_word = start > 0 && is_word (text[start - 1]);
  for (gsize p = start; p < end; p++)
    {
      guchar c = text[p];
      guint cls = classes[c];
      gboolean after_word = prev_word;
      guint try;

      prev_word = (cls & CLASS_WORD) != 0;
      /* Only the e-mail domain may start right after a word byte, and '@'
       * is none: the rest of a word is passed over at once. */
      if (after_word && prev_word)
        {
          while (p + 1 < end && (classes[(guchar) text[p + 1]] & CLASS_WORD) != 0)
            p++;
          continue;
        }
      if ((cls & ~CLASS_WORD) == 0 || (after_word && c != '@'))
        continue;

      try = cls & kinds;
      if (g_ascii_isalpha (c) && c != 'h' && c != 'H')
        {
          gsize run_end = alnum_run_end (text, p, end);

          if (!may_go_on_at (text, run_end, end))
            {
              /* (the rest of the run is inside the word) */
              p = run_end - 1;
              continue;
            }
        }
      for (guint k = 0; try != 0; k++, try >>= 1)
        {
          BounceScanCandidate found;

          if ((try & 1) == 0 || p < resume[k])
            continue;
          found.end = matchers[k] (text, p, end);
          if (found.end == 0)
            continue;
          found.kind = k;
          found.start = p;
          g_array_append_val (candidates, found);
          resume[k] = found.end;
        }
    }
}
