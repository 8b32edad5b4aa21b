/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE  /* (RUSAGE_THREAD) */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bounce-application.h"
#include "bounce-catalogue-window.h"
#include "bounce-window.h"

/* Prints the window's figures; a benchmark, not a test (it never fails on
 * a figure):
 *
 * 1. Time to first frame of the real application against a bare
 *    AdwApplicationWindow program (bench-window-bare), each started as a
 *    new process, interleaved, several times in this run: medians of the
 *    wall time and of the CPU time each process used until its first
 *    frame (the CPU time hardly depends on how busy the machine is).
 * 2. The longest main-loop stall while a 20 MB message is opened (and
 *    analysed and shown), and while 20 MB of text are pasted: a
 *    high-priority 1 ms timer records the longest gap between its runs,
 *    and the main thread's CPU time within that gap.
 * 3. The code catalogue's search, typed a character at a time: from each
 *    keystroke until its results (the list and, side by side, the first
 *    entry) are on screen, and whether an entry of an older query was ever
 *    on screen.
 *
 * Output: lines "name<TAB>value<TAB>unit", comments start with "#".
 *
 * Usage: bench-window [--quick] [--verbose] [--only first-frame|search|stalls] BARE-PROGRAM
 *          (needs a display, e.g. xvfb-run)
 *        bench-window --child   (internal: the app to first frame) */

#define STARTS 9
#define LOAD_ROUNDS 3
#define QUICK_STARTS 3
#define QUICK_LOAD_ROUNDS 1
#define BIG_SIZE (20 * 1024 * 1024)

static const char * const queries[] = {
  "mailbox full",
  "5.7.1",
  "spamhaus zen",
  "access denied",
  "TSS04",
};

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static double
process_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Page faults of the main thread so far (fresh memory touched). */
static long
thread_faults (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);
  return usage.ru_minflt + usage.ru_majflt;
}

static double
wall_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
figure (const char *name,
        double      value,
        const char *unit)
{
  printf ("%s\t%.2f\t%s\n", name, value, unit);
  fflush (stdout);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  if (values->len == 0)
    return 0;
  if (values->len % 2 == 1)
    return g_array_index (values, double, values->len / 2);
  return (g_array_index (values, double, values->len / 2 - 1)
          + g_array_index (values, double, values->len / 2)) / 2;
}

static double
maximum (GArray *values)
{
  double max = 0;

  for (guint i = 0; i < values->len; i++)
    max = MAX (max, g_array_index (values, double, i));
  return max;
}

static gboolean verbose;

/* 1. First frame --------------------------------------------------------- */

static void
on_after_paint (GdkFrameClock *clock,
                GApplication  *app)
{
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, app);
  printf ("first-frame %.3f\n", process_cpu_ms ());
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

/* Starts a program that prints "first-frame CPU-MS" once its first frame
 * is painted; returns the wall time until then and sets *cpu. */
static double
time_to_first_frame (const char * const *argv,
                     const char         *state_dir,
                     double             *cpu)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  double start = wall_ms ();
  double elapsed;

  /* No last message to restore: the empty window, as on a first start. */
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state_dir, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  elapsed = wall_ms () - start;
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "first-frame "))
    g_error ("%s printed no first frame", argv[0]);
  *cpu = g_ascii_strtod (line + strlen ("first-frame "), NULL);
  g_subprocess_wait (proc, NULL, NULL);
  return elapsed;
}

static void
measure_first_frame (const char *bare_program,
                     const char *self,
                     guint       starts)
{
  g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) real = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) real_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *state_dir = g_dir_make_tmp ("bounce-bench-state-XXXXXX", &error);
  double b, r, bc, rc;

  g_assert_no_error (error);
  for (guint i = 0; i < starts; i++)
    {
      const char *bare_argv[] = { bare_program, NULL };
      const char *real_argv[] = { self, "--child", NULL };
      double wall, cpu;

      /* Interleaved, so both see the same machine. */
      wall = time_to_first_frame (bare_argv, state_dir, &cpu);
      g_array_append_val (bare, wall);
      g_array_append_val (bare_cpu, cpu);
      wall = time_to_first_frame (real_argv, state_dir, &cpu);
      g_array_append_val (real, wall);
      g_array_append_val (real_cpu, cpu);
    }
  g_rmdir (state_dir);

  b = median (bare), r = median (real), bc = median (bare_cpu), rc = median (real_cpu);
  printf ("# first frame: medians of %u starts each, interleaved\n", starts);
  figure ("first_frame_bare_ms", b, "ms");
  figure ("first_frame_app_ms", r, "ms");
  figure ("first_frame_ratio", r / b, "x");
  figure ("first_frame_bare_cpu_ms", bc, "ms");
  figure ("first_frame_app_cpu_ms", rc, "ms");
  figure ("first_frame_cpu_ratio", rc / bc, "x");
}

/* 2. Main-loop stalls ---------------------------------------------------- */

typedef struct {
  double last_wall;
  double last_cpu;
  double longest;       /* wall ms */
  double longest_cpu;   /* main-thread CPU ms within the longest gap */
  double most_cpu;      /* most main-thread CPU ms within any gap */
  double most_cpu_at;   /* when that gap ended (monotonic ms) */
  double most_cpu_wall; /* its wall ms */
} Stall;

static gboolean
stall_tick (gpointer data)
{
  Stall *stall = data;
  double now = wall_ms (), cpu = thread_cpu_ms ();

  if (stall->last_wall != 0)
    {
      if (now - stall->last_wall > stall->longest)
        {
          stall->longest = now - stall->last_wall;
          stall->longest_cpu = cpu - stall->last_cpu;
        }
      /* (--verbose: every gap with much CPU, to tell the turns apart) */
      if (verbose && cpu - stall->last_cpu >= 10)
        printf ("#     a gap with %.1f ms of CPU ended at %.6f s (monotonic), %.1f ms long\n",
                cpu - stall->last_cpu, now / 1000, now - stall->last_wall);
      if (cpu - stall->last_cpu > stall->most_cpu)
        {
          stall->most_cpu = cpu - stall->last_cpu;
          stall->most_cpu_at = now;
          stall->most_cpu_wall = now - stall->last_wall;
        }
    }
  stall->last_wall = now;
  stall->last_cpu = thread_cpu_ms ();
  return G_SOURCE_CONTINUE;
}

static void
on_spun (gpointer data)
{
  *(gboolean *) data = TRUE;
}

/* Runs the main loop for this long. */
static void
spin_for (double ms)
{
  gboolean done = FALSE;

  g_timeout_add_once (MAX (1, (guint) ms), on_spun, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static char *
make_big_message (gsize *length)
{
  GString *big = g_string_new (NULL);

  g_string_append (big,
                   "From: MAILER-DAEMON@mail.example.com\nTo: t.nguyen@example.com\n"
                   "Subject: Undelivered Mail Returned to Sender\n\n"
                   "<j.doe@example.net>: host mx1.example.net[192.0.2.25] said: 554 5.7.1\n"
                   "    Service unavailable; Client host [203.0.113.45] blocked using\n"
                   "    zen.spamhaus.org (in reply to RCPT TO command)\n\n");
  while (big->len < BIG_SIZE)
    g_string_append (big, "Quarterly figures 2026, see attachment 4.2 and table 550 on page 12.\n");
  *length = big->len;
  return g_string_free (big, FALSE);
}

typedef enum {
  LOAD_OPEN,
  LOAD_PASTE,
} LoadKind;

/* Opens or pastes the message in a new window; returns the wall time
 * until the verdict is there and fills *stall (the text view then lays
 * out the shown text for a second more, which counts too). */
static double
load_big (BounceApplication *app,
          GFile             *file,
          const char        *text,
          LoadKind           kind,
          Stall             *stall)
{
  BounceWindow *win = g_object_new (BOUNCE_TYPE_WINDOW, "application", app, NULL);
  guint tick;
  double start, done;

  gtk_window_present (GTK_WINDOW (win));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  spin_for (200);

  if (kind == LOAD_PASTE)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (win)), text);

  memset (stall, 0, sizeof *stall);
  tick = g_timeout_add_full (G_PRIORITY_HIGH, 1, stall_tick, stall, NULL);
  start = wall_ms ();
  if (kind == LOAD_OPEN)
    bounce_window_open_file (win, file);
  else
    gtk_widget_activate_action (GTK_WIDGET (win), "win.paste", NULL);
  /* The paste reads the clipboard first: wait until it is busy. */
  while (!bounce_window_get_busy (win) && bounce_window_get_report (win) == NULL)
    g_main_context_iteration (NULL, TRUE);
  while (bounce_window_get_busy (win) || bounce_window_get_report (win) == NULL)
    g_main_context_iteration (NULL, TRUE);
  done = wall_ms ();
  spin_for (1000);
  g_source_remove (tick);

  if (g_strcmp0 (bounce_window_get_page (win), "report") != 0)
    g_error ("the 20 MB message shows the page %s, not its report", bounce_window_get_page (win));

  gtk_window_destroy (GTK_WINDOW (win));
  spin_for (100);
  return done - start;
}

static void
measure_stalls (guint rounds)
{
  g_autoptr(BounceApplication) app = bounce_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bounce-bench-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "big.eml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *big = NULL;
  gsize length;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  big = make_big_message (&length);
  g_file_set_contents (path, big, length, &error);
  g_assert_no_error (error);

  for (LoadKind kind = LOAD_OPEN; kind <= LOAD_PASTE; kind++)
    {
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) stalls = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) stall_cpus = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) most_cpus = g_array_new (FALSE, FALSE, sizeof (double));
      const char *what = kind == LOAD_OPEN ? "open" : "paste";
      g_autofree char *name = NULL;

      for (guint i = 0; i < rounds; i++)
        {
          Stall stall;
          double t = load_big (app, file, big, kind, &stall);

          g_array_append_val (times, t);
          g_array_append_val (stalls, stall.longest);
          g_array_append_val (stall_cpus, stall.longest_cpu);
          g_array_append_val (most_cpus, stall.most_cpu);
          /* (for a profiler run with -k CLOCK_MONOTONIC: where to look) */
          if (verbose)
            printf ("#   %s: the gap with the most CPU (%.1f ms) ended at %.6f s (monotonic), %.1f ms long\n",
                    what, stall.most_cpu, stall.most_cpu_at / 1000, stall.most_cpu_wall);
        }

      printf ("# 20 MB message, %s: medians of %u runs; the longest gap of the main loop,\n"
              "# the main thread's CPU time in it, and the most CPU time in any gap\n",
              kind == LOAD_OPEN ? "opened as a file" : "pasted", rounds);
      g_free (name), name = g_strdup_printf ("%s_20mb_verdict_ms", what);
      figure (name, median (times), "ms");
      g_free (name), name = g_strdup_printf ("%s_20mb_stall_ms", what);
      figure (name, median (stalls), "ms");
      g_free (name), name = g_strdup_printf ("%s_20mb_stall_cpu_ms", what);
      figure (name, median (stall_cpus), "ms");
      g_free (name), name = g_strdup_printf ("%s_20mb_most_cpu_ms", what);
      figure (name, median (most_cpus), "ms");
    }

  g_unlink (path);
  g_rmdir (dir);
}

/* 3. Catalogue search ---------------------------------------------------- */

typedef struct {
  BounceCatalogueWindow *win;
  GPtrArray *expected;     /* the results for the text typed so far */
  gboolean   side_by_side;
  guint      painted;      /* frames painted since the keystroke */
  gboolean   answered;     /* a painted frame showed the answer */
  guint      stale;        /* painted frames that showed an older query's entry */
} Typing;

static gboolean
shows_answer (Typing *t)
{
  BounceEntry *top = t->expected->len > 0 ? g_ptr_array_index (t->expected, 0) : NULL;
  guint n = bounce_catalogue_window_get_n_results (t->win);

  /* (The list may be cut; what it shows first must be this query's.) */
  if (bounce_catalogue_window_get_result (t->win, 0) != top)
    return FALSE;
  if (n == 0 || n > t->expected->len)
    return t->expected->len == 0 && n == 0;
  return !t->side_by_side || bounce_catalogue_window_get_shown_entry (t->win) == top;
}

static void
on_search_painted (GdkFrameClock *clock,
                   Typing        *t)
{
  BounceEntry *shown = bounce_catalogue_window_get_shown_entry (t->win);
  BounceEntry *top;

  if (t->expected == NULL)
    return;
  top = t->expected->len > 0 ? g_ptr_array_index (t->expected, 0) : NULL;
  t->painted++;
  /* An entry on screen that is not the first result of what is typed
   * belongs to an older query. */
  if (t->side_by_side && shown != NULL && shown != top
      && gtk_widget_get_mapped (GTK_WIDGET (t->win)))
    t->stale++;
  if (shows_answer (t))
    t->answered = TRUE;
}

/* (--verbose) The main thread's CPU time and page faults at the phases
 * of the first frame after a keystroke: when it begins, after its layout,
 * after its paint (snapshot and rendering). */
static double phase_cpu[3];
static long phase_faults[3];
static int phase_next = -1;   /* the phase to record next; -1: none */

static void
on_phase (GdkFrameClock *clock,
          gpointer       data)
{
  int phase = GPOINTER_TO_INT (data);

  if (phase != phase_next)
    return;
  phase_cpu[phase] = thread_cpu_ms ();
  phase_faults[phase] = thread_faults ();
  phase_next = phase < 2 ? phase + 1 : -1;
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
measure_search (void)
{
  BounceCatalogue *catalogue = bounce_catalogue_get_default ();
  BounceCatalogueWindow *win = bounce_catalogue_window_new (catalogue);
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpus = g_array_new (FALSE, FALSE, sizeof (double));
  GtkEditable *entry = NULL;
  GdkFrameClock *clock;
  Typing t = { win, NULL, TRUE, 0, FALSE, 0 };
  guint stale_keys = 0, keys = 0;

  gtk_window_set_default_size (GTK_WINDOW (win), 960, 640);
  gtk_window_present (GTK_WINDOW (win));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  spin_for (300);

  /* The search entry is the focus when the window opens. */
  entry = GTK_EDITABLE (gtk_root_get_focus (GTK_ROOT (win)));
  while (entry != NULL && !GTK_IS_SEARCH_ENTRY (entry))
    entry = GTK_EDITABLE (gtk_widget_get_parent (GTK_WIDGET (entry)));
  g_assert_nonnull (entry);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (win));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_search_painted), &t);
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_phase), GINT_TO_POINTER (0));
  g_signal_connect_after (clock, "layout", G_CALLBACK (on_phase), GINT_TO_POINTER (1));
  g_signal_connect_after (clock, "paint", G_CALLBACK (on_phase), GINT_TO_POINTER (2));

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      const char *query = queries[q];

      g_clear_pointer (&t.expected, g_ptr_array_unref);
      gtk_editable_set_text (entry, "");
      spin_for (400);

      for (const char *p = query; *p != '\0'; p = g_utf8_next_char (p))
        {
          g_autofree char *typed = g_strndup (query, g_utf8_next_char (p) - query);
          int position = -1;
          double start, start_cpu, latency, cpu, handler_cpu;
          long start_faults;
          guint wake;

          g_clear_pointer (&t.expected, g_ptr_array_unref);
          t.expected = bounce_catalogue_search (catalogue, typed);
          t.painted = 0;
          t.answered = FALSE;
          t.stale = 0;

          start = wall_ms ();
          start_cpu = thread_cpu_ms ();
          start_faults = thread_faults ();
          position = gtk_editable_get_position (entry);
          gtk_editable_insert_text (entry, p, g_utf8_next_char (p) - p, &position);
          gtk_editable_set_position (entry, position);
          handler_cpu = thread_cpu_ms () - start_cpu;
          phase_next = 0;
          /* (the wake-up only keeps the loop from sleeping for good when
           * no frame comes) */
          wake = g_timeout_add (20, wake_up, NULL);
          while (!t.answered && wall_ms () - start < 10000)
            g_main_context_iteration (NULL, TRUE);
          g_source_remove (wake);
          latency = wall_ms () - start;
          cpu = thread_cpu_ms () - start_cpu;
          g_array_append_val (latencies, latency);
          g_array_append_val (cpus, cpu);
          if (verbose)
            printf ("#   \"%s\": %.1f ms, CPU %.1f ms (%.1f ms in the keystroke), %u frames,"
                    " %ld page faults, from %.6f s (monotonic)\n",
                    typed, latency, cpu, handler_cpu, t.painted, thread_faults () - start_faults,
                    start / 1000);
          if (verbose && phase_next == -1)
            printf ("#     its first frame: %.1f ms of CPU (%ld page faults) before it, layout %.1f ms (%ld),"
                    " paint %.1f ms (%ld)\n",
                    phase_cpu[0] - start_cpu, phase_faults[0] - start_faults,
                    phase_cpu[1] - phase_cpu[0], phase_faults[1] - phase_faults[0],
                    phase_cpu[2] - phase_cpu[1], phase_faults[2] - phase_faults[1]);
          phase_next = -1;
          keys++;
          if (t.stale > 0)
            stale_keys++;

          /* A typist's pace: about 8 characters a second. */
          spin_for (120);
        }
    }

  g_signal_handlers_disconnect_by_func (clock, on_search_painted, &t);
  g_signal_handlers_disconnect_by_func (clock, on_phase, GINT_TO_POINTER (0));
  g_signal_handlers_disconnect_by_func (clock, on_phase, GINT_TO_POINTER (1));
  g_signal_handlers_disconnect_by_func (clock, on_phase, GINT_TO_POINTER (2));
  g_clear_pointer (&t.expected, g_ptr_array_unref);

  printf ("# code catalogue search, %u keystrokes in %u queries: from each keystroke\n"
          "# until its results are on screen (wall and main-thread CPU time), and the\n"
          "# keystrokes after which an older query's entry was on screen\n",
          keys, (guint) G_N_ELEMENTS (queries));
  figure ("search_keystroke_ms", median (latencies), "ms");
  figure ("search_keystroke_max_ms", maximum (latencies), "ms");
  figure ("search_keystroke_cpu_ms", median (cpus), "ms");
  figure ("search_keystroke_cpu_max_ms", maximum (cpus), "ms");
  figure ("search_stale_keystrokes", stale_keys, "keystrokes");

  gtk_window_destroy (GTK_WINDOW (win));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *self = NULL;
  gboolean quick = FALSE;
  const char *only = NULL;
  const char *bare = NULL;

  if (argc > 1 && g_str_equal (argv[1], "--child"))
    return run_child ();

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--quick"))
        quick = TRUE;
      else if (g_str_equal (argv[i], "--verbose"))
        verbose = TRUE;
      else if (g_str_equal (argv[i], "--only") && i + 1 < argc)
        only = argv[++i];
      else
        bare = argv[i];
    }

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      printf ("# bench-window: skipped, no display (run under xvfb-run)\n");
      return 0;
    }
  if (bare == NULL)
    {
      fprintf (stderr, "usage: bench-window [--quick] [--verbose] [--only first-frame|search|stalls] BARE-PROGRAM\n");
      return 2;
    }

  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self == NULL)
    self = g_strdup (argv[0]);

  printf ("# bench-window: the window's figures (lines: name, value, unit)\n");
  if (only == NULL || g_str_equal (only, "first-frame"))
    measure_first_frame (bare, self, quick ? QUICK_STARTS : STARTS);

  gtk_init ();
  adw_init ();
  if (only == NULL || g_str_equal (only, "search"))
    measure_search ();
  if (only == NULL || g_str_equal (only, "stalls"))
    measure_stalls (quick ? QUICK_LOAD_ROUNDS : LOAD_ROUNDS);
  return 0;
}
