/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Google Groups refuses a post to a group that does not exist or does not
 * accept it with a letter to the sender, in the sender's language:
 *
 *   We're writing to let you know that the group you tried to contact
 *   (group-name) may not exist, or you may not have permission to post
 *   messages to the group. A few more details on why you weren't able to
 *   post:
 *
 *    * You might have spelled or formatted the group name incorrectly.
 *    * The owner of the group may have removed this group.
 *    * You may need to join the group before receiving permission to post.
 *    * This group may not be open to posting.
 *
 * The letter names the group but not its address: the recipients are the
 * ones in the X-Failed-Recipients header (a letter pasted without its
 * headers names nobody).  With all four reasons listed the post was
 * refused; otherwise the cause is not said.  No SMTP command is involved.
 * Learnt from Google Groups' help ("Can't post to a group",
 * https://support.google.com/groups/answer/2464926) and Sisimai's
 * Lhost::GoogleGroups. */

static gboolean
parse_google_groups (BounceLayoutDoc *d)
{
  const char *failed = bounce_doc_header (d, "X-Failed-Recipients");
  g_autoptr(GString) diag = g_string_new (NULL);
  guint bullets = 0, i, end;
  gsize from = 0, s, e;
  char *address;

  if (failed == NULL || bounce_doc_header (d, "X-Google-Smtp-Source") == NULL ||
      !bounce_doc_header_has (d, "From", "mailer-daemon@googlemail.com"))
    return FALSE;
  /* the letter's text up to the returned message */
  for (end = 0; end < d->lines->len; end++)
    if (bounce_line_starts (bounce_doc_line (d, end), "----- Original message -----"))
      break;
  if (end == 0 || bounce_doc_find (d, 0, "groups.google.com") < 0)
    return FALSE;
  for (i = 0; i < end; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *t;
      gsize n;

      bounce_line_trim (l, &t, &n);
      /* a bullet: a star at the start, a space after it or not (the
       * right-to-left languages' letters have none) */
      if (n > 1 && t[0] == '*' && t[1] != '*')
        bullets++;
      bounce_diag_append_line (diag, l);
    }
  while ((address = bounce_extract_address (failed, -1, from, &s, &e)) != NULL)
    {
      BounceFact *fact = bounce_doc_add_fact (d, address, 0, end - 1);

      from = e;
      bounce_fact_set_diag (fact, diag);
      fact->reason = g_strdup (bullets == 4 ? "rejected" : "onhold");
      fact->command_unknown = TRUE;
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_google_groups = {
  .name = "google-groups",
  .title = "Google Groups",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_google_groups,
};
