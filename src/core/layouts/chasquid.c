/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout-lines.h"

/* chasquid.  Learnt from its source (https://github.com/albertito/chasquid,
 * internal/queue/dsn.go): "Delivery to the following recipient(s) failed
 * permanently:" and a "  - address" list, then "----- Technical details
 * -----" with, per recipient, '- "address" (type) failed with error:' and
 * the error indented on the lines below, up to "----- Original message
 * -----".  The error is the remote reply or chasquid's own; it names the
 * command only when the text says so. */

static void
finish (BounceFact *r,
        GString    *diag)
{
  if (r == NULL)
    return;
  bounce_fact_set_diag (r, diag);
  if (r->text != NULL)
    r->command = bounce_extract_smtp_command (r->text, -1);
  r->command_unknown = r->command == BOUNCE_SMTP_COMMAND_NONE;
}

static gboolean
parse_chasquid (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "Delivery to the following recipient(s) failed permanently:");
  int details;
  BounceFact *r = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);

  if (start < 0)
    return FALSE;
  details = bounce_doc_find_start (d, start, "----- Technical details -----");
  /* the list alone (the details name every recipient again) */
  for (guint i = start + 1; i < d->lines->len && (details < 0 || (int) i < details); i++)
    {
      char *address = bounce_line_lone_address (bounce_doc_line (d, i));

      if (address != NULL && bounce_doc_find_fact (d, address) == NULL)
        {
          BounceFact *f = bounce_doc_add_fact (d, address, i, i);

          f->command_unknown = TRUE;
        }
      else
        g_free (address);
    }
  if (details < 0)
    return d->out->len > 0;
  for (guint i = details + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s, *q;
      gsize n;

      if (bounce_line_starts (l, "----- Original message"))
        break;
      bounce_line_trim (l, &s, &n);
      /* - "bob@example.net" (SMTP) failed with error: */
      if (n > 4 && s[0] == '-' && s[1] == ' ' && s[2] == '"' &&
          (q = memchr (s + 3, '"', n - 3)) != NULL && bounce_mem_find (s, n, "failed with error:") != NULL)
        {
          g_autofree char *address = bounce_address_in (s + 3, q - s - 3);

          finish (r, diag);
          g_string_truncate (diag, 0);
          r = NULL;
          if (address == NULL)
            continue;
          r = bounce_doc_find_fact (d, address);
          if (r == NULL)
            r = bounce_doc_add_fact (d, g_steal_pointer (&address), i, i);
          r->start = l->offset;
          r->end = l->offset + l->len;
          continue;
        }
      if (r != NULL && n > 0 && bounce_line_is_indented (l))
        {
          bounce_diag_append (diag, s, n);
          r->end = l->offset + l->len;
        }
    }
  finish (r, diag);
  return d->out->len > 0;
}

const BounceLayout bounce_layout_chasquid = {
  .name = "chasquid",
  .title = "chasquid",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_chasquid,
};
