/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-diagnose.h"
#include "bounce-layouts.h"
#include "bounce-layout-lines.h"

/* The generic scan: lines of the notification text that name an address
 * as a failed recipient (the line is the address alone, as Exim, qmail,
 * Sendmail and Exchange list them; a Postfix-style "<address>: reason"
 * line; or words before it that say so: "RCPT TO:", "delivery to",
 * "recipient:"), each with the text that follows it.  It knows no server:
 * the patterns below are the wording of RFC 3464's human-readable part as
 * servers commonly write it. */

/* How much text after a recipient line belongs to it at most. */
#define BOUNCE_TEXT_BLOCK_LIMIT 4096

typedef enum {
  RE_RCPT_CONTEXT,
  RE_LIST_INTRO,
  RE_SENDER_INTRO,
  RE_CODE_PREFIX,
  RE_HEADERISH,
  RE_ERROR_WORDS,
  N_RE
} PatternId;

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
  /* A Sendmail-style line "554 <a@b>... reason", and a reply that puts
   * the enhanced status code before the address, as RFC 2034 section 3
   * places it and Postfix's smtpd writes its refusals ("550 5.1.1
   * <a@b>: Recipient address rejected: ...", src/smtpd/smtpd_check.c). */
  [RE_CODE_PREFIX] =
    "^\\s{0,8}[45]\\d\\d(?:[ -]\\s{0,2}[245]\\.\\d{1,3}\\.\\d{1,3})?[ -]?\\s{0,2}[<\"]?$",
  /* A header-like line inside text that names the sender side, not a recipient. */
  [RE_HEADERISH] =
    "^\\s{0,4}(?:from|reply-to|return-path|sender|message-id|in-reply-to|references|"
    "x-[a-z0-9-]+|received|envelope-from|mail\\s+from|>>>\\s*mail\\s+from|"
    "reporting-mta|received-from-mta|arrival-date|date|subject|to|cc|bcc|delivered-to)\\s*:",
  [RE_ERROR_WORDS] =
    "\\b(?:user\\s+unknown|unknown\\s+(?:user|host|domain|address|recipient)|does\\s+not\\s+exist|no\\s+such|not\\s+found|rejected|refused|denied|"
    "blocked|blacklisted|listed|quota|full|undeliverable|could\\s+not\\s+be\\s+delivered|failed|failure|"
    "unavailable|not\\s+allowed|spam|invalid|disabled|suspended|timed?\\s*out|error)\\b",
};

static gboolean
ends_with_word (const char *text,
                gsize       len,
                const char *word)
{
  gsize n = strlen (word);

  return len >= n && g_ascii_strncasecmp (text + len - n, word, n) == 0;
}

/* Whether pattern id can match text, tested without it, for the patterns
 * that the scan asks of most lines that hold an address: what is before
 * the address ("<", "    5.1.1 <" in most bounces) and the line before.
 * FALSE only where the pattern cannot match (the words are tested only in
 * a text of printable ASCII, bounce_text_is_plain_ascii()); most lines
 * are spared compiling and running it. */
static gboolean
may_match (PatternId   id,
           const char *text)
{
  gsize len;

  switch (id)
    {
    case RE_HEADERISH:
      /* (every match ends with the colon) */
      return strchr (text, ':') != NULL;
    case RE_CODE_PREFIX:
      if (!bounce_text_is_plain_ascii (text))
        return TRUE;
      for (const char *p = text; p[0] != '\0' && p[1] != '\0'; p++)
        if ((p[0] == '4' || p[0] == '5') && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]))
          return TRUE;
      return FALSE;
    case RE_SENDER_INTRO:
      if (!bounce_text_is_plain_ascii (text))
        return TRUE;
      /* the words at the end, before blanks and a colon */
      len = strlen (text);
      while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == ':'))
        len--;
      return ends_with_word (text, len, "from") || ends_with_word (text, len, "by") ||
             ends_with_word (text, len, "sender") || ends_with_word (text, len, "return-path");
    case RE_RCPT_CONTEXT:
      if (!bounce_text_is_plain_ascii (text))
        return TRUE;
      /* a word of each alternative: "RCPT TO", "recipient", "address:",
       * "user:", "mailbox", "... to" or "... for" */
      {
        static const char * const words[] = { "rcpt", "recipient", "address", "user", "mailbox", "to", "for" };
        const char *end = text + strlen (text);

        for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
          if (bounce_ascii_range_has_word (text, end, words[i], strlen (words[i])))
            return TRUE;
      }
      return FALSE;
    case RE_LIST_INTRO:
    case RE_ERROR_WORDS:
    case N_RE:
    default:
      return TRUE;
    }
}

/* RE_ERROR_WORDS read by hand in a text of printable ASCII: one of its
 * phrases as whole words, any case, a space standing for blanks.  It is
 * the costliest of the scan's patterns to compile, and asked of the text
 * after most addresses at a line's start ("<a@b>... User unknown"). */
static gboolean
says_error (const char *text)
{
  static const char * const phrases[] = {
    "user unknown", "unknown user", "unknown host", "unknown domain", "unknown address", "unknown recipient",
    "does not exist", "no such", "not found", "rejected", "refused", "denied", "blocked", "blacklisted",
    "listed", "quota", "full", "undeliverable", "could not be delivered", "failed", "failure", "unavailable",
    "not allowed", "spam", "invalid", "disabled", "suspended", "timeout", "timedout", "time out", "timed out",
    "error",
  };

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isalpha (*p) || (p > text && (g_ascii_isalnum (p[-1]) || p[-1] == '_')))
        continue;
      for (gsize i = 0; i < G_N_ELEMENTS (phrases); i++)
        {
          const char *q = p;
          const char *w = phrases[i];

          for (; *w != '\0'; w++)
            {
              if (*w != ' ')
                {
                  if (g_ascii_tolower (*q) != *w)
                    break;
                  q++;
                }
              else if (*q == ' ' || *q == '\t')
                {
                  while (*q == ' ' || *q == '\t')
                    q++;
                }
              else
                break;
            }
          if (*w == '\0' && !g_ascii_isalnum (*q) && *q != '_')
            return TRUE;
        }
    }
  return FALSE;
}

/* Caseless, and ^ and $ at line ends: the scan matches within lines. */
static gboolean
match (PatternId   id,
       const char *text)
{
  static BounceRegexSlot patterns[N_RE];

  if (text == NULL || !may_match (id, text))
    return FALSE;
  if (id == RE_ERROR_WORDS && bounce_text_is_plain_ascii (text))
    return says_error (text);
  return g_regex_match (bounce_regex_once_for (&patterns[id], pattern_sources[id],
                                               G_REGEX_CASELESS | G_REGEX_MULTILINE, strlen (text)),
                        text, 0, NULL);
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

  /* Postfix's "For further assistance, please send mail to <postmaster@...>" */
  if (match (RE_HEADERISH, before) || strstr (before, "assistance") != NULL)
    return FALSE;
  /* (the address a refusal of the sender names is the sender's) */
  if (bounce_extract_refuses_sender (line + addr_end))
    return FALSE;
  if (match (RE_CODE_PREFIX, before))
    return TRUE;
  for (; *b; b++)
    if (!(g_ascii_isspace (*b) || strchr ("<\"'*-:;>[(•", *b)))
      only_punct_before = FALSE;
  {
    g_autofree char *lower = g_ascii_strdown (before, -1);

    if (g_str_has_suffix (g_strstrip (lower), "rfc822;"))
      only_punct_before = TRUE;
  }

  if (only_punct_before && previous != NULL && match (RE_SENDER_INTRO, previous))
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
      (match (RE_ERROR_WORDS, after) ||
       (previous != NULL && match (RE_LIST_INTRO, previous))))
    return TRUE;
  return match (RE_RCPT_CONTEXT, before);
}

static void
scan_text_range (BounceLayoutDoc *d,
                 gsize      start,
                 gsize      end,
                 GArray    *lines)
{
  const char *text = d->text;
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
              if (strchr (address, '.') != NULL && !bounce_doc_is_ignored_address (d, address) &&
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

/* Where the explanation ends in text[start, end): before a line that
 * opens the returned message (bounce_text_opens_returned_message(); one
 * without a separator only after the first line), which is no part of it. */
static gsize
before_returned_message (const char *text,
                         gsize       start,
                         gsize       end)
{
  gsize pos = start;

  while (pos < end)
    {
      const char *nl = memchr (text + pos, '\n', end - pos);
      gsize line_end = nl ? (gsize) (nl - text) : end;
      const char *p = text + pos;

      while (p < text + line_end && (*p == ' ' || *p == '\t' || *p == '|'))
        p++;
      if (bounce_text_opens_returned_message (p, text + line_end - p,
                                              pos > start && text + line_end - p < 80 ?
                                              BOUNCE_MARKER_HEADING | BOUNCE_MARKER_LINE : BOUNCE_MARKER_SEPARATOR))
        return pos;
      pos = line_end + 1;
    }
  return end;
}

static void
free_block (gpointer block)
{
  g_string_free (block, TRUE);
}

/* Recipients named in the notification text, each with the text that
 * follows it up to the next recipient. */
static gboolean
parse_text_scan (BounceLayoutDoc *d)
{
  GPtrArray *segments = bounce_input_get_segments (d->input);
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (RecipientLine));
  g_autoptr(GArray) seg_end = g_array_new (FALSE, FALSE, sizeof (gsize));
  /* address -> its fact; fact -> its text so far, and where that ends */
  g_autoptr(GHashTable) by_address = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) blocks = g_hash_table_new_full (NULL, NULL, NULL, free_block);
  g_autoptr(GHashTable) covered = g_hash_table_new (NULL, NULL);
  gsize scanned = 0;

  g_array_set_clear_func (lines, (GDestroyNotify) recipient_line_clear);

  for (guint i = d->seg_begin; i < d->seg_end; i++)
    {
      BounceSegment *seg = segments->pdata[i];
      gsize before = lines->len;

      if (seg->message_index != d->message_index || seg->kind != BOUNCE_SEGMENT_TEXT)
        continue;
      if (scanned >= BOUNCE_NOTIFICATION_LIMIT)
        break;
      scan_text_range (d, seg->start,
                       seg->start + bounce_utf8_cut (d->text + seg->start,
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
      BounceFact *fact;
      GString *block;

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
        block_end += bounce_utf8_cut (d->text + r->block_start, MIN (limit - r->block_start, BOUNCE_TEXT_BLOCK_LIMIT));
      block_end = before_returned_message (d->text, r->block_start, block_end);

      fact = g_hash_table_lookup (by_address, r->address);
      if (fact == NULL)
        {
          fact = bounce_fact_new (d->layout, g_strdup (r->address));
          fact->start = r->line_start;
          fact->end = block_end;
          fact->has_range = TRUE;
          g_ptr_array_add (d->out, fact);
          g_hash_table_insert (by_address, fact->address, fact);
          g_hash_table_insert (blocks, fact, g_string_new (NULL));
        }
      /* The address named again inside its own block ("... after RCPT
       * TO:<a@b>:") adds nothing the block does not hold already. */
      else if (r->line_start < GPOINTER_TO_SIZE (g_hash_table_lookup (covered, fact)))
        continue;
      g_hash_table_insert (covered, fact, GSIZE_TO_POINTER (block_end));
      block = g_hash_table_lookup (blocks, fact);
      if (block->len > 0)
        g_string_append_c (block, '\n');
      /* Keep the recipient line (minus the address) so "<a@b>: host x said:
       * 550 ..." keeps its codes. */
      skip = skip_address_remainder (d->text + r->block_start, block_end - r->block_start);
      g_string_append_len (block, d->text + r->block_start + skip,
                           block_end - r->block_start - skip);
    }
  /* (a recipient line with nothing after it keeps an empty text: its line
   * was there) */
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *fact = d->out->pdata[i];

      fact->text = g_strdup (((GString *) g_hash_table_lookup (blocks, fact))->str);
    }
  return d->out->len > 0;
}

/* The notification text is read up to a limit (the notification limit for
 * the scan, less for the layouts).  A list of recipients that goes on past
 * it was cut, which the report must say: the text just past the limit names
 * recipients that facts do not have. */
#define CUT_PROBE (16 * 1024)

gboolean
bounce_layouts_list_cut (BounceLayoutDoc *d,
                         GPtrArray       *facts,
                         gsize            limit)
{
  GPtrArray *segments = bounce_input_get_segments (d->input);
  gsize total = 0;

  for (guint i = d->seg_begin; i < d->seg_end; i++)
    {
      BounceSegment *seg = segments->pdata[i];
      g_autoptr(GArray) lines = NULL;
      g_autoptr(GHashTable) known = NULL;
      gsize cut;

      if (seg->message_index != d->message_index || seg->kind != BOUNCE_SEGMENT_TEXT)
        continue;
      if (total + (seg->end - seg->start) <= limit)
        {
          total += seg->end - seg->start;
          continue;
        }
      cut = seg->start + (limit - total);
      while (cut > seg->start && d->text[cut - 1] != '\n')
        cut--;
      lines = g_array_new (FALSE, FALSE, sizeof (RecipientLine));
      g_array_set_clear_func (lines, (GDestroyNotify) recipient_line_clear);
      scan_text_range (d, cut, cut + bounce_utf8_cut (d->text + cut, MIN (seg->end - cut, CUT_PROBE)), lines);
      known = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint j = 0; j < facts->len; j++)
        if (((BounceFact *) facts->pdata[j])->address != NULL)
          g_hash_table_add (known, ((BounceFact *) facts->pdata[j])->address);
      for (guint j = 0; j < lines->len; j++)
        if (!g_hash_table_contains (known, g_array_index (lines, RecipientLine, j).address))
          return TRUE;
      return FALSE;
    }
  return FALSE;
}

const BounceLayout bounce_layout_text_scan = {
  .name = "text",
  .title = "Plain-text scan for recipients",
  .kind = BOUNCE_LAYOUT_SCAN,
  .parse = parse_text_scan,
};
