/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-error.h"

G_DEFINE_QUARK (bounce-error-quark, bounce_error)
