/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* Gmail and Google Workspace, the notices of today: a heading between
 * asterisks ("** Address not found **", "** Domain not found **",
 * "** Message blocked **", "** Message not delivered **", "** Delivery
 * incomplete **"), a sentence naming the recipient ("Your message wasn't
 * delivered to <address> because ...", "Your message to <address> has
 * been blocked.", "There was a temporary problem delivering your message
 * to <address>. Gmail will retry ..."), an optional "Learn more here:"
 * link, then "The response from the remote server was:" (or "The response
 * was:") and the reply.  Learnt from such notices quoted in public
 * archives (a QEMU MAINTAINERS commit of 2023 quoting
 * "** Message blocked **", a Xen development list message of 2025 quoting
 * "** Address not found **"), and from the headings Sisimai's
 * Lhost::GoogleWorkspace starts at; the links they carry point to Google's
 * help (https://support.google.com/mail/?p=NoSuchUser).  The notice never
 * names the command. */

/* Headings and sentences that name the condition, used only when the
 * notice quotes no response: "** Address not found **" heads refusals of
 * every kind (a null MX, a missing domain, a filter), and the response
 * says which. */
static const BouncePhrase gmail_phrases[] = {
  { "because the domain ", "hostunknown" },
  { "** Domain not found **", "hostunknown" },
  { "because the address couldn't be found", "userunknown" },
};

/* The headings Google writes; an ordinary message may well have a line
 * between asterisks. */
static const char * const gmail_headings[] = {
  "** Address not found **",
  "** Domain not found **",
  "** Message blocked **",
  "** Message not delivered **",
  "** Delivery incomplete **",
};

static gboolean
gmail_heading (const BounceLine *l)
{
  const char *s;
  gsize n;

  bounce_line_trim (l, &s, &n);
  if (n < 6 || s[0] != '*' || s[1] != '*')
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (gmail_headings); i++)
    if (bounce_line_starts (l, gmail_headings[i]))
      return TRUE;
  return FALSE;
}

static gboolean
parse_gmail_current (BounceLayoutDoc *d)
{
  int head = -1, response = -1;
  char *address = NULL;
  g_autofree char *sentence = NULL;
  const char *s;
  gsize n;
  guint last;
  BounceFact *r;
  g_autoptr(GString) diag = g_string_new (NULL);
  g_autoptr(GString) heading = NULL;

  for (guint i = 0; i < d->lines->len && head < 0; i++)
    if (gmail_heading (bounce_doc_line (d, i)))
      head = i;
  if (head < 0)
    return FALSE;
  /* the sentence naming the recipient, up to the response */
  for (guint i = head + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (bounce_line_starts (l, "The response from the remote server was:") ||
          bounce_line_starts (l, "The response was:"))
        {
          response = i;
          break;
        }
      if (address == NULL &&
          (bounce_line_starts (l, "Your message wasn't delivered to ") ||
           bounce_line_starts (l, "Your message to ") ||
           bounce_line_starts (l, "There was a problem delivering your message to ") ||
           bounce_line_starts (l, "There was a temporary problem delivering your message to ")))
        {
          bounce_line_trim (l, &s, &n);
          address = bounce_address_in (s, n);
          sentence = g_strndup (s, n);
        }
    }
  if (address == NULL)
    return FALSE;
  last = response >= 0 ? (guint) response : (guint) head;
  for (guint i = last + 1; response >= 0 && i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (bounce_line_is_blank (l))
        {
          if (diag->len > 0)
            break;
          continue;
        }
      if (bounce_line_starts (l, "Final-Recipient:") || bounce_line_starts (l, "Reporting-MTA:"))
        break;
      bounce_diag_append_line (diag, l);
      last = i;
    }
  r = bounce_doc_add_fact (d, address, head, last);
  bounce_fact_set_diag (r, diag);
  r->command_unknown = TRUE;
  heading = g_string_new_len (bounce_doc_line (d, head)->s, bounce_doc_line (d, head)->len);
  if (diag->len == 0)
    {
      g_string_append_c (heading, ' ');
      g_string_append (heading, sentence);
      r->reason = g_strdup (bounce_phrase_reason (gmail_phrases, G_N_ELEMENTS (gmail_phrases), heading->str));
    }
  if (bounce_mem_find (heading->str, heading->len, "** Delivery incomplete **") != NULL)
    r->action = g_strdup ("delayed");
  return TRUE;
}

const BounceLayout bounce_layout_gmail_current = {
  .name = "gmail-current",
  .title = "Gmail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_gmail_current,
};
