/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "bounce-a11y.h"
#include "bounce-catalogue-window.h"
#include "bounce-entry-card.h"
#include "bounce-wrap.h"

/* The search answers each keystroke at once, before the next frame: the
 * catalogue's search is fast (a prepared index, built on a worker thread
 * when the window opens), and the list gets the first screenful of
 * results at once and the rest a batch per frame (a list view makes and
 * lays out rows for up to 200 items, which is too much for one frame)
 * once the typing pauses: each keystroke removes the rows below the
 * first screenful, and taking away a hundred rows made between two
 * keystrokes was most of a keystroke's work.  A new query drops what is
 * left of the old one's.  The whole catalogue, listed when nothing is
 * typed, is a list of its own that is never emptied: the first key only
 * hides it (removing its 200 rows was most of that key's own work), and
 * emptying the search shows it again; meanwhile the results' rows are
 * taken away a batch per frame.  Side by side, the detail shows the first
 * result of what is typed, or nothing: never an entry of an older
 * query. */

/* Results listed at once (a screenful: rows are at least as high as the
 * lowest row on screen, or this with the default font), then per frame. */
#define MIN_ROW_HEIGHT 44
#define ROWS_PER_FRAME 16
/* Beyond this the list view makes no more rows: the rest can come at once. */
#define ROWS_MADE 240
/* The rest of the results are listed after this long without a keystroke
 * (µs): longer than the time between two keys of someone typing. */
#define FILL_PAUSE 250000

struct _BounceCatalogueWindow
{
  AdwWindow        parent_instance;

  BounceCatalogue *catalogue;
  GPtrArray       *all;         /* BounceEntry: listed without a query */
  GListStore      *all_listed;  /* BounceEntry: those listed so far */
  GtkSingleSelection *all_selection;
  GPtrArray       *results;     /* BounceEntry: the current query's results
                                 * (all, without a query) */
  GListStore      *listed;      /* BounceEntry: those of a query listed so far */
  GtkSingleSelection *selection;
  guint            fill_id;     /* tick callback listing the rest */
  gint64           fill_after;  /* ... of a query from this time on (monotonic µs) */
  /* The list is being replaced: its selection changes are not the user's. */
  gboolean         updating;
  /* Ahead of the first keystroke, in idle time (see warm_up): the
   * characters to draw, and a label of each font not yet drawn */
  char            *warm_chars;
  GPtrArray       *warm_labels;
  guint            warm_id;

  AdwLeaflet      *leaflet;
  GtkSearchEntry  *search_entry;
  GtkStack        *list_stack;
  GtkScrolledWindow *all_scroller;
  GtkListView     *all_list;
  GtkScrolledWindow *results_scroller;
  GtkListView     *results_list;
  AdwWindowTitle  *detail_title;
  GtkWidget       *detail_bin;
  GtkStack        *detail_stack;
  GtkScrolledWindow *detail_scroller;
  BounceEntryCard *card;
};

G_DEFINE_FINAL_TYPE (BounceCatalogueWindow, bounce_catalogue_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CATALOGUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

BounceCatalogueWindow *
bounce_catalogue_window_new (BounceCatalogue *catalogue)
{
  return g_object_new (BOUNCE_TYPE_CATALOGUE_WINDOW, "catalogue", catalogue, NULL);
}

static const char *
kind_label (BounceEntryKind kind)
{
  switch (kind)
    {
    case BOUNCE_ENTRY_CLASS:
      return _("Status class");
    case BOUNCE_ENTRY_SUBJECT:
      return _("Status group");
    case BOUNCE_ENTRY_ENHANCED:
      return _("Enhanced status code");
    case BOUNCE_ENTRY_REPLY:
      return _("SMTP reply code");
    case BOUNCE_ENTRY_RULE:
      return _("Server message");
    case BOUNCE_ENTRY_REASON:
      return _("Reason");
    case BOUNCE_ENTRY_BLOCKLIST:
      return _("Blocklist");
    case BOUNCE_ENTRY_PROVIDER:
      return _("Mail provider");
    default:
      return "";
    }
}

static char *
make_subtitle (BounceCatalogue *catalogue,
               BounceEntry     *entry)
{
  GString *subtitle = g_string_new (NULL);
  const char *code = bounce_entry_get_code (entry);

  if (code != NULL && bounce_entry_get_kind (entry) != BOUNCE_ENTRY_REASON
      && bounce_entry_get_kind (entry) != BOUNCE_ENTRY_PROVIDER)
    {
      g_string_append (subtitle, code);
      g_string_append (subtitle, " · ");
    }
  g_string_append (subtitle, kind_label (bounce_entry_get_kind (entry)));
  if (bounce_entry_get_provider (entry) != NULL)
    {
      BounceEntry *provider = bounce_catalogue_find_provider (catalogue, bounce_entry_get_provider (entry));

      g_string_append (subtitle, " · ");
      g_string_append (subtitle, provider ? bounce_entry_get_title (provider) : bounce_entry_get_provider (entry));
    }
  if (bounce_entry_get_closed (entry))
    {
      g_string_append (subtitle, " · ");
      g_string_append (subtitle, _("Closed"));
    }
  /* Rules often share a title; a line they match tells them apart. */
  if (bounce_entry_get_kind (entry) == BOUNCE_ENTRY_RULE && bounce_entry_get_examples (entry)[0] != NULL)
    {
      g_string_append (subtitle, " · ");
      /* Translators: a line from a bounce, quoted */
      g_string_append_printf (subtitle, _("“%s”"), bounce_entry_get_examples (entry)[0]);
    }

  return g_string_free (subtitle, FALSE);
}

static void activate_position (BounceCatalogueWindow *self,
                               guint                  position);

static void
on_row_clicked (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                GtkListItem     *item)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *self = gtk_widget_get_ancestor (row, BOUNCE_TYPE_CATALOGUE_WINDOW);

  /* One click opens the entry, as a row of a list box does. */
  if (n_press == 1 && self != NULL && gtk_list_item_get_position (item) != GTK_INVALID_LIST_POSITION)
    activate_position (BOUNCE_CATALOGUE_WINDOW (self), gtk_list_item_get_position (item));
}

static void
setup_row (GtkListItemFactory    *factory,
           GtkListItem           *item,
           BounceCatalogueWindow *self)
{
  GtkWidget *row = adw_bin_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *sub = gtk_label_new (NULL);
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  /* Its narrowest is given, not found by laying the title out a
   * word a line (see the entry card's explanation). */
  gtk_label_set_width_chars (GTK_LABEL (title), BOUNCE_WRAP_TITLE_CHARS);
  bounce_wrap_label_without_hyphens (GTK_LABEL (title));
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_widget_add_css_class (sub, "caption");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), sub);
  g_signal_connect_object (click, "released", G_CALLBACK (on_row_clicked), item, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  /* The list view asks its rows for their width at its height. */
  adw_bin_set_child (ADW_BIN (row), box);
  bounce_wrap_set_row_layout (row, 0);
  gtk_list_item_set_child (item, row);
}

static void
bind_row (GtkListItemFactory    *factory,
          GtkListItem           *item,
          BounceCatalogueWindow *self)
{
  BounceEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_widget_get_first_child (adw_bin_get_child (ADW_BIN (child)));
  GtkWidget *sub = gtk_widget_get_next_sibling (title);
  g_autofree char *subtitle = make_subtitle (self->catalogue, entry);
  /* The row a screen reader lands on is the list's item around ours. */
  GtkWidget *row = gtk_widget_get_parent (child) ? gtk_widget_get_parent (child) : child;

  gtk_label_set_label (GTK_LABEL (title), bounce_entry_get_title (entry));
  gtk_label_set_label (GTK_LABEL (sub), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, bounce_entry_get_title (entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);
}

/* Adds the next batch of items to a list (TRUE while some are left). */
static gboolean
fill_batch (GListStore *store,
            GPtrArray  *items)
{
  guint listed = g_list_model_get_n_items (G_LIST_MODEL (store));
  guint batch = listed < ROWS_MADE ? ROWS_PER_FRAME : items->len - listed;

  if (listed < items->len)
    {
      batch = MIN (batch, items->len - listed);
      g_list_store_splice (store, listed, 0, items->pdata + listed, batch);
      listed += batch;
    }
  return listed < items->len;
}

/* Each frame until all are there: lists the next batch of the whole
 * catalogue (when the window opens) and, once the typing pauses, of the
 * current query's results; without a query, takes away a batch of the
 * last query's rows (hidden; a key after a pause would otherwise remove
 * them all). */
static gboolean
fill_list (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  BounceCatalogueWindow *self = user_data;
  gboolean more = FALSE;

  if (self->all != NULL)
    more |= fill_batch (self->all_listed, self->all);
  if (self->results != NULL && self->results != self->all)
    {
      if (gdk_frame_clock_get_frame_time (clock) < self->fill_after)
        more = TRUE;
      else
        more |= fill_batch (self->listed, self->results);
    }
  else
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->listed));
      guint batch = MIN (n, ROWS_PER_FRAME);

      if (batch > 0)
        g_list_store_splice (self->listed, n - batch, batch, NULL, 0);
      more |= n > batch;
    }
  if (more)
    return G_SOURCE_CONTINUE;

  self->fill_id = 0;
  return G_SOURCE_REMOVE;
}

static void
start_filling (BounceCatalogueWindow *self)
{
  if (self->fill_id == 0)
    self->fill_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), fill_list, self, NULL);
}

/* The selection of the list shown: the whole catalogue's or the query's. */
static GtkSingleSelection *
shown_selection (BounceCatalogueWindow *self)
{
  return self->results != NULL && self->results == self->all ? self->all_selection : self->selection;
}

static gboolean
bounce_catalogue_window_is_folded (BounceCatalogueWindow *self)
{
  return adw_leaflet_get_folded (self->leaflet);
}

/* How many rows fill the list's height, the last one perhaps in part
 * (every key makes these rows anew: no more). */
static guint
first_screenful (BounceCatalogueWindow *self)
{
  GtkWidget *list = gtk_stack_get_visible_child (self->list_stack) == GTK_WIDGET (self->all_scroller)
                    ? GTK_WIDGET (self->all_list) : GTK_WIDGET (self->results_list);
  int height = gtk_widget_get_height (GTK_WIDGET (self->list_stack));
  int row_height = MIN_ROW_HEIGHT;

  /* (before the window is laid out, its default height) */
  if (height <= 0)
    height = 640;
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (gtk_widget_get_mapped (row) && gtk_widget_get_height (row) > 0)
      row_height = MIN (row_height, gtk_widget_get_height (row));
  return height / MAX (row_height, 1) + 1;
}

static void
bounce_catalogue_window_search (BounceCatalogueWindow *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (query));
  guint first_rows;

  if (self->catalogue == NULL)
    return;

  first_rows = first_screenful (self);
  self->updating = TRUE;
  if (*stripped == '\0')
    {
      if (self->all == NULL)
        {
          GPtrArray *all = bounce_catalogue_get_entries (self->catalogue);

          /* (lists of phrases are explained by their reason's entry) */
          self->all = g_ptr_array_new ();
          for (guint i = 0; i < all->len; i++)
            if (bounce_entry_get_kind (all->pdata[i]) != BOUNCE_ENTRY_PHRASES)
              g_ptr_array_add (self->all, all->pdata[i]);
          /* The first screenful at once, the rest from the first frames
           * on. */
          g_list_store_splice (self->all_listed, 0, 0, self->all->pdata, MIN (first_rows, self->all->len));
        }
      g_clear_pointer (&self->results, g_ptr_array_unref);
      self->results = g_ptr_array_ref (self->all);
      /* (the last query's rows go a batch per frame, hidden) */
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      gtk_single_selection_set_selected (self->all_selection, GTK_INVALID_LIST_POSITION);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->all_scroller), 0);
      gtk_widget_set_visible (GTK_WIDGET (self->all_scroller), TRUE);
      gtk_stack_set_visible_child_name (self->list_stack, "all");
      if (g_list_model_get_n_items (G_LIST_MODEL (self->all_listed)) < self->all->len
          || g_list_model_get_n_items (G_LIST_MODEL (self->listed)) > 0)
        start_filling (self);
      bounce_catalogue_window_show_entry (self, NULL);
      self->updating = FALSE;
      return;
    }

  results = bounce_catalogue_search (self->catalogue, stripped);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  self->results = g_ptr_array_ref (results);

  {
    guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->listed));
    guint same;

    first_rows = MIN (results->len, first_rows);
    /* Rows the new query shares at the top stay as they are. */
    for (same = 0; same < MIN (n_old, results->len); same++)
      {
        g_autoptr(BounceEntry) listed = g_list_model_get_item (G_LIST_MODEL (self->listed), same);

        if (listed != g_ptr_array_index (results, same))
          break;
      }
    g_list_store_splice (self->listed, same, n_old - same, results->pdata + same,
                         first_rows > same ? first_rows - same : 0);
  }
  /* The rest when the typing pauses (and never in this frame: it has the
   * answer to show). */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->listed)) < results->len)
    {
      self->fill_after = g_get_monotonic_time () + FILL_PAUSE;
      start_filling (self);
    }
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->results_scroller), 0);
  gtk_stack_set_visible_child_name (self->list_stack, results->len > 0 ? "results" : "none");
  /* (hidden, the whole catalogue keeps its rows; a screen reader does not
   * read them among the results) */
  gtk_widget_set_visible (GTK_WIDGET (self->all_scroller), FALSE);

  /* Side by side, the best match is read as it is typed; with nothing
   * found, no entry is shown rather than an old one. */
  if (results->len > 0 && !bounce_catalogue_window_is_folded (self))
    {
      gtk_single_selection_set_selected (self->selection, 0);
      bounce_catalogue_window_show_entry (self, g_ptr_array_index (results, 0));
    }
  else
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      bounce_catalogue_window_show_entry (self, NULL);
    }
  self->updating = FALSE;
}

void
bounce_catalogue_window_set_query (BounceCatalogueWindow *self,
                                   const char            *query)
{
  g_return_if_fail (BOUNCE_IS_CATALOGUE_WINDOW (self));

  /* (Each change of the text searches at once.) */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query ? query : "");
  /* What is typed next goes after the query, not before it. */
  gtk_editable_set_position (GTK_EDITABLE (self->search_entry), -1);
  if (self->results != NULL && self->results->len > 0 && query != NULL && *query != '\0')
    {
      self->updating = TRUE;
      gtk_single_selection_set_selected (shown_selection (self), 0);
      bounce_catalogue_window_show_entry (self, bounce_catalogue_window_get_result (self, 0));
      self->updating = FALSE;
    }
}

guint
bounce_catalogue_window_get_n_results (BounceCatalogueWindow *self)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE_WINDOW (self), 0);
  return self->results != NULL ? self->results->len : 0;
}

BounceEntry *
bounce_catalogue_window_get_result (BounceCatalogueWindow *self,
                                    guint                  index)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE_WINDOW (self), NULL);

  if (self->results == NULL || index >= self->results->len)
    return NULL;
  return g_ptr_array_index (self->results, index);
}

void
bounce_catalogue_window_show_entry (BounceCatalogueWindow *self,
                                    BounceEntry           *entry)
{
  g_return_if_fail (BOUNCE_IS_CATALOGUE_WINDOW (self));

  bounce_entry_card_set_entry (self->card, entry);
  adw_window_title_set_title (self->detail_title, entry ? bounce_entry_get_title (entry) : NULL);
  gtk_stack_set_visible_child_name (self->detail_stack, entry ? "entry" : "empty");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->detail_scroller), 0);
}

BounceEntry *
bounce_catalogue_window_get_shown_entry (BounceCatalogueWindow *self)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE_WINDOW (self), NULL);
  return bounce_entry_card_get_entry (self->card);
}

static void
on_search_changed (BounceCatalogueWindow *self)
{
  /* Typed on the detail of a folded window (the window passes keys on
   * to the search): the new results are on the list. */
  if (bounce_catalogue_window_is_folded (self))
    adw_leaflet_set_visible_child_name (self->leaflet, "list");
  bounce_catalogue_window_search (self);
}

static void
activate_position (BounceCatalogueWindow *self,
                   guint                  position)
{
  BounceEntry *entry = bounce_catalogue_window_get_result (self, position);

  if (entry == NULL)
    return;
  /* (Enter in the search activates the first result, listed or not yet.) */
  if (position < g_list_model_get_n_items (gtk_single_selection_get_model (shown_selection (self))))
    gtk_single_selection_set_selected (shown_selection (self), position);
  bounce_catalogue_window_show_entry (self, entry);
  adw_leaflet_set_visible_child_name (self->leaflet, "detail");
}

static void
on_search_activate (BounceCatalogueWindow *self)
{
  activate_position (self, 0);
}

static void
on_stop_search (BounceCatalogueWindow *self)
{
  /* Escape clears the search first, then closes the window. */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
on_selection_changed (BounceCatalogueWindow *self)
{
  BounceEntry *entry = gtk_single_selection_get_selected_item (shown_selection (self));

  /* The keyboard moving through the list shows what it selects. */
  if (!self->updating && entry != NULL)
    bounce_catalogue_window_show_entry (self, entry);
}

static void
on_row_activated (BounceCatalogueWindow *self,
                  guint                  position)
{
  activate_position (self, position);
}

static void
on_back_clicked (BounceCatalogueWindow *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
prepare_search_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  bounce_catalogue_prepare_search (task_data);
  g_task_return_boolean (task, TRUE);
}

/* The first keystroke after the window opened took more than a frame
 * (24 ms of main-thread CPU against 5 ms for the next ones), most of it
 * in painting: its frame was the first since the window opened to paint
 * most of the window again, and it touched some 1,100 pages of fresh
 * memory, about half for the image the frame is drawn in, half for the
 * shared memory cairo's X11 backend sends it to the server in; a redraw
 * of the whole window beforehand does not help, since GTK paints only
 * what changed.  So, once the window is on screen, in idle time: each
 * font of its labels draws the characters of the catalogue's titles and
 * subtitles off screen, with the window's own renderer, one font per idle
 * turn (the first results and the entry beside them drew glyphs nothing
 * had drawn yet: the whole catalogue listed shows few of them); then the
 * window is painted in full once, at an opacity no screen shows (254/255),
 * and put back after that frame, which leaves such a frame's memory in
 * use.  The first key then costs about as much as the next ones (9 ms
 * against 24 at the same load; bench-window --only search --verbose). */

/* The characters to draw: printable ASCII, and those of the titles and
 * subtitles of the catalogue's entries beyond it. */
static char *
warm_up_characters (BounceCatalogueWindow *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  GString *chars = g_string_new (NULL);
  GPtrArray *entries = bounce_catalogue_get_entries (self->catalogue);

  for (gunichar c = 0x21; c < 0x7f; c++)
    g_string_append_c (chars, (char) c);
  for (guint i = 0; i < entries->len; i++)
    {
      g_autofree char *subtitle = make_subtitle (self->catalogue, entries->pdata[i]);
      const char *texts[] = { bounce_entry_get_title (entries->pdata[i]), subtitle };

      for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
        for (const char *p = texts[t]; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
          {
            gunichar c = g_utf8_get_char (p);

            if (c >= 0x80 && g_unichar_isgraph (c) && !g_hash_table_contains (seen, GUINT_TO_POINTER (c)))
              {
                g_hash_table_add (seen, GUINT_TO_POINTER (c));
                g_string_append_unichar (chars, c);
              }
          }
    }
  return g_string_free (chars, FALSE);
}

/* One label of each font in the window, the hidden entry's too. */
static void
collect_fonts (GtkWidget *widget,
               GPtrArray *labels)
{
  if (GTK_IS_LABEL (widget))
    {
      PangoFontDescription *font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
      gboolean known = FALSE;

      for (guint i = 0; i < labels->len && !known; i++)
        known = pango_font_description_equal (font, pango_context_get_font_description (
                                                gtk_widget_get_pango_context (labels->pdata[i])));
      if (!known)
        g_ptr_array_add (labels, g_object_ref (widget));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_fonts (child, labels);
}

/* Draws the characters in the font of one label, off screen. */
static void
draw_font (BounceCatalogueWindow *self,
           GtkWidget             *label,
           const char            *chars)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (label, chars);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  const GdkRGBA black = { 0, 0, 0, 1 };

  pango_layout_set_width (layout, 480 * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_CHAR);
  gtk_snapshot_append_layout (snapshot, layout, &black);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node != NULL && renderer != NULL)
    g_object_unref (gsk_renderer_render_texture (renderer, node, NULL));
}

static void
on_repainted (GdkFrameClock         *clock,
              BounceCatalogueWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_repainted, self);
  gtk_widget_set_opacity (adw_window_get_content (ADW_WINDOW (self)), 1);
}

static gboolean
warm_up (gpointer data)
{
  BounceCatalogueWindow *self = data;
  g_autoptr(GtkWidget) label = NULL;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->warm_chars == NULL)
    {
      self->warm_chars = warm_up_characters (self);
      self->warm_labels = g_ptr_array_new_with_free_func (g_object_unref);
      collect_fonts (GTK_WIDGET (self), self->warm_labels);
      return G_SOURCE_CONTINUE;
    }
  if (self->warm_labels->len > 0)
    {
      label = g_ptr_array_steal_index (self->warm_labels, self->warm_labels->len - 1);
      draw_font (self, label, self->warm_chars);
      return G_SOURCE_CONTINUE;
    }
  /* Last, once the whole catalogue is listed (painted before that, the
   * frame left the first key with half its page faults: memory taken in
   * between): the repaint, its opacity put back after the frame it is
   * painted in. */
  if (self->fill_id != 0)
    {
      /* (not every idle turn meanwhile) */
      self->warm_id = g_timeout_add_full (G_PRIORITY_LOW, 100, warm_up, self, NULL);
      return G_SOURCE_REMOVE;
    }
  if (clock != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      gtk_widget_set_opacity (adw_window_get_content (ADW_WINDOW (self)), 254.0 / 255);
      g_signal_connect (clock, "after-paint", G_CALLBACK (on_repainted), self);
    }
  self->warm_id = 0;
  return G_SOURCE_REMOVE;
}

static void
on_first_frame (GdkFrameClock         *clock,
                BounceCatalogueWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame, self);
  /* (after what is pending: the list's rows, a first keystroke) */
  if (self->catalogue != NULL && self->warm_chars == NULL && self->warm_id == 0)
    self->warm_id = g_idle_add_full (G_PRIORITY_LOW, warm_up, self, NULL);
}

static void
bounce_catalogue_window_map (GtkWidget *widget)
{
  BounceCatalogueWindow *self = BOUNCE_CATALOGUE_WINDOW (widget);

  GTK_WIDGET_CLASS (bounce_catalogue_window_parent_class)->map (widget);
  if (self->warm_chars == NULL && self->warm_id == 0)
    g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint", G_CALLBACK (on_first_frame), self);
}

static void
bounce_catalogue_window_unmap (GtkWidget *widget)
{
  BounceCatalogueWindow *self = BOUNCE_CATALOGUE_WINDOW (widget);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  if (clock != NULL)
    {
      g_signal_handlers_disconnect_by_func (clock, on_first_frame, self);
      if (g_signal_handlers_disconnect_by_func (clock, on_repainted, self) > 0)
        gtk_widget_set_opacity (adw_window_get_content (ADW_WINDOW (self)), 1);
    }
  GTK_WIDGET_CLASS (bounce_catalogue_window_parent_class)->unmap (widget);
}

static void
bounce_catalogue_window_constructed (GObject *object)
{
  BounceCatalogueWindow *self = BOUNCE_CATALOGUE_WINDOW (object);

  G_OBJECT_CLASS (bounce_catalogue_window_parent_class)->constructed (object);

  if (self->catalogue != NULL)
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

      /* Ready before the first keystroke, most likely; if not, the first
       * search waits for it. */
      g_task_set_task_data (task, g_object_ref (self->catalogue), g_object_unref);
      g_task_run_in_thread (task, prepare_search_thread);
    }

  bounce_catalogue_window_search (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
bounce_catalogue_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  BounceCatalogueWindow *self = BOUNCE_CATALOGUE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CATALOGUE:
      g_value_set_object (value, self->catalogue);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_catalogue_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  BounceCatalogueWindow *self = BOUNCE_CATALOGUE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CATALOGUE:
      self->catalogue = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_catalogue_window_dispose (GObject *object)
{
  BounceCatalogueWindow *self = BOUNCE_CATALOGUE_WINDOW (object);

  if (self->fill_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fill_id);
      self->fill_id = 0;
    }
  g_clear_handle_id (&self->warm_id, g_source_remove);
  g_clear_pointer (&self->warm_labels, g_ptr_array_unref);
  g_clear_pointer (&self->warm_chars, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), BOUNCE_TYPE_CATALOGUE_WINDOW);
  g_clear_object (&self->selection);
  g_clear_object (&self->listed);
  g_clear_object (&self->all_selection);
  g_clear_object (&self->all_listed);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->all, g_ptr_array_unref);
  g_clear_object (&self->catalogue);

  G_OBJECT_CLASS (bounce_catalogue_window_parent_class)->dispose (object);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  BounceCatalogueWindow *self = BOUNCE_CATALOGUE_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
bounce_catalogue_window_class_init (BounceCatalogueWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bounce_catalogue_window_constructed;
  object_class->dispose = bounce_catalogue_window_dispose;
  object_class->get_property = bounce_catalogue_window_get_property;
  object_class->set_property = bounce_catalogue_window_set_property;
  widget_class->map = bounce_catalogue_window_map;
  widget_class->unmap = bounce_catalogue_window_unmap;

  properties[PROP_CATALOGUE] =
    g_param_spec_object ("catalogue", NULL, NULL, BOUNCE_TYPE_CATALOGUE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BOUNCE_TYPE_ENTRY_CARD);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/bounce-catalogue-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, all_scroller);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, all_list);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, results_scroller);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, results_list);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, detail_title);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, detail_bin);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, detail_scroller);
  gtk_widget_class_bind_template_child (widget_class, BounceCatalogueWindow, card);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);

  gtk_widget_class_install_action (widget_class, "catalogue.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "catalogue.search", NULL);
}

/* The entry shown, in its scrolled window, which asks for its height at
 * no given width (and does not use it: it neither grows with it nor
 * needs it).  Measured, the clamp laid out every label of the entry at its
 * widest once more than on screen, each time a key showed another
 * entry. */
static void
pane_measure (GtkWidget      *pane,
              GtkOrientation  orientation,
              int             for_size,
              int            *minimum,
              int            *natural,
              int            *minimum_baseline,
              int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (pane);

  *minimum = *natural = 0;
  *minimum_baseline = *natural_baseline = -1;
  if (child != NULL && gtk_widget_should_layout (child)
      && (orientation == GTK_ORIENTATION_HORIZONTAL || for_size >= 0))
    gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
}

static void
pane_allocate (GtkWidget *pane,
               int        width,
               int        height,
               int        baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (pane);

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

static GtkSingleSelection *
new_selection (BounceCatalogueWindow *self,
               GListStore            *store)
{
  GtkSingleSelection *selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (store)));

  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  g_signal_connect_object (selection, "selection-changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  return selection;
}

static void
bounce_catalogue_window_init (BounceCatalogueWindow *self)
{
  GtkWidget *overlay = adw_toast_overlay_new ();
  g_autoptr(GtkWidget) content = NULL;
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row), self, 0);
  self->listed = g_list_store_new (BOUNCE_TYPE_ENTRY);
  self->selection = new_selection (self, self->listed);
  gtk_list_view_set_factory (self->results_list, factory);
  gtk_list_view_set_model (self->results_list, GTK_SELECTION_MODEL (self->selection));
  self->all_listed = g_list_store_new (BOUNCE_TYPE_ENTRY);
  self->all_selection = new_selection (self, self->all_listed);
  gtk_list_view_set_factory (self->all_list, factory);
  gtk_list_view_set_model (self->all_list, GTK_SELECTION_MODEL (self->all_selection));
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  gtk_widget_set_layout_manager (self->detail_bin, gtk_custom_layout_new (NULL, pane_measure, pane_allocate));

  /* A link that no browser opens is told in a toast (bounce_open_link). */
  content = g_object_ref (adw_window_get_content (ADW_WINDOW (self)));
  adw_window_set_content (ADW_WINDOW (self), NULL);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), content);
  adw_window_set_content (ADW_WINDOW (self), overlay);
  bounce_a11y_watch_toasts (ADW_TOAST_OVERLAY (overlay));
}
