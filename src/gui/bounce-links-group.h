/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bounce-core.h"

G_BEGIN_DECLS

#define BOUNCE_TYPE_LINKS_GROUP (bounce_links_group_get_type ())
G_DECLARE_FINAL_TYPE (BounceLinksGroup, bounce_links_group, BOUNCE, LINKS_GROUP, AdwBin)

/* links: BounceLink, as built by the core; named: BounceEntry, the lists
 * the bounce names (those without a link get a row of their own).  The
 * group keeps a reference to both; either may be NULL. */
void      bounce_links_group_set_links        (BounceLinksGroup   *self,
                                               GPtrArray          *links,
                                               GPtrArray          *named);
/* Service ids to show; NULL or empty shows every service. */
void      bounce_links_group_set_services     (BounceLinksGroup   *self,
                                               const char * const *services);
void      bounce_links_group_set_show_closed  (BounceLinksGroup   *self,
                                               gboolean            show_closed);
gboolean  bounce_links_group_get_show_closed  (BounceLinksGroup   *self);
/* The live check: notice says what a check would send (NULL hides the
 * button: nothing to check); results are BounceBlocklistResult (NULL
 * clears them). */
void      bounce_links_group_set_check_notice  (BounceLinksGroup   *self,
                                                const char         *notice);
void      bounce_links_group_set_checking      (BounceLinksGroup   *self,
                                                gboolean            checking);
void      bounce_links_group_set_check_results (BounceLinksGroup   *self,
                                                GPtrArray          *results);
/* For tests: the button, and the result rows shown. */
GtkWidget *bounce_links_group_get_check_button (BounceLinksGroup   *self);
guint     bounce_links_group_get_n_results     (BounceLinksGroup   *self);
/* The URLs of the rows shown, in order (for tests). */
GStrv     bounce_links_group_dup_urls         (BounceLinksGroup   *self);
/* Rows shown, with or without a URL. */
guint     bounce_links_group_get_n_shown      (BounceLinksGroup   *self);

G_END_DECLS
