/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bounce-core.h"

G_BEGIN_DECLS

#define BOUNCE_TYPE_PREFERENCES (bounce_preferences_get_type ())
G_DECLARE_FINAL_TYPE (BouncePreferences, bounce_preferences, BOUNCE, PREFERENCES, AdwPreferencesWindow)

BouncePreferences *bounce_preferences_new (GSettings       *settings,
                                           BounceCatalogue *catalogue);

G_END_DECLS
