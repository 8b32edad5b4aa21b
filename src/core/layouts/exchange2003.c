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
 * gateway, the "SMTP=" part of "...;cat:SMTP=bob@example.net; on ...");
 * the indented lines under it explain, and the hexadecimal code in the
 * MSEXCH line names the condition.  The report never shows the SMTP
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
      if (on == NULL || memchr (s, ' ', on - s) != NULL)
        return NULL;
    }
  bounce_line_trim (l, &s, &n);
  on = bounce_mem_find (s, n, " on ");
  if (on == NULL || memchr (s, '@', on - s) == NULL)
    return NULL;
  smtp = bounce_mem_find (s, on - s, "SMTP=");
  if (smtp != NULL)
    return bounce_address_in (smtp + 5, on - smtp - 5);
  if (memchr (s, ' ', on - s) != NULL)
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
      if (address != NULL)
        {
          if (current != NULL)
            exchange2003_finish (current, diag, msexch);
          g_string_truncate (diag, 0);
          g_string_truncate (msexch, 0);
          in_msexch = FALSE;
          current = bounce_doc_add_fact (d, address, i, i);
          continue;
        }
      if (current == NULL || bounce_line_is_blank (l))
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
