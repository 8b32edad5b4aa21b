/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-diagnose.h"
#include "bounce-layouts.h"

/* The registry.  Adding a layout: its file in this folder, one line below
 * (the order is the order they are tried: narrow layouts before broad
 * ones), one line in src/core/meson.build and its tests. */
extern const BounceLayout bounce_layout_rfc3464;
extern const BounceLayout bounce_layout_amazon_ses;
extern const BounceLayout bounce_layout_powermta;
extern const BounceLayout bounce_layout_arf;
extern const BounceLayout bounce_layout_microsoft365;
extern const BounceLayout bounce_layout_gmail_current;
extern const BounceLayout bounce_layout_stalwart;
extern const BounceLayout bounce_layout_hmailserver;
extern const BounceLayout bounce_layout_haraka;
extern const BounceLayout bounce_layout_chasquid;
extern const BounceLayout bounce_layout_mox;
extern const BounceLayout bounce_layout_maddy;
extern const BounceLayout bounce_layout_cisco;
extern const BounceLayout bounce_layout_dovecot;
extern const BounceLayout bounce_layout_cyrus;
extern const BounceLayout bounce_layout_masqmail;
extern const BounceLayout bounce_layout_nullmailer;
extern const BounceLayout bounce_layout_communigate;
extern const BounceLayout bounce_layout_exchange_warning;
extern const BounceLayout bounce_layout_smartermail;
extern const BounceLayout bounce_layout_xmail;
extern const BounceLayout bounce_layout_citadel;
extern const BounceLayout bounce_layout_synchronet;
extern const BounceLayout bounce_layout_slimta;
extern const BounceLayout bounce_layout_james_dsn;
extern const BounceLayout bounce_layout_twisted;
extern const BounceLayout bounce_layout_simplelogin;
extern const BounceLayout bounce_layout_forwardemail;
extern const BounceLayout bounce_layout_mailman;
extern const BounceLayout bounce_layout_addy;
extern const BounceLayout bounce_layout_sympa;
extern const BounceLayout bounce_layout_au;
extern const BounceLayout bounce_layout_zoho;
extern const BounceLayout bounce_layout_verizon;
extern const BounceLayout bounce_layout_facebook;
extern const BounceLayout bounce_layout_exchange2003;
extern const BounceLayout bounce_layout_gmail;
extern const BounceLayout bounce_layout_google_groups;
extern const BounceLayout bounce_layout_amazon_ses_text;
extern const BounceLayout bounce_layout_receiving_ses;
extern const BounceLayout bounce_layout_sendgrid;
extern const BounceLayout bounce_layout_aol;
extern const BounceLayout bounce_layout_bigfoot;
extern const BounceLayout bounce_layout_biglobe;
extern const BounceLayout bounce_layout_deutsche_telekom;
extern const BounceLayout bounce_layout_gmx;
extern const BounceLayout bounce_layout_einsundeins;
extern const BounceLayout bounce_layout_mailru;
extern const BounceLayout bounce_layout_yahoo;
extern const BounceLayout bounce_layout_yandex;
extern const BounceLayout bounce_layout_office365;
extern const BounceLayout bounce_layout_exchange2007;
extern const BounceLayout bounce_layout_outlook;
extern const BounceLayout bounce_layout_james;
extern const BounceLayout bounce_layout_amavis;
extern const BounceLayout bounce_layout_barracuda;
extern const BounceLayout bounce_layout_mcafee;
extern const BounceLayout bounce_layout_messagelabs;
extern const BounceLayout bounce_layout_mimecast;
extern const BounceLayout bounce_layout_mailfoundry;
extern const BounceLayout bounce_layout_mailmarshal;
extern const BounceLayout bounce_layout_messagingserver;
extern const BounceLayout bounce_layout_surfcontrol;
extern const BounceLayout bounce_layout_mxlogic;
extern const BounceLayout bounce_layout_exim;
extern const BounceLayout bounce_layout_postfix;
extern const BounceLayout bounce_layout_qmail;
extern const BounceLayout bounce_layout_x2;
extern const BounceLayout bounce_layout_x4;
extern const BounceLayout bounce_layout_activehunter;
extern const BounceLayout bounce_layout_v5sendmail;
extern const BounceLayout bounce_layout_sendmail;
extern const BounceLayout bounce_layout_x1;
extern const BounceLayout bounce_layout_x3;
extern const BounceLayout bounce_layout_x5;
extern const BounceLayout bounce_layout_x6;
extern const BounceLayout bounce_layout_notes;
extern const BounceLayout bounce_layout_domino;
extern const BounceLayout bounce_layout_imailserver;
extern const BounceLayout bounce_layout_mfilter;
extern const BounceLayout bounce_layout_interscan;
extern const BounceLayout bounce_layout_fml;
extern const BounceLayout bounce_layout_opensmtpd;
extern const BounceLayout bounce_layout_courier;
extern const BounceLayout bounce_layout_dragonfly;
extern const BounceLayout bounce_layout_exchange;
extern const BounceLayout bounce_layout_amazon_workmail;
extern const BounceLayout bounce_layout_mail_client;
extern const BounceLayout bounce_layout_text_scan;

static const BounceLayout * const registry[] = {
  /* machine-readable fields */
  &bounce_layout_rfc3464,
  &bounce_layout_amazon_ses,
  &bounce_layout_powermta,
  &bounce_layout_arf,
  /* servers' own layouts */
  /* ... learnt from the servers' documentation and source */
  &bounce_layout_microsoft365,     /* and office365, below: one file */
  &bounce_layout_gmail_current,
  &bounce_layout_stalwart,
  &bounce_layout_hmailserver,
  &bounce_layout_haraka,
  &bounce_layout_chasquid,
  &bounce_layout_mox,
  &bounce_layout_maddy,
  &bounce_layout_cisco,
  &bounce_layout_dovecot,
  &bounce_layout_cyrus,
  &bounce_layout_masqmail,
  &bounce_layout_nullmailer,
  &bounce_layout_communigate,
  &bounce_layout_smartermail,
  &bounce_layout_xmail,
  &bounce_layout_citadel,
  &bounce_layout_synchronet,
  &bounce_layout_slimta,
  &bounce_layout_james_dsn,
  &bounce_layout_twisted,
  &bounce_layout_simplelogin,
  &bounce_layout_forwardemail,
  &bounce_layout_mailman,
  &bounce_layout_addy,
  &bounce_layout_sympa,
  /* ... learnt from GNU Mailman's bounce detector (flufl.bounce) */
  &bounce_layout_exchange_warning,
  /* ... learnt from Sisimai */
  &bounce_layout_au,
  &bounce_layout_zoho,
  &bounce_layout_verizon,
  &bounce_layout_facebook,
  &bounce_layout_exchange2003,
  &bounce_layout_gmail,
  &bounce_layout_google_groups,
  &bounce_layout_amazon_ses_text,
  &bounce_layout_receiving_ses,
  &bounce_layout_sendgrid,
  &bounce_layout_aol,
  &bounce_layout_bigfoot,
  &bounce_layout_biglobe,
  &bounce_layout_deutsche_telekom,
  &bounce_layout_gmx,
  &bounce_layout_einsundeins,
  &bounce_layout_mailru,
  &bounce_layout_yahoo,
  &bounce_layout_yandex,
  &bounce_layout_office365,
  &bounce_layout_exchange2007,
  &bounce_layout_james,
  &bounce_layout_amavis,
  &bounce_layout_barracuda,
  &bounce_layout_mcafee,
  &bounce_layout_messagelabs,
  &bounce_layout_mimecast,
  &bounce_layout_mailfoundry,
  &bounce_layout_mailmarshal,
  &bounce_layout_messagingserver,
  &bounce_layout_surfcontrol,
  &bounce_layout_mxlogic,
  &bounce_layout_exim,
  &bounce_layout_postfix,
  &bounce_layout_qmail,
  &bounce_layout_x2,
  &bounce_layout_x4,
  &bounce_layout_activehunter,
  &bounce_layout_v5sendmail,
  &bounce_layout_sendmail,
  &bounce_layout_x1,
  &bounce_layout_x3,
  &bounce_layout_outlook,
  &bounce_layout_x5,
  &bounce_layout_x6,
  &bounce_layout_notes,
  &bounce_layout_domino,
  &bounce_layout_imailserver,
  &bounce_layout_mfilter,
  &bounce_layout_interscan,
  &bounce_layout_fml,
  &bounce_layout_opensmtpd,
  &bounce_layout_courier,
  &bounce_layout_dragonfly,
  &bounce_layout_exchange,
  &bounce_layout_amazon_workmail,
  /* a mail program's send error: no server's layout, the program's words
   * around the outgoing server's reply (Thunderbird's strings) */
  &bounce_layout_mail_client,
  /* the generic scan */
  &bounce_layout_text_scan,
  NULL
};

const BounceLayout * const *
bounce_layouts_get_all (void)
{
  return registry;
}

/* The lines of the message's text parts, up to the scan limit. */
/* What bounce_doc_find_start() compares first: the line's first byte
 * after spaces and tabs, in lower case, or 0 for a blank line.  Most
 * layouts look for the line that starts their part, and most lines
 * differ from it at that byte. */
static void
append_line_head (GByteArray       *heads,
                  const BounceLine *l)
{
  gsize i = 0;
  guint8 head;

  while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
    i++;
  head = i < l->len ? (guint8) g_ascii_tolower (l->s[i]) : 0;
  g_byte_array_append (heads, &head, 1);
}

static void
collect_lines (BounceLayoutDoc *d)
{
  GPtrArray *segments = bounce_input_get_segments (d->input);
  gsize total = 0;

  for (guint i = d->seg_begin; i < d->seg_end && total < BOUNCE_LAYOUT_SCAN_LIMIT; i++)
    {
      BounceSegment *seg = segments->pdata[i];
      gsize pos, end;

      if (seg->kind != BOUNCE_SEGMENT_TEXT)
        continue;
      end = seg->start + bounce_utf8_cut (d->text + seg->start,
                                          MIN (seg->end - seg->start, BOUNCE_LAYOUT_SCAN_LIMIT - total));
      total += end - seg->start;
      for (pos = seg->start; pos < end;)
        {
          const char *nl = memchr (d->text + pos, '\n', end - pos);
          BounceLine l;

          l.s = d->text + pos;
          l.len = nl ? (gsize) (nl - l.s) : end - pos;
          l.offset = pos;
          g_array_append_val (d->lines, l);
          append_line_head (d->line_heads, &l);
          pos += l.len + 1;
        }
    }
}

BounceLayoutDoc *
bounce_layout_doc_new (BounceInput *input,
                       guint        message_index,
                       const char  *sender,
                       const char  *notification)
{
  BounceLayoutDoc *d = g_new0 (BounceLayoutDoc, 1);
  GPtrArray *messages = bounce_input_get_messages (input);
  GPtrArray *segments = bounce_input_get_segments (input);
  guint lo = 0, hi = segments->len;

  d->input = input;
  d->text = bounce_input_get_text (input);
  d->message_index = message_index;
  d->message = messages != NULL && message_index < messages->len ? messages->pdata[message_index] : NULL;
  d->is_message = bounce_input_get_is_message (input);
  d->sender = sender;
  d->notification = notification;
  /* Segments come in message order: find the message's own by bisection
   * (an mbox of 100,000 messages must not be scanned once per message). */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (((BounceSegment *) segments->pdata[mid])->message_index < message_index)
        lo = mid + 1;
      else
        hi = mid;
    }
  d->seg_begin = d->seg_end = lo;
  while (d->seg_end < segments->len &&
         ((BounceSegment *) segments->pdata[d->seg_end])->message_index == message_index)
    d->seg_end++;
  d->lines = g_array_new (FALSE, FALSE, sizeof (BounceLine));
  d->line_heads = g_byte_array_new ();
  collect_lines (d);
  return d;
}

void
bounce_layout_doc_free (BounceLayoutDoc *doc)
{
  if (doc == NULL)
    return;
  g_array_unref (doc->lines);
  g_byte_array_unref (doc->line_heads);
  g_clear_pointer (&doc->out, g_ptr_array_unref);
  g_clear_pointer (&doc->feedback, g_ptr_array_unref);
  g_free (doc);
}

/* What the engine may rely on in a TEXT layout's facts.  The bounce's own
 * addressee (the original sender) is no failed recipient beside others;
 * when a layout names no one else, the sender wrote to itself (a test, a
 * copy to oneself) and the layout's list is the answer.  A fact with no
 * address stays only when the layout says it names a recipient without
 * one (nameless). */
static void
tidy_text_facts (BounceLayoutDoc *d)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *kept = bounce_facts_new ();
  gboolean others = FALSE;

  for (guint i = 0; i < d->out->len && !others; i++)
    {
      BounceFact *f = d->out->pdata[i];

      others = f->address != NULL && !bounce_doc_is_ignored_address (d, f->address);
    }
  for (guint i = 0; i < d->out->len; i++)
    {
      BounceFact *f = d->out->pdata[i];

      if (f->address == NULL ? !f->nameless :
          bounce_address_is_daemon (f->address) ||
          (others && bounce_doc_is_ignored_address (d, f->address)) ||
          !g_hash_table_add (seen, f->address))
        continue;
      d->out->pdata[i] = NULL;
      f->from_layout = TRUE;
      f->has_range = f->end > f->start;
      if (f->text == NULL)
        f->text = g_strdup ("");
      g_ptr_array_add (kept, f);
    }
  g_ptr_array_unref (d->out);
  d->out = kept;
}

GPtrArray *
bounce_layouts_run (BounceLayoutDoc  *doc,
                    BounceLayoutKind  kind,
                    const char      **layout)
{
  if (layout != NULL)
    *layout = NULL;
  for (guint i = 0; registry[i] != NULL; i++)
    {
      const BounceLayout *l = registry[i];

      if (l->kind != kind || l->parse == NULL)
        continue;
      /* (a message with no text for people still goes to every layout:
       * some know their server by its headers and read its report's fields,
       * RFC 3464 2.1 letting the first part say nothing) */
      /* (the facts of a layout that did not recognise the message are
       * dropped; their array is used again: most layouts try in vain) */
      if (doc->out == NULL)
        doc->out = bounce_facts_new ();
      else
        g_ptr_array_set_size (doc->out, 0);
      doc->layout = l->name;
      if (!l->parse (doc))
        continue;
      if (kind == BOUNCE_LAYOUT_TEXT)
        tidy_text_facts (doc);
      if (layout != NULL)
        *layout = l->name;
      return g_steal_pointer (&doc->out);
    }
  if (doc->out == NULL)
    return bounce_facts_new ();
  g_ptr_array_set_size (doc->out, 0);
  return g_steal_pointer (&doc->out);
}

gboolean
bounce_layouts_verdict_quote (const char        *text,
                              BounceQuotedReply *out)
{
  for (guint i = 0; registry[i] != NULL; i++)
    if (registry[i]->verdict_quote != NULL && registry[i]->verdict_quote (text, out))
      return TRUE;
  return FALSE;
}

gboolean
bounce_layouts_attempt_reply (const char        *text,
                              gboolean           skip_expiry,
                              BounceQuotedReply *out)
{
  for (guint i = 0; registry[i] != NULL; i++)
    if (registry[i]->attempt_reply != NULL && registry[i]->attempt_reply (text, skip_expiry, out))
      return TRUE;
  return FALSE;
}

const char *
bounce_layouts_field_reason (BounceFieldGroup *group)
{
  for (guint i = 0; registry[i] != NULL; i++)
    if (registry[i]->field_reason != NULL)
      {
        const char *reason = registry[i]->field_reason (group);

        if (reason != NULL)
          return reason;
      }
  return NULL;
}

GPtrArray *
bounce_layouts_parse_text (BounceInput *input,
                           guint        message_index)
{
  g_autoptr(BounceLayoutDoc) doc = bounce_layout_doc_new (input, message_index, NULL, NULL);
  g_autoptr(GPtrArray) facts = bounce_layouts_run (doc, BOUNCE_LAYOUT_TEXT, NULL);

  return facts->len > 0 ? g_steal_pointer (&facts) : NULL;
}
