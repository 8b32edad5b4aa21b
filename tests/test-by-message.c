/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An mbox read and analysed a message at a time (bounce-explain's way):
 * the same messages, text and report as when it is decoded whole, with no
 * message's text or report kept once the next one is read. */
#include "config.h"

#include <string.h>

#include "bounce-core.h"

static void
append_message (GString    *mbox,
                const char *data,
                gsize       len,
                gboolean    crlf)
{
  const char *nl = crlf ? "\r\n" : "\n";
  const char *p = data;
  const char *end = data + len;

  /* A message saved with its own "From " line: that line is replaced. */
  if (len > 5 && memcmp (data, "From ", 5) == 0)
    {
      const char *eol = memchr (data, '\n', len);

      p = eol != NULL ? eol + 1 : end;
    }
  g_string_append_printf (mbox, "From MAILER-DAEMON Sat Dec  5 08:00:00 2026%s", nl);
  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *line_end = eol != NULL ? eol : end;
      const char *q = p;

      while (q < line_end && *q == '>')
        q++;
      if (line_end - q >= 5 && memcmp (q, "From ", 5) == 0)
        g_string_append_c (mbox, '>');
      if (line_end > p && line_end[-1] == '\r')
        line_end--;
      g_string_append_len (mbox, p, line_end - p);
      g_string_append (mbox, nl);
      p = eol != NULL ? eol + 1 : end;
    }
  g_string_append (mbox, nl);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every file of a directory of tests/corpus as one mbox. */
static GBytes *
corpus_mbox (const char *dir,
             gboolean    crlf)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "corpus", dir, NULL);
  g_autoptr(GDir) listing = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *mbox = g_string_new (NULL);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *file = g_build_filename (path, names->pdata[i], NULL);
      g_autofree char *data = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (file, &data, &len, NULL));
      append_message (mbox, data, len, crlf);
    }
  return g_string_free_to_bytes (mbox);
}

static GBytes *
sample (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "input", name, NULL);
  char *data;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_bytes_new_take (data, len);
}

/* An mbox of n plain-text bounces, each naming lines recipients with two
 * codes apiece: enough of them pass the report's limits on recipients and
 * on findings. */
static GBytes *
many_codes_mbox (guint n,
                 guint lines)
{
  GString *mbox = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GString) message = g_string_new (NULL);

      g_string_append_printf (message,
                              "From: Mail Delivery System <MAILER-DAEMON@mx%u.example.net>\n"
                              "To: sender@example.org\n"
                              "Subject: Undelivered Mail Returned to Sender %u\n"
                              "Date: Sat, 05 Dec 2026 08:%02u:00 +0000\n\n"
                              "This is the mail system at host mx%u.example.net.\n\n"
                              "I'm sorry to have to inform you that your message could not\n"
                              "be delivered to one or more recipients.\n\n",
                              i, i, i % 60, i);
      for (guint j = 0; j < lines; j++)
        g_string_append_printf (message,
                                "<user%u-%u@dest.example.com>: host mx.dest.example.com[203.0.113.%u] "
                                "said: 550 5.1.1 User unknown (in reply to RCPT TO command)\n",
                                i, j, j % 250 + 1);
      append_message (mbox, message->str, message->len, FALSE);
    }
  return g_string_free_to_bytes (mbox);
}

/* ---- The reader ---- */

static void
check_reader (GBytes *bytes)
{
  g_autoptr(BounceInput) whole = bounce_input_new_from_bytes (bytes, NULL, NULL);
  g_autoptr(BounceInputReader) reader = bounce_input_reader_new (bytes, NULL);
  GPtrArray *messages = bounce_input_get_messages (whole);
  GPtrArray *segments = bounce_input_get_segments (whole);
  const char *text = bounce_input_get_text (whole);
  gsize base = 0;
  guint seg = 0;

  g_assert_nonnull (whole);
  g_assert_nonnull (reader);
  g_assert_cmpuint (messages->len, >, 1);
  g_assert_cmpuint (bounce_input_reader_get_n_messages (reader), ==, messages->len);

  for (guint i = 0; i < messages->len; i++)
    {
      g_autoptr(BounceInput) input = bounce_input_reader_next (reader);
      GPtrArray *own = NULL;
      BounceMessage *m = messages->pdata[i];
      BounceMessage *mine;
      gsize length;

      g_assert_nonnull (input);
      own = bounce_input_get_segments (input);
      length = bounce_input_get_text_length (input);
      /* Its text is its part of the whole text, blank line after it included. */
      g_assert_cmpuint (base + length, <=, bounce_input_get_text_length (whole));
      g_assert_true (memcmp (bounce_input_get_text (input), text + base, length) == 0);
      /* and its segments are the whole input's, moved to 0 */
      for (guint j = 0; j < own->len; j++, seg++)
        {
          BounceSegment *a = segments->pdata[seg];
          BounceSegment *b = own->pdata[j];

          g_assert_cmpuint (a->message_index, ==, i);
          g_assert_cmpuint (b->message_index, ==, 0);
          g_assert_cmpint (a->kind, ==, b->kind);
          g_assert_cmpuint (a->start, ==, b->start + base);
          g_assert_cmpuint (a->end, ==, b->end + base);
        }
      g_assert_cmpuint (bounce_input_get_messages (input)->len, ==, 1);
      mine = bounce_input_get_messages (input)->pdata[0];
      g_assert_cmpuint (mine->headers->len, ==, m->headers->len);
      g_assert_cmpstr (bounce_fields_lookup (mine->headers, "Subject"), ==,
                       bounce_fields_lookup (m->headers, "Subject"));
      g_assert_cmpuint (mine->dsn_groups->len, ==, m->dsn_groups->len);
      g_assert_cmpstr (mine->content_type, ==, m->content_type);
      base += length;
    }
  g_assert_null (bounce_input_reader_next (reader));
  g_assert_cmpuint (base, ==, bounce_input_get_text_length (whole));
  g_assert_cmpuint (seg, ==, segments->len);
  g_assert_true (bounce_input_get_is_message (bounce_input_reader_get_whole (reader)));
  g_assert_cmpint (bounce_input_get_repaired (bounce_input_reader_get_whole (reader)), ==,
                   bounce_input_get_repaired (whole));
}

static void
test_reader (void)
{
  g_autoptr(GBytes) two = sample ("two.mbox");
  g_autoptr(GBytes) corpus = corpus_mbox ("eml", FALSE);
  g_autoptr(GBytes) crlf = corpus_mbox ("eml", TRUE);
  g_autoptr(GBytes) others = corpus_mbox ("not-bounces", FALSE);

  check_reader (two);
  check_reader (corpus);
  check_reader (crlf);
  check_reader (others);
}

static void
test_reader_single (void)
{
  g_autoptr(GBytes) dsn = sample ("dsn.eml");
  g_autoptr(BounceInputReader) reader = bounce_input_reader_new (dsn, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) empty = g_bytes_new_static ("  \n", 3);

  g_assert_cmpuint (bounce_input_reader_get_n_messages (reader), ==, 1);
  g_assert_null (bounce_input_reader_new (empty, &error));
  g_assert_error (error, BOUNCE_ERROR, BOUNCE_ERROR_EMPTY);
}

/* ---- The analysis ---- */

typedef struct {
  GString *csv;
  guint n;
  GWeakRef previous;        /* the last message's report */
  GWeakRef previous_input;  /* and its input, with its text */
} Seen;

static void
on_message (BounceReport *message,
            gpointer      user_data)
{
  Seen *seen = user_data;
  g_autoptr(BounceReport) previous = g_weak_ref_get (&seen->previous);
  g_autoptr(BounceInput) previous_input = g_weak_ref_get (&seen->previous_input);
  g_autofree char *csv = bounce_report_to_csv (message, seen->n == 0);

  /* The message before this one is gone, text and all. */
  g_assert_null (previous);
  g_assert_null (previous_input);
  g_assert_cmpuint (bounce_report_get_message_index (message), ==, seen->n);
  g_weak_ref_set (&seen->previous, message);
  g_weak_ref_set (&seen->previous_input, bounce_report_get_input (message));
  g_string_append (seen->csv, csv);
  seen->n++;
}

static void
check_same_report (GBytes *bytes)
{
  g_autoptr(BounceReport) whole = bounce_analyze_bytes (bytes, "mbox", NULL, NULL);
  g_autoptr(BounceReport) report = NULL;
  g_autoptr(GString) csv = g_string_new (NULL);
  Seen seen = { csv, 0 };
  guint n_messages;

  g_weak_ref_init (&seen.previous, NULL);
  g_weak_ref_init (&seen.previous_input, NULL);
  report = bounce_analyze_bytes_by_message (g_bytes_ref (bytes), "mbox", NULL, on_message, &seen, NULL, NULL);
  g_assert_nonnull (whole);
  g_assert_nonnull (report);

  n_messages = g_list_model_get_n_items (bounce_report_get_message_reports (whole));
  if (n_messages > 0)
    {
      g_assert_cmpuint (seen.n, ==, n_messages);
      /* nothing of the messages is kept but what the JSON lists */
      g_assert_cmpuint (g_list_model_get_n_items (bounce_report_get_message_reports (report)), ==, 0);
      g_assert_cmpuint (bounce_report_get_n_message_summaries (report), ==, n_messages);
      g_assert_cmpuint (bounce_input_get_text_length (bounce_report_get_input (report)), ==, 0);
      g_assert_cmpuint (bounce_report_get_findings (report)->len, ==, bounce_report_get_codes (whole)->len);
    }
  else
    {
      g_autofree char *whole_csv = bounce_report_to_csv (report, TRUE);

      g_assert_cmpuint (seen.n, ==, 0);
      g_string_append (csv, whole_csv);
    }

  {
    g_autofree char *a = bounce_report_to_json (whole, FALSE);
    g_autofree char *b = bounce_report_to_json (report, FALSE);

    g_assert_cmpstr (a, ==, b);
  }
  {
    g_autofree char *a = bounce_report_to_json (whole, TRUE);
    g_autofree char *b = bounce_report_to_json (report, TRUE);

    g_assert_cmpstr (a, ==, b);
  }
  {
    g_autofree char *a = bounce_report_to_text (whole);
    g_autofree char *b = bounce_report_to_text (report);

    g_assert_cmpstr (a, ==, b);
  }
  {
    g_autofree char *a = bounce_report_to_csv (whole, TRUE);

    g_assert_cmpstr (a, ==, csv->str);
  }
  g_weak_ref_clear (&seen.previous);
  g_weak_ref_clear (&seen.previous_input);
}

static void
test_same_report (void)
{
  const char * const dirs[] = { "eml", "eml-cr", "eml-crlf", "not-bounces" };
  g_autoptr(GBytes) two = sample ("two.mbox");
  g_autoptr(GBytes) single = sample ("dsn.eml");

  check_same_report (two);
  check_same_report (single);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autoptr(GBytes) mbox = corpus_mbox (dirs[i], FALSE);
      g_autoptr(GBytes) crlf = corpus_mbox (dirs[i], TRUE);

      check_same_report (mbox);
      check_same_report (crlf);
    }
}

/* Past BOUNCE_MAX_RECIPIENTS and past the limit on findings. */
static void
test_same_report_limits (void)
{
  g_autoptr(GBytes) mbox = many_codes_mbox (30, 600);
  g_autoptr(BounceReport) report = bounce_analyze_bytes (mbox, "mbox", NULL, NULL);

  g_assert_cmpint (bounce_report_get_truncated (report), ==,
                   BOUNCE_TRUNCATED_RECIPIENTS | BOUNCE_TRUNCATED_CODES);
  check_same_report (mbox);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();

  g_test_add_func ("/by-message/reader", test_reader);
  g_test_add_func ("/by-message/reader-single", test_reader_single);
  g_test_add_func ("/by-message/same-report", test_same_report);
  g_test_add_func ("/by-message/same-report-limits", test_same_report_limits);

  return g_test_run ();
}
