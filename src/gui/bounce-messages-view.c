/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bounce-messages-view.h"
#include "bounce-table-row.h"
#include "bounce-wrap.h"

/* Above this many rows the filter runs in steps, so that typing in the
 * search entry never stalls the window on a large mbox. */
#define INCREMENTAL_ROWS 2000
/* The table scrolls on its own; up to this many rows show without scrolling.
 * (The message list's height is set in bounce-messages-view.ui.) */
#define TABLE_ROW_HEIGHT 33
#define SHOWN_TABLE_ROWS 10
/* The reason column's narrowest width: below it (and the other columns
 * whole) the rows are shown as a list instead. */
#define REASON_MIN_WIDTH 180
/* The message list shows up to this many messages, the narrow form of the
 * table this many rows, whatever their lines; a longer list scrolls, with
 * half of the next row in sight. */
#define SHOWN_MESSAGES 4
#define SHOWN_NARROW_ROWS 6

struct _BounceMessagesView
{
  AdwBin               parent_instance;

  BounceReport        *report;
  GListStore          *rows;
  GtkCustomFilter     *filter;
  GtkFilterListModel  *filtered;
  GtkSortListModel    *sorted;     /* filtered, in the order the column headings ask */
  GtkSingleSelection  *messages;
  GtkFileChooserNative *chooser;
  GCancellable        *cancellable;
  char               **words;      /* the filter, case-folded */
  guint                fit_source; /* the idle that sizes the lists to their rows */
  int                  fitted_width;

  GtkLabel            *messages_heading;
  GtkScrolledWindow   *message_scroller;
  GtkListView         *message_list;
  GtkWidget           *table_box;
  GtkScrolledWindow   *table_scroller;
  AdwSqueezer         *table_squeezer;
  GtkListView         *narrow_list;
  GtkSearchEntry      *filter_entry;
  GtkLabel            *count_label;
  GtkWidget           *export_button;
  GtkColumnView       *table;
};

G_DEFINE_FINAL_TYPE (BounceMessagesView, bounce_messages_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SELECTED_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RECIPIENT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum {
  COLUMN_MESSAGE,
  COLUMN_RECIPIENT,
  COLUMN_REASON,
  COLUMN_KIND,
  COLUMN_DATE,
} Column;

/* The verdict of one message in a line: how final, and what happened. */
static char *
message_verdict (BounceReport *message)
{
  BounceEntry *verdict = bounce_report_get_verdict (message);
  const char *headline = verdict != NULL ? bounce_entry_get_title (verdict) : NULL;
  const char *badge;

  switch (bounce_report_get_kind (message))
    {
    case BOUNCE_KIND_NOT_BOUNCE:
      return g_strdup (_("Not a bounce"));
    case BOUNCE_KIND_AUTOREPLY:
      return g_strdup (_("Automatic reply"));
    case BOUNCE_KIND_DELIVERED:
      return g_strdup (_("Delivered"));
    case BOUNCE_KIND_FEEDBACK:
      /* only an "abuse" report is a complaint (RFC 5965 7.3) */
      if (bounce_report_get_feedback_type (message) != NULL &&
          g_strcmp0 (bounce_report_get_feedback_type (message), "abuse") != 0)
        return g_strdup (_("Feedback report"));
      return g_strdup (_("Abuse report"));
    case BOUNCE_KIND_FAILURE:
    case BOUNCE_KIND_DELAY:
    default:
      break;
    }

  switch (bounce_report_get_outcome (message))
    {
    case BOUNCE_OUTCOME_DELAYED:
      badge = C_("bounce", "Delayed");
      if (headline == NULL)
        headline = _("Delivery is delayed");
      break;
    case BOUNCE_OUTCOME_PERMANENT:
      badge = C_("bounce", "Permanent");
      break;
    case BOUNCE_OUTCOME_GAVE_UP:
    case BOUNCE_OUTCOME_UNKNOWN:
    case BOUNCE_OUTCOME_NONE:
    default:
      badge = C_("bounce", "Failed");
      break;
    }
  if (headline == NULL)
    headline = _("The message could not be delivered");

  /* Translators: a message's verdict in the list of messages of a file:
   * "Permanent: The address does not exist" */
  return g_strdup_printf (_("%s: %s"), badge, headline);
}

static char *
message_title (BounceReport *message)
{
  const char *subject = bounce_report_get_subject (message);
  guint number = bounce_report_get_message_index (message) + 1;

  if (subject != NULL && *subject != '\0')
    /* Translators: a message of a file: its number, then its Subject */
    return g_strdup_printf (_("%u. %s"), number, subject);
  /* Translators: a message of a file without a Subject */
  return g_strdup_printf (_("%u. (no subject)"), number);
}

/* text with the space after its leading number made a no-break space, so
 * that a line never ends between "2" and "recipients". */
static char *
glue_number (const char *text)
{
  const char *after = text;

  while (g_ascii_isdigit (*after))
    after++;
  if (after == text || *after != ' ')
    return g_strdup (text);
  return g_strdup_printf ("%.*s\u00a0%s", (int) (after - text), text, after + 1);
}

static char *
message_details (BounceReport *message)
{
  const char *date = bounce_report_get_date (message);
  guint n = g_list_model_get_n_items (bounce_report_get_recipients (message));
  g_autofree char *counted = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u recipient", "%u recipients", n), n);
  /* The number and its word on one line ("2 recipients", "2 Empfänger"). */
  g_autofree char *count = glue_number (counted);

  if (date == NULL || *date == '\0')
    return g_steal_pointer (&count);
  /* Translators: a message's date as written in it, then "2 recipients" */
  return g_strdup_printf (_("%s · %s"), date, count);
}

static void
set_label (GtkWidget  *label,
           const char *text)
{
  gtk_label_set_label (GTK_LABEL (label), text != NULL ? text : "");
}

/* The message list. */

/* A row of three wrapping labels, one above the other, each with the CSS
 * classes of its line (up to two, NULL-padded); narrow rows break long
 * words (addresses) without hyphens, at the width of a line of text. */
static GtkWidget *
three_line_box (const char * const classes[3][2],
                gboolean           narrow)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  for (guint i = 0; i < 3; i++)
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      if (narrow)
        {
          gtk_label_set_width_chars (GTK_LABEL (label), BOUNCE_WRAP_TEXT_CHARS);
          bounce_wrap_label_without_hyphens (GTK_LABEL (label));
        }
      for (guint k = 0; k < 2 && classes[i][k] != NULL; k++)
        gtk_widget_add_css_class (label, classes[i][k]);
      gtk_box_append (GTK_BOX (box), label);
    }
  return box;
}

static void
message_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  static const char * const classes[3][2] = { { "heading" }, { NULL }, { "dim-label" } };

  gtk_list_item_set_child (item, three_line_box (classes, FALSE));
}

/* Fills a three_line_box() of a list item: its lines, and the name and
 * description screen readers give the item's row. */
static void
bind_three_lines (GtkListItem *item,
                  const char  *first,
                  const char  *second,
                  const char  *third,
                  const char  *name,
                  const char  *description)
{
  const char *texts[] = { first, second, third };
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *line = gtk_widget_get_first_child (box);

  for (guint i = 0; i < G_N_ELEMENTS (texts) && line != NULL; i++, line = gtk_widget_get_next_sibling (line))
    set_label (line, texts[i]);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (box)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
message_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  BounceReport *message = gtk_list_item_get_item (item);
  g_autofree char *title_text = message_title (message);
  g_autofree char *verdict_text = message_verdict (message);
  g_autofree char *details_text = message_details (message);

  bind_three_lines (item, title_text, verdict_text, details_text, title_text, verdict_text);
}

/* The table. */

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  /* Addresses and dates whole; only the reason, the longest text, is cut
   * (its tooltip has it all). */
  if ((Column) GPOINTER_TO_UINT (user_data) == COLUMN_REASON)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_size_request (label, REASON_MIN_WIDTH, -1);
    }
  gtk_list_item_set_child (item, label);
}

static void
cell_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  BounceTableRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *number = NULL;
  const char *text = NULL;

  switch ((Column) GPOINTER_TO_UINT (user_data))
    {
    case COLUMN_MESSAGE:
      text = number = g_strdup_printf ("%u", bounce_table_row_get_index (row) + 1);
      break;
    case COLUMN_RECIPIENT:
      text = bounce_table_row_get_address (row);
      break;
    case COLUMN_REASON:
      text = bounce_table_row_get_reason (row);
      break;
    case COLUMN_KIND:
      text = bounce_table_row_get_kind (row);
      break;
    case COLUMN_DATE:
    default:
      /* The day; the Date as written in the tooltip. */
      set_label (label, bounce_table_row_get_short_date (row));
      gtk_widget_set_tooltip_text (label, bounce_table_row_get_date (row));
      return;
    }
  set_label (label, text);
  gtk_widget_set_tooltip_text (label, text);
}

/* The table as a list, where its columns do not fit: the address, the
 * reason whole, then the message, the type and the day, dimmed. */

static void
narrow_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  static const char * const classes[3][2] = { { "heading" }, { NULL }, { "dim-label", "caption" } };

  gtk_list_item_set_child (item, three_line_box (classes, TRUE));
}

static char *
narrow_details (BounceTableRow *row)
{
  const char *kind = bounce_table_row_get_kind (row);
  const char *date = bounce_table_row_get_short_date (row);
  g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  /* Translators: the message a recipient came from, in the recipients
   * table of a narrow window: "Message 2 · Permanent · 2026-03-02" */
  g_autofree char *message = g_strdup_printf (_("Message %u"), bounce_table_row_get_index (row) + 1);

  g_strv_builder_add (parts, message);
  if (*kind != '\0')
    g_strv_builder_add (parts, kind);
  if (*date != '\0')
    g_strv_builder_add (parts, date);
  strv = g_strv_builder_end (parts);
  return g_strjoinv (" · ", strv);
}

static void
narrow_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  BounceTableRow *row = gtk_list_item_get_item (item);
  const char *address = bounce_table_row_get_address (row);
  const char *reason = bounce_table_row_get_reason (row);
  g_autofree char *details_text = narrow_details (row);
  g_autofree char *description = g_strjoin (". ", reason, details_text, NULL);

  bind_three_lines (item, address, reason, details_text, address, description);
}

/* Column sorting: each column orders by what it shows (dates by time, the
 * message column by number), and equal rows keep the file's order. */
static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  BounceTableRow *ra = BOUNCE_TABLE_ROW ((gpointer) a);
  BounceTableRow *rb = BOUNCE_TABLE_ROW ((gpointer) b);
  int order = 0;

  switch ((Column) GPOINTER_TO_UINT (user_data))
    {
    case COLUMN_RECIPIENT:
      order = g_utf8_collate (bounce_table_row_get_address (ra), bounce_table_row_get_address (rb));
      break;
    case COLUMN_REASON:
      order = g_utf8_collate (bounce_table_row_get_reason (ra), bounce_table_row_get_reason (rb));
      break;
    case COLUMN_KIND:
      order = g_utf8_collate (bounce_table_row_get_kind (ra), bounce_table_row_get_kind (rb));
      break;
    case COLUMN_DATE:
      {
        gint64 ta = bounce_table_row_get_time (ra), tb = bounce_table_row_get_time (rb);

        order = ta < tb ? -1 : ta > tb ? 1 : 0;
      }
      break;
    case COLUMN_MESSAGE:
    default:
      break;
    }
  if (order == 0)
    {
      guint ia = bounce_table_row_get_index (ra), ib = bounce_table_row_get_index (rb);

      order = ia < ib ? -1 : ia > ib ? 1 : 0;
    }
  return order < 0 ? GTK_ORDERING_SMALLER : order > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
add_column (BounceMessagesView *self,
            const char         *title,
            Column              column,
            gboolean            expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;
  g_autoptr(GtkCustomSorter) sorter = gtk_custom_sorter_new (compare_rows, GUINT_TO_POINTER (column), NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), GUINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, g_object_ref (factory));
  /* Not resizable: the table is shown only where its columns fit (else the
   * narrow list, see bounce-messages-view.ui), and a column dragged wider
   * would turn it into that list under the pointer.  A cut reason is
   * whole in its tooltip (and in the accessible text), and in the
   * recipient's row of its message's result. */
  gtk_column_view_column_set_resizable (view_column, FALSE);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_sorter (view_column, GTK_SORTER (sorter));
  gtk_column_view_append_column (self->table, view_column);
}

static gboolean
row_visible (gpointer item,
             gpointer user_data)
{
  BounceMessagesView *self = user_data;
  BounceTableRow *row = item;

  return bounce_table_row_matches (row, (const char * const *) self->words);
}

static void
update_count (BounceMessagesView *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  g_autofree char *text = NULL;

  if (shown == total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u recipient", "%u recipients", total), total);
  else
    /* Translators: how many rows of the recipients table the filter shows */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u recipient", "%u of %u recipients", total),
                            shown, total);
  /* The analysis stopped reading recipients: the table is the only list
   * of them for the whole file, so it says so (as the recipient rows of a
   * single message do). */
  if (self->report != NULL && (bounce_report_get_truncated (self->report) & BOUNCE_TRUNCATED_RECIPIENTS))
    {
      g_autofree char *counted = g_steal_pointer (&text);

      text = g_strdup_printf ("%s\n%s", counted,
                              _("The bounce names more recipients than were read: the list was cut short."));
    }
  gtk_label_set_label (self->count_label, text);
}

static void
refilter (BounceMessagesView *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

/* A list view measures only the rows it has made: the table is sized for
 * the rows of the file, scrolling beyond a screenful. */
static void
update_table_size (BounceMessagesView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  gtk_widget_set_size_request (GTK_WIDGET (self->table_scroller), -1,
                               TABLE_ROW_HEIGHT * (1 + CLAMP (n, 2, SHOWN_TABLE_ROWS)) + 6);
}

/* The height of list's first rows (up to max_rows, then half of the next
 * one) at the width it has; 0 when it has none yet.  *whole says whether
 * every row wanted was there to measure (a list view makes its rows as
 * they come into sight). */
static int
first_rows_height (GtkWidget *list,
                   guint      n_items,
                   guint      max_rows,
                   gboolean  *whole)
{
  int width = gtk_widget_get_width (list);
  int total = 0;
  guint n = 0;
  guint wanted = MIN (n_items, max_rows + 1);

  *whole = FALSE;
  if (width <= 0)
    return 0;
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL && n < wanted;
       row = gtk_widget_get_next_sibling (row))
    {
      int natural;

      if (!gtk_widget_should_layout (row))
        continue;
      gtk_widget_measure (row, GTK_ORIENTATION_VERTICAL, width, NULL, &natural, NULL, NULL);
      total += n < max_rows ? natural : natural / 2;
      n++;
    }
  *whole = n == wanted;
  return total;
}

static void
set_content_height (GtkScrolledWindow *scroller,
                    int                height)
{
  if (height <= 0 || gtk_scrolled_window_get_min_content_height (scroller) == height)
    return;
  gtk_scrolled_window_set_max_content_height (scroller, -1);
  gtk_scrolled_window_set_min_content_height (scroller, height);
  gtk_scrolled_window_set_max_content_height (scroller, height);
}

/* GTK 4.8's scrolled window asks its list for its natural height at the
 * list's natural width, where each label is one line: in a narrow window
 * it gave the list of three messages the height of two and a bit, and
 * hid the third.  The heights are set here instead, from the rows as they
 * are laid out at the width they have. */
static gboolean
fit_lists (gpointer data)
{
  BounceMessagesView *self = data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  gboolean messages_whole, rows_whole;
  int messages, rows;

  self->fit_source = 0;
  messages = first_rows_height (GTK_WIDGET (self->message_list),
                                g_list_model_get_n_items (G_LIST_MODEL (self->messages)),
                                SHOWN_MESSAGES, &messages_whole);
  rows = first_rows_height (GTK_WIDGET (self->narrow_list),
                            g_list_model_get_n_items (G_LIST_MODEL (self->sorted)),
                            SHOWN_NARROW_ROWS, &rows_whole);
  set_content_height (self->message_scroller, messages);
  set_content_height (GTK_SCROLLED_WINDOW (gtk_widget_get_parent (GTK_WIDGET (self->narrow_list))), rows);
  /* Rows not made yet are measured at the next allocation. */
  self->fitted_width = messages_whole && (rows_whole || !gtk_widget_get_mapped (GTK_WIDGET (self->narrow_list)))
                       ? width : -1;
  return G_SOURCE_REMOVE;
}

static void
refit_lists (BounceMessagesView *self)
{
  self->fitted_width = -1;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* The view lays out its one child itself (AdwBin's layout manager is
 * removed in init) to know when its width changes. */
static void
bounce_messages_view_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
  else
    *minimum = *natural = 0;
}

static GtkSizeRequestMode
bounce_messages_view_get_request_mode (GtkWidget *widget)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  return child != NULL ? gtk_widget_get_request_mode (child) : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
bounce_messages_view_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  BounceMessagesView *self = BOUNCE_MESSAGES_VIEW (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
  /* (not here: a new height now would lay the page out again in this
   * very allocation) */
  if (width != self->fitted_width && self->fit_source == 0)
    self->fit_source = g_idle_add (fit_lists, self);
}

/* The table is the file's one list of recipients: with a message
 * selected, the window shows that message's recipients in detail instead
 * (its "Recipients of Message N"), and the table would repeat them. */
static void
on_message_selected (BounceMessagesView *self)
{
  gtk_widget_set_visible (self->table_box,
                          gtk_single_selection_get_selected (self->messages) == GTK_INVALID_LIST_POSITION);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_MESSAGE]);
}

/* Enter (or a double click) on a recipient of the table, in either form:
 * its message is selected, and the window shows that recipient's row. */
static void
on_row_activated (BounceMessagesView *self,
                  guint               position)
{
  g_autoptr(BounceTableRow) row = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);

  if (row == NULL)
    return;
  gtk_single_selection_set_selected (self->messages, bounce_table_row_get_index (row));
  g_signal_emit (self, signals[RECIPIENT_ACTIVATED], 0, bounce_table_row_get_recipient (row));
}

static void
on_search_changed (BounceMessagesView *self)
{
  bounce_messages_view_set_filter_text (self, gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)));
}

/* Export. */

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  BounceReport *report = task_data;
  GFile *file = g_object_get_data (G_OBJECT (task), "file");
  g_autofree char *csv = bounce_report_to_csv (report, TRUE);
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
bounce_messages_view_export_async (BounceMessagesView  *self,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BOUNCE_IS_MESSAGES_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bounce_messages_view_export_async);
  if (self->report == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("There is nothing to export."));
      return;
    }
  g_task_set_task_data (task, g_object_ref (self->report), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "file", g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, export_thread);
}

gboolean
bounce_messages_view_export_finish (BounceMessagesView  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
toast (BounceMessagesView *self,
       const char         *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *t;

  if (overlay == NULL)
    {
      g_message ("%s", text);
      return;
    }
  t = adw_toast_new (text);
  adw_toast_set_timeout (t, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), t);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  BounceMessagesView *self = BOUNCE_MESSAGES_VIEW (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "messages.export-csv", self->report != NULL);
  if (!bounce_messages_view_export_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s says why a file could not be written */
      text = g_strdup_printf (_("Could not export the recipients: %s"), error->message);
    }
  else
    text = g_strdup (_("Recipients exported"));
  toast (self, text);
}

static void
on_chooser_response (GtkNativeDialog    *dialog,
                     int                 response,
                     BounceMessagesView *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "messages.export-csv", FALSE);
  bounce_messages_view_export_async (self, file, self->cancellable, on_export_done, NULL);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BounceMessagesView *self = BOUNCE_MESSAGES_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->report == NULL || self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Export Recipients as CSV"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* Translators: the file name offered when exporting the recipients table */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("bounces.csv"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Life cycle. */

static void
bounce_messages_view_dispose (GObject *object)
{
  BounceMessagesView *self = BOUNCE_MESSAGES_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->fit_source, g_source_remove);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->table != NULL)
    gtk_column_view_set_model (self->table, NULL);
  if (self->narrow_list != NULL)
    gtk_list_view_set_model (self->narrow_list, NULL);
  if (self->message_list != NULL)
    gtk_list_view_set_model (self->message_list, NULL);
  g_clear_object (&self->messages);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->rows);
  g_clear_object (&self->report);
  g_clear_pointer (&self->words, g_strfreev);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOUNCE_TYPE_MESSAGES_VIEW);
  G_OBJECT_CLASS (bounce_messages_view_parent_class)->dispose (object);
}

static void
bounce_messages_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BounceMessagesView *self = BOUNCE_MESSAGES_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTED_MESSAGE:
      g_value_set_object (value, bounce_messages_view_get_selected_message (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_messages_view_class_init (BounceMessagesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bounce_messages_view_dispose;
  object_class->get_property = bounce_messages_view_get_property;
  widget_class->measure = bounce_messages_view_measure;
  widget_class->get_request_mode = bounce_messages_view_get_request_mode;
  widget_class->size_allocate = bounce_messages_view_size_allocate;

  /* The message whose own result the window shows, or NULL for the whole file. */
  properties[PROP_SELECTED_MESSAGE] =
    g_param_spec_object ("selected-message", NULL, NULL, BOUNCE_TYPE_REPORT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A recipient of the table was activated; its message is selected
   * (the "selected-message" property) before this is emitted. */
  signals[RECIPIENT_ACTIVATED] =
    g_signal_new ("recipient-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, BOUNCE_TYPE_RECIPIENT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bounce_assistant/BounceAssistant/bounce-messages-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BounceMessagesView, messages_heading);
  gtk_widget_class_bind_template_child (widget_class, BounceMessagesView, message_scroller);
  gtk_widget_class_bind_template_child (widget_class, BounceMessagesView, message_list);
  gtk_widget_class_bind_template_child (widget_class, BounceMessagesView, table_scroller);
  gtk_widget_class_bind_template_child (widget_class, BounceMessagesView, table_squeezer);
  gtk_widget_class_bind_template_child (widget_class, BounceMessagesView, narrow_list);
  gtk_widget_class_bind_template_child (widget_class, BounceMessagesView, table_box);
  gtk_widget_class_bind_template_child (widget_class, BounceMessagesView, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, BounceMessagesView, count_label);
  gtk_widget_class_bind_template_child (widget_class, BounceMessagesView, export_button);
  gtk_widget_class_bind_template_child (widget_class, BounceMessagesView, table);

  gtk_widget_class_install_action (widget_class, "messages.export-csv", NULL, export_action);
}

static void
bounce_messages_view_init (BounceMessagesView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) narrow_factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSelectionModel) table_model = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);

  self->fitted_width = -1;
  self->cancellable = g_cancellable_new ();
  self->rows = g_list_store_new (BOUNCE_TYPE_TABLE_ROW);
  self->filter = gtk_custom_filter_new (row_visible, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->rows)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_count), self);

  /* Translators: column of the recipients table: the message's number */
  add_column (self, C_("column", "Message"), COLUMN_MESSAGE, FALSE);
  add_column (self, C_("column", "Recipient"), COLUMN_RECIPIENT, FALSE);
  add_column (self, C_("column", "Reason"), COLUMN_REASON, TRUE);
  /* Translators: column of the recipients table: temporary or permanent */
  add_column (self, C_("column", "Type"), COLUMN_KIND, FALSE);
  add_column (self, C_("column", "Date"), COLUMN_DATE, FALSE);
  /* Clicking a column heading sorts the rows the filter lets through. */
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                          g_object_ref (gtk_column_view_get_sorter (self->table)));
  table_model = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sorted))));
  gtk_column_view_set_model (self->table, table_model);
  g_signal_connect_swapped (self->sorted, "items-changed", G_CALLBACK (refit_lists), self);
  /* The narrow form shows the same rows, in the order the table's
   * headings last set. */
  g_signal_connect (narrow_factory, "setup", G_CALLBACK (narrow_setup), NULL);
  g_signal_connect (narrow_factory, "bind", G_CALLBACK (narrow_bind), NULL);
  gtk_list_view_set_factory (self->narrow_list, narrow_factory);
  gtk_list_view_set_model (self->narrow_list, table_model);
  /* The list inside the column view is what a screen reader enters: it
   * has no name of its own. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->table)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Recipients of the messages"),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("Activate a recipient to show it in its message"),
                                      -1);

  g_signal_connect (factory, "setup", G_CALLBACK (message_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (message_bind), NULL);
  gtk_list_view_set_factory (self->message_list, factory);
  self->messages = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->messages, FALSE);
  gtk_single_selection_set_can_unselect (self->messages, TRUE);
  g_signal_connect_swapped (self->messages, "notify::selected", G_CALLBACK (on_message_selected), self);
  gtk_list_view_set_model (self->message_list, GTK_SELECTION_MODEL (self->messages));
  g_signal_connect_swapped (self->messages, "items-changed", G_CALLBACK (refit_lists), self);

  g_signal_connect_swapped (self->filter_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (self->table, "activate", G_CALLBACK (on_row_activated), self);
  g_signal_connect_swapped (self->narrow_list, "activate", G_CALLBACK (on_row_activated), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "messages.export-csv", FALSE);
}

GtkWidget *
bounce_messages_view_new (void)
{
  return g_object_new (BOUNCE_TYPE_MESSAGES_VIEW, NULL);
}

void
bounce_messages_view_set_report (BounceMessagesView *self,
                                 BounceReport       *report)
{
  GListModel *messages = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = 0;

  g_return_if_fail (BOUNCE_IS_MESSAGES_VIEW (self));
  g_return_if_fail (report == NULL || BOUNCE_IS_REPORT (report));

  if (report != NULL)
    {
      messages = bounce_report_get_message_reports (report);
      n = g_list_model_get_n_items (messages);
    }
  if (n < 2)
    report = NULL;
  if (!g_set_object (&self->report, report))
    return;

  /* A new report: the old one's export may go on, its selection not. */
  gtk_single_selection_set_model (self->messages, report != NULL ? messages : NULL);
  gtk_single_selection_set_selected (self->messages, GTK_INVALID_LIST_POSITION);

  for (guint i = 0; i < n && report != NULL; i++)
    {
      g_autoptr(BounceReport) message = g_list_model_get_item (messages, i);
      GListModel *recipients = bounce_report_get_recipients (message);
      guint m = g_list_model_get_n_items (recipients);

      for (guint j = 0; j < m; j++)
        {
          g_autoptr(BounceRecipient) recipient = g_list_model_get_item (recipients, j);

          g_ptr_array_add (rows, bounce_table_row_new (message, recipient));
        }
    }
  gtk_filter_list_model_set_incremental (self->filtered, rows->len > INCREMENTAL_ROWS);
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       rows->pdata, rows->len);

  if (report != NULL)
    {
      g_autofree char *heading =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Message in This File",
                                      "%u Messages in This File", n), n);

      gtk_label_set_label (self->messages_heading, heading);
    }
  update_table_size (self);
  update_count (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "messages.export-csv", report != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), report != NULL);
}

guint
bounce_messages_view_get_n_messages (BounceMessagesView *self)
{
  g_return_val_if_fail (BOUNCE_IS_MESSAGES_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->messages));
}

char *
bounce_messages_view_dup_verdict (BounceMessagesView *self,
                                  guint               position)
{
  g_autoptr(BounceReport) message = NULL;

  g_return_val_if_fail (BOUNCE_IS_MESSAGES_VIEW (self), NULL);
  message = g_list_model_get_item (G_LIST_MODEL (self->messages), position);
  return message != NULL ? message_verdict (message) : NULL;
}

void
bounce_messages_view_select_message (BounceMessagesView *self,
                                     guint               position)
{
  g_return_if_fail (BOUNCE_IS_MESSAGES_VIEW (self));
  gtk_single_selection_set_selected (self->messages, position);
}

BounceReport *
bounce_messages_view_get_selected_message (BounceMessagesView *self)
{
  g_return_val_if_fail (BOUNCE_IS_MESSAGES_VIEW (self), NULL);
  return gtk_single_selection_get_selected_item (self->messages);
}

void
bounce_messages_view_set_filter_text (BounceMessagesView *self,
                                      const char         *text)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (BOUNCE_IS_MESSAGES_VIEW (self));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text);
  folded = g_utf8_casefold (text, -1);
  g_strfreev (self->words);
  self->words = g_strsplit_set (folded, " \t\n", -1);
  refilter (self);
}

GListModel *
bounce_messages_view_get_rows (BounceMessagesView *self)
{
  g_return_val_if_fail (BOUNCE_IS_MESSAGES_VIEW (self), NULL);
  return G_LIST_MODEL (self->sorted);
}

GtkWidget *
bounce_messages_view_get_message_list (BounceMessagesView *self)
{
  g_return_val_if_fail (BOUNCE_IS_MESSAGES_VIEW (self), NULL);
  return GTK_WIDGET (self->message_list);
}
