/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-layout.h"

/* A Microsoft Exchange delay warning: "This is an advisory-only email.
 * Please do not reply to it.", "Delivery of email to this address", the
 * address in double quotes on a line of its own, then why delivery "has
 * been postponed" ("... due to a full mailbox.") and that the server will
 * keep trying.  Learnt from GNU Mailman's bounce detector, flufl.bounce,
 * whose table of warnings names it an Exchange warning and reads it so:
 * from the opening sentence to "has been postponed", the address between
 * double quotes (flufl/bounce/_detectors/simplewarning.py,
 * https://gitlab.com/warsaw/flufl.bounce/-/blob/main/flufl/bounce/_detectors/simplewarning.py).
 * A warning: the message is still queued.  The text never names an SMTP
 * command. */

/* How many lines after the opening sentence the address may be. */
#define WARNING_SPAN 12

/* The address between the first two double quotes of line i, or NULL. */
static char *
quoted_address (BounceLayoutDoc *d,
                guint            i)
{
  const char *s, *open, *close;
  gsize n;

  bounce_line_trim (bounce_doc_line (d, i), &s, &n);
  open = memchr (s, '"', n);
  if (open == NULL)
    return NULL;
  close = memchr (open + 1, '"', s + n - (open + 1));
  if (close == NULL || memchr (open, '@', close - open) == NULL)
    return NULL;
  return bounce_address_in (open + 1, close - (open + 1));
}

static gboolean
parse_exchange_warning (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "This is an advisory-only email");
  int postponed;
  BounceFact *r = NULL;
  g_autoptr(GString) diag = NULL;

  if (start < 0)
    return FALSE;
  postponed = bounce_doc_find (d, start, "has been postponed");
  if (postponed < 0 || postponed - start > WARNING_SPAN)
    return FALSE;
  for (int i = start + 1; i < postponed && r == NULL; i++)
    {
      char *address = quoted_address (d, i);

      if (address != NULL)
        r = bounce_doc_add_fact (d, address, i, postponed);
    }
  if (r == NULL)
    return FALSE;
  /* why, and that the server keeps trying: the lines up to the copy of
   * the message ("The first 50 lines of your original message follow:") */
  diag = g_string_new (NULL);
  for (guint i = postponed; i < d->lines->len && i < (guint) postponed + WARNING_SPAN; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (bounce_line_contains (l, "original message"))
        break;
      if (!bounce_line_is_blank (l))
        bounce_diag_append_line (diag, l);
    }
  bounce_fact_set_diag (r, diag);
  r->action = g_strdup ("delayed");
  r->command_unknown = TRUE;
  return TRUE;
}

const BounceLayout bounce_layout_exchange_warning = {
  .name = "exchange-warning",
  .title = "Microsoft Exchange (delay warning)",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_exchange_warning,
};
