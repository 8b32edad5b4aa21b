/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "bounce-catalogue.h"
#include "bounce-error.h"
#include "bounce-json.h"
#include "bounce-prefilter.h"

typedef struct _BounceSearchIndex BounceSearchIndex;

static void search_index_free (BounceSearchIndex *index);

struct _BounceCatalogue
{
  GObject parent_instance;

  char *version;
  int scoped_rule_bonus;   /* see index.json and docs/catalogue-format.md */
  GPtrArray *entries;      /* BounceEntry, file order */
  GHashTable *by_id;       /* id -> BounceEntry */
  GHashTable *by_code;     /* "kind:code" -> GPtrArray of BounceEntry (scoped ones included) */
  GHashTable *tokens;      /* upper-case token -> BounceEntry */
  GPtrArray *rules;
  BouncePrefilter *prefilter;    /* which rules can match a text, built once loaded */
  GPtrArray *phrases;      /* phrases entries */
  BounceLiteralIndex *literals;  /* their phrases, built once loaded */
  GPtrArray *providers;
  GPtrArray *blocklists;
  GRegex *token_regex;     /* the providers' token shapes, compiled when first asked */
  BounceSearchIndex *search_index;   /* what bounce_catalogue_search() looks in */
};

G_DEFINE_FINAL_TYPE (BounceCatalogue, bounce_catalogue, G_TYPE_OBJECT)

static void
bounce_catalogue_finalize (GObject *object)
{
  BounceCatalogue *self = (BounceCatalogue *)object;

  g_free (self->version);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_pointer (&self->prefilter, bounce_prefilter_free);
  g_clear_pointer (&self->phrases, g_ptr_array_unref);
  g_clear_pointer (&self->literals, bounce_literal_index_free);
  g_clear_pointer (&self->providers, g_ptr_array_unref);
  g_clear_pointer (&self->blocklists, g_ptr_array_unref);
  g_clear_pointer (&self->token_regex, g_regex_unref);
  g_clear_pointer (&self->search_index, search_index_free);
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (bounce_catalogue_parent_class)->finalize (object);
}

static void
bounce_catalogue_class_init (BounceCatalogueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bounce_catalogue_finalize;
}

static void
bounce_catalogue_init (BounceCatalogue *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_code = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->rules = g_ptr_array_new ();
  self->prefilter = bounce_prefilter_new ();
  self->phrases = g_ptr_array_new ();
  self->literals = bounce_literal_index_new ();
  self->providers = g_ptr_array_new ();
  self->blocklists = g_ptr_array_new ();
}

static char *
code_key (BounceEntryKind  kind,
          const char      *code)
{
  return g_strdup_printf ("%s:%s", bounce_entry_kind_to_string (kind), code);
}

static void
index_entry (BounceCatalogue *self,
             BounceEntry     *entry)
{
  BounceEntryKind kind = bounce_entry_get_kind (entry);
  const char *code = bounce_entry_get_code (entry);

  switch (kind)
    {
    case BOUNCE_ENTRY_RULE:
      g_ptr_array_add (self->rules, entry);
      if (code != NULL)
        g_hash_table_insert (self->tokens, g_ascii_strup (code, -1), entry);
      return;
    case BOUNCE_ENTRY_PROVIDER:
      g_ptr_array_add (self->providers, entry);
      return;
    case BOUNCE_ENTRY_PHRASES:
      g_ptr_array_add (self->phrases, entry);
      return;
    case BOUNCE_ENTRY_BLOCKLIST:
      g_ptr_array_add (self->blocklists, entry);
      return;
    case BOUNCE_ENTRY_CLASS:
    case BOUNCE_ENTRY_SUBJECT:
    case BOUNCE_ENTRY_ENHANCED:
    case BOUNCE_ENTRY_REPLY:
    case BOUNCE_ENTRY_REASON:
    default:
      break;
    }

  if (code != NULL)
    {
      g_autofree char *upper = g_ascii_strup (code, -1);
      g_autofree char *key = code_key (kind, kind == BOUNCE_ENTRY_REASON ? code : upper);
      GPtrArray *list = g_hash_table_lookup (self->by_code, key);

      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (self->by_code, g_steal_pointer (&key), list);
        }
      g_ptr_array_add (list, entry);
    }
}

/* A catalogue file, from the GResource or (for a catalogue being tried
 * out, see bounce_catalogue_get_default()) from a directory. */
static GBytes *
read_catalogue_file (const char  *path,
                     gboolean     from_resource,
                     GError     **error)
{
  char *contents = NULL;
  gsize length = 0;

  if (from_resource)
    return g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return g_bytes_new_take (contents, length);
}

static gboolean
load_file (BounceCatalogue  *self,
           const char       *path,
           gboolean          from_resource,
           GError          **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;
  gsize len;
  const char *data;

  bytes = read_catalogue_file (path, from_resource, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  if (!json_parser_load_from_data (parser, data, len, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  array = bounce_json_member_array (bounce_json_object (json_parser_get_root (parser)), "entries");
  if (array == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "%s: expected an object with an “entries” array", path);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = bounce_json_object (json_array_get_element (array, i));
      BounceEntry *entry;

      if (object == NULL)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "%s: entry %u is not an object", path, i);
          return FALSE;
        }
      entry = bounce_entry_new_from_json_full (object, BOUNCE_ENTRY_LAZY_PATTERN, error);
      if (entry == NULL)
        {
          g_prefix_error (error, "%s: ", path);
          return FALSE;
        }
      if (g_hash_table_contains (self->by_id, bounce_entry_get_id (entry)))
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "%s: duplicate entry id “%s”", path, bounce_entry_get_id (entry));
          g_object_unref (entry);
          return FALSE;
        }
      g_ptr_array_add (self->entries, entry);
      g_hash_table_insert (self->by_id, (gpointer) bounce_entry_get_id (entry), entry);
      index_entry (self, entry);
    }
  return TRUE;
}

/* index.json's version and scoped_rule_bonus, type-checked (json-glib's
 * typed getters raise a critical on a value of another type). */
static gboolean
read_index_values (BounceCatalogue  *self,
                   JsonObject       *root,
                   const char       *index_path,
                   GError          **error)
{
  const char *version = bounce_json_member_string (root, "version");
  gint64 bonus = 0;

  if (version == NULL && json_object_has_member (root, "version"))
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE, "%s: “version” must be a string", index_path);
      return FALSE;
    }
  if (json_object_has_member (root, "scoped_rule_bonus") &&
      (!bounce_json_int (json_object_get_member (root, "scoped_rule_bonus"), &bonus) ||
       bonus < 0 || bonus > BOUNCE_ENTRY_PRIORITY_MAX))
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                   "%s: “scoped_rule_bonus” must be an integer from 0 to %d", index_path,
                   BOUNCE_ENTRY_PRIORITY_MAX);
      return FALSE;
    }
  self->version = g_strdup (version != NULL ? version : "0");
  self->scoped_rule_bonus = (int) bonus;
  return TRUE;
}

static BounceCatalogue *
catalogue_load (const char  *resource_dir,
                gboolean     from_resource,
                GError     **error)
{
  g_autoptr(BounceCatalogue) self = g_object_new (BOUNCE_TYPE_CATALOGUE, NULL);
  g_autofree char *index_path = g_build_path ("/", resource_dir, "index.json", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *files;
  gsize len;
  const char *data;

  g_return_val_if_fail (resource_dir != NULL, NULL);

  bytes = read_catalogue_file (index_path, from_resource, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  if (!json_parser_load_from_data (parser, data, len, error))
    return NULL;
  root = bounce_json_object (json_parser_get_root (parser));
  if (root == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE, "%s: not an object", index_path);
      return NULL;
    }
  if (!read_index_values (self, root, index_path, error))
    return NULL;
  files = bounce_json_member_array (root, "files");
  if (files == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE, "%s: no “files” array", index_path);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      const char *name = bounce_json_string (json_array_get_element (files, i));
      g_autofree char *path = NULL;

      if (name == NULL || strchr (name, '/') != NULL)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "%s: bad file name at position %u", index_path, i);
          return NULL;
        }
      path = g_build_path ("/", resource_dir, name, NULL);
      if (!load_file (self, path, from_resource, error))
        return NULL;
    }
  /* A phrases entry is explained by its reason's own entry; its phrases
   * are found in one pass over a text. */
  for (guint i = 0; i < self->phrases->len; i++)
    {
      BounceEntry *entry = self->phrases->pdata[i];
      GPtrArray *literals = bounce_entry_get_phrases (entry);

      bounce_entry_set_explained_by (entry, bounce_catalogue_find_reason (self, bounce_entry_get_reason (entry)));
      for (guint k = 0; k < literals->len; k++)
        bounce_literal_index_add (self->literals, literals->pdata[k], entry);
    }
  bounce_literal_index_build (self->literals);
  /* The words each rule's pattern needs, for bounce_catalogue_match_rules(). */
  for (guint i = 0; i < self->rules->len; i++)
    bounce_prefilter_add (self->prefilter, i, bounce_entry_get_pattern (self->rules->pdata[i]));
  bounce_prefilter_build (self->prefilter);

  /* A DNS answer that means another list must name a list we have. */
  for (guint i = 0; i < self->blocklists->len; i++)
    {
      const BounceDnsInfo *dns = bounce_entry_get_dns (self->blocklists->pdata[i]);

      for (guint j = 0; dns != NULL && j < dns->answers->len; j++)
        {
          const char *list_id = ((BounceDnsAnswer *) dns->answers->pdata[j])->list_id;
          BounceEntry *list = list_id != NULL ? g_hash_table_lookup (self->by_id, list_id) : NULL;

          if (list_id != NULL && (list == NULL || bounce_entry_get_kind (list) != BOUNCE_ENTRY_BLOCKLIST))
            {
              g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                           "Catalogue entry “%s”: a DNS answer names “%s”, which is no blocklist",
                           bounce_entry_get_id (self->blocklists->pdata[i]), list_id);
              return NULL;
            }
        }
    }
  return g_steal_pointer (&self);
}

BounceCatalogue *
bounce_catalogue_new_from_resource (const char  *resource_dir,
                                    GError     **error)
{
  return catalogue_load (resource_dir, TRUE, error);
}

BounceCatalogue *
bounce_catalogue_new_from_directory (const char  *dir,
                                     GError     **error)
{
  g_return_val_if_fail (dir != NULL, NULL);
  return catalogue_load (dir, FALSE, error);
}

BounceCatalogue *
bounce_catalogue_get_default (void)
{
  static BounceCatalogue *instance = NULL;

  if (g_once_init_enter (&instance))
    {
      g_autoptr(GError) error = NULL;
      BounceCatalogue *catalogue;

      /* BOUNCE_CATALOGUE_DIR: a directory of catalogue JSON files used
       * instead of the built-in ones (to try out or benchmark a catalogue;
       * build-aux/bench measures one grown five-fold). */
      const char *dir = g_getenv ("BOUNCE_CATALOGUE_DIR");
      gboolean from_dir = dir != NULL && *dir != '\0';

      if (from_dir)
        catalogue = bounce_catalogue_new_from_directory (dir, &error);
      else
        catalogue = bounce_catalogue_new_from_resource (BOUNCE_CATALOGUE_RESOURCE_DIR, &error);
      if (catalogue == NULL)
        {
          /* A damaged built-in catalogue is a packaging bug; one being
           * tried out is named with its variable (and not replaced by the
           * built-in one, which would pass for it).  Keep working with an
           * empty one rather than crash the user's session. */
          if (from_dir)
            g_warning ("Could not load the catalogue of BOUNCE_CATALOGUE_DIR=%s: %s", dir, error->message);
          else
            g_critical ("Could not load the code catalogue: %s", error->message);
          catalogue = g_object_new (BOUNCE_TYPE_CATALOGUE, NULL);
          catalogue->version = g_strdup ("0");
        }
      g_once_init_leave (&instance, catalogue);
    }
  return instance;
}

const char *
bounce_catalogue_get_version (BounceCatalogue *self)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  return self->version;
}

guint
bounce_catalogue_get_n_entries (BounceCatalogue *self)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), 0);
  return self->entries->len;
}

GPtrArray *
bounce_catalogue_get_entries (BounceCatalogue *self)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  return self->entries;
}

BounceEntry *
bounce_catalogue_lookup (BounceCatalogue *self,
                         const char      *id)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  if (id == NULL)
    return NULL;
  return g_hash_table_lookup (self->by_id, id);
}

/* The provider a provider is part of (Yahoo's inbound servers are part
 * of Yahoo): entries scoped to that one apply to it too.  NULL if none. */
static const char *
provider_within (BounceCatalogue *self,
                 const char      *provider)
{
  BounceEntry *entry = bounce_catalogue_find_provider (self, provider);

  return entry != NULL ? bounce_entry_get_within (entry) : NULL;
}

/* Whether an entry scoped to scope applies to a bounce from provider
 * (which is part of within, or NULL). */
static gboolean
scope_applies (const char *scope,
               const char *provider,
               const char *within)
{
  return g_strcmp0 (scope, provider) == 0 || (within != NULL && g_strcmp0 (scope, within) == 0);
}

/* The entry for kind:code, preferring one scoped to provider, then to
 * the provider it is part of; unscoped otherwise.  Entries scoped to another provider never apply. */
static BounceEntry *
find_code (BounceCatalogue *self,
           BounceEntryKind  kind,
           const char      *code,
           const char      *provider)
{
  g_autofree char *upper = g_ascii_strup (code, -1);
  g_autofree char *key = code_key (kind, kind == BOUNCE_ENTRY_REASON ? code : upper);
  GPtrArray *list = g_hash_table_lookup (self->by_code, key);
  BounceEntry *unscoped = NULL;
  BounceEntry *any_scoped = NULL;
  BounceEntry *within_scoped = NULL;
  const char *within;

  if (list == NULL)
    return NULL;
  within = provider != NULL ? provider_within (self, provider) : NULL;
  for (guint i = 0; i < list->len; i++)
    {
      BounceEntry *entry = list->pdata[i];
      const char *scope = bounce_entry_get_provider (entry);

      if (scope == NULL)
        {
          if (unscoped == NULL)
            unscoped = entry;
        }
      else if (provider != NULL && g_str_equal (scope, provider))
        return entry;
      else if (within != NULL && g_str_equal (scope, within))
        {
          if (within_scoped == NULL)
            within_scoped = entry;
        }
      else if (any_scoped == NULL)
        any_scoped = entry;
    }
  if (within_scoped != NULL)
    return within_scoped;
  /* With no provider known (a pasted line), a code only one provider
   * defines (Microsoft's 5.7.57) is still best explained by that provider. */
  if (unscoped == NULL && provider == NULL)
    return any_scoped;
  return unscoped;
}

static gboolean
parse_enhanced (const char *code,
                char       *klass,
                char      **subject,
                char      **detail)
{
  g_auto(GStrv) parts = NULL;

  if (code == NULL)
    return FALSE;
  parts = g_strsplit (code, ".", 4);
  if (g_strv_length (parts) != 3 || strlen (parts[0]) != 1)
    return FALSE;
  *klass = g_ascii_toupper (parts[0][0]);
  *subject = g_strdup (parts[1]);
  *detail = g_strdup (parts[2]);
  return TRUE;
}

BounceEntry *
bounce_catalogue_find_enhanced (BounceCatalogue *self,
                                const char      *code,
                                const char      *provider)
{
  g_autofree char *subject = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *wild = NULL;
  BounceEntry *entry;
  char klass;

  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);

  if (!parse_enhanced (code, &klass, &subject, &detail))
    return NULL;
  entry = find_code (self, BOUNCE_ENTRY_ENHANCED, code, provider);
  if (entry != NULL)
    return entry;
  wild = g_strdup_printf ("X.%s.%s", subject, detail);
  return find_code (self, BOUNCE_ENTRY_ENHANCED, wild, provider);
}

BounceEntry *
bounce_catalogue_find_subject (BounceCatalogue *self,
                               const char      *code)
{
  g_autofree char *subject = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *key = NULL;
  char klass;

  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  if (!parse_enhanced (code, &klass, &subject, &detail))
    return NULL;
  key = g_strdup_printf ("X.%s.X", subject);
  return find_code (self, BOUNCE_ENTRY_SUBJECT, key, NULL);
}

BounceEntry *
bounce_catalogue_find_class (BounceCatalogue *self,
                             const char      *code)
{
  char key[2] = { 0, 0 };

  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  if (code == NULL || !strchr ("245", code[0]) || code[0] == '\0')
    return NULL;
  key[0] = code[0];
  return find_code (self, BOUNCE_ENTRY_CLASS, key, NULL);
}

BounceEntry *
bounce_catalogue_find_reply (BounceCatalogue *self,
                             const char      *code)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  if (code == NULL)
    return NULL;
  return find_code (self, BOUNCE_ENTRY_REPLY, code, NULL);
}

BounceEntry *
bounce_catalogue_find_reason (BounceCatalogue *self,
                              const char      *reason)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  if (reason == NULL)
    return NULL;
  return find_code (self, BOUNCE_ENTRY_REASON, reason, NULL);
}

BounceEntry *
bounce_catalogue_find_provider_token (BounceCatalogue *self,
                                      const char      *token)
{
  g_autofree char *upper = NULL;

  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  if (token == NULL)
    return NULL;
  upper = g_ascii_strup (token, -1);
  return g_hash_table_lookup (self->tokens, upper);
}

typedef struct {
  BounceEntry *entry;
  int scoped;
  int priority;
  int length;
} RuleMatch;

static int
compare_rule_match (gconstpointer a,
                    gconstpointer b)
{
  const RuleMatch *x = a;
  const RuleMatch *y = b;

  /* Priority first: a provider's catch-all must not hide a precise rule;
   * between equals, the provider's own wording wins. */
  if (x->priority != y->priority)
    return y->priority - x->priority;
  if (x->scoped != y->scoped)
    return y->scoped - x->scoped;
  return y->length - x->length;
}

/* Another provider's rule never applies.  When the provider is not known
 * (a pasted line), a provider's rule still may, but only as a weaker
 * candidate: its phrase usually identifies the provider. */
static void
add_match (BounceCatalogue *self,
           GArray          *matches,
           BounceEntry     *entry,
           const char      *provider,
           int              length)
{
  const char *scope = bounce_entry_get_provider (entry);
  RuleMatch m;

  m.entry = entry;
  m.scoped = scope != NULL && provider != NULL;
  m.priority = bounce_entry_get_priority (entry);
  if (scope != NULL && provider == NULL)
    m.priority -= self->scoped_rule_bonus;
  m.length = length;
  g_array_append_val (matches, m);
}

/* Where a rule's pattern matches text, as the server's words: a match
 * inside an address ("dmarc" in "dmarc@reports.example.com") never counts,
 * and one inside a host name or URL ("spamcop" in
 * "spamcop-relay.example.net") only when it names the site itself
 * ("bl.spamcop.net"); a later match of the same pattern may still count.
 * This holds for every strength: a definite rule's name of a list or a
 * provider is read where the server writes it, not in a name it quotes. */
static int
match_pattern (BounceEntry *entry,
               const char  *text,
               gsize        len)
{
  g_autoptr(GMatchInfo) info = NULL;
  GRegex *regex = bounce_entry_get_regex (entry);

  if (regex == NULL || !g_regex_match (regex, text, 0, &info))
    return -1;
  for (guint tries = 0; tries < 16 && g_match_info_matches (info); tries++)
    {
      int start, end;

      g_match_info_fetch_pos (info, 0, &start, &end);
      if (end > start &&
          bounce_text_span_is_words (text, len, start, end,
                                     memchr (text + start, '.', end - start) != NULL ||
                                     memchr (text + start, '/', end - start) != NULL))
        return end - start;
      if (!g_match_info_next (info, NULL))
        break;
    }
  return -1;
}

gboolean
bounce_catalogue_entry_matches (BounceEntry *entry,
                                const char  *text)
{
  g_return_val_if_fail (BOUNCE_IS_ENTRY (entry), FALSE);
  return text != NULL && bounce_entry_get_regex (entry) != NULL && match_pattern (entry, text, strlen (text)) >= 0;
}

/* The longest phrase found of each phrases entry. */
static void
note_phrase (gpointer             owner,
             const BounceLiteral *literal,
             gsize                length,
             gpointer             data)
{
  GHashTable *found = data;

  if ((gsize) GPOINTER_TO_INT (g_hash_table_lookup (found, owner)) < length)
    g_hash_table_insert (found, owner, GINT_TO_POINTER ((int) length));
}

GPtrArray *
bounce_catalogue_match_rules (BounceCatalogue *self,
                              const char      *text,
                              const char      *provider)
{
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (RuleMatch));
  GPtrArray *out = g_ptr_array_new ();
  g_autofree char *folded = NULL;
  g_autofree guint8 *candidates = NULL;
  const char *within;
  gsize len, folded_len;

  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), out);
  if (text == NULL || *text == '\0')
    return out;
  len = strlen (text);
  folded = bounce_literal_fold (text, len);
  folded_len = strlen (folded);
  within = provider != NULL ? provider_within (self, provider) : NULL;

  /* Only the rules whose words are in the text can match: the others'
   * regexes are not run (nor compiled). */
  candidates = g_new0 (guint8, MAX (self->rules->len, 1));
  if (self->rules->len > 0)
    bounce_prefilter_scan (self->prefilter, folded, folded_len, candidates);
  for (guint i = 0; i < self->rules->len; i++)
    {
      BounceEntry *entry = self->rules->pdata[i];
      const char *scope = bounce_entry_get_provider (entry);
      int length;

      if (!candidates[i] || (scope != NULL && provider != NULL && !scope_applies (scope, provider, within)))
        continue;
      if ((length = match_pattern (entry, text, len)) >= 0)
        add_match (self, matches, entry, provider, length);
    }
  if (self->phrases->len > 0)
    {
      g_autoptr(GHashTable) found = g_hash_table_new (NULL, NULL);

      bounce_literal_index_scan (self->literals, folded, folded_len, note_phrase, found);
      /* (in catalogue order, as the rules: equal matches keep it) */
      for (guint i = 0; g_hash_table_size (found) > 0 && i < self->phrases->len; i++)
        {
          BounceEntry *entry = self->phrases->pdata[i];
          const char *scope = bounce_entry_get_provider (entry);
          int length = GPOINTER_TO_INT (g_hash_table_lookup (found, entry));

          if (length == 0 || (scope != NULL && provider != NULL && !scope_applies (scope, provider, within)) ||
              bounce_entry_phrases_ruled_out (entry, folded, folded_len))
            continue;
          add_match (self, matches, entry, provider, length);
        }
    }
  g_array_sort (matches, compare_rule_match);
  for (guint i = 0; i < matches->len; i++)
    g_ptr_array_add (out, g_array_index (matches, RuleMatch, i).entry);
  return out;
}

const char *
bounce_catalogue_detect_provider (BounceCatalogue *self,
                                  const char      *text)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  if (text == NULL)
    return NULL;
  for (guint i = 0; i < self->providers->len; i++)
    {
      BounceEntry *entry = self->providers->pdata[i];
      GRegex *regex = bounce_entry_get_regex (entry);

      if (regex != NULL && g_regex_match (regex, text, 0, NULL))
        return bounce_entry_get_code (entry);
    }
  return NULL;
}

BounceEntry *
bounce_catalogue_find_provider (BounceCatalogue *self,
                                const char      *code)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  if (code == NULL)
    return NULL;
  for (guint i = 0; i < self->providers->len; i++)
    if (g_strcmp0 (bounce_entry_get_code (self->providers->pdata[i]), code) == 0)
      return self->providers->pdata[i];
  return NULL;
}

GRegex *
bounce_catalogue_get_token_regex (BounceCatalogue *self)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);

  if (g_once_init_enter (&self->token_regex))
    {
      g_autoptr(GString) pattern = g_string_new (NULL);
      GRegex *regex = NULL;

      for (guint i = 0; i < self->providers->len; i++)
        {
          const char *tokens = bounce_entry_get_tokens (self->providers->pdata[i]);

          if (tokens == NULL)
            continue;
          if (pattern->len > 0)
            g_string_append_c (pattern, '|');
          g_string_append_printf (pattern, "(?:%s)", tokens);
        }
      /* (each provider's pattern compiled on loading: this cannot fail) */
      if (pattern->len > 0)
        regex = g_regex_new (pattern->str, G_REGEX_RAW | G_REGEX_OPTIMIZE, G_REGEX_MATCH_DEFAULT, NULL);
      /* an empty catalogue has no tokens: a pattern that never matches */
      if (regex == NULL)
        regex = g_regex_new ("(?!)", G_REGEX_RAW, G_REGEX_MATCH_DEFAULT, NULL);
      g_once_init_leave (&self->token_regex, regex);
    }
  return self->token_regex;
}

GPtrArray *
bounce_catalogue_get_blocklists (BounceCatalogue *self)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  return self->blocklists;
}

/* What the search looks in, per entry: each group case-folded once, its
 * fields joined with newlines.  A query word never holds a newline (the
 * query is split there), so it matches within one field only, as if each
 * field were searched on its own. */
typedef struct {
  char *primary;     /* title and code: a word found here scores 30 */
  char *secondary;   /* explanation, reason, id and provider: 10 */
  char *examples;    /* lines the entry matches: 8 */
  char *zones;       /* blocklist zones: 20 */
} SearchText;

struct _BounceSearchIndex {
  guint n_entries;
  SearchText texts[];
};

static char *
fold_joined (const char * const *fields,
             guint               n_fields)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < n_fields; i++)
    {
      if (fields[i] == NULL)
        continue;
      if (joined->len > 0)
        g_string_append_c (joined, '\n');
      g_string_append (joined, fields[i]);
    }
  return joined->len > 0 ? g_utf8_casefold (joined->str, joined->len) : NULL;
}

static char *
fold_strv (const char * const *strv)
{
  return strv != NULL ? fold_joined (strv, g_strv_length ((GStrv) strv)) : NULL;
}

static BounceSearchIndex *
search_index_new (BounceCatalogue *self)
{
  BounceSearchIndex *index = g_malloc0 (sizeof (BounceSearchIndex)
                                        + self->entries->len * sizeof (SearchText));

  index->n_entries = self->entries->len;
  for (guint i = 0; i < self->entries->len; i++)
    {
      BounceEntry *entry = self->entries->pdata[i];
      SearchText *text = &index->texts[i];
      const char *primary[] = { bounce_entry_get_title (entry), bounce_entry_get_code (entry) };
      const char *secondary[] = {
        bounce_entry_get_explanation (entry), bounce_entry_get_reason (entry),
        bounce_entry_get_id (entry), bounce_entry_get_provider (entry),
      };

      if (bounce_entry_get_kind (entry) == BOUNCE_ENTRY_PROVIDER)
        continue;   /* never a result */
      text->primary = fold_joined (primary, G_N_ELEMENTS (primary));
      text->secondary = fold_joined (secondary, G_N_ELEMENTS (secondary));
      text->examples = fold_strv (bounce_entry_get_examples (entry));
      text->zones = fold_strv (bounce_entry_get_zones (entry));
      /* Rules are tried on the query itself too: compiled now, not
       * while the user types. */
      if (bounce_entry_get_kind (entry) == BOUNCE_ENTRY_RULE)
        bounce_entry_get_regex (entry);
    }
  return index;
}

static void
search_index_free (BounceSearchIndex *index)
{
  for (guint i = 0; i < index->n_entries; i++)
    {
      g_free (index->texts[i].primary);
      g_free (index->texts[i].secondary);
      g_free (index->texts[i].examples);
      g_free (index->texts[i].zones);
    }
  g_free (index);
}

/* The search index is built on the first search, or ahead of it by
 * bounce_catalogue_prepare_search() (for instance on a worker thread). */
static BounceSearchIndex *
get_search_index (BounceCatalogue *self)
{
  if (g_once_init_enter (&self->search_index))
    g_once_init_leave (&self->search_index, search_index_new (self));
  return self->search_index;
}

void
bounce_catalogue_prepare_search (BounceCatalogue *self)
{
  g_return_if_fail (BOUNCE_IS_CATALOGUE (self));
  get_search_index (self);
}

typedef struct {
  BounceEntry *entry;
  int score;
  guint order;
} SearchHit;

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const SearchHit *x = a;
  const SearchHit *y = b;

  if (x->score != y->score)
    return y->score - x->score;
  return (int) x->order - (int) y->order;
}

static gboolean
has_word (const char *folded,
          const char *word)
{
  return folded != NULL && strstr (folded, word) != NULL;
}

static int
score_entry (BounceEntry      *entry,
             const SearchText *text,
             const char       *query,
             GStrv             words)
{
  const char *code = bounce_entry_get_code (entry);
  int score = 0;

  if (code != NULL)
    {
      if (g_ascii_strcasecmp (code, query) == 0)
        score += 1000;
      else if (bounce_entry_get_kind (entry) == BOUNCE_ENTRY_ENHANCED &&
               code[0] == 'X' && strlen (query) > 1 && g_ascii_strcasecmp (code + 1, query + 1) == 0)
        score += 900;
    }

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *w = words[i];
      int word_score = 0;

      if (*w == '\0')
        continue;
      if (has_word (text->primary, w))
        word_score = 30;
      else if (has_word (text->secondary, w))
        word_score = 10;
      else if (has_word (text->examples, w))
        word_score = 8;
      else if (has_word (text->zones, w))
        word_score = 20;
      if (word_score == 0)
        return score >= 900 ? score : 0;   /* every word must match */
      score += word_score;
    }
  return score;
}

GPtrArray *
bounce_catalogue_search (BounceCatalogue *self,
                         const char      *query)
{
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (SearchHit));
  g_autofree char *folded = NULL;
  g_autofree char *stripped = NULL;
  g_auto(GStrv) words = NULL;
  BounceSearchIndex *index;
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), out);
  if (query == NULL)
    return out;
  stripped = g_strstrip (g_strdup (query));
  if (*stripped == '\0')
    return out;
  folded = g_utf8_casefold (stripped, -1);
  words = g_strsplit_set (folded, " \t\n", -1);
  index = get_search_index (self);

  for (guint i = 0; i < index->n_entries; i++)
    {
      BounceEntry *entry = self->entries->pdata[i];
      SearchHit hit = { entry, 0, i };

      /* (phrases are explained by their reason's entry) */
      if (bounce_entry_get_kind (entry) == BOUNCE_ENTRY_PROVIDER ||
          bounce_entry_get_kind (entry) == BOUNCE_ENTRY_PHRASES)
        continue;
      hit.score = score_entry (entry, &index->texts[i], stripped, words);
      /* Codes and tokens typed in full also find the rules that mention them. */
      if (hit.score == 0 && bounce_entry_get_kind (entry) == BOUNCE_ENTRY_RULE)
        {
          GRegex *regex = bounce_entry_get_regex (entry);

          if (regex != NULL && g_regex_match (regex, stripped, 0, NULL))
            hit.score = 50;
        }
      if (hit.score > 0)
        g_array_append_val (hits, hit);
    }
  g_array_sort (hits, compare_hits);
  for (guint i = 0; i < hits->len; i++)
    g_ptr_array_add (out, g_array_index (hits, SearchHit, i).entry);
  return out;
}
