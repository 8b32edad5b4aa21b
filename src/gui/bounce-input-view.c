/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "bounce-a11y.h"
#include "bounce-entry-card.h"
#include "bounce-input-view.h"
#include "bounce-wrap.h"

struct _BounceInputView
{
  AdwBin          parent_instance;

  GPtrArray      *findings;     /* BounceFinding that were highlighted */
  guint           setting_text : 1;
  guint           show_admin : 1;
  /* Keep the scroll target in view while the layout settles (long lines
   * are measured lazily, the window may still be resized) until the user
   * scrolls, clicks or types. */
  guint           scroll_pending : 1;
  GtkTextMark    *scroll_mark;

  GtkPopover     *popover;
  BounceEntryCard *popover_card;

  GtkRevealer    *notice_revealer;
  GtkLabel       *notice_label;
  GtkButton      *notice_button;
  GtkScrolledWindow *scroller;
  GtkTextView    *text_view;
  GtkTextBuffer  *buffer;
  GtkWidget      *empty_page;

  GtkTextTag     *code_tag;
  GtkTextTag     *network_tag;
  GtkTextTag     *no_hyphens_tag;
};

G_DEFINE_FINAL_TYPE (BounceInputView, bounce_input_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_EMPTY,
  N_PROPS
};

enum {
  TEXT_EDITED,
  FILE_DROPPED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GtkTextView *
bounce_input_view_get_text_view (BounceInputView *self)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT_VIEW (self), NULL);
  return self->text_view;
}

GtkTextBuffer *
bounce_input_view_get_buffer (BounceInputView *self)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT_VIEW (self), NULL);
  return self->buffer;
}

gboolean
bounce_input_view_get_empty (BounceInputView *self)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT_VIEW (self), TRUE);
  return gtk_text_buffer_get_char_count (self->buffer) == 0;
}

char *
bounce_input_view_dup_text (BounceInputView *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (BOUNCE_IS_INPUT_VIEW (self), NULL);

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  return gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
}

static void
on_buffer_changed (BounceInputView *self)
{
  gboolean empty = gtk_text_buffer_get_char_count (self->buffer) == 0;
  GtkTextIter start, end;

  /* Pango would hyphenate an address it breaks; the text is shown as it
   * is.  New text takes no tags of its own, so the whole buffer gets it. */
  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_apply_tag (self->buffer, self->no_hyphens_tag, &start, &end);

  if (gtk_widget_get_visible (self->empty_page) != empty)
    {
      gtk_widget_set_visible (self->empty_page, empty);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY]);
    }

  if (!self->setting_text)
    g_signal_emit (self, signals[TEXT_EDITED], 0);
}

void
bounce_input_view_set_text (BounceInputView *self,
                            const char      *text,
                            gssize           length)
{
  GtkTextIter start;

  g_return_if_fail (BOUNCE_IS_INPUT_VIEW (self));

  bounce_input_view_clear_findings (self);
  self->scroll_pending = FALSE;
  self->setting_text = TRUE;
  /* GTK 4.8 keeps the line heights of the text it replaces: the first
   * lines of a new long text were then placed where the old text ended,
   * and scrolling to a code laid out the lines there (100 ms for 128 KB).
   * Without the view the buffer changes alone, and the view lays out the
   * new text afresh. */
  if (gtk_text_buffer_get_char_count (self->buffer) > 0)
    {
      gtk_text_view_set_buffer (self->text_view, NULL);
      gtk_text_buffer_set_text (self->buffer, text ? text : "", text ? length : 0);
      gtk_text_view_set_buffer (self->text_view, self->buffer);
    }
  else
    {
      gtk_text_buffer_set_text (self->buffer, text ? text : "", text ? length : 0);
    }
  self->setting_text = FALSE;

  gtk_text_buffer_get_start_iter (self->buffer, &start);
  gtk_text_buffer_place_cursor (self->buffer, &start);
}

void
bounce_input_view_clear_findings (BounceInputView *self)
{
  GtkTextIter start, end;

  g_return_if_fail (BOUNCE_IS_INPUT_VIEW (self));

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->code_tag, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->network_tag, &start, &end);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
}

static GtkTextTag *
tag_for_finding (BounceInputView *self,
                 BounceFinding   *finding)
{
  switch (finding->kind)
    {
    case BOUNCE_FINDING_REPLY_CODE:
    case BOUNCE_FINDING_ENHANCED_CODE:
    case BOUNCE_FINDING_PROVIDER_TOKEN:
      return self->code_tag;
    case BOUNCE_FINDING_IPV4:
    case BOUNCE_FINDING_IPV6:
      return self->network_tag;
    case BOUNCE_FINDING_DNSBL_ZONE:
      return self->network_tag;
    case BOUNCE_FINDING_HOSTNAME:
    case BOUNCE_FINDING_EMAIL:
    case BOUNCE_FINDING_URL:
    default:
      return NULL;
    }
}

void
bounce_input_view_set_findings (BounceInputView *self,
                                GPtrArray       *findings)
{
  g_autoptr(GPtrArray) kept = NULL;
  glong n_chars;

  g_return_if_fail (BOUNCE_IS_INPUT_VIEW (self));

  bounce_input_view_clear_findings (self);
  if (findings == NULL)
    return;

  n_chars = gtk_text_buffer_get_char_count (self->buffer);
  kept = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_finding_free);

  for (guint i = 0; i < findings->len; i++)
    {
      BounceFinding *finding = g_ptr_array_index (findings, i);
      GtkTextTag *tag = tag_for_finding (self, finding);
      GtkTextIter start, end;

      if (tag == NULL)
        continue;
      /* Findings are sorted by offset: the rest lie beyond a truncated view. */
      if (finding->offset + finding->length > n_chars)
        break;

      gtk_text_buffer_get_iter_at_offset (self->buffer, &start, finding->offset);
      gtk_text_buffer_get_iter_at_offset (self->buffer, &end, finding->offset + finding->length);
      gtk_text_buffer_apply_tag (self->buffer, tag, &start, &end);
      g_ptr_array_add (kept, bounce_finding_copy (finding));
    }

  self->findings = g_steal_pointer (&kept);
}

BounceFinding *
bounce_input_view_get_finding_at (BounceInputView *self,
                                  glong            offset)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT_VIEW (self), NULL);

  for (guint i = 0; self->findings != NULL && i < self->findings->len; i++)
    {
      BounceFinding *finding = g_ptr_array_index (self->findings, i);

      if (offset >= finding->offset && offset < finding->offset + finding->length)
        return finding;
      if (finding->offset > offset)
        break;
    }

  return NULL;
}

/* Where the scroll target sits, from the top of the view. */
#define SCROLL_YALIGN 0.3

static void
scroll_to_target (BounceInputView *self)
{
  GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->text_view));
  double page = gtk_adjustment_get_page_size (vadj);
  GdkRectangle visible, location;
  GtkTextIter iter;
  double value;

  /* Before the first allocation, GTK scrolls once the layout exists. */
  if (page <= 0 || !gtk_widget_get_mapped (GTK_WIDGET (self->text_view)))
    {
      gtk_text_view_scroll_to_mark (self->text_view, self->scroll_mark, 0.0, TRUE, 0.0, SCROLL_YALIGN);
      return;
    }

  /* GTK 4.8's scroll_to_mark can stop short near the top of the buffer;
   * the adjustment is set from the line's position instead. */
  gtk_text_buffer_get_iter_at_mark (self->buffer, &iter, self->scroll_mark);
  gtk_text_view_get_iter_location (self->text_view, &iter, &location);
  gtk_text_view_get_visible_rect (self->text_view, &visible);
  value = gtk_adjustment_get_value (vadj) - visible.y + location.y - SCROLL_YALIGN * visible.height;
  value = CLAMP (value, gtk_adjustment_get_lower (vadj),
                 gtk_adjustment_get_upper (vadj) - page);
  gtk_adjustment_set_value (vadj, value);
}

static void
on_vadjustment_changed (BounceInputView *self)
{
  if (self->scroll_pending)
    scroll_to_target (self);
}

static void
stop_following (BounceInputView *self)
{
  self->scroll_pending = FALSE;
}

static gboolean
on_user_scroll (GtkEventControllerScroll *controller,
                double                    dx,
                double                    dy,
                BounceInputView          *self)
{
  stop_following (self);
  return FALSE;
}

static gboolean
on_user_key (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             BounceInputView       *self)
{
  stop_following (self);
  return FALSE;
}

void
bounce_input_view_scroll_to_chars (BounceInputView *self,
                                   glong            offset)
{
  GtkTextIter iter;

  g_return_if_fail (BOUNCE_IS_INPUT_VIEW (self));

  gtk_text_buffer_get_iter_at_offset (self->buffer, &iter, offset);
  gtk_text_buffer_move_mark (self->buffer, self->scroll_mark, &iter);
  self->scroll_pending = TRUE;
  scroll_to_target (self);
}

gboolean
bounce_input_view_select_chars (BounceInputView *self,
                                glong            start,
                                glong            end)
{
  GtkTextIter istart, iend;

  g_return_val_if_fail (BOUNCE_IS_INPUT_VIEW (self), FALSE);

  if (start < 0 || end < start || end > gtk_text_buffer_get_char_count (self->buffer))
    return FALSE;

  gtk_text_buffer_get_iter_at_offset (self->buffer, &istart, start);
  gtk_text_buffer_get_iter_at_offset (self->buffer, &iend, end);
  gtk_text_buffer_select_range (self->buffer, &istart, &iend);
  bounce_input_view_scroll_to_chars (self, start);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));

  return TRUE;
}

gboolean
bounce_input_view_get_scroll_pending (BounceInputView *self)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT_VIEW (self), FALSE);
  return self->scroll_pending;
}

/* The popover with a code's entry, built when first shown: a window that
 * never shows it does not build, style and measure it before its first
 * frame. */
static void
bounce_input_view_ensure_popover (BounceInputView *self)
{
  GtkWidget *scroller;

  if (self->popover != NULL)
    return;

  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_position (self->popover, GTK_POS_BOTTOM);
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self->popover), "entry-popover");
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
  self->popover_card = BOUNCE_ENTRY_CARD (bounce_entry_card_new (NULL));
  bounce_entry_card_set_selectable (self->popover_card, FALSE);
  bounce_entry_card_set_show_admin (self->popover_card, self->show_admin);
  gtk_widget_set_size_request (GTK_WIDGET (self->popover_card), 300, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->popover_card));
  gtk_popover_set_child (self->popover, scroller);
}

gboolean
bounce_input_view_popup_entry_at (BounceInputView *self,
                                  glong            offset)
{
  BounceFinding *finding;
  BounceEntry *entry = NULL;
  GtkTextIter iter;
  GdkRectangle rect;
  graphene_point_t point;
  int wx, wy;

  g_return_val_if_fail (BOUNCE_IS_INPUT_VIEW (self), FALSE);

  finding = bounce_input_view_get_finding_at (self, offset);
  if (finding == NULL)
    return FALSE;

  if (finding->entry_id != NULL)
    entry = bounce_catalogue_lookup (bounce_catalogue_get_default (), finding->entry_id);
  if (entry == NULL)
    return FALSE;

  gtk_text_buffer_get_iter_at_offset (self->buffer, &iter, finding->offset);
  gtk_text_view_get_iter_location (self->text_view, &iter, &rect);
  gtk_text_view_buffer_to_window_coords (self->text_view, GTK_TEXT_WINDOW_WIDGET,
                                         rect.x, rect.y, &wx, &wy);
  if (!gtk_widget_compute_point (GTK_WIDGET (self->text_view), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (wx, wy), &point))
    return FALSE;

  rect.x = point.x;
  rect.y = point.y;
  rect.width = MAX (rect.width, 1);

  bounce_input_view_ensure_popover (self);
  bounce_entry_card_set_entry (self->popover_card, entry);
  gtk_popover_set_pointing_to (self->popover, &rect);
  gtk_popover_popup (self->popover);

  return TRUE;
}

void
bounce_input_view_set_notice (BounceInputView *self,
                              const char      *text,
                              const char      *button_label,
                              const char      *action_name)
{
  g_return_if_fail (BOUNCE_IS_INPUT_VIEW (self));

  gtk_label_set_label (self->notice_label, text ? text : "");
  gtk_button_set_label (self->notice_button, button_label ? button_label : "");
  gtk_button_set_use_underline (self->notice_button, TRUE);
  bounce_a11y_fix_mnemonic_buttons (GTK_WIDGET (self->notice_button));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->notice_button), action_name);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_button), action_name != NULL);
  gtk_revealer_set_reveal_child (self->notice_revealer, text != NULL);
}

const char *
bounce_input_view_get_notice (BounceInputView *self)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT_VIEW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->notice_revealer))
    return NULL;
  return gtk_label_get_label (self->notice_label);
}

void
bounce_input_view_set_show_admin (BounceInputView *self,
                                  gboolean         show_admin)
{
  g_return_if_fail (BOUNCE_IS_INPUT_VIEW (self));

  self->show_admin = !!show_admin;
  if (self->popover_card != NULL)
    bounce_entry_card_set_show_admin (self->popover_card, show_admin);
}

static gboolean
offset_at_widget_point (BounceInputView *self,
                        double           x,
                        double           y,
                        glong           *offset)
{
  GtkTextIter iter;
  int bx, by;

  gtk_text_view_window_to_buffer_coords (self->text_view, GTK_TEXT_WINDOW_WIDGET,
                                         (int) x, (int) y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (self->text_view, &iter, bx, by))
    return FALSE;

  *offset = gtk_text_iter_get_offset (&iter);
  return TRUE;
}

static void
on_click_released (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   BounceInputView *self)
{
  glong offset;

  /* A drag that selected text is not a click on a highlight. */
  if (n_press != 1 || gtk_text_buffer_get_has_selection (self->buffer))
    return;

  if (offset_at_widget_point (self, x, y, &offset))
    bounce_input_view_popup_entry_at (self, offset);
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           BounceInputView          *self)
{
  glong offset;
  gboolean over = offset_at_widget_point (self, x, y, &offset)
                  && bounce_input_view_get_finding_at (self, offset) != NULL;

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->text_view), over ? "pointer" : "text");
}

static void
on_empty_clicked (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  BounceInputView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static gboolean
on_drop_file (GtkDropTarget   *target,
              const GValue    *value,
              double           x,
              double           y,
              BounceInputView *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;

  g_signal_emit (self, signals[FILE_DROPPED], 0, files->data);
  g_slist_free (files);
  return TRUE;
}

static gboolean
on_drop_text (GtkDropTarget   *target,
              const GValue    *value,
              double           x,
              double           y,
              BounceInputView *self)
{
  const char *text;

  if (!G_VALUE_HOLDS (value, G_TYPE_STRING))
    return FALSE;

  text = g_value_get_string (value);
  if (text == NULL || *text == '\0')
    return FALSE;

  /* Text dropped on the text itself is inserted by GtkTextView; this
   * handles drops on the empty state, which replace the content. */
  gtk_text_buffer_set_text (self->buffer, text, -1);
  return TRUE;
}

/* Narrow windows fold the leaflet at the minimum width; side by side the
 * text should get a readable share, which the natural width asks for.  It
 * is the same whatever is shown: a notice or a long line appearing must not
 * make the panes jump. */
#define NATURAL_WIDTH 480

static void
input_view_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  *minimum = *natural = 0;
  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (*minimum, NATURAL_WIDTH);
}

static void
input_view_allocate (GtkWidget *widget,
                     int        width,
                     int        height,
                     int        baseline)
{
  BounceInputView *self = BOUNCE_INPUT_VIEW (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
  if (self->popover != NULL)
    gtk_popover_present (self->popover);
}

static void
bounce_input_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BounceInputView *self = BOUNCE_INPUT_VIEW (object);

  switch (prop_id)
    {
    case PROP_EMPTY:
      g_value_set_boolean (value, bounce_input_view_get_empty (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
bounce_input_view_grab_focus (GtkWidget *widget)
{
  BounceInputView *self = BOUNCE_INPUT_VIEW (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
bounce_input_view_dispose (GObject *object)
{
  BounceInputView *self = BOUNCE_INPUT_VIEW (object);

  if (self->popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->popover));
      self->popover = NULL;
      self->popover_card = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), BOUNCE_TYPE_INPUT_VIEW);
  g_clear_pointer (&self->findings, g_ptr_array_unref);

  G_OBJECT_CLASS (bounce_input_view_parent_class)->dispose (object);
}

static void
bounce_input_view_class_init (BounceInputViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bounce_input_view_dispose;
  object_class->get_property = bounce_input_view_get_property;

  widget_class->grab_focus = bounce_input_view_grab_focus;

  properties[PROP_EMPTY] =
    g_param_spec_boolean ("empty", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The user changed the text (typing, pasting, dropping), as opposed to
   * bounce_input_view_set_text(). */
  signals[TEXT_EDITED] =
    g_signal_new ("text-edited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[FILE_DROPPED] =
    g_signal_new ("file-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/bounce-input-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BounceInputView, notice_revealer);
  gtk_widget_class_bind_template_child (widget_class, BounceInputView, notice_label);
  gtk_widget_class_bind_template_child (widget_class, BounceInputView, notice_button);
  gtk_widget_class_bind_template_child (widget_class, BounceInputView, scroller);
  gtk_widget_class_bind_template_child (widget_class, BounceInputView, text_view);
  gtk_widget_class_bind_template_child (widget_class, BounceInputView, buffer);
  gtk_widget_class_bind_template_child (widget_class, BounceInputView, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_buffer_changed);
}

static void
bounce_input_view_init (BounceInputView *self)
{
  GtkEventController *controller;
  GtkDropTarget *drop;
  GtkTextIter start;
  GType text_types[] = { G_TYPE_STRING };

  gtk_widget_init_template (GTK_WIDGET (self));
  bounce_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
  bounce_wrap_without_hyphens (GTK_WIDGET (self));
  bounce_wrap_status_page (GTK_WIDGET (self->empty_page));
  gtk_widget_set_layout_manager (GTK_WIDGET (self),
                                 gtk_custom_layout_new (NULL, input_view_measure, input_view_allocate));

  /* Semi-transparent colours read well on both the light and dark style. */
  self->code_tag = gtk_text_buffer_create_tag (self->buffer, "code",
                                               "background-rgba", &(GdkRGBA) { 0.96, 0.76, 0.07, 0.40 },
                                               "weight", PANGO_WEIGHT_BOLD,
                                               NULL);
  self->network_tag = gtk_text_buffer_create_tag (self->buffer, "network",
                                                  "background-rgba", &(GdkRGBA) { 0.21, 0.52, 0.89, 0.30 },
                                                  NULL);
  self->no_hyphens_tag = gtk_text_buffer_create_tag (self->buffer, "no-hyphens",
                                                     "insert-hyphens", FALSE,
                                                     NULL);

  gtk_text_buffer_get_start_iter (self->buffer, &start);
  self->scroll_mark = gtk_text_buffer_create_mark (self->buffer, "scroll-target", &start, TRUE);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "changed",
                           G_CALLBACK (on_vadjustment_changed), self, G_CONNECT_SWAPPED);
  /* Anything the user does in the text (wheel, scrollbar, click, keys)
   * takes over from the automatic scroll; the capture phase sees it before
   * the text view or the scrollbar handle it. */
  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "scroll-begin", G_CALLBACK (stop_following), self);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_user_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), controller);
  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "pressed", G_CALLBACK (stop_following), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), controller);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_user_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  g_signal_connect (controller, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  g_signal_connect (controller, "released", G_CALLBACK (on_empty_clicked), self);
  gtk_widget_add_controller (self->empty_page, controller);

  /* Files win over GtkTextView's own text drop: catch them first. */
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drop), GTK_PHASE_CAPTURE);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop_file), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, text_types, G_N_ELEMENTS (text_types));
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop_text), self);
  gtk_widget_add_controller (self->empty_page, GTK_EVENT_CONTROLLER (drop));


  self->show_admin = TRUE;
}
