/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"
#include "bounce-layout-families.h"

/* Sendmail version 5 (and appliances built on it).  Learnt from V5's
 * savemail.c, as Sisimai's Lhost::V5sendmail reads it: no list of
 * addresses, only "----- Transcript of session follows -----" with
 * ">>> command", "<<< reply" and a summary line per recipient ("550
 * <addr>... User unknown"), or per host ("421 example.org (smtp)...
 * Deferred: ..."), then "----- Unsent message follows -----" (or "-----
 * No message was collected -----").  No enhanced status codes, no reason
 * table; when no summary names an address, the notice is about the
 * unsent message's recipient, whose To: follows. */

/* The To: of the unsent message, in the text after the marker or as the
 * returned message's header. */
static char *
unsent_recipient (BounceLayoutDoc *d,
                  int              unsent)
{
  const char *to = NULL;

  for (guint k = unsent + 1; k < d->lines->len; k++)
    {
      const BounceLine *t = bounce_doc_line (d, k);
      const char *s;
      gsize n;

      bounce_line_trim (t, &s, &n);
      if (bounce_mem_has_prefix (s, n, "To:"))
        return bounce_address_in (s + 3, n - 3);
    }
  to = bounce_doc_original_header (d, "To");
  return to != NULL ? bounce_address_in (to, strlen (to)) : NULL;
}

static gboolean
parse_v5sendmail (BounceLayoutDoc *d)
{
  int transcript = bounce_doc_find_start (d, 0, "----- Transcript of session follows");
  int unsent;
  const char *s;
  gsize n;

  if (transcript < 0 || bounce_doc_find_start (d, 0, "----- The following addresses had") >= 0)
    return FALSE;
  unsent = bounce_doc_find_start (d, transcript, "----- Unsent message follows");
  if (unsent < 0)
    unsent = bounce_doc_find_start (d, transcript, "----- No message was collected");
  if (unsent < 0)
    return FALSE;
  if (bounce_sendmail_read (d) && d->out->len > 0)
    return TRUE;
  g_ptr_array_set_size (d->out, 0);

  /* "421 example.org (smtp)... Deferred: Connection timed out ...": the
   * host's verdict, for the unsent message's recipient */
  for (guint i = transcript + 1; i < (guint) unsent; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *dots;
      char *address;
      BounceFact *r;
      g_autoptr(GString) diag = NULL;

      bounce_line_trim (l, &s, &n);
      dots = bounce_mem_find (s, n, "... ");
      if (!(n > 4 && (s[0] == '4' || s[0] == '5') && g_ascii_isdigit (s[1]) && g_ascii_isdigit (s[2]) &&
            s[3] == ' ' && dots != NULL))
        continue;
      address = unsent_recipient (d, unsent);
      if (address == NULL)
        break;
      r = bounce_doc_add_fact (d, address, i, i);
      diag = g_string_new (NULL);
      bounce_diag_append (diag, s, n);
      bounce_fact_set_diag (r, diag);
      /* no SMTP conversation took place */
      r->command_unknown = TRUE;
      break;
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_v5sendmail = {
  .name = "v5sendmail",
  .title = "Sendmail V5",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_v5sendmail,
};
