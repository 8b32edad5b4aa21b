/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-analyzer.h"
#include "bounce-classify.h"
#include "bounce-diagnose.h"
#include "bounce-error.h"
#include "bounce-links.h"
#include "bounce-literal.h"
#include "bounce-reason.h"

/* A real bounce has a few dozen findings.  Past this many the input is a log
 * or a flood, and every further finding only costs memory and time in the
 * report, its JSON and the window's highlights. */
#define MAX_FINDINGS 50000

/* Extracts in growing chunks cut at line ends, so that a huge input is only
 * scanned until it has given MAX_FINDINGS. */
static void
extract_findings (BounceReport      *report,
                  const char        *text,
                  BounceAlternation *tokens)
{
  GPtrArray *findings = bounce_report_get_findings (report);
  gsize length = strlen (text);
  gsize start = 0;
  gsize chunk = 1024 * 1024;

  while (start < length && findings->len < MAX_FINDINGS)
    {
      gsize end = length;

      if (length - start > chunk)
        {
          const char *nl = memchr (text + start + chunk, '\n', length - start - chunk);

          if (nl != NULL)
            end = (nl - text) + 1;
        }
      bounce_extract (text, start, end, BOUNCE_EXTRACT_ALL, tokens, findings);
      start = end;
      chunk *= 2;
    }
  if (findings->len > MAX_FINDINGS || (findings->len == MAX_FINDINGS && start < length))
    bounce_report_add_truncated (report, BOUNCE_TRUNCATED_CODES);
  if (findings->len > MAX_FINDINGS)
    g_ptr_array_set_size (findings, MAX_FINDINGS);
}

static gboolean
in_notification (BounceInput *input,
                 gsize        offset)
{
  GPtrArray *segments = bounce_input_get_segments (input);
  guint lo = 0, hi = segments->len;

  /* Segments are in order and do not overlap; an mbox can have hundreds of
   * thousands, so search instead of scanning them for every finding. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      BounceSegment *seg = segments->pdata[mid];

      if (offset < seg->start)
        hi = mid;
      else if (offset >= seg->end)
        lo = mid + 1;
      else
        return seg->kind == BOUNCE_SEGMENT_TEXT || seg->kind == BOUNCE_SEGMENT_DELIVERY_STATUS ||
               seg->kind == BOUNCE_SEGMENT_FEEDBACK_REPORT;
    }
  return FALSE;
}

static void
explain_codes (BounceReport    *report,
               BounceCatalogue *catalogue)
{
  GPtrArray *findings = bounce_report_get_findings (report);
  const char *provider = bounce_report_get_provider (report);

  for (guint i = 0; i < findings->len; i++)
    {
      BounceFinding *f = findings->pdata[i];
      BounceEntry *entry = NULL;

      switch (f->kind)
        {
        case BOUNCE_FINDING_REPLY_CODE:
          entry = bounce_catalogue_find_reply (catalogue, f->text);
          break;
        case BOUNCE_FINDING_ENHANCED_CODE:
          entry = bounce_catalogue_find_enhanced (catalogue, f->text, provider);
          if (entry == NULL)
            entry = bounce_catalogue_find_subject (catalogue, f->text);
          if (entry == NULL)
            entry = bounce_catalogue_find_class (catalogue, f->text);
          break;
        case BOUNCE_FINDING_PROVIDER_TOKEN:
          entry = bounce_catalogue_find_provider_token (catalogue, f->text);
          break;
        case BOUNCE_FINDING_IPV4:
        case BOUNCE_FINDING_IPV6:
        case BOUNCE_FINDING_HOSTNAME:
        case BOUNCE_FINDING_EMAIL:
        case BOUNCE_FINDING_DNSBL_ZONE:
        case BOUNCE_FINDING_URL:
        default:
          break;
        }
      if (entry != NULL)
        {
          g_free (f->entry_id);
          f->entry_id = g_strdup (bounce_entry_get_id (entry));
        }
    }
}

static gboolean
report_needs_reputation_check (BounceReport *report)
{
  GListModel *list = bounce_report_get_recipients (report);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (list, i);

      if (bounce_reason_concerns_reputation (bounce_recipient_get_reason (r)))
        return TRUE;
    }
  return FALSE;
}

/* seen holds the values of array, so that thousands of them stay linear. */
static void
add_unique (GPtrArray  *array,
            GHashTable *seen,
            const char *value)
{
  if (g_hash_table_add (seen, g_strdup (value)))
    g_ptr_array_add (array, g_strdup (value));
}

/* Whether zone (lower case) stands in folded where the server names it,
 * not inside an address ("bl.spamcop.net@example.org"). */
static gboolean
names_zone (const char *folded,
            gsize       len,
            const char *zone)
{
  gsize zone_len = strlen (zone);

  if (zone_len == 0)
    return FALSE;
  for (const char *hit = strstr (folded, zone); hit != NULL; hit = strstr (hit + 1, zone))
    if (bounce_text_span_is_words (folded, len, hit - folded, hit - folded + zone_len, TRUE))
      return TRUE;
  return FALSE;
}

static gboolean
has_ascii_upper (const char *s)
{
  for (; *s != '\0'; s++)
    if (*s >= 'A' && *s <= 'Z')
      return TRUE;
  return FALSE;
}

/* The lists the bounce names, by zone or by the service's own phrase, in
 * the server's words (not in an address or a host name it quotes). */
static void
find_named_blocklists (BounceReport    *report,
                       BounceCatalogue *catalogue,
                       const char      *notification)
{
  guint n = bounce_catalogue_get_n_blocklists (catalogue);
  guint n_multi;
  const guint32 *multi = bounce_catalogue_get_multi_blocklists (catalogue, &n_multi);
  guint next_multi = 0;   /* the first of multi not passed yet */
  GPtrArray *named = bounce_report_get_blocklists (report);
  g_autofree char *folded = g_ascii_strdown (notification, -1);
  gsize len = strlen (folded);
  g_autofree char *words = bounce_literal_fold (notification, -1);
  /* (a list's pattern only where the words it needs are) */
  g_autofree guint8 *may_match = bounce_catalogue_blocklists_may_match (catalogue, words);

  /* (each list's entry is made only when its pattern is tried or it is
   * named: its zones are in the catalogue's tables) */
  for (guint i = 0; i < n; i++)
    {
      const char * const *zones;
      gboolean hit = FALSE;

      if (next_multi < n_multi && multi[next_multi] == i)
        {
          next_multi++;
          continue;
        }
      zones = bounce_catalogue_get_blocklist_zones (catalogue, i);
      for (guint j = 0; zones[j] && !hit; j++)
        {
          /* (the catalogue's zones are in lower case already, as a rule) */
          g_autofree char *lowered = has_ascii_upper (zones[j]) ? g_ascii_strdown (zones[j], -1) : NULL;

          hit = names_zone (folded, len, lowered != NULL ? lowered : zones[j]);
        }
      if (!hit && may_match[i])
        hit = bounce_catalogue_entry_matches (bounce_catalogue_get_blocklist (catalogue, i), notification);
      if (hit)
        g_ptr_array_add (named, g_object_ref (bounce_catalogue_get_blocklist (catalogue, i)));
    }
}

/* Words before "host" that make it the sending side: Postfix's "Client
 * host [192.0.2.1] blocked using ...", "your host", "sending host". */
static const char * const sending_host_words[] = {
  "client", "sending", "connecting", "your", "sender", "sender's", "originating", "source", NULL
};

/* Words that lead to the server the sending side talked to, when only its
 * name (no spaces) stands between them and the address: "host
 * mx.example.com[192.0.2.1]", Exim's "host: mx.example.com (192.0.2.1)",
 * Postfix's "connect to mx.example.com[192.0.2.1]:25", qmail's "Connected
 * to 192.0.2.1 but ...". */
static const char * const remote_markers[] = {
  "host ", "host: ", "connect to ", "connected to ", NULL
};

/* What follows the refusing server's address: "mx.example.com[192.0.2.1]
 * said:", "mx.example.com [192.0.2.1] did not like our RCPT TO:", qmail's
 * "192.0.2.1 does not like recipient." and "192.0.2.1 failed after I sent
 * the message.", "[192.0.2.1] responded with ...". */
static const char * const remote_verbs[] = {
  "said", "did not like", "does not like", "failed after", "responded", "replied", NULL
};

/* A dotted number after these words is a version, not an address:
 * "(version 4.8.5.36)", "Microsoft SMTP Server id 8.2.255.0". */
static const char * const version_words[] = {
  "version", "ver", "id", "build", "release", NULL
};

/* One of a list of lower-case words: word[0, len) of the lower-cased text. */
static gboolean
word_in (const char         *word,
         gsize               len,
         const char * const *list)
{
  g_autofree char *w = g_strndup (word, len);

  return g_strv_contains (list, w);
}

/* Is the IP address at text[offset, offset + length) another side than the
 * sender's: the server that refused the message, a DSN's Remote-MTA, or a
 * version number that only looks like an address? */
static gboolean
ip_is_not_the_sender (const char *text,
                      gsize       offset,
                      gsize       length)
{
  gsize from = bounce_utf8_back (text, offset, 160);
  g_autofree char *before = g_strndup (text + from, offset - from);
  char *nl = strrchr (before, '\n');
  g_autofree char *lower = g_ascii_strdown (nl ? nl + 1 : before, -1);
  const char *line = lower;
  const char *after = text + offset + length;
  char *marker = NULL;
  gsize marker_len = 0;
  gsize n = strlen (lower);
  gsize w;

  /* A DSN's Remote-MTA field (or Oracle's "Remote system:" line) names the
   * receiving server; in Oracle's "(TCP|local|port|remote|port)" the first
   * address is the sending one. */
  while (*line == ' ' || *line == '\t')
    line++;
  if (g_str_has_prefix (line, "remote-mta:") || g_str_has_prefix (line, "remote system:"))
    return !g_str_has_suffix (lower, "tcp|");

  /* a version: the word right before the number */
  w = n;
  while (w > 0 && (lower[w - 1] == ' ' || lower[w - 1] == '('))
    w--;
  {
    gsize end = w;

    while (w > 0 && g_ascii_isalpha (lower[w - 1]))
      w--;
    if (end > w && word_in (lower + w, end - w, version_words))
      return TRUE;
  }

  /* a reference number closing a reply, not an address: Yahoo's
   * "... temporarily deferred due to user complaints - 4.16.55.1; see ..." */
  if (n >= 2 && lower[n - 1] == ' ' && lower[n - 2] == '-' && *after == ';')
    return TRUE;

  /* what the server did, after the address, its bracket and its port */
  while (*after == ']' || *after == ')' || *after == ' ')
    after++;
  if (*after == ':' && g_ascii_isdigit (after[1]))
    for (after++; g_ascii_isdigit (*after); after++)
      ;
  while (*after == ' ' || *after == ':')
    after++;
  for (guint i = 0; remote_verbs[i] != NULL; i++)
    {
      gsize len = strlen (remote_verbs[i]);

      if (g_ascii_strncasecmp (after, remote_verbs[i], len) == 0 && !g_ascii_isalpha (after[len]))
        return TRUE;
    }

  /* the last marker before the address, with at most a name between */
  for (guint i = 0; remote_markers[i] != NULL; i++)
    {
      char *m = g_strrstr (lower, remote_markers[i]);

      if (m != NULL && (marker == NULL || m > marker))
        {
          marker = m;
          marker_len = strlen (remote_markers[i]);
        }
    }
  if (marker == NULL)
    return FALSE;
  if (g_str_has_prefix (marker, "host"))
    {
      char *word_end = marker;
      char *word;

      while (word_end > lower && word_end[-1] == ' ')
        word_end--;
      word = word_end;
      while (word > lower && (g_ascii_isalpha (word[-1]) || word[-1] == '\''))
        word--;
      if (word_in (word, word_end - word, sending_host_words))
        return FALSE;
    }
  while (n > 0 && (lower[n - 1] == '[' || lower[n - 1] == ' ' || lower[n - 1] == '('))
    n--;
  for (char *p = marker + marker_len; p < lower + n; p++)
    if (*p == ' ')
      return FALSE;
  return TRUE;
}

static char *
reversed_ipv4 (const char *address)
{
  g_auto(GStrv) octets = g_strsplit (address, ".", 4);

  if (g_strv_length (octets) != 4)
    return NULL;
  return g_strdup_printf ("%s.%s.%s.%s", octets[3], octets[2], octets[1], octets[0]);
}

/* Is zone (lower case) one the catalogue's blocklists answer for? */
static gboolean
is_catalogue_zone (BounceCatalogue *catalogue,
                   const char      *zone)
{
  guint n = bounce_catalogue_get_n_blocklists (catalogue);

  /* (from the catalogue's tables: no blocklist entry is made) */
  for (guint i = 0; i < n; i++)
    {
      const char * const *zones = bounce_catalogue_get_blocklist_zones (catalogue, i);

      for (guint j = 0; zones[j] != NULL; j++)
        if (g_ascii_strcasecmp (zones[j], zone) == 0)
          return TRUE;
    }
  return FALSE;
}

/* An IPv4 address that starts a DNS name (name: the host name or zone
 * found at the same place) is not that address as written.  In a
 * blocklist query ("4.3.2.1.zen.spamhaus.org") or a reverse lookup
 * ("4.3.2.1.in-addr.arpa") it is the listed address backwards; in any other
 * name ("192.0.2.1.static.example.net") it is only part of the name.
 * Inside a URL the extractor reports no names, so the text after the
 * address decides there.  Returns the address a finding stands for, or
 * NULL. */
static char *
ipv4_address_of (const BounceFinding *f,
                 const BounceFinding *name,
                 const char          *text,
                 BounceCatalogue     *catalogue)
{
  if (name == NULL || name->byte_offset != f->byte_offset || name->byte_length <= f->byte_length)
    {
      const char *after = text + f->byte_offset + f->byte_length;
      g_autofree char *suffix = NULL;
      gsize n = 1;

      if (after[0] != '.' || !g_ascii_isalnum (after[1]))
        return g_strdup (f->text);
      while (n < 256 && (g_ascii_isalnum (after[n]) || after[n] == '.' || after[n] == '-'))
        n++;
      while (n > 1 && after[n - 1] == '.')
        n--;
      suffix = g_ascii_strdown (after + 1, n - 1);
      if (g_str_equal (suffix, "in-addr.arpa") || is_catalogue_zone (catalogue, suffix))
        return reversed_ipv4 (f->text);
      return NULL;
    }
  if (name->kind != BOUNCE_FINDING_DNSBL_ZONE && !g_str_has_suffix (name->text, ".in-addr.arpa"))
    return NULL;
  return reversed_ipv4 (f->text);
}

/* The sending addresses that findings of input's text show (those a bounce
 * that blames the sending side wants checked), each once, in order. */
static void
collect_ips (BounceInput     *input,
             GPtrArray       *findings,
             BounceCatalogue *catalogue,
             GPtrArray       *ips,
             GHashTable      *seen)
{
  const char *text = bounce_input_get_text (input);
  const BounceFinding *name = NULL;
  const BounceFinding *url = NULL;

  for (guint i = 0; i < findings->len; i++)
    {
      BounceFinding *f = findings->pdata[i];

      /* Sorted by offset, longer first: a name comes before an address
       * that starts it. */
      if (f->kind == BOUNCE_FINDING_HOSTNAME || f->kind == BOUNCE_FINDING_DNSBL_ZONE)
        name = f;
      if (f->kind == BOUNCE_FINDING_URL)
        url = f;
      /* The address in Spamhaus's error-answer page (".../returnc/pub/<ip>")
       * is the public resolver the receiving server used, not the sender. */
      if ((f->kind == BOUNCE_FINDING_IPV4 || f->kind == BOUNCE_FINDING_IPV6) && url != NULL &&
          f->byte_offset >= url->byte_offset &&
          f->byte_offset < url->byte_offset + url->byte_length &&
          strstr (url->text, "/returnc/") != NULL)
        continue;
      if (f->kind == BOUNCE_FINDING_IPV4 && in_notification (input, f->byte_offset))
        {
          g_autofree char *address = ipv4_address_of (f, name, text, catalogue);

          if (address != NULL &&
              (g_str_equal (address, f->text) ? f->is_public : bounce_ip_is_public (address)) &&
              !ip_is_not_the_sender (text, f->byte_offset, f->byte_length))
            add_unique (ips, seen, address);
        }
      else if (f->kind == BOUNCE_FINDING_IPV6 && f->is_public &&
               in_notification (input, f->byte_offset) &&
               !ip_is_not_the_sender (text, f->byte_offset, f->byte_length))
        add_unique (ips, seen, f->text);
    }
}

/* The sending domain: where the returned message came from, for each
 * message of input or only for message only_message (when not -1). */
static void
collect_domains (BounceInput *input,
                 gint         only_message,
                 GPtrArray   *domains,
                 GHashTable  *seen)
{
  GPtrArray *messages = bounce_input_get_messages (input);

  for (guint i = 0; messages != NULL && i < messages->len; i++)
    {
      BounceMessage *m = messages->pdata[i];
      const char *from;
      const char *at;

      if (only_message >= 0 && i != (guint) only_message)
        continue;
      from = m->original_headers ? bounce_fields_lookup (m->original_headers, "From") : NULL;
      if (from == NULL)
        from = bounce_fields_lookup (m->headers, "To");
      at = from ? strrchr (from, '@') : NULL;
      if (at != NULL)
        {
          g_autofree char *domain = g_strdup (at + 1);
          char *end = domain + strcspn (domain, "> \t\"'),;");

          *end = '\0';
          {
            g_autofree char *lower = g_ascii_strdown (domain, -1);

            if (bounce_domain_is_public (lower))
              add_unique (domains, seen, lower);
          }
        }
    }
}

/* The addresses and names to check, and the lists the bounce names, from
 * segments [seg_begin, seg_end) and the report's findings.  only_message is
 * the message whose sending domain counts, or -1 for every message. */
static void
collect_targets (BounceReport    *report,
                 BounceCatalogue *catalogue,
                 guint            seg_begin,
                 guint            seg_end,
                 gint             only_message)
{
  BounceInput *input = bounce_report_get_input (report);
  g_autoptr(GString) notification = NULL;
  g_autoptr(GHashTable) seen_ips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen_domains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  notification = bounce_input_collect_notification (input, seg_begin, seg_end, BOUNCE_NOTIFICATION_LIMIT);

  if (!bounce_report_get_is_bounce (report))
    return;

  find_named_blocklists (report, catalogue, notification->str);
  /* Only a bounce that blames the sending side wants its address checked:
   * a named list alone does not, when the refusal is the receiving side's
   * fault (a list that has closed, an error answer taken for a listing). */
  if (!report_needs_reputation_check (report))
    return;

  collect_ips (input, bounce_report_get_findings (report), catalogue, bounce_report_get_ips (report),
               seen_ips);
  collect_domains (input, only_message, bounce_report_get_domains (report), seen_domains);
}

static void
add_links (BounceReport    *report,
           BounceCatalogue *catalogue)
{
  g_autoptr(GPtrArray) named = bounce_links_select_named (bounce_report_get_blocklists (report),
                                                          report_needs_reputation_check (report));
  GPtrArray *links = bounce_links_build (catalogue, bounce_report_get_ips (report),
                                         bounce_report_get_domains (report), named);

  if (links != NULL)
    {
      for (guint i = 0; i < links->len; i++)
        g_ptr_array_add (bounce_report_get_links (report), links->pdata[i]);
      g_ptr_array_set_free_func (links, NULL);
      g_ptr_array_unref (links);
    }
}

/* A forwarded bounce inside a forward inside a forward ... is unwrapped this
 * many times at most. */
#define MAX_ATTACHED_DEPTH 4

/* The input's message was written by a person, not by a mail system: none
 * of the marks of an automatic message (RFC 3834 Auto-Submitted, the null
 * Return-Path of RFC 5321 section 4.5.5, a mailer-daemon or postmaster
 * sender, X-Failed-Recipients, delivery-status fields). */
static gboolean
written_by_person (BounceInput *input)
{
  GPtrArray *messages = bounce_input_get_messages (input);
  BounceMessage *m = messages->len == 1 ? messages->pdata[0] : NULL;
  const char *auto_submitted, *from;

  if (m == NULL || (m->dsn_groups != NULL && m->dsn_groups->len > 0) || m->feedback_fields != NULL)
    return FALSE;
  auto_submitted = bounce_fields_lookup (m->headers, "Auto-Submitted");
  from = bounce_fields_lookup (m->headers, "From");
  if (auto_submitted != NULL && g_ascii_strncasecmp (auto_submitted, "no", 2) != 0)
    return FALSE;
  if (bounce_fields_lookup (m->headers, "X-Failed-Recipients") != NULL)
    return FALSE;
  return from != NULL &&
         !bounce_classify_mail_system_sender (from, bounce_fields_lookup (m->headers, "Return-Path"));
}

/* The input's only message holds a delivery report's per-recipient fields
 * (RFC 3464) or a feedback report's (RFC 5965). */
static gboolean
has_report_fields (BounceInput *input)
{
  GPtrArray *messages = bounce_input_get_messages (input);
  BounceMessage *m = messages->len == 1 ? messages->pdata[0] : NULL;

  return m != NULL && ((m->dsn_groups != NULL && m->dsn_groups->len > 0) || m->feedback_fields != NULL);
}

/* The header of message (up to its first empty line, at most 64 KB) names
 * multipart/report: a cheap look before parsing a returned original. */
static gboolean
heads_a_report (GBytes *message)
{
  gsize len;
  const char *data = g_bytes_get_data (message, &len);
  static const char needle[] = "multipart/report";
  const gsize n = sizeof needle - 1;

  len = MIN (len, (gsize) 64 * 1024);
  for (gsize i = 0; i + n <= len; i++)
    {
      if (data[i] == '\n' && i + 1 < len && (data[i + 1] == '\n' || data[i + 1] == '\r'))
        break;
      if (g_ascii_strncasecmp (data + i, needle, n) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The message a pasted text forwards inline (the mail program's marker
 * line, then its From:, Date:, Subject:, To:) comes from a mail system:
 * it is the bounce the user asks about.  Read as the pasted text alone,
 * its header fields would pass for a returned original's, and its To:
 * (the user, who got the bounce) for the failed recipient. */
static gboolean
forwards_notice (BounceInput *inner)
{
  GPtrArray *messages = bounce_input_get_messages (inner);
  BounceMessage *m = messages->len == 1 ? messages->pdata[0] : NULL;
  const char *from = m != NULL ? bounce_fields_lookup (m->headers, "From") : NULL;

  return from != NULL && (bounce_classify_names_mail_system (from) ||
                          bounce_classify_mail_system_sender (NULL, bounce_fields_lookup (m->headers, "Return-Path")));
}

/* Whether a report lists a recipient by address. */
static gboolean
names_recipient (BounceReport *report)
{
  GListModel *recipients = bounce_report_get_recipients (report);
  guint n = g_list_model_get_n_items (recipients);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, i);
      const char *address = bounce_recipient_get_address (r);

      if (address != NULL && *address != '\0')
        return TRUE;
    }
  return FALSE;
}

static BounceReport *
analyze_input (BounceInput     *input,
               const char      *source,
               BounceCatalogue *catalogue,
               guint            depth)
{
  g_autoptr(BounceReport) report = NULL;
  GBytes *attached;

  report = bounce_report_new (input, source);

  extract_findings (report, bounce_input_get_text (input), bounce_catalogue_get_tokens (catalogue));
  bounce_diagnose (report, catalogue);
  explain_codes (report, catalogue);
  collect_targets (report, catalogue, 0, bounce_input_get_segments (input)->len, -1);
  add_links (report, catalogue);

  /* A message that carries a report as an attachment (a bounce "forwarded
   * as attachment" to the helpdesk) and is no report itself, or was written
   * by a person (whose words, "550 of my mails bounce", are no server's):
   * the attached message is what the user asks about. */
  attached = bounce_input_get_attached_message (input);
  if (attached != NULL && bounce_input_get_messages (input)->len == 1 && depth < MAX_ATTACHED_DEPTH)
    {
      gboolean wrapper_is_none = bounce_report_get_kind (report) == BOUNCE_KIND_NOT_BOUNCE ||
                                 written_by_person (input);
      gboolean pasted = !bounce_input_get_is_message (input);
      g_autoptr(BounceInput) inner_input = NULL;
      g_autoptr(BounceReport) inner = NULL;

      /* A gateway that passes a report on inside a message of its own (a
       * security appliance re-wrapping what it scanned) leaves the report's
       * fields (RFC 3464) in the attached message only: when the wrapper
       * has none, they list the recipients, not the wrapper's text. */
      if (wrapper_is_none || pasted || (!has_report_fields (input) && heads_a_report (attached)))
        inner_input = bounce_input_new_from_bytes (attached, NULL, NULL);
      if (inner_input == NULL)
        return g_steal_pointer (&report);
      if (wrapper_is_none || has_report_fields (inner_input) || (pasted && forwards_notice (inner_input)))
        {
          inner = analyze_input (inner_input, source, catalogue, depth + 1);
          if (bounce_report_get_kind (inner) != BOUNCE_KIND_NOT_BOUNCE)
            return g_steal_pointer (&inner);
        }
      else if (pasted && !names_recipient (report))
        {
          /* Pasted text that forwards a message inline (an out-of-office
           * reply, a feedback report, a notice sent by a person's address)
           * and whose own reading names nobody: the forwarded message read
           * alone, with its own From:, may name the recipient.  The pasted
           * text's lines above the forwarded header are the user's, and
           * the header's To: (the user) passes for a returned original's. */
          inner = analyze_input (inner_input, source, catalogue, depth + 1);
          if (bounce_report_get_kind (inner) != BOUNCE_KIND_NOT_BOUNCE && names_recipient (inner))
            return g_steal_pointer (&inner);
        }
    }

  return g_steal_pointer (&report);
}

BounceReport *
bounce_analyze_input (BounceInput     *input,
                      const char      *source,
                      BounceCatalogue *catalogue)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT (input), NULL);

  if (catalogue == NULL)
    catalogue = bounce_catalogue_get_default ();
  return analyze_input (input, source, catalogue, 0);
}

/* The findings of one message of an input of several: those in its
 * segments, at the same offsets (a message's report shares the input and
 * its display text), explained with the message's own provider; then the
 * lists it names and the links it asks for, as if it had come alone. */
void
bounce_analyze_message (BounceReport    *report,
                        BounceReport    *message,
                        BounceCatalogue *catalogue)
{
  static GQuark done_quark;
  BounceInput *input;
  GPtrArray *segments;
  GPtrArray *all;
  GPtrArray *findings;
  guint index;
  guint seg_begin = G_MAXUINT, seg_end = 0;
  gsize start = G_MAXSIZE, end = 0;

  g_return_if_fail (BOUNCE_IS_REPORT (report));
  g_return_if_fail (BOUNCE_IS_REPORT (message));

  if (done_quark == 0)
    done_quark = g_quark_from_static_string ("bounce-message-analysed");
  if (g_object_get_qdata (G_OBJECT (message), done_quark) != NULL)
    return;
  g_object_set_qdata (G_OBJECT (message), done_quark, GINT_TO_POINTER (1));

  if (catalogue == NULL)
    catalogue = bounce_catalogue_get_default ();
  input = bounce_report_get_input (report);
  g_return_if_fail (bounce_report_get_input (message) == input);
  segments = bounce_input_get_segments (input);
  index = bounce_report_get_message_index (message);
  for (guint i = 0; i < segments->len; i++)
    {
      BounceSegment *seg = segments->pdata[i];

      if (seg->message_index != index)
        continue;
      seg_begin = MIN (seg_begin, i);
      seg_end = i + 1;
      start = MIN (start, seg->start);
      end = MAX (end, seg->end);
    }
  if (seg_begin == G_MAXUINT)
    return;

  all = bounce_report_get_findings (report);
  findings = bounce_report_get_findings (message);
  for (guint i = 0; i < all->len; i++)
    {
      BounceFinding *f = all->pdata[i];
      BounceFinding *copy;

      if (f->byte_offset < start || f->byte_offset >= end)
        continue;
      copy = bounce_finding_copy (f);
      g_clear_pointer (&copy->entry_id, g_free);
      g_ptr_array_add (findings, copy);
    }
  /* The whole input's findings stopped before this message ended. */
  if ((bounce_report_get_truncated (report) & BOUNCE_TRUNCATED_CODES) &&
      (all->len == 0 || ((BounceFinding *) all->pdata[all->len - 1])->byte_offset < end))
    bounce_report_add_truncated (message, BOUNCE_TRUNCATED_CODES);

  explain_codes (message, catalogue);
  collect_targets (message, catalogue, seg_begin, seg_end, (gint) index);
  add_links (message, catalogue);
}

BounceReport *
bounce_analyze_bytes (GBytes        *bytes,
                      const char    *source,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(BounceInput) input = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  input = bounce_input_new_from_bytes (bytes, cancellable, error);
  if (input == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return bounce_analyze_input (input, source, NULL);
}

/* Codes, addresses and names found so far, and what else the whole input's
 * analysis needs of the messages read one at a time. */
typedef struct {
  GPtrArray *ips;             /* candidates, used if the bounce wants them */
  GHashTable *seen_ips;
  GPtrArray *domains;
  GHashTable *seen_domains;
  GString *notification;      /* the whole input's, up to its limit */
  gsize n_findings;           /* found in the messages read so far */
  gboolean findings_cut;      /* MAX_FINDINGS stopped the search */
  glong char_base;            /* where the message read starts in the whole input's text */
  gsize byte_base;
} ByMessage;

static void
by_message_init (ByMessage *state)
{
  state->ips = g_ptr_array_new_with_free_func (g_free);
  state->seen_ips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  state->domains = g_ptr_array_new_with_free_func (g_free);
  state->seen_domains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  state->notification = g_string_new (NULL);
}

static void
by_message_clear (ByMessage *state)
{
  g_clear_pointer (&state->ips, g_ptr_array_unref);
  g_clear_pointer (&state->seen_ips, g_hash_table_unref);
  g_clear_pointer (&state->domains, g_ptr_array_unref);
  g_clear_pointer (&state->seen_domains, g_hash_table_unref);
  if (state->notification != NULL)
    g_string_free (g_steal_pointer (&state->notification), TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ByMessage, by_message_clear)

/* What the whole input's analysis keeps of a message: the codes found in
 * it (at their offsets in the whole input's text), the sending addresses
 * and domain it shows, its notification text. */
static void
take_message (BounceReport    *report,
              BounceInput     *input,
              BounceCatalogue *catalogue,
              ByMessage       *state)
{
  const char *text = bounce_input_get_text (input);
  gsize length = bounce_input_get_text_length (input);
  GPtrArray *segments = bounce_input_get_segments (input);

  /* The whole input's first MAX_FINDINGS findings, as extract_findings()
   * keeps them. */
  if (state->n_findings < MAX_FINDINGS)
    {
      g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_finding_free);

      bounce_extract (text, 0, length, BOUNCE_EXTRACT_ALL, bounce_catalogue_get_tokens (catalogue),
                      findings);
      if (state->n_findings + findings->len > MAX_FINDINGS)
        {
          g_ptr_array_set_size (findings, MAX_FINDINGS - state->n_findings);
          state->findings_cut = TRUE;
        }
      state->n_findings += findings->len;
      collect_ips (input, findings, catalogue, state->ips, state->seen_ips);
      for (guint i = 0; i < findings->len; i++)
        {
          BounceFinding *f = findings->pdata[i];

          if (f->kind != BOUNCE_FINDING_REPLY_CODE && f->kind != BOUNCE_FINDING_ENHANCED_CODE &&
              f->kind != BOUNCE_FINDING_PROVIDER_TOKEN)
            continue;
          findings->pdata[i] = NULL;
          f->offset += state->char_base;
          f->byte_offset += state->byte_base;
          g_ptr_array_add (bounce_report_get_findings (report), f);
        }
    }
  else if (length > 0)
    state->findings_cut = TRUE;

  bounce_input_append_notification (input, 0, segments->len, BOUNCE_NOTIFICATION_LIMIT, state->notification);
  collect_domains (input, -1, state->domains, state->seen_domains);
  /* Characters of the (valid UTF-8) text: bytes that do not continue one;
   * only while codes are still kept (g_utf8_strlen() was 2% of the run). */
  if (state->n_findings < MAX_FINDINGS)
    state->char_base += bounce_utf8_count_chars (text, text + length);
  state->byte_base += length;
}

static void
move_strings (GPtrArray *from,
              GPtrArray *to)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, g_steal_pointer (&from->pdata[i]));
  g_ptr_array_set_size (from, 0);
}

BounceReport *
bounce_analyze_bytes_by_message (GBytes             *bytes,
                                 const char         *source,
                                 BounceCatalogue    *catalogue,
                                 BounceMessageFunc   func,
                                 gpointer            user_data,
                                 GCancellable       *cancellable,
                                 GError            **error)
{
  g_autoptr(BounceInputReader) reader = NULL;
  g_autoptr(BounceReport) report = NULL;
  g_autoptr(BounceDiagnosis) diagnosis = NULL;
  g_auto(ByMessage) state = { 0 };
  gboolean full = FALSE;
  guint n;

  g_return_val_if_fail (bytes != NULL, NULL);

  reader = bounce_input_reader_new (bytes, error);
  g_bytes_unref (bytes);
  if (reader == NULL)
    return NULL;
  if (catalogue == NULL)
    catalogue = bounce_catalogue_get_default ();

  n = bounce_input_reader_get_n_messages (reader);
  if (n < 2)
    {
      g_autoptr(BounceInput) input = bounce_input_reader_decode_all (reader, cancellable, error);

      /* The decoded text is a copy: the bytes are not needed while the
       * input is analysed. */
      g_clear_pointer (&reader, bounce_input_reader_free);
      if (input == NULL)
        return NULL;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      return bounce_analyze_input (input, source, catalogue);
    }

  by_message_init (&state);
  report = bounce_report_new (bounce_input_reader_get_whole (reader), source);
  diagnosis = bounce_diagnosis_new (report, catalogue);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BounceInput) input = bounce_input_reader_next (reader);
      g_autoptr(BounceReport) message = NULL;

      /* (the reader hands out n messages) */
      g_assert (input != NULL);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      take_message (report, input, catalogue, &state);
      /* The whole report is full: the reports still to come are not
       * read, as bounce_diagnose() does not read them. */
      if (full)
        continue;
      message = bounce_diagnosis_add_message (diagnosis, input, 0, i, TRUE);
      bounce_report_add_message_summary (report, message);
      if (func != NULL)
        func (message, user_data);
      if (i + 1 < n && bounce_diagnosis_is_full (diagnosis))
        {
          bounce_report_add_truncated (report, BOUNCE_TRUNCATED_RECIPIENTS);
          full = TRUE;
        }
    }
  bounce_diagnosis_finish (diagnosis);

  if (state.findings_cut)
    bounce_report_add_truncated (report, BOUNCE_TRUNCATED_CODES);
  explain_codes (report, catalogue);
  /* collect_targets () of the whole input */
  if (bounce_report_get_is_bounce (report))
    {
      find_named_blocklists (report, catalogue, state.notification->str);
      if (report_needs_reputation_check (report))
        {
          move_strings (state.ips, bounce_report_get_ips (report));
          move_strings (state.domains, bounce_report_get_domains (report));
        }
    }
  add_links (report, catalogue);

  return g_steal_pointer (&report);
}

typedef struct {
  GBytes *bytes;
  char *source;
} AnalyzeData;

static void
analyze_data_free (AnalyzeData *data)
{
  g_bytes_unref (data->bytes);
  g_free (data->source);
  g_free (data);
}

static void
analyze_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AnalyzeData *data = task_data;
  GError *error = NULL;
  BounceReport *report;

  report = bounce_analyze_bytes (data->bytes, data->source, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, g_object_unref);
}

void
bounce_analyze_bytes_async (GBytes              *bytes,
                            const char          *source,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AnalyzeData *data;

  g_return_if_fail (bytes != NULL);

  /* Load the catalogue here so the first worker does not race others for it. */
  bounce_catalogue_get_default ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bounce_analyze_bytes_async);
  g_task_set_return_on_cancel (task, TRUE);
  data = g_new0 (AnalyzeData, 1);
  data->bytes = g_bytes_ref (bytes);
  data->source = g_strdup (source);
  g_task_set_task_data (task, data, (GDestroyNotify) analyze_data_free);
  g_task_run_in_thread (task, analyze_thread);
}

BounceReport *
bounce_analyze_bytes_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bounce_analyze_bytes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
