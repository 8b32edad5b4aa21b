/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-wrap.h"

#include <string.h>

void
bounce_wrap_label_without_hyphens (GtkLabel *label)
{
  PangoAttrList *current;
  PangoAttrList *attrs;

  g_return_if_fail (GTK_IS_LABEL (label));

  current = gtk_label_get_attributes (label);
  attrs = current != NULL ? pango_attr_list_copy (current) : pango_attr_list_new ();
  pango_attr_list_change (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (label, attrs);
  pango_attr_list_unref (attrs);
}

void
bounce_wrap_without_hyphens (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_LABEL (root) && gtk_label_get_wrap (GTK_LABEL (root)))
    bounce_wrap_label_without_hyphens (GTK_LABEL (root));

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    bounce_wrap_without_hyphens (child);
}

static void
wrap_address_label (GtkLabel   *label,
                    const char *address,
                    const char *at)
{
  PangoAttrList *current = gtk_label_get_attributes (label);
  PangoAttrList *attrs = current != NULL ? pango_attr_list_copy (current) : pango_attr_list_new ();
  /* The name with its "@" a word of its own, so that a line breaks after
   * it first; Pango (1.50) still breaks a word that is wider than the
   * line anywhere, as before. */
  PangoAttribute *name = pango_attr_word_new ();

  name->start_index = 0;
  name->end_index = at + 1 - address;
  pango_attr_list_insert (attrs, name);
  gtk_label_set_attributes (label, attrs);
  pango_attr_list_unref (attrs);
}

void
bounce_wrap_address (GtkWidget  *root,
                     const char *address)
{
  const char *at;

  g_return_if_fail (GTK_IS_WIDGET (root));

  if (address == NULL || (at = strrchr (address, '@')) == NULL || at == address || at[1] == '\0')
    return;
  /* (by its class: an expander row gives its header's label the title a
   * moment later) */
  if (GTK_IS_LABEL (root) && gtk_label_get_wrap (GTK_LABEL (root)) && gtk_widget_has_css_class (root, "title"))
    wrap_address_label (GTK_LABEL (root), address, at);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    bounce_wrap_address (child, address);
}

/* Status pages ----------------------------------------------------------- */

void
bounce_wrap_status_page (GtkWidget *page)
{
  g_return_if_fail (GTK_IS_WIDGET (page));

  if (GTK_IS_LABEL (page) && gtk_label_get_wrap (GTK_LABEL (page)) &&
      gtk_label_get_width_chars (GTK_LABEL (page)) < 0)
    /* Titles are larger; both are far narrower than the narrowest
     * window's page. */
    gtk_label_set_width_chars (GTK_LABEL (page), gtk_widget_has_css_class (page, "title")
                                ? BOUNCE_WRAP_TITLE_CHARS : BOUNCE_WRAP_TEXT_CHARS);
  for (GtkWidget *child = gtk_widget_get_first_child (page);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    bounce_wrap_status_page (child);
}

/* Rows -------------------------------------------------------------------- */

#define ROW_SPACING_KEY "bounce-row-spacing"

static int
row_spacing (GtkWidget *row)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), ROW_SPACING_KEY));
}

/* The children's widths in a row this wide (at natural widths when width
 * is negative); returns the number of children laid out. */
static guint
row_distribute (GtkWidget        *row,
                int               width,
                GtkRequestedSize *sizes,
                guint             n_sizes)
{
  int spacing = row_spacing (row);
  int extra = 0, n_expand = 0;
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (row);
       child != NULL && n < n_sizes;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_should_layout (child))
        continue;
      sizes[n].data = child;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1,
                          &sizes[n].minimum_size, &sizes[n].natural_size, NULL, NULL);
      if (gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL))
        n_expand++;
      n++;
    }
  if (n == 0)
    return 0;

  if (width < 0)
    {
      for (guint i = 0; i < n; i++)
        sizes[i].minimum_size = sizes[i].natural_size;
      return n;
    }

  extra = width - spacing * (int) (n - 1);
  for (guint i = 0; i < n; i++)
    extra -= sizes[i].minimum_size;
  if (extra <= 0)
    return n;

  extra = gtk_distribute_natural_allocation (extra, n, sizes);
  for (guint i = 0; i < n && n_expand > 0; i++)
    {
      int share;

      if (!gtk_widget_compute_expand (sizes[i].data, GTK_ORIENTATION_HORIZONTAL))
        continue;
      share = extra / n_expand;
      sizes[i].minimum_size += share;
      extra -= share;
      n_expand--;
    }
  return n;
}

static guint
row_count (GtkWidget *row)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (row);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static GtkSizeRequestMode
row_request_mode (GtkWidget *row)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
row_measure (GtkWidget      *row,
             GtkOrientation  orientation,
             int             for_size,
             int            *minimum,
             int            *natural,
             int            *minimum_baseline,
             int            *natural_baseline)
{
  guint n_children = row_count (row);
  GtkRequestedSize *sizes = g_newa (GtkRequestedSize, MAX (n_children, 1));
  guint n;

  *minimum = *natural = 0;
  *minimum_baseline = *natural_baseline = -1;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      n = 0;
      /* Whatever the height: this is what keeps the text layouts few. */
      for (GtkWidget *child = gtk_widget_get_first_child (row);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int child_min, child_nat;

          if (!gtk_widget_should_layout (child))
            continue;
          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, &child_nat, NULL, NULL);
          *minimum += child_min;
          *natural += child_nat;
          n++;
        }
      if (n > 1)
        {
          *minimum += row_spacing (row) * (int) (n - 1);
          *natural += row_spacing (row) * (int) (n - 1);
        }
      return;
    }

  n = row_distribute (row, for_size, sizes, n_children);
  for (guint i = 0; i < n; i++)
    {
      int child_min, child_nat;

      /* At no given width, neither are the children's: a label answers
       * from the layouts that gave its widths, where measured at its
       * natural width it would lay its text out once more. */
      gtk_widget_measure (sizes[i].data, GTK_ORIENTATION_VERTICAL,
                          for_size < 0 ? -1 : sizes[i].minimum_size,
                          &child_min, &child_nat, NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
    }
}

static void
row_allocate (GtkWidget *row,
              int        width,
              int        height,
              int        baseline)
{
  guint n_children = row_count (row);
  GtkRequestedSize *sizes = g_newa (GtkRequestedSize, MAX (n_children, 1));
  gboolean rtl = gtk_widget_get_direction (row) == GTK_TEXT_DIR_RTL;
  guint n = row_distribute (row, width, sizes, n_children);
  int x = 0;

  for (guint i = 0; i < n; i++)
    {
      int child_width = sizes[i].minimum_size;
      int child_x = rtl ? width - x - child_width : x;

      gtk_widget_allocate (sizes[i].data, child_width, height, -1,
                           gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (child_x, 0)));
      x += child_width + row_spacing (row);
    }
}

void
bounce_wrap_set_row_layout (GtkWidget *box,
                            int        spacing)
{
  g_return_if_fail (GTK_IS_WIDGET (box));

  g_object_set_data (G_OBJECT (box), ROW_SPACING_KEY, GINT_TO_POINTER (spacing));
  gtk_widget_set_layout_manager (box, gtk_custom_layout_new (row_request_mode, row_measure,
                                                             row_allocate));
}
