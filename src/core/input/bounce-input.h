/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Inputs larger than this are refused with BOUNCE_ERROR_TOO_LARGE. */
#define BOUNCE_INPUT_MAX_SIZE (64 * 1024 * 1024)

/* A report keeps at most this many recipients (a DSN may list hundreds of
 * thousands, each costing time and memory); it says when it cut the list. */
#define BOUNCE_MAX_RECIPIENTS 10000

/* What a stretch of the display text is. */
typedef enum {
  BOUNCE_SEGMENT_HEADERS,           /* header block of a bounce (or of the pasted message) */
  BOUNCE_SEGMENT_TEXT,              /* human-readable notification text */
  BOUNCE_SEGMENT_DELIVERY_STATUS,   /* message/delivery-status or message/global-delivery-status */
  BOUNCE_SEGMENT_FEEDBACK_REPORT,   /* message/feedback-report (RFC 5965) */
  BOUNCE_SEGMENT_ORIGINAL_HEADERS,  /* headers of the returned original message */
  BOUNCE_SEGMENT_ORIGINAL_BODY,     /* body of the returned original message */
} BounceSegmentKind;

typedef struct {
  BounceSegmentKind kind;
  guint message_index;  /* which message of an mbox (0 for a single message) */
  gsize start;          /* byte offsets into the display text */
  gsize end;
} BounceSegment;

/* One header field (unfolded, value decoded from RFC 2047 to UTF-8). */
typedef struct {
  char *name;
  char *value;
} BounceField;

/* A group of "Name: value" lines from a delivery-status or feedback-report part. */
typedef struct {
  GPtrArray *fields;    /* BounceField */
  guint message_index;
  gsize start;          /* byte range of the group in the display text */
  gsize end;
} BounceFieldGroup;

/* One message of the input (an mbox gives several). */
typedef struct {
  GPtrArray *headers;          /* BounceField: top-level headers, decoded */
  GPtrArray *dsn_groups;       /* BounceFieldGroup: first is per-message, then per-recipient */
  GPtrArray *feedback_fields;  /* BounceField, from message/feedback-report, or NULL */
  GPtrArray *original_headers; /* BounceField of the returned message, or NULL */
  char *content_type;          /* "multipart/report; report-type=..." mime type only, lower case */
  char *report_type;           /* report-type parameter, lower case, or NULL */
  gboolean dsn_truncated;      /* dsn_groups stop at BOUNCE_MAX_RECIPIENTS: the report lists more */
} BounceMessage;

#define BOUNCE_TYPE_INPUT (bounce_input_get_type ())
G_DECLARE_FINAL_TYPE (BounceInput, bounce_input, BOUNCE, INPUT, GObject)

BounceInput  *bounce_input_new_from_bytes      (GBytes        *bytes,
                                                GCancellable  *cancellable,
                                                GError       **error);
BounceInput  *bounce_input_new_from_text       (const char    *text,
                                                gssize         length,
                                                GError       **error);
/* Reads a whole stream in chunks and stops with BOUNCE_ERROR_TOO_LARGE as
 * soon as it holds more than BOUNCE_INPUT_MAX_SIZE bytes, so a source that
 * never ends (a device, a pipe, a FIFO, a growing file) is never buffered
 * whole.  Read errors are the stream's own (G_IO_ERROR). */
GBytes       *bounce_input_read_stream         (GInputStream  *stream,
                                                GCancellable  *cancellable,
                                                GError       **error);
/* The same for a file of any type: a regular file bigger than the limit is
 * refused before it is read.  Errors opening it are G_IO_ERROR. */
GBytes       *bounce_input_read_file           (GFile         *file,
                                                GCancellable  *cancellable,
                                                GError       **error);
/* bounce_input_read_file() on a worker thread; the callback runs in the
 * caller's thread-default main context. */
void          bounce_input_read_file_async     (GFile               *file,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GBytes       *bounce_input_read_file_finish    (GAsyncResult        *result,
                                                GError             **error);

/* An input read one message at a time.  bounce_input_new_from_bytes()
 * decodes a whole mbox into one BounceInput; a reader hands out each of its
 * messages as an input of its own (its one message, its segments and its
 * text, which is exactly that message's part of the whole input's text, the
 * blank line that follows it included), so that only the message being
 * looked at is held decoded.  The reader keeps the bytes it reads from. */
typedef struct _BounceInputReader BounceInputReader;

/* Checks and prepares bytes as bounce_input_new_from_bytes() does (with the
 * same errors), without decoding them yet. */
BounceInputReader *bounce_input_reader_new      (GBytes             *bytes,
                                                 GError            **error);
void          bounce_input_reader_free          (BounceInputReader  *self);
/* How many messages the input holds: those of an mbox, else 1. */
guint         bounce_input_reader_get_n_messages (BounceInputReader *self);
/* Decodes the whole input, as bounce_input_new_from_bytes() does; only
 * before any message was read. */
BounceInput  *bounce_input_reader_decode_all    (BounceInputReader  *self,
                                                 GCancellable       *cancellable,
                                                 GError            **error);
/* The next message of an mbox, decoded, or NULL after the last.  Its
 * message index (in its segments, its field groups and for
 * bounce_layout_doc_new()) is 0.  Only for an input of messages
 * (bounce_input_reader_get_n_messages() tells how many). */
BounceInput  *bounce_input_reader_next          (BounceInputReader  *self);
/* The whole input without its text, segments or messages: whether it is a
 * message and whether any message read so far was repaired.  What the
 * report of the whole input refers to. */
BounceInput  *bounce_input_reader_get_whole     (BounceInputReader  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceInputReader, bounce_input_reader_free)

/* Reads a file (or "-" for standard input is the caller's job) and decodes it. */
BounceInput  *bounce_input_new_from_file       (GFile         *file,
                                                GCancellable  *cancellable,
                                                GError       **error);

/* The decoded text shown to the user, UTF-8, LF line endings.  All offsets in
 * reports refer to this text. */
const char   *bounce_input_get_text            (BounceInput   *self);
gsize         bounce_input_get_text_length     (BounceInput   *self);
/* The input had invalid UTF-8 (or a legacy charset without a label) that was repaired. */
gboolean      bounce_input_get_repaired        (BounceInput   *self);
/* The input looked like an RFC 5322 message (headers) rather than a pasted fragment. */
gboolean      bounce_input_get_is_message      (BounceInput   *self);
/* A part of the message itself (not of a returned original) was sent
 * base64 or quoted-printable encoded, so its raw text reads differently. */
gboolean      bounce_input_get_transfer_encoded (BounceInput  *self);
/* The first message attached (message/rfc822) to the input's message when
 * that message is not a report (not multipart/report), as bytes; or NULL.
 * A bounce forwarded as an attachment arrives this way. */
GBytes       *bounce_input_get_attached_message (BounceInput *self);
GPtrArray    *bounce_input_get_segments        (BounceInput   *self);  /* BounceSegment, in order */
GPtrArray    *bounce_input_get_messages        (BounceInput   *self);  /* BounceMessage, in order */

/* A header's raw value as GMime's g_mime_header_get_value() gives it
 * (unfolded: its line breaks dropped, the white space at its ends trimmed)
 * when it is printable ASCII without an encoded word (RFC 2047 "=?"),
 * which GMime's decoder leaves as it is; otherwise NULL. */
char             *bounce_input_plain_header_value (const char *raw);

/* Fields and groups of fields, as the decoder makes them (the name and value
 * are copied and made valid UTF-8). */
BounceField      *bounce_field_new             (const char    *name,
                                                const char    *value);
void              bounce_field_free            (gpointer       field);
/* A group whose fields array frees its fields. */
BounceFieldGroup *bounce_field_group_new       (void);
void              bounce_field_group_free      (gpointer       group);

/* The notification text of segments [seg_begin, seg_end): the human text and
 * the delivery-status parts, each followed by a newline, at most limit
 * bytes of each and never ending inside a character. */
GString          *bounce_input_collect_notification (BounceInput *self,
                                                     guint        seg_begin,
                                                     guint        seg_end,
                                                     gsize        limit);
/* The same appended to out, whose length counts towards limit (the
 * notification of an input read message by message, made as that of the
 * whole input would be). */
void              bounce_input_append_notification  (BounceInput *self,
                                                     guint        seg_begin,
                                                     guint        seg_end,
                                                     gsize        limit,
                                                     GString     *out);

/* Case-insensitive lookup in a BounceField array; NULL when absent. */
const char   *bounce_fields_lookup             (GPtrArray     *fields,
                                                const char    *name);

G_END_DECLS
