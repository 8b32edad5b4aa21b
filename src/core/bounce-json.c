/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-json.h"

static gboolean
holds_value (JsonNode *node,
             GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* (json-glib does not check that a string it read is UTF-8: it takes
 * octal escapes such as "\377", the byte 0xff; such a string is not a
 * JSON string, RFC 8259 section 8.1, and GRegex crashes in PCRE2 when
 * given one as a pattern) */
const char *
bounce_json_string (JsonNode *node)
{
  const char *s = holds_value (node, G_TYPE_STRING) ? json_node_get_string (node) : NULL;

  return s != NULL && g_utf8_validate (s, -1, NULL) ? s : NULL;
}

JsonObject *
bounce_json_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
bounce_json_array (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gboolean
bounce_json_boolean (JsonNode *node,
                     gboolean *out)
{
  if (!holds_value (node, G_TYPE_BOOLEAN))
    return FALSE;
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
bounce_json_int (JsonNode *node,
                 gint64   *out)
{
  if (!holds_value (node, G_TYPE_INT64))
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  return object != NULL ? json_object_get_member (object, name) : NULL;
}

const char *
bounce_json_member_string (JsonObject *object,
                           const char *name)
{
  return bounce_json_string (member (object, name));
}

JsonObject *
bounce_json_member_object (JsonObject *object,
                           const char *name)
{
  return bounce_json_object (member (object, name));
}

JsonArray *
bounce_json_member_array (JsonObject *object,
                          const char *name)
{
  return bounce_json_array (member (object, name));
}
