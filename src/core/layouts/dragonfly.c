/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* DragonFly Mail Agent (dma).  Learnt from dma's bounce text (mail.c:
 * "This is the DragonFly Mail Agent <version> at <host>.", "There was an
 * error delivering your mail to <addr>.", the error, then "Original
 * message follows." or "Message headers follow."; net.c: "<host> [<ip>]
 * did not like our <command>:" over the remote reply) and Sisimai's
 * Lhost::DragonFly, whose reason table this is (dma's own sentences). */

static const BouncePhrase dragonfly_phrases[] = {
  { "Could not deliver for the last", "expired" },
  { "DNS lookup failure: host", "hostunknown" },
};

static gboolean
parse_dragonfly (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "This is the DragonFly Mail Agent");

  if (start < 0)
    return FALSE;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *lt;
      gsize n;
      BounceFact *r;
      g_autoptr(GString) diag = NULL;

      bounce_line_trim (l, &s, &n);
      if (!bounce_mem_has_prefix (s, n, "There was an error delivering your mail to <") ||
          (lt = memchr (s, '<', n)) == NULL)
        continue;
      r = bounce_doc_add_fact (d, bounce_address_in (lt + 1, s + n - lt - 1), i, i);
      diag = g_string_new (NULL);
      /* the error: the lines up to the end of the notice */
      for (i++; i < d->lines->len; i++)
        {
          const BounceLine *e = bounce_doc_line (d, i);

          if (bounce_line_starts (e, "Original message follows") || bounce_line_starts (e, "Message headers follow") ||
              bounce_line_starts (e, "There was an error delivering your mail to <"))
            {
              i--;
              break;
            }
          if (!bounce_line_is_blank (e))
            {
              bounce_diag_append_line (diag, e);
              r->end = e->offset + e->len;
            }
        }
      bounce_fact_set_diag (r, diag);
      if (r->text == NULL)
        continue;
      /* "mx.example.net [192.0.2.7] did not like our RCPT TO:" */
      r->command = bounce_extract_smtp_command (r->text, -1);
      r->command_unknown = r->command == BOUNCE_SMTP_COMMAND_NONE &&
                           strstr (r->text, " did not like our ") == NULL;
      if (r->command == BOUNCE_SMTP_COMMAND_NONE)
        r->reason = g_strdup (bounce_phrase_reason (dragonfly_phrases, G_N_ELEMENTS (dragonfly_phrases), r->text));
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_dragonfly = {
  .name = "dragonfly",
  .title = "DragonFly Mail Agent",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_dragonfly,
};
