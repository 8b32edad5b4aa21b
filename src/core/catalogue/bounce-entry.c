/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bounce-entry.h"
#include "bounce-reason.h"
#include "bounce-error.h"
#include "bounce-extract.h"
#include "bounce-json.h"
#include "bounce-literal.h"
#include "bounce-prefilter.h"

/* The "state" a step applies to: a delivery still being tried, or one the
 * sending server has stopped trying (BounceOutcome DELAYED, or UNKNOWN,
 * GAVE_UP and PERMANENT). */
typedef enum {
  STEP_STATE_ANY,
  STEP_STATE_DELAYED,
  STEP_STATE_FAILED,
} StepState;

/* One step of a sender or admin list, and the case it applies to. */
typedef struct {
  char *text;
  char *label;                 /* "case": how to say the condition, or NULL */
  StepState state;
  BouncePermanence klass;      /* UNKNOWN: any */
  char *words_source;          /* the server's reply must match, or NULL */
  GRegex *words;               /* words_source compiled, when first matched */
  gboolean otherwise;          /* applies when no words step of its list does */
  char *said;                  /* a reason one of the recipient's rules read in
                                * the server's words, or NULL */
  gboolean sent;               /* applies only to a message that was sent: not to a
                                * mail program's send error (BounceStepContext.not_sent) */
} StepDef;

static void
step_def_free (StepDef *def)
{
  g_free (def->text);
  g_free (def->label);
  g_free (def->words_source);
  g_clear_pointer (&def->words, g_regex_unref);
  g_free (def->said);
  g_free (def);
}

struct _BounceEntry
{
  GObject parent_instance;

  char *id;
  BounceEntryKind kind;
  char *code;
  char *provider;
  char *within;
  char *title;
  char *explanation;
  GStrv sender;          /* every step's text */
  GStrv admin;
  GPtrArray *sender_defs; /* StepDef, in the same order */
  GPtrArray *admin_defs;
  char *reason;
  char *final_reason;
  BouncePermanence permanence;
  char *source_url;
  GPtrArray *links;
  GPtrArray *link_titles;  /* the links' titles untranslated (char *) */
  int priority;
  BounceRuleStrength strength;
  char *pattern;         /* a rule's, a provider's or a blocklist's */
  GRegex *regex;         /* the pattern compiled, without JIT: when first used
                          * (or at load, by bounce_entry_new_from_json()) */
  GRegex *regex_jit;     /* the same pattern JIT-compiled once the entry is hot */
  char *tokens;          /* providers: the shapes of their own codes, a pattern */
  int uses;
  int bad_pattern;       /* the lazy compile failed (and said so once) */
  GPtrArray *needs;      /* the words every match holds one of, folded
                          * (bounce_prefilter_words()), when first asked;
                          * empty when not known */
  GStrv examples;
  GStrv zones;
  char *lookup_ip;
  char *lookup_domain;
  char *delist_url;
  gboolean closed;
  char *closed_date;
  gboolean multi;
  GPtrArray *phrases;    /* phrases entries: BounceLiteral (read when first
                          * asked for from a compiled catalogue's record:
                          * bounce_entry_get_phrases()) */
  GPtrArray *unless;     /* ... and the phrases that rule the reason out */
  /* where a compiled entry's phrases are in its record, and what holds it */
  const guint32 *phrases_at;
  const guint32 *record_end;
  BounceStringTable strings;
  GVariant *record_owner;
  BounceEntry *explained_by;  /* (unowned) the reason entry that explains a phrases entry */
  BounceDnsInfo *dns;

  /* translated copies, made on first use */
  GStrv sender_tr;
  GStrv admin_tr;
};

G_DEFINE_FINAL_TYPE (BounceEntry, bounce_entry, G_TYPE_OBJECT)

static const char * const kind_names[] = {
  "class", "subject", "enhanced", "reply", "rule", "reason", "blocklist", "provider", "phrases", NULL
};

const char *
bounce_entry_kind_to_string (BounceEntryKind kind)
{
  g_return_val_if_fail (kind <= BOUNCE_ENTRY_PHRASES, NULL);
  return kind_names[kind];
}

static void
bounce_link_entry_free (BounceEntryLink *link)
{
  g_free (link->title);
  g_free (link->url);
  g_free (link);
}

static void
bounce_entry_finalize (GObject *object)
{
  BounceEntry *self = (BounceEntry *)object;

  g_free (self->id);
  g_free (self->code);
  g_free (self->provider);
  g_free (self->within);
  g_free (self->tokens);
  g_free (self->title);
  g_free (self->explanation);
  g_strfreev (self->sender);
  g_strfreev (self->admin);
  g_clear_pointer (&self->sender_defs, g_ptr_array_unref);
  g_clear_pointer (&self->admin_defs, g_ptr_array_unref);
  g_free (self->reason);
  g_free (self->final_reason);
  g_free (self->source_url);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_clear_pointer (&self->link_titles, g_ptr_array_unref);
  g_clear_pointer (&self->phrases, g_ptr_array_unref);
  g_clear_pointer (&self->unless, g_ptr_array_unref);
  g_clear_pointer (&self->record_owner, g_variant_unref);
  g_free (self->pattern);
  g_clear_pointer (&self->regex, g_regex_unref);
  g_clear_pointer (&self->regex_jit, g_regex_unref);
  g_clear_pointer (&self->needs, g_ptr_array_unref);
  g_strfreev (self->examples);
  g_strfreev (self->zones);
  g_free (self->lookup_ip);
  g_free (self->lookup_domain);
  g_free (self->delist_url);
  g_free (self->closed_date);
  g_clear_pointer (&self->dns, bounce_dns_info_free);
  g_free (self->sender_tr);  /* shallow: the strings belong to gettext or to sender */
  g_free (self->admin_tr);

  G_OBJECT_CLASS (bounce_entry_parent_class)->finalize (object);
}

static void
bounce_entry_class_init (BounceEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bounce_entry_finalize;
}

static void
bounce_entry_init (BounceEntry *self)
{
  self->links = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_link_entry_free);
  self->link_titles = g_ptr_array_new_with_free_func (g_free);
  self->phrases = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_literal_free);
  self->unless = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_literal_free);
  self->sender_defs = g_ptr_array_new_with_free_func ((GDestroyNotify) step_def_free);
  self->admin_defs = g_ptr_array_new_with_free_func ((GDestroyNotify) step_def_free);
}

static const char *
translate (const char *msgid)
{
  if (msgid == NULL || *msgid == '\0')
    return msgid;
  return g_dgettext (GETTEXT_PACKAGE, msgid);
}

static gboolean
is_https_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *probe = NULL;

  if (url == NULL || !g_str_has_prefix (url, "https://"))
    return FALSE;
  /* Templates carry {ip}/{domain}: check them with a harmless value. */
  probe = g_strdup (url);
  {
    g_autoptr(GString) s = g_string_new (probe);
    g_string_replace (s, "{ip}", "192.0.2.1", 0);
    g_string_replace (s, "{domain}", "example.com", 0);
    uri = g_uri_parse (s->str, G_URI_FLAGS_NONE, NULL);
  }
  return uri != NULL && g_strcmp0 (g_uri_get_scheme (uri), "https") == 0;
}

static gboolean
get_string (JsonObject  *object,
            const char  *member,
            gboolean     required,
            char       **out,
            const char  *id,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "Catalogue entry “%s” has no “%s”", id ? id : "?", member);
          return FALSE;
        }
      return TRUE;
    }
  value = bounce_json_string (node);
  if (value == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s”: “%s” must be a string", id ? id : "?", member);
      return FALSE;
    }
  *out = g_strdup (value);
  return TRUE;
}

static gboolean
get_strv (JsonObject  *object,
          const char  *member,
          GStrv       *out,
          const char  *id,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array = bounce_json_array (node);

      if (array == NULL)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "Catalogue entry “%s”: “%s” must be an array of strings", id, member);
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *item = bounce_json_string (json_array_get_element (array, i));

          if (item == NULL)
            {
              g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                           "Catalogue entry “%s”: “%s” must be an array of strings", id, member);
              return FALSE;
            }
          g_strv_builder_add (builder, item);
        }
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static const char * const step_keys[] = {
  "text", "case", "state", "class", "words", "otherwise", "said", "sent", NULL
};

/* A step is a string, or an object: { "text", "case", and one or more of
 * "state" (delayed, failed), "class" (temporary, permanent), "words" (a
 * pattern over the server's reply), "otherwise" (true: when no "words"
 * step of the list applies), "said" (a reason: when one of the rules that
 * read the recipient's reply gives that reason, whatever reason the
 * recipient was given in the end) or "sent" (true: only when the message
 * was sent, not for a mail program's send error). */
static StepDef *
parse_step (JsonNode    *item,
            const char  *id,
            const char  *member,
            GError     **error)
{
  g_autoptr(GList) members = NULL;
  StepDef *def;
  JsonObject *object;
  const char *value;
  gboolean otherwise;

  value = bounce_json_string (item);
  if (value != NULL)
    {
      def = g_new0 (StepDef, 1);
      def->text = g_strdup (value);
      return def;
    }
  object = bounce_json_object (item);
  if (object == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s”: “%s” must hold strings or step objects", id, member);
      return NULL;
    }

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (step_keys, l->data))
      {
        g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                     "Catalogue entry “%s”: a step has an unknown key “%s”", id, (const char *) l->data);
        return NULL;
      }

  def = g_new0 (StepDef, 1);
#define STEP_FAIL(...) G_STMT_START { \
    g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE, __VA_ARGS__); \
    step_def_free (def); \
    return NULL; \
  } G_STMT_END

  if (!get_string (object, "text", TRUE, &def->text, id, error) ||
      !get_string (object, "case", FALSE, &def->label, id, error))
    {
      step_def_free (def);
      return NULL;
    }

  value = bounce_json_member_string (object, "state");
  if (value != NULL && g_str_equal (value, "delayed"))
    def->state = STEP_STATE_DELAYED;
  else if (value != NULL && g_str_equal (value, "failed"))
    def->state = STEP_STATE_FAILED;
  else if (json_object_has_member (object, "state"))
    STEP_FAIL ("Catalogue entry “%s”: a step’s “state” must be delayed or failed", id);

  value = bounce_json_member_string (object, "class");
  if (value != NULL && g_str_equal (value, "temporary"))
    def->klass = BOUNCE_PERMANENCE_TEMPORARY;
  else if (value != NULL && g_str_equal (value, "permanent"))
    def->klass = BOUNCE_PERMANENCE_PERMANENT;
  else if (json_object_has_member (object, "class"))
    STEP_FAIL ("Catalogue entry “%s”: a step’s “class” must be temporary or permanent", id);

  value = bounce_json_member_string (object, "words");
  if (value != NULL)
    {
      g_autoptr(GError) regex_error = NULL;

      def->words = g_regex_new (value, G_REGEX_CASELESS, G_REGEX_MATCH_DEFAULT, &regex_error);
      if (def->words == NULL)
        STEP_FAIL ("Catalogue entry “%s”: bad step pattern: %s", id, regex_error->message);
      def->words_source = g_strdup (value);
    }
  else if (json_object_has_member (object, "words"))
    STEP_FAIL ("Catalogue entry “%s”: a step’s “words” must be a string", id);

  value = bounce_json_member_string (object, "said");
  if (value != NULL && bounce_reason_is_known (value))
    def->said = g_strdup (value);
  else if (json_object_has_member (object, "said"))
    STEP_FAIL ("Catalogue entry “%s”: a step’s “said” must name a reason", id);

  if (json_object_has_member (object, "otherwise"))
    {
      if (!bounce_json_boolean (json_object_get_member (object, "otherwise"), &otherwise) || !otherwise)
        STEP_FAIL ("Catalogue entry “%s”: a step’s “otherwise” can only be true", id);
      def->otherwise = TRUE;
    }

  if (json_object_has_member (object, "sent"))
    {
      gboolean sent = FALSE;

      if (!bounce_json_boolean (json_object_get_member (object, "sent"), &sent) || !sent)
        STEP_FAIL ("Catalogue entry “%s”: a step’s “sent” can only be true", id);
      def->sent = TRUE;
    }

  if (def->words_source != NULL && def->otherwise)
    STEP_FAIL ("Catalogue entry “%s”: a step has both “words” and “otherwise”", id);
  if ((def->words_source != NULL || def->otherwise || def->said != NULL) && def->label == NULL)
    STEP_FAIL ("Catalogue entry “%s”: a step that depends on the server’s words needs a “case”", id);
  if (def->state == STEP_STATE_ANY && def->klass == BOUNCE_PERMANENCE_UNKNOWN &&
      def->words_source == NULL && !def->otherwise && def->said == NULL && !def->sent)
    STEP_FAIL ("Catalogue entry “%s”: a step object without a condition (write it as a string)", id);
#undef STEP_FAIL

  return def;
}

static gboolean
get_steps (JsonObject  *object,
           const char  *member,
           GStrv       *texts,
           GPtrArray   *defs,
           const char  *id,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean have_words = FALSE;

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array = bounce_json_array (node);

      if (array == NULL)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "Catalogue entry “%s”: “%s” must be an array", id, member);
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          StepDef *def = parse_step (json_array_get_element (array, i), id, member, error);

          if (def == NULL)
            return FALSE;
          g_ptr_array_add (defs, def);
          g_strv_builder_add (builder, def->text);
          if (def->otherwise && !have_words)
            {
              g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                           "Catalogue entry “%s”: an “otherwise” step must follow a “words” step", id);
              return FALSE;
            }
          have_words |= def->words_source != NULL;
        }
    }
  *texts = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
parse_kind (const char      *name,
            BounceEntryKind *kind)
{
  for (guint i = 0; kind_names[i] != NULL; i++)
    if (g_strcmp0 (kind_names[i], name) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
valid_id (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '.' || *p == '_' || *p == '-'))
      return FALSE;
  return TRUE;
}

static const char * const strength_names[] = { "weak", "generic", "definite", NULL };

const char * const *
bounce_entry_strength_names (void)
{
  return strength_names;
}

/* A rule's strength (see docs/catalogue-format.md). */
static gboolean
read_strength (BounceEntry  *self,
               JsonObject   *object,
               GError      **error)
{
  JsonNode *node = json_object_get_member (object, "strength");
  const char *value;

  gboolean matcher = self->kind == BOUNCE_ENTRY_RULE || self->kind == BOUNCE_ENTRY_PHRASES;

  self->strength = BOUNCE_RULE_DEFINITE;
  if (node == NULL && !matcher)
    return TRUE;
  if (node == NULL || !matcher)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   matcher ? "Catalogue rule “%s” has no “strength”"
                           : "Catalogue entry “%s”: only rules and phrases have a “strength”",
                   self->id);
      return FALSE;
    }
  value = bounce_json_string (node);
  for (guint i = 0; value != NULL && strength_names[i] != NULL; i++)
    if (g_str_equal (value, strength_names[i]))
      {
        self->strength = (BounceRuleStrength) i;
        return TRUE;
      }
  g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
               "Catalogue entry “%s”: “strength” must be weak, generic or definite", self->id);
  return FALSE;
}

/* One phrase, or one list of ordered parts, into list. */
static gboolean
add_phrase (BounceEntry  *self,
            GPtrArray    *list,
            JsonNode     *node,
            gboolean      parts_allowed,
            GError      **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;
  JsonArray *array = parts_allowed ? bounce_json_array (node) : NULL;
  BounceLiteral *phrase;

  if (bounce_json_string (node) != NULL)
    g_strv_builder_add (builder, bounce_json_string (node));
  else if (array != NULL)
    {
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *item = bounce_json_string (json_array_get_element (array, i));

          if (item == NULL)
            break;
          g_strv_builder_add (builder, item);
        }
      if (json_array_get_length (array) < 2)
        parts_allowed = FALSE;
    }
  parts = g_strv_builder_end (builder);
  phrase = parts_allowed || g_strv_length (parts) == 1 ? bounce_literal_new ((const char * const *) parts) : NULL;
  if (phrase == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s”: a phrase must be a non-empty string%s", self->id,
                   parts_allowed ? "" : " (ordered: an array of two or more)");
      return FALSE;
    }
  g_ptr_array_add (list, phrase);
  return TRUE;
}

/* A phrases entry's "phrases", "ordered" and "unless" (see
 * docs/catalogue-format.md); no other kind has them. */
static gboolean
read_phrases (BounceEntry  *self,
              JsonObject   *object,
              GError      **error)
{
  static const char * const members[] = { "phrases", "ordered", "unless" };

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    {
      JsonArray *array;

      if (!json_object_has_member (object, members[m]))
        continue;
      array = bounce_json_member_array (object, members[m]);
      if (self->kind != BOUNCE_ENTRY_PHRASES || array == NULL)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "Catalogue entry “%s”: “%s” belongs to phrases entries, as an array", self->id,
                       members[m]);
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!add_phrase (self, m == 2 ? self->unless : self->phrases, json_array_get_element (array, i),
                         m == 1, error))
          return FALSE;
    }
  if (self->kind == BOUNCE_ENTRY_PHRASES && (self->phrases->len == 0 || self->reason == NULL))
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Phrases entry “%s” needs a “reason” and at least one phrase", self->id);
      return FALSE;
    }
  return TRUE;
}

/* Its id and kind. */
static gboolean
read_identity (BounceEntry  *self,
               JsonObject   *object,
               GError      **error)
{
  g_autofree char *kind = NULL;

  if (!get_string (object, "id", TRUE, &self->id, NULL, error))
    return FALSE;
  if (!valid_id (self->id))
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry id “%s” is not of the form [a-z0-9._-]+", self->id);
      return FALSE;
    }
  if (!get_string (object, "kind", TRUE, &kind, self->id, error))
    return FALSE;
  if (!parse_kind (kind, &self->kind))
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s” has an unknown kind “%s”", self->id, kind);
      return FALSE;
    }
  return TRUE;
}

/* Its strings and lists (pattern and status are returned for the checks
 * below).  Providers carry a display name instead of a title; phrases are
 * explained by their reason's entry. */
static gboolean
read_texts (BounceEntry  *self,
            JsonObject   *object,
            char        **pattern,
            char        **status,
            GError      **error)
{
  g_autofree char *name = NULL;

  if (!get_string (object, "code", FALSE, &self->code, self->id, error) ||
      !get_string (object, "provider", FALSE, &self->provider, self->id, error) ||
      !get_string (object, "within", FALSE, &self->within, self->id, error) ||
      !get_string (object, "title", self->kind != BOUNCE_ENTRY_PROVIDER && self->kind != BOUNCE_ENTRY_PHRASES,
                   &self->title, self->id, error) ||
      !get_string (object, "name", FALSE, &name, self->id, error) ||
      !get_string (object, "explanation", FALSE, &self->explanation, self->id, error) ||
      !get_string (object, "reason", FALSE, &self->reason, self->id, error) ||
      !get_string (object, "final_reason", FALSE, &self->final_reason, self->id, error) ||
      !get_string (object, "source", FALSE, &self->source_url, self->id, error) ||
      !get_string (object, "pattern", FALSE, pattern, self->id, error) ||
      !get_string (object, "tokens", FALSE, &self->tokens, self->id, error) ||
      !get_string (object, "lookup_ip", FALSE, &self->lookup_ip, self->id, error) ||
      !get_string (object, "lookup_domain", FALSE, &self->lookup_domain, self->id, error) ||
      !get_string (object, "delist", FALSE, &self->delist_url, self->id, error) ||
      !get_string (object, "status", FALSE, status, self->id, error) ||
      !get_string (object, "closed", FALSE, &self->closed_date, self->id, error) ||
      !get_steps (object, "sender", &self->sender, self->sender_defs, self->id, error) ||
      !get_steps (object, "admin", &self->admin, self->admin_defs, self->id, error) ||
      !get_strv (object, "examples", &self->examples, self->id, error) ||
      !get_strv (object, "zones", &self->zones, self->id, error))
    return FALSE;

  if (self->title == NULL && self->kind != BOUNCE_ENTRY_PHRASES)
    {
      self->title = g_steal_pointer (&name);
      if (self->title == NULL)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "Catalogue entry “%s” has neither “title” nor “name”", self->id);
          return FALSE;
        }
    }
  return TRUE;
}

/* The reason and code every kind needs. */
static gboolean
check_codes (BounceEntry  *self,
             GError      **error)
{
  if (self->kind == BOUNCE_ENTRY_REASON && self->code == NULL)
    self->code = g_strdup (self->reason);
  if (self->kind == BOUNCE_ENTRY_REASON && self->reason == NULL)
    self->reason = g_strdup (self->code);

  if (self->reason != NULL && !bounce_reason_is_known (self->reason))
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s” names an unknown reason “%s”", self->id, self->reason);
      return FALSE;
    }

  if (self->final_reason != NULL && !bounce_reason_is_known (self->final_reason))
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s” names an unknown final reason “%s”", self->id, self->final_reason);
      return FALSE;
    }

  if ((self->kind == BOUNCE_ENTRY_CLASS || self->kind == BOUNCE_ENTRY_SUBJECT ||
       self->kind == BOUNCE_ENTRY_ENHANCED || self->kind == BOUNCE_ENTRY_REPLY ||
       self->kind == BOUNCE_ENTRY_REASON) && self->code == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s” has no “code”", self->id);
      return FALSE;
    }
  return TRUE;
}

/* Permanence, priority, strength, "multi" and a list's status. */
static gboolean
read_flags (BounceEntry  *self,
            JsonObject   *object,
            const char   *status,
            GError      **error)
{
  JsonNode *node;
  gboolean flag;
  gint64 priority;

  node = json_object_get_member (object, "temporary");
  if (bounce_json_boolean (node, &flag))
    self->permanence = flag ? BOUNCE_PERMANENCE_TEMPORARY : BOUNCE_PERMANENCE_PERMANENT;
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s”: “temporary” must be a boolean", self->id);
      return FALSE;
    }

  /* Bounded, so that adding a provider scope's bonus can never overflow. */
  node = json_object_get_member (object, "priority");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!bounce_json_int (node, &priority) ||
          priority < -BOUNCE_ENTRY_PRIORITY_MAX || priority > BOUNCE_ENTRY_PRIORITY_MAX)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "Catalogue entry “%s”: “priority” must be an integer from %d to %d", self->id,
                       -BOUNCE_ENTRY_PRIORITY_MAX, BOUNCE_ENTRY_PRIORITY_MAX);
          return FALSE;
        }
      self->priority = (int) priority;
    }

  if (!read_strength (self, object, error))
    return FALSE;

  node = json_object_get_member (object, "multi");
  if (bounce_json_boolean (node, &flag))
    self->multi = flag;
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s”: “multi” must be a boolean", self->id);
      return FALSE;
    }

  if (status != NULL)
    {
      if (g_str_equal (status, "closed"))
        self->closed = TRUE;
      else if (!g_str_equal (status, "operating"))
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "Catalogue entry “%s”: unknown status “%s”", self->id, status);
          return FALSE;
        }
    }
  return TRUE;
}

/* A rule's pattern and a provider's token shapes, compiled to check them
 * (the pattern only when check_pattern; otherwise when first used). */
static gboolean
read_patterns (BounceEntry  *self,
               const char   *pattern,
               gboolean      check_pattern,
               GError      **error)
{
  if (pattern != NULL && check_pattern)
    {
      g_autoptr(GError) regex_error = NULL;

      self->regex = g_regex_new (pattern, G_REGEX_CASELESS,
                                 G_REGEX_MATCH_DEFAULT, &regex_error);
      if (self->regex == NULL)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "Catalogue entry “%s”: bad pattern: %s", self->id, regex_error->message);
          return FALSE;
        }
    }
  if (pattern == NULL && self->kind == BOUNCE_ENTRY_RULE)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Rule “%s” has no pattern", self->id);
      return FALSE;
    }
  if (pattern != NULL && self->kind == BOUNCE_ENTRY_PHRASES)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Phrases entry “%s” has a pattern: phrases are literal", self->id);
      return FALSE;
    }

  if (self->tokens != NULL)
    {
      g_autoptr(GError) regex_error = NULL;
      g_autoptr(GRegex) check = NULL;

      /* (matched case-sensitively, on bytes, by the extractor) */
      if (self->kind != BOUNCE_ENTRY_PROVIDER)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "Catalogue entry “%s”: only providers have “tokens”", self->id);
          return FALSE;
        }
      check = g_regex_new (self->tokens, G_REGEX_RAW, G_REGEX_MATCH_DEFAULT, &regex_error);
      if (check == NULL)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "Catalogue entry “%s”: bad tokens pattern: %s", self->id, regex_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

/* Links, and every URL only https. */
static gboolean
read_links (BounceEntry  *self,
            JsonObject   *object,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, "links");
  JsonArray *array = bounce_json_array (node);

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) && array == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s”: “links” must be an array", self->id);
      return FALSE;
    }
  if (array != NULL)
    {
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *lo = bounce_json_object (json_array_get_element (array, i));
          const char *title = bounce_json_member_string (lo, "title");
          const char *url = bounce_json_member_string (lo, "url");
          BounceEntryLink *link;

          if (title == NULL || url == NULL)
            {
              g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                           "Catalogue entry “%s”: a link needs “title” and “url”", self->id);
              return FALSE;
            }
          link = g_new0 (BounceEntryLink, 1);
          /* Catalogues load after setlocale(), so translating here is safe. */
          link->title = g_strdup (translate (title));
          link->url = g_strdup (url);
          g_ptr_array_add (self->links, link);
          g_ptr_array_add (self->link_titles, g_strdup (title));
          if (!is_https_url (link->url))
            {
              g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                           "Catalogue entry “%s”: link “%s” is not https", self->id, link->url);
              return FALSE;
            }
        }
    }

  {
    const char *urls[] = { self->source_url, self->lookup_ip, self->lookup_domain, self->delist_url };

    for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
      if (urls[i] != NULL && !is_https_url (urls[i]))
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "Catalogue entry “%s”: “%s” is not an https URL", self->id, urls[i]);
          return FALSE;
        }
  }
  return TRUE;
}

/* A blocklist's DNS data and lookup templates. */
static gboolean
read_blocklist (BounceEntry  *self,
                JsonObject   *object,
                GError      **error)
{
  JsonNode *node;

  node = json_object_get_member (object, "dns");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonObject *dns = bounce_json_object (node);

      if (dns == NULL || self->kind != BOUNCE_ENTRY_BLOCKLIST)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "Catalogue entry “%s”: “dns” must be an object on a blocklist", self->id);
          return FALSE;
        }
      /* A closed list is never asked: its zone may answer anything now. */
      if (self->closed)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "Catalogue entry “%s”: a closed list has no “dns”", self->id);
          return FALSE;
        }
      self->dns = bounce_dns_info_new_from_json (dns, self->id, error);
      if (self->dns == NULL)
        return FALSE;
    }

  if (self->lookup_ip != NULL && strstr (self->lookup_ip, "{ip}") == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s”: lookup_ip has no {ip}", self->id);
      return FALSE;
    }
  if (self->lookup_domain != NULL && strstr (self->lookup_domain, "{domain}") == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "Catalogue entry “%s”: lookup_domain has no {domain}", self->id);
      return FALSE;
    }
  return TRUE;
}

BounceEntry *
bounce_entry_new_from_json_full (JsonObject         *object,
                                 BounceEntryFlags    flags,
                                 GError            **error)
{
  g_autoptr(BounceEntry) self = g_object_new (BOUNCE_TYPE_ENTRY, NULL);
  g_autofree char *pattern = NULL;
  g_autofree char *status = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  if (!read_identity (self, object, error) ||
      !read_texts (self, object, &pattern, &status, error) ||
      !read_phrases (self, object, error) ||
      !check_codes (self, error) ||
      !read_flags (self, object, status, error) ||
      !read_patterns (self, pattern, !(flags & BOUNCE_ENTRY_LAZY_PATTERN), error) ||
      !read_links (self, object, error) ||
      !read_blocklist (self, object, error))
    return NULL;
  self->pattern = g_steal_pointer (&pattern);
  return g_steal_pointer (&self);
}

BounceEntry *
bounce_entry_new_from_json (JsonObject  *object,
                            GError     **error)
{
  return bounce_entry_new_from_json_full (object, BOUNCE_ENTRY_FLAGS_NONE, error);
}

#define GETTER(type, field) \
  g_return_val_if_fail (BOUNCE_IS_ENTRY (self), (type) 0); \
  return self->field;

const char *
bounce_entry_get_id (BounceEntry *self)
{
  GETTER (const char *, id)
}

BounceEntryKind
bounce_entry_get_kind (BounceEntry *self)
{
  GETTER (BounceEntryKind, kind)
}

const char *
bounce_entry_get_code (BounceEntry *self)
{
  GETTER (const char *, code)
}

const char *
bounce_entry_get_provider (BounceEntry *self)
{
  GETTER (const char *, provider)
}

const char *
bounce_entry_get_within (BounceEntry *self)
{
  GETTER (const char *, within)
}

const char *
bounce_entry_get_title (BounceEntry *self)
{
  g_return_val_if_fail (BOUNCE_IS_ENTRY (self), NULL);
  if (self->title == NULL && self->explained_by != NULL)
    return bounce_entry_get_title (self->explained_by);
  return translate (self->title);
}

const char *
bounce_entry_get_explanation (BounceEntry *self)
{
  g_return_val_if_fail (BOUNCE_IS_ENTRY (self), NULL);
  if (self->explanation == NULL && self->explained_by != NULL)
    return bounce_entry_get_explanation (self->explained_by);
  return translate (self->explanation);
}

static GStrv
translate_strv (GStrv steps)
{
  guint n = g_strv_length (steps);
  GStrv out = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    out[i] = (char *) translate (steps[i]);
  return out;
}

/* The translated arrays are built once; the first call may come from any
 * thread, so publish them atomically. */
static const char * const *
translated_steps (GStrv  steps,
                  GStrv *cache)
{
  GStrv tr = g_atomic_pointer_get (cache);

  if (tr == NULL)
    {
      tr = translate_strv (steps);
      if (!g_atomic_pointer_compare_and_exchange (cache, NULL, tr))
        {
          g_free (tr);
          tr = g_atomic_pointer_get (cache);
        }
    }
  return (const char * const *) tr;
}

const char * const *
bounce_entry_get_sender_steps (BounceEntry *self)
{
  g_return_val_if_fail (BOUNCE_IS_ENTRY (self), NULL);
  if (self->sender[0] == NULL && self->explained_by != NULL)
    return bounce_entry_get_sender_steps (self->explained_by);
  return translated_steps (self->sender, &self->sender_tr);
}

const char * const *
bounce_entry_get_admin_steps (BounceEntry *self)
{
  g_return_val_if_fail (BOUNCE_IS_ENTRY (self), NULL);
  if (self->admin[0] == NULL && self->explained_by != NULL)
    return bounce_entry_get_admin_steps (self->explained_by);
  return translated_steps (self->admin, &self->admin_tr);
}

typedef enum {
  TRI_FALSE,
  TRI_TRUE,
  TRI_UNKNOWN,
} Tri;

static Tri
tri_and (Tri a,
         Tri b)
{
  if (a == TRI_FALSE || b == TRI_FALSE)
    return TRI_FALSE;
  if (a == TRI_UNKNOWN || b == TRI_UNKNOWN)
    return TRI_UNKNOWN;
  return TRI_TRUE;
}

/* def's words compiled, the first time they are asked for (thread-safe:
 * entries are shared).  They compiled when the catalogue was compiled or
 * read from JSON; in a damaged compiled catalogue they match nothing. */
static GRegex *
step_words (const StepDef *def)
{
  GRegex **words = (GRegex **) &def->words;

  if (g_once_init_enter (words))
    {
      GRegex *regex = g_regex_new (def->words_source, G_REGEX_CASELESS, G_REGEX_MATCH_DEFAULT, NULL);

      if (regex == NULL)
        regex = g_regex_new ("(?!)", 0, G_REGEX_MATCH_DEFAULT, NULL);
      g_once_init_leave (words, regex);
    }
  return *words;
}

static Tri
words_match (const StepDef           *def,
             const BounceStepContext *context)
{
  if (context == NULL)
    return TRI_UNKNOWN;
  /* No reply at all says none of the words. */
  if (context->reply == NULL)
    return TRI_FALSE;
  return g_regex_match (step_words (def), context->reply, 0, NULL) ? TRI_TRUE : TRI_FALSE;
}

/* Whether one of the rules that read the recipient's reply gave the
 * reason a step names (the recipient's own reason may differ: Sisimai's
 * reading makes "user unknown" after DATA a filter's). */
static Tri
said_match (const StepDef           *def,
            const BounceStepContext *context)
{
  if (context == NULL || context->said == NULL)
    return TRI_UNKNOWN;
  for (guint i = 0; i < context->said->len; i++)
    {
      BounceEntry *entry = context->said->pdata[i];
      BounceEntryKind kind = bounce_entry_get_kind (entry);
      const char *reason = bounce_entry_get_reason (entry);

      /* (only rules and phrases read words; the other entries explain
       * codes and reasons) */
      if ((kind == BOUNCE_ENTRY_RULE || kind == BOUNCE_ENTRY_PHRASES) &&
          reason != NULL && g_str_equal (reason, def->said))
        return TRI_TRUE;
    }
  return TRI_FALSE;
}

/* Whether the recipient is in the state a step wants: DELAYED is still
 * being tried, every other failure outcome is final. */
static Tri
state_match (StepState                state,
             const BounceStepContext *context)
{
  gboolean delayed;

  if (context == NULL || context->outcome == BOUNCE_OUTCOME_NONE)
    return TRI_UNKNOWN;
  delayed = context->outcome == BOUNCE_OUTCOME_DELAYED;
  return delayed == (state == STEP_STATE_DELAYED) ? TRI_TRUE : TRI_FALSE;
}

static const char *
state_label (StepState state)
{
  if (state == STEP_STATE_DELAYED)
    return _("If the bounce says the message is only delayed");
  return _("If the bounce says delivery has failed");
}

static const char *
class_label (BouncePermanence klass)
{
  if (klass == BOUNCE_PERMANENCE_TEMPORARY)
    return _("If the server’s code is a temporary one (4xx)");
  return _("If the server’s code is a permanent one (5xx)");
}

GPtrArray *
bounce_entry_select_steps (BounceEntry             *self,
                           gboolean                 admin,
                           const BounceStepContext *context)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *defs;
  Tri any_words = TRI_FALSE;

  g_return_val_if_fail (BOUNCE_IS_ENTRY (self), out);

  defs = admin ? self->admin_defs : self->sender_defs;

  /* "otherwise" steps apply when no "words" step of the list does. */
  for (guint i = 0; i < defs->len; i++)
    {
      const StepDef *def = defs->pdata[i];
      Tri m;

      if (def->words_source == NULL)
        continue;
      m = words_match (def, context);
      if (m == TRI_TRUE || (m == TRI_UNKNOWN && any_words == TRI_FALSE))
        any_words = m;
    }

  for (guint i = 0; i < defs->len; i++)
    {
      const StepDef *def = defs->pdata[i];
      const char *label = NULL;
      Tri applies = TRI_TRUE;
      BounceStep *step;

      if (def->state != STEP_STATE_ANY)
        {
          Tri t = state_match (def->state, context);

          if (t == TRI_UNKNOWN && label == NULL)
            label = state_label (def->state);
          applies = tri_and (applies, t);
        }
      if (def->klass != BOUNCE_PERMANENCE_UNKNOWN)
        {
          Tri t = context == NULL || context->permanence == BOUNCE_PERMANENCE_UNKNOWN ? TRI_UNKNOWN
                  : context->permanence == def->klass ? TRI_TRUE : TRI_FALSE;

          if (t == TRI_UNKNOWN && label == NULL)
            label = class_label (def->klass);
          applies = tri_and (applies, t);
        }
      if (def->words_source != NULL)
        applies = tri_and (applies, words_match (def, context));
      if (def->said != NULL)
        applies = tri_and (applies, said_match (def, context));
      if (def->otherwise)
        applies = tri_and (applies, any_words == TRI_TRUE ? TRI_FALSE
                                    : any_words == TRI_FALSE ? TRI_TRUE : TRI_UNKNOWN);
      /* (without a recipient, as in the catalogue browser, it applies: a
       * bounce is what the catalogue is read for) */
      if (def->sent && context != NULL && context->not_sent)
        applies = TRI_FALSE;

      if (applies == TRI_FALSE)
        continue;
      step = g_new0 (BounceStep, 1);
      step->text = translate (def->text);
      if (applies == TRI_UNKNOWN)
        step->condition = def->label != NULL ? translate (def->label) : label;
      g_ptr_array_add (out, step);
    }
  return out;
}

char *
bounce_step_to_string (const BounceStep *step)
{
  g_return_val_if_fail (step != NULL, NULL);

  if (step->condition == NULL)
    return g_strdup (step->text);
  /* Translators: a step that applies only in one case: "If the bounce
   * says the message is only delayed: Wait; ..." */
  return g_strdup_printf (_("%s: %s"), step->condition, step->text);
}

const char *
bounce_entry_get_reason (BounceEntry *self)
{
  GETTER (const char *, reason)
}

const char *
bounce_entry_get_final_reason (BounceEntry *self)
{
  GETTER (const char *, final_reason)
}

BouncePermanence
bounce_entry_get_permanence (BounceEntry *self)
{
  GETTER (BouncePermanence, permanence)
}

const char *
bounce_entry_get_source_url (BounceEntry *self)
{
  GETTER (const char *, source_url)
}

GPtrArray *
bounce_entry_get_links (BounceEntry *self)
{
  GETTER (GPtrArray *, links)
}

int
bounce_entry_get_priority (BounceEntry *self)
{
  GETTER (int, priority)
}

BounceRuleStrength
bounce_entry_get_strength (BounceEntry *self)
{
  GETTER (BounceRuleStrength, strength)
}

const char *
bounce_entry_get_pattern (BounceEntry *self)
{
  GETTER (const char *, pattern)
}

const char *
bounce_entry_get_tokens (BounceEntry *self)
{
  GETTER (const char *, tokens)
}

/* The pattern compiled without the JIT (once; NULL for a bad one). */
static GRegex *
plain_regex (BounceEntry *self)
{
  if (g_atomic_pointer_get (&self->regex) == NULL)
    {
      g_autoptr(GError) error = NULL;
      GRegex *regex;

      if (g_atomic_int_get (&self->bad_pattern))
        return NULL;
      regex = g_regex_new (self->pattern, G_REGEX_CASELESS, G_REGEX_MATCH_DEFAULT, &error);
      /* The built-in catalogue's patterns all compile (test-catalogue
       * tries every rule on its examples); a catalogue tried out with
       * BOUNCE_CATALOGUE_DIR may hold a bad one, which then never matches:
       * said once, not compiled again on every text. */
      if (regex == NULL)
        {
          if (g_atomic_int_compare_and_exchange (&self->bad_pattern, 0, 1))
            g_warning ("Catalogue entry “%s”: bad pattern, the rule is never tried: %s",
                       self->id, error->message);
          return NULL;
        }
      if (!g_atomic_pointer_compare_and_exchange (&self->regex, NULL, regex))
        g_regex_unref (regex);
    }
  return g_atomic_pointer_get (&self->regex);
}

GRegex *
bounce_entry_get_plain_regex (BounceEntry *self)
{
  GRegex *jit;

  g_return_val_if_fail (BOUNCE_IS_ENTRY (self), NULL);

  if (self->pattern == NULL)
    return NULL;
  jit = g_atomic_pointer_get (&self->regex_jit);
  return jit != NULL ? jit : plain_regex (self);
}

GRegex *
bounce_entry_get_regex (BounceEntry *self)
{
  GRegex *regex;

  g_return_val_if_fail (BOUNCE_IS_ENTRY (self), NULL);

  /* The JIT's once compiled, else the plain one, whose uses count. */
  regex = bounce_entry_get_plain_regex (self);
  if (regex == NULL || regex == g_atomic_pointer_get (&self->regex_jit))
    return regex;
  /* (a one-shot bounce-explain run never pays for the JIT; a window or a
   * batch run gets it for the rules it keeps using) */
  bounce_regex_count_uses (&self->uses, 1, &self->regex_jit, self->pattern, G_REGEX_CASELESS);
  return regex;
}

gboolean
bounce_entry_may_match (BounceEntry *self,
                        const char  *folded)
{
  g_return_val_if_fail (BOUNCE_IS_ENTRY (self), TRUE);
  g_return_val_if_fail (folded != NULL, TRUE);

  if (self->pattern == NULL)
    return TRUE;
  if (g_once_init_enter (&self->needs))
    g_once_init_leave (&self->needs, bounce_prefilter_needs (self->pattern));
  return bounce_prefilter_needs_met (self->needs, folded);
}

const char * const *
bounce_entry_get_examples (BounceEntry *self)
{
  g_return_val_if_fail (BOUNCE_IS_ENTRY (self), NULL);
  return (const char * const *) self->examples;
}

const char * const *
bounce_entry_get_zones (BounceEntry *self)
{
  g_return_val_if_fail (BOUNCE_IS_ENTRY (self), NULL);
  return (const char * const *) self->zones;
}

const char *
bounce_entry_get_lookup_ip (BounceEntry *self)
{
  GETTER (const char *, lookup_ip)
}

const char *
bounce_entry_get_lookup_domain (BounceEntry *self)
{
  GETTER (const char *, lookup_domain)
}

const char *
bounce_entry_get_delist_url (BounceEntry *self)
{
  GETTER (const char *, delist_url)
}

gboolean
bounce_entry_get_closed (BounceEntry *self)
{
  GETTER (gboolean, closed)
}

const char *
bounce_entry_get_closed_date (BounceEntry *self)
{
  GETTER (const char *, closed_date)
}

gboolean
bounce_entry_get_multi (BounceEntry *self)
{
  GETTER (gboolean, multi)
}

const BounceDnsInfo *
bounce_entry_get_dns (BounceEntry *self)
{
  GETTER (const BounceDnsInfo *, dns)
}

static void read_literals (BounceRecordReader *r,
                           GPtrArray          *literals);

/* (a compiled entry's phrases are made when first asked for: matching
 * needs only the catalogue's phrase index, and most phrase lists are long) */
GPtrArray *
bounce_entry_get_phrases (BounceEntry *self)
{
  g_return_val_if_fail (BOUNCE_IS_ENTRY (self), NULL);

  if (g_once_init_enter (&self->phrases))
    {
      BounceRecordReader reader = { self->phrases_at, self->record_end, &self->strings, FALSE };
      GPtrArray *phrases = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_literal_free);

      read_literals (&reader, phrases);
      g_once_init_leave (&self->phrases, phrases);
    }
  return self->phrases;
}

gboolean
bounce_entry_phrases_ruled_out (BounceEntry *self,
                                const char  *folded,
                                gsize        len)
{
  g_return_val_if_fail (BOUNCE_IS_ENTRY (self), FALSE);
  for (guint i = 0; i < self->unless->len; i++)
    if (bounce_literal_find (self->unless->pdata[i], folded, len) > 0)
      return TRUE;
  return FALSE;
}

void
bounce_entry_set_explained_by (BounceEntry *self,
                               BounceEntry *explanation)
{
  g_return_if_fail (BOUNCE_IS_ENTRY (self));
  self->explained_by = explanation;
}

GPtrArray *
bounce_entry_get_msgids (BounceEntry *self)
{
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (BOUNCE_IS_ENTRY (self), out);

  if (self->title)
    g_ptr_array_add (out, self->title);
  if (self->explanation)
    g_ptr_array_add (out, self->explanation);
  for (guint i = 0; self->sender[i]; i++)
    g_ptr_array_add (out, self->sender[i]);
  for (guint i = 0; self->admin[i]; i++)
    g_ptr_array_add (out, self->admin[i]);
  for (guint k = 0; k < 2; k++)
    {
      GPtrArray *defs = k == 0 ? self->sender_defs : self->admin_defs;

      for (guint i = 0; i < defs->len; i++)
        if (((StepDef *) defs->pdata[i])->label != NULL)
          g_ptr_array_add (out, ((StepDef *) defs->pdata[i])->label);
    }
  for (guint i = 0; self->dns != NULL && i < self->dns->answers->len; i++)
    g_ptr_array_add (out, ((BounceDnsAnswer *) self->dns->answers->pdata[i])->meaning);
  for (guint i = 0; self->dns != NULL && i < self->dns->refused->len; i++)
    g_ptr_array_add (out, ((BounceDnsAnswer *) self->dns->refused->pdata[i])->meaning);
  return out;
}

/* -- the compiled catalogue's form ------------------------------------------ */

/* An entry's record: its fields in this order, strings by their number in
 * the pool, lists as a count and their items. */

static void
add_str (GArray           *record,
         BounceStringPool *pool,
         const char       *s)
{
  bounce_record_add (record, bounce_string_pool_add (pool, s));
}

static void
write_steps (GArray           *record,
             BounceStringPool *pool,
             GPtrArray        *defs)
{
  bounce_record_add (record, defs->len);
  for (guint i = 0; i < defs->len; i++)
    {
      const StepDef *def = defs->pdata[i];

      add_str (record, pool, def->text);
      add_str (record, pool, def->label);
      bounce_record_add (record, def->state);
      bounce_record_add (record, def->klass);
      add_str (record, pool, def->words_source);
      bounce_record_add (record, def->otherwise);
      add_str (record, pool, def->said);
      bounce_record_add (record, def->sent);
    }
}

static void
write_strv (GArray           *record,
            BounceStringPool *pool,
            GStrv             strv)
{
  guint n = strv != NULL ? g_strv_length (strv) : 0;

  bounce_record_add (record, n);
  for (guint i = 0; i < n; i++)
    add_str (record, pool, strv[i]);
}

static void
write_literals (GArray           *record,
                BounceStringPool *pool,
                GPtrArray        *literals)
{
  bounce_record_add (record, literals->len);
  for (guint i = 0; i < literals->len; i++)
    {
      const BounceLiteral *literal = literals->pdata[i];
      guint n = bounce_literal_get_n_parts (literal);

      bounce_record_add (record, n);
      for (guint k = 0; k < n; k++)
        add_str (record, pool, bounce_literal_get_part (literal, k));
    }
}

void
bounce_entry_write (BounceEntry      *self,
                    GArray           *record,
                    BounceStringPool *pool)
{
  g_return_if_fail (BOUNCE_IS_ENTRY (self));

  add_str (record, pool, self->id);
  bounce_record_add (record, self->kind);
  add_str (record, pool, self->code);
  add_str (record, pool, self->provider);
  add_str (record, pool, self->within);
  add_str (record, pool, self->title);
  add_str (record, pool, self->explanation);
  write_steps (record, pool, self->sender_defs);
  write_steps (record, pool, self->admin_defs);
  add_str (record, pool, self->reason);
  add_str (record, pool, self->final_reason);
  bounce_record_add (record, self->permanence);
  add_str (record, pool, self->source_url);
  bounce_record_add (record, self->links->len);
  for (guint i = 0; i < self->links->len; i++)
    {
      add_str (record, pool, self->link_titles->pdata[i]);
      add_str (record, pool, ((BounceEntryLink *) self->links->pdata[i])->url);
    }
  bounce_record_add (record, (guint32) self->priority);
  bounce_record_add (record, self->strength);
  add_str (record, pool, self->pattern);
  add_str (record, pool, self->tokens);
  write_strv (record, pool, self->examples);
  write_strv (record, pool, self->zones);
  add_str (record, pool, self->lookup_ip);
  add_str (record, pool, self->lookup_domain);
  add_str (record, pool, self->delist_url);
  bounce_record_add (record, self->closed);
  add_str (record, pool, self->closed_date);
  bounce_record_add (record, self->multi);
  write_literals (record, pool, bounce_entry_get_phrases (self));
  write_literals (record, pool, self->unless);
  bounce_record_add (record, self->dns != NULL);
  if (self->dns != NULL)
    bounce_dns_info_write (self->dns, record, pool);
}

static void
read_steps (BounceRecordReader *r,
            GPtrArray          *defs,
            GStrv              *texts)
{
  guint32 n = bounce_record_count (r);

  *texts = g_new0 (char *, n + 1);
  for (guint32 i = 0; i < n; i++)
    {
      StepDef *def = g_new0 (StepDef, 1);
      const char *words;
      guint32 state, klass;

      def->text = bounce_record_dup (r);
      def->label = bounce_record_dup (r);
      state = bounce_record_next (r);
      klass = bounce_record_next (r);
      words = bounce_record_str (r);
      def->otherwise = bounce_record_next (r) != 0;
      def->said = bounce_record_dup (r);
      def->sent = bounce_record_next (r) != 0;
      def->state = state <= STEP_STATE_FAILED ? (StepState) state : STEP_STATE_ANY;
      def->klass = klass <= BOUNCE_PERMANENCE_PERMANENT ? (BouncePermanence) klass : BOUNCE_PERMANENCE_UNKNOWN;
      /* (compiled when first matched, step_words(): most entries read in
       * a run never have their steps chosen) */
      def->words_source = g_strdup (words);
      if (def->text == NULL)
        def->text = g_strdup ("");
      (*texts)[i] = g_strdup (def->text);
      g_ptr_array_add (defs, def);
    }
}

/* Passes over a list of literals (read_literals()), checking its strings. */
static void
skip_literals (BounceRecordReader *r)
{
  guint32 n = bounce_record_count (r);

  for (guint32 i = 0; i < n; i++)
    for (guint32 k = bounce_record_count (r); k > 0; k--)
      bounce_record_str (r);
}

static GStrv
read_strv (BounceRecordReader *r)
{
  guint32 n = bounce_record_count (r);
  GStrv strv = g_new0 (char *, n + 1);

  for (guint32 i = 0; i < n; i++)
    strv[i] = g_strdup (bounce_record_str (r) ?: "");
  return strv;
}

static void
read_literals (BounceRecordReader *r,
               GPtrArray          *literals)
{
  guint32 n = bounce_record_count (r);

  for (guint32 i = 0; i < n; i++)
    {
      guint32 n_parts = bounce_record_count (r);
      g_autofree const char **parts = g_new0 (const char *, n_parts + 1);
      BounceLiteral *literal;

      for (guint32 k = 0; k < n_parts; k++)
        parts[k] = bounce_record_str (r) ?: "";
      /* (the parts are folded already: folding again keeps them) */
      literal = bounce_literal_new (parts);
      if (literal != NULL)
        g_ptr_array_add (literals, literal);
    }
}

BounceEntry *
bounce_entry_read (BounceRecordReader *r,
                   GVariant           *owner)
{
  g_autoptr(BounceEntry) self = g_object_new (BOUNCE_TYPE_ENTRY, NULL);
  guint32 kind, permanence, strength, n;

  self->id = bounce_record_dup (r);
  kind = bounce_record_next (r);
  self->code = bounce_record_dup (r);
  self->provider = bounce_record_dup (r);
  self->within = bounce_record_dup (r);
  self->title = bounce_record_dup (r);
  self->explanation = bounce_record_dup (r);
  read_steps (r, self->sender_defs, &self->sender);
  read_steps (r, self->admin_defs, &self->admin);
  self->reason = bounce_record_dup (r);
  self->final_reason = bounce_record_dup (r);
  permanence = bounce_record_next (r);
  self->source_url = bounce_record_dup (r);
  n = bounce_record_count (r);
  for (guint32 i = 0; i < n; i++)
    {
      BounceEntryLink *link = g_new0 (BounceEntryLink, 1);
      const char *title = bounce_record_str (r) ?: "";

      /* (translated now as bounce_entry_new_from_json() does: entries of a
       * compiled catalogue are made after setlocale()) */
      link->title = g_strdup (translate (title));
      link->url = bounce_record_dup (r);
      g_ptr_array_add (self->links, link);
      g_ptr_array_add (self->link_titles, g_strdup (title));
    }
  self->priority = (gint32) bounce_record_next (r);
  strength = bounce_record_next (r);
  self->pattern = bounce_record_dup (r);
  self->tokens = bounce_record_dup (r);
  self->examples = read_strv (r);
  self->zones = read_strv (r);
  self->lookup_ip = bounce_record_dup (r);
  self->lookup_domain = bounce_record_dup (r);
  self->delist_url = bounce_record_dup (r);
  self->closed = bounce_record_next (r) != 0;
  self->closed_date = bounce_record_dup (r);
  self->multi = bounce_record_next (r) != 0;
  /* (the phrases are read when first asked for, from here) */
  g_clear_pointer (&self->phrases, g_ptr_array_unref);
  self->phrases_at = r->p;
  self->record_end = r->end;
  self->strings = *r->strings;
  self->record_owner = g_variant_ref (owner);
  skip_literals (r);
  read_literals (r, self->unless);
  if (bounce_record_next (r) != 0)
    self->dns = bounce_dns_info_read (r);

  if (r->bad || self->id == NULL || kind > BOUNCE_ENTRY_PHRASES || strength > BOUNCE_RULE_DEFINITE ||
      permanence > BOUNCE_PERMANENCE_PERMANENT)
    return NULL;
  self->kind = (BounceEntryKind) kind;
  self->permanence = (BouncePermanence) permanence;
  self->strength = (BounceRuleStrength) strength;
  return g_steal_pointer (&self);
}
