/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "bounce-catalogue.h"
#include "bounce-extract.h"
#include "bounce-input.h"
#include "bounce-json-writer.h"
#include "bounce-links.h"
#include "bounce-outcome.h"
#include "bounce-recipient.h"

G_BEGIN_DECLS

/* What kind of message the input was. */
typedef enum {
  BOUNCE_KIND_NOT_BOUNCE,   /* an ordinary message, or nothing recognisable */
  BOUNCE_KIND_FAILURE,      /* at least one recipient failed permanently or temporarily */
  BOUNCE_KIND_DELAY,        /* only delays: the server is still trying */
  BOUNCE_KIND_AUTOREPLY,    /* out of office / vacation (RFC 3834) */
  BOUNCE_KIND_DELIVERED,    /* success report */
  BOUNCE_KIND_FEEDBACK,     /* abuse / feedback-loop report (RFC 5965 ARF) */
  BOUNCE_KIND_CHALLENGE,    /* challenge-response or sender-verification request (Boxbe, BoxTrapper) */
  BOUNCE_KIND_READ_RECEIPT, /* read receipt (RFC 8098 message disposition notification) */
} BounceKind;

/* What the analysis had to cut short, so that it can say so. */
typedef enum {
  BOUNCE_TRUNCATED_NONE       = 0,
  BOUNCE_TRUNCATED_RECIPIENTS = 1 << 0,  /* more recipients than the report lists */
  BOUNCE_TRUNCATED_CODES      = 1 << 1,  /* codes and addresses past the first 50,000 were not read */
} BounceTruncated;

#define BOUNCE_TYPE_REPORT (bounce_report_get_type ())
G_DECLARE_FINAL_TYPE (BounceReport, bounce_report, BOUNCE, REPORT, GObject)

BounceReport *bounce_report_new                 (BounceInput  *input,
                                                 const char   *source);

BounceInput  *bounce_report_get_input           (BounceReport *self);
const char   *bounce_report_get_source          (BounceReport *self);
const char   *bounce_report_get_text            (BounceReport *self);  /* = the input's display text */
BounceKind    bounce_report_get_kind            (BounceReport *self);
void          bounce_report_set_kind            (BounceReport *self, BounceKind kind);
gboolean      bounce_report_get_is_bounce       (BounceReport *self);  /* FAILURE or DELAY */
const char   *bounce_report_get_feedback_type   (BounceReport *self);
void          bounce_report_set_feedback_type   (BounceReport *self, const char *value);
/* A bounce for a message the user never sent: the returned message shows
 * that someone else used the user's address as its sender (backscatter). */
gboolean      bounce_report_get_backscatter     (BounceReport *self);
void          bounce_report_set_backscatter     (BounceReport *self, gboolean value);
/* Not a bounce but a mail program's send error (Thunderbird's "Sending of
 * the message failed", Outlook's "reported error (0x800CCC78)"): the
 * user's outgoing server refused the message, so it was never sent (a
 * recipient of it is bounce_recipient_get_not_sent()). */
gboolean      bounce_report_get_send_error      (BounceReport *self);
/* For a send error, what it means for the user in one translated paragraph
 * (the message is still in the mail program; send it again when...);
 * NULL for anything else. */
char         *bounce_report_describe_send_error (BounceReport *self);
/* For a feedback report that is no complaint (its type other than
 * "abuse": a DMARC failure report, an unsubscribe request, ...), its
 * translated headline and what it means; NULL for a complaint or any
 * other report. */
const char   *bounce_report_feedback_headline   (BounceReport *self);
char         *bounce_report_describe_feedback   (BounceReport *self);
/* What the message is, in one translated sentence: "This is an automatic
 * reply, not a bounce: the message was delivered." */
char         *bounce_report_describe            (BounceReport *self);
/* The reporting side of a bounce or report; NULL for other messages. */
const char   *bounce_report_get_provider        (BounceReport *self);
void          bounce_report_set_provider        (BounceReport *self, const char *value);
GListModel   *bounce_report_get_recipients      (BounceReport *self);  /* BounceRecipient */
void          bounce_report_add_recipient       (BounceReport *self, BounceRecipient *recipient);
GPtrArray    *bounce_report_get_findings        (BounceReport *self);  /* BounceFinding, by offset */
GPtrArray    *bounce_report_get_codes           (BounceReport *self);  /* the code findings only */
GPtrArray    *bounce_report_get_ips             (BounceReport *self);  /* strings: public IPs to check */
GPtrArray    *bounce_report_get_domains         (BounceReport *self);  /* strings: domains to check */
GPtrArray    *bounce_report_get_blocklists      (BounceReport *self);  /* BounceEntry named in the text */
GPtrArray    *bounce_report_get_links           (BounceReport *self);  /* BounceLink */
/* The verdict (bounce-outcome.c): what became of the message, the recipient
 * it is about (the first of those with the report's outcome; NULL when
 * there are no recipients) and the entry whose title is its headline. */
BounceOutcome    bounce_report_get_outcome        (BounceReport *self);
BounceRecipient *bounce_report_get_main_recipient (BounceReport *self);
BounceEntry     *bounce_report_get_verdict        (BounceReport *self);  /* or NULL */
void             bounce_report_set_verdict        (BounceReport *self, BounceEntry *entry);
/* Decides the report's kind, outcome, main recipient and verdict from its
 * recipients (the engine calls it once they are all in). */
void             bounce_report_decide_verdict     (BounceReport *self, BounceCatalogue *catalogue);
void             bounce_report_set_outcome        (BounceReport *self, BounceOutcome outcome,
                                                   BounceRecipient *main_recipient);

/* What became of one recipient's message. */
BounceOutcome    bounce_recipient_get_outcome     (BounceRecipient *recipient);

/* An input of several messages (an mbox): a report of each message's own,
 * in order (an empty list for a single message).  The whole input's report
 * lists each recipient once; a message's report lists its own. */
GListModel   *bounce_report_get_message_reports (BounceReport *self);  /* BounceReport */
void          bounce_report_add_message_report  (BounceReport *self, BounceReport *message_report);
/* An input read message by message (bounce_analyze_bytes_by_message()):
 * the whole input's report keeps, in place of each message's report, what
 * its JSON lists of it ("messages"). */
typedef struct {
  const char *address;
  const char *status;
  const char *reason;
  BounceOutcome outcome;
  gboolean hard_bounce;
} BounceSummaryRecipient;

typedef struct {
  guint index;
  const char *date;
  const char *subject;
  BounceKind kind;
  const char *provider;
  BounceOutcome outcome;
  guint first_recipient;  /* (for bounce_report_get_summary_recipient()) */
  guint n_recipients;
} BounceMessageSummary;

void          bounce_report_add_message_summary   (BounceReport *self, BounceReport *message_report);
guint         bounce_report_get_n_message_summaries (BounceReport *self);
/* Valid until the next summary is added. */
const BounceMessageSummary *bounce_report_get_message_summary (BounceReport *self, guint index);
const BounceSummaryRecipient *bounce_report_get_summary_recipient (BounceReport               *self,
                                                                    const BounceMessageSummary *message,
                                                                    guint                       index);
/* Which message of the input a message's report is about (0 for the
 * first), with its Subject and Date as written, or NULL. */
void          bounce_report_set_message         (BounceReport *self, guint index, BounceMessage *message);
guint         bounce_report_get_message_index   (BounceReport *self);
const char   *bounce_report_get_subject         (BounceReport *self);
const char   *bounce_report_get_date            (BounceReport *self);
/* That Date as Unix time (RFC 5322 date-time, read by GMime), or G_MININT64
 * when the message has none or it cannot be read. */
gint64        bounce_report_get_time            (BounceReport *self);
BounceTruncated bounce_report_get_truncated     (BounceReport *self);
void          bounce_report_add_truncated       (BounceReport *self, BounceTruncated what);

/* Output.  The write_ functions hand the output on in pieces as they go, a
 * recipient at a time, so that printing a report of any size needs no more
 * memory than printing a small one; the to_ functions return it whole. */
char         *bounce_report_to_json             (BounceReport *self,
                                                 gboolean      pretty);
JsonNode     *bounce_report_to_json_node        (BounceReport *self);
/* The JSON object, with one more member at its end when extra_member and
 * extra_value are given (bounce-explain's "blocklist_check"). */
void          bounce_report_write_json          (BounceReport     *self,
                                                 BounceJsonWriter *json,
                                                 const char       *extra_member,
                                                 JsonNode         *extra_value);
/* A readable, translated report (bounce-explain's default output). */
char         *bounce_report_to_text             (BounceReport *self);
void          bounce_report_write_text          (BounceReport    *self,
                                                 BounceWriteFunc  write,
                                                 gpointer         user_data);
/* A ticket-ready plain-text summary (the window's Copy summary). */
char         *bounce_report_to_summary          (BounceReport *self);
/* CSV (RFC 4180), one row per recipient of each message: for cleaning a
 * mailing list.  With header, the first line names the columns. */
char         *bounce_report_to_csv              (BounceReport *self,
                                                 gboolean      header);

G_END_DECLS
