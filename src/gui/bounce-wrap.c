/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-wrap.h"

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
