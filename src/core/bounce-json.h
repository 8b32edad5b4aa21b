/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Typed reads of JSON that anyone may have written (catalogue files, an
 * Amazon SES notification in a mail): NULL when the value is missing or of
 * another type, or (a string) not UTF-8.  json-glib's own typed getters
 * (json_object_get_string_member and its _with_default,
 * json_array_get_object_element, ...) raise a critical then. */
const char *bounce_json_string        (JsonNode   *node);
JsonObject *bounce_json_object        (JsonNode   *node);
JsonArray  *bounce_json_array         (JsonNode   *node);

/* TRUE with the value in out when node holds a boolean, or an integer. */
gboolean    bounce_json_boolean       (JsonNode   *node,
                                       gboolean   *out);
gboolean    bounce_json_int           (JsonNode   *node,
                                       gint64     *out);

/* The same for a member of object, which may be NULL. */
const char *bounce_json_member_string (JsonObject *object,
                                       const char *member);
JsonObject *bounce_json_member_object (JsonObject *object,
                                       const char *member);
JsonArray  *bounce_json_member_array  (JsonObject *object,
                                       const char *member);

G_END_DECLS
