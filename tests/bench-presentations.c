/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gmime/gmime.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "bounce-core.h"

#if !GMIME_HAS_AUTOPTR
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeDataWrapper, g_object_unref)
#endif

/* The same bounce, presented the ways users hand it over, should give the
 * same answer.  For every file of the corpus (eml/ and not-bounces/) this
 * builds each presentation below, analyses it, and compares the analysis with
 * the analysis of the ORIGINAL file (not with the truth): per presentation it
 * counts the files whose recipient addresses, status codes, reasons,
 * hard/soft flags or number of recipients (or kind: bounce, auto-reply,
 * not a bounce ...) differ.  A difference is not always
 * a fault (the first text part alone may simply not name the recipient), but
 * each is a place where the engine depends on how the bounce is wrapped.
 *
 *   all-text    every part's text pasted, without the message's headers
 *   first-text  the first text part alone
 *   fwd-tbird   forwarded inline, Thunderbird's "-------- Forwarded Message --------" block
 *   fwd-outlook forwarded inline, Outlook's "From: / Sent: / To: / Subject:" block
 *   fwd-gmail   forwarded inline, Gmail's "---------- Forwarded message ---------" block
 *   fwd-attach  forwarded as an attachment (message/rfc822 inside a new message;
 *               not for an mbox of several messages)
 *   quoted      quoted with "> " in a reply
 *   base64      every leaf part re-encoded base64, CRLF line ends
 *   qp          every leaf part re-encoded quoted-printable
 *   latin1      text parts converted to ISO-8859-1 (or Windows-1252) where representable
 *
 * Usage: bench-presentations [--verbose] [CORPUS_DIR]; --verbose lists each
 * difference (presentation, file, field, original -> presented). */

typedef enum {
  DIFF_ADDRESS,
  DIFF_STATUS,
  DIFF_REASON,
  DIFF_HARD,
  DIFF_COUNT,
  N_DIFFS
} Diff;

static const char * const diff_names[N_DIFFS] = { "address", "status", "reason", "hard", "count" };

typedef struct {
  BounceKind kind;
  guint n;
  char **address;
  char **status;
  char **reason;
  gboolean *hard;
} Analysis;

static void
analysis_free (Analysis *a)
{
  if (a == NULL)
    return;
  for (guint i = 0; i < a->n; i++)
    {
      g_free (a->address[i]);
      g_free (a->status[i]);
      g_free (a->reason[i]);
    }
  g_free (a->address);
  g_free (a->status);
  g_free (a->reason);
  g_free (a->hard);
  g_free (a);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Analysis, analysis_free)

static Analysis *
analyse (GBytes *bytes)
{
  g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, NULL, NULL, NULL);
  Analysis *a = g_new0 (Analysis, 1);
  GListModel *recipients;

  if (report == NULL)
    return a;
  a->kind = bounce_report_get_kind (report);
  if (!bounce_report_get_is_bounce (report))
    return a;
  recipients = bounce_report_get_recipients (report);
  a->n = g_list_model_get_n_items (recipients);
  a->address = g_new0 (char *, a->n);
  a->status = g_new0 (char *, a->n);
  a->reason = g_new0 (char *, a->n);
  a->hard = g_new0 (gboolean, a->n);
  for (guint i = 0; i < a->n; i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, i);

      a->address[i] = g_ascii_strdown (bounce_recipient_get_address (r) ? bounce_recipient_get_address (r) : "", -1);
      a->status[i] = g_strdup (bounce_recipient_get_status (r) ? bounce_recipient_get_status (r) : "");
      a->reason[i] = g_strdup (bounce_recipient_get_reason (r));
      a->hard[i] = bounce_recipient_get_hard_bounce (r);
    }
  return a;
}

/* ---- what the original says about itself ---- */

typedef struct {
  char *from;
  char *to;
  char *subject;
  char *date;
} Envelope;

static void
envelope_clear (Envelope *e)
{
  g_free (e->from);
  g_free (e->to);
  g_free (e->subject);
  g_free (e->date);
}

static void
read_envelope (BounceInput *input,
               Envelope    *e)
{
  GPtrArray *messages = bounce_input_get_messages (input);
  BounceMessage *m = messages && messages->len ? messages->pdata[0] : NULL;
  const char *v;

  v = m ? bounce_fields_lookup (m->headers, "From") : NULL;
  e->from = g_strdup (v ? v : "Mail Delivery System <MAILER-DAEMON@mail.example.org>");
  v = m ? bounce_fields_lookup (m->headers, "To") : NULL;
  e->to = g_strdup (v ? v : "alice@example.com");
  v = m ? bounce_fields_lookup (m->headers, "Subject") : NULL;
  e->subject = g_strdup (v ? v : "Undelivered Mail Returned to Sender");
  v = m ? bounce_fields_lookup (m->headers, "Date") : NULL;
  e->date = g_strdup (v ? v : "Mon, 1 May 2023 10:12:13 +0200");
}

/* The text a mail program shows: every segment but the message's own
 * headers (first_only: the first text part alone). */
static char *
shown_text (BounceInput *input,
            gboolean     first_only)
{
  GPtrArray *segments = bounce_input_get_segments (input);
  const char *text = bounce_input_get_text (input);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < segments->len; i++)
    {
      BounceSegment *seg = segments->pdata[i];

      if (seg->message_index != 0 || seg->end <= seg->start)
        continue;
      if (first_only ? seg->kind != BOUNCE_SEGMENT_TEXT : seg->kind == BOUNCE_SEGMENT_HEADERS)
        continue;
      if (out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append_c (out, '\n');
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append_len (out, text + seg->start, seg->end - seg->start);
      if (first_only)
        break;
    }
  if (out->len == 0)
    return g_string_free (out, TRUE);
  return g_string_free (out, FALSE);
}

static GBytes *
new_message (const char *subject,
             const char *body)
{
  GString *m = g_string_new ("From: Carol User <carol@example.com>\n"
                             "To: Helpdesk <helpdesk@example.com>\n");
  g_string_append_printf (m, "Subject: %s\n", subject);
  g_string_append (m, "Date: Tue, 2 May 2023 09:00:00 +0200\n"
                      "MIME-Version: 1.0\n"
                      "Content-Type: text/plain; charset=UTF-8\n"
                      "Content-Transfer-Encoding: 8bit\n\n");
  g_string_append (m, body);
  return g_string_free_to_bytes (m);
}

typedef enum {
  FWD_THUNDERBIRD,
  FWD_OUTLOOK,
  FWD_GMAIL,
} ForwardStyle;

static GBytes *
forward_inline (const Envelope *e,
                const char     *shown,
                ForwardStyle    style)
{
  g_autoptr(GString) body = g_string_new ("Could you look at this? My message did not arrive.\n\n");
  g_autofree char *subject = g_strconcat (style == FWD_OUTLOOK ? "FW: " : "Fwd: ", e->subject, NULL);

  switch (style)
    {
    case FWD_THUNDERBIRD:
      g_string_append_printf (body, "\n-------- Forwarded Message --------\nSubject: \t%s\nDate: \t%s\n"
                              "From: \t%s\nTo: \t%s\n\n\n", e->subject, e->date, e->from, e->to);
      break;
    case FWD_OUTLOOK:
      g_string_append_printf (body, "________________________________\nFrom: %s\nSent: %s\nTo: %s\n"
                              "Subject: %s\n\n", e->from, e->date, e->to, e->subject);
      break;
    case FWD_GMAIL:
    default:
      g_string_append_printf (body, "---------- Forwarded message ---------\nFrom: %s\nDate: %s\n"
                              "Subject: %s\nTo: %s\n\n\n", e->from, e->date, e->subject, e->to);
      break;
    }
  g_string_append (body, shown);
  return new_message (subject, body->str);
}

static GBytes *
forward_attached (const Envelope *e,
                  GBytes         *original)
{
  GString *m = g_string_new ("From: Carol User <carol@example.com>\n"
                             "To: Helpdesk <helpdesk@example.com>\n");
  const char *boundary = "=_forward_9f3c2a7e1b";

  g_string_append_printf (m, "Subject: Fwd: %s\n", e->subject);
  g_string_append_printf (m, "Date: Tue, 2 May 2023 09:00:00 +0200\nMIME-Version: 1.0\n"
                          "Content-Type: multipart/mixed; boundary=\"%s\"\n\n"
                          "--%s\nContent-Type: text/plain; charset=UTF-8\n\n"
                          "Could you look at the attached bounce? My message did not arrive.\n\n"
                          "--%s\nContent-Type: message/rfc822\n"
                          "Content-Disposition: attachment; filename=\"bounce.eml\"\n\n",
                          boundary, boundary, boundary);
  g_string_append_len (m, g_bytes_get_data (original, NULL), g_bytes_get_size (original));
  if (m->str[m->len - 1] != '\n')
    g_string_append_c (m, '\n');
  g_string_append_printf (m, "--%s--\n", boundary);
  return g_string_free_to_bytes (m);
}

static GBytes *
quoted_reply (const Envelope *e,
              const char     *shown)
{
  g_autoptr(GString) body = g_string_new ("What does this mean?\n\n");
  g_auto(GStrv) lines = g_strsplit (shown, "\n", -1);
  g_autofree char *subject = g_strconcat ("Re: ", e->subject, NULL);

  g_string_append_printf (body, "On %s, %s wrote:\n", e->date, e->from);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i + 1] == NULL && lines[i][0] == '\0')
        break;
      g_string_append_printf (body, lines[i][0] ? "> %s\n" : ">\n", lines[i]);
    }
  return new_message (subject, body->str);
}

/* ---- re-encoding with GMime ---- */

typedef enum {
  RECODE_BASE64,
  RECODE_QP,
  RECODE_LATIN1,
} Recode;

static GByteArray *
part_content (GMimePart *part)
{
  GMimeDataWrapper *wrapper = g_mime_part_get_content (part);
  GByteArray *array = g_byte_array_new ();
  g_autoptr(GMimeStream) stream = NULL;

  if (wrapper == NULL)
    return array;
  stream = g_mime_stream_mem_new_with_byte_array (array);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
  g_mime_data_wrapper_write_to_stream (wrapper, stream);
  return array;
}

static void
set_part_content (GMimePart  *part,
                  const char *data,
                  gsize       len)
{
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer (data, len);
  g_autoptr(GMimeDataWrapper) wrapper = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);

  g_mime_part_set_content (part, wrapper);
}

typedef struct {
  Recode how;
  guint changed;        /* parts whose bytes changed */
  guint unrepresentable;
} RecodeData;

static void
recode_part (GMimeObject *parent,
             GMimeObject *object,
             gpointer     user_data)
{
  RecodeData *data = user_data;
  GMimeContentType *type = g_mime_object_get_content_type (object);
  GMimePart *part;
  g_autoptr(GByteArray) content = NULL;
  const char *charset;
  g_autofree char *utf8 = NULL;
  g_autoptr(GError) error = NULL;
  gsize out_len = 0;
  char *converted = NULL;
  const char *target = "ISO-8859-1";

  (void) parent;
  if (!GMIME_IS_PART (object) || GMIME_IS_MULTIPART (object) || GMIME_IS_MESSAGE_PART (object))
    return;
  part = GMIME_PART (object);
  if (!g_mime_content_type_is_type (type, "text", "*") &&
      !g_mime_content_type_is_type (type, "message", "delivery-status") &&
      !g_mime_content_type_is_type (type, "message", "global-delivery-status") &&
      !g_mime_content_type_is_type (type, "message", "feedback-report"))
    return;
  if (data->how == RECODE_BASE64 || data->how == RECODE_QP)
    {
      g_mime_part_set_content_encoding (part, data->how == RECODE_BASE64 ? GMIME_CONTENT_ENCODING_BASE64
                                                                         : GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
      data->changed++;
      return;
    }

  /* Latin-1: only text parts, only when their text converts. */
  if (!g_mime_content_type_is_type (type, "text", "*"))
    return;
  content = part_content (part);
  if (content->len == 0)
    return;
  charset = g_mime_object_get_content_type_parameter (object, "charset");
  if (charset == NULL || g_ascii_strcasecmp (charset, "us-ascii") == 0 || g_ascii_strcasecmp (charset, "utf-8") == 0)
    utf8 = g_strndup ((char *) content->data, content->len);
  else
    utf8 = g_convert ((char *) content->data, content->len, "UTF-8", charset, NULL, NULL, NULL);
  if (utf8 == NULL || !g_utf8_validate (utf8, -1, NULL))
    {
      data->unrepresentable++;
      return;
    }
  converted = g_convert (utf8, -1, "ISO-8859-1", "UTF-8", NULL, &out_len, &error);
  if (converted == NULL)
    {
      g_clear_error (&error);
      target = "windows-1252";
      converted = g_convert (utf8, -1, "WINDOWS-1252", "UTF-8", NULL, &out_len, &error);
    }
  if (converted == NULL)
    {
      data->unrepresentable++;
      return;
    }
  set_part_content (part, converted, out_len);
  g_free (converted);
  g_mime_object_set_content_type_parameter (object, "charset", target);
  if (g_mime_part_get_content_encoding (part) == GMIME_CONTENT_ENCODING_DEFAULT ||
      g_mime_part_get_content_encoding (part) == GMIME_CONTENT_ENCODING_7BIT)
    g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_8BIT);
  data->changed++;
}

static GBytes *
recode (GBytes *original,
        Recode  how)
{
  g_autoptr(GMimeStream) in = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (original, NULL),
                                                                  g_bytes_get_size (original));
  g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream (in);
  g_autoptr(GMimeMessage) message = g_mime_parser_construct_message (parser, NULL);
  GMimeFormatOptions *options;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GMimeStream) stream = NULL;
  RecodeData data = { how, 0, 0 };
  GMimeObject *body;

  if (message == NULL || (body = g_mime_message_get_mime_part (message)) == NULL)
    return NULL;
  if (GMIME_IS_MULTIPART (body))
    g_mime_multipart_foreach (GMIME_MULTIPART (body), recode_part, &data);
  else
    recode_part (NULL, body, &data);
  if (data.changed == 0)
    return NULL;
  stream = g_mime_stream_mem_new_with_byte_array (out);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
  options = g_mime_format_options_new ();
  if (how == RECODE_BASE64)
    g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);
  g_mime_object_write_to_stream (GMIME_OBJECT (message), options, stream);
  g_mime_format_options_free (options);
  return g_bytes_new (out->data, out->len);
}

/* ---- the comparison ---- */

enum {
  P_ALL_TEXT,
  P_FIRST_TEXT,
  P_FWD_TBIRD,
  P_FWD_OUTLOOK,
  P_FWD_GMAIL,
  P_FWD_ATTACH,
  P_QUOTED,
  P_BASE64,
  P_QP,
  P_LATIN1,
  N_PRESENTATIONS
};

static const char * const presentation_names[N_PRESENTATIONS] = {
  "all-text", "first-text", "fwd-tbird", "fwd-outlook", "fwd-gmail", "fwd-attach", "quoted",
  "base64", "qp", "latin1",
};

typedef struct {
  guint files;
  guint differ[N_DIFFS];
  guint any;
} Tally;

static void
compare (Tally          *tally,
         const char     *presentation,
         const char     *name,
         const Analysis *orig,
         const Analysis *got,
         gboolean        verbose)
{
  gboolean differ[N_DIFFS] = { FALSE };
  gboolean any = FALSE;

  tally->files++;
  if (orig->n != got->n || orig->kind != got->kind)
    {
      differ[DIFF_COUNT] = TRUE;
      if (verbose)
        g_printerr ("%s\t%s\tcount\t%u -> %u (kind %d -> %d)\n", presentation, name, orig->n, got->n,
                    orig->kind, got->kind);
    }
  for (guint i = 0; i < MIN (orig->n, got->n); i++)
    {
      const char *o[N_DIFFS] = { orig->address[i], orig->status[i], orig->reason[i],
                                 orig->hard[i] ? "hard" : "soft", NULL };
      const char *g[N_DIFFS] = { got->address[i], got->status[i], got->reason[i],
                                 got->hard[i] ? "hard" : "soft", NULL };

      for (guint d = 0; d < DIFF_COUNT; d++)
        if (g_strcmp0 (o[d], g[d]) != 0)
          {
            if (verbose && !differ[d])
              g_printerr ("%s\t%s\t%s\t%s -> %s\n", presentation, name, diff_names[d], o[d], g[d]);
            differ[d] = TRUE;
          }
    }
  for (guint d = 0; d < N_DIFFS; d++)
    {
      tally->differ[d] += differ[d];
      any |= differ[d];
    }
  tally->any += any;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

static void
add_dir (GPtrArray  *paths,
         const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, (char *) name);
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (paths, g_build_filename (dir, names->pdata[i], NULL));
}

int
main (int argc, char **argv)
{
  const char *corpus = NULL;
  gboolean verbose = FALSE;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  Tally tallies[N_PRESENTATIONS] = { { 0 } };
  guint latin1_unrepresentable = 0;

  setlocale (LC_ALL, "");
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--verbose"))
      verbose = TRUE;
    else
      corpus = argv[i];
  if (corpus == NULL)
    corpus = g_getenv ("BOUNCE_CORPUS_DIR");
  if (corpus == NULL)
    {
      g_printerr ("usage: %s [--verbose] CORPUS_DIR\n", argv[0]);
      return 2;
    }
  bounce_core_init ();
  {
    g_autofree char *eml = g_build_filename (corpus, "eml", NULL);
    g_autofree char *not_bounces = g_build_filename (corpus, "not-bounces", NULL);

    add_dir (paths, eml);
    add_dir (paths, not_bounces);
  }

  for (guint f = 0; f < paths->len; f++)
    {
      const char *path = paths->pdata[f];
      g_autofree char *name = g_path_get_basename (path);
      char *contents;
      gsize len;
      g_autoptr(GBytes) original = NULL;
      g_autoptr(BounceInput) input = NULL;
      g_autoptr(Analysis) orig = NULL;
      g_autofree char *all = NULL;
      g_autofree char *first = NULL;
      Envelope e = { NULL };

      if (!g_file_get_contents (path, &contents, &len, NULL))
        continue;
      original = g_bytes_new_take (contents, len);
      input = bounce_input_new_from_bytes (original, NULL, NULL);
      if (input == NULL)
        continue;
      orig = analyse (original);
      read_envelope (input, &e);
      all = shown_text (input, FALSE);
      first = shown_text (input, TRUE);

      for (guint p = 0; p < N_PRESENTATIONS; p++)
        {
          g_autoptr(GBytes) presented = NULL;
          g_autoptr(Analysis) got = NULL;

          switch (p)
            {
            case P_ALL_TEXT:
              presented = all ? g_bytes_new (all, strlen (all)) : NULL;
              break;
            case P_FIRST_TEXT:
              presented = first ? g_bytes_new (first, strlen (first)) : NULL;
              break;
            case P_FWD_TBIRD:
              presented = all ? forward_inline (&e, all, FWD_THUNDERBIRD) : NULL;
              break;
            case P_FWD_OUTLOOK:
              presented = all ? forward_inline (&e, all, FWD_OUTLOOK) : NULL;
              break;
            case P_FWD_GMAIL:
              presented = all ? forward_inline (&e, all, FWD_GMAIL) : NULL;
              break;
            case P_FWD_ATTACH:
              /* an mbox of several messages is not one message to forward */
              if (bounce_input_get_messages (input)->len == 1)
                presented = forward_attached (&e, original);
              break;
            case P_QUOTED:
              presented = all ? quoted_reply (&e, all) : NULL;
              break;
            case P_BASE64:
              presented = recode (original, RECODE_BASE64);
              break;
            case P_QP:
              presented = recode (original, RECODE_QP);
              break;
            case P_LATIN1:
              presented = recode (original, RECODE_LATIN1);
              if (presented == NULL)
                latin1_unrepresentable++;
              break;
            default:
              g_assert_not_reached ();
            }
          if (presented == NULL)
            continue;
          if (g_getenv ("BOUNCE_BENCH_DUMP") != NULL)
            {
              g_autofree char *dump_name = g_strdup_printf ("%s.%s", name, presentation_names[p]);
              g_autofree char *dump = g_build_filename (g_getenv ("BOUNCE_BENCH_DUMP"), dump_name, NULL);

              g_file_set_contents (dump, g_bytes_get_data (presented, NULL), g_bytes_get_size (presented), NULL);
            }
          got = analyse (presented);
          compare (&tallies[p], presentation_names[p], name, orig, got, verbose);
        }
      envelope_clear (&e);
    }

  printf ("Files whose analysis differs from the original file's, per presentation\n");
  printf ("(%u files of %s: eml/ and not-bounces/)\n\n", paths->len, corpus);
  printf ("%-12s %5s %8s %8s %8s %8s %8s %8s\n", "presentation", "files", "address", "status", "reason",
          "hard", "count", "any");
  for (guint p = 0; p < N_PRESENTATIONS; p++)
    {
      Tally *t = &tallies[p];

      printf ("%-12s %5u %8u %8u %8u %8u %8u %8u   (same: %.1f%%)\n", presentation_names[p], t->files,
              t->differ[DIFF_ADDRESS], t->differ[DIFF_STATUS], t->differ[DIFF_REASON], t->differ[DIFF_HARD],
              t->differ[DIFF_COUNT], t->any, 100.0 * (t->files - t->any) / MAX (t->files, 1));
    }
  printf ("\nlatin1: %u files left out (no text part, or text not representable)\n", latin1_unrepresentable);
  return 0;
}
