/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"

/* Strings that exercise the escapes JsonGenerator makes, all valid UTF-8
 * without U+001F (where the writer deliberately differs, see below). */
static const char *const strings[] = {
  "", "a", "user@example.com", "550 5.1.1 <x@y>: \"quoted\" and \\ back\\slash",
  "tab\there\nnew line\r\n", "\b\f\x01\x02\x0b\x0e\x1e", "del\x7f",
  "caf\xc3\xa9 \xe2\x80\x94 \xe2\x80\xa8 \xf0\x9f\x93\xa7", "{\"not\": [json]}", "/slash/ 'single'",
};

static const char *const names[] = {
  "source", "is_bounce", "a b", "quote\"name", "x\ty", "\xc3\xa9t\xc3\xa9",
};

typedef struct {
  JsonBuilder *builder;
  BounceJsonWriter *writer;
} Pair;

/* The same random tree into a JsonBuilder and through the writer. */
static void
random_value (Pair   *pair,
              GRand  *rand,
              guint   depth)
{
  guint kind = g_rand_int_range (rand, 0, depth >= 4 ? 4 : 6);

  switch (kind)
    {
    case 0:
      {
        const char *s = strings[g_rand_int_range (rand, 0, G_N_ELEMENTS (strings))];

        json_builder_add_string_value (pair->builder, s);
        bounce_json_writer_string (pair->writer, s);
      }
      break;
    case 1:
      {
        gint64 v = (gint64) g_rand_int (rand) - G_MAXINT32 + (g_rand_boolean (rand) ? G_MAXINT64 / 2 : 0);

        json_builder_add_int_value (pair->builder, v);
        bounce_json_writer_int (pair->writer, v);
      }
      break;
    case 2:
      {
        gboolean v = g_rand_boolean (rand);

        json_builder_add_boolean_value (pair->builder, v);
        bounce_json_writer_boolean (pair->writer, v);
      }
      break;
    case 3:
      json_builder_add_null_value (pair->builder);
      if (g_rand_boolean (rand))
        bounce_json_writer_null (pair->writer);
      else
        bounce_json_writer_string (pair->writer, NULL);
      break;
    case 4:
      {
        guint n = g_rand_int_range (rand, 0, 4);

        json_builder_begin_object (pair->builder);
        bounce_json_writer_begin_object (pair->writer);
        for (guint i = 0; i < n; i++)
          {
            /* Member names are unique in a JsonObject. */
            g_autofree char *name = g_strdup_printf ("%s%u", names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))], i);

            json_builder_set_member_name (pair->builder, name);
            bounce_json_writer_member (pair->writer, name);
            random_value (pair, rand, depth + 1);
          }
        json_builder_end_object (pair->builder);
        bounce_json_writer_end_object (pair->writer);
      }
      break;
    default:
      {
        guint n = g_rand_int_range (rand, 0, 4);

        json_builder_begin_array (pair->builder);
        bounce_json_writer_begin_array (pair->writer);
        for (guint i = 0; i < n; i++)
          random_value (pair, rand, depth + 1);
        json_builder_end_array (pair->builder);
        bounce_json_writer_end_array (pair->writer);
      }
      break;
    }
}

static void
append_piece (const char *data,
              gsize       length,
              gpointer    user_data)
{
  g_string_append_len (user_data, data, length);
}

static char *
generate (JsonNode *root,
          gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Whatever the shape, the text is JsonGenerator's, compact and pretty; and
 * a tree written through the node writer comes out the same. */
static void
test_same_as_generator (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);

  for (guint round = 0; round < 2000; round++)
    {
      gboolean pretty = round % 2 == 1;
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *expected = NULL;
      Pair pair = { builder, bounce_json_writer_new (pretty, append_piece, out) };
      g_autoptr(GString) again = g_string_new (NULL);
      BounceJsonWriter *copy;

      /* The root is always an object or an array, as JsonGenerator needs. */
      if (g_rand_boolean (rand))
        {
          json_builder_begin_object (builder);
          bounce_json_writer_begin_object (pair.writer);
          for (guint i = 0; i < (guint) g_rand_int_range (rand, 0, 5); i++)
            {
              g_autofree char *name = g_strdup_printf ("m%u", i);

              json_builder_set_member_name (builder, name);
              bounce_json_writer_member (pair.writer, name);
              random_value (&pair, rand, 1);
            }
          json_builder_end_object (builder);
          bounce_json_writer_end_object (pair.writer);
        }
      else
        {
          json_builder_begin_array (builder);
          bounce_json_writer_begin_array (pair.writer);
          for (guint i = 0; i < (guint) g_rand_int_range (rand, 0, 5); i++)
            random_value (&pair, rand, 1);
          json_builder_end_array (builder);
          bounce_json_writer_end_array (pair.writer);
        }
      g_assert_null (bounce_json_writer_free (pair.writer));

      root = json_builder_get_root (builder);
      expected = generate (root, pretty);
      g_assert_cmpstr (out->str, ==, expected);

      copy = bounce_json_writer_new (pretty, append_piece, again);
      bounce_json_writer_node (copy, root);
      bounce_json_writer_free (copy);
      g_assert_cmpstr (again->str, ==, expected);
    }
}

static char *
write_one_string (const char *value)
{
  g_autoptr(GString) out = g_string_new (NULL);

  bounce_json_append_string (out, value);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Where the writer is stricter than JsonGenerator: every control character
 * is escaped (JsonGenerator leaves U+001F bare) and bytes that are not
 * UTF-8 become U+FFFD, so the output is always valid JSON. */
static void
test_always_valid (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "\x1f", "\"\\u001f\"" },
    { "\x7f", "\"\\u007f\"" },
    { "a\xff" "b", "\"a\xef\xbf\xbd" "b\"" },
    { "\xc3", "\"\xef\xbf\xbd\"" },
    { "\xe2\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\"" },
    { "\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },  /* a UTF-16 surrogate */
    { "\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"" },  /* overlong "/" */
    { "ok \xc3\xa9", "\"ok \xc3\xa9\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = write_one_string (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
    }

  /* Every byte value in every position parses back. */
  for (guint b = 1; b < 256; b++)
    {
      char in[] = { 'x', (char) b, 'y', (char) b, '\0' };
      g_autofree char *got = write_one_string (in);
      g_autofree char *doc = g_strdup_printf ("[%s]", got);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (g_utf8_validate (got, -1, NULL));
      for (const char *p = got; *p != '\0'; p++)
        g_assert_true ((guchar) *p >= 0x20 && *p != 0x7f);
      json_parser_load_from_data (parser, doc, -1, &error);
      g_assert_no_error (error);
    }
}

/* Output goes out in pieces once enough is buffered, not only at the end. */
static void
test_pieces (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint pieces = 0;
  BounceJsonWriter *writer;
  g_autofree char *expected = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  writer = bounce_json_writer_new (TRUE, append_piece, out);
  bounce_json_writer_begin_array (writer);
  json_builder_begin_array (builder);
  for (guint i = 0; i < 20000; i++)
    {
      g_autofree char *s = g_strdup_printf ("recipient %u <user%u@example.com>", i, i);
      gsize before = out->len;

      bounce_json_writer_string (writer, s);
      json_builder_add_string_value (builder, s);
      if (out->len != before)
        pieces++;
    }
  /* Less than one piece's worth is still buffered. */
  g_assert_cmpuint (pieces, >, 10);
  bounce_json_writer_end_array (writer);
  json_builder_end_array (builder);
  bounce_json_writer_free (writer);

  root = json_builder_get_root (builder);
  expected = generate (root, TRUE);
  g_assert_cmpstr (out->str, ==, expected);
}

/* Integers as printf's G_GINT64_FORMAT writes them, the extremes included
 * (the writer makes the digits itself). */
static void
test_integers (void)
{
  static const gint64 values[] = {
    0, 1, -1, 9, 10, -10, 99, 100, 123456789, -987654321, G_MAXINT32, G_MININT32,
    (gint64) G_MAXINT32 + 1, G_MAXINT64, G_MININT64, G_MININT64 + 1,
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autofree char *expected = g_strdup_printf ("[%" G_GINT64_FORMAT "]", values[i]);
      BounceJsonWriter *writer = bounce_json_writer_new (FALSE, append_piece, out);

      bounce_json_writer_begin_array (writer);
      bounce_json_writer_int (writer, values[i]);
      bounce_json_writer_end_array (writer);
      bounce_json_writer_free (writer);
      g_assert_cmpstr (out->str, ==, expected);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-writer/same-as-generator", test_same_as_generator);
  g_test_add_func ("/json-writer/always-valid", test_always_valid);
  g_test_add_func ("/json-writer/pieces", test_pieces);
  g_test_add_func ("/json-writer/integers", test_integers);

  return g_test_run ();
}
