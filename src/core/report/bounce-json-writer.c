/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-json-writer.h"

/* Output is handed on in pieces of about this size. */
#define FLUSH_SIZE (64 * 1024)
/* JsonGenerator's default indentation, which --pretty has always used. */
#define INDENT 2

typedef struct {
  gboolean object;
  guint count;  /* values written in it so far */
} Level;

struct _BounceJsonWriter
{
  /* Streaming */
  gboolean pretty;
  BounceWriteFunc write;
  gpointer user_data;
  GString *out;
  GArray *levels;  /* Level, innermost last */
  gboolean named;  /* the next member's name is written, its value is not */
  /* Or building a tree */
  JsonBuilder *builder;
};

BounceJsonWriter *
bounce_json_writer_new (gboolean        pretty,
                        BounceWriteFunc write,
                        gpointer        user_data)
{
  BounceJsonWriter *self = g_new0 (BounceJsonWriter, 1);

  g_return_val_if_fail (write != NULL, NULL);

  self->pretty = pretty;
  self->write = write;
  self->user_data = user_data;
  self->out = g_string_sized_new (FLUSH_SIZE + 1024);
  self->levels = g_array_new (FALSE, FALSE, sizeof (Level));
  return self;
}

BounceJsonWriter *
bounce_json_writer_new_node (void)
{
  BounceJsonWriter *self = g_new0 (BounceJsonWriter, 1);

  self->builder = json_builder_new ();
  return self;
}

void
bounce_json_writer_flush (BounceJsonWriter *self)
{
  g_return_if_fail (self != NULL);

  if (self->builder != NULL || self->out->len == 0)
    return;
  self->write (self->out->str, self->out->len, self->user_data);
  g_string_truncate (self->out, 0);
}

JsonNode *
bounce_json_writer_free (BounceJsonWriter *self)
{
  JsonNode *root = NULL;

  if (self == NULL)
    return NULL;

  if (self->builder != NULL)
    {
      root = json_builder_get_root (self->builder);
      g_object_unref (self->builder);
    }
  else
    {
      g_warn_if_fail (self->levels->len == 0);
      bounce_json_writer_flush (self);
      g_string_free (self->out, TRUE);
      g_array_unref (self->levels);
    }
  g_free (self);
  return root;
}

static void
maybe_flush (BounceJsonWriter *self)
{
  if (self->out->len >= FLUSH_SIZE)
    bounce_json_writer_flush (self);
}

static void
append_indent (BounceJsonWriter *self,
               guint             level)
{
  for (guint i = 0; i < level * INDENT; i++)
    g_string_append_c (self->out, ' ');
}

/* Appends bytes [start, p) unchanged. */
#define FLUSH_RUN() G_STMT_START { \
    if (p > run) \
      g_string_append_len (out, run, p - run); \
  } G_STMT_END

/* A byte written as it is: printable ASCII but the quote and the
 * backslash. */
static inline gboolean
is_plain_ascii (guchar c)
{
  return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void
bounce_json_append_string (GString    *out,
                           const char *value)
{
  const char *p = value;
  const char *run = value;

  g_return_if_fail (out != NULL);
  g_return_if_fail (value != NULL);

  g_string_append_c (out, '"');
  while (*p != '\0')
    {
      guchar c = (guchar) *p;
      const char *escape = NULL;

      /* (most bytes go out as they are: they are passed over first) */
      if (is_plain_ascii (c))
        {
          p++;
          continue;
        }
      if (c >= 0x80)
        {
          gunichar u = g_utf8_get_char_validated (p, -1);

          if (u == (gunichar) -1 || u == (gunichar) -2)
            {
              /* One byte at a time, to find the next character again. */
              FLUSH_RUN ();
              g_string_append (out, "\xef\xbf\xbd");
              run = ++p;
            }
          else
            p = g_utf8_next_char (p);
          continue;
        }

      switch (c)
        {
        case '"':
          escape = "\\\"";
          break;
        case '\\':
          escape = "\\\\";
          break;
        case '\b':
          escape = "\\b";
          break;
        case '\f':
          escape = "\\f";
          break;
        case '\n':
          escape = "\\n";
          break;
        case '\r':
          escape = "\\r";
          break;
        case '\t':
          escape = "\\t";
          break;
        default:
          break;
        }

      if (escape != NULL)
        {
          FLUSH_RUN ();
          g_string_append (out, escape);
          run = ++p;
        }
      else if (c < 0x20 || c == 0x7f)
        {
          FLUSH_RUN ();
          g_string_append_printf (out, "\\u%04x", c);
          run = ++p;
        }
      else
        p++;
    }
  FLUSH_RUN ();
  g_string_append_c (out, '"');
}

#undef FLUSH_RUN

/* The separator, the line break and indentation when pretty: what comes
 * before a value in an array, or before a member's name in an object. */
static void
begin_entry (BounceJsonWriter *self,
             Level            *level)
{
  if (level->count > 0)
    g_string_append_c (self->out, ',');
  if (self->pretty)
    {
      g_string_append_c (self->out, '\n');
      append_indent (self, self->levels->len);
    }
}

/* What comes before a value: begin_entry() in an array; in an object, the
 * member's name was written with it (bounce_json_writer_member()). */
static void
begin_value (BounceJsonWriter *self)
{
  Level *level;

  if (self->levels->len == 0)
    return;

  level = &g_array_index (self->levels, Level, self->levels->len - 1);
  if (level->object)
    {
      g_return_if_fail (self->named);
      self->named = FALSE;
    }
  else
    begin_entry (self, level);
  level->count++;
}

static void
begin_container (BounceJsonWriter *self,
                 gboolean          object)
{
  Level level = { object, 0 };

  begin_value (self);
  g_string_append_c (self->out, object ? '{' : '[');
  g_array_append_val (self->levels, level);
}

/* JsonGenerator closes a filled container on a line of its own; an empty
 * object is "{" and "}" with the indentation of its level between them, an
 * empty array "[]". */
static void
end_container (BounceJsonWriter *self,
               gboolean          object)
{
  Level level;

  g_return_if_fail (self->levels->len > 0);
  level = g_array_index (self->levels, Level, self->levels->len - 1);
  g_return_if_fail (level.object == object);
  g_array_set_size (self->levels, self->levels->len - 1);

  if (self->pretty && (level.count > 0 || object))
    {
      if (level.count > 0)
        g_string_append_c (self->out, '\n');
      append_indent (self, self->levels->len);
    }
  g_string_append_c (self->out, object ? '}' : ']');
  maybe_flush (self);
}

void
bounce_json_writer_begin_object (BounceJsonWriter *self)
{
  g_return_if_fail (self != NULL);

  if (self->builder != NULL)
    json_builder_begin_object (self->builder);
  else
    begin_container (self, TRUE);
}

void
bounce_json_writer_end_object (BounceJsonWriter *self)
{
  g_return_if_fail (self != NULL);

  if (self->builder != NULL)
    json_builder_end_object (self->builder);
  else
    end_container (self, TRUE);
}

void
bounce_json_writer_begin_array (BounceJsonWriter *self)
{
  g_return_if_fail (self != NULL);

  if (self->builder != NULL)
    json_builder_begin_array (self->builder);
  else
    begin_container (self, FALSE);
}

void
bounce_json_writer_end_array (BounceJsonWriter *self)
{
  g_return_if_fail (self != NULL);

  if (self->builder != NULL)
    json_builder_end_array (self->builder);
  else
    end_container (self, FALSE);
}

void
bounce_json_writer_member (BounceJsonWriter *self,
                           const char       *name)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  if (self->builder != NULL)
    json_builder_set_member_name (self->builder, name);
  else
    {
      Level *level;

      g_return_if_fail (self->levels->len > 0 && !self->named);
      level = &g_array_index (self->levels, Level, self->levels->len - 1);
      g_return_if_fail (level->object);
      /* (written at once rather than kept until the value: no copy of
       * every name) */
      begin_entry (self, level);
      bounce_json_append_string (self->out, name);
      g_string_append (self->out, self->pretty ? " : " : ":");
      self->named = TRUE;
    }
}

void
bounce_json_writer_string (BounceJsonWriter *self,
                           const char       *value)
{
  g_return_if_fail (self != NULL);

  if (value == NULL)
    bounce_json_writer_null (self);
  else if (self->builder != NULL)
    json_builder_add_string_value (self->builder, value);
  else
    {
      begin_value (self);
      bounce_json_append_string (self->out, value);
      maybe_flush (self);
    }
}

/* The decimal digits of value, as "%" G_GINT64_FORMAT writes them,
 * without printf's parsing of a format (every count and offset of a
 * report is written so). */
static void
append_int64 (GString *out,
              gint64   value)
{
  char digits[24];
  gsize at = sizeof digits;
  /* (the magnitude in unsigned arithmetic: -G_MININT64 does not fit) */
  guint64 magnitude = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;

  do
    {
      digits[--at] = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    digits[--at] = '-';
  g_string_append_len (out, digits + at, sizeof digits - at);
}

void
bounce_json_writer_int (BounceJsonWriter *self,
                        gint64            value)
{
  g_return_if_fail (self != NULL);

  if (self->builder != NULL)
    json_builder_add_int_value (self->builder, value);
  else
    {
      begin_value (self);
      append_int64 (self->out, value);
    }
}

void
bounce_json_writer_boolean (BounceJsonWriter *self,
                            gboolean          value)
{
  g_return_if_fail (self != NULL);

  if (self->builder != NULL)
    json_builder_add_boolean_value (self->builder, value);
  else
    {
      begin_value (self);
      g_string_append (self->out, value ? "true" : "false");
    }
}

void
bounce_json_writer_null (BounceJsonWriter *self)
{
  g_return_if_fail (self != NULL);

  if (self->builder != NULL)
    json_builder_add_null_value (self->builder);
  else
    {
      begin_value (self);
      g_string_append (self->out, "null");
    }
}

static void
write_node (BounceJsonWriter *self,
            JsonNode         *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        bounce_json_writer_begin_object (self);
        for (GList *l = members; l != NULL; l = l->next)
          {
            bounce_json_writer_member (self, l->data);
            write_node (self, json_object_get_member (object, l->data));
          }
        bounce_json_writer_end_object (self);
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        bounce_json_writer_begin_array (self);
        for (guint i = 0; i < json_array_get_length (array); i++)
          write_node (self, json_array_get_element (array, i));
        bounce_json_writer_end_array (self);
      }
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          bounce_json_writer_boolean (self, json_node_get_boolean (node));
          break;
        case G_TYPE_INT64:
          bounce_json_writer_int (self, json_node_get_int (node));
          break;
        case G_TYPE_STRING:
          bounce_json_writer_string (self, json_node_get_string (node));
          break;
        default:
          /* The reports hold no fractions. */
          g_return_if_reached ();
        }
      break;
    case JSON_NODE_NULL:
    default:
      bounce_json_writer_null (self);
      break;
    }
}

void
bounce_json_writer_node (BounceJsonWriter *self,
                         JsonNode         *node)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (node != NULL);

  if (self->builder != NULL)
    json_builder_add_value (self->builder, json_node_copy (node));
  else
    write_node (self, node);
}
