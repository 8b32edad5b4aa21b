/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The candidates the extractor checks in context (bounce-extract.c), found
 * in one pass over the text.  Each kind's candidates are exactly the
 * matches its former regular expression (compiled with G_REGEX_RAW, run
 * match after match over text[0, end) from start) gave, documented with
 * each kind: a candidate's look-behind sees the bytes before start, its
 * look-ahead nothing at or after end, and a kind's next candidate is
 * looked for from where its previous one ended. */
typedef enum
{
  /* (?i)\bhttps?://[^\s"'<>`\x00-\x1f\x7f]{1,2048} */
  BOUNCE_SCAN_URL,
  /* @[A-Za-z0-9][A-Za-z0-9.-]{0,252} */
  BOUNCE_SCAN_EMAIL_AT,
  /* (?<![\w.,+/$\\-])[245][0-7][0-9](?![\w@%]|[.,:/][0-9]) */
  BOUNCE_SCAN_REPLY,
  /* (?<![\w./\\$])[245]\.[0-7]\.[0-9]{1,3}(?![\w@+~]|\.[0-9A-Za-z]|-[0-9]) */
  BOUNCE_SCAN_ENHANCED,
  /* (?:(?<=IPv6:)|(?<![\w:.]))(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:])[0-9A-Fa-f:.]{2,45} */
  BOUNCE_SCAN_IPV6,
  /* (?<![\w.])OCTET\.OCTET\.OCTET\.OCTET(?![\w]|\.[0-9]), OCTET one of
   * 25[0-5] 2[0-4][0-9] 1[0-9][0-9] [1-9]?[0-9] */
  BOUNCE_SCAN_IPV4,
  /* (?<![\w.@-])[A-Za-z0-9][A-Za-z0-9-]{0,62}\.[A-Za-z0-9][A-Za-z0-9.-]{0,250} */
  BOUNCE_SCAN_HOST,
  BOUNCE_SCAN_N_KINDS
} BounceScanKind;

#define BOUNCE_SCAN_MASK(kind) (1u << (kind))

typedef struct
{
  guint32 kind;   /* BounceScanKind */
  gsize start;
  gsize end;
} BounceScanCandidate;

/* Appends the candidates of the kinds in kinds (BOUNCE_SCAN_MASK bits) that
 * start in text[start, end) to candidates (of BounceScanCandidate), in the
 * order of their starts. */
void bounce_scan_candidates (const char *text,
                             gsize       start,
                             gsize       end,
                             guint       kinds,
                             GArray     *candidates);

G_END_DECLS
