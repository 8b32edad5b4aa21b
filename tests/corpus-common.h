/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-core.h"

G_BEGIN_DECLS

/* The four fields scored per recipient, as in truth.json. */
typedef enum {
  CORPUS_STATUS,
  CORPUS_REPLY,
  CORPUS_REASON,
  CORPUS_HARD,
  CORPUS_N_FIELDS
} CorpusField;

extern const char * const corpus_field_names[CORPUS_N_FIELDS];

/* One file's comparison with the truth. */
typedef struct {
  char *name;
  guint n_truth;        /* recipients in the truth (0: not a bounce) */
  guint n_found;        /* recipients reported */
  guint n_failed;       /* reported recipients that are failures */
  GArray *right[CORPUS_N_FIELDS];   /* gboolean per truth recipient */
  GPtrArray *got[CORPUS_N_FIELDS];  /* char* per truth recipient, for messages */
  GPtrArray *want[CORPUS_N_FIELDS];
  gboolean ok;          /* decoded without error */
} CorpusResult;

void          corpus_result_free  (CorpusResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CorpusResult, corpus_result_free)

/* Parses truth.json: file name -> JsonArray of recipients. */
JsonObject   *corpus_load_truth   (const char  *path,
                                   JsonParser **parser_out);

/* Analyses dir/name and compares it with truth (a JsonArray). */
CorpusResult *corpus_check_file   (const char  *dir,
                                   const char  *name,
                                   JsonArray   *truth);

/* The same for a file's contents already in memory. */
CorpusResult *corpus_check_bytes  (const char  *name,
                                   GBytes      *bytes,
                                   JsonArray   *truth);

/* A file of tests/corpus, read whole. */
typedef struct {
  char *name;
  char *contents;   /* NUL-terminated, length bytes before it */
  gsize length;
} CorpusText;

void          corpus_text_free    (CorpusText *text);

/* The four directories of tests/corpus: eml, eml-cr, eml-crlf, not-bounces. */
extern const char * const corpus_all_dirs[];

/* Every file of the directories dirs (NULL-terminated names under
 * tests/corpus), read whole (CorpusText), for the tests that check a piece
 * of the engine against every real bounce. */
GPtrArray    *corpus_read_texts   (const char * const *dirs);

/* "lhost-postfix-02.eml" -> "postfix" (the server family). */
char         *corpus_family       (const char  *name);

G_END_DECLS
