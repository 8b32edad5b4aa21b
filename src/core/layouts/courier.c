/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* Courier MTA.  Learnt from Courier's delivery status notifications
 * (https://www.courier-mta.org/courierdsn.html and the module.dsn
 * templates: "This is a delivery status notification from <host>,
 * running the Courier mail server", a boxed "UNDELIVERABLE MAIL" or
 * "DELAYS IN DELIVERING YOUR MESSAGE", then per recipient "<addr>:", the
 * remote host, and the session: ">>> command", "<<< reply") and Sisimai's
 * Lhost::Courier, whose reason table this is: the sentences Courier's
 * esmtp client writes when it decided alone. */

static const BouncePhrase courier_phrases[] = {
  { "No such domain.", "hostunknown" },
  { "This domain's DNS violates RFC 1035.", "systemerror" },
  { "DNS lookup failed.", "networkerror" },
};

static gboolean
courier_is_end (const BounceLine *l)
{
  return bounce_line_starts (l, "-----") || bounce_line_starts (l, "If your message was also sent to") ||
         bounce_line_starts (l, "Reporting-MTA:");
}

static void
courier_finish (BounceFact *r,
                GString    *diag,
                GString    *own,
                gboolean    talked,
                gboolean    delayed)
{
  bounce_fact_set_diag (r, diag);
  if (delayed)
    r->action = g_strdup ("delayed");
  /* no ">>> command": Courier decided alone (DNS, a local delivery) */
  r->command_unknown = !talked;
  r->reason = g_strdup (bounce_phrase_reason (courier_phrases, G_N_ELEMENTS (courier_phrases), own->str));
}

static gboolean
parse_courier (BounceLayoutDoc *d)
{
  int box = bounce_doc_find_start (d, 0, "UNDELIVERABLE MAIL");
  gboolean delayed = FALSE;
  BounceFact *current = NULL;
  gboolean talked = FALSE;
  g_autoptr(GString) diag = g_string_new (NULL);
  g_autoptr(GString) own = g_string_new (NULL);

  if (box < 0)
    {
      box = bounce_doc_find_start (d, 0, "DELAYS IN DELIVERING YOUR MESSAGE");
      delayed = box >= 0;
    }
  /* the boxed title alone is not enough: Courier's own introduction or
   * the sentence over the list too */
  if (box < 0 || (bounce_doc_find (d, 0, "running the Courier mail server") < 0 &&
                  bounce_doc_find_start (d, box, "Your message to the following recipients") < 0))
    return FALSE;

  for (guint i = box + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;
      char *address;

      if (courier_is_end (l) && current != NULL)
        break;
      address = bounce_address_colon_line (l);
      if (address != NULL)
        {
          if (current != NULL)
            courier_finish (current, diag, own, talked, delayed);
          g_string_truncate (diag, 0);
          g_string_truncate (own, 0);
          talked = FALSE;
          current = bounce_doc_add_fact (d, address, i, i);
          continue;
        }
      if (current == NULL)
        continue;
      bounce_line_trim (l, &s, &n);
      if (n == 0)
        continue;
      current->end = l->offset + l->len;
      if (bounce_mem_has_prefix (s, n, ">>>"))
        {
          /* the command the reply below answers */
          current->command = bounce_extract_smtp_command (s, n);
          talked = TRUE;
          g_string_truncate (diag, 0);
          continue;
        }
      if (bounce_mem_has_prefix (s, n, "<<<"))
        {
          bounce_diag_append (diag, s + 3, n - 3);
          /* with no command sent, the "reply" is Courier's own sentence:
           * its esmtp client records hard_error(..., "No such domain.") as
           * a reply (module.esmtp/esmtpclient.c, ctlfile_append_reply()),
           * which the DSN prints as " <<< ..." (module.dsn/dsn.C,
           * format_del_info()) */
          if (!talked)
            bounce_diag_append (own, s + 3, n - 3);
          continue;
        }
      /* "mx.example.net [192.0.2.7]:" names the host; anything else is
       * Courier's own explanation */
      if (n > 1 && s[n - 1] == ':' && memchr (s, ' ', n) != NULL && memchr (s, '[', n) != NULL && !talked)
        continue;
      bounce_diag_append (diag, s, n);
      bounce_diag_append (own, s, n);
    }
  if (current != NULL)
    courier_finish (current, diag, own, talked, delayed);
  return d->out->len > 0;
}

const BounceLayout bounce_layout_courier = {
  .name = "courier",
  .title = "Courier",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_courier,
};
