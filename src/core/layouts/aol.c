/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

#include <string.h>

/* Aol Mail's own bounces (they carry an X-AOL-IP header) are delivery
 * reports; two sentences its servers write about DNS name the condition
 * more exactly than the status beside them.  Learnt from Sisimai's
 * Lhost::Aol. */

static const BouncePhrase aol_phrases[] = {
  { "Host or domain name not found", "hostunknown" },
  { "type=MX: Malformed or unexpected name server reply", "notaccept" },
};

static void
aol_group (BounceFact       *fact,
           BounceFieldGroup *group,
           gpointer          data)
{
  fact->code_reason = bounce_fact_phrase_reason (fact, aol_phrases, G_N_ELEMENTS (aol_phrases),
                                                 bounce_group_diagnostic (group));
}

/* AOL's older notice (its AIRmail servers) for members whose mail controls
 * refuse a message: "Your mail to the following recipients could not be
 * delivered because they are not accepting mail from alice@example.org:"
 * (or "... not accepting mail with attachments or embedded images:") and
 * then, one a line, the members' screen names, which are their addresses
 * at the domain the notice comes from.  Described by Mail::DeliveryStatus::
 * BounceParser (p_aol_senderblock, which matches the sentence up to "not
 * accepting mail") and GNU Mailman's flufl.bounce (_detectors/aol.py).
 * The notice is read whether or not the message carries X-AOL-IP: the
 * AIRmail servers put it on these notices too.  The recipient's own
 * controls refused the sender: "filtered" (Sisimai::Reason::Filtered);
 * refusing images and attachments is a rule about the content:
 * "policyviolation" (Sisimai::Reason::PolicyViolation lists "we do not
 * accept messages containing images or other attachments"). */
#define AOL_SENDERBLOCK "could not be delivered because they are not accepting mail"
#define AOL_NO_ATTACHMENTS "not accepting mail with attachments"

static gboolean
is_screen_name (const char *s,
                gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
      return FALSE;
  return n > 0;
}

static gboolean
parse_aol_senderblock (BounceLayoutDoc *d)
{
  const char *from = bounce_doc_header (d, "From");
  g_autofree char *sender = from != NULL ? bounce_address_in (from, strlen (from)) : NULL;
  const char *domain = sender != NULL ? strchr (sender, '@') + 1 : NULL;
  int head = bounce_doc_find (d, 0, AOL_SENDERBLOCK);
  const char *reason;

  if (head < 0 || domain == NULL || *domain == '\0')
    return FALSE;
  reason = bounce_line_contains (bounce_doc_line (d, head), AOL_NO_ATTACHMENTS) ? "policyviolation"
                                                                                 : "filtered";
  for (guint i = head + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      g_autoptr(GString) diag = NULL;
      g_autofree char *address = NULL;
      const char *s;
      gsize n;
      BounceFact *r;

      bounce_line_trim (l, &s, &n);
      if (n == 0 && d->out->len == 0)
        continue;
      /* one name a line, nothing else on it */
      if (n == 0 || n > 64 || memchr (s, ' ', n) != NULL || memchr (s, '\t', n) != NULL)
        break;
      if (memchr (s, '@', n) != NULL)
        address = bounce_address_in (s, n);
      else if (is_screen_name (s, n))
        {
          g_autofree char *name = g_ascii_strdown (s, n);

          address = g_strconcat (name, "@", domain, NULL);
        }
      if (address == NULL)
        break;
      r = bounce_doc_add_fact (d, g_steal_pointer (&address), i, i);
      diag = g_string_new (NULL);
      bounce_diag_append_line (diag, bounce_doc_line (d, head));
      bounce_fact_set_diag (r, diag);
      r->command_unknown = TRUE;
      r->reason = g_strdup (reason);
    }
  return d->out->len > 0;
}

static gboolean
parse_aol (BounceLayoutDoc *d)
{
  if (parse_aol_senderblock (d))
    return TRUE;
  if (bounce_doc_header (d, "X-AOL-IP") == NULL)
    return FALSE;
  return bounce_doc_group_facts (d, aol_group, NULL) > 0;
}

const BounceLayout bounce_layout_aol = {
  .name = "aol",
  .title = "Aol Mail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_aol,
};
