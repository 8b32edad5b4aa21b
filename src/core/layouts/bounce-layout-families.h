/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-layout.h"

G_BEGIN_DECLS

/* Layouts that other servers copied.  The copy's module recognises its
 * own notices (its headers, its opening sentences) and reads the body
 * with the original's reader. */

/* Exim's list of failed addresses (exim.c), for MXLogic. */
gboolean bounce_exim_read  (BounceLayoutDoc    *d);

G_END_DECLS
