/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-analyzer.h"
#include "bounce-blocklist-check.h"
#include "bounce-catalogue.h"
#include "bounce-diagnose.h"
#include "bounce-dns-info.h"
#include "bounce-entry.h"
#include "bounce-error.h"
#include "bounce-extract.h"
#include "bounce-input.h"
#include "bounce-links.h"
#include "bounce-reason.h"
#include "bounce-recipient.h"
#include "bounce-report.h"

/* Call once before any other function of the core (g_mime_init, ...). */
void bounce_core_init (void);

/* Makes the program's messages and the catalogue's text use the
 * translations: binds and selects the gettext domain (call it after
 * setlocale()).  The compiled translations are read from
 * $BOUNCE_ASSISTANT_LOCALEDIR when it is set (build-aux/run, `meson devenv`
 * and the tests point it at <builddir>/po), else from the installed
 * LOCALEDIR. */
void bounce_core_init_gettext (void);
