/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BOUNCE_TYPE_APPLICATION (bounce_application_get_type ())
G_DECLARE_FINAL_TYPE (BounceApplication, bounce_application, BOUNCE, APPLICATION, AdwApplication)

BounceApplication *bounce_application_new (const char        *application_id,
                                           GApplicationFlags  flags);

/* The debug information shown in the About window (library versions,
 * catalogue version and size). */
char              *bounce_application_get_debug_info (void);

G_END_DECLS
