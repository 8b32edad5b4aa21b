/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <time.h>

/* The baseline for bench-window: the least a libadwaita program does to
 * show a window.  Prints "first-frame" and the CPU time used so far (ms)
 * when the first frame was painted, then quits. */

static void
on_after_paint (GdkFrameClock *clock,
                GApplication  *app)
{
  struct timespec ts;

  g_signal_handlers_disconnect_by_func (clock, on_after_paint, app);
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  printf ("first-frame %.3f\n", ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6);
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
on_activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), gtk_label_new ("Hello"));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
  g_signal_connect (window, "map", G_CALLBACK (on_map), app);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.bounce_assistant.BenchBare",
                                                       G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
