/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bounce-core.h"

/* Prints how long each hostile input of test-hostile takes through the whole
 * analyser and the three output formats.  Not a pass/fail test: run it with
 * `meson test --benchmark`, or directly with an optional substring of the
 * case names as the only argument. */

typedef GString *(*MakeInput) (void);

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
make_normal (void)
{
  return g_string_new ("From: MAILER-DAEMON@mx.example.org\nTo: a@example.com\n"
                       "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
                       "Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n"
                       "--B\nContent-Type: text/plain\n\n"
                       "<b@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1\n"
                       "    <b@example.net>: Recipient address rejected: User unknown\n\n"
                       "--B\nContent-Type: message/delivery-status\n\n"
                       "Reporting-MTA: dns; mx.example.org\n\n"
                       "Final-Recipient: rfc822; b@example.net\nAction: failed\nStatus: 5.1.1\n"
                       "Diagnostic-Code: smtp; 550 5.1.1 <b@example.net>: User unknown\n\n--B--\n");
}

static GString *
make_binary (void)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
  GString *s = g_string_new_len (png, sizeof png - 1);
  guint32 x = 1;

  /* a 1 MB image body after the header */
  while (s->len < 1000 * 1000)
    {
      x = x * 1103515245 + 12345;
      g_string_append_c (s, (char) (x >> 16));
    }
  return s;
}

static GString *
make_invalid_utf8 (void)
{
  return repeat ("550 5.1.1 \xff\xfe\xc3\x28 User unknown \xed\xa0\x80 \x00\n", 5 * 1000 * 1000);
}

static GString *
make_digits_line (void)
{
  return repeat ("550.5.1.1@1.2.3.4 [", 10 * 1000 * 1000);
}

static GString *
make_at_line (void)
{
  return repeat ("@@@...@a.b@", 2 * 1000 * 1000);
}

static GString *
make_digit_dots (void)
{
  return repeat ("5.5.5.5.5.5.5.5.5.5.5.5.", 2 * 1000 * 1000);
}

static GString *
make_brackets (void)
{
  return repeat ("(<[\"'", 1000 * 1000);
}

static GString *
make_recipients_n (guint n)
{
  GString *s = g_string_new ("From: MAILER-DAEMON@mx.example.org\nTo: a@example.com\n"
                             "Subject: Undelivered Mail\nMIME-Version: 1.0\n"
                             "Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n"
                             "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "Final-Recipient: rfc822; user%u@example.net\nAction: failed\n"
                               "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 unknown\n\n", i);
  g_string_append (s, "--B--\n");
  return s;
}

static GString *
make_recipients (void)
{
  return make_recipients_n (5000);
}

static GString *
make_recipients_50000 (void)
{
  return make_recipients_n (50000);
}

static GString *
make_folded (void)
{
  GString *s = g_string_new ("From: MAILER-DAEMON@mx.example.org\nSubject: x\nX-Long: a\n");

  for (guint i = 0; i < 100000; i++)
    g_string_append (s, " continued\n");
  g_string_append (s, "\nbody\n");
  return s;
}

/* A bounce that passed 60,000 relays: one Received line each. */
static GString *
make_received (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < 60000; i++)
    g_string_append_printf (s, "Received: from relay%u.example.org by mx.example.net (Postfix) with ESMTP id X%u\n",
                            i, i);
  g_string_append (s, "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered\n\n"
                      "<bob@example.net>: host mx.example.net said: 550 5.1.1 User unknown\n");
  return s;
}

static GString *
make_long_address (void)
{
  GString *s = g_string_new ("550 5.1.1 <");

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (s, 'x');
  g_string_append (s, "@example.net>: User unknown\n");
  return s;
}

static GString *
make_mbox (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (s, "From MAILER-DAEMON Thu Jul  2 12:05:%02u 2020\n"
                               "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered\n\n"
                               "<u%u@example.net>: 550 5.1.1 User unknown\n\n", i % 60, i);
  return s;
}

static GString *
make_mbox_blocked (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < 60000; i++)
    g_string_append_printf (s, "From MAILER-DAEMON Thu Jul  2 12:05:00 2020\n"
                               "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered\n\n"
                               "<u%u@example.net>: 550 5.7.1 blocked, client 8.%u.%u.1 listed in "
                               "zen.spamhaus.org\n\n", i, i / 256 % 256, i % 256);
  return s;
}

static GString *
make_ips (void)
{
  GString *s = g_string_new ("<b@example.net>: host mx[192.0.2.1] said: 550 5.7.1 blocked using "
                             "zen.spamhaus.org\n");

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (s, "client %u.%u.%u.9 listed\n", 11 + i / 65536, i / 256 % 256, i % 256);
  return s;
}

static GString *
make_nested (void)
{
  GString *s = g_string_new ("From: a@example.com\nMIME-Version: 1.0\n"
                             "Content-Type: multipart/mixed; boundary=b0\n\n");

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (s, "--b%u\nContent-Type: multipart/mixed; boundary=b%u\n\n", i, i + 1);
  return s;
}

static GString *
make_base64_garbage (void)
{
  GString *s = g_string_new ("From: MAILER-DAEMON@mx.example.org\nMIME-Version: 1.0\n"
                             "Content-Type: multipart/report; report-type=delivery-status; boundary=\"X\"\n\n"
                             "--X\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n");
  GString *garbage = repeat ("!!!not*base64***QUJD\n", 2 * 1000 * 1000);

  g_string_append_len (s, garbage->str, garbage->len);
  g_string_free (garbage, TRUE);
  g_string_append (s, "--X\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@exa");
  return s;
}

static GString *
make_20mb (void)
{
  return repeat ("<b@example.net>: host mx[192.0.2.1] said: 550 5.7.1 blocked using zen.spamhaus.org\n",
                 20 * 1000 * 1000);
}

static GString *
make_20mb_message (void)
{
  GString *s = g_string_new ("From: MAILER-DAEMON@mx.example.org\nTo: a@example.com\n"
                             "Subject: Undelivered Mail Returned to Sender\n\n");
  GString *body = repeat ("This is the mail system at host mx.example.org. I'm sorry to have to "
                          "inform you that your message could not be delivered to one or more "
                          "recipients: 550 5.1.1 <user@example.net> User unknown; see "
                          "https://support.example.com/smtp/550?code=5.1.1&x=1\n",
                          20 * 1000 * 1000);

  g_string_append_len (s, body->str, body->len);
  g_string_free (body, TRUE);
  return s;
}

static const struct {
  const char *name;
  MakeInput make;
} cases[] = {
  { "normal-bounce", make_normal },
  { "binary-1mb", make_binary },
  { "invalid-utf8-nul-5mb", make_invalid_utf8 },
  { "digits-at-line-10mb", make_digits_line },
  { "at-dots-line-2mb", make_at_line },
  { "digit-dots-line-2mb", make_digit_dots },
  { "nested-brackets-5mb", make_brackets },
  { "recipients-5000", make_recipients },
  { "recipients-50000", make_recipients_50000 },
  { "folded-100000", make_folded },
  { "received-60000", make_received },
  { "address-10000", make_long_address },
  { "mbox-2000", make_mbox },
  { "mbox-blocked-60000", make_mbox_blocked },
  { "public-ips-200000", make_ips },
  { "multipart-nested-1000", make_nested },
  { "base64-garbage-2mb", make_base64_garbage },
  { "bounce-text-20mb", make_20mb },
  { "message-body-20mb", make_20mb_message },
};

int
main (int argc, char **argv)
{
  const char *only = argc > 1 ? argv[1] : NULL;
  double worst = 0;
  const char *worst_name = "";

  bounce_core_init ();
  bounce_catalogue_get_default ();

  printf ("%-24s %10s %10s %10s  %s\n", "input", "bytes", "analyse s", "output s", "result");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(BounceReport) report = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GTimer) timer = NULL;
      double analyse, output = 0;
      gsize size;

      if (only != NULL && strstr (cases[i].name, only) == NULL)
        continue;

      bytes = g_string_free_to_bytes (cases[i].make ());
      size = g_bytes_get_size (bytes);
      timer = g_timer_new ();
      report = bounce_analyze_bytes (bytes, cases[i].name, NULL, &error);
      analyse = g_timer_elapsed (timer, NULL);
      if (report != NULL)
        {
          g_autofree char *json = NULL;
          g_autofree char *text = NULL;
          g_autofree char *summary = NULL;

          g_timer_start (timer);
          json = bounce_report_to_json (report, FALSE);
          text = bounce_report_to_text (report);
          summary = bounce_report_to_summary (report);
          output = g_timer_elapsed (timer, NULL);
        }
      printf ("%-24s %10" G_GSIZE_FORMAT " %10.3f %10.3f  %s\n", cases[i].name, size,
              analyse, output, report != NULL ? "report" : error->message);
      fflush (stdout);
      if (analyse + output > worst)
        {
          worst = analyse + output;
          worst_name = cases[i].name;
        }
    }
  printf ("slowest: %s, %.3f s\n", worst_name, worst);
  return 0;
}
