/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Microsoft Exchange 5.5 to 2003 non-delivery reports:
 *
 *   Your message
 *
 *     To:      bob@example.net
 *     Subject: ...
 *     Sent:    ...
 *
 *   did not reach the following recipient(s):
 *
 *   bob@example.net on Tue, 3 Nov 2026 10:00:00 +0100
 *       The recipient name is not recognized
 *       The MTS-ID of the original message is: c=US;a= ;p=...
 *       MSEXCH:IMS:Example:EXAMPLE:MAIL1 0 (000C05A6) Unknown Recipient
 *
 * The recipient is the address before " on <date>" (or, from an X.400
 * gateway, the "SMTP=" part of "...;cat:SMTP=bob@example.net; on ...").
 * A recipient of the Exchange organisation's own directory is listed by
 * its display name, "'Test User' on 15/04/97 14:27:30" (Microsoft KB
 * Q193321, "XCON: Recipient Name Not Recognized", and Q201058 show such
 * reports of the Exchange MTA): the report still names a failed recipient,
 * only not its address;
 * the indented lines under it explain, and the hexadecimal code in the
 * MSEXCH line, the entry's last, names the condition (the reports in
 * Microsoft KB Q168557 and Q251152 end each entry there; Sisimai's
 * Lhost::Exchange2003 stops reading at it too).  The report never shows the SMTP
 * command.  Learnt from the reports of Exchange's Internet Mail Service
 * as Sisimai's Lhost::Exchange2003 reads them. */

static const BouncePhrase exchange2003_codes[] = {
  { "000C05A6", "userunknown" },    /* Unknown Recipient */
  { "000C0595", "filtered" },       /* Ambiguous Recipient */
  { "00010256", "systemerror" },    /* Too many recipients */
  { "000D06B5", "systemerror" },    /* No proxy for recipient */
  { "00120270", "networkerror" },   /* Too many hops */
  { "00050311", "contenterror" },   /* Conversion to Internet format failed */
  { "000502CC", "contenterror" },
  { "000B0981", "securityerror" },  /* 502 Server does not support AUTH */
  { "000B099C", "onhold" },         /* a remote error: host unknown, too large, ... */
  { "000B09AA", "onhold" },         /* a remote error: unable to relay, ... */
  { "000B09B6", "onhold" },         /* a remote server's own error text */
};

/* Whether s[0..n) opens with the date Exchange writes after " on ": a
 * weekday ("Tue, 3 Nov 2026 10:00:00 +0100") or a numeric date
 * ("3/27/97 11:18 AM", "15/04/97 14:27:30"). */
static gboolean
exchange2003_date (const char *s,
                   gsize       n)
{
  static const char *const days[] = { "Mon,", "Tue,", "Wed,", "Thu,", "Fri,", "Sat,", "Sun," };
  gsize i = 0;

  for (guint d = 0; d < G_N_ELEMENTS (days); d++)
    if (bounce_mem_has_prefix (s, n, days[d]))
      return TRUE;
  while (i < n && i < 2 && g_ascii_isdigit (s[i]))
    i++;
  return i > 0 && i < n && (s[i] == '/' || s[i] == '.') && i + 1 < n && g_ascii_isdigit (s[i + 1]);
}

/* A directory recipient listed by display name: "Test User on <date>" or
 * "'Test User' on <date>", with no colon (a header or an MSEXCH line) and
 * no address before " on ". */
static gboolean
exchange2003_display_name (const BounceLine *l)
{
  const char *s, *on;
  gsize n;

  bounce_line_trim (l, &s, &n);
  on = bounce_mem_find (s, n, " on ");
  if (on == NULL || on == s || memchr (s, ':', on - s) != NULL || memchr (s, '@', on - s) != NULL)
    return FALSE;
  return exchange2003_date (on + 4, n - (on + 4 - s));
}

/* "bob@example.net on Tue, 3 Nov ..." or "...;cat:SMTP=bob@example.net; on ...". */
static char *
exchange2003_recipient (const BounceLine *l)
{
  const char *s, *on, *smtp;
  gsize n;

  if (l->len > 0 && (l->s[0] == ' ' || l->s[0] == '\t') && !bounce_line_starts (l, "c="))
    {
      /* indented: an address only when nothing but " on <date>" follows */
      bounce_line_trim (l, &s, &n);
      on = bounce_mem_find (s, n, " on ");
      if (on == NULL || bounce_mem_has_unquoted (s, on - s, " "))
        return NULL;
    }
  bounce_line_trim (l, &s, &n);
  on = bounce_mem_find (s, n, " on ");
  if (on == NULL || memchr (s, '@', on - s) == NULL)
    return NULL;
  smtp = bounce_mem_find (s, on - s, "SMTP=");
  if (smtp != NULL)
    return bounce_address_in (smtp + 5, on - smtp - 5);
  if (bounce_mem_has_unquoted (s, on - s, " "))
    return NULL;
  return bounce_address_in (s, on - s);
}

static void
exchange2003_finish (BounceFact *fact,
                     GString    *diag,
                     GString    *msexch)
{
  const char *code_reason = bounce_phrase_reason (exchange2003_codes, G_N_ELEMENTS (exchange2003_codes),
                                                  msexch->str);

  /* The codes of a remote server's refusal (000B099C, 000B09AA, 000B09B6)
   * name no condition: the remote server's words after the code do, and
   * Sisimai's Lhost::Exchange2003 judges them alone, without Exchange's
   * general sentence above ("The recipient name is not recognized"). */
  if (g_strcmp0 (code_reason, "onhold") == 0)
    {
      g_string_truncate (diag, 0);
      code_reason = NULL;
    }
  bounce_diag_append (diag, msexch->str, msexch->len);
  bounce_fact_set_diag (fact, diag);
  fact->command_unknown = TRUE;
  if (code_reason != NULL)
    {
      fact->reason = g_strdup (code_reason);
      fact->code_reason = TRUE;
    }
}

static gboolean
parse_exchange2003 (BounceLayoutDoc *d)
{
  int start = bounce_doc_find (d, 0, "did not reach the following recipient(s):");
  BounceFact *current = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);
  g_autoptr(GString) msexch = g_string_new (NULL);
  gboolean in_msexch = FALSE;
  gboolean closed = FALSE;

  if (start < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      char *address;

      if (bounce_line_starts (l, "Content-Type:") || bounce_line_starts (l, "--") ||
          bounce_line_starts (l, "Received:") || bounce_line_starts (l, "Return-Path:"))
        break;
      address = exchange2003_recipient (l);
      if (address != NULL || exchange2003_display_name (l))
        {
          if (current != NULL)
            exchange2003_finish (current, diag, msexch);
          g_string_truncate (diag, 0);
          g_string_truncate (msexch, 0);
          in_msexch = FALSE;
          closed = FALSE;
          current = bounce_doc_add_fact (d, address, i, i);
          current->nameless = address == NULL;
          continue;
        }
      /* the MSEXCH line (and its wrapped rest) closes a recipient's entry:
       * what follows the blank line after it is not the report's */
      if (bounce_line_is_blank (l))
        closed = closed || in_msexch;
      if (current == NULL || closed || bounce_line_is_blank (l))
        continue;
      /* the MTS-ID of the original message (which may wrap) says nothing */
      if (bounce_line_starts (l, "The MTS-ID") || bounce_line_starts (l, ";"))
        continue;
      if (bounce_line_contains (l, "MSEXCH:"))
        in_msexch = TRUE;
      bounce_diag_append_line (in_msexch ? msexch : diag, l);
      current->end = l->offset + l->len;
    }
  if (current != NULL)
    exchange2003_finish (current, diag, msexch);
  return d->out->len > 0;
}

const BounceLayout bounce_layout_exchange2003 = {
  .name = "exchange2003",
  .title = "Microsoft Exchange 2003",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_exchange2003,
};
