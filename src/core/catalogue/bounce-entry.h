/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "bounce-compiled.h"
#include "bounce-literal.h"
#include "bounce-outcome.h"
#include "bounce-dns-info.h"

G_BEGIN_DECLS

typedef enum {
  BOUNCE_ENTRY_CLASS,      /* 2, 4, 5: the first digit of an enhanced code */
  BOUNCE_ENTRY_SUBJECT,    /* X.1.X ... X.7.X */
  BOUNCE_ENTRY_ENHANCED,   /* 5.1.1 or X.1.1, optionally scoped to a provider */
  BOUNCE_ENTRY_REPLY,      /* 550 */
  BOUNCE_ENTRY_RULE,       /* a GRegex over the diagnostic text, optionally scoped */
  BOUNCE_ENTRY_REASON,     /* one of the 34 reason names */
  BOUNCE_ENTRY_BLOCKLIST,  /* a DNS blocklist or reputation service */
  BOUNCE_ENTRY_PROVIDER,   /* a mail provider or server software */
  BOUNCE_ENTRY_PHRASES,    /* literal phrases servers write for one reason, explained by the
                            * reason's own entry */
} BounceEntryKind;

/* The largest "priority" (and scoped_rule_bonus) a catalogue may give:
 * far beyond any in use, small enough that sums of them stay in an int. */
#define BOUNCE_ENTRY_PRIORITY_MAX 1000000

/* Tri-state for temporary/permanent. */
typedef enum {
  BOUNCE_PERMANENCE_UNKNOWN,
  BOUNCE_PERMANENCE_TEMPORARY,
  BOUNCE_PERMANENCE_PERMANENT,
} BouncePermanence;

/* What is known about one recipient when choosing the steps to show.  A
 * catalogue step may apply only to some cases (see docs/catalogue-format.md):
 * to words in the server's reply, to what a rule read in them, to a
 * delivery still being tried or given up, to a temporary or permanent
 * code. */
typedef struct {
  const char       *reply;       /* the server's reply, or NULL when it gave none */
  BounceOutcome     outcome;     /* bounce_recipient_get_outcome(); NONE: not known */
  BouncePermanence  permanence;
  GPtrArray        *said;        /* (element-type BounceEntry) the entries that read
                                  * the reply, or NULL when not known */
  gboolean          not_sent;    /* a mail program's send error: the message never left it */
} BounceStepContext;

/* A step chosen for a reader. */
typedef struct {
  const char *text;        /* translated */
  const char *condition;   /* translated "If ..." when the facts cannot tell
                            * whether the step applies, else NULL */
} BounceStep;

/* How much a rule's wording says on its own (the "strength" field). */
typedef enum {
  BOUNCE_RULE_WEAK,      /* broad wording: a precise status code says more, and its reason is
                          * refined by the SMTP stage */
  BOUNCE_RULE_GENERIC,   /* wording any server may write at any stage: refined by the stage */
  BOUNCE_RULE_DEFINITE,  /* a statement that means what it says whenever it is made */
} BounceRuleStrength;

typedef struct {
  char *title;     /* translated */
  char *url;       /* https URL template with {ip} or {domain}, or a plain https URL */
} BounceEntryLink;

#define BOUNCE_TYPE_ENTRY (bounce_entry_get_type ())
G_DECLARE_FINAL_TYPE (BounceEntry, bounce_entry, BOUNCE, ENTRY, GObject)

/* Parses one catalogue object; validates it (known kind and reason, https
 * URLs, compiling pattern).  Errors use BOUNCE_ERROR_CATALOGUE. */
BounceEntry      *bounce_entry_new_from_json    (JsonObject   *object,
                                                 GError      **error);
typedef enum {
  BOUNCE_ENTRY_FLAGS_NONE = 0,
  /* the pattern compiled when first used instead of checked now (the
   * catalogue's loading: most rules are never tried, see
   * bounce_catalogue_match_rules()) */
  BOUNCE_ENTRY_LAZY_PATTERN = 1 << 0,
} BounceEntryFlags;
BounceEntry      *bounce_entry_new_from_json_full (JsonObject     *object,
                                                   BounceEntryFlags flags,
                                                   GError        **error);

const char       *bounce_entry_get_id           (BounceEntry  *self);
BounceEntryKind   bounce_entry_get_kind         (BounceEntry  *self);
const char       *bounce_entry_kind_to_string   (BounceEntryKind kind);
/* The code it explains ("5.1.1", "X.1.1", "550", "5", "1"), the reason name
 * for reasons, NULL for rules. */
const char       *bounce_entry_get_code         (BounceEntry  *self);
const char       *bounce_entry_get_provider     (BounceEntry  *self);  /* provider id scope or NULL */
/* For a provider that is part of another (Yahoo's inbound servers within
 * Yahoo): the other's code, whose scoped entries apply to it too; or NULL. */
const char       *bounce_entry_get_within       (BounceEntry  *self);
/* All text getters return translated strings (g_dgettext). */
const char       *bounce_entry_get_title        (BounceEntry  *self);
const char       *bounce_entry_get_explanation  (BounceEntry  *self);
/* Every step, whatever case it applies to, translated; NULL-terminated;
 * never NULL (may be empty).  For search and lists of texts: a reader gets
 * bounce_entry_select_steps(). */
const char * const *bounce_entry_get_sender_steps (BounceEntry *self);
const char * const *bounce_entry_get_admin_steps  (BounceEntry *self);
/* The sender's (admin FALSE) or administrator's steps that apply, in
 * catalogue order, as BounceStep (the array owns them; the strings belong
 * to the entry).  context NULL means nothing is known (the catalogue
 * browser): then every step is returned, the conditional ones with their
 * condition. */
GPtrArray        *bounce_entry_select_steps     (BounceEntry             *self,
                                                 gboolean                 admin,
                                                 const BounceStepContext *context);
/* "If ...: text" for a step with a condition, else its text; newly allocated. */
char             *bounce_step_to_string         (const BounceStep  *step);
const char       *bounce_entry_get_reason       (BounceEntry  *self);  /* or NULL */
/* Rules: the reason once the sender has given up on this condition, or NULL. */
const char       *bounce_entry_get_final_reason (BounceEntry  *self);
BouncePermanence  bounce_entry_get_permanence   (BounceEntry  *self);
const char       *bounce_entry_get_source_url   (BounceEntry  *self);  /* or NULL */
GPtrArray        *bounce_entry_get_links        (BounceEntry  *self);  /* BounceEntryLink */
int               bounce_entry_get_priority     (BounceEntry  *self);
BounceRuleStrength bounce_entry_get_strength    (BounceEntry  *self);
/* "weak", "generic", "definite": the names of BounceRuleStrength, in order. */
const char * const *bounce_entry_strength_names (void);
/* Providers: the pattern of their own codes ("TSS04"), or NULL. */
/* The pattern as the catalogue writes it (rules, providers, blocklists). */
const char       *bounce_entry_get_pattern      (BounceEntry  *self);
const char       *bounce_entry_get_tokens       (BounceEntry  *self);
/* Rules and blocklists and providers: the compiled pattern, else NULL. */
GRegex           *bounce_entry_get_regex        (BounceEntry  *self);
/* The same, but never made ready for the JIT by this call (a use does not
 * count towards it): for short texts such as a search query, where
 * compiling for the JIT costs far more than it saves. */
GRegex           *bounce_entry_get_plain_regex  (BounceEntry  *self);
/* Whether the pattern can match a text, folded by bounce_literal_fold():
 * FALSE when none of the words its every match holds is in it (as the
 * catalogue's prefilter finds the rules to try, bounce-prefilter.h). */
gboolean          bounce_entry_may_match        (BounceEntry  *self,
                                                 const char   *folded);
const char * const *bounce_entry_get_examples   (BounceEntry  *self);  /* rules; never NULL */
/* Blocklists. */
const char * const *bounce_entry_get_zones      (BounceEntry  *self);  /* never NULL */
const char       *bounce_entry_get_lookup_ip    (BounceEntry  *self);  /* template with {ip} or NULL */
const char       *bounce_entry_get_lookup_domain (BounceEntry *self);  /* template with {domain} or NULL */
const char       *bounce_entry_get_delist_url   (BounceEntry  *self);
gboolean          bounce_entry_get_closed       (BounceEntry  *self);  /* list no longer operates */
const char       *bounce_entry_get_closed_date  (BounceEntry  *self);  /* ISO date or NULL */
gboolean          bounce_entry_get_multi        (BounceEntry  *self);  /* a multi-list checker */
/* Phrases entries: their phrases (BounceLiteral), never NULL; and whether
 * one of its "unless" phrases is in folded text (bounce_literal_fold()). */
GPtrArray        *bounce_entry_get_phrases      (BounceEntry  *self);
gboolean          bounce_entry_phrases_ruled_out (BounceEntry *self,
                                                 const char   *folded,
                                                 gsize         len);
/* The entry whose text explains this one (a phrases entry's reason entry),
 * set by the catalogue once every file is loaded; or NULL. */
void              bounce_entry_set_explained_by (BounceEntry  *self,
                                                 BounceEntry  *explanation);
/* How to ask the list over DNS, or NULL (not a DNS list, or closed). */
const BounceDnsInfo *bounce_entry_get_dns       (BounceEntry  *self);
/* The entry as a record of a compiled catalogue (texts untranslated), and
 * an entry read from one (NULL when it is not one).  The checks are those of
 * bounce_entry_new_from_json(), made when the catalogue was compiled; an
 * entry's "explained by" is set by its catalogue. */
void              bounce_entry_write            (BounceEntry        *self,
                                                 GArray             *record,
                                                 BounceStringPool   *pool);
/* owner holds the record's numbers and strings (the entry keeps a
 * reference: its phrases are read when first asked for). */
BounceEntry      *bounce_entry_read             (BounceRecordReader *reader,
                                                 GVariant           *owner);
/* The untranslated strings, for the POT generator and tests. */
GPtrArray        *bounce_entry_get_msgids       (BounceEntry  *self);


G_END_DECLS
