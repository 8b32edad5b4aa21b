/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-formats.h"

/* Layouts put what matters at the top; a 20 MB input must not cost more
 * than this much scanning per recogniser. */
#define SCAN_LIMIT BOUNCE_FORMATS_SCAN_LIMIT
/* How much of one recipient's explanation is kept. */
#define DIAGNOSTIC_LIMIT 2048

typedef struct {
  const char *s;
  gsize len;
  gsize offset;     /* into the display text */
} Line;

typedef struct {
  const char *text;
  BounceMessage *message;
  GArray *lines;    /* Line, of the message's notification text */
  GPtrArray *out;   /* BounceFormatRecipient */
} Doc;

void
bounce_format_recipient_free (BounceFormatRecipient *recipient)
{
  if (recipient == NULL)
    return;
  g_free (recipient->format);
  g_free (recipient->address);
  g_free (recipient->diagnostic);
  g_free (recipient->status);
  g_free (recipient->reason);
  g_free (recipient->action);
  g_free (recipient);
}

/* ------------------------------------------------------------------ */
/* Small text helpers                                                   */

static const Line *
line_at (Doc  *d,
         guint i)
{
  return &g_array_index (d->lines, Line, i);
}

/* The line without leading and trailing blanks. */
static void
line_trim (const Line  *l,
           const char **start,
           gsize       *len)
{
  const char *s = l->s;
  gsize n = l->len;

  while (n > 0 && (*s == ' ' || *s == '\t'))
    s++, n--;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    n--;
  *start = s;
  *len = n;
}

static gboolean
line_is_blank (const Line *l)
{
  const char *s;
  gsize n;

  line_trim (l, &s, &n);
  return n == 0;
}

static gboolean
mem_has_prefix (const char *s,
                gsize       len,
                const char *prefix)
{
  gsize n = strlen (prefix);

  return len >= n && g_ascii_strncasecmp (s, prefix, n) == 0;
}

/* Case-insensitive search in a counted string. */
static const char *
mem_find (const char *s,
          gsize       len,
          const char *needle)
{
  gsize n = strlen (needle);

  if (n == 0 || len < n)
    return NULL;
  for (gsize i = 0; i + n <= len; i++)
    if (g_ascii_tolower (s[i]) == g_ascii_tolower (needle[0]) &&
        g_ascii_strncasecmp (s + i, needle, n) == 0)
      return s + i;
  return NULL;
}

static gboolean
line_starts (const Line *l,
             const char *prefix)
{
  const char *s;
  gsize n;

  line_trim (l, &s, &n);
  return mem_has_prefix (s, n, prefix);
}

static gboolean
line_contains (const Line *l,
               const char *needle)
{
  return mem_find (l->s, l->len, needle) != NULL;
}

/* Index of the first line at or after from whose trimmed text starts with
 * prefix, or -1. */
static int
doc_find_start (Doc        *d,
                guint       from,
                const char *prefix)
{
  for (guint i = from; i < d->lines->len; i++)
    if (line_starts (line_at (d, i), prefix))
      return (int) i;
  return -1;
}

static int
doc_find (Doc        *d,
          guint       from,
          const char *needle)
{
  for (guint i = from; i < d->lines->len; i++)
    if (line_contains (line_at (d, i), needle))
      return (int) i;
  return -1;
}

/* The first e-mail address in s[0..len), lower case, or NULL. */
static char *
address_in (const char *s,
            gsize       len)
{
  return bounce_extract_address (s, len, 0, NULL, NULL);
}

/* "<addr>:" or "addr:" alone on a line (qmail and its kin); returns the
 * address. */
static char *
address_colon_line (const Line *l)
{
  const char *s;
  gsize n;

  line_trim (l, &s, &n);
  if (mem_has_prefix (s, n, "To:"))
    {
      s += 3, n -= 3;
      while (n > 0 && *s == ' ')
        s++, n--;
    }
  if (n < 4 || s[n - 1] != ':')
    return NULL;
  n--;
  if (s[0] == '<')
    {
      if (s[n - 1] != '>')
        return NULL;
      s++, n -= 2;
    }
  for (gsize i = 0; i < n; i++)
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '<' || s[i] == '>')
      return NULL;
  if (memchr (s, '@', n) == NULL)
    return NULL;
  return address_in (s, n);
}

/* Appends a line's text to a diagnostic, one space between lines. */
static void
diag_append (GString    *diag,
             const char *s,
             gsize       n)
{
  while (n > 0 && (*s == ' ' || *s == '\t'))
    s++, n--;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    n--;
  if (n == 0 || diag->len + 1 >= DIAGNOSTIC_LIMIT)
    return;
  if (diag->len > 0)
    g_string_append_c (diag, ' ');
  /* what fits, not ending inside a character */
  n = bounce_utf8_cut (s, MIN (n, DIAGNOSTIC_LIMIT - diag->len));
  for (gsize i = 0; i < n; i++)
    {
      char c = s[i] == '\t' ? ' ' : s[i];

      if (c == ' ' && diag->len > 0 && diag->str[diag->len - 1] == ' ')
        continue;
      g_string_append_c (diag, c);
    }
}

static void
diag_append_line (GString    *diag,
                  const Line *l)
{
  diag_append (diag, l->s, l->len);
}

/* A status code written as "#5.1.1" (qmail) or "[#4.1.9]"; NULL if none. */
static char *
hash_status_in (const char *text)
{
  for (const char *p = strchr (text, '#'); p != NULL; p = strchr (p + 1, '#'))
    {
      if ((p[1] == '4' || p[1] == '5' || p[1] == '2') && p[2] == '.' && g_ascii_isdigit (p[3]))
        {
          gsize n = 4;

          while (n < 8 && g_ascii_isdigit (p[n]))
            n++;
          if (p[n] != '.' || !g_ascii_isdigit (p[n + 1]))
            continue;
          n++;
          while (n < 12 && g_ascii_isdigit (p[n]))
            n++;
          return g_strndup (p + 1, n - 1);
        }
    }
  return NULL;
}

/* First phrase of a table found in text; returns its reason. */
typedef struct {
  const char *phrase;
  const char *reason;
} Phrase;

static const char *
phrase_reason (const Phrase *table,
               gsize         n,
               const char   *text)
{
  gsize len;

  if (text == NULL)
    return NULL;
  len = strlen (text);
  for (gsize i = 0; i < n; i++)
    if (mem_find (text, len, table[i].phrase) != NULL)
      return table[i].reason;
  return NULL;
}

static BounceFormatRecipient *
add_recipient (Doc        *d,
               const char *format,
               char       *address,
               guint       first,
               guint       last)
{
  BounceFormatRecipient *r = g_new0 (BounceFormatRecipient, 1);
  const Line *a = line_at (d, first);
  const Line *b = line_at (d, MIN (last, d->lines->len - 1));

  r->format = g_strdup (format);
  r->address = address;
  r->start = a->offset;
  r->end = b->offset + b->len;
  g_ptr_array_add (d->out, r);
  return r;
}

static BounceFormatRecipient *
find_recipient (Doc        *d,
                const char *address)
{
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFormatRecipient *r = d->out->pdata[i];

      if (g_strcmp0 (r->address, address) == 0)
        return r;
    }
  return NULL;
}

static void
set_diagnostic (BounceFormatRecipient *r,
                GString               *diag)
{
  g_free (r->diagnostic);
  r->diagnostic = diag->len > 0 ? g_strdup (diag->str) : NULL;
}

static const char *
header (Doc        *d,
        const char *name)
{
  if (d->message == NULL || d->message->headers == NULL)
    return NULL;
  return bounce_fields_lookup (d->message->headers, name);
}

/* The message carries machine-readable delivery-status fields. */
static gboolean
has_dsn (Doc *d)
{
  return d->message != NULL && d->message->dsn_groups != NULL && d->message->dsn_groups->len > 1;
}

/* ------------------------------------------------------------------ */
/* qmail and the servers that copied its layout                         */

/* qmail-remote's, qmail-local's and qmail-ldap's own words: fixed
 * sentences that name the condition, not a remote server's reply. */
static const Phrase qmail_phrases[] = {
  { "Mailaddress is administrativly disabled", "suspend" },
  { "Mailaddress is administratively disabled", "suspend" },
  { "Sorry, no mailbox here by that name", "userunknown" },
  { "The message exeeded the maximum size the user accepts", "exceedlimit" },
  { "Automatic homedir creator crashed", "systemerror" },
  { "Illegal value in LDAP attribute", "systemerror" },
  { "LDAP attribute is not given but mandatory", "systemerror" },
  { "Timeout while performing search on LDAP server", "systemerror" },
  { "Too many results returned but needs to be unique", "systemerror" },
  { "error while executing qmail-forward", "systemerror" },
  { "Temporary error in automatic homedir creation", "systemerror" },
  { "Temporary failure in LDAP lookup", "systemerror" },
  { "Unable to contact LDAP server", "systemerror" },
  { "Unable to login into LDAP server", "systemerror" },
  { "Sorry, I couldn't find any host ", "hostunknown" },
  { "Sorry, I wasn't able to establish an SMTP connection", "networkerror" },
  { "Although I'm listed as a best-preference MX or A for that host", "networkerror" },
};

/* The sentences that open the recipient list. */
static const char * const qmail_openers[] = {
  "Hi. This is the qmail",
  "I'm afraid I wasn't able to deliver your message to the following addresses",
  "Unable to deliver message to the following address",
  "Sorry, we were unable to deliver your message to the following address",
};

static gboolean
qmail_is_end (const Line *l)
{
  return line_starts (l, "--- ") || line_starts (l, "---Below this line") ||
         line_starts (l, "--- Below this line");
}

static void
qmail_finish (BounceFormatRecipient *r,
              GString               *diag)
{

  set_diagnostic (r, diag);
  if (r->diagnostic == NULL)
    return;
  /* also "Sorry, no SMTP connection got far enough; most progress was RCPT TO" */
  r->command = bounce_extract_smtp_command (r->diagnostic, -1);
  r->status = hash_status_in (r->diagnostic);
  r->reason = g_strdup (phrase_reason (qmail_phrases, G_N_ELEMENTS (qmail_phrases), r->diagnostic));
}

static gboolean
parse_qmail (Doc *d)
{
  int start = -1;
  BounceFormatRecipient *current = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (qmail_openers) && start < 0; i++)
    start = doc_find_start (d, 0, qmail_openers[i]);
  if (start < 0)
    return FALSE;

  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const Line *l = line_at (d, i);
      char *address;

      if (qmail_is_end (l))
        break;
      address = address_colon_line (l);
      if (address != NULL)
        {
          if (current != NULL)
            qmail_finish (current, diag);
          g_string_truncate (diag, 0);
          current = add_recipient (d, "qmail", address, i, i);
          continue;
        }
      if (current == NULL)
        continue;
      diag_append_line (diag, l);
      if (!line_is_blank (l))
        current->end = l->offset + l->len;
    }
  if (current != NULL)
    qmail_finish (current, diag);
  return d->out->len > 0;
}

/* ------------------------------------------------------------------ */
/* Exim (and the appliances built on it)                               */

/* Exim's own sentences for what it decided itself, not a remote reply. */
static const Phrase exim_phrases[] = {
  /* first: "mailbox is full: retry timeout exceeded" is about the mailbox */
  { "mailbox is full", "mailboxfull" },
  { "Unrouteable address", "hostunknown" },
  { "all relevant MX records point to non-existent hosts", "hostunknown" },
};

/* ... and the ones that say it retried until it gave up. */
static const Phrase exim_retry_phrases[] = {
  { "retry timeout exceeded", "expired" },
  { "retry time not reached for any host after a long failure period", "expired" },
  { "all hosts have been failing for a long time", "expired" },
};

static gboolean
exim_is_end (const Line *l)
{
  return line_starts (l, "------ This is a copy of the message") ||
         line_starts (l, "------ The body of the message") ||
         line_starts (l, "Included is a copy of the message") ||
         line_starts (l, "--- The header of the original message") ||
         line_starts (l, "Reporting-MTA:") || line_starts (l, "Action:");
}

/* "  addr", "  addr:", "  <addr>: 550 text" or "  addr: text", indented,
 * as Exim lists failed addresses; returns the address and where the text
 * after it starts. */
static char *
exim_address_line (const Line  *l,
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
  while (end < n && s[end] != ' ' && s[end] != '\t')
    end++;
  /* the token is the address, with optional <> and a trailing colon */
  {
    const char *t = s + i;
    gsize tn = end - i;

    colon = tn > 0 && t[tn - 1] == ':';
    if (colon)
      tn--;
    if (tn > 2 && t[0] == '<' && t[tn - 1] == '>')
      t++, tn -= 2;
    if (tn < 3 || memchr (t, '@', tn) == NULL || memchr (t, '<', tn) != NULL ||
        memchr (t, '>', tn) != NULL || memchr (t, '"', tn) != NULL)
      return NULL;
    address = address_in (t, tn);
  }
  if (address == NULL)
    return NULL;
  /* after it: nothing, or ": text" */
  while (end < n && (s[end] == ' ' || s[end] == '\t'))
    end++;
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

/* "  pipe to |/usr/bin/procmail" or "  save to /var/mail/bob": a delivery
 * to a command or a file, which Exim names instead of an address; the
 * address that led there follows as "generated by bob@example.org". */
static gboolean
exim_local_delivery_line (const Line *l)
{
  const char *s;
  gsize n;

  if (l->len == 0 || (l->s[0] != ' ' && l->s[0] != '\t'))
    return FALSE;
  line_trim (l, &s, &n);
  return mem_has_prefix (s, n, "pipe to ") || mem_has_prefix (s, n, "save to ");
}

static void
exim_finish (BounceFormatRecipient *r,
             GString               *diag,
             gboolean               delayed)
{
  set_diagnostic (r, diag);
  if (delayed)
    r->action = g_strdup ("delayed");
  if (r->diagnostic == NULL)
    return;
  r->command = bounce_extract_smtp_command (r->diagnostic, -1);
  /* The reference parsers code a sender refusal in Exim's layout that has
   * no enhanced code as "on hold" (x.0.901), whatever its reason. */
  if (r->command == BOUNCE_SMTP_COMMAND_MAIL)
    r->pseudo_reason = "onhold";
  /* A remote server's reply is quoted after "SMTP error from remote mail
   * server"; Exim's own sentences only name the reason when it decided
   * alone. */
  if (mem_find (r->diagnostic, strlen (r->diagnostic), "SMTP error from remote") == NULL)
    {
      const char *retry = phrase_reason (exim_retry_phrases, G_N_ELEMENTS (exim_retry_phrases), r->diagnostic);
      const char *reason = phrase_reason (exim_phrases, G_N_ELEMENTS (exim_phrases), r->diagnostic);

      r->retried = retry != NULL;
      if (reason == NULL)
        reason = retry;
      if (reason != NULL)
        {
          g_free (r->reason);
          r->reason = g_strdup (reason);
        }
    }
}

/* After the list, "The following text was generated during the delivery
 * attempt:" and, per failed address, a "------ address ------" heading
 * over what the pipe command or the local delivery printed: that output
 * says what went wrong. */
static void
exim_attempt_output (Doc  *d,
                     guint from)
{
  int at = doc_find_start (d, from, "The following text was generated during the delivery attempt");
  BounceFormatRecipient *target = d->out->len == 1 ? d->out->pdata[0] : NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (at < 0)
    return;
  for (guint i = at + 1; i <= d->lines->len; i++)
    {
      const Line *l = i < d->lines->len ? line_at (d, i) : NULL;
      const char *s = NULL;
      gsize n = 0;
      gboolean heading;

      if (l != NULL)
        line_trim (l, &s, &n);
      heading = l != NULL && (mem_has_prefix (s, n, "------") ||
                              (n >= 6 && memcmp (s + n - 6, "------", 6) == 0));
      if (l == NULL || exim_is_end (l) || (heading && mem_has_prefix (s, n, "------")))
        {
          /* the text gathered so far belongs to the previous heading */
          if (target != NULL && text->len > 0)
            {
              g_autoptr(GString) diag = g_string_new (target->diagnostic);

              diag_append (diag, text->str, text->len);
              set_diagnostic (target, diag);
            }
          g_string_truncate (text, 0);
          if (l == NULL || exim_is_end (l))
            break;
        }
      if (heading)
        {
          g_autofree char *address = address_in (s, n);
          BounceFormatRecipient *named = address != NULL ? find_recipient (d, address) : NULL;

          if (named != NULL)
            target = named;
          continue;
        }
      if (n > 0)
        diag_append (text, s, n);
    }
}

static gboolean
parse_exim (Doc *d)
{
  int start = doc_find_start (d, 0, "This message was created automatically by mail delivery software");
  int list;
  gboolean delayed;
  guint i;
  BounceFormatRecipient *current = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);
  FailedList failed = { header (d, "X-Failed-Recipients") };

  if (start < 0)
    return FALSE;
  failed.length = failed.list != NULL ? strlen (failed.list) : 0;
  /* the failed list, or a delay warning's one address */
  list = doc_find (d, start, "failed:");
  delayed = FALSE;
  {
    int later = doc_find (d, start, "has not yet been delivered");

    if (later >= 0 && (list < 0 || later < list))
      {
        list = doc_find (d, later, "not yet been delivered is");
        if (list < 0)
          list = doc_find (d, later, "not yet been delivered are");
        delayed = TRUE;
      }
  }
  if (list < 0)
    return FALSE;

  for (i = list + 1; i < d->lines->len; i++)
    {
      const Line *l = line_at (d, i);
      const char *rest;
      gsize rest_len;
      char *address;
      gboolean pipe = FALSE;

      if (exim_is_end (l))
        break;
      address = exim_address_line (l, &rest, &rest_len);
      if (address == NULL && exim_local_delivery_line (l))
        {
          /* the address that generated the delivery, else the header's */
          const Line *next = i + 1 < d->lines->len ? line_at (d, i + 1) : NULL;
          const char *g;
          gsize gn;

          if (next != NULL)
            {
              line_trim (next, &g, &gn);
              if (mem_has_prefix (g, gn, "generated by "))
                address = address_in (g, gn);
            }
          if (address == NULL)
            address = failed_list_nth (&failed, d->out->len);
          if (address != NULL)
            {
              rest = NULL;
              rest_len = 0;
              pipe = line_starts (l, "pipe to ");
            }
        }
      if (address != NULL)
        {
          if (current != NULL)
            exim_finish (current, diag, delayed);
          g_string_truncate (diag, 0);
          current = add_recipient (d, "exim", address, i, i);
          /* a command that failed is a mailer error whatever it printed */
          if (pipe)
            current->reason = g_strdup ("mailererror");
          diag_append (diag, rest, rest_len);
          continue;
        }
      if (current == NULL)
        {
          /* text before the first address ends the list early only if it
           * is not blank or indented */
          continue;
        }
      if (line_is_blank (l))
        continue;
      /* the explanation is indented under its address */
      if (l->s[0] != ' ' && l->s[0] != '\t')
        break;
      current->end = l->offset + l->len;
      /* how the address was reached ("generated by bob@example.org",
       * "(ultimately generated from alias@example.org)") is no part of
       * what went wrong */
      if (line_starts (l, "generated by ") || line_starts (l, "(generated from ") ||
          line_starts (l, "(ultimately generated from "))
        continue;
      diag_append_line (diag, l);
    }
  if (current != NULL)
    exim_finish (current, diag, delayed);
  if (d->out->len > 0)
    exim_attempt_output (d, i);
  return d->out->len > 0;
}

/* ------------------------------------------------------------------ */
/* au by KDDI (EZweb, au one net): the Japanese carrier's own notices   */

static const char * const au_openers[] = {
  "Each of the following recipients was rejected by a remote",
  "The following recipients did not receive this message:",
  "Could not be delivered to:",
  "The user(s) account is disabled.",
};

/* The carrier's fixed sentences, anywhere in the notice. */
static const Phrase au_phrases[] = {
  { "The user(s) account is disabled", "suspend" },
  { "Your message was not delivered within", "expired" },
  { "As their mailbox is full", "mailboxfull" },
};

/* "<addr>", "<addr>: text", "Recipient: <addr>", "Could not be delivered
 * to: <addr>"; returns the address and the text after it. */
static char *
au_address_line (const Line  *l,
                 const char **rest,
                 gsize       *rest_len)
{
  const char *s, *lt, *gt;
  gsize n;

  line_trim (l, &s, &n);
  if (mem_has_prefix (s, n, "Recipient:"))
    s += 10, n -= 10;
  else if (mem_has_prefix (s, n, "Could not be delivered to:"))
    s += 26, n -= 26;
  while (n > 0 && *s == ' ')
    s++, n--;
  if (n < 5 || s[0] != '<')
    return NULL;
  lt = s;
  gt = memchr (s, '>', n);
  if (gt == NULL || memchr (lt, '@', gt - lt) == NULL || memchr (lt, ' ', gt - lt) != NULL)
    return NULL;
  *rest = gt + 1;
  *rest_len = n - (gt + 1 - s);
  if (*rest_len > 0 && **rest == ':')
    (*rest)++, (*rest_len)--;
  return address_in (lt + 1, gt - lt - 1);
}

static gboolean
au_is_opener (const Line *l)
{
  for (guint i = 0; i < G_N_ELEMENTS (au_openers); i++)
    if (line_starts (l, au_openers[i]))
      return TRUE;
  return FALSE;
}

static gboolean
parse_au (Doc *d)
{
  int opener = -1;
  gboolean rejected_list;
  BounceFormatRecipient *current = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);
  g_autoptr(GString) all = g_string_new (NULL);
  const char *reason;

  for (guint i = 0; i < G_N_ELEMENTS (au_openers) && opener < 0; i++)
    opener = doc_find_start (d, 0, au_openers[i]);
  if (opener < 0)
    return FALSE;
  /* The carrier's notices come from its own servers. */
  if (doc_find (d, 0, "ezweb.ne.jp") < 0 && doc_find (d, 0, "au.com") < 0 &&
      doc_find (d, 0, "au one net") < 0 && doc_find (d, 0, "dion.ne.jp") < 0 &&
      (header (d, "Received") == NULL || strstr (header (d, "Received"), "ezweb.ne.jp") == NULL))
    return FALSE;
  rejected_list = doc_find_start (d, 0, au_openers[0]) >= 0;

  for (guint i = 0; i < d->lines->len; i++)
    {
      const Line *l = line_at (d, i);
      const char *rest, *s;
      gsize rest_len, n;
      char *address;

      diag_append_line (all, l);
      if (line_starts (l, "--") && current != NULL)
        break;
      address = au_address_line (l, &rest, &rest_len);
      if (address != NULL)
        {
          if (current != NULL)
            set_diagnostic (current, diag);
          g_string_truncate (diag, 0);
          current = add_recipient (d, "au", address, i, i);
          diag_append (diag, rest, rest_len);
          continue;
        }
      if (current == NULL || au_is_opener (l) || line_is_blank (l))
        continue;
      line_trim (l, &s, &n);
      if (mem_has_prefix (s, n, ">>>"))
        {
          /* the command the server answered */
          current->command = bounce_extract_smtp_command (s, n);
          continue;
        }
      if (mem_has_prefix (s, n, "<<<"))
        s += 3, n -= 3;
      diag_append (diag, s, n);
      current->end = l->offset + l->len;
    }
  if (current != NULL)
    set_diagnostic (current, diag);
  if (d->out->len == 0)
    return FALSE;

  reason = phrase_reason (au_phrases, G_N_ELEMENTS (au_phrases), all->str);
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFormatRecipient *r = d->out->pdata[i];

      if (reason != NULL)
        r->reason = g_strdup (reason);
      /* Refused by the carrier with no reply quoted: the recipient's own
       * reception filter (au lets users refuse mail by domain or address). */
      else if (rejected_list && r->diagnostic == NULL && r->command == BOUNCE_SMTP_COMMAND_NONE)
        r->reason = g_strdup ("filtered");
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Zoho Mail                                                            */

/* Copies the text between two markers of s[0..n) into diag. */
static void
append_between (GString    *diag,
                const char *s,
                gsize       n,
                const char *from,
                const char *to)
{
  const char *a = mem_find (s, n, from);
  const char *b;

  if (a == NULL)
    return;
  a += strlen (from);
  /* an empty field leaves ", " behind */
  while (a < s + n && (*a == ',' || *a == ' '))
    a++;
  b = to != NULL ? mem_find (a, s + n - a, to) : NULL;
  diag_append (diag, a, (b != NULL ? b : s + n) - a);
}

/* "addr Invalid Address, ERROR_CODE :550, ERROR_CODE :Requested action..."
 * and "[Status: Error, Address: <addr>, ResponseCode 421, , Host not
 * reachable.]" */
static gboolean
parse_zoho (Doc *d)
{
  if (doc_find_start (d, 0, "This message was created automatically by mail delivery") < 0)
    return FALSE;
  for (guint i = 0; i < d->lines->len; i++)
    {
      const Line *l = line_at (d, i);
      const char *s, *code;
      gsize n;
      BounceFormatRecipient *r;
      g_autoptr(GString) diag = g_string_new (NULL);

      line_trim (l, &s, &n);
      if (mem_find (s, n, ", ERROR_CODE :") != NULL)
        {
          const char *space = memchr (s, ' ', n);

          if (space == NULL || memchr (s, '@', space - s) == NULL)
            continue;
          r = add_recipient (d, "zoho", address_in (s, space - s), i, i);
          code = mem_find (s, n, "ERROR_CODE :");
          append_between (diag, code, s + n - code, "ERROR_CODE :", ",");
          code = mem_find (code + 12, s + n - (code + 12), "ERROR_CODE :");
          if (code != NULL)
            append_between (diag, code, s + n - code, "ERROR_CODE :", NULL);
        }
      else if (mem_has_prefix (s, n, "[Status: ") && mem_find (s, n, "Address: <") != NULL)
        {
          const char *lt = mem_find (s, n, "Address: <") + 9;

          r = add_recipient (d, "zoho", address_in (lt, s + n - lt), i, i);
          append_between (diag, s, n, "ResponseCode ", ",");
          code = mem_find (s, n, "ResponseCode ");
          if (code != NULL)
            code = memchr (code, ',', s + n - code);
          /* after the code: ", <status>, <text>]" */
          if (code != NULL && (code = memchr (code + 1, ',', s + n - code - 1)) != NULL)
            diag_append (diag, code + 1, s + n - code - 1 - (s[n - 1] == ']'));
        }
      else
        continue;
      /* the text after ", ," when Zoho leaves its second field empty */
      while (diag->len > 0 && (diag->str[0] == ',' || diag->str[0] == ' '))
        g_string_erase (diag, 0, 1);
      set_diagnostic (r, diag);
      /* Zoho gives up on a host it cannot reach: a temporary reply in its
       * notice means the time to deliver ran out. */
      if (r->diagnostic != NULL && r->diagnostic[0] == '4')
        r->reason = g_strdup ("expired");
    }
  return d->out->len > 0;
}

/* ------------------------------------------------------------------ */
/* Sendmail (8.x and V5)                                                */

/* "550 5.1.1 <a@b>... User unknown" or "<a@b>... Deferred: ..." — Sendmail's
 * own one-line summary for a recipient; returns the address and the text
 * after the "... ". */
static char *
sendmail_summary (const char  *s,
                  gsize        n,
                  gboolean    *coded,
                  gsize       *codes_len,
                  const char **text,
                  gsize       *text_len)
{
  const char *dots = mem_find (s, n, "... ");
  gsize i = 0;

  *coded = FALSE;
  if (dots == NULL)
    return NULL;
  if (n > 4 && g_ascii_isdigit (s[0]) && g_ascii_isdigit (s[1]) && g_ascii_isdigit (s[2]) && s[3] == ' ')
    {
      *coded = TRUE;
      i = 4;
      /* an enhanced code after the reply code */
      while (i < n && s[i] != ' ' && s[i] != '<')
        i++;
      while (i < n && s[i] == ' ')
        i++;
    }
  /* the address is all that stands between the codes and the dots */
  if (memchr (s + i, ' ', dots - (s + i)) != NULL || memchr (s + i, '@', dots - (s + i)) == NULL)
    return NULL;
  *codes_len = i;
  *text = dots + 4;
  *text_len = s + n - *text;
  return address_in (s + i, dots - (s + i));
}

static gboolean
parse_sendmail (Doc *d)
{
  int list = -1, transcript;
  gboolean delayed = FALSE;
  BounceSmtpCommand command = BOUNCE_SMTP_COMMAND_NONE;
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autoptr(GString) unclaimed = g_string_new (NULL);
  BounceSmtpCommand unclaimed_command = BOUNCE_SMTP_COMMAND_NONE;
  BounceFormatRecipient *last = NULL;

  for (guint i = 0; i < d->lines->len && list < 0; i++)
    {
      const Line *l = line_at (d, i);

      if (line_starts (l, "----- The following addresses had"))
        {
          list = i;
          delayed = line_contains (l, "transient");
        }
    }
  transcript = doc_find_start (d, 0, "----- Transcript of session follows");
  if (list < 0 && transcript < 0)
    return FALSE;

  /* The list: an address per line, with "(reason: ...)" under it. */
  for (guint i = list >= 0 ? (guint) list + 1 : d->lines->len; i < d->lines->len; i++)
    {
      const Line *l = line_at (d, i);
      const char *s;
      gsize n;

      line_trim (l, &s, &n);
      if (n == 0 && d->out->len > 0)
        break;
      if (n == 0 || mem_has_prefix (s, n, "-----"))
        {
          if (n > 0)
            break;
          continue;
        }
      if (mem_has_prefix (s, n, "(reason:") && last != NULL)
        {
          g_autoptr(GString) diag = g_string_new (NULL);

          diag_append (diag, s + 8, n - 8 - (s[n - 1] == ')'));
          set_diagnostic (last, diag);
          continue;
        }
      if (s[0] == '(')
        continue;   /* "(expanded from: ...)" */
      if (memchr (s, '@', n) != NULL && memchr (s, ' ', n) == NULL)
        {
          g_autofree char *address = address_in (s, n);

          if (address != NULL && find_recipient (d, address) == NULL)
            {
              last = add_recipient (d, "sendmail", g_steal_pointer (&address), i, i);
              if (delayed)
                last->action = g_strdup ("delayed");
            }
        }
    }

  /* The transcript: the command, the server's reply, then Sendmail's own
   * summary line naming the recipient. */
  for (guint i = transcript >= 0 ? (guint) transcript + 1 : d->lines->len; i < d->lines->len; i++)
    {
      const Line *l = line_at (d, i);
      const char *s, *text;
      gsize n, text_len, codes_len;
      gboolean coded;
      g_autofree char *address = NULL;
      BounceFormatRecipient *r;

      line_trim (l, &s, &n);
      if (mem_has_prefix (s, n, "-----"))
        break;
      if (mem_find (s, n, "while talking to") != NULL)
        {
          if (reply->len > 0 && (reply->str[0] == '4' || reply->str[0] == '5'))
            {
              g_string_assign (unclaimed, reply->str);
              unclaimed_command = command;
            }
          command = BOUNCE_SMTP_COMMAND_NONE;
          g_string_truncate (reply, 0);
          continue;
        }
      if (mem_has_prefix (s, n, ">>>"))
        {
          command = bounce_extract_smtp_command (s, n);
          g_string_truncate (reply, 0);
          continue;
        }
      if (mem_has_prefix (s, n, "<<<"))
        {
          diag_append (reply, s + 3, n - 3);
          continue;
        }
      address = sendmail_summary (s, n, &coded, &codes_len, &text, &text_len);
      if (address == NULL)
        continue;
      r = find_recipient (d, address);
      if (r == NULL && list < 0 && coded)
        r = add_recipient (d, "sendmail", g_steal_pointer (&address), i, i);
      if (r == NULL)
        continue;
      /* "550 5.1.1 <a@b>... User unknown": the enhanced code is Sendmail's
       * verdict for the recipient, the one its DSN gives as Status */
      if (coded && r->status == NULL)
        {
          g_autofree char *codes = g_strndup (s, codes_len);

          bounce_extract_first_codes (codes, NULL, &r->status);
        }
      if (reply->len > 0 && (reply->str[0] == '4' || reply->str[0] == '5'))
        {
          /* the server's own words beat Sendmail's summary of them */
          set_diagnostic (r, reply);
          r->command = command;
        }
      else if (r->diagnostic == NULL)
        {
          g_autoptr(GString) diag = g_string_new (NULL);

          /* "550 5.1.2 Host unknown (...)": the codes, then the text */
          if (!(text_len > 3 && g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[1]) &&
                g_ascii_isdigit (text[2])))
            diag_append (diag, s, codes_len);
          diag_append (diag, text, text_len);
          set_diagnostic (r, diag);
        }
      g_string_truncate (reply, 0);
      r->end = MAX (r->end, l->offset + l->len);
    }
  /* A refusal no summary line claimed belongs to a lone recipient, or,
   * when it answered DATA (the message itself), to every recipient the
   * transcript says nothing else about. */
  if (reply->len > 0 && (reply->str[0] == '4' || reply->str[0] == '5'))
    {
      g_string_assign (unclaimed, reply->str);
      unclaimed_command = command;
    }
  if (unclaimed->len > 0 && (d->out->len == 1 || unclaimed_command == BOUNCE_SMTP_COMMAND_DATA))
    for (guint i = 0; i < d->out->len; i++)
      {
        BounceFormatRecipient *r = d->out->pdata[i];

        if (r->command == BOUNCE_SMTP_COMMAND_NONE)
          {
            set_diagnostic (r, unclaimed);
            r->command = unclaimed_command;
          }
      }
  return d->out->len > 0;
}

/* ------------------------------------------------------------------ */
/* SurfControl (Websense) E-mail Filter                                 */

/* "Addressed To: addr" for each recipient, then "Failed to send to
 * identified host," and "addr: [ip], <reply>". */
static gboolean
parse_surfcontrol (Doc *d)
{
  int start = doc_find_start (d, 0, "A transcript of the attempts to send the message follows");

  if (start < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const Line *l = line_at (d, i);
      const char *s;
      gsize n;

      line_trim (l, &s, &n);
      if (mem_has_prefix (s, n, "--- Message non-deliverable"))
        break;
      if (mem_has_prefix (s, n, "Addressed To:"))
        add_recipient (d, "surfcontrol", address_in (s + 13, n - 13), i, i);
    }
  for (guint j = 0; j < d->out->len; j++)
    {
      BounceFormatRecipient *r = d->out->pdata[j];
      g_autoptr(GString) diag = g_string_new (NULL);

      for (guint i = start + 1; i < d->lines->len; i++)
        {
          const Line *l = line_at (d, i);
          const char *s, *close;
          gsize n;
          g_autofree char *address = NULL;

          line_trim (l, &s, &n);
          if (mem_has_prefix (s, n, "--- Message non-deliverable"))
            break;
          /* "addr: [192.0.2.2], 554 Service currently unavailable" */
          close = memchr (s, ']', n);
          if (close == NULL || close + 2 >= s + n || close[1] != ',' || memchr (s, '@', close - s) == NULL)
            continue;
          address = address_in (s, memchr (s, ':', n) ? (gsize) ((const char *) memchr (s, ':', n) - s) : n);
          if (g_strcmp0 (address, r->address) != 0)
            continue;
          diag_append (diag, close + 2, s + n - close - 2);
          /* (an address named twice gets the first transcript line, which
           * may come before its second "Addressed To:") */
          r->end = MAX (r->start, l->offset + l->len);
          break;
        }
      set_diagnostic (r, diag);
    }
  return d->out->len > 0;
}

/* ------------------------------------------------------------------ */
/* Apache James                                                         */

/* "Error message below:" then the server's reply, then "Message details:"
 * listing the envelope, whose "RCPT TO:" lines are the recipients. */
static gboolean
parse_james (Doc *d)
{
  int below = doc_find_start (d, 0, "Error message below:");
  int details;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (below < 0)
    return FALSE;
  details = doc_find_start (d, below, "Message details:");
  if (details < 0)
    return FALSE;
  for (guint i = below + 1; i < (guint) details; i++)
    diag_append_line (diag, line_at (d, i));
  for (guint i = details + 1; i < d->lines->len; i++)
    {
      const Line *l = line_at (d, i);
      const char *s;
      gsize n;
      BounceFormatRecipient *r;

      line_trim (l, &s, &n);
      if (n > 0 && s[0] == '-')
        break;
      if (!mem_has_prefix (s, n, "RCPT TO:"))
        continue;
      r = add_recipient (d, "james", address_in (s + 8, n - 8), i, i);
      set_diagnostic (r, diag);
    }
  return d->out->len > 0;
}

/* ------------------------------------------------------------------ */
/* Verizon Wireless' picture-message gateway                            */

static gboolean
parse_verizon (Doc *d)
{
  int start = doc_find_start (d, 0, "Message could not be delivered to mobile.");
  int original;
  g_autoptr(GString) diag = g_string_new (NULL);
  BounceFormatRecipient *r;

  if (start < 0)
    return FALSE;
  original = doc_find_start (d, start, "Original Message:");
  if (original < 0)
    return FALSE;
  for (guint i = start; i < (guint) original; i++)
    diag_append_line (diag, line_at (d, i));
  for (guint i = original + 1; i < d->lines->len; i++)
    {
      const Line *l = line_at (d, i);
      const char *s;
      gsize n;

      line_trim (l, &s, &n);
      if (!mem_has_prefix (s, n, "To:"))
        continue;
      r = add_recipient (d, "verizon", address_in (s + 3, n - 3), start, i);
      set_diagnostic (r, diag);
      if (mem_find (diag->str, diag->len, "No valid recipients") != NULL)
        r->reason = g_strdup ("userunknown");
      break;
    }
  return d->out->len > 0;
}

/* ------------------------------------------------------------------ */
/* An unknown MTA: "addr [User unknown]" under a fixed title            */

static gboolean
parse_bracket_list (Doc *d)
{
  int start = doc_find (d, 0, "---The following addresses had delivery errors---");

  if (start < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const Line *l = line_at (d, i);
      const char *s, *open, *at;
      gsize n;
      BounceFormatRecipient *r;
      g_autoptr(GString) diag = NULL;

      line_trim (l, &s, &n);
      if (n == 0)
        {
          if (d->out->len > 0)
            break;
          continue;
        }
      open = memchr (s, '[', n);
      at = memchr (s, '@', n);
      if (open == NULL || at == NULL || at > open || s[n - 1] != ']')
        break;
      r = add_recipient (d, "x1", address_in (s, open - s), i, i);
      diag = g_string_new (NULL);
      diag_append (diag, open + 1, s + n - 1 - (open + 1));
      set_diagnostic (r, diag);
    }
  return d->out->len > 0;
}

/* ------------------------------------------------------------------ */
/* Another: a boxed "Delivery Status Notification" with "* addr" lines  */

static gboolean
parse_starred_dsn (Doc *d)
{
  int start = doc_find (d, 0, "This is an automatically generated Delivery Status Notification");
  int details;
  gboolean aborted = FALSE;
  g_autoptr(GString) diag = g_string_new (NULL);
  BounceSmtpCommand command = BOUNCE_SMTP_COMMAND_NONE;

  if (start < 0)
    return FALSE;
  details = doc_find (d, start, "Technical details:");
  for (guint i = start + 1; i < d->lines->len && (details < 0 || i < (guint) details); i++)
    {
      const Line *l = line_at (d, i);
      const char *s;
      gsize n;

      line_trim (l, &s, &n);
      if (mem_find (s, n, "following recipients was aborted after") != NULL ||
          mem_find (s, n, "following recipients were aborted after") != NULL)
        aborted = TRUE;
      if (n > 2 && s[0] == '*' && (s[1] == ' ' || s[1] == '\t') && memchr (s, '@', n) != NULL)
        add_recipient (d, "x3", address_in (s + 2, n - 2), i, i);
    }
  if (d->out->len == 0)
    return FALSE;
  if (details >= 0)
    for (guint i = details + 1; i < d->lines->len; i++)
      {
        const Line *l = line_at (d, i);
        const char *s;
        gsize n;

        line_trim (l, &s, &n);
        if (n > 0 && s[0] == '=')
          break;
        if (mem_has_prefix (s, n, "SMTP:"))
          {
            /* "SMTP:RCPT host mx.example.org: 550 ..." */
            command = bounce_extract_smtp_command (s, n);
            while (n > 0 && *s != ' ')
              s++, n--;
          }
        else if (mem_has_prefix (s, n, "Routing:"))
          s += 8, n -= 8;
        diag_append (diag, s, n);
      }
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFormatRecipient *r = d->out->pdata[i];

      set_diagnostic (r, diag);
      r->command = command;
      /* Given up after a while with no server reply to blame. */
      if (aborted && command == BOUNCE_SMTP_COMMAND_NONE && !has_dsn (d))
        r->reason = g_strdup ("expired");
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Lotus Notes: the reason first, then the address it applies to        */

static const Phrase notes_phrases[] = {
  { "User not listed in public Name & Address Book", "userunknown" },
  { "\xe3\x83\x87\xe3\x82\xa3\xe3\x83\xac\xe3\x82\xaf\xe3\x83\x88\xe3\x83\xaa\xe3\x81\xae"
    "\xe3\x83\xaa\xe3\x82\xb9\xe3\x83\x88\xe3\x81\xab\xe3\x81\x82\xe3\x82\x8a\xe3\x81\xbe"
    "\xe3\x81\x9b\xe3\x82\x93", "userunknown" },  /* "not in the directory's list" */
  { "Message has exceeded maximum hop count", "networkerror" },
};

static gboolean
parse_notes (Doc *d)
{
  int start = doc_find_start (d, 0, "------- Failure Reasons");
  g_autoptr(GString) diag = g_string_new (NULL);
  g_autofree char *last = NULL;

  if (start < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const Line *l = line_at (d, i);
      const char *s;
      gsize n;

      line_trim (l, &s, &n);
      if (mem_has_prefix (s, n, "------- Returned Message"))
        break;
      if (n == 0)
        continue;
      if (memchr (s, ' ', n) == NULL && memchr (s, '@', n) != NULL)
        {
          BounceFormatRecipient *r = add_recipient (d, "notes", address_in (s, n), i, i);

          if (diag->len > 0)
            {
              g_free (last);
              last = g_strdup (diag->str);
              g_string_truncate (diag, 0);
            }
          r->diagnostic = g_strdup (last);
          r->reason = g_strdup (phrase_reason (notes_phrases, G_N_ELEMENTS (notes_phrases), last));
          continue;
        }
      diag_append (diag, s, n);
    }
  return d->out->len > 0;
}

/* ------------------------------------------------------------------ */
/* Trend Micro InterScan                                                */

static gboolean
parse_interscan (Doc *d)
{
  int start = doc_find (d, 0, "InterScan");

  if (start < 0)
    return FALSE;
  for (guint i = start; i < d->lines->len; i++)
    {
      const Line *l = line_at (d, i);
      const char *s, *lt;
      gsize n;
      BounceFormatRecipient *r;
      g_autoptr(GString) diag = NULL;

      line_trim (l, &s, &n);
      if (mem_has_prefix (s, n, "Reason:"))
        {
          s += 7, n -= 7;
          while (n > 0 && *s == ' ')
            s++, n--;
        }
      if (!mem_has_prefix (s, n, "Unable to deliver message to <"))
        continue;
      lt = s + strlen ("Unable to deliver message to ");
      r = add_recipient (d, "interscan", address_in (lt, n - (lt - s)), i, i);
      diag = g_string_new (NULL);
      diag_append (diag, s, n);
      set_diagnostic (r, diag);
      /* InterScan's own sentence: it could not resolve the address. */
      if (mem_find (s, n, "check if address is correct") != NULL)
        r->reason = g_strdup ("userunknown");
    }
  return d->out->len > 0;
}

/* ------------------------------------------------------------------ */
/* fml mailing-list manager: refusals sent back to the poster            */

static const Phrase fml_phrases[] = {
  { "NOT MEMBER article from", "rejected" },
  { "You are not a member of this mailing list", "rejected" },
  { "Spam mail from a spammer is rejected", "rejected" },
  { "Duplicated Message-ID", "systemerror" },
  { "has detected a loop condition", "systemerror" },
  { "Loop Back Warning", "systemerror" },
  { "Security alert:", "securityerror" },
};

static gboolean
parse_fml (Doc *d)
{
  const char *id = header (d, "Message-ID");
  g_autoptr(GString) diag = g_string_new (NULL);
  BounceFormatRecipient *r = NULL;
  int end;

  if (header (d, "X-MLServer") == NULL && (id == NULL || strstr (id, ".FML") == NULL))
    return FALSE;
  /* The returned post follows this line; some notices do not return it. */
  end = doc_find_start (d, 0, "Original mail as follows:");
  if (end < 0)
    end = d->lines->len;
  for (guint i = 0; i < (guint) end; i++)
    {
      const Line *l = line_at (d, i);
      const char *s, *lt;
      gsize n;

      line_trim (l, &s, &n);
      if (n == 0)
        continue;
      diag_append (diag, s, n);
      lt = memchr (s, '<', n);
      if (r == NULL && lt != NULL && n > 2 && s[n - 1] == '.' && s[n - 2] == '>')
        r = add_recipient (d, "fml", address_in (lt, s + n - lt), i, i);
    }
  if (r == NULL)
    return FALSE;
  set_diagnostic (r, diag);
  r->reason = g_strdup (phrase_reason (fml_phrases, G_N_ELEMENTS (fml_phrases), r->diagnostic));
  if (r->reason == NULL)
    r->reason = g_strdup (phrase_reason (fml_phrases, G_N_ELEMENTS (fml_phrases), header (d, "Subject")));
  /* An ordinary post to an fml list carries the same headers: only one of
   * fml's own refusal notices is a bounce. */
  if (r->reason == NULL)
    {
      g_ptr_array_set_size (d->out, 0);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* OpenSMTPD                                                            */

/* The sentences OpenSMTPD writes when it decided alone (no remote reply
 * to quote): its queue and MX-relay failure strings. */
static const Phrase opensmtpd_phrases[] = {
  { "Envelope expired", "expired" },
  { "Invalid domain name", "hostunknown" },
  { "Domain does not exist", "hostunknown" },
  { "Destination seem to reject all mails", "notaccept" },
  { "Could not retrieve credentials", "securityerror" },
  { "Network error on destination MXs", "networkerror" },
  { "Address family mismatch on destination MXs", "networkerror" },
  { "All routes to destination blocked", "networkerror" },
  { "bad DNS lookup error code", "networkerror" },
  { "Could not retrieve source address", "networkerror" },
  { "Loop detected", "networkerror" },
  { "No MX found for domain", "networkerror" },
  { "No MX found for destination", "networkerror" },
  { "No valid route to remote MX", "networkerror" },
  { "No valid route to destination", "networkerror" },
  { "Temporary failure in MX lookup", "networkerror" },
};

/* "    This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail."
 * then, after "... list of recipients:", one unindented "addr: text"
 * line per recipient. */
static gboolean
parse_opensmtpd (Doc *d)
{
  int start = doc_find_start (d, 0, "This is the MAILER-DAEMON, please DO NOT REPLY");
  int list;
  int delay;

  if (start < 0)
    return FALSE;
  list = doc_find (d, start, "list of recipients:");
  if (list < 0)
    return FALSE;
  delay = doc_find (d, start, "A message is delayed");
  for (guint i = list + 1; i < d->lines->len; i++)
    {
      const Line *l = line_at (d, i);
      const char *s, *colon;
      gsize n;
      char *address;
      BounceFormatRecipient *r;
      g_autoptr(GString) diag = NULL;

      line_trim (l, &s, &n);
      if (n == 0)
        {
          if (d->out->len > 0)
            break;
          continue;
        }
      /* the list is not indented; the notice's own prose is */
      if (l->s[0] == ' ' || l->s[0] == '\t')
        break;
      colon = memchr (s, ':', n);
      if (colon == NULL || memchr (s, '@', colon - s) == NULL)
        break;
      address = address_in (s, colon - s);
      if (address == NULL)
        break;
      r = add_recipient (d, "opensmtpd", address, i, i);
      diag = g_string_new (NULL);
      diag_append (diag, colon + 1, n - (colon + 1 - s));
      set_diagnostic (r, diag);
      /* OpenSMTPD never says which command a remote reply answered. */
      r->command_unknown = TRUE;
      if (delay >= 0 && delay < list)
        r->action = g_strdup ("delayed");
      /* A remote server's reply starts with its code; anything else is
       * one of OpenSMTPD's own sentences. */
      if (r->diagnostic != NULL && !g_ascii_isdigit (r->diagnostic[0]))
        r->reason = g_strdup (phrase_reason (opensmtpd_phrases, G_N_ELEMENTS (opensmtpd_phrases),
                                             r->diagnostic));
    }
  return d->out->len > 0;
}

/* ------------------------------------------------------------------ */

typedef gboolean (*Recogniser) (Doc *d);

static const Recogniser recognisers[] = {
  parse_au,
  parse_zoho,
  parse_verizon,
  parse_james,
  parse_surfcontrol,
  parse_exim,
  parse_qmail,
  parse_sendmail,
  parse_bracket_list,
  parse_starred_dsn,
  parse_notes,
  parse_interscan,
  parse_fml,
  parse_opensmtpd,
};

static void
collect_lines (Doc         *d,
               BounceInput *input,
               guint        message_index)
{
  GPtrArray *segments = bounce_input_get_segments (input);
  gsize total = 0;
  guint lo = 0, hi = segments->len;

  /* Segments come in message order: find the message's first one (an mbox
   * of 100,000 messages must not be scanned once per message). */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (((BounceSegment *) segments->pdata[mid])->message_index < message_index)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < segments->len && total < SCAN_LIMIT; i++)
    {
      BounceSegment *seg = segments->pdata[i];
      gsize pos, end;

      if (seg->message_index != message_index)
        break;
      if (seg->kind != BOUNCE_SEGMENT_TEXT)
        continue;
      end = seg->start + bounce_utf8_cut (d->text + seg->start, MIN (seg->end - seg->start, SCAN_LIMIT - total));
      total += end - seg->start;
      for (pos = seg->start; pos < end;)
        {
          const char *nl = memchr (d->text + pos, '\n', end - pos);
          Line l;

          l.s = d->text + pos;
          l.len = nl ? (gsize) (nl - l.s) : end - pos;
          l.offset = pos;
          g_array_append_val (d->lines, l);
          pos += l.len + 1;
        }
    }
}

GPtrArray *
bounce_formats_parse (BounceInput *input,
                      guint        message_index)
{
  GPtrArray *messages;
  Doc d = { 0 };

  g_return_val_if_fail (BOUNCE_IS_INPUT (input), NULL);

  d.text = bounce_input_get_text (input);
  messages = bounce_input_get_messages (input);
  d.message = messages != NULL && message_index < messages->len ? messages->pdata[message_index] : NULL;
  d.lines = g_array_new (FALSE, FALSE, sizeof (Line));
  collect_lines (&d, input, message_index);

  for (guint i = 0; i < G_N_ELEMENTS (recognisers) && d.lines->len > 0; i++)
    {
      d.out = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_format_recipient_free);
      if (recognisers[i] (&d))
        break;
      g_clear_pointer (&d.out, g_ptr_array_unref);
    }
  g_array_unref (d.lines);
  /* A recipient without an address helps nobody. */
  if (d.out != NULL)
    for (guint i = d.out->len; i > 0; i--)
      {
        BounceFormatRecipient *r = d.out->pdata[i - 1];

        if (r->address == NULL)
          g_ptr_array_remove_index (d.out, i - 1);
      }
  if (d.out != NULL && d.out->len == 0)
    g_clear_pointer (&d.out, g_ptr_array_unref);
  return d.out;
}
