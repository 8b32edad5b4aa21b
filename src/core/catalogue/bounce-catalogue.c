/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "bounce-catalogue.h"
#include "bounce-alternation.h"
#include "bounce-error.h"
#include "bounce-json.h"
#include "bounce-literal.h"
#include "bounce-prefilter.h"

typedef struct _BounceSearchIndex BounceSearchIndex;

static void search_index_free (BounceSearchIndex *index);

/* The catalogue's entries are numbered in file order.  Everything that
 * finds one (by id, by code, by a rule's token, the lists of rules,
 * providers, phrases and blocklists) is a table of those numbers: built
 * when a catalogue is read from JSON, and read in place from a compiled
 * catalogue (bounce-catalogue-compile, run at build time, writes it into
 * the GResource), whose entries are then made one by one when first used.
 * Both kinds of catalogue answer through the same tables. */
#define TABLES_TYPE "(auauauauauauauauauauauuauauauauauayauauauau)"
#define COMPILED_MAGIC "bounce-catalogue-12"
#define PREFILTER_TYPE "(uuauauauauvauauauauauau)"
#define COMPILED_TYPE "(ssi" TABLES_TYPE PREFILTER_TYPE "(ayauauauauauayau)" PREFILTER_TYPE PREFILTER_TYPE ")"

typedef struct {
  const guint32 *items;
  gsize len;
} IndexList;

struct _BounceCatalogue
{
  GObject parent_instance;

  char *version;
  int scoped_rule_bonus;   /* see index.json and docs/catalogue-format.md */

  guint n_entries;
  BounceEntry **slots;     /* the entries by number (owned); a compiled catalogue's made when first used */

  GVariant *tables;        /* TABLES_TYPE, read in place: */
  BounceStringTable strings;  /* the strings the tables name by number */
  IndexList id_refs;       /* each entry's id, by number */
  IndexList id_order;      /* entry numbers in the order of their ids (strcmp) */
  IndexList code_keys;     /* "kind:CODE" keys, sorted (strcmp) */
  IndexList code_start;    /* code_keys.len + 1 offsets into code_entries */
  IndexList code_entries;  /* each key's entries, in file order (scoped ones included) */
  IndexList token_keys;    /* upper-case rule codes, sorted */
  IndexList token_entries; /* the rule of each */
  IndexList rules;
  IndexList providers;
  IndexList phrases;
  IndexList blocklists;
  const char *token_pattern;  /* the providers' token shapes as one pattern, or NULL */
  IndexList zone_start;    /* blocklists.len + 1 offsets into zone_refs */
  IndexList zone_refs;     /* each blocklist's zones (strings), in its order */
  IndexList multi_lists;   /* the blocklists (numbers in blocklists) that are multi-list checkers */
  IndexList needle_start;  /* per alternative of token_pattern, offsets into needle_refs */
  IndexList needle_refs;   /* their needles (bounce_alternation_needles()), read at build time */
  IndexList provider_codes;  /* per provider (in providers), its code's string, or 0 */
  IndexList rhost_tables;  /* the codes (strings) of the providers whose rules come from one of
                            * Sisimai's per-provider tables (lib/Sisimai/Rhost/NAME.pm) */
  const char **zones;      /* made when first asked: per blocklist its zones then NULL, end to end */
  guint *zones_of;         /* where each blocklist's are in zones */
  IndexList record_start;  /* a compiled catalogue's: n_entries + 1 offsets into records */
  IndexList records;       /* each entry's record (bounce_entry_write()) */

  BouncePrefilter *prefilter;    /* which rules can match a text */
  BouncePrefilter *provider_filter;   /* the same for the providers' patterns, */
  BouncePrefilter *blocklist_filter;  /* and the blocklists' (compiled with the catalogue) */
  BounceLiteralIndex *literals;  /* the phrases entries' phrases (owner: number in phrases) */
  BounceAlternation **alternations;  /* per rule, its regex's alternatives, made when first needed */

  GPtrArray *entries;      /* BounceEntry, file order: every one made, on first ask */
  GPtrArray *blocklist_entries;   /* the same for the blocklists */
  GRegex *token_regex;     /* token_pattern compiled when first asked */
  BounceAlternation *tokens;   /* token_pattern's alternatives, made when first asked */
  BounceSearchIndex *search_index;   /* what bounce_catalogue_search() looks in */
};

G_DEFINE_FINAL_TYPE (BounceCatalogue, bounce_catalogue, G_TYPE_OBJECT)

static void
bounce_catalogue_finalize (GObject *object)
{
  BounceCatalogue *self = (BounceCatalogue *)object;

  g_free (self->version);
  g_clear_pointer (&self->search_index, search_index_free);
  g_clear_pointer (&self->token_regex, g_regex_unref);
  g_clear_pointer (&self->tokens, bounce_alternation_free);
  g_free (self->zones_of);
  g_free (self->zones);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->blocklist_entries, g_ptr_array_unref);
  g_clear_pointer (&self->prefilter, bounce_prefilter_free);
  g_clear_pointer (&self->provider_filter, bounce_prefilter_free);
  g_clear_pointer (&self->blocklist_filter, bounce_prefilter_free);
  g_clear_pointer (&self->literals, bounce_literal_index_free);
  for (guint i = 0; self->alternations != NULL && i < self->rules.len; i++)
    g_clear_pointer (&self->alternations[i], bounce_alternation_free);
  g_clear_pointer (&self->alternations, g_free);
  for (guint i = 0; self->slots != NULL && i < self->n_entries; i++)
    g_clear_object (&self->slots[i]);
  g_free (self->slots);
  g_clear_pointer (&self->tables, g_variant_unref);

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
}

static BounceEntry *make_entry (BounceCatalogue *self,
                                guint            number);

/* Entry number i, made now if it has not been. */
static inline BounceEntry *
entry_at (BounceCatalogue *self,
          guint            i)
{
  BounceEntry *entry = g_atomic_pointer_get (&self->slots[i]);

  return G_LIKELY (entry != NULL) ? entry : make_entry (self, i);
}

/* "kind:code" (joined without printf's parsing of a format: a key is
 * made for every code looked up) */
static char *
code_key (BounceEntryKind  kind,
          const char      *code)
{
  return g_strconcat (bounce_entry_kind_to_string (kind), ":", code, NULL);
}

/* -- the tables -------------------------------------------------------------- */

static GVariant *
u32_array (GArray *values)
{
  return bounce_u32_array_to_variant ((const guint32 *) (gpointer) values->data, values->len);
}

/* String number n of the tables ("" if none, in a damaged one). */
static inline const char *
table_str (BounceCatalogue *self,
           guint32          n)
{
  const char *s = bounce_string_table_get (&self->strings, n);

  return s != NULL ? s : "";
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b,
             gpointer      data)
{
  BounceEntry **slots = data;

  return strcmp (bounce_entry_get_id (slots[*(const guint32 *) a]),
                 bounce_entry_get_id (slots[*(const guint32 *) b]));
}

static void
append_u32 (GArray *array,
            guint   value)
{
  guint32 v = value;

  g_array_append_val (array, v);
}

/* The tables, from entries every one of which is made (a catalogue read
 * from JSON, or one being compiled: then with the entries' records). */
static GVariant *
build_tables (BounceCatalogue *self,
              gboolean         with_records)
{
  BounceStringPool pool;
  g_autoptr(GArray) id_refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) id_order = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree gpointer *code_keys = NULL;
  g_autofree gpointer *token_keys = NULL;
  g_autoptr(GArray) code_refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) code_start = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) code_entries = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) token_refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) token_entries = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) record_start = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) records = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) zone_start = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) zone_refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) multi_lists = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) needle_start = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) needle_refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) provider_codes = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) rhost_tables = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GHashTable) rhost_providers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree gpointer *rhost_codes = NULL;
  guint n_rhost_codes;
  g_autoptr(GString) token_pattern = g_string_new (NULL);
  GArray *lists[4];   /* rules, providers, phrases, blocklists */
  guint n_code_keys, n_token_keys;
  guint32 token_ref;
  GVariant *tables;

  bounce_string_pool_init (&pool);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    lists[l] = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < self->n_entries; i++)
    {
      BounceEntry *entry = self->slots[i];
      BounceEntryKind kind = bounce_entry_get_kind (entry);
      const char *code = bounce_entry_get_code (entry);

      append_u32 (id_refs, bounce_string_pool_add (&pool, bounce_entry_get_id (entry)));
      append_u32 (id_order, i);
      /* (so that the judge asks whether Sisimai has a table for a provider
       * without making every entry to read their sources) */
      if ((kind == BOUNCE_ENTRY_RULE || kind == BOUNCE_ENTRY_PHRASES) &&
          bounce_entry_get_provider (entry) != NULL && bounce_entry_get_source_url (entry) != NULL &&
          strstr (bounce_entry_get_source_url (entry), "lib/Sisimai/Rhost/") != NULL)
        g_hash_table_add (rhost_providers, (gpointer) bounce_entry_get_provider (entry));
      if (with_records)
        {
          append_u32 (record_start, records->len);
          bounce_entry_write (entry, records, &pool);
        }
      switch (kind)
        {
        case BOUNCE_ENTRY_RULE:
          append_u32 (lists[0], i);
          /* (a later rule with the same token replaces an earlier one) */
          if (code != NULL)
            g_hash_table_insert (tokens, g_ascii_strup (code, -1), GUINT_TO_POINTER (i));
          continue;
        case BOUNCE_ENTRY_PROVIDER:
          append_u32 (lists[1], i);
          /* (so that a run finds a provider by its code without making
           * every provider entry) */
          append_u32 (provider_codes, bounce_string_pool_add (&pool, code));
          if (bounce_entry_get_tokens (entry) != NULL)
            g_string_append_printf (token_pattern, "%s(?:%s)", token_pattern->len > 0 ? "|" : "",
                                    bounce_entry_get_tokens (entry));
          continue;
        case BOUNCE_ENTRY_PHRASES:
          append_u32 (lists[2], i);
          continue;
        case BOUNCE_ENTRY_BLOCKLIST:
          /* (its zones and whether it is a multi-list checker, so that a
           * run looks for the lists a bounce names without making every
           * blocklist entry) */
          if (bounce_entry_get_multi (entry))
            append_u32 (multi_lists, lists[3]->len);
          append_u32 (lists[3], i);
          append_u32 (zone_start, zone_refs->len);
          for (const char * const *z = bounce_entry_get_zones (entry); *z != NULL; z++)
            append_u32 (zone_refs, bounce_string_pool_add (&pool, *z));
          continue;
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
          GArray *list = g_hash_table_lookup (codes, key);

          if (list == NULL)
            {
              list = g_array_new (FALSE, FALSE, sizeof (guint32));
              g_hash_table_insert (codes, g_steal_pointer (&key), list);
            }
          append_u32 (list, i);
        }
    }
  if (with_records)
    append_u32 (record_start, records->len);
  append_u32 (zone_start, zone_refs->len);
  g_array_sort_with_data (id_order, compare_ids, self->slots);

  code_keys = g_hash_table_get_keys_as_array (codes, &n_code_keys);
  qsort (code_keys, n_code_keys, sizeof (gpointer), compare_strings);
  for (guint k = 0; k < n_code_keys; k++)
    {
      GArray *list = g_hash_table_lookup (codes, code_keys[k]);

      append_u32 (code_refs, bounce_string_pool_add (&pool, code_keys[k]));
      append_u32 (code_start, code_entries->len);
      g_array_append_vals (code_entries, list->data, list->len);
    }
  append_u32 (code_start, code_entries->len);

  token_keys = g_hash_table_get_keys_as_array (tokens, &n_token_keys);
  qsort (token_keys, n_token_keys, sizeof (gpointer), compare_strings);
  for (guint k = 0; k < n_token_keys; k++)
    {
      append_u32 (token_refs, bounce_string_pool_add (&pool, token_keys[k]));
      append_u32 (token_entries, GPOINTER_TO_UINT (g_hash_table_lookup (tokens, token_keys[k])));
    }

  /* The token shapes' alternatives' needles: a run does not read them
   * from the pattern again (bounce_catalogue_get_tokens()). */
  if (token_pattern->len > 0)
    {
      g_auto(GStrv) pieces = bounce_alternation_split (token_pattern->str);

      for (guint i = 0; pieces != NULL && pieces[i] != NULL; i++)
        {
          g_auto(GStrv) needles = bounce_alternation_needles (pieces[i], G_REGEX_RAW);

          append_u32 (needle_start, needle_refs->len);
          for (guint k = 0; needles != NULL && needles[k] != NULL; k++)
            append_u32 (needle_refs, bounce_string_pool_add (&pool, needles[k]));
        }
      append_u32 (needle_start, needle_refs->len);
    }

  rhost_codes = g_hash_table_get_keys_as_array (rhost_providers, &n_rhost_codes);
  qsort (rhost_codes, n_rhost_codes, sizeof (gpointer), compare_strings);
  for (guint k = 0; k < n_rhost_codes; k++)
    append_u32 (rhost_tables, bounce_string_pool_add (&pool, rhost_codes[k]));
  /* (the pool last: it is copied as it is then) */
  token_ref = token_pattern->len > 0 ? bounce_string_pool_add (&pool, token_pattern->str) : 0;
  tables = g_variant_new ("(@au@au@au@au@au@au@au@au@au@au@auu@au@au@au@au@au@ay@au@au@au@au)",
                          u32_array (id_refs), u32_array (id_order),
                          u32_array (code_refs), u32_array (code_start), u32_array (code_entries),
                          u32_array (token_refs), u32_array (token_entries),
                          u32_array (lists[0]), u32_array (lists[1]), u32_array (lists[2]), u32_array (lists[3]),
                          token_ref, u32_array (record_start), u32_array (records),
                          u32_array (zone_start), u32_array (zone_refs), u32_array (multi_lists),
                          bounce_string_pool_to_variant (&pool),
                          u32_array (needle_start), u32_array (needle_refs), u32_array (provider_codes),
                          u32_array (rhost_tables));
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    g_array_unref (lists[l]);
  bounce_string_pool_clear (&pool);
  return g_variant_ref_sink (tables);
}

static gboolean
read_list (GVariant  *tables,
           gsize      child,
           IndexList *list,
           guint      limit)
{
  list->items = bounce_u32_array_get (tables, child, &list->len);
  for (gsize i = 0; limit > 0 && i < list->len; i++)
    if (list->items[i] >= limit)
      return FALSE;
  return TRUE;
}

/* Takes the tables (TABLES_TYPE, transfer full) into use; FALSE when they
 * do not fit n_entries entries. */
static gboolean
attach_tables (BounceCatalogue *self,
               GVariant        *tables)
{
  g_autoptr(GVariant) pool = NULL;
  guint32 token_pattern;
  guint n = self->n_entries;

  self->tables = tables;
  /* (in the serialised form, so that what is read below lies in one
   * buffer, as it does in a compiled catalogue) */
  g_variant_get_data (tables);
  pool = g_variant_get_child_value (tables, 17);
  g_variant_get_child (tables, 11, "u", &token_pattern);
  /* (a list of numbers below 0 is not checked: keys and offsets) */
  if (!bounce_string_table_init (&self->strings, pool) ||
      !read_list (tables, 0, &self->id_refs, 0) || self->id_refs.len != n ||
      !read_list (tables, 1, &self->id_order, n) || self->id_order.len != n ||
      !read_list (tables, 2, &self->code_keys, 0) ||
      !read_list (tables, 3, &self->code_start, 0) || self->code_start.len != self->code_keys.len + 1 ||
      !read_list (tables, 4, &self->code_entries, n) ||
      self->code_start.items[self->code_keys.len] != self->code_entries.len ||
      !read_list (tables, 5, &self->token_keys, 0) ||
      !read_list (tables, 6, &self->token_entries, n) || self->token_entries.len != self->token_keys.len ||
      !read_list (tables, 7, &self->rules, n) ||
      !read_list (tables, 8, &self->providers, n) ||
      !read_list (tables, 9, &self->phrases, n) ||
      !read_list (tables, 10, &self->blocklists, n) ||
      !read_list (tables, 12, &self->record_start, 0) ||
      !read_list (tables, 13, &self->records, 0) ||
      !read_list (tables, 14, &self->zone_start, 0) || self->zone_start.len != self->blocklists.len + 1 ||
      !read_list (tables, 15, &self->zone_refs, 0) ||
      self->zone_start.items[self->blocklists.len] != self->zone_refs.len ||
      !read_list (tables, 16, &self->multi_lists, self->blocklists.len) ||
      !read_list (tables, 18, &self->needle_start, 0) ||
      !read_list (tables, 19, &self->needle_refs, 0) ||
      !read_list (tables, 20, &self->provider_codes, 0) || self->provider_codes.len != self->providers.len ||
      !read_list (tables, 21, &self->rhost_tables, 0) ||
      (self->needle_start.len > 0 && self->needle_start.items[self->needle_start.len - 1] != self->needle_refs.len))
    return FALSE;
  for (gsize k = 1; k < self->needle_start.len; k++)
    if (self->needle_start.items[k - 1] > self->needle_start.items[k])
      return FALSE;
  for (gsize k = 0; k < self->provider_codes.len; k++)
    if (self->provider_codes.items[k] != 0 &&
        bounce_string_table_get (&self->strings, self->provider_codes.items[k]) == NULL)
      return FALSE;
  for (gsize k = 0; k < self->rhost_tables.len; k++)
    if (bounce_string_table_get (&self->strings, self->rhost_tables.items[k]) == NULL)
      return FALSE;
  /* (a needle is a string: each is looked at as one when asked for) */
  for (gsize k = 0; k < self->needle_refs.len; k++)
    if (bounce_string_table_get (&self->strings, self->needle_refs.items[k]) == NULL)
      return FALSE;
  for (gsize k = 1; k < self->multi_lists.len; k++)
    if (self->multi_lists.items[k - 1] >= self->multi_lists.items[k])
      return FALSE;
  for (gsize k = 0; k < self->blocklists.len; k++)
    if (self->zone_start.items[k] > self->zone_start.items[k + 1])
      return FALSE;
  /* (a zone is a string: each is looked at as one when asked for) */
  for (gsize k = 0; k < self->zone_refs.len; k++)
    if (bounce_string_table_get (&self->strings, self->zone_refs.items[k]) == NULL)
      return FALSE;
  self->token_pattern = bounce_string_table_get (&self->strings, token_pattern);
  /* (a pattern is compiled as UTF-8: PCRE is not asked to read anything else) */
  if (self->token_pattern != NULL && !g_utf8_validate (self->token_pattern, -1, NULL))
    return FALSE;
  for (gsize k = 0; k < self->code_keys.len; k++)
    if (self->code_start.items[k] > self->code_start.items[k + 1])
      return FALSE;
  return TRUE;
}

/* Where key is among the sorted strings numbered in keys, or -1. */
static gssize
find_key (BounceCatalogue *self,
          const IndexList *keys,
          const char      *key)
{
  gsize lo = 0, hi = keys->len;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      int c = strcmp (table_str (self, keys->items[mid]), key);

      if (c == 0)
        return (gssize) mid;
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return -1;
}

/* -- reading JSON ------------------------------------------------------------ */

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
load_file (GPtrArray        *entries,
           GHashTable       *by_id,
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
      if (g_hash_table_contains (by_id, bounce_entry_get_id (entry)))
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "%s: duplicate entry id “%s”", path, bounce_entry_get_id (entry));
          g_object_unref (entry);
          return FALSE;
        }
      g_ptr_array_add (entries, entry);
      g_hash_table_add (by_id, (gpointer) bounce_entry_get_id (entry));
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

/* Reads the files index.json names into entries. */
static gboolean
load_files (BounceCatalogue  *self,
            const char       *resource_dir,
            gboolean          from_resource,
            GPtrArray        *entries,
            GError          **error)
{
  g_autofree char *index_path = g_build_path ("/", resource_dir, "index.json", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *root;
  JsonArray *files;
  gsize len;
  const char *data;

  bytes = read_catalogue_file (index_path, from_resource, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  if (!json_parser_load_from_data (parser, data, len, error))
    return FALSE;
  root = bounce_json_object (json_parser_get_root (parser));
  if (root == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE, "%s: not an object", index_path);
      return FALSE;
    }
  if (!read_index_values (self, root, index_path, error))
    return FALSE;
  files = bounce_json_member_array (root, "files");
  if (files == NULL)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE, "%s: no “files” array", index_path);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      const char *name = bounce_json_string (json_array_get_element (files, i));
      g_autofree char *path = NULL;

      if (name == NULL || strchr (name, '/') != NULL)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "%s: bad file name at position %u", index_path, i);
          return FALSE;
        }
      path = g_build_path ("/", resource_dir, name, NULL);
      if (!load_file (entries, by_id, path, from_resource, error))
        return FALSE;
    }
  return TRUE;
}

/* A prefilter of the patterns of a list of entries (the providers or the
 * blocklists), as the rules' one: built with the catalogue, so that a run
 * reads it from the compiled one instead of the patterns. */
static BouncePrefilter *
list_prefilter_new (BounceCatalogue *self,
                    const IndexList *list)
{
  BouncePrefilter *made = bounce_prefilter_new ();

  for (guint i = 0; i < list->len; i++)
    bounce_prefilter_add (made, i, bounce_entry_get_pattern (self->slots[list->items[i]]));
  bounce_prefilter_build (made);
  return made;
}

static BounceCatalogue *
catalogue_load (const char  *resource_dir,
                gboolean     from_resource,
                GError     **error)
{
  g_autoptr(BounceCatalogue) self = g_object_new (BOUNCE_TYPE_CATALOGUE, NULL);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (resource_dir != NULL, NULL);

  if (!load_files (self, resource_dir, from_resource, entries, error))
    return NULL;
  self->n_entries = entries->len;
  self->slots = g_new0 (BounceEntry *, MAX (entries->len, 1));
  for (guint i = 0; i < entries->len; i++)
    self->slots[i] = g_object_ref (entries->pdata[i]);
  self->entries = g_ptr_array_new ();
  g_ptr_array_extend (self->entries, entries, NULL, NULL);
  /* (the tables of entries that check out cannot fail to fit them) */
  attach_tables (self, build_tables (self, FALSE));

  /* A phrases entry is explained by its reason's own entry; its phrases
   * are found in one pass over a text. */
  self->literals = bounce_literal_index_new ();
  for (guint i = 0; i < self->phrases.len; i++)
    {
      BounceEntry *entry = self->slots[self->phrases.items[i]];
      GPtrArray *literals = bounce_entry_get_phrases (entry);

      bounce_entry_set_explained_by (entry, bounce_catalogue_find_reason (self, bounce_entry_get_reason (entry)));
      for (guint k = 0; k < literals->len; k++)
        bounce_literal_index_add (self->literals, literals->pdata[k], i);
    }
  bounce_literal_index_build (self->literals);
  /* The words each rule's pattern needs, for bounce_catalogue_match_rules(). */
  self->prefilter = bounce_prefilter_new ();
  for (guint i = 0; i < self->rules.len; i++)
    bounce_prefilter_add (self->prefilter, i, bounce_entry_get_pattern (self->slots[self->rules.items[i]]));
  bounce_prefilter_build (self->prefilter);
  self->provider_filter = list_prefilter_new (self, &self->providers);
  self->blocklist_filter = list_prefilter_new (self, &self->blocklists);

  /* A DNS answer that means another list must name a list we have. */
  for (guint i = 0; i < self->blocklists.len; i++)
    {
      BounceEntry *blocklist = self->slots[self->blocklists.items[i]];
      const BounceDnsInfo *dns = bounce_entry_get_dns (blocklist);

      for (guint j = 0; dns != NULL && j < dns->answers->len; j++)
        {
          const char *list_id = ((BounceDnsAnswer *) dns->answers->pdata[j])->list_id;
          BounceEntry *list = list_id != NULL ? bounce_catalogue_lookup (self, list_id) : NULL;

          if (list_id != NULL && (list == NULL || bounce_entry_get_kind (list) != BOUNCE_ENTRY_BLOCKLIST))
            {
              g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                           "Catalogue entry “%s”: a DNS answer names “%s”, which is no blocklist",
                           bounce_entry_get_id (blocklist), list_id);
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

/* -- the compiled form ------------------------------------------------------- */

GBytes *
bounce_catalogue_compile (BounceCatalogue *self)
{
  g_autoptr(GVariant) compiled = NULL;

  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  for (guint i = 0; i < self->n_entries; i++)
    entry_at (self, i);
  compiled = g_variant_ref_sink (g_variant_new ("(ssi@" TABLES_TYPE "@" PREFILTER_TYPE "@(ayauauauauauayau)"
                                                "@" PREFILTER_TYPE "@" PREFILTER_TYPE ")",
                                                COMPILED_MAGIC, self->version, (gint32) self->scoped_rule_bonus,
                                                build_tables (self, TRUE),
                                                bounce_prefilter_to_variant (self->prefilter),
                                                bounce_literal_index_to_variant (self->literals),
                                                bounce_prefilter_to_variant (self->provider_filter),
                                                bounce_prefilter_to_variant (self->blocklist_filter)));
  /* (made by g_variant_new(), so in normal form: the program reads the
   * built-in one as trusted, see new_from_compiled()) */
  g_assert (g_variant_is_normal_form (compiled));
  return g_variant_get_data_as_bytes (compiled);
}

/* trusted: the built-in catalogue, compiled by this build, which read it
 * back whole then (bounce-catalogue-compile): GVariant does not check it
 * for normal form again, nor is every number of its indexes checked. */
static BounceCatalogue *
new_from_compiled (GBytes    *bytes,
                   gboolean   trusted,
                   GError   **error)
{
  g_autoptr(BounceCatalogue) self = g_object_new (BOUNCE_TYPE_CATALOGUE, NULL);
  g_autoptr(GVariant) compiled = NULL;
  g_autoptr(GVariant) magic = NULL;
  g_autoptr(GVariant) prefilter = NULL;
  g_autoptr(GVariant) literals = NULL;
  g_autoptr(GVariant) provider_filter = NULL;
  g_autoptr(GVariant) blocklist_filter = NULL;
  gint32 bonus;

  g_return_val_if_fail (bytes != NULL, NULL);
  /* (not trusted: GVariant checks each part it is asked for, and what is
   * read from the parts is checked here; that costs little, as the parts
   * are few and large) */
  compiled = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (COMPILED_TYPE), bytes, trusted));
  magic = g_variant_get_child_value (compiled, 0);
  if (!g_str_equal (g_variant_get_string (magic, NULL), COMPILED_MAGIC))
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE, "Not a compiled catalogue of this version");
      return NULL;
    }
  g_variant_get_child (compiled, 1, "s", &self->version);
  g_variant_get_child (compiled, 2, "i", &bonus);
  self->scoped_rule_bonus = CLAMP (bonus, 0, BOUNCE_ENTRY_PRIORITY_MAX);
  prefilter = g_variant_get_child_value (compiled, 4);
  literals = g_variant_get_child_value (compiled, 5);
  self->prefilter = bounce_prefilter_new_from_variant (prefilter, trusted);
  self->literals = bounce_literal_index_new_from_variant (literals, trusted);
  provider_filter = g_variant_get_child_value (compiled, 6);
  blocklist_filter = g_variant_get_child_value (compiled, 7);
  self->provider_filter = bounce_prefilter_new_from_variant (provider_filter, trusted);
  self->blocklist_filter = bounce_prefilter_new_from_variant (blocklist_filter, trusted);
  {
    g_autoptr(GVariant) ids = g_variant_get_child_value (compiled, 3);
    g_autoptr(GVariant) id_refs = g_variant_get_child_value (ids, 0);

    self->n_entries = g_variant_n_children (id_refs);
  }
  self->slots = g_new0 (BounceEntry *, MAX (self->n_entries, 1));
  if (!attach_tables (self, g_variant_get_child_value (compiled, 3)) ||
      self->record_start.len != self->n_entries + 1 ||
      self->prefilter == NULL || self->literals == NULL ||
      bounce_prefilter_get_n_rules (self->prefilter) > self->rules.len ||
      /* (a list's filter answers for each of its entries) */
      self->provider_filter == NULL || bounce_prefilter_get_n_rules (self->provider_filter) != self->providers.len ||
      self->blocklist_filter == NULL || bounce_prefilter_get_n_rules (self->blocklist_filter) != self->blocklists.len)
    {
      g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE, "A damaged compiled catalogue");
      return NULL;
    }
  for (guint i = 0; !trusted && i < self->n_entries; i++)
    if (self->record_start.items[i] > self->record_start.items[i + 1] ||
        self->record_start.items[i + 1] > self->records.len)
      {
        g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE, "A damaged compiled catalogue");
        return NULL;
      }
  for (guint i = 0; !trusted && i < bounce_literal_index_get_n_literals (self->literals); i++)
    {
      guint32 owner;

      bounce_literal_index_get_literal (self->literals, i, &owner);
      if (owner >= self->phrases.len)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE, "A damaged compiled catalogue");
          return NULL;
        }
    }
  return g_steal_pointer (&self);
}

BounceCatalogue *
bounce_catalogue_new_from_compiled (GBytes  *bytes,
                                    GError **error)
{
  return new_from_compiled (bytes, FALSE, error);
}

/* A compiled catalogue's entry number i read from its record, or NULL
 * when the record is damaged. */
static BounceEntry *
read_entry (BounceCatalogue *self,
            guint            i)
{
  BounceRecordReader reader = {
    self->records.items + self->record_start.items[i],
    self->records.items + self->record_start.items[i + 1],
    &self->strings,
    FALSE,
  };

  g_return_val_if_fail (self->record_start.len == self->n_entries + 1, NULL);
  return bounce_entry_read (&reader, self->tables);
}

/* ... put in its slot (or the one another thread put there first). */
static BounceEntry *
store_entry (BounceCatalogue *self,
             guint            i,
             BounceEntry     *entry)
{
  if (bounce_entry_get_kind (entry) == BOUNCE_ENTRY_PHRASES)
    bounce_entry_set_explained_by (entry, bounce_catalogue_find_reason (self, bounce_entry_get_reason (entry)));
  if (!g_atomic_pointer_compare_and_exchange (&self->slots[i], NULL, entry))
    {
      g_object_unref (entry);
      entry = g_atomic_pointer_get (&self->slots[i]);
    }
  return entry;
}

/* A compiled catalogue's entry number i, made from its record when first
 * used. */
static BounceEntry *
make_entry (BounceCatalogue *self,
            guint            i)
{
  BounceEntry *entry = read_entry (self, i);

  /* (the built-in catalogue is read back when it is built, and one read
   * from a file is checked whole by bounce_catalogue_check_compiled()) */
  if (entry == NULL)
    g_error ("The compiled catalogue's entry %u is damaged", i);
  return store_entry (self, i, entry);
}

static void
unref_entry (gpointer entry)
{
  if (entry != NULL)
    g_object_unref (entry);
}

gboolean
bounce_catalogue_check_compiled (BounceCatalogue  *self,
                                 GError          **error)
{
  g_autoptr(GPtrArray) made = NULL;

  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), FALSE);
  if (self->slots == NULL)
    return TRUE;
  /* every record first, then the links between entries (a phrase list's
   * reason), which may read another record */
  made = g_ptr_array_new_full (self->n_entries, unref_entry);
  for (guint i = 0; i < self->n_entries; i++)
    {
      BounceEntry *entry = g_atomic_pointer_get (&self->slots[i]) != NULL ? NULL : read_entry (self, i);

      if (entry == NULL && g_atomic_pointer_get (&self->slots[i]) == NULL)
        {
          g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_CATALOGUE,
                       "The compiled catalogue's entry %u is damaged", i);
          return FALSE;
        }
      g_ptr_array_add (made, entry);
    }
  for (guint i = 0; i < self->n_entries; i++)
    if (made->pdata[i] != NULL)
      store_entry (self, i, g_steal_pointer (&made->pdata[i]));
  return TRUE;
}

BounceCatalogue *
bounce_catalogue_get_default (void)
{
  static BounceCatalogue *instance = NULL;

  if (g_once_init_enter (&instance))
    {
      g_autoptr(GError) error = NULL;
      BounceCatalogue *catalogue = NULL;

      /* BOUNCE_CATALOGUE_DIR: a directory of catalogue JSON files used
       * instead of the built-in ones (to try out or benchmark a catalogue;
       * build-aux/bench measures one grown five-fold). */
      const char *dir = g_getenv ("BOUNCE_CATALOGUE_DIR");
      /* BOUNCE_CATALOGUE_COMPILED: a catalogue compiled from such a
       * directory by bounce-catalogue-compile (build-aux/bench measures the
       * grown one so too). */
      const char *compiled = g_getenv ("BOUNCE_CATALOGUE_COMPILED");
      gboolean from_dir = dir != NULL && *dir != '\0';

      if (from_dir)
        catalogue = bounce_catalogue_new_from_directory (dir, &error);
      else if (compiled != NULL && *compiled != '\0')
        {
          g_autoptr(GMappedFile) file = g_mapped_file_new (compiled, FALSE, &error);
          g_autoptr(GBytes) bytes = file != NULL ? g_mapped_file_get_bytes (file) : NULL;

          if (bytes != NULL)
            catalogue = bounce_catalogue_new_from_compiled (bytes, &error);
          /* (a file is checked whole: its entries are not read back at build time) */
          if (catalogue != NULL && !bounce_catalogue_check_compiled (catalogue, &error))
            g_clear_object (&catalogue);
        }
      else
        {
          /* The built-in catalogue, compiled from the JSON at build time:
           * read in place, without a copy. */
          g_autoptr(GBytes) bytes = g_resources_lookup_data (BOUNCE_CATALOGUE_COMPILED_RESOURCE,
                                                             G_RESOURCE_LOOKUP_FLAGS_NONE, &error);

          if (bytes != NULL)
            catalogue = new_from_compiled (bytes, TRUE, &error);
          if (catalogue == NULL)
            {
              g_warning ("Could not read the compiled catalogue (%s); reading its JSON", error->message);
              g_clear_error (&error);
              catalogue = bounce_catalogue_new_from_resource (BOUNCE_CATALOGUE_RESOURCE_DIR, &error);
            }
        }
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
          catalogue->slots = g_new0 (BounceEntry *, 1);
          catalogue->entries = g_ptr_array_new ();
          catalogue->prefilter = bounce_prefilter_new ();
          bounce_prefilter_build (catalogue->prefilter);
          catalogue->provider_filter = bounce_prefilter_new ();
          bounce_prefilter_build (catalogue->provider_filter);
          catalogue->blocklist_filter = bounce_prefilter_new ();
          bounce_prefilter_build (catalogue->blocklist_filter);
          catalogue->literals = bounce_literal_index_new ();
          bounce_literal_index_build (catalogue->literals);
          attach_tables (catalogue, build_tables (catalogue, FALSE));
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
  return self->n_entries;
}

/* Every entry of a list, made (thread-safe: the array is published once). */
static GPtrArray *
make_all (BounceCatalogue  *self,
          GPtrArray       **cache,
          const IndexList  *list)
{
  GPtrArray *array = g_atomic_pointer_get (cache);

  if (array == NULL)
    {
      guint n = list != NULL ? list->len : self->n_entries;

      array = g_ptr_array_sized_new (n);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (array, entry_at (self, list != NULL ? list->items[i] : i));
      if (!g_atomic_pointer_compare_and_exchange (cache, NULL, array))
        {
          g_ptr_array_unref (array);
          array = g_atomic_pointer_get (cache);
        }
    }
  return array;
}

GPtrArray *
bounce_catalogue_get_entries (BounceCatalogue *self)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  return make_all (self, &self->entries, NULL);
}

BounceEntry *
bounce_catalogue_lookup (BounceCatalogue *self,
                         const char      *id)
{
  guint lo = 0, hi;

  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  if (id == NULL)
    return NULL;
  hi = self->id_order.len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint32 number = self->id_order.items[mid];
      int c = strcmp (table_str (self, self->id_refs.items[number]), id);

      if (c == 0)
        return entry_at (self, number);
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
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
  gssize k = find_key (self, &self->code_keys, key);
  BounceEntry *unscoped = NULL;
  BounceEntry *any_scoped = NULL;
  BounceEntry *within_scoped = NULL;
  const char *within;

  if (k < 0)
    return NULL;
  within = provider != NULL ? provider_within (self, provider) : NULL;
  for (guint32 i = self->code_start.items[k]; i < self->code_start.items[k + 1]; i++)
    {
      BounceEntry *entry = entry_at (self, self->code_entries.items[i]);
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

/* Whether entry is scoped to a provider other than provider (and the
 * provider it is part of): find_code()'s last resort when no unscoped
 * entry has the code. */
static gboolean
scoped_elsewhere (BounceCatalogue *self,
                  BounceEntry     *entry,
                  const char      *provider)
{
  const char *scope = bounce_entry_get_provider (entry);

  return scope != NULL &&
         !scope_applies (scope, provider, provider != NULL ? provider_within (self, provider) : NULL);
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
  BounceEntry *wild_entry;
  char klass;

  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);

  if (!parse_enhanced (code, &klass, &subject, &detail))
    return NULL;
  entry = find_code (self, BOUNCE_ENTRY_ENHANCED, code, provider);
  if (entry != NULL && !scoped_elsewhere (self, entry, provider))
    return entry;
  /* A code that only a provider defines exactly (Google's 5.7.28) but
   * that the registry defines for every server (X.7.28, "mail flood
   * detected"): from a server not known to be that provider it means
   * what the registry says, not what the provider's page adds. */
  wild = g_strdup_printf ("X.%s.%s", subject, detail);
  wild_entry = find_code (self, BOUNCE_ENTRY_ENHANCED, wild, provider);
  if (wild_entry != NULL && !scoped_elsewhere (self, wild_entry, provider))
    return wild_entry;
  return entry != NULL ? entry : wild_entry;
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
  gssize k;

  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  if (token == NULL)
    return NULL;
  upper = g_ascii_strup (token, -1);
  k = find_key (self, &self->token_keys, upper);
  return k >= 0 ? entry_at (self, self->token_entries.items[k]) : NULL;
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
static gboolean
span_is_words (const char *text,
               gsize       len,
               gsize       start,
               gsize       end)
{
  return end > start &&
         bounce_text_span_is_words (text, len, start, end,
                                    memchr (text + start, '.', end - start) != NULL ||
                                    memchr (text + start, '/', end - start) != NULL);
}

/* (at most this many matches of a pattern are looked at) */
#define MAX_TRIES 16

static int
match_pattern (BounceEntry *entry,
               const char  *text,
               gsize        len)
{
  g_autoptr(GMatchInfo) info = NULL;
  GRegex *regex = bounce_entry_get_regex (entry);

  if (regex == NULL || !g_regex_match (regex, text, 0, &info))
    return -1;
  for (guint tries = 0; tries < MAX_TRIES && g_match_info_matches (info); tries++)
    {
      int start, end;

      g_match_info_fetch_pos (info, 0, &start, &end);
      if (span_is_words (text, len, start, end))
        return end - start;
      if (!g_match_info_next (info, NULL))
        break;
    }
  return -1;
}

/* As match_pattern(), with the alternatives of the rule's regex in split
 * and only those alive searched (the others have no match in text): the
 * same matches, in the same order. */
static int
match_alternatives (BounceAlternation *split,
                    const guint8      *alive,
                    const char        *text,
                    gsize              len)
{
  g_autoptr(BounceAlternationIter) iter = bounce_alternation_iter_new (split, text, 0, len, alive);
  BounceSpan span;

  for (guint tries = 0; tries < MAX_TRIES && bounce_alternation_iter_next (iter, &span); tries++)
    {
      if (span_is_words (text, len, span.start, span.end))
        return span.end - span.start;
    }
  return -1;
}

/* Rule number i's regex split into its alternatives, when they are the
 * prefilter's n; else NULL. */
static BounceAlternation *
rule_alternation (BounceCatalogue *self,
                  guint            i,
                  BounceEntry     *entry,
                  guint            n)
{
  BounceAlternation *split;

  if (g_once_init_enter (&self->alternations))
    g_once_init_leave (&self->alternations, g_new0 (BounceAlternation *, MAX (self->rules.len, 1)));
  split = g_atomic_pointer_get (&self->alternations[i]);
  if (split == NULL)
    {
      const char *pattern = bounce_entry_get_pattern (entry);

      /* (compiled as bounce_entry_get_regex() compiles it) */
      if (pattern == NULL)
        return NULL;
      split = bounce_alternation_new_from_pattern (pattern, G_REGEX_CASELESS, G_REGEX_MATCH_DEFAULT);
      if (!g_atomic_pointer_compare_and_exchange (&self->alternations[i], NULL, split))
        {
          bounce_alternation_free (split);
          split = g_atomic_pointer_get (&self->alternations[i]);
        }
    }
  return bounce_alternation_get_n (split) == n ? split : NULL;
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
note_phrase (guint32              owner,
             const BounceLiteral *literal,
             gsize                length,
             gpointer             data)
{
  gsize *found = data;

  if (found[owner] < length)
    found[owner] = length;
}

GPtrArray *
bounce_catalogue_match_rules (BounceCatalogue *self,
                              const char      *text,
                              const char      *provider)
{
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (RuleMatch));
  GPtrArray *out = g_ptr_array_new ();
  g_autofree char *folded = NULL;
  g_autofree char *composed = NULL;
  g_autofree guint8 *candidates = NULL;
  g_autofree guint8 *alive = NULL;
  const char *within;
  gsize len, folded_len;
  gboolean normal;

  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), out);
  if (text == NULL || *text == '\0')
    return out;
  len = strlen (text);
  folded = bounce_literal_fold_full (text, len, &folded_len, &normal);
  /* The rules' regexes read a text outside ASCII composed (NFC, Unicode
   * Standard Annex #15, https://unicode.org/reports/tr15/), as the
   * catalogue writes its patterns (build-aux/catalogue-lint.py checks):
   * "refus\u00e9" and "refuse\u0301" then both match "refus[\u00e9e]".  Only
   * which rules match and how long their match is come out of here, not
   * where: the findings that the window highlights are read from the text
   * as it is (bounce-analyzer.c).  A text the fold found nothing to
   * normalise in (all ASCII: most bounces) is its own NFC. */
  if (!normal)
    {
      composed = g_utf8_normalize (text, len, G_NORMALIZE_NFC);
      if (composed != NULL && strcmp (composed, text) != 0)
        {
          text = composed;
          len = strlen (composed);
        }
    }
  within = provider != NULL ? provider_within (self, provider) : NULL;

  /* Only the rules whose words are in the text can match: the others'
   * regexes are not run (nor compiled); and of a rule's alternatives,
   * only those whose words are there. */
  candidates = g_new0 (guint8, MAX (self->rules.len, 1));
  alive = g_new0 (guint8, MAX (bounce_prefilter_get_n_alternatives (self->prefilter), 1));
  if (self->rules.len > 0)
    bounce_prefilter_scan (self->prefilter, folded, folded_len, candidates, alive);
  for (guint i = 0; i < self->rules.len; i++)
    {
      BounceEntry *entry;
      BounceAlternation *split = NULL;
      const char *scope;
      guint first, n;
      int length;

      if (!candidates[i])
        continue;
      entry = entry_at (self, self->rules.items[i]);
      scope = bounce_entry_get_provider (entry);
      if (scope != NULL && provider != NULL && !scope_applies (scope, provider, within))
        continue;
      /* (all alive: the whole regex, as fast and JIT-compiled sooner) */
      n = bounce_prefilter_get_alternatives (self->prefilter, i, &first);
      if (n > 1 && memchr (alive + first, 0, n) != NULL)
        split = rule_alternation (self, i, entry, n);
      length = split != NULL ? match_alternatives (split, alive + first, text, len)
                             : match_pattern (entry, text, len);
      if (length >= 0)
        add_match (self, matches, entry, provider, length);
    }
  if (self->phrases.len > 0)
    {
      g_autofree gsize *found = g_new0 (gsize, self->phrases.len);

      bounce_literal_index_scan (self->literals, folded, folded_len, note_phrase, found);
      /* (in catalogue order, as the rules: equal matches keep it) */
      for (guint i = 0; i < self->phrases.len; i++)
        {
          BounceEntry *entry;
          const char *scope;

          if (found[i] == 0)
            continue;
          entry = entry_at (self, self->phrases.items[i]);
          scope = bounce_entry_get_provider (entry);
          if ((scope != NULL && provider != NULL && !scope_applies (scope, provider, within)) ||
              bounce_entry_phrases_ruled_out (entry, folded, folded_len))
            continue;
          add_match (self, matches, entry, provider, (int) found[i]);
        }
    }
  g_array_sort (matches, compare_rule_match);
  for (guint i = 0; i < matches->len; i++)
    g_ptr_array_add (out, g_array_index (matches, RuleMatch, i).entry);
  return out;
}

guint8 *
bounce_catalogue_blocklists_may_match (BounceCatalogue *self,
                                       const char      *folded)
{
  guint8 *candidates;

  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  g_return_val_if_fail (folded != NULL, NULL);
  candidates = g_new0 (guint8, MAX (self->blocklists.len, 1));
  if (self->blocklists.len > 0)
    bounce_prefilter_scan (self->blocklist_filter, folded, strlen (folded), candidates, NULL);
  return candidates;
}

const char *
bounce_catalogue_detect_provider (BounceCatalogue *self,
                                  const char      *text)
{
  g_autofree char *folded = NULL;
  g_autofree guint8 *candidates = NULL;

  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  if (text == NULL || self->providers.len == 0)
    return NULL;
  /* (a provider's pattern only where the words it needs are: one pass over
   * the text for all of them) */
  folded = bounce_literal_fold (text, -1);
  candidates = g_new0 (guint8, self->providers.len);
  bounce_prefilter_scan (self->provider_filter, folded, strlen (folded), candidates, NULL);
  for (guint i = 0; i < self->providers.len; i++)
    {
      BounceEntry *entry;
      GRegex *regex;

      if (!candidates[i])
        continue;
      entry = entry_at (self, self->providers.items[i]);
      regex = bounce_entry_get_regex (entry);
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
  /* (by the codes the tables hold: only the entry found is made) */
  for (guint i = 0; i < self->providers.len; i++)
    if (self->provider_codes.items[i] != 0 &&
        strcmp (table_str (self, self->provider_codes.items[i]), code) == 0)
      return entry_at (self, self->providers.items[i]);
  return NULL;
}

gboolean
bounce_catalogue_provider_has_sisimai_table (BounceCatalogue *self,
                                             const char      *code)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), FALSE);
  if (code == NULL)
    return FALSE;
  for (guint i = 0; i < self->rhost_tables.len; i++)
    if (strcmp (table_str (self, self->rhost_tables.items[i]), code) == 0)
      return TRUE;
  return FALSE;
}

GRegex *
bounce_catalogue_get_token_regex (BounceCatalogue *self)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);

  if (g_once_init_enter (&self->token_regex))
    {
      GRegex *regex = NULL;

      /* (each provider's pattern compiled when the catalogue was read:
       * this cannot fail; not JIT-compiled: bounce_alternation_match_all()
       * matches it an alternative at a time, and JIT-compiles those, or
       * the whole regex when it is not split, once they are used often) */
      if (self->token_pattern != NULL)
        regex = g_regex_new (self->token_pattern, G_REGEX_RAW, G_REGEX_MATCH_DEFAULT, NULL);
      /* an empty catalogue has no tokens: a pattern that never matches */
      if (regex == NULL)
        regex = g_regex_new ("(?!)", G_REGEX_RAW, G_REGEX_MATCH_DEFAULT, NULL);
      g_once_init_leave (&self->token_regex, regex);
    }
  return self->token_regex;
}

BounceAlternation *
bounce_catalogue_get_tokens (BounceCatalogue *self)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);

  if (g_once_init_enter (&self->tokens))
    {
      /* (the same pattern and flags as bounce_catalogue_get_token_regex(),
       * but the regex as a whole is compiled only when it is matched
       * whole: the alternatives are each compiled alone when first
       * searched, and compiling all of them at once too cost a quarter of
       * a million instructions per run for nothing) */
      const char *pattern = self->token_pattern != NULL ? self->token_pattern : "(?!)";

      BounceAlternation *split = bounce_alternation_new_from_pattern (pattern, G_REGEX_RAW, G_REGEX_MATCH_DEFAULT);
      guint n = bounce_alternation_get_n (split);

      /* (the needles as the tables hold them, one set per alternative) */
      if (n > 0 && self->needle_start.len == n + 1)
        {
          GStrv *needles = g_new0 (GStrv, n);

          for (guint i = 0; i < n; i++)
            {
              guint32 from = self->needle_start.items[i], to = self->needle_start.items[i + 1];

              if (to == from)
                continue;
              needles[i] = g_new0 (char *, to - from + 1);
              for (guint32 k = from; k < to; k++)
                needles[i][k - from] = g_strdup (bounce_string_table_get (&self->strings, self->needle_refs.items[k]));
            }
          bounce_alternation_set_needles (split, needles);
        }
      g_once_init_leave (&self->tokens, split);
    }
  return self->tokens;
}

GPtrArray *
bounce_catalogue_get_blocklists (BounceCatalogue *self)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  return make_all (self, &self->blocklist_entries, &self->blocklists);
}

guint
bounce_catalogue_get_n_blocklists (BounceCatalogue *self)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), 0);
  return self->blocklists.len;
}

BounceEntry *
bounce_catalogue_get_blocklist (BounceCatalogue *self,
                                guint            i)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  g_return_val_if_fail (i < self->blocklists.len, NULL);
  return entry_at (self, self->blocklists.items[i]);
}

const char * const *
bounce_catalogue_get_blocklist_zones (BounceCatalogue *self,
                                      guint            i)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  g_return_val_if_fail (i < self->blocklists.len, NULL);

  /* (the strings are read from the tables once: a run asks for every
   * list's zones for each message) */
  if (g_once_init_enter (&self->zones))
    {
      const char **zones = g_new (const char *, self->zone_refs.len + self->blocklists.len);
      guint n = 0;

      self->zones_of = g_new (guint, MAX (self->blocklists.len, 1));
      for (guint l = 0; l < self->blocklists.len; l++)
        {
          self->zones_of[l] = n;
          for (guint32 k = self->zone_start.items[l]; k < self->zone_start.items[l + 1]; k++)
            zones[n++] = bounce_string_table_get (&self->strings, self->zone_refs.items[k]);
          zones[n++] = NULL;
        }
      g_once_init_leave (&self->zones, zones);
    }
  return self->zones + self->zones_of[i];
}

const guint32 *
bounce_catalogue_get_multi_blocklists (BounceCatalogue *self,
                                       guint           *n)
{
  g_return_val_if_fail (BOUNCE_IS_CATALOGUE (self), NULL);
  g_return_val_if_fail (n != NULL, NULL);
  *n = self->multi_lists.len;
  return self->multi_lists.items;
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
  GPtrArray *entries = bounce_catalogue_get_entries (self);
  BounceSearchIndex *index = g_malloc0 (sizeof (BounceSearchIndex)
                                        + entries->len * sizeof (SearchText));

  index->n_entries = entries->len;
  for (guint i = 0; i < entries->len; i++)
    {
      BounceEntry *entry = entries->pdata[i];
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
        bounce_entry_get_plain_regex (entry);
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
      BounceEntry *entry = entry_at (self, i);
      SearchHit hit = { entry, 0, i };

      /* (phrases are explained by their reason's entry) */
      if (bounce_entry_get_kind (entry) == BOUNCE_ENTRY_PROVIDER ||
          bounce_entry_get_kind (entry) == BOUNCE_ENTRY_PHRASES)
        continue;
      hit.score = score_entry (entry, &index->texts[i], stripped, words);
      /* Codes and tokens typed in full also find the rules that mention
       * them.  (A query is a few characters: never worth the JIT, whose
       * compiling took several milliseconds of a keystroke once every
       * rule had been tried often enough.) */
      if (hit.score == 0 && bounce_entry_get_kind (entry) == BOUNCE_ENTRY_RULE)
        {
          GRegex *regex = bounce_entry_get_plain_regex (entry);

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
