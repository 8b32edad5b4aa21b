/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>

#include "bounce-a11y.h"
#include "bounce-catalogue-window.h"
#include "bounce-entry-card.h"
#include "bounce-messages-view.h"
#include "bounce-recipient-row.h"
#include "bounce-window.h"
#include "bounce-wrap.h"

/* How the text view relates to the report, whose finding offsets refer to
 * the core's *decoded* display text (bounce_report_get_text):
 *
 * - An opened file is always shown as its decoded text: after the analysis
 *   the buffer is replaced with the display text (cut at
 *   BOUNCE_WINDOW_MAX_SHOWN with a notice), so every offset fits.
 * - Pasted or typed text is never rewritten behind the user's back.  When
 *   the display text equals the buffer (the usual case) the codes are
 *   highlighted in place.  When it differs (a whole message pasted with its
 *   MIME structure) the worker finds the report's codes again in the text
 *   as pasted and those are highlighted (view_findings).  Only when a part
 *   of it really was base64 or quoted-printable does a notice offer "Show
 *   Decoded Text", which swaps in the display text.
 *
 * - Pasted text longer than BOUNCE_WINDOW_MAX_SHOWN is treated like an
 *   opened file: the whole of it (big_paste) is analysed, and the view
 *   shows its beginning with a notice, then the display text, cut.  Putting
 *   megabytes into the text view would stall the window.
 *
 * Later edits are analysed as typed text again. */

#define DEBOUNCE_MS 250
#define SPINNER_DELAY_MS 150
#define MAX_RECIPIENT_ROWS 50
#define MAX_CODE_ROWS 30
#define MAX_ENTRY_CARDS 3
/* The report page is filled over several main-loop turns (see
 * bounce_window_fill_details): this many recipients in the first, then
 * this many, or this many code rows, in each later one. */
#define FIRST_RECIPIENT_ROWS 4
#define RECIPIENT_ROWS_PER_TURN 4
#define CODE_ROWS_PER_TURN 10
/* Pasted text up to this size has its codes located as pasted (bounded:
 * every match is kept until it is compared with the report's). */
#define MAX_LOCATE_SIZE (2 * 1024 * 1024)
/* The restored text is small; a bigger state file is ignored. */
#define MAX_STATE_SIZE (4 * 1024 * 1024)

struct _BounceWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  GCancellable         *check_cancellable;  /* the running live blocklist check */
  BounceBlocklistCheck *check;              /* the check the report allows, or NULL */
  BounceReport         *report;
  GFile                *file;
  GBytes               *big_paste;  /* all of a paste too long to show */
  GtkFileChooserNative *chooser;
  GtkWindow            *catalogue_window;
  /* The report's findings located in the pasted text, when the view shows
   * it instead of the display text. */
  GPtrArray            *view_findings;
  /* What a paste replaced, while its toast offers Undo. */
  GBytes               *undo_text;  /* NUL-terminated text */
  GFile                *undo_file;
  AdwToast             *undo_toast;

  /* When the view shows only the beginning of its text (a long file or
   * paste): how many bytes of it.  0 when it shows all of it. */
  gsize                 shown_bytes;
  guint                 debounce_id;
  guint                 spinner_id;
  guint                 result_pages_id;  /* builds the result pages */
  guint                 fill_id;          /* fills the rest of the report page */
  guint                 fill_stage;       /* FillStage: what fill_id adds next */
  guint                 fill_next;        /* the next recipient or code to add */
  guint                 fill_code_rows;   /* code rows added */
  GHashTable           *fill_codes_seen;  /* the codes of those rows */
  GPtrArray            *fill_cards;       /* CardPlan: the entry cards to add */
  guint                 busy : 1;
  guint                 view_matches_report : 1;
  guint                 navigate_on_result : 1;
  guint                 show_admin : 1;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *show_results_button;
  BounceInputView      *input_view;
  AdwWindowTitle       *window_title;
  GtkSpinner           *spinner;
  GtkMenuButton        *menu_button;
  GtkMenuButton        *input_menu_button;
  GMenuModel           *primary_menu;
  GtkStack             *results_stack;
  AdwStatusPage        *welcome_page;
  /* The result pages, from bounce-window-results.ui: NULL until one of
   * them is first shown (bounce_window_ensure_result_pages). */
  GtkScrolledWindow    *report_scroller;
  GtkWidget            *message_bar;
  GtkLabel             *message_label;
  GtkWidget            *all_messages_button;
  BounceVerdict        *verdict;
  BounceMessagesView   *messages_view;
  GtkWidget            *recipients_box;
  GtkLabel             *recipients_heading;
  GtkListBox           *recipients_list;
  GtkLabel             *more_recipients;
  GtkWidget            *entries_box;
  GtkBox               *entry_cards;
  GtkWidget            *codes_box;
  GtkListBox           *codes_list;
  GtkLabel             *codes_cut;
  BounceLinksGroup     *links_group;
  AdwStatusPage        *not_bounce_page;
  AdwStatusPage        *error_page;
};

G_DEFINE_FINAL_TYPE (BounceWindow, bounce_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_BUSY,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the later turns of filling the report page add, in this order,
 * from the top of the page down. */
typedef enum {
  FILL_RECIPIENTS,
  FILL_ENTRIES,
  FILL_CODES,
  FILL_LINKS,
} FillStage;

/* An entry card to add: the entry, and the recipient it explains. */
typedef struct {
  BounceEntry     *entry;
  BounceRecipient *recipient;
} CardPlan;

static void
card_plan_free (CardPlan *plan)
{
  g_clear_object (&plan->entry);
  g_clear_object (&plan->recipient);
  g_free (plan);
}

typedef struct {
  GWeakRef      window;
  GCancellable *cancellable;
  GBytes       *bytes;
  GFile        *file;
  /* The view holds bytes as pasted or typed; else (a file, a paste too
   * long to show) it gets the report's display text. */
  gboolean      pasted;
} Analysis;

static void
analysis_free (Analysis *a)
{
  g_weak_ref_clear (&a->window);
  g_clear_object (&a->cancellable);
  g_clear_pointer (&a->bytes, g_bytes_unref);
  g_clear_object (&a->file);
  g_free (a);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Analysis, analysis_free)

/* What the worker thread gets and gives back. */
typedef struct {
  GBytes *bytes;
  char   *source;
  gboolean pasted;
} AnalysisJob;

typedef struct {
  BounceReport *report;
  GPtrArray    *view_findings;
} AnalysisResult;

static void
analysis_job_free (AnalysisJob *job)
{
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job->source);
  g_free (job);
}

static void
analysis_result_free (AnalysisResult *result)
{
  g_clear_object (&result->report);
  g_clear_pointer (&result->view_findings, g_ptr_array_unref);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AnalysisResult, analysis_result_free)

static void bounce_window_update_actions (BounceWindow *self);
static void bounce_window_ensure_result_pages (BounceWindow *self);
static void bounce_window_stop_filling (BounceWindow *self);

/* The message of an mbox selected in the list, whose own result the page
 * shows, or NULL: the whole file's.  The list holds the report's messages
 * (or none), so the selection is the one place this is kept. */
static BounceReport *
shown_message (BounceWindow *self)
{
  BounceReport *message;

  /* Before the result pages are built there is no list to select in. */
  if (self->messages_view == NULL)
    return NULL;
  message = bounce_messages_view_get_selected_message (self->messages_view);
  /* A message is analysed when first shown; again is a no-op. */
  if (message != NULL)
    bounce_analyze_message (self->report, message, NULL);
  return message;
}

/* The report whose result the page shows: a message of an mbox when one is
 * selected, else the whole input's. */
static BounceReport *
shown_report (BounceWindow *self)
{
  BounceReport *message = shown_message (self);

  return message != NULL ? message : self->report;
}

/* Can the text view show text[start, end) of the report's display text?
 * A view of the text as pasted finds codes by their words (or offers the
 * decoded text); a view of the display text may be cut. */
static gboolean
bounce_window_can_show_range (BounceWindow *self,
                              gsize         start,
                              gsize         end)
{
  if (!self->view_matches_report || self->shown_bytes == 0)
    return TRUE;
  return start <= end && end <= self->shown_bytes;
}

/* The view's text is no longer an opened file's or a long paste's. */
static void
bounce_window_forget_source (BounceWindow *self)
{
  g_clear_object (&self->file);
  g_clear_pointer (&self->big_paste, g_bytes_unref);
  self->shown_bytes = 0;
}

static void
bounce_window_toast (BounceWindow *self,
                     const char   *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gboolean
show_spinner_cb (gpointer user_data)
{
  BounceWindow *self = user_data;

  self->spinner_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);
  return G_SOURCE_REMOVE;
}

static void
bounce_window_set_busy (BounceWindow *self,
                        gboolean      busy)
{
  busy = !!busy;
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  if (busy)
    {
      /* Most analyses finish well within this: no flicker for them. */
      self->spinner_id = g_timeout_add (SPINNER_DELAY_MS, show_spinner_cb, self);
    }
  else
    {
      gtk_spinner_stop (self->spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
bounce_window_cancel (BounceWindow *self)
{
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  bounce_window_set_busy (self, FALSE);
}

/* Cancels whatever runs and returns the cancellable of the new run. */
static GCancellable *
bounce_window_begin_run (BounceWindow *self)
{
  bounce_window_cancel (self);
  self->cancellable = g_cancellable_new ();
  bounce_window_set_busy (self, TRUE);
  return self->cancellable;
}

static void
remove_all_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    {
      if (GTK_IS_LIST_BOX (widget))
        gtk_list_box_remove (GTK_LIST_BOX (widget), child);
      else
        gtk_box_remove (GTK_BOX (widget), child);
    }
}

static void
bounce_window_set_page (BounceWindow *self,
                        const char   *page)
{
  if (!g_str_equal (page, "welcome"))
    bounce_window_ensure_result_pages (self);
  /* The report page comes at once, the others cross-fade: fading the
   * report in painted the whole page twice a frame, into fresh offscreen
   * surfaces, for the length of the fade (with the cairo renderer, the
   * first frame of it in a process took 54 to 101 ms of CPU opening a
   * 20 MB message, the longest stall of the main loop). */
  gtk_stack_set_visible_child_full (self->results_stack, page,
                                    g_str_equal (page, "report")
                                    ? GTK_STACK_TRANSITION_TYPE_NONE
                                    : gtk_stack_get_transition_type (self->results_stack));
  bounce_window_update_actions (self);
}

/* The results header names the message.  Folded to one pane, there is no
 * room for both lines: the message's name is then the title. */
static void
bounce_window_update_title (BounceWindow *self)
{
  g_autofree char *source = NULL;

  if (self->report != NULL && self->file != NULL)
    source = g_file_get_basename (self->file);
  else if (self->report != NULL)
    source = g_strdup (_("Pasted text"));

  if (source != NULL && adw_leaflet_get_folded (self->leaflet))
    {
      adw_window_title_set_title (self->window_title, source);
      adw_window_title_set_subtitle (self->window_title, NULL);
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("Bounce Assistant"));
      adw_window_title_set_subtitle (self->window_title, source);
    }
}

/* The live check belongs to one report: a new report (or none) stops it
 * and forgets its results. */
static void
bounce_window_reset_check (BounceWindow *self)
{
  if (self->check_cancellable != NULL)
    {
      g_cancellable_cancel (self->check_cancellable);
      g_clear_object (&self->check_cancellable);
    }
  g_clear_object (&self->check);
  if (self->links_group != NULL)
    {
      bounce_links_group_set_checking (self->links_group, FALSE);
      bounce_links_group_set_check_results (self->links_group, NULL);
      bounce_links_group_set_check_notice (self->links_group, NULL);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.check-blocklists", FALSE);
}

/* "45.83.220.17 and shop.example" */
static char *
join_targets (GPtrArray *targets)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < targets->len; i++)
    {
      if (i > 0 && i + 1 == targets->len)
        /* Translators: between the last two items of a list: "A, B and C" */
        g_string_append (out, _(" and "));
      else if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, targets->pdata[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* What a check of this report would send, said before anything is sent. */
static void
bounce_window_prepare_check (BounceWindow *self)
{
  g_autofree char *targets = NULL;
  g_autofree char *notice = NULL;
  guint n_lists;

  bounce_window_reset_check (self);
  self->check = bounce_blocklist_check_new_for_report (shown_report (self));
  if (bounce_blocklist_check_get_n_queries (self->check) == 0)
    {
      g_clear_object (&self->check);
      return;
    }
  targets = join_targets (bounce_blocklist_check_get_targets (self->check));
  n_lists = bounce_blocklist_check_get_services (self->check)->len;
  notice = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         /* Translators: %s is "192.0.2.1 and example.com", %u a number of lists */
                                         "The check sends %s to the DNS server of %u blocklist. Nothing is sent until you click.",
                                         "The check sends %s to the DNS servers of %u blocklists. Nothing is sent until you click.",
                                         n_lists),
                            targets, n_lists);
  bounce_links_group_set_check_notice (self->links_group, notice);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.check-blocklists", TRUE);
}

static void
bounce_window_clear_report (BounceWindow *self)
{
  if (g_set_object (&self->report, NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);

  self->view_matches_report = FALSE;
  g_clear_pointer (&self->view_findings, g_ptr_array_unref);
  bounce_input_view_clear_findings (self->input_view);
  bounce_window_reset_check (self);
  bounce_window_stop_filling (self);
  /* Result pages not built yet have nothing to forget. */
  if (self->report_scroller != NULL)
    {
      gtk_widget_set_visible (self->message_bar, FALSE);
      bounce_verdict_set_report (self->verdict, NULL);
      bounce_messages_view_set_report (self->messages_view, NULL);
      bounce_links_group_set_links (self->links_group, NULL, NULL);
      remove_all_children (GTK_WIDGET (self->recipients_list));
      remove_all_children (GTK_WIDGET (self->codes_list));
      remove_all_children (GTK_WIDGET (self->entry_cards));
    }
  bounce_window_update_title (self);
  gtk_widget_set_visible (self->show_results_button, FALSE);
}

static const char *
recipients_heading (BounceKind kind)
{
  switch (kind)
    {
    case BOUNCE_KIND_DELAY:
      return _("Delayed Recipients");
    case BOUNCE_KIND_AUTOREPLY:
      /* Translators: heading over the addresses that sent an automatic reply */
      return _("Replied Automatically");
    case BOUNCE_KIND_DELIVERED:
      return _("Delivered To");
    case BOUNCE_KIND_FEEDBACK:
      /* Translators: heading over the addresses an abuse report is about */
      return _("Reported Recipients");
    case BOUNCE_KIND_FAILURE:
    case BOUNCE_KIND_NOT_BOUNCE:
    default:
      return _("Recipients");
    }
}

/* Whether the page lists the shown report's recipients in rows of their
 * own: not for the whole of a file of several messages, whose table of
 * recipients (in the messages view) is the one list of them; a message
 * selected in it has its own rows instead of the table. */
static gboolean
bounce_window_lists_recipients (BounceWindow *self)
{
  BounceReport *report = shown_report (self);

  return g_list_model_get_n_items (bounce_report_get_recipients (report)) > 0
         && (shown_message (self) != NULL || bounce_messages_view_get_n_messages (self->messages_view) < 2);
}

/* Adds the next recipient rows, at most max of them; returns whether
 * every row is there. */
static gboolean
bounce_window_add_recipient_rows (BounceWindow *self,
                                  guint         max)
{
  GListModel *recipients = bounce_report_get_recipients (shown_report (self));
  guint n = g_list_model_get_n_items (recipients);
  guint last = bounce_window_lists_recipients (self) ? MIN (n, MAX_RECIPIENT_ROWS) : 0;

  for (guint added = 0; self->fill_next < last && added < max; self->fill_next++, added++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, self->fill_next);
      GtkWidget *row;

      if (bounce_recipient_row_has_details (r))
        {
          gsize start, end;

          row = bounce_recipient_row_new (r);
          /* "Show in Message" only where the view can show it. */
          if (bounce_recipient_get_range (r, &start, &end) && !bounce_window_can_show_range (self, start, end))
            bounce_recipient_row_set_can_show (BOUNCE_RECIPIENT_ROW (row), FALSE);
          /* A single recipient has nothing to compare with: show it all. */
          if (n == 1)
            adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
        }
      else
        {
          const char *address = bounce_recipient_get_address (r);

          row = adw_action_row_new ();
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                         address ? address : _("Unknown recipient"));
          bounce_wrap_address (row, address);
        }
      /* Addresses and host names are shown as they are, also at 360 px. */
      bounce_wrap_without_hyphens (row);
      gtk_list_box_append (self->recipients_list, row);
    }

  return self->fill_next >= last;
}

/* Under the recipient rows: how many more there are, and whether the
 * list was cut short. */
static void
bounce_window_finish_recipients (BounceWindow *self)
{
  BounceReport *report = shown_report (self);
  guint n = g_list_model_get_n_items (bounce_report_get_recipients (report));
  g_autoptr(GString) more = g_string_new (NULL);

  if (n > MAX_RECIPIENT_ROWS)
    g_string_append_printf (more, g_dngettext (GETTEXT_PACKAGE,
                                               "and %u more recipient (see Copy Summary)",
                                               "and %u more recipients (see Copy Summary)",
                                               n - MAX_RECIPIENT_ROWS),
                            n - MAX_RECIPIENT_ROWS);
  /* The analysis stopped reading the list: never let it look complete. */
  if (bounce_report_get_truncated (report) & BOUNCE_TRUNCATED_RECIPIENTS)
    {
      if (more->len > 0)
        g_string_append_c (more, '\n');
      g_string_append (more, _("The bounce names more recipients than were read: the list was cut short."));
    }
  gtk_label_set_label (self->more_recipients, more->str);
  gtk_widget_set_visible (GTK_WIDGET (self->more_recipients), more->len > 0);
}

static void
plan_card (GPtrArray       *cards,
           BounceEntry     *entry,
           BounceRecipient *recipient)
{
  CardPlan *plan;

  if (entry == NULL || cards->len >= MAX_ENTRY_CARDS)
    return;
  for (guint i = 0; i < cards->len; i++)
    if (((CardPlan *) g_ptr_array_index (cards, i))->entry == entry)
      return;

  plan = g_new0 (CardPlan, 1);
  plan->entry = g_object_ref (entry);
  plan->recipient = recipient != NULL ? g_object_ref (recipient) : NULL;
  g_ptr_array_add (cards, plan);
}

/* The entry cards to show, in order: the most specific explanation of
 * each failure, not every fallback (the codes list below reaches the
 * others). */
static GPtrArray *
bounce_window_plan_cards (BounceWindow *self)
{
  BounceReport *report = shown_report (self);
  GListModel *recipients = bounce_report_get_recipients (report);
  guint n = g_list_model_get_n_items (recipients);
  GPtrArray *cards = g_ptr_array_new_with_free_func ((GDestroyNotify) card_plan_free);

  for (guint i = 0; i < n && cards->len < MAX_ENTRY_CARDS; i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, i);
      GPtrArray *entries = bounce_recipient_get_entries (r);

      if (entries != NULL && entries->len > 0)
        plan_card (cards, g_ptr_array_index (entries, 0), r);
    }
  if (cards->len == 0)
    plan_card (cards, bounce_report_get_verdict (report), bounce_report_get_main_recipient (report));

  return cards;
}

/* Adds the next entry card; returns whether every card is there. */
static gboolean
bounce_window_add_entry_card (BounceWindow *self)
{
  CardPlan *plan;
  GtkWidget *card;

  if (self->fill_next >= self->fill_cards->len)
    return TRUE;

  plan = g_ptr_array_index (self->fill_cards, self->fill_next++);
  card = bounce_entry_card_new (plan->entry);
  bounce_entry_card_set_recipient (BOUNCE_ENTRY_CARD (card), plan->recipient);
  bounce_entry_card_set_show_admin (BOUNCE_ENTRY_CARD (card), self->show_admin);
  bounce_wrap_without_hyphens (card);
  gtk_box_append (self->entry_cards, card);
  gtk_widget_set_visible (self->entries_box, TRUE);

  return self->fill_next >= self->fill_cards->len;
}

/* Adds the next code rows, at most max of them; returns whether every
 * row is there. */
static gboolean
bounce_window_add_code_rows (BounceWindow *self,
                             guint         max)
{
  GPtrArray *codes = bounce_report_get_codes (shown_report (self));
  BounceCatalogue *catalogue = bounce_catalogue_get_default ();
  guint added = 0;

  for (; codes != NULL && self->fill_next < codes->len && self->fill_code_rows < MAX_CODE_ROWS && added < max;
       self->fill_next++)
    {
      BounceFinding *finding = g_ptr_array_index (codes, self->fill_next);
      BounceEntry *entry = NULL;
      GtkWidget *row;

      if (!g_hash_table_add (self->fill_codes_seen, finding->text))
        continue;

      if (finding->entry_id != NULL)
        entry = bounce_catalogue_lookup (catalogue, finding->entry_id);

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), finding->text);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   entry ? bounce_entry_get_title (entry) : _("Not in the catalogue"));
      gtk_widget_add_css_class (row, "code-row");
      /* A code past the end of a cut view is explained, not found. */
      if (bounce_window_can_show_range (self, finding->byte_offset, finding->byte_offset + finding->byte_length))
        {
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     g_object_new (GTK_TYPE_IMAGE,
                                                   "icon-name", "edit-find-symbolic",
                                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                                   NULL));
          g_object_set_data_full (G_OBJECT (row), "finding",
                                  bounce_finding_copy (finding),
                                  (GDestroyNotify) bounce_finding_free);
        }
      else
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      bounce_wrap_without_hyphens (row);
      gtk_list_box_append (self->codes_list, row);
      self->fill_code_rows++;
      added++;
    }

  if (self->fill_code_rows > 0)
    gtk_widget_set_visible (self->codes_box, TRUE);
  return codes == NULL || self->fill_next >= codes->len || self->fill_code_rows >= MAX_CODE_ROWS;
}

static void
bounce_window_apply_link_settings (BounceWindow *self)
{
  g_auto(GStrv) services = NULL;

  /* Applied again when the links group is built. */
  if (self->settings == NULL || self->links_group == NULL)
    return;

  services = g_settings_get_strv (self->settings, "blocklist-services");
  bounce_links_group_set_services (self->links_group, (const char * const *) services);
  bounce_links_group_set_show_closed (self->links_group,
                                      g_settings_get_boolean (self->settings, "show-closed-lists"));
}

/* One step of filling the report page, in a main-loop turn of its own:
 * the rest of the recipients a few at a time, then each entry card, the
 * code rows a few at a time and the links, each below the one before. */
static gboolean
fill_more_cb (gpointer data)
{
  BounceWindow *self = data;
  BounceReport *report = shown_report (self);

  switch ((FillStage) self->fill_stage)
    {
    case FILL_RECIPIENTS:
      if (bounce_window_add_recipient_rows (self, RECIPIENT_ROWS_PER_TURN))
        {
          bounce_window_finish_recipients (self);
          g_clear_pointer (&self->fill_cards, g_ptr_array_unref);
          self->fill_cards = bounce_window_plan_cards (self);
          self->fill_stage = FILL_ENTRIES;
          self->fill_next = 0;
        }
      return G_SOURCE_CONTINUE;

    case FILL_ENTRIES:
      if (bounce_window_add_entry_card (self))
        {
          g_clear_pointer (&self->fill_cards, g_ptr_array_unref);
          gtk_widget_set_visible (GTK_WIDGET (self->codes_cut),
                                  (bounce_report_get_truncated (report) & BOUNCE_TRUNCATED_CODES) != 0);
          g_hash_table_remove_all (self->fill_codes_seen);
          self->fill_code_rows = 0;
          self->fill_stage = FILL_CODES;
          self->fill_next = 0;
        }
      return G_SOURCE_CONTINUE;

    case FILL_CODES:
      if (bounce_window_add_code_rows (self, CODE_ROWS_PER_TURN))
        self->fill_stage = FILL_LINKS;
      return G_SOURCE_CONTINUE;

    case FILL_LINKS:
    default:
      bounce_links_group_set_links (self->links_group, bounce_report_get_links (report),
                                    bounce_report_get_blocklists (report));
      bounce_window_prepare_check (self);
      bounce_wrap_without_hyphens (GTK_WIDGET (self->links_group));
      self->fill_id = 0;
      return G_SOURCE_REMOVE;
    }
}

/* Stops filling the report page, where it is. */
static void
bounce_window_stop_filling (BounceWindow *self)
{
  g_clear_handle_id (&self->fill_id, g_source_remove);
  g_clear_pointer (&self->fill_cards, g_ptr_array_unref);
}

/* The result of the shown report: the whole input's, or one message's as
 * if it had come alone, under a bar that names it and leads back.
 *
 * Laying out and painting the whole page at once was the longest stall of
 * the main loop while a big message was opened.  The main-loop turn that
 * calls this fills the top of the page, the verdict and the first
 * recipients; the rest is added below them in later turns (fill_more_cb),
 * an idle of lower priority than redrawing, so that the window paints in
 * between and each frame lays out a part of the page.  Once filled the
 * page is the same. */
static void
bounce_window_fill_details (BounceWindow *self)
{
  BounceReport *message = shown_message (self);
  BounceReport *report = message != NULL ? message : self->report;

  bounce_window_stop_filling (self);

  if (message != NULL)
    {
      guint n = bounce_messages_view_get_n_messages (self->messages_view);
      guint number = bounce_report_get_message_index (message) + 1;
      const char *subject = bounce_report_get_subject (message);
      g_autofree char *text = NULL;

      if (subject != NULL && *subject != '\0')
        /* Translators: over the result of one message of a file: "Message 2 of 3: Delayed Mail" */
        text = g_strdup_printf (_("Message %u of %u: %s"), number, n, subject);
      else
        /* Translators: over the result of one message of a file without a Subject */
        text = g_strdup_printf (_("Message %u of %u"), number, n);
      gtk_label_set_label (self->message_label, text);
    }
  gtk_widget_set_visible (self->message_bar, message != NULL);

  bounce_verdict_set_report (self->verdict, report);

  /* What the later turns add is hidden until they add it. */
  gtk_widget_set_visible (GTK_WIDGET (self->more_recipients), FALSE);
  remove_all_children (GTK_WIDGET (self->entry_cards));
  gtk_widget_set_visible (self->entries_box, FALSE);
  remove_all_children (GTK_WIDGET (self->codes_list));
  gtk_widget_set_visible (self->codes_box, FALSE);
  bounce_window_reset_check (self);
  bounce_links_group_set_links (self->links_group, NULL, NULL);

  if (message != NULL)
    {
      /* Translators: heading over the recipients of the message of a file
       * selected in its list ("Message 2 of 3: ..." above says which) */
      g_autofree char *heading = g_strdup_printf (_("Recipients of Message %u"),
                                                  bounce_report_get_message_index (message) + 1);

      gtk_label_set_label (self->recipients_heading, heading);
    }
  else
    gtk_label_set_label (self->recipients_heading, recipients_heading (bounce_report_get_kind (report)));
  remove_all_children (GTK_WIDGET (self->recipients_list));
  gtk_widget_set_visible (self->recipients_box, bounce_window_lists_recipients (self));
  /* Addresses and host names are shown as they are, also at 360 px. */
  bounce_wrap_without_hyphens (GTK_WIDGET (self->report_scroller));

  self->fill_stage = FILL_RECIPIENTS;
  self->fill_next = 0;
  bounce_window_add_recipient_rows (self, FIRST_RECIPIENT_ROWS);
  self->fill_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, fill_more_cb, self, NULL);
}

static void
bounce_window_fill_results (BounceWindow *self)
{
  bounce_window_ensure_result_pages (self);
  bounce_window_update_title (self);

  if (bounce_report_get_kind (self->report) == BOUNCE_KIND_NOT_BOUNCE)
    {
      g_autofree char *description = bounce_report_describe (self->report);
      g_autofree char *text = NULL;

      /* Nothing more of an older report is added to its page. */
      bounce_window_stop_filling (self);
      /* No list, and no message of the report before selected in it. */
      bounce_messages_view_set_report (self->messages_view, NULL);

      /* what the core says the message is, then how to get the bounce */
      text = g_strdup_printf ("%s\n\n%s", description,
                              _("If the customer forwarded the bounce, paste the whole original message "
                                "with all its headers: in most mail programs use “Show Original” or "
                                "“View Source”, or save the message as an .eml file and open it here."));
      adw_status_page_set_description (self->not_bounce_page, text);
      bounce_window_set_page (self, "not-bounce");
      return;
    }

  /* An mbox: one verdict per message and the table of every recipient.
   * A new report starts with the whole file; the same one keeps the
   * message selected in it. */
  bounce_messages_view_set_report (self->messages_view, self->report);
  bounce_window_fill_details (self);

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->report_scroller), 0);
  bounce_window_set_page (self, "report");
}

/* Where to cut a long text for display: on a line end near the limit, else
 * on a character boundary. */
static gsize
display_cut (const char *text,
             gsize       length)
{
  const char *limit;
  const char *p;

  if (length <= BOUNCE_WINDOW_MAX_SHOWN)
    return length;

  limit = g_utf8_find_prev_char (text, text + BOUNCE_WINDOW_MAX_SHOWN + 1);
  for (p = limit; p > text && limit - p < 4096; p--)
    {
      if (p[-1] == '\n')
        return p - text;
    }

  return limit - text;
}

/* Headers fill the first screen of most bounces: show the first code of
 * the shown report, usually the server's reply, instead.  Only where the
 * view shows the display text, and that place of it. */
static void
bounce_window_scroll_to_first_code (BounceWindow *self)
{
  GPtrArray *codes = bounce_report_get_codes (shown_report (self));
  BounceFinding *first;

  if (codes == NULL || codes->len == 0 || !self->view_matches_report)
    return;

  first = g_ptr_array_index (codes, 0);
  if (bounce_window_can_show_range (self, first->byte_offset, first->byte_offset + first->byte_length))
    bounce_input_view_scroll_to_chars (self->input_view, first->offset);
}

/* Puts text into the view, only its beginning when it is longer than
 * BOUNCE_WINDOW_MAX_SHOWN, with a notice that says so: of a message
 * analysed (a display text) or of a text being analysed (a paste). */
static void
bounce_window_show_text (BounceWindow *self,
                         const char   *text,
                         gsize         length,
                         gboolean      analysed)
{
  gsize shown = display_cut (text, length);
  g_autofree char *total = NULL;
  g_autofree char *part = NULL;
  g_autofree char *notice = NULL;

  bounce_input_view_set_text (self->input_view, text, shown);
  self->shown_bytes = shown < length ? shown : 0;
  if (self->shown_bytes == 0)
    {
      bounce_input_view_set_notice (self->input_view, NULL, NULL, NULL);
      return;
    }

  total = g_format_size (length);
  part = g_format_size (shown);
  if (analysed)
    /* Translators: the sizes are like "20.0 MB" and "262.1 kB" */
    notice = g_strdup_printf (_("This message is large (%s): only the first %s are shown. The whole message was analysed."),
                              total, part);
  else
    /* Translators: the sizes are like "20.0 MB" and "131.1 kB" */
    notice = g_strdup_printf (_("This text is large (%s): only the first %s are shown. The whole text is analysed."),
                              total, part);
  bounce_input_view_set_notice (self->input_view, notice, NULL, NULL);
}

static void
bounce_window_show_display_text (BounceWindow *self)
{
  const char *text = bounce_report_get_text (self->report);

  bounce_window_show_text (self, text, strlen (text), TRUE);
  self->view_matches_report = TRUE;
  g_clear_pointer (&self->view_findings, g_ptr_array_unref);
  bounce_input_view_set_findings (self->input_view, bounce_report_get_findings (self->report));
  bounce_window_scroll_to_first_code (self);
}

/* The first code among findings: where the view of a paste scrolls to. */
static const BounceFinding *
first_code (GPtrArray *findings)
{
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      const BounceFinding *f = g_ptr_array_index (findings, i);

      if (f->kind == BOUNCE_FINDING_REPLY_CODE || f->kind == BOUNCE_FINDING_ENHANCED_CODE
          || f->kind == BOUNCE_FINDING_PROVIDER_TOKEN)
        return f;
    }
  return NULL;
}

static void
bounce_window_set_report (BounceWindow   *self,
                          AnalysisResult *result,
                          Analysis       *a)
{
  BounceReport *report = result->report;
  const char *text;

  g_set_object (&self->report, report);
  /* An opened file replaces whatever the view showed before. */
  if (a->file != NULL)
    {
      bounce_window_forget_source (self);
      self->file = g_object_ref (a->file);
    }
  g_clear_pointer (&self->view_findings, g_ptr_array_unref);
  text = bounce_report_get_text (report);

  if (!a->pasted)
    {
      bounce_window_show_display_text (self);
    }
  else
    {
      gsize size;
      const char *analysed = g_bytes_get_data (a->bytes, &size);
      GPtrArray *shown;

      self->view_matches_report = strlen (text) == size && memcmp (text, analysed, size) == 0;
      self->view_findings = g_steal_pointer (&result->view_findings);
      shown = self->view_matches_report ? bounce_report_get_findings (report) : self->view_findings;

      bounce_input_view_set_findings (self->input_view, shown);
      /* A whole message pasted at once leaves the view at its end; typing
       * is left alone. */
      if (self->navigate_on_result && first_code (shown) != NULL)
        bounce_input_view_scroll_to_chars (self->input_view, first_code (shown)->offset);

      if (!self->view_matches_report && bounce_input_get_transfer_encoded (bounce_report_get_input (report)))
        bounce_input_view_set_notice (self->input_view,
                                      _("Parts of this message are encoded (quoted-printable or base64). Show the decoded text to read them."),
                                      _("Show _Decoded Text"), "win.show-decoded");
      else if (!self->view_matches_report && self->view_findings == NULL)
        bounce_input_view_set_notice (self->input_view,
                                      _("This message is too large to find its codes as pasted. Show its decoded text to see them highlighted."),
                                      _("Show _Decoded Text"), "win.show-decoded");
      else
        bounce_input_view_set_notice (self->input_view, NULL, NULL, NULL);
    }

  bounce_window_fill_results (self);

  if (self->navigate_on_result && adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "results");
  /* After a paste or an opened file the keyboard, and a screen reader,
   * start at the verdict: Tab goes on to the recipients, the explanations
   * and the links. */
  if (self->navigate_on_result && g_strcmp0 (bounce_window_get_page (self), "report") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->verdict));
  self->navigate_on_result = FALSE;

  gtk_widget_set_visible (self->show_results_button, adw_leaflet_get_folded (self->leaflet));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
  bounce_window_update_actions (self);
}

static void
bounce_window_show_error (BounceWindow *self,
                          const GError *error,
                          gboolean      from_file)
{
  const char *description = error->message;

  bounce_window_clear_report (self);
  /* The text of the message before belongs to neither. */
  if (from_file)
    {
      bounce_window_forget_source (self);
      bounce_input_view_set_text (self->input_view, "", 0);
      bounce_input_view_set_notice (self->input_view, NULL, NULL, NULL);
    }
  if (g_error_matches (error, BOUNCE_ERROR, BOUNCE_ERROR_BINARY))
    description = _("This file is not a text message. Open the bounce itself: a .eml or .txt file, or a mailbox.");
  else if (g_error_matches (error, BOUNCE_ERROR, BOUNCE_ERROR_TOO_LARGE))
    description = _("This file is too large to be a bounce. Open the bounce itself rather than a whole mailbox.");
  bounce_window_ensure_result_pages (self);
  adw_status_page_set_description (self->error_page, description);
  bounce_window_set_page (self, "error");
  /* Folded, the refusal would wait unseen behind the message pane. */
  if (self->navigate_on_result && adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "results");
  self->navigate_on_result = FALSE;
}

static void
on_analysis_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Analysis) a = user_data;
  g_autoptr(BounceWindow) self = g_weak_ref_get (&a->window);
  g_autoptr(AnalysisResult) analysis = NULL;
  g_autoptr(GError) error = NULL;

  analysis = g_task_propagate_pointer (G_TASK (result), &error);

  /* A newer input replaced this one, or the window is gone. */
  if (self == NULL || g_cancellable_is_cancelled (a->cancellable))
    return;

  g_clear_object (&self->cancellable);
  bounce_window_set_busy (self, FALSE);

  if (analysis == NULL)
    bounce_window_show_error (self, error, a->file != NULL);
  else
    bounce_window_set_report (self, analysis, a);
}

/* The report's findings found again in the text as pasted, by kind and
 * text, with the catalogue entries the analysis gave them.  A message
 * pasted with its headers and MIME parts is decoded for the analysis, so
 * the report's offsets are not the pasted text's. */
static GPtrArray *
locate_findings (BounceReport *report,
                 const char   *pasted)
{
  GPtrArray *findings = bounce_report_get_findings (report);
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) candidates =
    bounce_extract_all (pasted, bounce_catalogue_get_tokens (bounce_catalogue_get_default ()));
  GPtrArray *located = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_finding_free);

  for (guint i = 0; i < findings->len; i++)
    {
      BounceFinding *f = g_ptr_array_index (findings, i);
      char *key = g_strdup_printf ("%d:%s", f->kind, f->text);

      if (!g_hash_table_contains (known, key))
        g_hash_table_insert (known, key, f);
      else
        g_free (key);
    }

  for (guint i = 0; i < candidates->len; i++)
    {
      BounceFinding *c = g_ptr_array_index (candidates, i);
      g_autofree char *key = g_strdup_printf ("%d:%s", c->kind, c->text);
      BounceFinding *f = g_hash_table_lookup (known, key);
      BounceFinding *copy;

      /* Only what the analysis saw in the message it read. */
      if (f == NULL)
        continue;
      copy = bounce_finding_copy (c);
      g_free (copy->entry_id);
      copy->entry_id = g_strdup (f->entry_id);
      g_ptr_array_add (located, copy);
    }

  return located;
}

static void
analysis_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AnalysisJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AnalysisResult) result = g_new0 (AnalysisResult, 1);

  result->report = bounce_analyze_bytes (job->bytes, job->source, cancellable, &error);
  if (result->report == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (job->pasted)
    {
      gsize size;
      const char *pasted = g_bytes_get_data (job->bytes, &size);
      const char *text = bounce_report_get_text (result->report);

      if ((strlen (text) != size || memcmp (text, pasted, size) != 0) && size <= MAX_LOCATE_SIZE)
        {
          g_autofree char *copy = g_strndup (pasted, size);

          result->view_findings = locate_findings (result->report, copy);
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) analysis_result_free);
}

static gboolean
build_result_pages_cb (gpointer data)
{
  BounceWindow *self = data;

  self->result_pages_id = 0;
  bounce_window_ensure_result_pages (self);
  return G_SOURCE_REMOVE;
}

static void
bounce_window_start_analysis (BounceWindow *self,
                              GBytes       *bytes,
                              GFile        *file,
                              GCancellable *cancellable)
{
  Analysis *a = g_new0 (Analysis, 1);
  AnalysisJob *job = g_new0 (AnalysisJob, 1);
  g_autoptr(GTask) task = NULL;

  g_weak_ref_init (&a->window, self);
  a->cancellable = g_object_ref (cancellable);
  a->bytes = g_bytes_ref (bytes);
  a->file = file ? g_object_ref (file) : NULL;
  /* A paste too long to show is analysed whole, like a file. */
  a->pasted = file == NULL && bytes != self->big_paste;

  job->bytes = g_bytes_ref (bytes);
  job->source = file ? g_file_get_basename (file) : NULL;
  job->pasted = a->pasted;

  if (self->report_scroller == NULL && self->result_pages_id == 0)
    self->result_pages_id = g_idle_add (build_result_pages_cb, self);

  /* Loaded here, so that workers do not race for it. */
  bounce_catalogue_get_default ();
  task = g_task_new (NULL, cancellable, on_analysis_done, a);
  g_task_set_source_tag (task, bounce_window_start_analysis);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, job, (GDestroyNotify) analysis_job_free);
  g_task_run_in_thread (task, analysis_thread);
}

static gboolean
text_is_blank (const char *text)
{
  for (const char *p = text; *p; p++)
    {
      if (!g_ascii_isspace (*p))
        return FALSE;
    }
  return TRUE;
}

static void
bounce_window_analyze_text (BounceWindow *self)
{
  g_autofree char *text = bounce_input_view_dup_text (self->input_view);
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  if (text_is_blank (text))
    {
      bounce_window_cancel (self);
      bounce_window_clear_report (self);
      bounce_input_view_set_notice (self->input_view, NULL, NULL, NULL);
      bounce_window_set_page (self, "welcome");
      return;
    }

  length = strlen (text);
  bytes = g_bytes_new_take (g_steal_pointer (&text), length);
  bounce_window_start_analysis (self, bytes, NULL, bounce_window_begin_run (self));
}

static gboolean
debounce_cb (gpointer user_data)
{
  BounceWindow *self = user_data;

  self->debounce_id = 0;
  bounce_window_analyze_text (self);
  return G_SOURCE_REMOVE;
}

void
bounce_window_analyze_now (BounceWindow *self)
{
  g_return_if_fail (BOUNCE_IS_WINDOW (self));

  if (self->debounce_id != 0)
    {
      g_clear_handle_id (&self->debounce_id, g_source_remove);
      bounce_window_analyze_text (self);
    }
}

static void
on_text_edited (BounceWindow *self)
{
  /* The running analysis is for text that no longer exists. */
  bounce_window_cancel (self);
  bounce_window_forget_source (self);
  self->view_matches_report = FALSE;
  g_clear_pointer (&self->view_findings, g_ptr_array_unref);
  bounce_input_view_clear_findings (self->input_view);
  bounce_input_view_set_notice (self->input_view, NULL, NULL, NULL);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
  bounce_window_update_actions (self);
}

/* Text that arrives in one piece (Paste button, drop, restore): analysed
 * at once, without waiting for more typing.  The bytes hold a text and a
 * NUL after it (see nul_text_take()); a long one is kept, not copied. */
static void
bounce_window_set_user_bytes (BounceWindow *self,
                              GBytes       *bytes)
{
  gsize length;
  const char *text = g_bytes_get_data (bytes, &length);

  bounce_window_cancel (self);
  bounce_window_forget_source (self);
  self->navigate_on_result = TRUE;
  self->view_matches_report = FALSE;
  g_clear_pointer (&self->view_findings, g_ptr_array_unref);
  bounce_window_show_text (self, text, length, FALSE);
  if (self->shown_bytes != 0)
    {
      self->big_paste = g_bytes_ref (bytes);
      bounce_window_start_analysis (self, bytes, NULL, bounce_window_begin_run (self));
    }
  else
    bounce_window_analyze_text (self);
  bounce_window_update_actions (self);
}

/* Takes text, a NUL-terminated string, as bytes that keep the NUL after
 * their end. */
static GBytes *
nul_text_take (char *text)
{
  return g_bytes_new_take (text, strlen (text));
}

static void
bounce_window_set_user_text (BounceWindow *self,
                             const char   *text)
{
  g_autoptr(GBytes) bytes = nul_text_take (g_strdup (text));

  bounce_window_set_user_bytes (self, bytes);
}

/* Undo of a paste: what it replaced is kept while its toast is up. */
static void
bounce_window_release_undo_toast (BounceWindow *self,
                                  gboolean      dismiss)
{
  AdwToast *toast = g_steal_pointer (&self->undo_toast);

  if (toast == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (toast), (gpointer *) &self->undo_toast);
  if (dismiss)
    adw_toast_dismiss (toast);
}

static void
bounce_window_forget_undo (BounceWindow *self)
{
  g_clear_pointer (&self->undo_text, g_bytes_unref);
  g_clear_object (&self->undo_file);
  bounce_window_release_undo_toast (self, TRUE);
  bounce_window_update_actions (self);
}

static void
on_undo_toast_dismissed (BounceWindow *self,
                         AdwToast     *toast)
{
  if (self->undo_toast != toast)
    return;
  bounce_window_release_undo_toast (self, FALSE);
  bounce_window_forget_undo (self);
}

/* Before new text replaces the message: keeps it for Undo.  FALSE when
 * there was nothing to keep. */
static gboolean
bounce_window_keep_for_undo (BounceWindow *self)
{
  g_autofree char *text = bounce_input_view_dup_text (self->input_view);

  bounce_window_forget_undo (self);
  if (text_is_blank (text))
    return FALSE;

  /* An opened file is shown decoded, maybe cut: open it again instead. */
  if (self->file != NULL)
    self->undo_file = g_object_ref (self->file);
  else if (self->big_paste != NULL)
    self->undo_text = g_bytes_ref (self->big_paste);
  else
    self->undo_text = nul_text_take (g_steal_pointer (&text));
  return TRUE;
}

static void
bounce_window_offer_undo (BounceWindow *self)
{
  AdwToast *toast = adw_toast_new (_("Message replaced"));

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-paste");
  adw_toast_set_timeout (toast, 8);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_undo_toast_dismissed), self,
                           G_CONNECT_SWAPPED);
  self->undo_toast = toast;
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->undo_toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  bounce_window_update_actions (self);
}

/* Pasted text is a new message, however it is pasted.  bytes hold the text
 * and a NUL after it. */
static void
bounce_window_paste_bytes (BounceWindow *self,
                           GBytes       *bytes)
{
  g_autofree char *old = bounce_input_view_dup_text (self->input_view);
  /* The same message again has nothing to undo. */
  gboolean kept = g_strcmp0 (old, g_bytes_get_data (bytes, NULL)) != 0 && bounce_window_keep_for_undo (self);

  bounce_window_set_user_bytes (self, bytes);
  if (kept)
    bounce_window_offer_undo (self);
}

static void paste_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param);

static void
on_paste_clipboard (BounceWindow *self,
                    GtkTextView  *view)
{
  /* Ctrl+V and the context menu's Paste in the text view: like the Paste
   * button, the clipboard replaces the message instead of being inserted
   * into it. */
  g_signal_stop_emission_by_name (view, "paste-clipboard");
  paste_action (GTK_WIDGET (self), "win.paste", NULL);
}

typedef struct {
  GWeakRef      window;
  GCancellable *cancellable;
  GFile        *file;
} FileLoad;

static void
file_load_free (FileLoad *load)
{
  g_weak_ref_clear (&load->window);
  g_clear_object (&load->cancellable);
  g_clear_object (&load->file);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileLoad, file_load_free)

/* Why a file could not be read, in words that name the file and do not
 * repeat the error page's title ("The Message Could Not Be Read"). */
static GError *
file_read_error (GFile        *file,
                 const GError *error)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *name = g_filename_display_name (basename != NULL ? basename : "");

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    /* Translators: %s is a file name */
    return g_error_new (BOUNCE_ERROR, BOUNCE_ERROR_READ,
                        _("There is no file “%s”: it may have been moved, renamed or deleted."), name);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    /* Translators: %s is a file name */
    return g_error_new (BOUNCE_ERROR, BOUNCE_ERROR_READ,
                        _("You do not have permission to read “%s”."), name);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    /* Translators: %s is a folder's name */
    return g_error_new (BOUNCE_ERROR, BOUNCE_ERROR_READ,
                        _("“%s” is a folder. Open the bounce itself: a .eml or .txt file, or a mailbox."), name);
  /* Translators: %s is a file name, then what the system said */
  return g_error_new (BOUNCE_ERROR, BOUNCE_ERROR_READ, _("“%s” could not be opened: %s"), name, error->message);
}

static void
on_file_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FileLoad) load = user_data;
  g_autoptr(BounceWindow) self = g_weak_ref_get (&load->window);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = bounce_input_read_file_finish (result, &error);
  if (self == NULL || g_cancellable_is_cancelled (load->cancellable))
    return;

  if (bytes == NULL)
    {
      g_clear_object (&self->cancellable);
      bounce_window_set_busy (self, FALSE);
      if (error->domain == BOUNCE_ERROR)
        bounce_window_show_error (self, error, TRUE);
      else
        {
          g_autoptr(GError) read_error = file_read_error (load->file, error);

          bounce_window_show_error (self, read_error, TRUE);
        }
      return;
    }

  bounce_window_start_analysis (self, bytes, load->file, load->cancellable);
}

void
bounce_window_open_file (BounceWindow *self,
                         GFile        *file)
{
  FileLoad *load;
  GCancellable *cancellable;

  g_return_if_fail (BOUNCE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  cancellable = bounce_window_begin_run (self);
  self->navigate_on_result = TRUE;

  load = g_new0 (FileLoad, 1);
  g_weak_ref_init (&load->window, self);
  load->cancellable = g_object_ref (cancellable);
  load->file = g_object_ref (file);

  /* In chunks on a worker thread, up to the size limit: a FIFO or a device
   * is refused there, never read whole. */
  bounce_input_read_file_async (file, cancellable, on_file_loaded, load);
}

static void
on_file_dropped (BounceWindow *self,
                 GFile        *file)
{
  bounce_window_forget_undo (self);
  bounce_window_open_file (self, file);
}

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     BounceWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        {
          bounce_window_forget_undo (self);
          bounce_window_open_file (self, file);
        }
    }

  g_clear_object (&self->chooser);
}

static void
add_filter (GtkFileChooser     *chooser,
            const char         *name,
            const char * const *mime_types,
            const char * const *patterns)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; mime_types && mime_types[i]; i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);
  for (guint i = 0; patterns && patterns[i]; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  BounceWindow *self = BOUNCE_WINDOW (widget);
  static const char * const message_types[] = { "message/rfc822", "application/mbox", "text/plain", NULL };
  static const char * const message_patterns[] = { "*.eml", "*.msg", "*.mbox", "*.txt", NULL };
  static const char * const eml_types[] = { "message/rfc822", NULL };
  static const char * const mbox_types[] = { "application/mbox", NULL };
  static const char * const text_types[] = { "text/plain", NULL };
  static const char * const all_patterns[] = { "*", NULL };

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }

  self->chooser = gtk_file_chooser_native_new (_("Open a Message"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("Messages and Mailboxes"), message_types, message_patterns);
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("Email Messages"), eml_types, NULL);
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("Mailboxes"), mbox_types, NULL);
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("Text Files"), text_types, NULL);
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("All Files"), NULL, all_patterns);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BounceWindow) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, NULL);
  const char *text = value != NULL && G_VALUE_HOLDS_STRING (value) ? g_value_get_string (value) : NULL;

  if (text == NULL || *text == '\0')
    {
      bounce_window_toast (self, _("The clipboard holds no text"));
      return;
    }

  /* The text stays where the clipboard read put it, in the value that
   * result holds (gdk_clipboard_read_text_finish() would copy it: 20 MB
   * are 50 to 100 ms of the main thread). */
  bytes = g_bytes_new_with_free_func (text, strlen (text), g_object_unref, g_object_ref (result));
  bounce_window_paste_bytes (self, bytes);
}

static void
bounce_window_read_clipboard_text (BounceWindow *self,
                                   GdkClipboard *clipboard)
{
  gdk_clipboard_read_value_async (clipboard, G_TYPE_STRING, G_PRIORITY_DEFAULT, NULL,
                                  on_clipboard_text, g_object_ref (self));
}

static void
on_clipboard_files (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BounceWindow) self = user_data;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, NULL);
  GSList *files;

  if (value == NULL || !G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      bounce_window_read_clipboard_text (self, GDK_CLIPBOARD (source));
      return;
    }

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files != NULL)
    {
      gboolean kept = bounce_window_keep_for_undo (self);

      bounce_window_open_file (self, files->data);
      if (kept)
        bounce_window_offer_undo (self);
    }
  g_slist_free (files);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  BounceWindow *self = BOUNCE_WINDOW (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  /* A file copied in the file manager: open it rather than paste its name. */
  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST)
      && !gdk_content_formats_contain_mime_type (formats, "text/plain;charset=utf-8"))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT,
                                    NULL, on_clipboard_files, g_object_ref (self));
  else
    bounce_window_read_clipboard_text (self, clipboard);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  BounceWindow *self = BOUNCE_WINDOW (widget);

  bounce_window_forget_undo (self);
  bounce_window_cancel (self);
  bounce_window_forget_source (self);
  bounce_input_view_set_text (self->input_view, "", 0);
  bounce_input_view_set_notice (self->input_view, NULL, NULL, NULL);
  bounce_window_clear_report (self);
  bounce_window_set_page (self, "welcome");
  adw_leaflet_set_visible_child_name (self->leaflet, "input");
  gtk_widget_grab_focus (GTK_WIDGET (self->input_view));
}

static void
copy_summary_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  BounceWindow *self = BOUNCE_WINDOW (widget);
  g_autofree char *summary = NULL;

  if (self->report == NULL)
    return;

  /* What the page shows: one message's result, or the whole file's. */
  summary = bounce_report_to_summary (shown_report (self));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), summary);
  bounce_window_toast (self, _("Summary copied"));
}

static void
catalogue_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  BounceWindow *self = BOUNCE_WINDOW (widget);

  if (self->catalogue_window == NULL)
    {
      self->catalogue_window = GTK_WINDOW (bounce_catalogue_window_new (bounce_catalogue_get_default ()));
      g_object_add_weak_pointer (G_OBJECT (self->catalogue_window), (gpointer *) &self->catalogue_window);
      gtk_window_set_application (self->catalogue_window, gtk_window_get_application (GTK_WINDOW (self)));
    }

  gtk_window_present (self->catalogue_window);
  gtk_widget_activate_action (GTK_WIDGET (self->catalogue_window), "catalogue.search", NULL);
}

/* Not in the text as pasted: the decoded text has it. */
static void
bounce_window_offer_decoded (BounceWindow *self)
{
  AdwToast *toast = adw_toast_new (_("Only in decoded text"));

  /* Toasts are one line: at 360 px a longer title or button is cut. */
  /* Translators: the button of the toast "Only in decoded text" */
  adw_toast_set_button_label (toast, C_("decoded text", "_Show"));
  adw_toast_set_action_name (toast, "win.show-decoded");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Selects characters of the text view (not of the report's text). */
static gboolean
bounce_window_select_chars (BounceWindow *self,
                            glong         start,
                            glong         end)
{
  if (!bounce_input_view_select_chars (self->input_view, start, end))
    {
      bounce_window_toast (self, _("This part is not shown"));
      return FALSE;
    }
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "input");
  return TRUE;
}

static void
select_range_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  BounceWindow *self = BOUNCE_WINDOW (widget);
  guint64 start, end;
  const char *text;
  gsize length;

  if (self->report == NULL)
    return;

  g_variant_get (param, "(tt)", &start, &end);
  text = bounce_report_get_text (self->report);
  length = strlen (text);
  if (start > end || end > length)
    return;

  if (self->view_matches_report)
    {
      bounce_window_select_chars (self,
                                  g_utf8_pointer_to_offset (text, text + start),
                                  g_utf8_pointer_to_offset (text, text + end));
      return;
    }

  /* The text as pasted: look for the same words there. */
  {
    g_autofree char *wanted = g_strndup (text + start, end - start);
    GtkTextBuffer *buffer = bounce_input_view_get_buffer (self->input_view);
    GtkTextIter iter, match_start, match_end;

    gtk_text_buffer_get_start_iter (buffer, &iter);
    if (*wanted != '\0' && end - start <= 64 * 1024
        && gtk_text_iter_forward_search (&iter, wanted, GTK_TEXT_SEARCH_TEXT_ONLY,
                                         &match_start, &match_end, NULL))
      bounce_window_select_chars (self, gtk_text_iter_get_offset (&match_start),
                                  gtk_text_iter_get_offset (&match_end));
    else
      bounce_window_offer_decoded (self);
  }
}

static gboolean
same_finding (const BounceFinding *a,
              const BounceFinding *b)
{
  return a->kind == b->kind && g_str_equal (a->text, b->text);
}

static void
on_code_row_activated (BounceWindow  *self,
                       GtkListBoxRow *row)
{
  BounceFinding *finding = g_object_get_data (G_OBJECT (row), "finding");
  GPtrArray *findings;
  const BounceFinding *match = NULL;
  guint nth = 0;

  if (finding == NULL || self->report == NULL)
    return;

  if (self->view_matches_report)
    {
      bounce_window_select_chars (self, finding->offset, finding->offset + finding->length);
      return;
    }

  /* The n-th such code of the report is the n-th in the text as pasted,
   * or else the last there is. */
  findings = bounce_report_get_findings (self->report);
  for (guint i = 0; i < findings->len; i++)
    {
      const BounceFinding *f = g_ptr_array_index (findings, i);

      if (f->offset >= finding->offset)
        break;
      if (same_finding (f, finding))
        nth++;
    }
  for (guint i = 0; self->view_findings != NULL && i < self->view_findings->len; i++)
    {
      const BounceFinding *f = g_ptr_array_index (self->view_findings, i);

      if (!same_finding (f, finding))
        continue;
      match = f;
      if (nth-- == 0)
        break;
    }

  if (match != NULL)
    bounce_window_select_chars (self, match->offset, match->offset + match->length);
  else
    bounce_window_offer_decoded (self);
}

static void
show_decoded_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  BounceWindow *self = BOUNCE_WINDOW (widget);

  if (self->report != NULL)
    {
      bounce_window_show_display_text (self);
      bounce_window_update_actions (self);
    }
}

static void
undo_paste_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  BounceWindow *self = BOUNCE_WINDOW (widget);
  g_autoptr(GBytes) text = g_steal_pointer (&self->undo_text);
  g_autoptr(GFile) file = g_steal_pointer (&self->undo_file);

  /* Its button was clicked: the toast goes by itself. */
  bounce_window_release_undo_toast (self, FALSE);
  bounce_window_forget_undo (self);
  if (file != NULL)
    bounce_window_open_file (self, file);
  else if (text != NULL)
    bounce_window_set_user_bytes (self, text);
}

static void
show_input_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  BounceWindow *self = BOUNCE_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "input");
}

static void
show_results_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  BounceWindow *self = BOUNCE_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "results");
}

/* A message selected in the list of an mbox: its own result, as if it had
 * come alone; none: the whole file's again. */
static void
on_message_selected (BounceWindow *self)
{
  if (self->report == NULL)
    return;
  bounce_window_fill_details (self);
  /* The text view shows the whole file: go to the message's first code. */
  if (shown_message (self) != NULL)
    bounce_window_scroll_to_first_code (self);
  bounce_window_update_actions (self);
}

/* Enter on a message (or a double click): its result, from the top, with
 * the keyboard and a screen reader at its verdict.  The arrow keys only
 * select, and the page stays where it is. */
static void
on_message_activated (BounceWindow *self,
                      guint         position)
{
  bounce_messages_view_select_message (self->messages_view, position);
  if (shown_message (self) == NULL)
    return;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->report_scroller), 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->verdict));
}

/* A recipient activated in the table of a file's recipients: its message
 * is shown (the view selected it), and the keyboard and a screen reader go
 * to its row there, unfolded; the page scrolls to it with the focus. */
static void
on_recipient_activated (BounceWindow    *self,
                        BounceRecipient *recipient)
{
  BounceReport *message = shown_message (self);
  GListModel *recipients;
  GtkListBoxRow *row = NULL;
  guint n;

  if (message == NULL)
    return;
  recipients = bounce_report_get_recipients (message);
  n = MIN (g_list_model_get_n_items (recipients), MAX_RECIPIENT_ROWS);
  for (guint i = 0; i < n && row == NULL; i++)
    {
      g_autoptr(BounceRecipient) r = g_list_model_get_item (recipients, i);

      if (r != recipient)
        continue;
      /* Rows past the first few are added in later turns: now, up to it. */
      if (self->fill_stage == FILL_RECIPIENTS && self->fill_next <= i)
        bounce_window_add_recipient_rows (self, i + 1 - self->fill_next);
      row = gtk_list_box_get_row_at_index (self->recipients_list, i);
    }
  if (row == NULL)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->verdict));
      return;
    }
  if (ADW_IS_EXPANDER_ROW (row))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  if (!gtk_widget_child_focus (GTK_WIDGET (row), GTK_DIR_TAB_FORWARD))
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
on_all_messages_clicked (BounceWindow *self)
{
  bounce_messages_view_select_message (self->messages_view, GTK_INVALID_LIST_POSITION);
  /* The bar and its button are gone: the keyboard goes back to the list. */
  gtk_widget_grab_focus (bounce_messages_view_get_message_list (self->messages_view));
}

/* The result pages (the report, "not a bounce" and the error) are built
 * when the first analysis starts, in a main-loop turn of their own while
 * the worker runs (bounce_window_start_analysis), or when one of them is
 * first needed, if sooner: a window starts on its welcome page, and
 * building, styling and measuring the hidden pages was about a tenth of the
 * instructions until its first frame.  Built together with the first
 * result instead, they made that main-loop turn the longest. */
static void
bounce_window_ensure_result_pages (BounceWindow *self)
{
  g_autoptr(GtkBuilderScope) scope = NULL;
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->result_pages_id, g_source_remove);
  if (self->report_scroller != NULL)
    return;

  scope = gtk_builder_cscope_new ();
  gtk_builder_cscope_add_callback_symbols (GTK_BUILDER_CSCOPE (scope),
                                           "on_code_row_activated", G_CALLBACK (on_code_row_activated),
                                           "on_message_selected", G_CALLBACK (on_message_selected),
                                           "on_all_messages_clicked", G_CALLBACK (on_all_messages_clicked),
                                           NULL);
  builder = gtk_builder_new ();
  gtk_builder_set_scope (builder, scope);
  /* The handlers are the window's, swapped as in its template. */
  gtk_builder_set_current_object (builder, G_OBJECT (self));
  gtk_builder_set_translation_domain (builder, GETTEXT_PACKAGE);
  if (!gtk_builder_add_from_resource (builder, RESOURCE_BASE "/bounce-window-results.ui", &error))
    g_error ("bounce-window-results.ui: %s", error->message);

#define RESULT_CHILD(type, name) \
  self->name = type (gtk_builder_get_object (builder, #name))
  RESULT_CHILD (GTK_SCROLLED_WINDOW, report_scroller);
  RESULT_CHILD (GTK_WIDGET, message_bar);
  RESULT_CHILD (GTK_LABEL, message_label);
  RESULT_CHILD (GTK_WIDGET, all_messages_button);
  RESULT_CHILD (BOUNCE_VERDICT, verdict);
  RESULT_CHILD (BOUNCE_MESSAGES_VIEW, messages_view);
  RESULT_CHILD (GTK_WIDGET, recipients_box);
  RESULT_CHILD (GTK_LABEL, recipients_heading);
  RESULT_CHILD (GTK_LIST_BOX, recipients_list);
  RESULT_CHILD (GTK_LABEL, more_recipients);
  RESULT_CHILD (GTK_WIDGET, entries_box);
  RESULT_CHILD (GTK_BOX, entry_cards);
  RESULT_CHILD (GTK_WIDGET, codes_box);
  RESULT_CHILD (GTK_LIST_BOX, codes_list);
  RESULT_CHILD (GTK_LABEL, codes_cut);
  RESULT_CHILD (BOUNCE_LINKS_GROUP, links_group);
  RESULT_CHILD (ADW_STATUS_PAGE, not_bounce_page);
  RESULT_CHILD (ADW_STATUS_PAGE, error_page);
#undef RESULT_CHILD

  /* The stack holds the pages; the builder's references go with it. */
  gtk_stack_add_named (self->results_stack, GTK_WIDGET (self->report_scroller), "report");
  gtk_stack_add_named (self->results_stack, GTK_WIDGET (self->not_bounce_page), "not-bounce");
  gtk_stack_add_named (self->results_stack, GTK_WIDGET (self->error_page), "error");
  bounce_a11y_fix_mnemonic_buttons (GTK_WIDGET (self->report_scroller));
  bounce_a11y_fix_mnemonic_buttons (GTK_WIDGET (self->not_bounce_page));
  bounce_a11y_fix_mnemonic_buttons (GTK_WIDGET (self->error_page));

  g_signal_connect_object (bounce_messages_view_get_message_list (self->messages_view), "activate",
                           G_CALLBACK (on_message_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->messages_view, "recipient-activated",
                           G_CALLBACK (on_recipient_activated), self, G_CONNECT_SWAPPED);
  bounce_window_apply_link_settings (self);
}

static void
on_folded_changed (BounceWindow *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);

  gtk_widget_set_visible (self->show_results_button, folded && self->report != NULL);
  bounce_window_update_title (self);
  /* When the window gets narrow, the explanation matters more than the
   * text it came from. */
  if (folded)
    adw_leaflet_set_visible_child_name (self->leaflet,
                                        self->report != NULL
                                        || g_strcmp0 (bounce_window_get_page (self), "error") == 0
                                        ? "results" : "input");
}

static void
bounce_window_update_actions (BounceWindow *self)
{
  gboolean has_report = self->report != NULL;
  /* A message that is not a bounce has no verdict to pass on. */
  gboolean has_verdict = has_report && bounce_report_get_kind (self->report) != BOUNCE_KIND_NOT_BOUNCE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-summary", has_verdict);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clear",
                                 has_report || self->busy || !bounce_input_view_get_empty (self->input_view));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-decoded",
                                 has_report && !self->view_matches_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-paste",
                                 self->undo_text != NULL || self->undo_file != NULL);
}

char *
bounce_window_get_state_file (void)
{
  return g_build_filename (g_get_user_state_dir (), "bounce-assistant", "last-text.txt", NULL);
}

static void
bounce_window_save_state (BounceWindow *self)
{
  g_autofree char *path = bounce_window_get_state_file ();
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));

  /* A truncated view is not the message; better nothing than half of it. */
  if (g_settings_get_boolean (self->settings, "restore-last-text") && self->shown_bytes == 0)
    text = bounce_input_view_dup_text (self->input_view);

  if (text == NULL || *text == '\0')
    {
      g_unlink (path);
      return;
    }

  {
    g_autofree char *dir = g_path_get_dirname (path);

    if (g_mkdir_with_parents (dir, 0700) != 0
        || !g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
      g_warning ("Could not keep the last text in %s: %s", path,
                 error ? error->message : g_strerror (errno));
  }
}

static void
bounce_window_restore_text (BounceWindow *self)
{
  g_autofree char *path = bounce_window_get_state_file ();
  g_autofree char *text = NULL;
  gsize length = 0;

  if (self->settings == NULL || !g_settings_get_boolean (self->settings, "restore-last-text"))
    return;

  if (!g_file_get_contents (path, &text, &length, NULL) || length == 0 || length > MAX_STATE_SIZE)
    return;
  if (!g_utf8_validate (text, length, NULL))
    return;

  bounce_window_set_user_text (self, text);
  self->navigate_on_result = FALSE;
}

static void
on_settings_changed (GSettings    *settings,
                     const char   *key,
                     BounceWindow *self)
{
  if (g_str_equal (key, "show-admin-sections"))
    {
      self->show_admin = g_settings_get_boolean (settings, key);
      bounce_input_view_set_show_admin (self->input_view, self->show_admin);
      for (GtkWidget *card = self->entry_cards != NULL ? gtk_widget_get_first_child (GTK_WIDGET (self->entry_cards)) : NULL;
           card != NULL;
           card = gtk_widget_get_next_sibling (card))
        bounce_entry_card_set_show_admin (BOUNCE_ENTRY_CARD (card), self->show_admin);
    }
  else if (g_str_equal (key, "blocklist-services") || g_str_equal (key, "show-closed-lists"))
    {
      bounce_window_apply_link_settings (self);
    }
  else if (g_str_equal (key, "restore-last-text"))
    {
      /* Turning it off forgets the kept text at once. */
      if (!g_settings_get_boolean (settings, key))
        {
          g_autofree char *path = bounce_window_get_state_file ();

          g_unlink (path);
        }
    }
}

static gboolean
bounce_window_close_request (GtkWindow *window)
{
  BounceWindow *self = BOUNCE_WINDOW (window);

  bounce_window_cancel (self);
  bounce_window_save_state (self);

  return GTK_WINDOW_CLASS (bounce_window_parent_class)->close_request (window);
}

static void
load_catalogue_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  bounce_catalogue_get_default ();
  g_task_return_boolean (task, TRUE);
}

/* The catalogue is not needed for the first frame, and loading it on the
 * main thread when the first message is analysed stalled the window: it
 * is loaded on a worker once the first window has been painted (the main
 * thread, should it need the catalogue before, waits for that load). */
static void
on_first_paint (GdkFrameClock *clock,
                BounceWindow  *self)
{
  static gboolean started;

  g_signal_handlers_disconnect_by_func (clock, on_first_paint, self);
  if (!started)
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

      started = TRUE;
      g_task_run_in_thread (task, load_catalogue_thread);
    }
}

static void
bounce_window_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (bounce_window_parent_class)->map (widget);

  g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                           G_CALLBACK (on_first_paint), widget, 0);
}

static void
bounce_window_constructed (GObject *object)
{
  BounceWindow *self = BOUNCE_WINDOW (object);

  G_OBJECT_CLASS (bounce_window_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));

      self->show_admin = g_settings_get_boolean (self->settings, "show-admin-sections");
      bounce_input_view_set_show_admin (self->input_view, self->show_admin);
      bounce_window_apply_link_settings (self);
      g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self, 0);

      bounce_window_restore_text (self);
    }

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  bounce_window_update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->input_view));
}

gboolean
bounce_window_get_busy (BounceWindow *self)
{
  g_return_val_if_fail (BOUNCE_IS_WINDOW (self), FALSE);
  return self->busy;
}

gboolean
bounce_window_get_filling (BounceWindow *self)
{
  g_return_val_if_fail (BOUNCE_IS_WINDOW (self), FALSE);
  return self->fill_id != 0;
}

BounceReport *
bounce_window_get_report (BounceWindow *self)
{
  g_return_val_if_fail (BOUNCE_IS_WINDOW (self), NULL);
  return self->report;
}

const char *
bounce_window_get_page (BounceWindow *self)
{
  g_return_val_if_fail (BOUNCE_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->results_stack);
}

BounceInputView *
bounce_window_get_input_view (BounceWindow *self)
{
  g_return_val_if_fail (BOUNCE_IS_WINDOW (self), NULL);
  return self->input_view;
}

BounceVerdict *
bounce_window_get_verdict (BounceWindow *self)
{
  g_return_val_if_fail (BOUNCE_IS_WINDOW (self), NULL);
  bounce_window_ensure_result_pages (self);
  return self->verdict;
}

BounceLinksGroup *
bounce_window_get_links_group (BounceWindow *self)
{
  g_return_val_if_fail (BOUNCE_IS_WINDOW (self), NULL);
  bounce_window_ensure_result_pages (self);
  return self->links_group;
}

GtkListBox *
bounce_window_get_recipients_list (BounceWindow *self)
{
  g_return_val_if_fail (BOUNCE_IS_WINDOW (self), NULL);
  bounce_window_ensure_result_pages (self);
  return self->recipients_list;
}

GtkListBox *
bounce_window_get_codes_list (BounceWindow *self)
{
  g_return_val_if_fail (BOUNCE_IS_WINDOW (self), NULL);
  bounce_window_ensure_result_pages (self);
  return self->codes_list;
}

GtkWidget *
bounce_window_get_entry_cards (BounceWindow *self)
{
  g_return_val_if_fail (BOUNCE_IS_WINDOW (self), NULL);
  bounce_window_ensure_result_pages (self);
  return GTK_WIDGET (self->entry_cards);
}

static void
bounce_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BounceWindow *self = BOUNCE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bounce_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BounceWindow *self = BOUNCE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

typedef struct {
  GWeakRef      window;
  GCancellable *cancellable;
} CheckRun;

static void
check_run_free (CheckRun *run)
{
  g_weak_ref_clear (&run->window);
  g_clear_object (&run->cancellable);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CheckRun, check_run_free)

static void
on_check_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CheckRun) run = user_data;
  g_autoptr(BounceWindow) self = g_weak_ref_get (&run->window);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = bounce_blocklist_check_run_finish (BOUNCE_BLOCKLIST_CHECK (source), result, &error);
  /* Stopped for a newer report, or the window is gone. */
  if (self == NULL || g_cancellable_is_cancelled (run->cancellable))
    return;

  g_clear_object (&self->check_cancellable);
  bounce_links_group_set_checking (self->links_group, FALSE);
  bounce_links_group_set_check_results (self->links_group, results);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.check-blocklists", self->check != NULL);
}

static void
bounce_window_run_check (BounceWindow *self)
{
  CheckRun *run;

  if (self->check == NULL || self->check_cancellable != NULL)
    return;

  self->check_cancellable = g_cancellable_new ();
  run = g_new0 (CheckRun, 1);
  g_weak_ref_init (&run->window, self);
  run->cancellable = g_object_ref (self->check_cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.check-blocklists", FALSE);
  bounce_links_group_set_checking (self->links_group, TRUE);
  bounce_blocklist_check_run_async (self->check, self->check_cancellable, on_check_done, run);
}

static void
on_check_notice_response (AdwMessageDialog *dialog,
                          const char       *response,
                          BounceWindow     *self)
{
  /* The notice named this report's targets: a newer report needs its own. */
  if (g_strcmp0 (response, "check") != 0 ||
      g_object_get_data (G_OBJECT (dialog), "check") != self->check)
    return;
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "blocklist-check-confirmed", TRUE);
  bounce_window_run_check (self);
}

/* The first check is preceded by a notice of what leaves the computer. */
static void
check_blocklists_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  BounceWindow *self = BOUNCE_WINDOW (widget);
  g_autofree char *targets = NULL;
  GtkWidget *dialog;

  if (self->check == NULL)
    return;
  if (self->settings != NULL && g_settings_get_boolean (self->settings, "blocklist-check-confirmed"))
    {
      bounce_window_run_check (self);
      return;
    }

  targets = join_targets (bounce_blocklist_check_get_targets (self->check));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Ask the Blocklists?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* Translators: %s is "192.0.2.1 and example.com" */
                                  _("To check them, Bounce Assistant sends %s to the DNS servers of the "
                                    "blocklists, through your network’s DNS resolver. The lists learn that "
                                    "someone asked about them. Nothing else from the bounce is sent."),
                                  targets);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "check", _("_Check"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "check",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "check");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "check", g_object_ref (self->check), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_check_notice_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bounce_window_dispose (GObject *object)
{
  BounceWindow *self = BOUNCE_WINDOW (object);

  bounce_window_cancel (self);
  if (self->check_cancellable != NULL)
    {
      g_cancellable_cancel (self->check_cancellable);
      g_clear_object (&self->check_cancellable);
    }
  g_clear_object (&self->check);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  g_clear_handle_id (&self->result_pages_id, g_source_remove);
  bounce_window_stop_filling (self);
  g_clear_pointer (&self->fill_codes_seen, g_hash_table_unref);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->catalogue_window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->catalogue_window), (gpointer *) &self->catalogue_window);
      self->catalogue_window = NULL;
    }

  bounce_window_release_undo_toast (self, FALSE);
  g_clear_pointer (&self->undo_text, g_bytes_unref);
  g_clear_object (&self->undo_file);
  g_clear_pointer (&self->view_findings, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOUNCE_TYPE_WINDOW);

  g_clear_object (&self->report);
  g_clear_object (&self->file);
  g_clear_pointer (&self->big_paste, g_bytes_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bounce_window_parent_class)->dispose (object);
}

static void
bounce_window_class_init (BounceWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = bounce_window_constructed;
  object_class->dispose = bounce_window_dispose;
  object_class->get_property = bounce_window_get_property;
  object_class->set_property = bounce_window_set_property;

  widget_class->map = bounce_window_map;
  window_class->close_request = bounce_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, BOUNCE_TYPE_REPORT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BOUNCE_TYPE_INPUT_VIEW);
  g_type_ensure (BOUNCE_TYPE_VERDICT);
  g_type_ensure (BOUNCE_TYPE_MESSAGES_VIEW);
  g_type_ensure (BOUNCE_TYPE_LINKS_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/bounce-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BounceWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BounceWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BounceWindow, show_results_button);
  gtk_widget_class_bind_template_child (widget_class, BounceWindow, input_view);
  gtk_widget_class_bind_template_child (widget_class, BounceWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, BounceWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, BounceWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, BounceWindow, input_menu_button);
  gtk_widget_class_bind_template_child (widget_class, BounceWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, BounceWindow, results_stack);
  gtk_widget_class_bind_template_child (widget_class, BounceWindow, welcome_page);
  gtk_widget_class_bind_template_callback (widget_class, on_text_edited);
  gtk_widget_class_bind_template_callback (widget_class, on_file_dropped);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_changed);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "win.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "win.copy-summary", NULL, copy_summary_action);
  gtk_widget_class_install_action (widget_class, "win.catalogue", NULL, catalogue_action);
  gtk_widget_class_install_action (widget_class, "win.select-range", "(tt)", select_range_action);
  gtk_widget_class_install_action (widget_class, "win.show-decoded", NULL, show_decoded_action);
  gtk_widget_class_install_action (widget_class, "win.undo-paste", NULL, undo_paste_action);
  gtk_widget_class_install_action (widget_class, "win.show-input", NULL, show_input_action);
  gtk_widget_class_install_action (widget_class, "win.show-results", NULL, show_results_action);
  gtk_widget_class_install_action (widget_class, "win.check-blocklists", NULL, check_blocklists_action);

  /* A class binding runs after the focused widget had its chance, so the
   * text view still pastes at the cursor; anywhere else Ctrl+V pastes the
   * clipboard as the new message. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "win.paste", NULL);
}

/* The shortcuts window is built when first asked for, not with every
 * window as GtkApplication does with a gtk/help-overlay.ui: it is set as
 * the window's help overlay, whose own show-help-overlay action (added
 * only when the window has none) then replaces this one. */
static void
show_help_overlay (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  BounceWindow *self = user_data;
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_BASE "/bounce-shortcuts.ui");
  GtkShortcutsWindow *overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  g_action_map_remove_action (G_ACTION_MAP (self), "show-help-overlay");
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self), overlay);
  g_action_group_activate_action (G_ACTION_GROUP (self), "show-help-overlay", NULL);
}

/* The main menu is built when first opened: a GtkMenuButton builds the
 * popover of its menu model when given one, and a window that never opens
 * it need not do so before its first frame.  Called each time it opens. */
static void
main_menu_popup_cb (GtkMenuButton *button,
                    gpointer       user_data)
{
  BounceWindow *self = user_data;

  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->primary_menu);
}

static void
bounce_window_init (BounceWindow *self)
{
  static const GActionEntry entries[] = {
    { .name = "show-help-overlay", .activate = show_help_overlay },
  };

  self->show_admin = TRUE;
  self->fill_codes_seen = g_hash_table_new (g_str_hash, g_str_equal);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, main_menu_popup_cb, self, NULL);
  gtk_menu_button_set_create_popup_func (self->input_menu_button, main_menu_popup_cb, self, NULL);
  bounce_a11y_fix_mnemonic_buttons (GTK_WIDGET (self));
  bounce_a11y_watch_toasts (self->toast_overlay);
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);

  g_signal_connect_object (bounce_input_view_get_text_view (self->input_view), "paste-clipboard",
                           G_CALLBACK (on_paste_clipboard), self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->results_stack, "welcome");
  bounce_wrap_status_page (GTK_WIDGET (self->welcome_page));
  /* Only a report with something to check enables it. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.check-blocklists", FALSE);
}
