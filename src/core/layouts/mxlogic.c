/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"
#include "bounce-layout-families.h"

/* MX Logic (McAfee SaaS Email Protection).  Its bounces are Exim's, with
 * headers of its own (X-MX-Bounce, X-MXL-Hash, X-MXL-NoteHash) and Exim's
 * "  <addr>: reply" list ending at "Included is a copy of the message
 * header:".  Learnt from Sisimai's Lhost::MXLogic, which reads them as
 * Exim's.  Pasted without its headers the text is Exim's, and the Exim
 * layout reads it the same way. */

static gboolean
parse_mxlogic (BounceLayoutDoc *d)
{
  if (bounce_doc_header (d, "X-MX-Bounce") == NULL && bounce_doc_header (d, "X-MXL-Hash") == NULL &&
      bounce_doc_header (d, "X-MXL-NoteHash") == NULL)
    return FALSE;
  if (!bounce_exim_read (d))
    return FALSE;
  /* Lhost::MXLogic has no STATUS block of its own, unlike Lhost::Exim
   * (its stored 2024 version, "use v5.26"): a recipient without codes
   * gets Fact.pm's reading of the words */
  for (guint i = 0; i < d->out->len; i++)
    ((BounceFact *) d->out->pdata[i])->pseudo_class_set = FALSE;
  return TRUE;
}

const BounceLayout bounce_layout_mxlogic = {
  .name = "mxlogic",
  .title = "MX Logic (McAfee SaaS)",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_mxlogic,
};
