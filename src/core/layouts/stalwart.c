/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* Stalwart Mail Server.  Learnt from its source
 * (https://github.com/stalwartlabs/mail-server, crates/smtp/src/queue/dsn.rs):
 * the text part opens with "Your message could not be delivered to the
 * following recipients:" (a permanent failure), "There was a temporary
 * problem delivering your message to the following recipients:" (a delay)
 * or, when the outcomes are mixed, "Your message could not be delivered to
 * some recipients:" / "Your message has been partially delivered:" with a
 * "----- ... -----" heading per outcome; then one line per recipient,
 * "<address> (detail)", where the detail is the remote refusal ("host 'mx'
 * rejected command 'RCPT TO:<...>' with code 550 (5.1.1) 'text'", or
 * "rejected transaction" when no command was pending) or Stalwart's own
 * sentence ("failed to lookup", "connection to ... failed", "TLS error
 * from", "DANE failed to authenticate", "MTA-STS failed to authenticate",
 * "rate limited", "too many concurrent connections to remote server",
 * "queue error"). */

/* (no reason for "connection to '<host>' failed: <details>": the details
 * say which, "Connection timed out" an expiry as Sisimai's
 * Reason/Expired.pm words it, and a delay report of it carries no
 * Diagnostic-Code, only "Action: delayed", which Sisimai, having no
 * module for Stalwart, reads as expired: lib/Sisimai/RFC3464.pm and
 * Reason.pm find(), 5.3.0, Debian libsisimai-perl 5.3.0-1) */
static const BouncePhrase stalwart_phrases[] = {
  { "TLS error from '", "securityerror" },
  { "DANE failed to authenticate", "securityerror" },
  { "MTA-STS failed to authenticate", "securityerror" },
  { "too many concurrent connections", "toomanyconn" },
  { "rate limited", "speeding" },
  { "queue error", "systemerror" },
};

typedef enum { SECTION_FAILED, SECTION_DELAYED, SECTION_DELIVERED } Section;

/* "host 'mx' rejected command 'RCPT TO:<a>' with code 550 (5.1.1) 'text'" */
static void
read_refusal (BounceFact *r,
              const char *s,
              gsize       n)
{
  const char *cmd = bounce_mem_find (s, n, "rejected command '");
  const char *code = bounce_mem_find (s, n, " with code ");
  g_autoptr(GString) diag = g_string_new (NULL);

  if (cmd != NULL)
    {
      const char *c = cmd + strlen ("rejected command '");
      const char *q = memchr (c, '\'', n - (c - s));

      r->command = bounce_command_of_word (c, q != NULL ? (gsize) (q - c) : n - (c - s));
    }
  if (code == NULL)
    {
      bounce_diag_append (diag, s, n);
      bounce_fact_set_diag (r, diag);
      return;
    }
  {
    const char *p = code + strlen (" with code ");
    const char *end = s + n;
    const char *open = memchr (p, '(', end - p);
    const char *close = open ? memchr (open, ')', end - open) : NULL;
    const char *quote = close ? memchr (close, '\'', end - close) : NULL;

    /* "550 (5.1.1) 'text'" is written back as "550 5.1.1 text" */
    if (open != NULL && close != NULL)
      {
        bounce_diag_append (diag, p, open - p);
        bounce_diag_append (diag, open + 1, close - open - 1);
        if (!g_str_has_prefix (open + 1, "0.0.0") && !g_str_has_prefix (open + 1, "0.0)"))
          r->layout_status = g_strndup (open + 1, close - open - 1);
      }
    else
      bounce_diag_append (diag, p, end - p);
    if (quote != NULL)
      {
        const char *last = end;

        while (last > quote + 1 && last[-1] != '\'')
          last--;
        if (last > quote + 1)
          bounce_diag_append (diag, quote + 1, last - 1 - quote - 1);
      }
  }
  bounce_fact_set_diag (r, diag);
}

static gboolean
parse_stalwart (BounceLayoutDoc *d)
{
  static const struct {
    const char *heading;
    Section section;
  } headings[] = {
    { "Your message could not be delivered to the following recipients:", SECTION_FAILED },
    { "There was a temporary problem delivering your message to the following recipients:", SECTION_DELAYED },
    { "Your message could not be delivered to some recipients:", SECTION_FAILED },
    { "Your message has been partially delivered:", SECTION_DELIVERED },
    { "Your message has been successfully delivered to the following recipients:", SECTION_DELIVERED },
    { "----- Delivery to the following addresses failed -----", SECTION_FAILED },
    { "----- There was a temporary problem delivering to these addresses -----", SECTION_DELAYED },
    { "----- Delivery to the following addresses was successful -----", SECTION_DELIVERED },
  };
  gboolean seen = FALSE;
  Section section = SECTION_FAILED;

  /* every notice opens with one of the first four headings */
  if (bounce_doc_find_start (d, 0, "Your message ") < 0 &&
      bounce_doc_find_start (d, 0, "There was a temporary problem delivering your message") < 0)
    return FALSE;
  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *open;
      gsize n;
      gboolean heading = FALSE;
      char *address;
      BounceFact *r;

      for (guint h = 0; h < G_N_ELEMENTS (headings); h++)
        if (bounce_line_starts (l, headings[h].heading))
          {
            section = headings[h].section;
            seen = heading = TRUE;
            break;
          }
      if (heading || !seen)
        continue;
      bounce_line_trim (l, &s, &n);
      /* "<address> (detail)" */
      if (n < 6 || s[0] != '<' || s[n - 1] != ')')
        continue;
      open = bounce_mem_find (s, n, "> (");
      if (open == NULL || section == SECTION_DELIVERED)
        continue;
      address = bounce_address_in (s + 1, open - s - 1);
      if (address == NULL)
        continue;
      r = bounce_doc_add_fact (d, address, i, i);
      if (section == SECTION_DELAYED)
        r->action = g_strdup ("delayed");
      {
        const char *detail = open + 3;
        gsize dn = n - (detail - s) - 1;

        if (bounce_mem_has_prefix (detail, dn, "host '"))
          read_refusal (r, detail, dn);
        else
          {
            g_autoptr(GString) diag = g_string_new (NULL);

            bounce_diag_append (diag, detail, dn);
            bounce_fact_set_diag (r, diag);
            r->reason = g_strdup (bounce_phrase_reason (stalwart_phrases, G_N_ELEMENTS (stalwart_phrases),
                                                        r->text));
          }
      }
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_stalwart = {
  .name = "stalwart",
  .title = "Stalwart",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_stalwart,
};
