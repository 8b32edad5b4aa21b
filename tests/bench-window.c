/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "bounce-application.h"
#include "bounce-window.h"

/* Prints two figures for the window:
 *
 * 1. Time to first frame of the real application against a bare
 *    AdwApplicationWindow program (bench-window-bare), each started as a
 *    new process several times in this run; medians and their ratio.
 * 2. The longest main-loop stall while a 20 MB message is opened and
 *    analysed: a high-priority 1 ms timer records the longest gap between
 *    its runs, from the open until the text view has settled.
 *
 * Usage: bench-window BARE-PROGRAM   (needs a display, e.g. xvfb-run)
 *        bench-window --child        (internal: the app to first frame) */

#define ROUNDS 7

static void
on_after_paint (GdkFrameClock *clock,
                GApplication  *app)
{
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, app);
  printf ("first-frame\n");
  fflush (stdout);
  g_application_quit (app);
}

static void
on_map (GtkWidget    *window,
        GApplication *app)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), app);
}

static void
on_window_added (GtkApplication *app,
                 GtkWindow      *window)
{
  g_signal_connect (window, "map", G_CALLBACK (on_map), app);
}

static int
run_child (void)
{
  g_autoptr(BounceApplication) app = bounce_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  char *argv[] = { (char *) "bounce-assistant", NULL };

  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}

static double
time_to_first_frame (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  gint64 start = g_get_monotonic_time ();
  double elapsed;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  elapsed = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_no_error (error);
  if (g_strcmp0 (line, "first-frame") != 0)
    g_error ("%s printed no first frame", argv[0]);
  g_subprocess_wait (proc, NULL, NULL);
  return elapsed;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef struct {
  gint64 last;
  gint64 longest;
} Stall;

static gboolean
stall_tick (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0 && now - stall->last > stall->longest)
    stall->longest = now - stall->last;
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

static void
measure_stall (void)
{
  g_autoptr(BounceApplication) app = bounce_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bounce-bench-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "big.eml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GString) big = g_string_new (NULL);
  BounceWindow *win;
  Stall stall = { 0 };
  guint tick;
  gint64 start, done, settle_until;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_string_append (big,
                   "From: MAILER-DAEMON@mail.example.com\nTo: t.nguyen@example.com\n"
                   "Subject: Undelivered Mail Returned to Sender\n\n"
                   "<j.doe@example.net>: host mx1.example.net[192.0.2.25] said: 554 5.7.1\n"
                   "    Service unavailable; Client host [203.0.113.45] blocked using\n"
                   "    zen.spamhaus.org (in reply to RCPT TO command)\n\n");
  while (big->len < 20 * 1024 * 1024)
    g_string_append (big, "Quarterly figures 2026, see attachment 4.2 and table 550 on page 12.\n");
  g_file_set_contents (path, big->str, big->len, &error);
  g_assert_no_error (error);

  win = g_object_new (BOUNCE_TYPE_WINDOW, "application", app, NULL);
  gtk_window_present (GTK_WINDOW (win));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));

  tick = g_timeout_add_full (G_PRIORITY_HIGH, 1, stall_tick, &stall, NULL);
  start = g_get_monotonic_time ();
  bounce_window_open_file (win, file);
  while (bounce_window_get_busy (win) || bounce_window_get_report (win) == NULL)
    g_main_context_iteration (NULL, TRUE);
  done = g_get_monotonic_time ();

  /* The text view lays the shown text out in idle chunks afterwards. */
  settle_until = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < settle_until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  printf ("20 MB message: opened and analysed in %.0f ms; shown %d characters\n",
          (done - start) / 1000.0,
          gtk_text_buffer_get_char_count (bounce_input_view_get_buffer (bounce_window_get_input_view (win))));
  printf ("longest main-loop stall while opening, analysing and showing it: %.1f ms\n",
          stall.longest / 1000.0);

  gtk_window_destroy (GTK_WINDOW (win));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  double bare[ROUNDS], real[ROUNDS];
  g_autofree char *self = NULL;

  if (argc > 1 && g_str_equal (argv[1], "--child"))
    return run_child ();

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      printf ("bench-window: skipped, no display (run under xvfb-run)\n");
      return 0;
    }
  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-window BARE-PROGRAM\n");
      return 2;
    }

  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self == NULL)
    self = g_strdup (argv[0]);

  for (guint i = 0; i < ROUNDS; i++)
    {
      const char *bare_argv[] = { argv[1], NULL };
      const char *real_argv[] = { self, "--child", NULL };

      /* Interleaved, so both see the same machine state. */
      bare[i] = time_to_first_frame (bare_argv);
      real[i] = time_to_first_frame (real_argv);
    }
  qsort (bare, ROUNDS, sizeof (double), compare_doubles);
  qsort (real, ROUNDS, sizeof (double), compare_doubles);

  printf ("time to first frame, median of %d starts: Bounce Assistant %.0f ms, bare AdwApplicationWindow %.0f ms, ratio %.2f\n",
          ROUNDS, real[ROUNDS / 2], bare[ROUNDS / 2], real[ROUNDS / 2] / bare[ROUNDS / 2]);

  gtk_init ();
  measure_stall ();
  return 0;
}
