/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BOUNCE_ERROR (bounce_error_quark ())

/* Failures a user can cause with the input they give us. */
typedef enum {
  BOUNCE_ERROR_EMPTY,        /* nothing to analyse */
  BOUNCE_ERROR_TOO_LARGE,    /* over BOUNCE_INPUT_MAX_SIZE */
  BOUNCE_ERROR_BINARY,       /* not text: an image, an archive, ... */
  BOUNCE_ERROR_INVALID,      /* broken beyond repair (e.g. MIME nesting too deep) */
  BOUNCE_ERROR_READ,         /* the file could not be read */
  BOUNCE_ERROR_CATALOGUE,    /* the catalogue is damaged (a packaging bug) */
} BounceErrorCode;

GQuark bounce_error_quark (void);

G_END_DECLS
