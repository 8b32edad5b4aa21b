/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* fml mailing-list manager: refusals sent back to the poster.  Learnt from
 * The fml mailing-list manager's refusal notices (https://www.fml.org/) and
 * Sisimai's Lhost::FML. */

static const BouncePhrase fml_phrases[] = {
  { "NOT MEMBER article from", "rejected" },
  { "You are not a member of this mailing list", "rejected" },
  { "Spam mail from a spammer is rejected", "rejected" },
  { "Duplicated Message-ID", "systemerror" },
  { "has detected a loop condition", "systemerror" },
  { "Loop Back Warning", "systemerror" },
  { "Security alert:", "securityerror" },
};

static gboolean
parse_fml (BounceLayoutDoc *d)
{
  const char *id = bounce_doc_header (d, "Message-ID");
  g_autoptr(GString) diag = g_string_new (NULL);
  BounceFact *r = NULL;
  int end;

  if (bounce_doc_header (d, "X-MLServer") == NULL && (id == NULL || strstr (id, ".FML") == NULL))
    return FALSE;
  /* The returned post follows this line; some notices do not return it. */
  end = bounce_doc_find_start (d, 0, "Original mail as follows:");
  if (end < 0)
    end = d->lines->len;
  for (guint i = 0; i < (guint) end; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *lt;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (n == 0)
        continue;
      bounce_diag_append (diag, s, n);
      lt = memchr (s, '<', n);
      if (r == NULL && lt != NULL && n > 2 && s[n - 1] == '.' && s[n - 2] == '>')
        r = bounce_doc_add_fact (d, bounce_address_in (lt, s + n - lt), i, i);
    }
  if (r == NULL)
    return FALSE;
  bounce_fact_set_diag (r, diag);
  r->reason = g_strdup (bounce_phrase_reason (fml_phrases, G_N_ELEMENTS (fml_phrases), r->text));
  if (r->reason == NULL)
    r->reason = g_strdup (bounce_phrase_reason (fml_phrases, G_N_ELEMENTS (fml_phrases), bounce_doc_header (d, "Subject")));
  /* An ordinary post to an fml list carries the same headers: only one of
   * fml's own refusal notices is a bounce. */
  if (r->reason == NULL)
    {
      g_ptr_array_set_size (d->out, 0);
      return FALSE;
    }
  return TRUE;
}

const BounceLayout bounce_layout_fml = {
  .name = "fml",
  .title = "fml",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_fml,
};
