/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gmime/gmime.h>

#include "bounce-error.h"
#include "bounce-extract.h"
#include "bounce-input.h"

#if !GMIME_HAS_AUTOPTR
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
#endif

/* Deeper MIME trees are not walked any further (their text is lost, the
 * rest of the message is kept). */
#define MAX_MIME_DEPTH 32
/* A message declaring more multiparts than this is not handed to GMime's
 * recursive parser at all: its body is shown as plain text instead. */
#define MAX_MULTIPART_COUNT 200
/* How much of the input the binary sniffing looks at. */
#define SNIFF_SIZE 4096
/* Marker lines are short; longer lines are never tested against the regexes. */
#define MAX_MARKER_LINE 200

struct _BounceInput
{
  GObject parent_instance;

  char *text;
  gsize length;
  gboolean repaired;
  gboolean is_message;
  gboolean transfer_encoded;
  GBytes *attached;     /* first message attached to a message that is not a report */
  GPtrArray *segments;  /* BounceSegment */
  GPtrArray *messages;  /* BounceMessage */
};

G_DEFINE_FINAL_TYPE (BounceInput, bounce_input, G_TYPE_OBJECT)

/* State while one message is turned into display text. */
typedef struct
{
  BounceInput *self;
  GString *out;
  BounceMessage *msg;
  guint index;
  GCancellable *cancellable;
  GMimeParserOptions *options;
  gboolean have_real_dsn;  /* a message/delivery-status part was seen */
  gboolean marker_done;    /* an inline "original message" marker was used */
  gboolean after_report;   /* inside a multipart/report, past its
                            * machine-readable part */
  /* Read message by message (BounceInputReader): the message's place in
   * the whole input, and the text and segments of the last message before
   * it that has text, which the blank line before this message's first
   * block ends (NULL when there is none). */
  guint number;
  GString *prev_out;
  GPtrArray *prev_segments;
} Decoder;

/* ------------------------------------------------------------------ */
/* Field structures */

void
bounce_field_free (gpointer data)
{
  BounceField *field = data;

  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

BounceField *
bounce_field_new (const char *name,
                  const char *value)
{
  BounceField *field = g_new0 (BounceField, 1);

  /* Header names come raw from the message: they must be valid UTF-8 like
   * everything else a regular expression may see (a JIT-compiled pattern
   * reads past the end of invalid UTF-8). */
  field->name = g_utf8_validate (name, -1, NULL) ? g_strdup (name) : g_utf8_make_valid (name, -1);
  field->value = value == NULL || g_utf8_validate (value, -1, NULL) ? g_strdup (value) :
                 g_utf8_make_valid (value, -1);
  return field;
}

/* A field of a name and a value known to be valid UTF-8 (value taken):
 * the message's headers, which append_headers() has just checked. */
static BounceField *
field_new_valid (const char *name,
                 char       *value)
{
  BounceField *field = g_new0 (BounceField, 1);

  field->name = g_strdup (name);
  field->value = value;
  return field;
}

static GPtrArray *
field_array_new (void)
{
  return g_ptr_array_new_with_free_func (bounce_field_free);
}

void
bounce_field_group_free (gpointer data)
{
  BounceFieldGroup *group = data;

  g_clear_pointer (&group->fields, g_ptr_array_unref);
  g_free (group);
}

BounceFieldGroup *
bounce_field_group_new (void)
{
  BounceFieldGroup *group = g_new0 (BounceFieldGroup, 1);

  group->fields = field_array_new ();
  return group;
}

static void
bounce_message_free (gpointer data)
{
  BounceMessage *msg = data;

  g_clear_pointer (&msg->headers, g_ptr_array_unref);
  g_clear_pointer (&msg->dsn_groups, g_ptr_array_unref);
  g_clear_pointer (&msg->feedback_fields, g_ptr_array_unref);
  g_clear_pointer (&msg->original_headers, g_ptr_array_unref);
  g_free (msg->content_type);
  g_free (msg->report_type);
  g_free (msg);
}

static BounceMessage *
bounce_message_new (void)
{
  BounceMessage *msg = g_new0 (BounceMessage, 1);

  msg->headers = field_array_new ();
  msg->dsn_groups = g_ptr_array_new_with_free_func (bounce_field_group_free);
  return msg;
}

/* An ASCII letter in lower case, any other byte as it is (as
 * g_ascii_strcasecmp() compares them), without a call. */
static inline guchar
ascii_lower (guchar c)
{
  return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

const char *
bounce_fields_lookup (GPtrArray  *fields,
                      const char *name)
{
  guchar first;

  g_return_val_if_fail (name != NULL, NULL);

  if (fields == NULL)
    return NULL;

  /* (fields are looked up by name many times a message: most names
   * differ at their first byte, compared before the rest) */
  first = ascii_lower ((guchar) name[0]);
  for (guint i = 0; i < fields->len; i++)
    {
      BounceField *field = g_ptr_array_index (fields, i);

      if (ascii_lower ((guchar) field->name[0]) == first && g_ascii_strcasecmp (field->name, name) == 0)
        return field->value;
    }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Bytes → clean UTF-8 */

/* CRLF and lone CR become LF; NUL bytes are dropped.  Returns TRUE when a NUL
 * was dropped. */
static gboolean
normalise_newlines (const char *data,
                    gsize       len,
                    GString    *out)
{
  gboolean dropped = FALSE;
  const char *p = data;
  const char *end = data + len;
  /* (the next CR and NUL found with memchr(), not byte by byte) */
  const char *cr = len > 0 ? memchr (p, '\r', len) : NULL;
  const char *nul = len > 0 ? memchr (p, '\0', len) : NULL;

  while (cr != NULL || nul != NULL)
    {
      const char *stop = cr == NULL ? nul : nul == NULL ? cr : MIN (cr, nul);

      g_string_append_len (out, p, stop - p);
      p = stop + 1;
      if (stop == cr)
        {
          g_string_append_c (out, '\n');
          if (p < end && *p == '\n')
            p++;
          cr = p < end ? memchr (p, '\r', end - p) : NULL;
        }
      else
        {
          dropped = TRUE;
          nul = p < end ? memchr (p, '\0', end - p) : NULL;
        }
    }
  g_string_append_len (out, p, end - p);
  return dropped;
}

static gboolean
charset_is_utf8ish (const char *charset)
{
  return charset == NULL ||
         g_ascii_strcasecmp (charset, "utf-8") == 0 ||
         g_ascii_strcasecmp (charset, "utf8") == 0 ||
         g_ascii_strcasecmp (charset, "us-ascii") == 0 ||
         g_ascii_strcasecmp (charset, "ascii") == 0;
}

/* Most high bytes come in runs of four or more, as in Japanese or Chinese
 * text, rather than alone between ASCII letters, as in Western text. */
static gboolean
looks_multibyte (const char *data,
                 gsize       len)
{
  gsize high = 0, in_runs = 0, run = 0;

  for (gsize i = 0; i <= len; i++)
    {
      if (i < len && (guchar) data[i] >= 0x80)
        {
          run++;
          continue;
        }
      high += run;
      if (run >= 4)
        in_runs += run;
      run = 0;
    }
  return high >= 8 && in_runs * 4 >= high * 3;
}

/* Converts text of a known or unknown charset to UTF-8 with LF line endings.
 * Sets *repaired when bytes had to be guessed or replaced. */
static char *
to_utf8 (const char *data,
         gsize       len,
         const char *charset,
         gboolean   *repaired,
         gsize      *out_len)
{
  g_autofree char *converted = NULL;
  gsize converted_len = 0;
  GString *clean;
  char *fixed = NULL;
  gsize fixed_len = 0;

  if (charset != NULL && *charset != '\0' && !charset_is_utf8ish (charset))
    {
      const char *iconv_name = g_mime_charset_iconv_name (charset);

      /* On failure (unknown name, bytes that do not fit) the text is
       * treated as unlabelled below. */
      converted = g_convert (data, len, "UTF-8", iconv_name, NULL, &converted_len, NULL);
      if (converted != NULL)
        {
          data = converted;
          len = converted_len;
        }
    }

  clean = g_string_sized_new (len + 1);
  if (normalise_newlines (data, len, clean))
    *repaired = TRUE;

  if (!g_utf8_validate (clean->str, clean->len, NULL))
    {
      gboolean labelled_utf8 = charset != NULL &&
                               (g_ascii_strcasecmp (charset, "utf-8") == 0 ||
                                g_ascii_strcasecmp (charset, "utf8") == 0);

      *repaired = TRUE;
      /* Unlabelled 8-bit text: long runs of high bytes suggest an East
       * Asian multibyte charset, anything else is most often a Western one. */
      if (!labelled_utf8 && looks_multibyte (clean->str, clean->len))
        {
          static const char * const cjk[] = { "EUC-JP", "CP932", "GB18030", "EUC-KR", "BIG5" };

          for (gsize i = 0; i < G_N_ELEMENTS (cjk) && fixed == NULL; i++)
            fixed = g_convert (clean->str, clean->len, "UTF-8", cjk[i], NULL, &fixed_len, NULL);
        }
      if (!labelled_utf8 && fixed == NULL)
        {
          fixed = g_convert (clean->str, clean->len, "UTF-8", "WINDOWS-1252", NULL, &fixed_len, NULL);
          if (fixed == NULL)
            fixed = g_convert (clean->str, clean->len, "UTF-8", "ISO-8859-1", NULL, &fixed_len, NULL);
        }
      if (fixed == NULL)
        {
          fixed = g_utf8_make_valid (clean->str, clean->len);
          fixed_len = strlen (fixed);
        }
      g_string_free (clean, TRUE);
      if (out_len != NULL)
        *out_len = fixed_len;
      return fixed;
    }

  /* Unlabelled ISO-2022-JP is 7-bit, so it passes as UTF-8 with its escape
   * sequences showing. */
  if (converted == NULL && charset_is_utf8ish (charset) &&
      (strstr (clean->str, "\x1b$B") != NULL || strstr (clean->str, "\x1b$@") != NULL))
    {
      fixed = g_convert (clean->str, clean->len, "UTF-8", "ISO-2022-JP", NULL, &fixed_len, NULL);
      if (fixed != NULL)
        {
          g_string_free (clean, TRUE);
          if (out_len != NULL)
            *out_len = fixed_len;
          return fixed;
        }
    }

  if (out_len != NULL)
    *out_len = clean->len;
  return g_string_free (clean, FALSE);
}

/* Header values: unfolded, valid UTF-8, trimmed. */
static char *
clean_value (const char *value)
{
  GString *out;
  const char *p;

  if (value == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (value));
  for (p = value; *p != '\0'; p++)
    {
      /* (the bytes up to a line break or a tab copied at once) */
      gsize run = strcspn (p, "\r\n\t");

      g_string_append_len (out, p, run);
      p += run;
      if (*p == '\0')
        break;
      if (*p == '\r' || *p == '\n')
        {
          while (p[1] == '\r' || p[1] == '\n' || p[1] == ' ' || p[1] == '\t')
            p++;
        }
      g_string_append_c (out, ' ');
    }

  if (!g_utf8_validate (out->str, out->len, NULL))
    {
      char *valid = g_utf8_make_valid (out->str, out->len);

      g_string_free (out, TRUE);
      return g_strstrip (valid);
    }
  return g_strstrip (g_string_free (out, FALSE));
}

/* The delivery-status fields whose value is a recipient's address. */
static gboolean
is_address_field (const char *name)
{
  return g_ascii_strcasecmp (name, "Final-Recipient") == 0 ||
         g_ascii_strcasecmp (name, "Original-Recipient") == 0 ||
         g_ascii_strcasecmp (name, "X-Actual-Recipient") == 0;
}

static char *
decode_header_value (GMimeParserOptions *options,
                     const char         *raw)
{
  if (strstr (raw, "=?") != NULL)
    {
      g_autofree char *decoded = g_mime_utils_header_decode_text (options, raw);

      return clean_value (decoded);
    }
  return clean_value (raw);
}

/* ------------------------------------------------------------------ */
/* Line helpers */

static const char *
line_end (const char *p,
          const char *end)
{
  const char *nl = memchr (p, '\n', end - p);

  return nl != NULL ? nl : end;
}

static gboolean
line_is_blank (const char *p,
               const char *eol)
{
  for (; p < eol; p++)
    if (*p != ' ' && *p != '\t')
      return FALSE;
  return TRUE;
}

/* Length of the field name when the line is "Name: value", else 0. */
static gsize
header_name_length (const char *p,
                    const char *eol)
{
  const char *q = p;

  while (q < eol && q - p < 80 &&
         (g_ascii_isalnum (*q) || *q == '-' || *q == '_' || *q == '.'))
    q++;
  if (q == p || !g_ascii_isalnum (*p))
    return 0;
  /* Some servers put a space before the colon ("Final-Recipient : ..."). */
  {
    const char *name_end = q;

    while (q < eol && q - name_end < 4 && (*q == ' ' || *q == '\t'))
      q++;
    if (q < eol && *q == ':')
      return name_end - p;
  }
  return 0;
}

static gboolean
line_is_mbox_from (const char *p,
                   const char *eol)
{
  return eol - p > 5 && memcmp (p, "From ", 5) == 0;
}

/* ------------------------------------------------------------------ */
/* Segments */

static void
add_segment (Decoder           *dec,
             BounceSegmentKind  kind,
             gsize              start,
             gsize              end)
{
  GPtrArray *segments = dec->self->segments;
  BounceSegment *last = segments->len > 0 ? g_ptr_array_index (segments, segments->len - 1) : NULL;
  BounceSegment *seg;

  if (end <= start)
    return;

  if (last != NULL)
    {
      /* Separators belong to the segment before them, so that the segments
       * cover the whole display text. */
      if (last->kind == kind && last->message_index == dec->index)
        {
          last->end = end;
          return;
        }
      last->end = start;
    }

  seg = g_new0 (BounceSegment, 1);
  seg->kind = kind;
  seg->message_index = dec->index;
  seg->start = start;
  seg->end = end;
  g_ptr_array_add (segments, seg);
}

/* Appends a block of display text (a blank line apart from the previous one)
 * and returns its start offset. */
static gsize
append_block (Decoder           *dec,
              BounceSegmentKind  kind,
              const char        *text,
              gsize              len)
{
  GString *out = dec->out;
  gsize start;

  /* Trailing blank lines and whitespace of a part are not shown. */
  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' ' || text[len - 1] == '\t'))
    len--;
  /* Leading blank lines neither. */
  while (len > 0)
    {
      const char *eol = line_end (text, text + len);

      if (eol == text + len || !line_is_blank (text, eol))
        break;
      len -= (eol + 1) - text;
      text = eol + 1;
    }
  if (len == 0)
    return G_MAXSIZE;

  if (out->len > 0)
    {
      if (out->str[out->len - 1] != '\n')
        g_string_append_c (out, '\n');
      g_string_append_c (out, '\n');
    }
  else if (dec->prev_out != NULL)
    {
      GString *prev = dec->prev_out;
      BounceSegment *last = g_ptr_array_index (dec->prev_segments, dec->prev_segments->len - 1);

      /* Read message by message: the separator ends the previous message's
       * text and its last segment, as it does in the whole input's text. */
      if (prev->str[prev->len - 1] != '\n')
        g_string_append_c (prev, '\n');
      g_string_append_c (prev, '\n');
      last->end = prev->len;
      dec->prev_out = NULL;
      dec->prev_segments = NULL;
    }
  start = out->len;
  g_string_append_len (out, text, len);
  g_string_append_c (out, '\n');
  add_segment (dec, kind, start, out->len);
  return start;
}

/* ------------------------------------------------------------------ */
/* Field groups ("Name: value" paragraphs) */

typedef struct
{
  char *name;
  /* The value where it lies in the text; a value with continuation lines
   * is joined into folded (a GString per field made a DSN of 10,000
   * recipients cost 8 MB more while it was read). */
  const char *value;
  gsize value_len;
  GString *folded;
  gsize start;
  gsize end;
  gboolean blank_before;
} RawField;

static void
raw_field_clear (gpointer data)
{
  RawField *f = data;

  g_free (f->name);
  if (f->folded != NULL)
    g_string_free (f->folded, TRUE);
}

/* The field's value, NUL-terminated: a copy to free. */
static char *
raw_field_value (RawField *f)
{
  return f->folded != NULL ? g_strndup (f->folded->str, f->folded->len) : g_strndup (f->value, f->value_len);
}

static gboolean
is_recipient_field (const char *name)
{
  return g_ascii_strcasecmp (name, "Final-Recipient") == 0 ||
         g_ascii_strcasecmp (name, "Original-Recipient") == 0;
}

/* Reads "Name: value" lines (with continuation lines) from text[0..len),
 * whose first byte is at display offset @base.  A blank line marks a new
 * group; other lines end nothing and are skipped.  Stops before the
 * recipient after BOUNCE_MAX_RECIPIENTS Final-Recipient fields (a DSN of
 * 450,000 recipients took 3 GB) and returns TRUE then. */
static gboolean
read_raw_fields (const char *text,
                 gsize       len,
                 gsize       base,
                 GArray     *raw)
{
  const char *p = text;
  const char *end = text + len;
  gboolean blank = TRUE;
  RawField *current = NULL;
  guint recipients = 0;

  while (p < end)
    {
      const char *eol = line_end (p, end);
      gsize name_len;

      if (line_is_blank (p, eol))
        {
          blank = TRUE;
          current = NULL;
        }
      else if (current != NULL &&
               (*p == ' ' || *p == '\t' ||
                /* a multi-line reply pasted into Diagnostic-Code without
                 * folding: "550-host [192.0.2.1]:25 is not permitted to" */
                (g_ascii_strcasecmp (current->name, "Diagnostic-Code") == 0 &&
                 header_name_length (p, eol) == 0)))
        {
          const char *q = p;

          while (q < eol && (*q == ' ' || *q == '\t'))
            q++;
          if (current->folded == NULL)
            current->folded = g_string_new_len (current->value, current->value_len);
          while (current->folded->len > 0 && current->folded->str[current->folded->len - 1] == ' ')
            g_string_truncate (current->folded, current->folded->len - 1);
          g_string_append_c (current->folded, ' ');
          g_string_append_len (current->folded, q, eol - q);
          current->end = base + (eol - text);
        }
      else if ((name_len = header_name_length (p, eol)) > 0)
        {
          RawField f = { 0, };
          const char *v = (const char *) memchr (p, ':', eol - p) + 1;

          while (v < eol && (*v == ' ' || *v == '\t'))
            v++;
          if (name_len == 15 && g_ascii_strncasecmp (p, "Final-Recipient", 15) == 0 &&
              ++recipients > BOUNCE_MAX_RECIPIENTS)
            return TRUE;
          f.name = g_strndup (p, name_len);
          f.value = v;
          f.value_len = eol - v;
          f.start = base + (p - text);
          f.end = base + (eol - text);
          f.blank_before = blank;
          g_array_append_val (raw, f);
          current = &g_array_index (raw, RawField, raw->len - 1);
          blank = FALSE;
        }
      else
        {
          current = NULL;
        }
      p = eol + 1;
    }
  return FALSE;
}

static gboolean
group_has (BounceFieldGroup *group,
           const char       *name)
{
  return bounce_fields_lookup (group->fields, name) != NULL;
}

static gboolean
group_has_recipient (BounceFieldGroup *group)
{
  return group_has (group, "Final-Recipient") || group_has (group, "Original-Recipient");
}

/* Turns raw fields into groups: blank lines separate groups, and a new
 * recipient starts a new group even without a blank line (some MTAs omit
 * it).  The first group is always the per-message one, empty if the report
 * has none. */
static void
group_raw_fields (Decoder   *dec,
                  GArray    *raw,
                  GPtrArray *groups)
{
  BounceFieldGroup *group = NULL;
  /* the group's recipient already has its Action or Status */
  gboolean recipient_done = FALSE;

  for (guint i = 0; i < raw->len; i++)
    {
      RawField *f = &g_array_index (raw, RawField, i);
      gboolean recipient = is_recipient_field (f->name);
      gboolean split = group == NULL || f->blank_before;
      g_autofree char *raw_value = NULL;
      g_autofree char *value = NULL;

      if (!split && recipient)
        {
          /* Final- and Original-Recipient come in either order, and some
           * MTAs put Action and Status first; a repeated recipient field,
           * or one after the previous recipient's Action/Status, is the
           * next recipient. */
          split = group_has (group, f->name) || recipient_done;
          /* A per-message group immediately followed by recipient fields. */
          if (!split && !group_has_recipient (group) && groups->len == 1)
            split = TRUE;
        }

      if (split)
        {
          if (groups->len == 0 && recipient)
            {
              BounceFieldGroup *empty = bounce_field_group_new ();

              empty->message_index = dec->index;
              empty->start = empty->end = f->start;
              g_ptr_array_add (groups, empty);
            }
          group = bounce_field_group_new ();
          group->message_index = dec->index;
          group->start = f->start;
          g_ptr_array_add (groups, group);
          recipient_done = FALSE;
        }
      if (group_has_recipient (group) &&
          (g_ascii_strcasecmp (f->name, "Action") == 0 || g_ascii_strcasecmp (f->name, "Status") == 0))
        recipient_done = TRUE;

      raw_value = raw_field_value (f);
      /* A recipient field's value is address-type ";" address (RFC 3464
       * 2.3.1, 2.3.2), and an encoded word is never part of an addr-spec
       * (RFC 2047 5 (3)): "=?utf-8?B?...?=@example.org", which some servers
       * echo, is that address as written, not the text it would decode to. */
      if (is_address_field (f->name))
        value = clean_value (raw_value);
      else
        value = decode_header_value (dec->options, raw_value);
      g_ptr_array_add (group->fields, bounce_field_new (f->name, value));
      group->end = f->end;
    }
}

static GArray *
raw_fields_new (void)
{
  GArray *raw = g_array_new (FALSE, TRUE, sizeof (RawField));

  g_array_set_clear_func (raw, raw_field_clear);
  return raw;
}

/* A delivery-status part: all its paragraphs are field groups. */
static void
parse_delivery_status (Decoder *dec,
                       gsize    start)
{
  g_autoptr(GArray) raw = raw_fields_new ();
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();

  if (read_raw_fields (dec->out->str + start, dec->out->len - start, start, raw))
    dec->msg->dsn_truncated = TRUE;
  group_raw_fields (dec, raw, groups);

  /* A second delivery-status part (rare) adds its recipients only, up to
   * the limit (the first group is the per-message one). */
  for (guint i = 0; i < groups->len; i++)
    {
      BounceFieldGroup *group = g_ptr_array_index (groups, i);

      if (i == 0 && dec->msg->dsn_groups->len > 0)
        bounce_field_group_free (group);
      else if (dec->msg->dsn_groups->len > BOUNCE_MAX_RECIPIENTS)
        {
          dec->msg->dsn_truncated = TRUE;
          bounce_field_group_free (group);
        }
      else
        g_ptr_array_add (dec->msg->dsn_groups, group);
    }
}

static gboolean
is_dsn_field (const char *name)
{
  static const char * const names[] = {
    "Final-Recipient", "Original-Recipient", "Action", "Status",
    "Diagnostic-Code", "Remote-MTA", "Reporting-MTA", "Last-Attempt-Date",
    "Arrival-Date", "Received-From-MTA", "Will-Retry-Until", "X-Actual-Recipient",
    "Original-Envelope-Id", "DSN-Gateway", "Final-Log-ID",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Plain-text bounces sometimes carry delivery-status paragraphs inline.
 * Paragraphs made only of fields, with at least a recipient and an action or
 * status (or a Reporting-MTA), are collected as DSN groups. */
static void
scan_text_for_dsn (Decoder *dec,
                   gsize    start,
                   gsize    end)
{
  g_autoptr(GArray) raw = raw_fields_new ();
  g_autoptr(GArray) kept = raw_fields_new ();
  guint para_start = 0;

  if (dec->have_real_dsn)
    return;

  if (read_raw_fields (dec->out->str + start, end - start, start, raw))
    dec->msg->dsn_truncated = TRUE;
  if (raw->len == 0)
    return;

  /* Walk paragraphs (runs of fields without blank lines between them). */
  for (guint i = 0; i <= raw->len; i++)
    {
      if (i == raw->len || (i > para_start && g_array_index (raw, RawField, i).blank_before))
        {
          gboolean recipient = FALSE, action = FALSE, reporting = FALSE, all_dsn = TRUE;

          for (guint j = para_start; j < i; j++)
            {
              RawField *f = &g_array_index (raw, RawField, j);

              recipient |= g_ascii_strcasecmp (f->name, "Final-Recipient") == 0;
              action |= g_ascii_strcasecmp (f->name, "Action") == 0 ||
                        g_ascii_strcasecmp (f->name, "Status") == 0;
              reporting |= g_ascii_strcasecmp (f->name, "Reporting-MTA") == 0;
              all_dsn &= is_dsn_field (f->name) || g_str_has_prefix (f->name, "X-");
            }

          if (all_dsn && ((recipient && action) || reporting))
            {
              for (guint j = para_start; j < i; j++)
                {
                  RawField *f = &g_array_index (raw, RawField, j);
                  RawField copy = *f;

                  copy.blank_before = j == para_start;
                  /* Ownership moves to kept. */
                  f->name = NULL;
                  f->folded = NULL;
                  g_array_append_val (kept, copy);
                }
            }
          para_start = i;
        }
    }

  if (kept->len > 0)
    group_raw_fields (dec, kept, dec->msg->dsn_groups);
}

/* Header block text → BounceField array (unfolded, decoded). */
static GPtrArray *
parse_header_fields (Decoder    *dec,
                     const char *text,
                     gsize       len)
{
  g_autoptr(GArray) raw = raw_fields_new ();
  GPtrArray *fields = field_array_new ();

  read_raw_fields (text, len, 0, raw);
  for (guint i = 0; i < raw->len; i++)
    {
      RawField *f = &g_array_index (raw, RawField, i);
      g_autofree char *raw_value = raw_field_value (f);
      g_autofree char *value = decode_header_value (dec->options, raw_value);

      g_ptr_array_add (fields, bounce_field_new (f->name, value));
    }
  return fields;
}

/* ------------------------------------------------------------------ */
/* Inline copies of the original message in plain-text bounces */

/* Dashed banners ("----- Original message -----", "--- Below this line is
 * a copy of the message.") and a few undecorated ones; only short lines are
 * tested.  A line is a marker when it matches "^[ \t>]*(?:A|B|C)" for one of
 * the three kinds below, each compiled alone, and only when may_be_marker()
 * says the line may be of its kind: most bounces need one kind, and the
 * three together took a quarter of a million instructions to compile. */
enum {
  MARKER_RULE = 1 << 0,   /* a rule of "-=_*", then the words */
  MARKER_PLAIN = 1 << 1,  /* the words alone, to the end of the line */
  MARKER_TYPE = 1 << 2,   /* a Content-Type of a message */
  MARKER_ALL = MARKER_RULE | MARKER_PLAIN | MARKER_TYPE,
};

static GRegex *
marker_regex (guint kind)
{
  static BounceRegexSlot rule, plain, type;

  switch (kind)
    {
    case MARKER_RULE:
      return bounce_regex_once (&rule,
                                "^[ \\t>]*(?:"
                                  "[-=_*]{2,}[ \\t]*(?:"
                                    "(?:start[ \\t]+of[ \\t]+(?:the[ \\t]+)?)?"
                                    "(?:original|returned|unsent|undelivered|undeliverable|failed|rejected|bounced|your)[ \\t]+(?:message|mail|e-mail|email)\\b"
                                    "|this is a copy of (?:the|your) message"
                                    "|below (?:this line )?is a copy of"
                                    "|(?:a )?copy of (?:the|your) (?:original )?message"
                                    "|the (?:header|headers|text) of the original message"
                                    "|message header follows"
                                    "|original mail info"
                                  ")"
                                ")",
                                G_REGEX_CASELESS);
    case MARKER_PLAIN:
      return bounce_regex_once (&plain,
                                "^[ \\t>]*(?:"
                                  "(?:original message (?:follows|headers?)"
                                    "|(?:original )?message headers? follows?"
                                    "|below (?:this line )?is a copy of the (?:original )?message"
                                    "|included is a copy of the message header"
                                    "|this is a copy of the message, including all the headers"
                                    "|your message reads(?: \\(in part\\))?"
                                    "|the (?:header|headers) of the original message (?:is|are) following"
                                  ")[ \\t.:-]*$"
                                ")",
                                G_REGEX_CASELESS);
    case MARKER_TYPE:
    default:
      return bounce_regex_once (&type,
                                "^[ \\t>]*(?:"
                                  "content-type:[ \\t]*(?:message/rfc822|message/global|text/rfc822-headers)\\b"
                                ")",
                                G_REGEX_CASELESS);
    }
}

static inline gboolean
is_marker_rule (guchar c)
{
  return c == '-' || c == '=' || c == '_' || c == '*';
}

/* Whether the line [p, eol) may be a marker, tested without the regexes,
 * and then the kinds it may be (a mask of MARKER_*; 0: none).  After the
 * leading [ \t>]*, the rule kind starts with two of "-=_*", the plain kind
 * with the first letter of one of its phrases, the type kind with
 * "content-type:": every match of that kind's regex does, whatever the
 * line's bytes (none of these letters is 'k' or 's', which a caseless
 * regex over UTF-8 also finds in U+212A and U+017F).  In a line of
 * printable ASCII and tabs, each kind also needs its words: the rule kind
 * "mail", "message" or "copy", the plain kind one of marker_ends before
 * the trailing [ \t.:-]*; a line with any other byte is tried on the start
 * alone, as its 's' may be U+017F and the plain kind's '$' also matches
 * before a final CR, VT, FF, NEL, LS or PS.  Most lines are none, so that
 * a bounce without a marker seldom compiles a regex, and a line costs one
 * pass over its bytes. */
static const struct {
  const char *word;
  gsize len;
} marker_ends[] = {
  { "follow", 6 }, { "follows", 7 }, { "following", 9 }, { "header", 6 }, { "headers", 7 },
  { "message", 7 }, { "reads", 5 }, { "part)", 5 },
};

static guint
may_be_marker (const char *p,
               const char *eol)
{
  gboolean rule, plain, type, words = FALSE;
  const char *s = p;
  const char *e = eol;

  while (s < eol && (*s == ' ' || *s == '\t' || *s == '>'))
    s++;
  rule = eol - s >= 2 && is_marker_rule (s[0]) && is_marker_rule (s[1]);
  /* ("original", "message", "below", "included", "this", "your", "the") */
  plain = s < eol && strchr ("ombity", g_ascii_tolower (*s)) != NULL && *s != '\0';
  type = eol - s >= 13 && g_ascii_strncasecmp (s, "content-type:", 13) == 0;
  if (!rule && !plain && !type)
    return 0;
  for (const char *q = s; q < eol; q++)
    {
      guchar c = *q;

      if (c >= 0x80 || (c < 0x20 && c != '\t'))
        return (rule ? MARKER_RULE : 0) | (plain ? MARKER_PLAIN : 0) | (type ? MARKER_TYPE : 0);
    }
  while (e > s && strchr (" \t.:-", e[-1]) != NULL)
    e--;
  for (guint i = 0; i < G_N_ELEMENTS (marker_ends) && plain && !words; i++)
    words = (gsize) (e - s) >= marker_ends[i].len &&
            g_ascii_strncasecmp (e - marker_ends[i].len, marker_ends[i].word, marker_ends[i].len) == 0;
  plain = plain && words;
  rule = rule && (bounce_ascii_range_has_word (s, eol, "mail", 4) ||
                  bounce_ascii_range_has_word (s, eol, "message", 7) ||
                  bounce_ascii_range_has_word (s, eol, "copy", 4));
  return (rule ? MARKER_RULE : 0) | (plain ? MARKER_PLAIN : 0) | (type ? MARKER_TYPE : 0);
}

/* The rule kind read by hand in a line of printable ASCII, as its regex
 * (marker_regex()) matches there: after the leading [ \t>]*, two or more of
 * "-=_*" and blanks, one of its phrases.  Most bounces that have a marker
 * have this kind ("------ This is a copy of the message, including all
 * the headers. ------"), and the regex was the costliest to compile. */
static const char *
marker_word (const char *p,
             const char *word)
{
  gsize n = strlen (word);

  return g_ascii_strncasecmp (p, word, n) == 0 ? p + n : NULL;
}

/* [ \t]+ */
static const char *
marker_blanks (const char *p)
{
  const char *q = p;

  while (*q == ' ' || *q == '\t')
    q++;
  return q > p ? q : NULL;
}

static gboolean
is_rule_marker (const char *line)
{
  /* "(start of (the )?)?(original|...) (message|...)\b", blanks as
   * [ \t]+; the other phrases with single spaces */
  static const char * const states[] = {
    "original", "returned", "unsent", "undelivered", "undeliverable", "failed", "rejected", "bounced", "your",
  };
  static const char * const kinds[] = { "message", "mail", "e-mail", "email" };
  static const char * const phrases[] = {
    "this is a copy of the message", "this is a copy of your message", "below this line is a copy of",
    "below is a copy of", "a copy of the message", "a copy of your message", "a copy of the original message",
    "a copy of your original message", "copy of the message", "copy of your message",
    "copy of the original message", "copy of your original message", "the header of the original message",
    "the headers of the original message", "the text of the original message", "message header follows",
    "original mail info",
  };
  const char *starts[3] = { NULL, NULL, NULL };
  const char *p = line;
  const char *q;

  while (*p == ' ' || *p == '\t' || *p == '>')
    p++;
  if (!is_marker_rule (p[0]) || !is_marker_rule (p[1]))
    return FALSE;
  while (is_marker_rule (*p))
    p++;
  while (*p == ' ' || *p == '\t')
    p++;
  for (gsize i = 0; i < G_N_ELEMENTS (phrases); i++)
    if (marker_word (p, phrases[i]) != NULL)
      return TRUE;
  starts[0] = p;
  if ((q = marker_word (p, "start")) != NULL && (q = marker_blanks (q)) != NULL &&
      (q = marker_word (q, "of")) != NULL && (q = marker_blanks (q)) != NULL)
    {
      starts[1] = q;
      if ((q = marker_word (q, "the")) != NULL && (q = marker_blanks (q)) != NULL)
        starts[2] = q;
    }
  for (gsize s = 0; s < G_N_ELEMENTS (starts) && starts[s] != NULL; s++)
    for (gsize i = 0; i < G_N_ELEMENTS (states); i++)
      {
        if ((q = marker_word (starts[s], states[i])) == NULL || (q = marker_blanks (q)) == NULL)
          continue;
        for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
          {
            const char *e = marker_word (q, kinds[k]);

            if (e != NULL && !g_ascii_isalnum (*e) && *e != '_')
              return TRUE;
          }
      }
  return FALSE;
}

/* Finds the first marker line in text; returns the offset just after it (or
 * G_MAXSIZE). */
static gsize
find_original_marker (const char *text,
                      gsize       len)
{
  const char *p = text;
  const char *end = text + len;

  while (p < end)
    {
      const char *eol = line_end (p, end);

      guint kinds = eol - p >= 4 && eol - p <= MAX_MARKER_LINE ? may_be_marker (p, eol) : 0;

      if (kinds != 0)
        {
          g_autofree char *line = g_strndup (p, eol - p);

          gboolean plain = bounce_text_is_plain_ascii (line);

          /* (asked for each line: each match counts towards its JIT) */
          for (guint kind = MARKER_RULE; kind <= MARKER_TYPE; kind <<= 1)
            if ((kinds & kind) != 0 &&
                (kind == MARKER_RULE && plain ? is_rule_marker (line)
                                              : g_regex_match (marker_regex (kind), line, G_REGEX_MATCH_DEFAULT, NULL)))
              return eol < end ? (gsize) (eol + 1 - text) : len;
        }
      p = eol + 1;
    }
  return G_MAXSIZE;
}

/* Some bounces paste the original without any marker line: a paragraph
 * that starts with Return-Path: or Received: and holds the usual message
 * headers.  Returns its offset, or G_MAXSIZE. */
static gsize
find_unmarked_original (const char *text,
                        gsize       len)
{
  const char *p = text;
  const char *end = text + len;
  gboolean after_blank = FALSE;

  while (p < end)
    {
      const char *eol = line_end (p, end);

      if (after_blank &&
          (g_ascii_strncasecmp (p, "Return-Path:", 12) == 0 ||
           g_ascii_strncasecmp (p, "Received:", 9) == 0))
        {
          const char *q = p;
          guint fields = 0;
          gboolean message_field = FALSE;

          while (q < end)
            {
              const char *qeol = line_end (q, end);
              gsize name_len;

              if (line_is_blank (q, qeol))
                break;
              if (*q != ' ' && *q != '\t')
                {
                  name_len = header_name_length (q, qeol);
                  if (name_len == 0)
                    break;
                  fields++;
                  message_field |= (name_len == 4 && g_ascii_strncasecmp (q, "From", 4) == 0) ||
                                   (name_len == 7 && g_ascii_strncasecmp (q, "Subject", 7) == 0) ||
                                   (name_len == 10 && g_ascii_strncasecmp (q, "Message-Id", 10) == 0);
                }
              q = qeol + 1;
            }
          if (fields >= 3 && message_field)
            return p - text;
        }
      after_blank = line_is_blank (p, eol);
      p = eol + 1;
    }
  return G_MAXSIZE;
}

/* The text after a marker: an optional header block, then the body. */
static void
append_inline_original (Decoder    *dec,
                        const char *text,
                        gsize       len)
{
  const char *p = text;
  const char *end = text + len;
  const char *headers_end;
  gsize name_len;

  while (p < end)
    {
      const char *eol = line_end (p, end);

      if (!line_is_blank (p, eol))
        break;
      p = eol + 1;
    }
  if (p >= end)
    return;

  /* A paste of a whole report puts its delivery-status part (RFC 3464)
   * after the notice's "copy of the message follows" line: paragraphs made
   * only of its fields are the report's, not the returned message's. */
  {
    const char *q = p;
    const char *dsn_end = p;

    while (q < end)
      {
        const char *eol = line_end (q, end);
        gsize n = header_name_length (q, eol);
        g_autofree char *name = n > 0 ? g_strndup (q, n) : NULL;

        if (line_is_blank (q, eol))
          {
            q = eol < end ? eol + 1 : end;
            continue;
          }
        if (name == NULL || !is_dsn_field (name))
          break;
        /* the paragraph: DSN fields and their continuation lines */
        while (q < end)
          {
            eol = line_end (q, end);
            if (line_is_blank (q, eol))
              break;
            if (*q != ' ' && *q != '\t')
              {
                g_free (name);
                n = header_name_length (q, eol);
                name = n > 0 ? g_strndup (q, n) : NULL;
                if (name == NULL || (!is_dsn_field (name) && !g_str_has_prefix (name, "X-")))
                  break;
              }
            q = eol < end ? eol + 1 : end;
          }
        if (q < end && !line_is_blank (q, line_end (q, end)))
          break;  /* a paragraph that mixes in other fields: the original's headers */
        dsn_end = q;
      }
    if (dsn_end > p)
      {
        gsize start = append_block (dec, BOUNCE_SEGMENT_TEXT, p, dsn_end - p);

        if (start != G_MAXSIZE)
          scan_text_for_dsn (dec, start, dec->out->len);
        p = dsn_end;
        while (p < end && line_is_blank (p, line_end (p, end)))
          p = line_end (p, end) + 1;
        if (p >= end)
          return;
      }
  }

  headers_end = p;
  {
    const char *eol = line_end (p, end);

    name_len = header_name_length (p, eol);
  }
  if (name_len > 0)
    {
      while (headers_end < end)
        {
          const char *eol = line_end (headers_end, end);

          if (line_is_blank (headers_end, eol))
            break;
          if (*headers_end != ' ' && *headers_end != '\t' &&
              header_name_length (headers_end, eol) == 0)
            break;
          headers_end = eol < end ? eol + 1 : end;
        }
      append_block (dec, BOUNCE_SEGMENT_ORIGINAL_HEADERS, p, headers_end - p);
      if (dec->msg->original_headers == NULL)
        dec->msg->original_headers = parse_header_fields (dec, p, headers_end - p);
    }
  if (headers_end < end)
    append_block (dec, BOUNCE_SEGMENT_ORIGINAL_BODY, headers_end, end - headers_end);
}

static gboolean may_keep_attached (Decoder *dec);

/* ------------------------------------------------------------------ */
/* Quoted text ("> " in a reply) */

/* A reply quotes the message it answers line by line with ">" (RFC 3676,
 * section 4.5: the quote marks, optionally followed by a space).  A bounce
 * quoted in a reply (or pasted from one) reads as the bounce once the marks
 * are gone, so a run of at least this many quoted lines loses one level of
 * marks; a stray quoted line or two stays as it is. */
#define MIN_QUOTED_LINES 3

static gboolean
line_is_quoted (const char *p,
                const char *eol)
{
  return p < eol && *p == '>';
}

/* Returns the text with one level of quote marks removed from each run of
 * quoted lines (blank lines inside a run belong to it), or NULL when there
 * is no run long enough. */
static GString *
dequote (const char *text,
         gsize       len)
{
  const char *end = text + len;
  GString *out = NULL;
  const char *p = text;
  const char *copied = text;  /* text before this is in out */

  while (p < end)
    {
      const char *run = p;
      const char *q = p;
      const char *run_end = p;
      guint quoted = 0;

      /* A run: quoted lines, possibly with blank lines between them. */
      while (q < end)
        {
          const char *eol = line_end (q, end);

          if (line_is_quoted (q, eol))
            {
              quoted++;
              run_end = eol < end ? eol + 1 : end;
            }
          else if (!line_is_blank (q, eol) || quoted == 0)
            break;
          q = eol < end ? eol + 1 : end;
        }
      if (quoted < MIN_QUOTED_LINES)
        {
          const char *eol = line_end (p, end);

          p = eol < end ? eol + 1 : end;
          continue;
        }
      if (out == NULL)
        out = g_string_sized_new (len);
      g_string_append_len (out, copied, run - copied);
      for (q = run; q < run_end;)
        {
          const char *eol = line_end (q, end);
          const char *line = q;

          if (line_is_quoted (line, eol))
            {
              line++;
              if (line < eol && *line == ' ')
                line++;
            }
          g_string_append_len (out, line, eol - line);
          if (eol < end)
            g_string_append_c (out, '\n');
          q = eol < end ? eol + 1 : end;
        }
      copied = p = run_end;
    }
  if (out != NULL)
    g_string_append_len (out, copied, end - copied);
  return out;
}

/* ------------------------------------------------------------------ */
/* A message forwarded inline */

/* The line a mail program writes above a message it forwards inline (or
 * quotes whole): Thunderbird's "-------- Forwarded Message --------" and
 * "-------- Original Message --------", Gmail's "---------- Forwarded
 * message ---------", Outlook's "-----Original Message-----" and its rule
 * of underscores, Apple Mail's "Begin forwarded message:".  Each is
 * followed by the forwarded message's header fields. */
static gboolean
line_is_forward_marker (const char *p,
                        const char *eol)
{
  static const char * const words[] = {
    "forwarded message", "original message", NULL
  };
  gsize dashes = 0, under = 0;
  g_autofree char *lower = NULL;
  char *q;

  while (p < eol && (*p == ' ' || *p == '\t'))
    p++;
  while (eol > p && (eol[-1] == ' ' || eol[-1] == '\t'))
    eol--;
  if (eol - p > 80)
    return FALSE;
  for (const char *c = p; c < eol && *c == '_'; c++)
    under++;
  if (under >= 10 && under == (gsize) (eol - p))
    return TRUE;
  lower = g_ascii_strdown (p, eol - p);
  if (g_str_equal (lower, "begin forwarded message:"))
    return TRUE;
  for (q = lower; *q == '-'; q++)
    dashes++;
  if (dashes < 2)
    return FALSE;
  while (*q == ' ')
    q++;
  for (guint i = 0; words[i] != NULL; i++)
    if (g_str_has_prefix (q, words[i]))
      {
        q += strlen (words[i]);
        while (*q == ' ')
          q++;
        dashes = 0;
        for (; *q == '-'; q++)
          dashes++;
        return dashes >= 2 && *q == '\0';
      }
  return FALSE;
}

/* The forwarded message of text forwarded inline, as a message of its own:
 * the header fields after the marker line ("Sent:" is Outlook's Date:, a
 * tab may follow the colon) and the text after them.  NULL when there is
 * no marker line, or no From: or Subject: field after it. */
static GBytes *
inline_forwarded_message (const char *text,
                          gsize       len)
{
  const char *end = text + len;
  const char *p = text;

  while (p < end)
    {
      const char *eol = line_end (p, end);
      const char *q;
      g_autoptr(GString) msg = NULL;
      gboolean named = FALSE;
      guint fields = 0;

      if (!line_is_forward_marker (p, eol))
        {
          p = eol < end ? eol + 1 : end;
          continue;
        }
      q = eol < end ? eol + 1 : end;
      while (q < end && line_is_blank (q, line_end (q, end)))
        q = line_end (q, end) + 1;
      msg = g_string_new (NULL);
      while (q < end)
        {
          const char *qe = line_end (q, end);
          gsize name_len = header_name_length (q, qe);
          const char *value;

          if (line_is_blank (q, qe))
            break;
          if ((*q == ' ' || *q == '\t') && fields > 0)
            {
              g_string_append_len (msg, q, qe - q);
              g_string_append_c (msg, '\n');
              q = qe < end ? qe + 1 : end;
              continue;
            }
          if (name_len == 0)
            break;
          value = (const char *) memchr (q + name_len, ':', qe - q - name_len) + 1;
          while (value < qe && (*value == ' ' || *value == '\t'))
            value++;
          if (name_len == 4 && g_ascii_strncasecmp (q, "Sent", 4) == 0)
            g_string_append (msg, "Date");
          else
            g_string_append_len (msg, q, name_len);
          g_string_append (msg, ": ");
          g_string_append_len (msg, value, qe - value);
          g_string_append_c (msg, '\n');
          named |= (name_len == 4 && g_ascii_strncasecmp (q, "From", 4) == 0) ||
                   (name_len == 7 && g_ascii_strncasecmp (q, "Subject", 7) == 0);
          fields++;
          q = qe < end ? qe + 1 : end;
        }
      if (fields >= 2 && named && q < end)
        {
          g_string_append_c (msg, '\n');
          q = line_end (q, end) + 1;
          if (q < end)
            g_string_append_len (msg, q, end - q);
          return g_string_free_to_bytes (g_steal_pointer (&msg));
        }
      p = eol < end ? eol + 1 : end;
    }
  return NULL;
}

/* Human-readable text of the bounce itself (not of an original). */
static void
append_notification_text (Decoder    *dec,
                          const char *text,
                          gsize       len)
{
  g_autoptr(GString) unquoted = dequote (text, len);
  gsize marker;
  gsize start;

  if (unquoted != NULL)
    {
      text = unquoted->str;
      len = unquoted->len;
    }
  if (may_keep_attached (dec))
    dec->self->attached = inline_forwarded_message (text, len);
  marker = dec->marker_done ? G_MAXSIZE : find_original_marker (text, len);

  if (marker == G_MAXSIZE && !dec->marker_done)
    marker = find_unmarked_original (text, len);

  if (marker == G_MAXSIZE)
    {
      start = append_block (dec, BOUNCE_SEGMENT_TEXT, text, len);
      if (start != G_MAXSIZE)
        scan_text_for_dsn (dec, start, dec->out->len);
      return;
    }

  dec->marker_done = TRUE;
  start = append_block (dec, BOUNCE_SEGMENT_TEXT, text, marker);
  if (start != G_MAXSIZE)
    scan_text_for_dsn (dec, start, dec->out->len);
  append_inline_original (dec, text + marker, len - marker);
}

/* ------------------------------------------------------------------ */
/* HTML → text */

static gboolean
tag_is_block (const char *name)
{
  static const char * const blocks[] = {
    "br", "p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4",
    "h5", "h6", "blockquote", "pre", "hr", "dt", "dd", "dl", "title",
    "section", "article", "header", "footer", "center", "address", "form",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (blocks); i++)
    if (g_ascii_strcasecmp (name, blocks[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
append_entity (GString    *out,
               const char *p,
               const char *end,
               const char **next)
{
  static const struct { const char *name; gunichar ch; } entities[] = {
    { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
    { "apos", '\'' }, { "nbsp", ' ' }, { "copy", 0xA9 }, { "reg", 0xAE },
    { "ndash", 0x2013 }, { "mdash", 0x2014 }, { "hellip", 0x2026 },
    { "laquo", 0xAB }, { "raquo", 0xBB }, { "euro", 0x20AC },
  };
  const char *semi = p + 1;
  gunichar ch = 0;

  while (semi < end && semi - p < 12 && *semi != ';')
    semi++;
  if (semi >= end || *semi != ';')
    {
      g_string_append_c (out, '&');
      *next = p + 1;
      return;
    }

  if (p[1] == '#')
    {
      if (p[2] == 'x' || p[2] == 'X')
        ch = g_ascii_strtoull (p + 3, NULL, 16);
      else
        ch = g_ascii_strtoull (p + 2, NULL, 10);
    }
  else
    {
      for (gsize i = 0; i < G_N_ELEMENTS (entities); i++)
        if (strlen (entities[i].name) == (gsize) (semi - p - 1) &&
            strncmp (p + 1, entities[i].name, semi - p - 1) == 0)
          ch = entities[i].ch;
    }

  if (ch == 0 || !g_unichar_validate (ch))
    {
      g_string_append_len (out, p, semi + 1 - p);
    }
  else
    {
      char buf[6];

      g_string_append_len (out, buf, g_unichar_to_utf8 (ch, buf));
    }
  *next = semi + 1;
}

/* Appends a newline unless the text already ends with two. */
static void
html_newline (GString *out)
{
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (out->len >= 2 && out->str[out->len - 1] == '\n' && out->str[out->len - 2] == '\n')
    return;
  if (out->len > 0)
    g_string_append_c (out, '\n');
}

/* HTML collapses blanks and line ends into one space, except inside a
 * <pre> element, whose text is shown as written: its line ends stay, and a
 * line end right after the start tag is not part of it (HTML Living
 * Standard, 13.1.2.5 "Restrictions on content models" and 4.4.3 "The pre
 * element").  Exchange puts the original message's headers in one. */
static char *
html_to_text (const char *html,
              gsize       len)
{
  GString *out = g_string_sized_new (len / 2 + 16);
  const char *p = html;
  const char *end = html + len;
  guint pre = 0;
  gboolean pre_start = FALSE;

  while (p < end)
    {
      gboolean after_pre_tag = pre_start;

      pre_start = FALSE;
      if (*p == '<')
        {
          const char *q = p + 1;
          const char *close;
          char name[16];
          gsize n = 0;
          gboolean closing = FALSE;

          if (end - p >= 4 && memcmp (p, "<!--", 4) == 0)
            {
              const char *c = g_strstr_len (p + 4, end - p - 4, "-->");

              p = c != NULL ? c + 3 : end;
              continue;
            }
          if (q < end && *q == '/')
            {
              closing = TRUE;
              q++;
            }
          while (q < end && n < sizeof name - 1 && g_ascii_isalnum (*q))
            name[n++] = *q++;
          name[n] = '\0';
          close = memchr (q, '>', end - q);
          if (n == 0 || close == NULL)
            {
              /* Not a tag: keep the character. */
              g_string_append_c (out, '<');
              p++;
              continue;
            }
          p = close + 1;

          if ((g_ascii_strcasecmp (name, "script") == 0 || g_ascii_strcasecmp (name, "style") == 0 ||
               g_ascii_strcasecmp (name, "head") == 0) && !closing && close[-1] != '/')
            {
              /* Skip to the matching end tag. */
              g_autofree char *end_tag = g_strdup_printf ("</%s", name);
              const char *s = p;

              while (s < end)
                {
                  const char *lt = memchr (s, '<', end - s);

                  if (lt == NULL || (gsize) (end - lt) < strlen (end_tag))
                    {
                      s = end;
                      break;
                    }
                  if (g_ascii_strncasecmp (lt, end_tag, strlen (end_tag)) == 0)
                    {
                      const char *gt = memchr (lt, '>', end - lt);

                      s = gt != NULL ? gt + 1 : end;
                      break;
                    }
                  s = lt + 1;
                }
              p = s;
              continue;
            }

          if (g_ascii_strcasecmp (name, "pre") == 0)
            {
              if (!closing && pre < G_MAXUINT)
                pre++;
              else if (closing && pre > 0)
                pre--;
              pre_start = !closing;
            }
          if (tag_is_block (name))
            html_newline (out);
          else if (g_ascii_strcasecmp (name, "td") == 0 || g_ascii_strcasecmp (name, "th") == 0)
            {
              if (out->len > 0 && out->str[out->len - 1] != '\n' && out->str[out->len - 1] != ' ')
                g_string_append_c (out, ' ');
            }
        }
      else if (*p == '&')
        {
          append_entity (out, p, end, &p);
        }
      else if (pre > 0 && (*p == '\n' || *p == '\r'))
        {
          /* CR LF, CR or LF: one line end */
          if (*p == '\r' && p + 1 < end && p[1] == '\n')
            p++;
          if (!after_pre_tag)
            g_string_append_c (out, '\n');
          p++;
        }
      else if (pre > 0 && (*p == ' ' || *p == '\t'))
        {
          g_string_append_c (out, ' ');
          p++;
        }
      else if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\f')
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ' && out->str[out->len - 1] != '\n')
            g_string_append_c (out, ' ');
          p++;
        }
      else
        {
          g_string_append_c (out, *p);
          p++;
        }
    }

  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */
/* MIME walking */

static char *
part_content (GMimePart *part,
              gsize     *len)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  g_autoptr(GMimeStream) stream = NULL;
  GByteArray *array;
  char *copy;

  *len = 0;
  if (content == NULL)
    return g_strdup ("");

  stream = g_mime_stream_mem_new ();
  g_mime_data_wrapper_write_to_stream (content, stream);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  *len = array->len;
  /* Not g_strndup: decoded content may contain NUL bytes. */
  copy = g_malloc (array->len + 1);
  if (array->len > 0)
    memcpy (copy, array->data, array->len);
  copy[array->len] = '\0';
  return copy;
}

/* Decoded text of a leaf part in UTF-8. */
static char *
part_text (Decoder     *dec,
           GMimeObject *object,
           const char  *fallback_charset,
           gsize       *len)
{
  gsize raw_len;
  g_autofree char *raw = part_content (GMIME_PART (object), &raw_len);
  const char *charset = g_mime_object_get_content_type_parameter (object, "charset");

  if (charset == NULL)
    charset = fallback_charset;
  return to_utf8 (raw, raw_len, charset, &dec->self->repaired, len);
}

static gboolean
looks_like_text (const char *data,
                 gsize       len)
{
  gsize n = MIN (len, (gsize) SNIFF_SIZE);
  gsize ctrl = 0;

  for (gsize i = 0; i < n; i++)
    {
      guchar c = data[i];

      if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b) || c == 0x7f)
        ctrl++;
    }
  return ctrl * 20 <= n;
}

static void append_headers (Decoder *dec, GMimeMessage *message, BounceSegmentKind kind, GPtrArray *fields);
static void walk (Decoder *dec, GMimeObject *object, guint depth, gboolean in_original);
static GMimeMessage *parse_message (Decoder *dec, const char *data, gsize len);

/* A message attached to a message that is not itself a report (RFC 6522
 * multipart/report) may be a bounce forwarded as an attachment, the way mail
 * programs forward ("Forward as attachment"): the first such message of
 * the input's only message is kept whole, for the analyser to look at when
 * the wrapper turns out not to be a bounce. */
static gboolean
may_keep_attached (Decoder *dec)
{
  return dec->number == 0 && dec->self->attached == NULL &&
         g_strcmp0 (dec->msg->content_type, "multipart/report") != 0;
}

static void
keep_attached_message (Decoder      *dec,
                       GMimeMessage *message)
{
  g_autoptr(GMimeStream) stream = NULL;
  GByteArray *array;

  if (!may_keep_attached (dec))
    return;
  array = g_byte_array_new ();
  stream = g_mime_stream_mem_new_with_byte_array (array);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
  if (g_mime_object_write_to_stream (GMIME_OBJECT (message), NULL, stream) > 0)
    dec->self->attached = g_byte_array_free_to_bytes (array);
  else
    g_byte_array_unref (array);
}

static void
walk_embedded_message (Decoder      *dec,
                       GMimeMessage *message,
                       guint         depth)
{
  GMimeObject *body;
  GPtrArray *fields = NULL;

  if (dec->msg->original_headers == NULL)
    fields = dec->msg->original_headers = field_array_new ();
  append_headers (dec, message, BOUNCE_SEGMENT_ORIGINAL_HEADERS, fields);

  body = g_mime_message_get_mime_part (message);
  if (body != NULL)
    walk (dec, body, depth + 1, TRUE);
}

static void
walk_leaf (Decoder     *dec,
           GMimeObject *object,
           guint        depth,
           gboolean     in_original)
{
  GMimeContentType *ct = g_mime_object_get_content_type (object);
  const char *type = ct != NULL ? g_mime_content_type_get_media_type (ct) : "text";
  const char *subtype = ct != NULL ? g_mime_content_type_get_media_subtype (ct) : "plain";
  BounceSegmentKind body_kind = in_original || dec->after_report ? BOUNCE_SEGMENT_ORIGINAL_BODY : BOUNCE_SEGMENT_TEXT;
  g_autofree char *text = NULL;
  gsize len = 0;
  gsize start;

  if (type == NULL)
    type = "text";
  if (subtype == NULL)
    subtype = "plain";

  if (!in_original)
    {
      GMimeContentEncoding encoding = g_mime_part_get_content_encoding (GMIME_PART (object));

      if (encoding == GMIME_CONTENT_ENCODING_BASE64 || encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE)
        dec->self->transfer_encoded = TRUE;
    }

  if (g_ascii_strcasecmp (type, "message") == 0 &&
      (g_ascii_strcasecmp (subtype, "delivery-status") == 0 ||
       g_ascii_strcasecmp (subtype, "global-delivery-status") == 0))
    {
      gboolean global = g_ascii_strcasecmp (subtype, "global-delivery-status") == 0;

      text = part_text (dec, object, global ? "utf-8" : NULL, &len);
      if (in_original)
        {
          append_block (dec, body_kind, text, len);
          return;
        }
      start = append_block (dec, BOUNCE_SEGMENT_DELIVERY_STATUS, text, len);
      if (start != G_MAXSIZE)
        {
          dec->have_real_dsn = TRUE;
          parse_delivery_status (dec, start);
        }
      return;
    }

  if (g_ascii_strcasecmp (type, "message") == 0 &&
      g_ascii_strcasecmp (subtype, "feedback-report") == 0)
    {
      text = part_text (dec, object, NULL, &len);
      if (in_original)
        {
          append_block (dec, body_kind, text, len);
          return;
        }
      start = append_block (dec, BOUNCE_SEGMENT_FEEDBACK_REPORT, text, len);
      if (start != G_MAXSIZE && dec->msg->feedback_fields == NULL)
        dec->msg->feedback_fields = parse_header_fields (dec, dec->out->str + start,
                                                         dec->out->len - start);
      return;
    }

  if ((g_ascii_strcasecmp (type, "text") == 0 && g_ascii_strcasecmp (subtype, "rfc822-headers") == 0) ||
      (g_ascii_strcasecmp (type, "message") == 0 && g_ascii_strcasecmp (subtype, "global-headers") == 0))
    {
      text = part_text (dec, object, g_ascii_strcasecmp (type, "message") == 0 ? "utf-8" : NULL, &len);
      start = append_block (dec, BOUNCE_SEGMENT_ORIGINAL_HEADERS, text, len);
      if (start != G_MAXSIZE && dec->msg->original_headers == NULL)
        dec->msg->original_headers = parse_header_fields (dec, text, len);
      return;
    }

  /* A message/rfc822 GMime did not parse as one (e.g. base64-encoded). */
  if (g_ascii_strcasecmp (type, "message") == 0 &&
      (g_ascii_strcasecmp (subtype, "rfc822") == 0 || g_ascii_strcasecmp (subtype, "global") == 0))
    {
      g_autoptr(GMimeMessage) inner = NULL;

      text = part_text (dec, object, NULL, &len);
      if (depth < MAX_MIME_DEPTH)
        inner = parse_message (dec, text, len);
      if (inner != NULL && !in_original)
        keep_attached_message (dec, inner);
      if (inner != NULL)
        walk_embedded_message (dec, inner, depth);
      else
        append_block (dec, BOUNCE_SEGMENT_ORIGINAL_BODY, text, len);
      return;
    }

  if (g_ascii_strcasecmp (type, "text") == 0 && g_ascii_strcasecmp (subtype, "html") == 0)
    {
      g_autofree char *html = part_text (dec, object, NULL, &len);

      text = html_to_text (html, len);
      len = strlen (text);
      append_block (dec, body_kind, text, len);
      return;
    }

  if (g_ascii_strcasecmp (type, "text") != 0 && g_ascii_strcasecmp (type, "message") != 0)
    {
      /* Attachments: only shown when they are text in disguise (an original
       * message sent as application/octet-stream, say). */
      gsize raw_len;
      g_autofree char *raw = part_content (GMIME_PART (object), &raw_len);

      if (raw_len == 0 || !looks_like_text (raw, raw_len) ||
          g_ascii_strcasecmp (type, "image") == 0 || g_ascii_strcasecmp (type, "audio") == 0 ||
          g_ascii_strcasecmp (type, "video") == 0)
        return;
      text = to_utf8 (raw, raw_len, g_mime_object_get_content_type_parameter (object, "charset"),
                      &dec->self->repaired, &len);
    }
  else
    {
      text = part_text (dec, object, NULL, &len);
    }

  if (in_original)
    append_block (dec, body_kind, text, len);
  else if (dec->after_report)
    {
      /* RFC 6522 section 3: a report's parts after the machine-readable
       * one are the returned message (or part of it), whatever their type;
       * some servers send its headers as text/plain. */
      dec->marker_done = TRUE;
      append_inline_original (dec, text, len);
    }
  else
    append_notification_text (dec, text, len);
}

/* A report's machine-readable part (RFC 6522 section 3). */
static gboolean
is_machine_readable (GMimeContentType *ct)
{
  return ct != NULL &&
         (g_mime_content_type_is_type (ct, "message", "delivery-status") ||
          g_mime_content_type_is_type (ct, "message", "global-delivery-status") ||
          g_mime_content_type_is_type (ct, "message", "feedback-report"));
}

static void
walk (Decoder     *dec,
      GMimeObject *object,
      guint        depth,
      gboolean     in_original)
{
  if (depth > MAX_MIME_DEPTH || g_cancellable_is_cancelled (dec->cancellable))
    return;

  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      GMimeContentType *ct = g_mime_object_get_content_type (object);
      int count = g_mime_multipart_get_count (multipart);
      gboolean is_report;
      gboolean after_report;

      if (count == 0)
        {
          /* Broken boundaries: what GMime found is in the prologue. */
          const char *prologue = g_mime_multipart_get_prologue (multipart);

          if (prologue != NULL)
            {
              g_autofree char *text = to_utf8 (prologue, strlen (prologue), NULL,
                                               &dec->self->repaired, NULL);

              if (in_original)
                append_block (dec, BOUNCE_SEGMENT_ORIGINAL_BODY, text, strlen (text));
              else
                append_notification_text (dec, text, strlen (text));
            }
          return;
        }

      if (ct != NULL && g_mime_content_type_is_type (ct, "multipart", "alternative"))
        {
          GMimeObject *chosen = NULL;

          /* Prefer plain text; HTML only when there is nothing else. */
          for (int i = 0; i < count && chosen == NULL; i++)
            {
              GMimeObject *child = g_mime_multipart_get_part (multipart, i);
              GMimeContentType *cct = g_mime_object_get_content_type (child);

              if (cct != NULL && g_mime_content_type_is_type (cct, "text", "plain"))
                chosen = child;
            }
          for (int i = 0; i < count && chosen == NULL; i++)
            {
              GMimeObject *child = g_mime_multipart_get_part (multipart, i);
              GMimeContentType *cct = g_mime_object_get_content_type (child);

              if (cct != NULL && g_mime_content_type_is_type (cct, "text", "html"))
                chosen = child;
            }
          if (chosen == NULL)
            chosen = g_mime_multipart_get_part (multipart, 0);
          walk (dec, chosen, depth + 1, in_original);
          return;
        }

      /* RFC 6522: in a report, the parts after the machine-readable one
       * (the second) are the returned message. */
      is_report = ct != NULL && !in_original && g_mime_content_type_is_type (ct, "multipart", "report");
      after_report = dec->after_report;
      for (int i = 0; i < count; i++)
        {
          GMimeObject *child = g_mime_multipart_get_part (multipart, i);

          if (g_cancellable_is_cancelled (dec->cancellable))
            break;
          walk (dec, child, depth + 1, in_original);
          if (is_report && is_machine_readable (g_mime_object_get_content_type (child)))
            dec->after_report = TRUE;
        }
      dec->after_report = after_report;
      return;
    }

  if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *message = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));

      if (message != NULL && !in_original)
        keep_attached_message (dec, message);
      if (message != NULL)
        walk_embedded_message (dec, message, depth);
      return;
    }

  if (GMIME_IS_PART (object))
    walk_leaf (dec, object, depth, in_original);
}

static int
compare_header_offsets (gconstpointer a,
                        gconstpointer b)
{
  gint64 oa = g_mime_header_get_offset (*(GMimeHeader **) a);
  gint64 ob = g_mime_header_get_offset (*(GMimeHeader **) b);

  /* Headers without an offset (added by GMime) go last. */
  if (oa < 0)
    oa = G_MAXINT64;
  if (ob < 0)
    ob = G_MAXINT64;
  return oa < ob ? -1 : oa > ob;
}

static void
collect_headers (GPtrArray   *headers,
                 GHashTable  *seen,
                 GMimeObject *object)
{
  GMimeHeaderList *list = object != NULL ? g_mime_object_get_header_list (object) : NULL;
  int count = list != NULL ? g_mime_header_list_get_count (list) : 0;

  for (int i = 0; i < count; i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (list, i);

      if (g_hash_table_add (seen, header))
        g_ptr_array_add (headers, header);
    }
}

char *
bounce_input_plain_header_value (const char *raw)
{
  const guchar *q = (const guchar *) raw;
  char *out, *o, *start;

  /* One pass that checks the bytes and copies them without line breaks;
   * the white space at both ends is dropped from the copy. */
  out = o = g_malloc (strlen (raw) + 1);
  for (; *q != '\0'; q++)
    {
      if (!((*q >= 0x20 && *q < 0x7f) || *q == '\t' || *q == '\r' || *q == '\n') ||
          (*q == '=' && q[1] == '?'))
        {
          g_free (out);
          return NULL;
        }
      if (*q != '\r' && *q != '\n')
        *o++ = (char) *q;
    }
  while (o > out && (o[-1] == ' ' || o[-1] == '\t'))
    o--;
  *o = '\0';
  start = out;
  while (*start == ' ' || *start == '\t')
    start++;
  if (start > out)
    memmove (out, start, o - start + 1);
  return out;
}

/* What clean_value() makes of a value bounce_input_plain_header_value()
 * gave, in place: its tabs become spaces.  Such a value is printable ASCII
 * and tabs, without line breaks or white space at either end, so that
 * clean_value() would have nothing else to do (nor any UTF-8 to repair). */
static char *
clean_plain_value (char *plain)
{
  for (char *p = plain; *p != '\0'; p++)
    if (*p == '\t')
      *p = ' ';
  return plain;
}

/* Writes "Name: value" lines of a message's headers, in source order.  GMime
 * keeps the Content-* ones on the body part, so both lists are merged. */
static void
append_headers (Decoder           *dec,
                GMimeMessage      *message,
                BounceSegmentKind  kind,
                GPtrArray         *fields)
{
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  GMimeObject *body = g_mime_message_get_mime_part (message);
  GString *block = g_string_new (NULL);

  collect_headers (headers, seen, GMIME_OBJECT (message));
  if (body != NULL)
    {
      guint before = headers->len;

      collect_headers (headers, seen, body);
      if (headers->len > before)
        g_ptr_array_sort (headers, compare_header_offsets);
    }

  for (guint i = 0; i < headers->len; i++)
    {
      GMimeHeader *header = g_ptr_array_index (headers, i);
      const char *name = g_mime_header_get_name (header);
      const char *raw = g_mime_header_get_raw_value (header);
      g_autofree char *plain = raw != NULL ? bounce_input_plain_header_value (raw) : NULL;
      /* (most values need no decoding: GMime's decoder only for the rest) */
      const char *decoded = plain != NULL ? plain : g_mime_header_get_value (header);
      g_autofree char *value = NULL;
      g_autofree char *valid_name = NULL;

      /* The same header seen through both lists. */
      if (i > 0 && g_mime_header_get_offset (header) >= 0 &&
          g_mime_header_get_offset (header) ==
          g_mime_header_get_offset (g_ptr_array_index (headers, i - 1)))
        continue;
      if (name == NULL)
        continue;
      /* (a plain value is ASCII: only the others need the check) */
      if (plain == NULL && raw != NULL && !g_utf8_validate (raw, -1, NULL))
        dec->self->repaired = TRUE;
      /* The display text must be valid UTF-8, names included
       * ("X-Virus-Sc\347anned" in Latin-1). */
      if (!g_utf8_validate (name, -1, NULL))
        {
          name = valid_name = g_utf8_make_valid (name, -1);
          dec->self->repaired = TRUE;
        }
      /* (most values are plain: their cleaning is cheaper) */
      value = plain != NULL ? clean_plain_value (g_steal_pointer (&plain))
                            : clean_value (decoded != NULL ? decoded : raw);

      /* ("Name: value" without printf's parsing, for every header) */
      g_string_append (block, name);
      g_string_append_len (block, ": ", 2);
      g_string_append (block, value);
      g_string_append_c (block, '\n');
      if (fields != NULL)
        g_ptr_array_add (fields, field_new_valid (name, g_steal_pointer (&value)));
    }

  append_block (dec, kind, block->str, block->len);
  g_string_free (block, TRUE);
}

/* GMime's parser grows the buffer of one header field a little at a time,
 * which is quadratic in the field's length (a 1 MB folded header: 0.16 s,
 * but 52 s under AddressSanitizer).  No real field comes near this. */
#define MAX_HEADER_FIELD (64 * 1024)

/* A parameter that lost the fold of its line: "Content-Type: multipart/
 * alternative; differences=Content-Type;" and then "boundary=..." at the
 * start of the next line.  RFC 5322 section 2.2.3 folds a field only before
 * white space; a line with neither a field name nor leading white space
 * ends the header block for GMime, so the part's boundary was lost and its
 * parts were read as one undecoded text.  Such a line after a field that
 * ends in ";" (RFC 2045 section 5.1: parameters follow ";") is read as the
 * folded continuation it was meant to be. */
static gboolean
is_unfolded_parameter (const char *p,
                       const char *eol,
                       gboolean    after_semicolon)
{
  const char *q = p;

  if (!after_semicolon)
    return FALSE;
  while (q < eol && (g_ascii_isalnum (*q) || *q == '-' || *q == '_' || *q == '*'))
    q++;
  return q > p && q < eol && *q == '=';
}

/* Whether a header line ends in ";" (trailing white space aside). */
static gboolean
line_ends_with_semicolon (const char *p,
                          const char *eol)
{
  while (eol > p && (eol[-1] == ' ' || eol[-1] == '\t' || eol[-1] == '\r'))
    eol--;
  return eol > p && eol[-1] == ';';
}

/* A copy of data[0, len) whose header fields are cut at MAX_HEADER_FIELD
 * bytes (continuation lines past it dropped, a single long line cut) and
 * whose unfolded parameter lines (is_unfolded_parameter()) are folded, or
 * NULL when there is nothing to change.  Header blocks are the message's
 * own, and any block that starts with a field right after a "--" line (a
 * MIME part) or after the blank line ending a header block (a part's body
 * that is a message or delivery-status fields). */
static GString *
tidy_header_fields (const char *data,
                   gsize       len)
{
  const char *p = data;
  const char *end = data + len;
  GString *out = NULL;
  gboolean in_header = TRUE;
  gboolean may_start = FALSE;
  gboolean after_semicolon = FALSE;
  gsize field = 0;

  while (p < end)
    {
      const char *eol = line_end (p, end);
      const char *next = eol < end ? eol + 1 : end;
      gsize keep = next - p;
      gboolean fold = FALSE;

      if (in_header)
        {
          if (p == eol || line_is_blank (p, eol))
            {
              in_header = FALSE;
              may_start = TRUE;
            }
          else if (*p == ' ' || *p == '\t' || header_name_length (p, eol) == 0)
            {
              fold = *p != ' ' && *p != '\t' && is_unfolded_parameter (p, eol, after_semicolon);
              keep = field >= MAX_HEADER_FIELD ? 0 : MIN (keep, MAX_HEADER_FIELD - field);
              field += next - p;
            }
          else
            {
              field = next - p;
              keep = MIN (keep, MAX_HEADER_FIELD);
            }
        }
      else if (may_start && header_name_length (p, eol) > 0)
        {
          in_header = TRUE;
          field = next - p;
          keep = MIN (keep, MAX_HEADER_FIELD);
        }
      else
        may_start = eol - p >= 2 && p[0] == '-' && p[1] == '-';
      after_semicolon = in_header && line_ends_with_semicolon (p, eol);

      if ((fold || keep < (gsize) (next - p)) && out == NULL)
        {
          out = g_string_sized_new (len + 1);
          g_string_append_len (out, data, p - data);
        }
      if (out != NULL)
        {
          if (fold && keep > 0)
            g_string_append_c (out, '\t');
          g_string_append_len (out, p, keep);
          /* a cut line still ends its line */
          if (keep > 0 && keep < (gsize) (next - p) && next > eol)
            g_string_append_c (out, '\n');
        }
      p = next;
    }
  return out;
}

static void
free_view (gpointer view)
{
  /* The array's data is not its own. */
  g_byte_array_free (view, FALSE);
}

/* GMime reads the message where it lies instead of from a copy of it: the
 * parts it makes refer to the stream, which must not outlive data (the
 * message is released before the text it was parsed from). */
static GMimeMessage *
parse_message (Decoder    *dec,
               const char *data,
               gsize       len)
{
  GByteArray *view = g_byte_array_new_take ((guint8 *) data, len);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_byte_array (view);
  g_autoptr(GMimeParser) parser = NULL;

  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
  g_object_set_data_full (G_OBJECT (stream), "bounce-view", view, free_view);
  parser = g_mime_parser_new_with_stream (stream);

  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  return g_mime_parser_construct_message (parser, dec->options);
}

/* Counts "multipart/" case-insensitively, to refuse pathological nesting
 * before GMime's recursive parser sees it. */
static guint
count_multiparts (const char *data,
                  gsize       len,
                  guint       limit)
{
  guint count = 0;
  const char *p = data;
  const char *end = data + len;

  while (p < end && count <= limit)
    {
      const char *m = memchr (p, '/', end - p);

      if (m == NULL)
        break;
      if (m - data >= 9 && g_ascii_strncasecmp (m - 9, "multipart", 9) == 0)
        count++;
      p = m + 1;
    }
  return count;
}

/* Offset of the body of a raw message (after the first blank line). */
static gsize
raw_body_offset (const char *data,
                 gsize       len)
{
  const char *p = data;
  const char *end = data + len;

  while (p < end)
    {
      const char *eol = line_end (p, end);

      if (p == eol)
        return eol + 1 - data;
      p = eol + 1;
    }
  return len;
}

static void
decode_message (Decoder    *dec,
                const char *data,
                gsize       len)
{
  /* Declared first, freed last: GMime's message reads the text in place. */
  g_autoptr(GString) without_nul = NULL;
  g_autoptr(GString) capped = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  GMimeContentType *ct;
  GMimeObject *body;
  gboolean too_nested;

  /* NUL bytes are dropped message by message (see bounce_input_new_from_bytes). */
  if (memchr (data, '\0', len) != NULL)
    {
      without_nul = g_string_sized_new (len);
      normalise_newlines (data, len, without_nul);
      dec->self->repaired = TRUE;
      data = without_nul->str;
      len = without_nul->len;
    }
  too_nested = count_multiparts (data, len, MAX_MULTIPART_COUNT) > MAX_MULTIPART_COUNT;
  capped = tidy_header_fields (data, len);
  if (capped != NULL)
    {
      data = capped->str;
      len = capped->len;
    }
  message = parse_message (dec, data, len);
  if (message == NULL)
    {
      /* Not even headers: show it as it is. */
      g_autofree char *text = to_utf8 (data, len, NULL, &dec->self->repaired, NULL);

      append_notification_text (dec, text, strlen (text));
      return;
    }

  append_headers (dec, message, BOUNCE_SEGMENT_HEADERS, dec->msg->headers);

  body = g_mime_message_get_mime_part (message);
  ct = body != NULL ? g_mime_object_get_content_type (body) : NULL;
  if (ct != NULL)
    {
      const char *report_type = g_mime_content_type_get_parameter (ct, "report-type");
      g_autofree char *mime_type = g_mime_content_type_get_mime_type (ct);

      dec->msg->content_type = g_ascii_strdown (mime_type, -1);
      if (report_type != NULL)
        dec->msg->report_type = g_ascii_strdown (report_type, -1);
    }

  if (too_nested)
    {
      gsize offset = raw_body_offset (data, len);
      g_autofree char *text = to_utf8 (data + offset, len - offset, NULL, &dec->self->repaired, NULL);

      append_block (dec, BOUNCE_SEGMENT_TEXT, text, strlen (text));
      return;
    }

  if (body != NULL)
    walk (dec, body, 0, FALSE);
}

/* ------------------------------------------------------------------ */
/* Input classification */

static gboolean
is_known_header (const char *name,
                 gsize       len)
{
  static const char * const names[] = {
    "Return-Path", "Received", "From", "To", "Cc", "Subject", "Date",
    "Message-ID", "Message-Id", "Delivered-To", "MIME-Version", "Content-Type",
    "Reply-To", "Sender", "Envelope-To", "In-Reply-To", "References",
    "Auto-Submitted", "Precedence", "DKIM-Signature", "Authentication-Results",
    "Received-SPF", "Content-Transfer-Encoding", "Thread-Topic", "Thread-Index",
    "Importance", "Errors-To", "Resent-From", "Resent-To", "Resent-Date",
    "Content-Language", "Delivery-Date", "Envelope-From", "Bcc",
  };

  if (len >= 2 && g_ascii_strncasecmp (name, "X-", 2) == 0)
    return TRUE;
  if (len >= 4 && (g_ascii_strncasecmp (name, "ARC-", 4) == 0 ||
                   g_ascii_strncasecmp (name, "List-", 5) == 0))
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (strlen (names[i]) == len && g_ascii_strncasecmp (name, names[i], len) == 0)
      return TRUE;
  return FALSE;
}

/* The text starts with a header block (after an optional mbox "From "
 * line) and one of its fields is a message header.  Returns the offset of
 * the first header line, or G_MAXSIZE. */
static gsize
message_start (const char *text,
               gsize       len)
{
  const char *p = text;
  const char *end = text + len;
  const char *first;
  gboolean known = FALSE;
  /* a field only a delivery report has (RFC 3464 section 2.2 and 2.3) and
   * one only a message has (RFC 5322 section 3.6) */
  gboolean report_field = FALSE, message_field = FALSE;

  /* Leading blank lines of a paste. */
  while (p < end)
    {
      const char *eol = line_end (p, end);

      if (!line_is_blank (p, eol))
        break;
      p = eol + 1;
    }
  if (p < end && line_is_mbox_from (p, line_end (p, end)))
    p = line_end (p, end) + 1;
  first = p;

  while (p < end)
    {
      const char *eol = line_end (p, end);
      gsize name_len;

      if (p == eol)
        break;
      if (p != first && (*p == ' ' || *p == '\t'))
        {
          p = eol + 1;
          continue;
        }
      name_len = header_name_length (p, eol);
      if (name_len == 0)
        {
          /* A stray line ends the header block; only what came before counts. */
          if (p == first)
            return G_MAXSIZE;
          break;
        }
      if (is_known_header (p, name_len))
        {
          known = TRUE;
          message_field |= g_ascii_strncasecmp (p, "X-", 2) != 0;
        }
      else
        {
          g_autofree char *name = g_strndup (p, name_len);

          report_field |= is_dsn_field (name) && g_ascii_strncasecmp (name, "X-", 2) != 0;
        }
      p = eol + 1;
    }

  /* A delivery report's fields pasted alone, with a vendor's X- field
   * among them (AOL's relay writes X-Outbound-Mail-Relay-Queue-ID there,
   * and no empty line before the first recipient's fields): a report,
   * not a message whose header they would be. */
  if (report_field && !message_field)
    return G_MAXSIZE;
  return known && first < end ? (gsize) (first - text) : G_MAXSIZE;
}

/* Byte offsets where the messages of an mbox start (after their "From "
 * line), ending with the total length. */
static GArray *
split_mbox (const char *text,
            gsize       len,
            gsize       first)
{
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  const char *end = text + len;
  const char *p;
  gboolean mbox = FALSE;

  /* Only real mboxes (beginning with a "From " line) are split. */
  {
    const char *q = text;

    while (q < text + first)
      {
        const char *eol = line_end (q, end);

        if (line_is_mbox_from (q, eol))
          mbox = TRUE;
        q = eol + 1;
      }
  }

  g_array_append_val (starts, first);
  if (mbox)
    {
      p = text + first;
      while (p < end)
        {
          const char *eol = line_end (p, end);

          if (line_is_mbox_from (p, eol) && eol < end)
            {
              const char *next = eol + 1;
              const char *next_eol = line_end (next, end);

              if (header_name_length (next, next_eol) > 0)
                {
                  gsize msg_end = p - text;
                  gsize msg_start = next - text;

                  g_array_append_val (starts, msg_end);
                  g_array_append_val (starts, msg_start);
                }
            }
          p = eol + 1;
        }
    }
  {
    gsize total = len;

    g_array_append_val (starts, total);
  }
  return starts;
}

static gboolean
looks_binary (const guchar *data,
              gsize         len)
{
  static const struct { const char *magic; gsize len; } magics[] = {
    { "\x89PNG", 4 }, { "PK\x03\x04", 4 }, { "PK\x05\x06", 4 }, { "%PDF-", 5 },
    { "GIF87a", 6 }, { "GIF89a", 6 }, { "\xff\xd8\xff", 3 }, { "\x1f\x8b", 2 },
    { "7z\xbc\xaf\x27\x1c", 6 }, { "Rar!\x1a\x07", 6 }, { "\x7f" "ELF", 4 },
    { "BZh91AY", 7 }, { "\xfd" "7zXZ", 5 }, { "\xd0\xcf\x11\xe0", 4 },
    { "RIFF", 4 }, { "OggS", 4 }, { "\x00\x00\x01\x00", 4 },
  };
  /* The control characters text does not hold: all below 0x20 but tab,
   * LF, VT, FF, CR and ESC (used by ISO-2022 text), and DEL.  (A table: one
   * look-up per byte, not six comparisons.) */
  static const guint8 is_ctrl[256] = {
    [0x00 ... 0x08] = 1, [0x0e ... 0x1a] = 1, [0x1c ... 0x1f] = 1, [0x7f] = 1,
  };
  gsize n = MIN (len, (gsize) SNIFF_SIZE);
  gsize ctrl = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (magics); i++)
    if (len >= magics[i].len && memcmp (data, magics[i].magic, magics[i].len) == 0)
      return TRUE;

  for (gsize i = 0; i < n; i++)
    ctrl += is_ctrl[data[i]];
  return ctrl >= 4 && ctrl * 10 > n;
}

/* ------------------------------------------------------------------ */
/* GObject */

static void
bounce_input_finalize (GObject *object)
{
  BounceInput *self = BOUNCE_INPUT (object);

  g_free (self->text);
  g_clear_pointer (&self->attached, g_bytes_unref);
  g_clear_pointer (&self->segments, g_ptr_array_unref);
  g_clear_pointer (&self->messages, g_ptr_array_unref);

  G_OBJECT_CLASS (bounce_input_parent_class)->finalize (object);
}

static void
bounce_input_class_init (BounceInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bounce_input_finalize;
}

static void
bounce_input_init (BounceInput *self)
{
  self->segments = g_ptr_array_new_with_free_func (g_free);
  self->messages = g_ptr_array_new_with_free_func (bounce_message_free);
}

static GMimeParserOptions *
make_parser_options (void)
{
  static const char *fallback[] = { "UTF-8", "windows-1252", NULL };
  GMimeParserOptions *options = g_mime_parser_options_new ();

  g_mime_parser_options_set_fallback_charsets (options, fallback);
  g_mime_parser_options_set_rfc2047_compliance_mode (options, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode (options, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode (options, GMIME_RFC_COMPLIANCE_LOOSE);
  return options;
}

/* ------------------------------------------------------------------ */
/* Reading */

struct _BounceInputReader
{
  GBytes *bytes;
  char *from_utf16;     /* the input converted from UTF-16, or NULL */
  GString *normal;      /* the input with LF line ends, when it had CRs */
  const char *data;     /* the text to decode, in one of the three */
  gsize len;
  gboolean repaired;    /* by the line end normalisation */
  gsize first;          /* message_start () */
  GArray *starts;       /* split_mbox (): start and end of each message */
  guint next;           /* the next message to decode */
  GMimeParserOptions *options;
  BounceInput *whole;   /* no text: what the report of the whole input refers to */
  GQueue pending;       /* Pending: decoded, not handed out yet */
  gpointer last_text;   /* the last Pending decoded that has text, or NULL */
  gboolean had_text;    /* some message handed out had text */
};

/* A message decoded and not handed out yet: its text stays open for the
 * separator that the next message with text puts at its end. */
typedef struct
{
  BounceInput *input;
  GString *out;
  gboolean sealed;      /* a later message has text: the separator is in */
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  g_clear_object (&pending->input);
  if (pending->out != NULL)
    g_string_free (pending->out, TRUE);
  g_free (pending);
}

void
bounce_input_reader_free (BounceInputReader *self)
{
  if (self == NULL)
    return;
  g_queue_clear_full (&self->pending, pending_free);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->from_utf16);
  if (self->normal != NULL)
    g_string_free (self->normal, TRUE);
  g_clear_pointer (&self->starts, g_array_unref);
  g_clear_pointer (&self->options, g_mime_parser_options_free);
  g_clear_object (&self->whole);
  g_free (self);
}

static gboolean
is_blank_input (const char *data,
                gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

static GError *
too_large_error (goffset size)
{
  g_autofree char *have = g_format_size (size);
  g_autofree char *limit = g_format_size (BOUNCE_INPUT_MAX_SIZE);

  return g_error_new (BOUNCE_ERROR, BOUNCE_ERROR_TOO_LARGE,
                      _("The input is %s; the limit is %s"), have, limit);
}

BounceInputReader *
bounce_input_reader_new (GBytes  *bytes,
                         GError **error)
{
  g_autoptr(BounceInputReader) self = NULL;
  const char *data;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len > BOUNCE_INPUT_MAX_SIZE)
    {
      g_propagate_error (error, too_large_error (len));
      return NULL;
    }

  self = g_new0 (BounceInputReader, 1);
  self->bytes = g_bytes_ref (bytes);
  g_queue_init (&self->pending);

  /* Byte order marks: UTF-16 text from Windows tools, or a UTF-8 BOM. */
  if (len >= 2 && ((guchar) data[0] == 0xff && (guchar) data[1] == 0xfe))
    {
      self->from_utf16 = g_convert (data + 2, len - 2, "UTF-8", "UTF-16LE", NULL, &len, NULL);
      data = self->from_utf16;
    }
  else if (len >= 2 && ((guchar) data[0] == 0xfe && (guchar) data[1] == 0xff))
    {
      self->from_utf16 = g_convert (data + 2, len - 2, "UTF-8", "UTF-16BE", NULL, &len, NULL);
      data = self->from_utf16;
    }
  else if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      len -= 3;
    }
  if (data == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_BINARY,
                   _("The input is not text that can be read"));
      return NULL;
    }

  /* A text followed by padding of NUL bytes (a file cut short, a disk
   * image, a preallocated log) is that text, not a binary file. */
  while (len > 0 && data[len - 1] == '\0')
    len--;

  if (len == 0 || is_blank_input (data, len))
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_EMPTY,
                   _("There is nothing to analyse"));
      return NULL;
    }

  if (looks_binary ((const guchar *) data, len))
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_BINARY,
                   _("The input looks like a binary file (an image, an archive, …), not an email"));
      return NULL;
    }

  /* Input with LF line ends (most of it) is decoded where it lies, without
   * a normalised copy: the decoder reads only within len.  A NUL byte (an
   * mbox of 20 MB had eleven) is dropped from the message that holds it,
   * or by to_utf8() from a pasted text. */
  if (memchr (data, '\r', len) != NULL)
    {
      self->normal = g_string_sized_new (len + 1);
      if (normalise_newlines (data, len, self->normal))
        self->repaired = TRUE;
      data = self->normal->str;
      len = self->normal->len;
      /* (a UTF-16 input's converted copy is no longer needed) */
      g_clear_pointer (&self->from_utf16, g_free);
    }

  /* The text to decode no longer lies in the bytes read. */
  if (self->normal != NULL || self->from_utf16 != NULL)
    g_clear_pointer (&self->bytes, g_bytes_unref);

  self->data = data;
  self->len = len;
  self->first = message_start (data, len);
  if (self->first != G_MAXSIZE)
    self->starts = split_mbox (data, len, self->first);
  self->options = make_parser_options ();

  self->whole = g_object_new (BOUNCE_TYPE_INPUT, NULL);
  self->whole->text = g_strdup ("");
  self->whole->is_message = self->first != G_MAXSIZE;
  self->whole->repaired = self->repaired;
  return g_steal_pointer (&self);
}

guint
bounce_input_reader_get_n_messages (BounceInputReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->starts != NULL ? self->starts->len / 2 : 1;
}

static gboolean
decode_all (BounceInput       *self,
            BounceInputReader *reader,
            GCancellable      *cancellable,
            GError           **error)
{
  const char *data = reader->data;
  gsize len = reader->len;
  g_autoptr(GString) out = g_string_sized_new (len + 64);
  Decoder dec = { 0, };
  gboolean ok = TRUE;

  dec.self = self;
  dec.out = out;
  dec.cancellable = cancellable;
  dec.options = reader->options;
  self->repaired = reader->repaired;

  if (reader->first == G_MAXSIZE)
    {
      /* A pasted fragment: the display text is the normalised input. */
      g_autofree char *text = NULL;
      gsize text_len;

      text = to_utf8 (data, len, NULL, &self->repaired, &text_len);
      {
        g_autoptr(GString) unquoted = dequote (text, text_len);

        if (unquoted != NULL)
          {
            g_free (text);
            text_len = unquoted->len;
            text = g_string_free (g_steal_pointer (&unquoted), FALSE);
          }
      }
      dec.msg = bounce_message_new ();
      g_ptr_array_add (self->messages, dec.msg);
      self->attached = inline_forwarded_message (text, text_len);

      if (find_original_marker (text, text_len) == G_MAXSIZE &&
          find_unmarked_original (text, text_len) == G_MAXSIZE)
        {
          g_string_append_len (out, text, text_len);
          add_segment (&dec, BOUNCE_SEGMENT_TEXT, 0, out->len);
          scan_text_for_dsn (&dec, 0, out->len);
        }
      else
        {
          append_notification_text (&dec, text, text_len);
        }
    }
  else
    {
      GArray *starts = reader->starts;

      self->is_message = TRUE;
      for (guint i = 0; i + 1 < starts->len; i += 2)
        {
          gsize s = g_array_index (starts, gsize, i);
          gsize e = g_array_index (starts, gsize, i + 1);

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              ok = FALSE;
              break;
            }

          dec.msg = bounce_message_new ();
          dec.index = self->messages->len;
          dec.number = dec.index;
          dec.have_real_dsn = FALSE;
          dec.marker_done = FALSE;
          g_ptr_array_add (self->messages, dec.msg);
          decode_message (&dec, data + s, e - s);
        }
    }

  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;

  if (self->segments->len > 0)
    {
      BounceSegment *last = g_ptr_array_index (self->segments, self->segments->len - 1);

      last->end = out->len;
    }

  self->length = out->len;
  self->text = g_string_free (g_steal_pointer (&out), FALSE);
  return ok;
}

BounceInput *
bounce_input_reader_decode_all (BounceInputReader  *self,
                                GCancellable       *cancellable,
                                GError            **error)
{
  g_autoptr(BounceInput) input = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->next == 0, NULL);

  input = g_object_new (BOUNCE_TYPE_INPUT, NULL);
  if (!decode_all (input, self, cancellable, error))
    return NULL;
  self->next = bounce_input_reader_get_n_messages (self);
  return g_steal_pointer (&input);
}

/* Decodes the next message into a Pending of its own. */
static void
decode_next (BounceInputReader *self)
{
  Pending *pending = g_new0 (Pending, 1);
  Pending *last = self->last_text;
  gsize s = g_array_index (self->starts, gsize, 2 * self->next);
  gsize e = g_array_index (self->starts, gsize, 2 * self->next + 1);
  Decoder dec = { 0, };

  pending->input = g_object_new (BOUNCE_TYPE_INPUT, NULL);
  pending->input->is_message = TRUE;
  pending->out = g_string_new (NULL);

  dec.self = pending->input;
  dec.out = pending->out;
  dec.options = self->options;
  dec.msg = bounce_message_new ();
  dec.index = 0;
  dec.number = self->next;
  if (last != NULL)
    {
      dec.prev_out = last->out;
      dec.prev_segments = last->input->segments;
    }
  g_ptr_array_add (pending->input->messages, dec.msg);
  decode_message (&dec, self->data + s, e - s);
  self->next++;

  if (pending->out->len > 0)
    {
      if (last != NULL)
        last->sealed = TRUE;
      self->last_text = pending;
    }
  g_queue_push_tail (&self->pending, pending);
}

static gboolean
pending_is_final (BounceInputReader *self,
                  Pending           *pending)
{
  return pending->out->len == 0 || pending->sealed ||
         self->next >= bounce_input_reader_get_n_messages (self);
}

BounceInput *
bounce_input_reader_next (BounceInputReader *self)
{
  Pending *pending;
  BounceInput *input;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->starts != NULL, NULL);

  while (g_queue_is_empty (&self->pending) ||
         !pending_is_final (self, g_queue_peek_head (&self->pending)))
    {
      if (self->next >= bounce_input_reader_get_n_messages (self))
        break;
      decode_next (self);
    }
  pending = g_queue_pop_head (&self->pending);
  if (pending == NULL)
    return NULL;
  if (self->last_text == pending)
    self->last_text = NULL;

  input = g_steal_pointer (&pending->input);
  if (input->segments->len > 0)
    {
      BounceSegment *last = g_ptr_array_index (input->segments, input->segments->len - 1);

      last->end = pending->out->len;
    }
  input->length = pending->out->len;
  input->text = g_string_free (g_steal_pointer (&pending->out), FALSE);
  pending_free (pending);

  if (input->repaired)
    self->whole->repaired = TRUE;
  return input;
}

BounceInput *
bounce_input_reader_get_whole (BounceInputReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->whole;
}

BounceInput *
bounce_input_new_from_bytes (GBytes        *bytes,
                             GCancellable  *cancellable,
                             GError       **error)
{
  BounceInputReader *reader;
  BounceInput *input;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reader = bounce_input_reader_new (bytes, error);
  if (reader == NULL)
    return NULL;
  input = bounce_input_reader_decode_all (reader, cancellable, error);
  bounce_input_reader_free (reader);
  return input;
}

BounceInput *
bounce_input_new_from_text (const char  *text,
                            gssize       length,
                            GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (text);
  bytes = g_bytes_new_static (text != NULL ? text : "", length);
  return bounce_input_new_from_bytes (bytes, NULL, error);
}

#define READ_CHUNK (256 * 1024)

/* The reading of bounce_input_read_stream(), into a buffer of room for
 * expected bytes and one more (to see the end without growing it), or of
 * READ_CHUNK when the size is not known (0): a buffer grown a chunk at a
 * time from the start was copied at each growth, which a batch of small
 * files paid once each. */
static GBytes *
read_stream (GInputStream  *stream,
             gsize          expected,
             GCancellable  *cancellable,
             GError       **error)
{
  gsize room = expected > 0 ? MIN (expected, BOUNCE_INPUT_MAX_SIZE) + 1 : READ_CHUNK;
  g_autofree guint8 *data = g_malloc (room);
  gsize size = 0;

  for (;;)
    {
      gssize n;

      if (size == room)
        {
          /* (one byte more than the limit is enough to know it is too much) */
          room = MIN (room + MAX (room, READ_CHUNK), BOUNCE_INPUT_MAX_SIZE + 1);
          data = g_realloc (data, room);
        }
      n = g_input_stream_read (stream, data + size, MIN (room - size, READ_CHUNK), cancellable, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      size += n;
      if (size > BOUNCE_INPUT_MAX_SIZE)
        {
          g_autofree char *limit = g_format_size_full (BOUNCE_INPUT_MAX_SIZE, G_FORMAT_SIZE_IEC_UNITS);

          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_TOO_LARGE,
                       _("The input is larger than the limit of %s"), limit);
          return NULL;
        }
    }

  return g_bytes_new_take (g_steal_pointer (&data), size);
}

GBytes *
bounce_input_read_stream (GInputStream  *stream,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return read_stream (stream, 0, cancellable, error);
}

GBytes *
bounce_input_read_file (GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  gsize expected = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  /* Only a regular file's size means anything; the read below enforces the
   * limit for every other kind. */
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                         G_FILE_ATTRIBUTE_STANDARD_TYPE, cancellable, NULL);
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
    {
      if (g_file_info_get_size (info) > BOUNCE_INPUT_MAX_SIZE)
        {
          g_propagate_error (error, too_large_error (g_file_info_get_size (info)));
          return NULL;
        }
      /* (a size only to make room for: a file that grows meanwhile is
       * still read to its end, and held to the limit) */
      expected = MAX (g_file_info_get_size (info), 0);
    }

  return read_stream (G_INPUT_STREAM (stream), expected, cancellable, error);
}

static void
read_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *bytes = bounce_input_read_file (G_FILE (task_data), cancellable, &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

void
bounce_input_read_file_async (GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bounce_input_read_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  /* A FIFO nobody writes to blocks its reader; cancelling must not wait. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, read_file_thread);
}

GBytes *
bounce_input_read_file_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bounce_input_read_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

BounceInput *
bounce_input_new_from_file (GFile         *file,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = bounce_input_read_file (file, cancellable, &local_error);
  if (bytes == NULL)
    {
      g_autofree char *name = NULL;

      if (local_error->domain == BOUNCE_ERROR ||
          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      name = g_file_get_parse_name (file);
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_READ,
                   _("Could not read “%s”: %s"), name, local_error->message);
      return NULL;
    }

  return bounce_input_new_from_bytes (bytes, cancellable, error);
}

const char *
bounce_input_get_text (BounceInput *self)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT (self), NULL);
  return self->text;
}

gsize
bounce_input_get_text_length (BounceInput *self)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT (self), 0);
  return self->length;
}

gboolean
bounce_input_get_repaired (BounceInput *self)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT (self), FALSE);
  return self->repaired;
}

gboolean
bounce_input_get_is_message (BounceInput *self)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT (self), FALSE);
  return self->is_message;
}

gboolean
bounce_input_get_transfer_encoded (BounceInput *self)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT (self), FALSE);
  return self->transfer_encoded;
}

GBytes *
bounce_input_get_attached_message (BounceInput *self)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT (self), NULL);
  return self->attached;
}

GPtrArray *
bounce_input_get_segments (BounceInput *self)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT (self), NULL);
  return self->segments;
}

GPtrArray *
bounce_input_get_messages (BounceInput *self)
{
  g_return_val_if_fail (BOUNCE_IS_INPUT (self), NULL);
  return self->messages;
}

void
bounce_input_append_notification (BounceInput *self,
                                  guint        seg_begin,
                                  guint        seg_end,
                                  gsize        limit,
                                  GString     *out)
{
  g_return_if_fail (BOUNCE_IS_INPUT (self));
  g_return_if_fail (out != NULL);

  for (guint i = seg_begin; i < MIN (seg_end, self->segments->len); i++)
    {
      BounceSegment *seg = self->segments->pdata[i];
      gsize room = limit - MIN (out->len, limit);

      if (seg->kind != BOUNCE_SEGMENT_TEXT && seg->kind != BOUNCE_SEGMENT_DELIVERY_STATUS)
        continue;
      g_string_append_len (out, self->text + seg->start,
                           bounce_utf8_cut (self->text + seg->start, MIN (seg->end - seg->start, room)));
      g_string_append_c (out, '\n');
    }
}

GString *
bounce_input_collect_notification (BounceInput *self,
                                   guint        seg_begin,
                                   guint        seg_end,
                                   gsize        limit)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (BOUNCE_IS_INPUT (self), out);

  bounce_input_append_notification (self, seg_begin, seg_end, limit, out);
  return out;
}
