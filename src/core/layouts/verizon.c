/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Verizon Wireless' gateways between mail and phones.  The text-message
 * gateway (vtext.com) writes
 *
 *   Message could not be delivered to mobile.
 *   Error: No valid recipients for this MM
 *   ...
 *   Original Message:
 *   To: 5551234567@vtext.com
 *
 * and the picture-message gateway (vzwpix.com, which runs Apache James)
 * writes "Error: ..." and the message's envelope under "Message details:"
 * ("RCPT TO: ...").  The
 * recipient is the returned message's; the SMTP command is never shown.
 * Learnt from the notices of Verizon Wireless' gateways as Sisimai's
 * Lhost::Verizon reads them. */

static const BouncePhrase verizon_phrases[] = {
  { "550 - Requested action not taken: no such user here", "userunknown" },
  { "No valid recipients", "userunknown" },
};

/* The recipient after the text from start on: "To:" under "Original
 * Message:", or "RCPT TO:" under "Message details:". */
static gboolean
verizon_read (BounceLayoutDoc *d,
              guint            start,
              guint            details,
              const char      *field)
{
  g_autoptr(GString) diag = g_string_new (NULL);
  gsize field_len = strlen (field);
  int below = bounce_doc_find_start (d, start, "Error message below:");

  /* James's "Error message below:" introduces the remote reply */
  for (guint i = below >= 0 && (guint) below < details ? (guint) below + 1 : start; i < details; i++)
    bounce_diag_append_line (diag, bounce_doc_line (d, i));
  for (guint i = details + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;
      char *address;
      BounceFact *fact;

      bounce_line_trim (l, &s, &n);
      if (!bounce_mem_has_prefix (s, n, field) || (address = bounce_address_in (s + field_len, n - field_len)) == NULL)
        continue;
      fact = bounce_doc_add_fact (d, address, start, i);
      bounce_fact_set_diag (fact, diag);
      fact->command_unknown = TRUE;
      bounce_fact_phrase_reason (fact, verizon_phrases, G_N_ELEMENTS (verizon_phrases), diag->str);
      return TRUE;
    }
  return FALSE;
}

static gboolean
parse_verizon (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "Message could not be delivered to mobile.");
  int details;

  if (start >= 0)
    {
      details = bounce_doc_find_start (d, start, "Original Message:");
      return details >= 0 && verizon_read (d, start, details, "To:");
    }
  /* the picture-message gateway: "Error:" before the envelope, in Apache
   * James's layout (apache-james.c), from Verizon's own servers; pasted,
   * without the headers, it is James's */
  if (!bounce_doc_header_has (d, "From", "@vtext.com") && !bounce_doc_header_has (d, "From", ".vzwpix.com"))
    return FALSE;
  details = bounce_doc_find_start (d, 0, "Message details:");
  if (details < 0 || (start = bounce_doc_find_start (d, 0, "Error:")) < 0 || start > details)
    return FALSE;
  return verizon_read (d, start, details, "RCPT TO:");
}

const BounceLayout bounce_layout_verizon = {
  .name = "verizon",
  .title = "Verizon Wireless",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_verizon,
};
