/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* Oracle Communications Messaging Server (formerly Sun Java System / Sun
 * ONE Messaging Server, iPlanet).  Its report reads "This report relates
 * to a message you sent with the following header fields:", then "Your
 * message cannot be delivered to the following recipients:" and per
 * recipient, indented by two spaces, "Recipient address:" (followed by
 * "Original address:", the address the sender wrote, when the server
 * rewrote it: that one is the recipient, as Sisimai's
 * Lhost::MessagingServer takes it), "Reason:", "Diagnostic
 * code: smtp;<reply>" and "Remote system:".  Learnt from Sisimai's
 * Lhost::MessagingServer and its reason table, and the server's own
 * Reason for a message that waited too long.  It never names an SMTP
 * command. */

static const BouncePhrase messagingserver_phrases[] = {
  { "Illegal host/domain name found", "hostunknown" },
  /* its verdict once the message has waited too long in its queue ("Your
   * message has been enqueued and undeliverable for 1 day") */
  { "unable to deliver this message after", "expired" },
};

typedef struct {
  char *address;
  guint first;
  guint last;
  GString *reason;   /* "Reason:" */
  GString *code;     /* "Diagnostic code:" */
} Block;

static void
block_finish (BounceLayoutDoc *d,
              Block           *b)
{
  if (b->address != NULL)
    {
      BounceFact *r = bounce_doc_add_fact (d, g_steal_pointer (&b->address), b->first, b->last);

      bounce_fact_set_diag (r, b->code->len > 0 ? b->code : b->reason);
      r->command_unknown = TRUE;
      r->reason = g_strdup (bounce_phrase_reason (messagingserver_phrases, G_N_ELEMENTS (messagingserver_phrases),
                                                  b->reason->str));
    }
  g_clear_pointer (&b->address, g_free);
  g_string_truncate (b->reason, 0);
  g_string_truncate (b->code, 0);
}

/* An address with a dotted domain ("@relay.example.net:bob@server", a
 * source route to a local name, is none). */
static char *
field_address (const char *s,
               gsize       n)
{
  const char *colon = NULL;
  char *address;

  for (const char *p = s; p < s + n; p++)
    if (*p == ':')
      colon = p;
  if (colon != NULL)
    n -= colon + 1 - s, s = colon + 1;
  address = bounce_address_in (s, n);
  if (address != NULL && !bounce_address_is_qualified (address))
    g_clear_pointer (&address, g_free);
  return address;
}

/* "Delivery attempt history for your mail:" lists what each attempt met
 * ("TCP active open: Failed connect() ... Error: Connection timed out"):
 * for a message that waited too long, that is why. */
static void
add_history (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "Delivery attempt history for your mail:");
  g_autoptr(GString) history = g_string_new (NULL);

  if (start < 0 || d->out->len == 0)
    return;
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);

      if (bounce_line_starts (l, "--") || bounce_line_starts (l, "Reporting-MTA:") ||
          bounce_line_starts (l, "Original-envelope-id:") || bounce_line_starts (l, "Content-"))
        break;
      bounce_diag_append_line (history, l);
    }
  for (guint i = 0; i < d->out->len && history->len > 0; i++)
    {
      BounceFact *r = d->out->pdata[i];
      g_autoptr(GString) diag = g_string_new (r->text);

      bounce_diag_append (diag, history->str, history->len);
      bounce_fact_set_diag (r, diag);
    }
}

static gboolean
parse_messagingserver (BounceLayoutDoc *d)
{
  int start = bounce_doc_find_start (d, 0, "This report relates to a message you sent");
  Block b = { NULL, 0, 0, g_string_new (NULL), g_string_new (NULL) };
  GString *field = NULL;

  if (start < 0)
    {
      g_string_free (b.reason, TRUE);
      g_string_free (b.code, TRUE);
      return FALSE;
    }
  for (guint i = start + 1; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const char *s;
      gsize n;

      bounce_line_trim (l, &s, &n);
      if (bounce_mem_has_prefix (s, n, "Recipient address:"))
        {
          block_finish (d, &b);
          b.address = field_address (s + 18, n - 18);
          b.first = b.last = i;
          field = NULL;
          continue;
        }
      if (bounce_mem_has_prefix (s, n, "Original address:"))
        {
          char *written = field_address (s + 17, n - 17);

          if (written != NULL)
            {
              if (b.address == NULL)
                b.first = i;
              g_free (b.address);
              b.address = written;
            }
          b.last = i;
          field = NULL;
          continue;
        }
      if (bounce_mem_has_prefix (s, n, "Reason:"))
        {
          field = b.reason;
          s += 7, n -= 7;
        }
      else if (bounce_mem_has_prefix (s, n, "Diagnostic code:"))
        {
          const char *semi = memchr (s, ';', n);

          field = b.code;
          if (semi != NULL)
            n -= semi + 1 - s, s = semi + 1;
          else
            s += 16, n -= 16;
        }
      else if (bounce_mem_has_prefix (s, n, "Remote system:") || n == 0)
        {
          field = NULL;
          continue;
        }
      else if (field == NULL || l->s[0] != ' ')
        {
          field = NULL;
          continue;
        }
      bounce_diag_append (field, s, n);
      b.last = i;
    }
  block_finish (d, &b);
  g_string_free (b.reason, TRUE);
  g_string_free (b.code, TRUE);
  add_history (d);
  return d->out->len > 0;
}

const BounceLayout bounce_layout_messagingserver = {
  .name = "messagingserver",
  .title = "Oracle Communications Messaging Server",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_messagingserver,
};
