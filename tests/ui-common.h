/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "bounce-application.h"
#include "bounce-window.h"

G_BEGIN_DECLS

/* What the tests of the real window (test-window, test-window-use,
 * test-window-mbox, test-faces) share: waiting on the main loop, reading
 * the window's text and finding widgets in its tree. */

/* Whether there is a display to test on; prints TAP's skip line when not. */
gboolean           ui_have_display       (void);
/* Makes a new temporary directory the XDG_STATE_HOME of this process, so
 * that the window's saved text stays out of the user's own; the caller
 * removes it (g_rmdir) at the end. */
char              *ui_private_state_dir  (void);
/* The application as the tests run it: registered, not unique. */
BounceApplication *ui_new_application    (void);

typedef gboolean (*UiCondition) (gpointer data);
typedef gboolean (*UiWidgetTest) (GtkWidget *widget, gconstpointer data);

/* Turn the main loop until condition (data) holds; the test fails (with
 * g_error) after timeout_ms. */
void           ui_wait_until             (UiCondition    condition,
                                          gpointer       data,
                                          guint          timeout_ms);
/* Turn the main loop for ms milliseconds. */
void           ui_spin                   (guint          ms);

/* A UiCondition on a BounceWindow: its analysis is over, a report arrived
 * and the report page is filled (which takes a few main-loop turns). */
gboolean       ui_analysis_done          (gpointer       window);

/* Destroys one of the app's windows and checks that nothing keeps it
 * alive once pending idles (the text view, the toast overlay) ran. */
void           ui_destroy_window         (gpointer       window);

GtkTextBuffer *ui_window_buffer          (BounceWindow  *win);
char          *ui_buffer_text            (GtkTextBuffer *buffer);
/* The character offset of needle's first occurrence, or -1. */
glong          ui_char_offset_of         (GtkTextBuffer *buffer,
                                          const char    *needle);
/* Whether the character at offset carries the tag named tag_name (which
 * must exist). */
gboolean       ui_tag_at                 (GtkTextBuffer *buffer,
                                          glong          offset,
                                          const char    *tag_name);

/* The text on widget's clipboard, read as a paste reads it (never NULL:
 * "" when it holds no text). */
char          *ui_clipboard_text         (GtkWidget     *widget);

/* The first widget, depth first, at or below root that passes test. */
GtkWidget     *ui_find_widget            (GtkWidget     *root,
                                          UiWidgetTest   test,
                                          gconstpointer  data);
/* UiWidgetTests: data is a GType (GSIZE_TO_POINTER), or a text the label
 * must contain. */
gboolean       ui_is_of_type             (GtkWidget     *widget,
                                          gconstpointer  type);
gboolean       ui_is_mapped_label_with   (GtkWidget     *widget,
                                          gconstpointer  text);

/* Moves the pointer out of the windows, to the screen's far corner, when
 * xdotool is installed.  GTK 4.8 warns ("Trying to snapshot GtkGizmo ...
 * without a current allocation"), which gtk_test_init() makes fatal, when
 * a scrolled window under the pointer loses its scrollbar at the wrong
 * moment, and Xvfb starts with the pointer in the middle of the screen,
 * over the windows. */
void           ui_park_pointer           (void);

G_END_DECLS
