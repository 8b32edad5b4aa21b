/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"

/* An unnamed gateway (Sisimai's Lhost::X5) that forwards a delivery
 * status notification inside a message of its own: To:
 * "NotificationRecipients", From: "Mail Delivery Subsystem" (encoded in
 * ISO-2022-JP), and the bounce, with its message/delivery-status part,
 * attached as a message/rfc822.  Learnt from Sisimai's Lhost::X5, which
 * reads the fields of the attached report.  The decoder takes the
 * attachment for the returned message, so this layout reads the report's
 * recipient fields from its text; a delivery report never names the SMTP
 * command, and the text part of the wrapper names no recipient. */

static gboolean
x5_marked (BounceLayoutDoc *d)
{
  const char *to = bounce_doc_header (d, "To");
  const char *from = bounce_doc_header (d, "From");

  return to != NULL && strstr (to, "NotificationRecipients") != NULL && from != NULL &&
         strstr (from, "Mail Delivery Subsystem") != NULL;
}

static void
x5_finish (BounceFact *r,
           GString    *diag)
{
  if (r == NULL)
    return;
  bounce_fact_set_diag (r, diag);
  r->command = bounce_extract_smtp_command (r->text, -1);
  r->command_unknown = r->command == BOUNCE_SMTP_COMMAND_NONE;
}

/* The report's "Final-Recipient:", "Action:", "Status:" and
 * "Diagnostic-Code:" lines (continued on indented lines) in text. */
static void
read_fields (BounceLayoutDoc *d,
             const char      *text,
             gsize            start,
             gsize            end)
{
  BounceFact *r = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);
  gboolean in_diag = FALSE;

  for (gsize pos = start; pos < end;)
    {
      const char *s = text + pos;
      const char *nl = memchr (s, '\n', end - pos);
      gsize n = nl != NULL ? (gsize) (nl - s) : end - pos;
      gsize len = n;

      pos += n + 1;
      while (len > 0 && s[len - 1] == '\r')
        len--;
      if (len > 0 && (s[0] == ' ' || s[0] == '\t'))
        {
          if (in_diag)
            bounce_diag_append (diag, s, len);
          continue;
        }
      in_diag = FALSE;
      if (bounce_mem_has_prefix (s, len, "Final-Recipient:"))
        {
          char *address = bounce_address_in (s + 16, len - 16);

          x5_finish (r, diag);
          g_string_truncate (diag, 0);
          r = NULL;
          if (address == NULL)
            continue;
          r = bounce_fact_new (d->layout, address);
          r->start = s - d->text;
          r->end = r->start + len;
          g_ptr_array_add (d->out, r);
        }
      else if (r != NULL && bounce_mem_has_prefix (s, len, "Status:"))
        {
          g_autofree char *v = g_strstrip (g_strndup (s + 7, len - 7));

          /* a repeated field replaces the one before */
          if (bounce_enhanced_code_length (v) == strlen (v) && *v != '\0')
            {
              g_free (r->layout_status);
              r->layout_status = g_steal_pointer (&v);
            }
        }
      else if (r != NULL && bounce_mem_has_prefix (s, len, "Action:"))
        {
          g_autofree char *v = g_strstrip (g_strndup (s + 7, len - 7));

          if (g_ascii_strcasecmp (v, "delayed") == 0 && r->action == NULL)
            r->action = g_strdup ("delayed");
        }
      else if (r != NULL && bounce_mem_has_prefix (s, len, "Diagnostic-Code:"))
        {
          g_autofree char *v = g_strndup (s + 16, len - 16);
          const char *value = bounce_dsn_skip_type (g_strstrip (v));

          bounce_diag_append (diag, value, strlen (value));
          in_diag = TRUE;
        }
    }
  x5_finish (r, diag);
}

static gboolean
parse_x5 (BounceLayoutDoc *d)
{
  GPtrArray *segments = bounce_input_get_segments (d->input);

  if (!d->is_message || !x5_marked (d))
    return FALSE;
  for (guint i = d->seg_begin; i < d->seg_end; i++)
    {
      BounceSegment *seg = segments->pdata[i];
      const char *report;
      gsize limit;

      if (seg->kind != BOUNCE_SEGMENT_ORIGINAL_BODY)
        continue;
      limit = MIN (seg->end - seg->start, BOUNCE_LAYOUT_SCAN_LIMIT);
      report = bounce_mem_find (d->text + seg->start, limit, "Final-Recipient:");
      if (report != NULL)
        read_fields (d, d->text, report - d->text, seg->start + limit);
    }
  return d->out->len > 0;
}

const BounceLayout bounce_layout_x5 = {
  .name = "x5",
  .title = "unknown MTA (x5)",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_x5,
};
