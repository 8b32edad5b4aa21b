/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bounce-core.h"

G_BEGIN_DECLS

#define BOUNCE_TYPE_CATALOGUE_WINDOW (bounce_catalogue_window_get_type ())
G_DECLARE_FINAL_TYPE (BounceCatalogueWindow, bounce_catalogue_window, BOUNCE, CATALOGUE_WINDOW, AdwWindow)

BounceCatalogueWindow *bounce_catalogue_window_new           (BounceCatalogue       *catalogue);
/* Types the query into the search entry and searches at once. */
void                   bounce_catalogue_window_set_query     (BounceCatalogueWindow *self,
                                                              const char            *query);
guint                  bounce_catalogue_window_get_n_results (BounceCatalogueWindow *self);
/* The entry of result row index, or NULL. */
BounceEntry           *bounce_catalogue_window_get_result    (BounceCatalogueWindow *self,
                                                              guint                  index);
/* Shows an entry in the detail pane. */
void                   bounce_catalogue_window_show_entry    (BounceCatalogueWindow *self,
                                                              BounceEntry           *entry);
BounceEntry           *bounce_catalogue_window_get_shown_entry (BounceCatalogueWindow *self);

G_END_DECLS
