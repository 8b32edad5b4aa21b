/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Zoho Mail: Exim's opening sentence, then a line per recipient in Zoho's
 * own form (below).  The command is not shown; command_unknown is left
 * unset all the same, so that a bare "mailbox unavailable" reads as a
 * filter's refusal, as the reference parsers read it.  A server Zoho could not
 * reach ("Host not reachable", with a temporary code) is given up on once
 * the time to deliver ran out.  Learnt from Zoho Mail's delivery failure
 * notices, as Sisimai's Lhost::Zoho reads them. */

static const BouncePhrase zoho_phrases[] = {
  { "Host not reachable", "expired" },
};

/* Copies the text between two markers of s[0..n) into diag. */
static void
append_between (GString    *diag,
                const char *s,
                gsize       n,
                const char *from,
                const char *to)
{
  const char *a = bounce_mem_find (s, n, from);
  const char *b;

  if (a == NULL)
    return;
  a += strlen (from);
  /* an empty field leaves ", " behind */
  while (a < s + n && (*a == ',' || *a == ' '))
    a++;
  b = to != NULL ? bounce_mem_find (a, s + n - a, to) : NULL;
  bounce_diag_append (diag, a, (b != NULL ? b : s + n) - a);
}

/* "addr Invalid Address, ERROR_CODE :550, ERROR_CODE :Requested action..."
 * and "[Status: Error, Address: <addr>, ResponseCode 421, , Host not
 * reachable.]" */
/* The first blank of s[0, n) outside a quoted string: where the address
 * that starts the line ends, though its local part may be quoted and hold
 * blanks ("john smith"@example.net, RFC 5321 4.1.2). */
static const char *
first_unquoted_space (const char *s,
                      gsize       n)
{
  gboolean quoted = FALSE;

  for (gsize i = 0; i < n; i++)
    {
      if (s[i] == '"')
        quoted = !quoted;
      else if (quoted && s[i] == '\\' && i + 1 < n)
        i++;
      else if (!quoted && s[i] == ' ')
        return s + i;
    }
  return NULL;
}

static gboolean
parse_zoho (BounceLayoutDoc *d)
{
  if (bounce_doc_find_start (d, 0, "This message was created automatically by mail delivery") < 0)
    return FALSE;
  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *code;
      gsize n;
      BounceFact *r;
      g_autoptr(GString) diag = g_string_new (NULL);

      g_autoptr(GString) joined = NULL;
      guint last = i;

      bounce_line_trim (l, &s, &n);
      if (bounce_mem_find (s, n, ", ERROR_CODE :") != NULL)
        {
          const char *space = first_unquoted_space (s, n);

          if (space == NULL || memchr (s, '@', space - s) == NULL)
            continue;
          /* A notice sent without its quoted-printable label keeps the
           * soft line breaks: "ERROR_CODE :5.1.=" then "1 <bob@...>...".
           * Such a line goes on in the next one. */
          while (n > 0 && s[n - 1] == '=' && last + 1 < d->lines->len)
            {
              const BounceLine *next = bounce_doc_line (d, last + 1);
              const char *ns;
              gsize nn;

              bounce_line_trim (next, &ns, &nn);
              if (joined == NULL)
                joined = g_string_new_len (s, n - 1);
              else
                g_string_truncate (joined, joined->len - 1);
              g_string_append_len (joined, ns, nn);
              s = joined->str;
              n = joined->len;
              space = first_unquoted_space (s, n);
              last++;
            }
          r = bounce_doc_add_fact (d, bounce_address_in (s, space - s), i, last);
          code = bounce_mem_find (s, n, "ERROR_CODE :");
          append_between (diag, code, s + n - code, "ERROR_CODE :", ",");
          code = bounce_mem_find (code + 12, s + n - (code + 12), "ERROR_CODE :");
          if (code != NULL)
            append_between (diag, code, s + n - code, "ERROR_CODE :", NULL);
        }
      else if (bounce_mem_has_prefix (s, n, "[Status: ") && bounce_mem_find (s, n, "Address: <") != NULL)
        {
          const char *lt = bounce_mem_find (s, n, "Address: <") + 9;

          r = bounce_doc_add_fact (d, bounce_address_in (lt, s + n - lt), i, i);
          append_between (diag, s, n, "ResponseCode ", ",");
          code = bounce_mem_find (s, n, "ResponseCode ");
          if (code != NULL)
            code = memchr (code, ',', s + n - code);
          /* after the code: ", <status>, <text>]" */
          if (code != NULL && (code = memchr (code + 1, ',', s + n - code - 1)) != NULL)
            bounce_diag_append (diag, code + 1, s + n - code - 1 - (s[n - 1] == ']'));
        }
      else
        continue;
      /* the text after ", ," when Zoho leaves its second field empty */
      while (diag->len > 0 && (diag->str[0] == ',' || diag->str[0] == ' '))
        g_string_erase (diag, 0, 1);
      bounce_fact_set_diag (r, diag);
      i = last;
      /* only Zoho's own "Host not reachable" is an expiry (Sisimai's
       * Lhost/Zoho.pm, $messagesof, in 5.3.0 as in the v4-era file): other
       * temporary replies are read by their words, as Sisimai's Reason.pm
       * reads them */
      if (r->text != NULL)
        bounce_fact_phrase_reason (r, zoho_phrases, G_N_ELEMENTS (zoho_phrases), r->text);
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_zoho = {
  .name = "zoho",
  .title = "Zoho Mail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_zoho,
};
