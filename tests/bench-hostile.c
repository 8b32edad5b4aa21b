/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bounce-core.h"

/* Time and peak memory of every family of hostile input (those of
 * test-hostile and the robustness run of issue 16), each at three sizes
 * (x1, x2, x4), through reading, the whole analyser and the three output
 * formats.  Each case runs in a child process of its own, so that its
 * peak memory (getrusage of the child) is its own.  The last columns
 * compare x4 with x1: time growing about 4x is linear, memory that stops
 * growing is bounded.
 *
 * Not a pass/fail test: run it with `meson test --benchmark`, or directly
 * with an optional substring of the family names as the only argument. */

typedef GString *(*MakeInput) (guint scale);

static GString *
repeat (const char *piece,
        gsize       total)
{
  GString *s = g_string_sized_new (total + strlen (piece));

  while (s->len < total)
    g_string_append (s, piece);
  return s;
}

static GString *
make_normal (guint scale)
{
  GString *s = g_string_new (NULL);

  /* the same small bounce, scale times in an mbox */
  for (guint i = 0; i < scale; i++)
    g_string_append (s, "From MAILER-DAEMON Thu Jul  2 12:05:00 2020\n"
                        "From: MAILER-DAEMON@mx.example.org\nTo: a@example.com\n"
                        "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
                        "Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n"
                        "--B\nContent-Type: text/plain\n\n"
                        "<b@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1\n"
                        "    <b@example.net>: Recipient address rejected: User unknown\n\n"
                        "--B\nContent-Type: message/delivery-status\n\n"
                        "Reporting-MTA: dns; mx.example.org\n\n"
                        "Final-Recipient: rfc822; b@example.net\nAction: failed\nStatus: 5.1.1\n"
                        "Diagnostic-Code: smtp; 550 5.1.1 <b@example.net>: User unknown\n\n--B--\n\n");
  return s;
}

static GString *
make_binary (guint scale)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
  GString *s = g_string_new_len (png, sizeof png - 1);
  guint32 x = 1;

  while (s->len < scale * 1000 * 1000)
    {
      x = x * 1103515245 + 12345;
      g_string_append_c (s, (char) (x >> 16));
    }
  return s;
}

static GString *
make_invalid_utf8 (guint scale)
{
  return repeat ("550 5.1.1 \xff\xfe\xc3\x28 User unknown \xed\xa0\x80 \x00\n", scale * 1000 * 1000);
}

/* A bounce followed by NUL padding: analysed, not refused. */
static GString *
make_nul_padding (guint scale)
{
  GString *s = g_string_new ("From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail\n\n"
                             "<bob@example.net>: host mx.example.net[192.0.2.7] said: 550 5.1.1 User unknown\n");
  gsize start = s->len;

  g_string_set_size (s, start + scale * 1000 * 1000);
  memset (s->str + start, 0, s->len - start);
  return s;
}

static GString *
make_digits_line (guint scale)
{
  return repeat ("550.5.1.1@1.2.3.4 [", scale * 2 * 1000 * 1000);
}

static GString *
make_at_line (guint scale)
{
  return repeat ("@@@...@a.b@", scale * 1000 * 1000);
}

static GString *
make_digit_dots (guint scale)
{
  return repeat ("5.5.5.5.5.5.5.5.5.5.5.5.", scale * 1000 * 1000);
}

static GString *
make_brackets (guint scale)
{
  return repeat ("(<[\"'", scale * 1000 * 1000);
}

static GString *
make_dsn_recipients (guint scale)
{
  GString *s = g_string_new ("From: MAILER-DAEMON@mx.example.org\nTo: a@example.com\n"
                             "Subject: Undelivered Mail\nMIME-Version: 1.0\n"
                             "Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n"
                             "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\n");

  for (guint i = 0; i < scale * 25000; i++)
    g_string_append_printf (s, "Final-Recipient: rfc822; user%u@example.net\nAction: failed\n"
                               "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 unknown\n\n", i);
  g_string_append (s, "--B--\n");
  return s;
}

/* Plain-text lists, past the notification limit. */
static GString *
make_postfix_list (guint scale)
{
  GString *s = g_string_new ("From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\nTo: a@example.com\n"
                             "Subject: Undelivered Mail Returned to Sender\n\n"
                             "This is the mail system at host mx.example.org.\n\n");

  for (guint i = 0; i < scale * 2500; i++)
    g_string_append_printf (s, "<user%u@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1\n"
                               "    <user%u@example.net>: Recipient address rejected: User unknown (in\n"
                               "    reply to RCPT TO command)\n\n", i, i);
  return s;
}

static GString *
make_exim_list (guint scale)
{
  GString *s = g_string_new ("From: Mail Delivery System <Mailer-Daemon@mx.example.org>\nTo: a@example.com\n"
                             "Subject: Mail delivery failed: returning message to sender\n\n"
                             "This message was created automatically by mail delivery software.\n\n"
                             "A message that you sent could not be delivered to one or more of its\n"
                             "recipients. This is a permanent error. The following address(es) failed:\n\n");

  for (guint i = 0; i < scale * 2500; i++)
    g_string_append_printf (s, "  user%u@example.net\n    host mx.example.net [192.0.2.1]\n"
                               "    SMTP error from remote mail server after RCPT TO:<user%u@example.net>:\n"
                               "    550 5.1.1 User unknown\n", i, i);
  return s;
}

/* Exim's list of file deliveries whose addresses only its
 * X-Failed-Recipients header gives. */
static GString *
make_exim_local (guint scale)
{
  GString *s = g_string_new ("X-Failed-Recipients: ");
  guint n = scale * 2500;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%su%u@example.net", i > 0 ? ", " : "", i);
  g_string_append (s, "\nFrom: Mailer-Daemon@mx.example.org\nSubject: Mail delivery failed\n\n"
                      "This message was created automatically by mail delivery software.\n\n"
                      "The following address(es) failed:\n\n");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "  save to /var/mail/u%u\n    generated by u%u\n    mailbox is full\n", i, i);
  return s;
}

/* One header folded over many lines (quadratic in GMime's parser). */
static GString *
make_folded (guint scale)
{
  GString *s = g_string_new ("From: MAILER-DAEMON@mx.example.org\nSubject: x\nX-Long: a\n");

  for (guint i = 0; i < scale * 50000; i++)
    g_string_append (s, " continued\n");
  g_string_append (s, "\nbody\n");
  return s;
}

static GString *
make_long_header_line (guint scale)
{
  GString *s = g_string_new ("From: MAILER-DAEMON@mx.example.org\nSubject: x\nX-Long: ");
  GString *line = repeat ("a", scale * 500 * 1000);

  g_string_append_len (s, line->str, line->len);
  g_string_free (line, TRUE);
  g_string_append (s, "\n\nbody\n");
  return s;
}

/* A bounce that passed many relays: one Received line each. */
static GString *
make_received (guint scale)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < scale * 15000; i++)
    g_string_append_printf (s, "Received: from relay%u.example.org by mx.example.net (Postfix) with ESMTP id X%u\n",
                            i, i);
  g_string_append (s, "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered\n\n"
                      "<bob@example.net>: host mx.example.net said: 550 5.1.1 User unknown\n");
  return s;
}

static GString *
make_long_address (guint scale)
{
  GString *s = g_string_new ("550 5.1.1 <");

  for (guint i = 0; i < scale * 5000; i++)
    g_string_append_c (s, 'x');
  g_string_append (s, "@example.net>: User unknown\n");
  return s;
}

static GString *
make_mbox (guint scale)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < scale * 15000; i++)
    g_string_append_printf (s, "From MAILER-DAEMON Thu Jul  2 12:05:00 2020\n"
                               "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered\n\n"
                               "<u%u@example.net>: 550 5.7.1 blocked, client 8.%u.%u.1 listed in "
                               "zen.spamhaus.org\n\n", i, i / 256 % 256, i % 256);
  return s;
}

static GString *
make_ips (guint scale)
{
  GString *s = g_string_new ("<b@example.net>: host mx[192.0.2.1] said: 550 5.7.1 blocked using "
                             "zen.spamhaus.org\n");

  for (guint i = 0; i < scale * 50000; i++)
    g_string_append_printf (s, "client %u.%u.%u.9 listed\n", 11 + i / 65536, i / 256 % 256, i % 256);
  return s;
}

static GString *
make_nested (guint scale)
{
  GString *s = g_string_new ("From: a@example.com\nMIME-Version: 1.0\n"
                             "Content-Type: multipart/mixed; boundary=b0\n\n");

  for (guint i = 0; i < scale * 500; i++)
    g_string_append_printf (s, "--b%u\nContent-Type: multipart/mixed; boundary=b%u\n\n", i, i + 1);
  return s;
}

static GString *
make_base64_garbage (guint scale)
{
  GString *s = g_string_new ("From: MAILER-DAEMON@mx.example.org\nMIME-Version: 1.0\n"
                             "Content-Type: multipart/report; report-type=delivery-status; boundary=\"X\"\n\n"
                             "--X\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n");
  GString *garbage = repeat ("!!!not*base64***QUJD\n", scale * 1000 * 1000);

  g_string_append_len (s, garbage->str, garbage->len);
  g_string_free (garbage, TRUE);
  g_string_append (s, "--X\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@exa");
  return s;
}

static GString *
make_bounce_text (guint scale)
{
  return repeat ("<b@example.net>: host mx[192.0.2.1] said: 550 5.7.1 blocked using zen.spamhaus.org\n",
                 scale * 5 * 1000 * 1000);
}

static GString *
make_message_body (guint scale)
{
  GString *s = g_string_new ("From: MAILER-DAEMON@mx.example.org\nTo: a@example.com\n"
                             "Subject: Undelivered Mail Returned to Sender\n\n");
  GString *body = repeat ("This is the mail system at host mx.example.org. I'm sorry to have to "
                          "inform you that your message could not be delivered to one or more "
                          "recipients: 550 5.1.1 <user@example.net> User unknown; see "
                          "https://support.example.com/smtp/550?code=5.1.1&x=1\n",
                          scale * 5 * 1000 * 1000);

  g_string_append_len (s, body->str, body->len);
  g_string_free (body, TRUE);
  return s;
}

static const struct {
  const char *name;
  MakeInput make;
} families[] = {
  { "normal-bounces", make_normal },
  { "binary", make_binary },
  { "invalid-utf8-nul", make_invalid_utf8 },
  { "nul-padding", make_nul_padding },
  { "digits-at-line", make_digits_line },
  { "at-dots-line", make_at_line },
  { "digit-dots-line", make_digit_dots },
  { "nested-brackets", make_brackets },
  { "dsn-recipients", make_dsn_recipients },
  { "postfix-text-list", make_postfix_list },
  { "exim-text-list", make_exim_list },
  { "exim-local", make_exim_local },
  { "folded-header", make_folded },
  { "long-header-line", make_long_header_line },
  { "received-lines", make_received },
  { "long-address", make_long_address },
  { "mbox-blocked", make_mbox },
  { "public-ips", make_ips },
  { "multipart-nested", make_nested },
  { "base64-garbage", make_base64_garbage },
  { "bounce-text", make_bounce_text },
  { "message-body", make_message_body },
};

typedef struct {
  double seconds;
  double peak_mib;
  double input_mib;
  gsize bytes;
  char result[80];
} Measure;

static double
now (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

/* In the child: build the input, analyse it, write the outputs. */
static void
run_case (MakeInput  make,
          guint      scale,
          Measure   *m)
{
  g_autoptr(GBytes) bytes = g_string_free_to_bytes (make (scale));
  g_autoptr(BounceReport) report = NULL;
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  double start;

  getrusage (RUSAGE_SELF, &usage);
  m->input_mib = usage.ru_maxrss / 1024.0;
  m->bytes = g_bytes_get_size (bytes);
  start = now ();
  report = bounce_analyze_bytes (bytes, "bench", NULL, &error);
  if (report != NULL)
    {
      g_autofree char *json = bounce_report_to_json (report, FALSE);
      g_autofree char *text = bounce_report_to_text (report);
      g_autofree char *summary = bounce_report_to_summary (report);
      BounceTruncated truncated = bounce_report_get_truncated (report);

      g_snprintf (m->result, sizeof m->result, "%u recipients%s%s",
                  g_list_model_get_n_items (bounce_report_get_recipients (report)),
                  (truncated & BOUNCE_TRUNCATED_RECIPIENTS) ? ", cut" : "",
                  (truncated & BOUNCE_TRUNCATED_CODES) ? ", codes cut" : "");
    }
  else
    g_snprintf (m->result, sizeof m->result, "refused: %s",
                g_error_matches (error, BOUNCE_ERROR, BOUNCE_ERROR_BINARY) ? "binary" :
                g_error_matches (error, BOUNCE_ERROR, BOUNCE_ERROR_TOO_LARGE) ? "too large" : "other");
  m->seconds = now () - start;
}

static gboolean
measure (MakeInput  make,
         guint      scale,
         Measure   *m)
{
  int fds[2];
  pid_t pid;
  struct rusage usage;
  int status;

  if (pipe (fds) != 0)
    return FALSE;
  fflush (stdout);
  pid = fork ();
  if (pid == 0)
    {
      Measure child = { 0 };

      close (fds[0]);
      run_case (make, scale, &child);
      if (write (fds[1], &child, sizeof child) != sizeof child)
        _exit (1);
      _exit (0);
    }
  close (fds[1]);
  memset (m, 0, sizeof *m);
  if (read (fds[0], m, sizeof *m) != sizeof *m)
    g_strlcpy (m->result, "child failed", sizeof m->result);
  close (fds[0]);
  if (wait4 (pid, &status, 0, &usage) < 0)
    return FALSE;
  m->peak_mib = usage.ru_maxrss / 1024.0;
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

/* The reading path: a source that never ends stops at the limit. */
static void
measure_unbounded (void)
{
  g_autoptr(GFile) zero = g_file_new_for_path ("/dev/zero");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  struct rusage before, after;
  double start;

  getrusage (RUSAGE_SELF, &before);
  start = now ();
  bytes = bounce_input_read_file (zero, NULL, &error);
  getrusage (RUSAGE_SELF, &after);
  printf ("%-18s %5s %10s %9.3f %9.1f  %s\n", "read-/dev/zero", "-", "endless", now () - start,
          (after.ru_maxrss - before.ru_maxrss) / 1024.0,
          g_error_matches (error, BOUNCE_ERROR, BOUNCE_ERROR_TOO_LARGE) ? "refused at the limit" : "NOT REFUSED");
}

int
main (int argc, char **argv)
{
  const char *only = argc > 1 ? argv[1] : NULL;
  static const guint scales[] = { 1, 2, 4 };

  bounce_core_init ();
  bounce_catalogue_get_default ();

  printf ("%-18s %5s %10s %9s %9s  %s\n", "family", "size", "bytes", "seconds", "peak MiB", "result");
  for (gsize i = 0; i < G_N_ELEMENTS (families); i++)
    {
      Measure m[G_N_ELEMENTS (scales)];

      if (only != NULL && strstr (families[i].name, only) == NULL)
        continue;
      for (gsize j = 0; j < G_N_ELEMENTS (scales); j++)
        {
          measure (families[i].make, scales[j], &m[j]);
          printf ("%-18s %4ux %10" G_GSIZE_FORMAT " %9.3f %9.1f  %s\n", families[i].name, scales[j],
                  m[j].bytes, m[j].seconds, m[j].peak_mib, m[j].result);
        }
      /* x4 against x1: 4.0 is linear; memory beyond the input's own is what
       * the analysis holds. */
      printf ("%-18s %5s %10s %8.1fx %8.1fx  (x4 / x1; analysis memory %.1f -> %.1f MiB over the input)\n",
              "", "", "", m[0].seconds > 0.0005 ? m[2].seconds / m[0].seconds : 0.0,
              m[0].peak_mib > 0 ? m[2].peak_mib / m[0].peak_mib : 0.0,
              m[0].peak_mib - m[0].input_mib, m[2].peak_mib - m[2].input_mib);
      fflush (stdout);
    }
  if (only == NULL || strstr ("read-/dev/zero", only) != NULL)
    measure_unbounded ();
  return 0;
}
