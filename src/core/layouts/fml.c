/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* fml mailing-list manager: refusals sent back to the poster.  Learnt from
 * the fml mailing-list manager's refusal notices (https://www.fml.org/)
 * and Sisimai's Lhost::FML: its notices carry X-MLServer and a Message-ID
 * ending in ".FML", and say in one sentence why the post was refused,
 * naming the address in <>; "Original mail as follows:" precedes the
 * returned post.  Its two reason tables: the sentences of the notice's
 * body, and the words of its subject.  The list server talks no SMTP: its
 * notices never name a command. */

/* The notice's own sentences. */
static const BouncePhrase fml_body_phrases[] = {
  { "header may cause mail loop", "rejected" },
  { "NOT MEMBER article from", "rejected" },
  { "reject mail from", "rejected" },
  { "reject spammers:", "rejected" },
  { "You are not a member of this mailing list", "rejected" },
  { "Spam mail from a spammer is rejected", "rejected" },
  { "has detected a loop condition so that", "systemerror" },
  { "Duplicated Message-ID", "systemerror" },
  { "Loop Back Warning:", "systemerror" },
  { "Security alert:", "securityerror" },
};

/* The subject's words. */
static const BouncePhrase fml_subject_phrases[] = {
  { "are not member", "rejected" },
  { "NOT MEMBER article from", "rejected" },
  { "reject mail", "rejected" },
  { "Spam mail from a spammer is rejected", "rejected" },
  { "fml system error message", "systemerror" },
  { "Loop Alert:", "systemerror" },
  { "Loop Back Warning:", "systemerror" },
  { "WARNING: UNIX FROM Loop", "systemerror" },
  { "Security Alert", "securityerror" },
};

/* How far into a pasted notice its sentence is looked for. */
#define FML_PASTED_LINES 8

static gboolean
parse_fml (BounceLayoutDoc *d)
{
  const char *id = bounce_doc_header (d, "Message-ID");
  const char *subject = bounce_doc_header (d, "Subject");
  gboolean marked = bounce_doc_header (d, "X-MLServer") != NULL || (id != NULL && strstr (id, ".FML") != NULL);
  g_autoptr(GString) diag = g_string_new (NULL);
  BounceFact *r = NULL;
  int end;

  /* The returned post follows this line; some notices do not return it. */
  end = bounce_doc_find_start (d, 0, "Original mail as follows:");
  if (end < 0)
    end = d->lines->len;
  /* Without its headers (pasted), the notice must open with one of fml's
   * own sentences. */
  if (!marked)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < (guint) end && i < FML_PASTED_LINES && !known; i++)
        {
          const BounceLine *l = bounce_doc_line (d, i);

          if (memchr (l->s, '<', l->len) == NULL)
            continue;
          for (gsize k = 0; k < G_N_ELEMENTS (fml_body_phrases) && !known; k++)
            known = bounce_line_contains (l, fml_body_phrases[k].phrase);
        }
      if (!known)
        return FALSE;
    }
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
  r->command_unknown = TRUE;
  r->reason = g_strdup (bounce_phrase_reason (fml_body_phrases, G_N_ELEMENTS (fml_body_phrases), r->text));
  if (r->reason == NULL)
    r->reason = g_strdup (bounce_phrase_reason (fml_subject_phrases, G_N_ELEMENTS (fml_subject_phrases), subject));
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
