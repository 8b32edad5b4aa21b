/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Receives output in pieces, in order. */
typedef void (*BounceWriteFunc) (const char *data,
                                 gsize       length,
                                 gpointer    user_data);

/* JSON written as it is produced instead of built as a tree first, so that
 * a report of 10,000 recipients costs no more memory to print than one of
 * ten.  The text is the one JsonGenerator makes of the same tree, compact or
 * pretty (two spaces), except that strings are always valid JSON: U+001F is
 * escaped and a byte that is not UTF-8 becomes U+FFFD.
 *
 * The same calls can build a JsonNode instead (bounce_json_writer_new_node),
 * for callers that want the tree. */
typedef struct _BounceJsonWriter BounceJsonWriter;

BounceJsonWriter *bounce_json_writer_new          (gboolean          pretty,
                                                   BounceWriteFunc   write,
                                                   gpointer          user_data);
BounceJsonWriter *bounce_json_writer_new_node     (void);
/* Hands what is buffered to the write function. */
void              bounce_json_writer_flush        (BounceJsonWriter *self);
/* Flushes, frees the writer and returns the built tree (NULL for a
 * streaming writer). */
JsonNode         *bounce_json_writer_free         (BounceJsonWriter *self);

void              bounce_json_writer_begin_object (BounceJsonWriter *self);
void              bounce_json_writer_end_object   (BounceJsonWriter *self);
void              bounce_json_writer_begin_array  (BounceJsonWriter *self);
void              bounce_json_writer_end_array    (BounceJsonWriter *self);
/* The name of the next value, inside an object. */
void              bounce_json_writer_member       (BounceJsonWriter *self,
                                                   const char       *name);
/* NULL writes null. */
void              bounce_json_writer_string       (BounceJsonWriter *self,
                                                   const char       *value);
void              bounce_json_writer_int          (BounceJsonWriter *self,
                                                   gint64            value);
void              bounce_json_writer_boolean      (BounceJsonWriter *self,
                                                   gboolean          value);
void              bounce_json_writer_null         (BounceJsonWriter *self);
/* A whole tree (objects, arrays, strings, integers, booleans, null). */
void              bounce_json_writer_node         (BounceJsonWriter *self,
                                                   JsonNode         *node);

/* The string as a JSON string literal, quotes included, appended to out. */
void              bounce_json_append_string       (GString          *out,
                                                   const char       *value);

G_END_DECLS
