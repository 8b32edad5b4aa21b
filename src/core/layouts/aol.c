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

/* AOL's older notice for members whose mail controls refuse the sender:
 * "Your mail to the following recipients could not be delivered because
 * they are not accepting mail from alice@example.org:" and then, one a
 * line, the members' screen names, which are their addresses at the
 * domain the notice comes from.  Described by Mail::DeliveryStatus::
 * BounceParser (p_aol_senderblock) and GNU Mailman's flufl.bounce
 * (_detectors/aol.py).  The recipient's own controls refused the sender:
 * "filtered" (Sisimai::Reason::Filtered). */
#define AOL_SENDERBLOCK "could not be delivered because they are not accepting mail from"

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

  if (head < 0 || domain == NULL || *domain == '\0')
    return FALSE;
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
      r->reason = g_strdup ("filtered");
    }
  return d->out->len > 0;
}

static gboolean
parse_aol (BounceLayoutDoc *d)
{
  if (bounce_doc_header (d, "X-AOL-IP") == NULL)
    return parse_aol_senderblock (d);
  return bounce_doc_group_facts (d, aol_group, NULL) > 0;
}

const BounceLayout bounce_layout_aol = {
  .name = "aol",
  .title = "Aol Mail",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_aol,
};
