/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"

/* The phrases servers write, per reason (tests/reference/reason-phrases.tsv,
 * from the Sisimai library's reason tables), through the whole engine:
 * - a general row (Sisimai::Reason::*), given alone as a pasted
 *   "Diagnostic-Code: smtp; <line>", must yield its reason (or, for a "not"
 *   row, must not);
 * - a server's or provider's row (Sisimai::Lhost::X, Sisimai::Rhost::Y) only
 *   holds inside a message of that layout or from that provider: it is
 *   tried in tests/layouts/templates/Lhost-X.eml or Rhost-Y.eml, where the
 *   template has {{TEXT}}.
 * Rows that contradict each other are listed, with the reason, in
 * tests/reference/reason-phrases-exclusions.txt; an excluded row that gives
 * its reason after all fails the test, so that the list stays true. */

/* The share of general rows that must give their reason, in percent, and
 * of the rows in a layout's or provider's template: what the engine
 * achieves today, raised with every improvement.  At most 3% of the
 * general rows may be excluded. */
#define GENERAL_MIN 97.0
#define TEMPLATED_MIN 95.0
/* How many layout and provider rows must have a template. */
#define TEMPLATED_ROWS_MIN 534
/* The provider rows (Sisimai::Rhost::*): all have a template, and this
 * share of them (excluded rows count as failing) gives its reason. */
#define RHOST_ROWS 362
#define RHOST_MIN 97.0

typedef struct {
  guint line;
  char *reason;
  char *match;
  char *source;
  char *test_line;
} Row;

static void
row_free (Row *row)
{
  g_free (row->reason);
  g_free (row->match);
  g_free (row->source);
  g_free (row->test_line);
  g_free (row);
}

/* The rows of tests/reference/<name> (reason-phrases.tsv or
 * reason-phrases-later.tsv: the same five columns). */
static GPtrArray *
load_rows (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reference", name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = NULL;
      Row *row;

      if (lines[i][0] == '#' || lines[i][0] == '\0' || g_str_has_prefix (lines[i], "reason\t"))
        continue;
      cols = g_strsplit (lines[i], "\t", 5);
      if (g_strv_length (cols) != 5)
        g_error ("%s line %u: expected 5 columns", name, i + 1);
      row = g_new0 (Row, 1);
      row->line = i + 1;
      row->reason = g_strdup (cols[0]);
      row->match = g_strdup (cols[1]);
      row->source = g_strdup (cols[3]);
      row->test_line = g_strdup (cols[4]);
      g_ptr_array_add (rows, row);
    }
  return rows;
}

/* File line numbers listed as exclusions ("123  # why"). */
static GHashTable *
load_exclusions (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reference", "reason-phrases-exclusions.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *out = g_hash_table_new (NULL, NULL);

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return out;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint64 n;

      if (g_ascii_isdigit (lines[i][0]) && (n = g_ascii_strtoull (lines[i], NULL, 10)) > 0)
        g_hash_table_add (out, GUINT_TO_POINTER ((guint) n));
    }
  return out;
}

/* The reason the engine gives the first recipient of text, or "(none)". */
static char *
reason_of (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "phrase", NULL, &error);
  g_autoptr(BounceRecipient) r = NULL;

  g_assert_no_error (error);
  r = g_list_model_get_item (bounce_report_get_recipients (report), 0);
  return g_strdup (r != NULL ? bounce_recipient_get_reason (r) : "(none)");
}

static gboolean
row_holds (const Row  *row,
           const char *got)
{
  if (g_str_equal (row->match, "not"))
    return !g_str_equal (got, row->reason);
  return g_str_equal (got, row->reason);
}

/* What a set of rows gave.  tried and right count the rows put through the
 * engine that are not excluded; an excluded row is run too, and one that
 * gives its reason after all is stale (its exclusion must go).  without
 * counts the rows whose template is missing, each missing file named once
 * in missing.  failures has a line per wrong row and per stale exclusion. */
typedef struct {
  guint tried;
  guint right;
  guint excluded;
  guint stale;
  guint without;
  GString *failures;
  GString *missing;
  GHashTable *templates; /* file name -> its text, or NULL when missing */
} Tally;

static void
tally_clear (Tally *t)
{
  if (t->failures != NULL)
    g_string_free (t->failures, TRUE);
  if (t->missing != NULL)
    g_string_free (t->missing, TRUE);
  g_clear_pointer (&t->templates, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tally, tally_clear)

/* The template of a layout's or provider's row ("Sisimai::Lhost::Exim" ->
 * layouts/templates/Lhost-Exim.eml), read once per file; NULL when there
 * is none (its name is then added to t->missing, once). */
static const char *
template_of (Tally     *t,
             const Row *row)
{
  g_auto(GStrv) parts = g_strsplit (row->source + strlen ("Sisimai::"), "::", 2);
  g_autofree char *name = g_strdup_printf ("%s-%s.eml", parts[0], parts[1] != NULL ? parts[1] : "");
  g_autofree char *path = NULL;
  char *text = NULL;
  gpointer cached;

  if (g_hash_table_lookup_extended (t->templates, name, NULL, &cached))
    return cached;
  path = g_test_build_filename (G_TEST_DIST, "layouts", "templates", name, NULL);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_string_append_printf (t->missing, " %s", name);
  g_hash_table_insert (t->templates, g_steal_pointer (&name), text);
  return text;
}

/* Puts each row whose source starts with prefix (with others: each row
 * whose source does not) through the engine: a general row as a pasted
 * Diagnostic-Code, any other in its layout's or provider's template. */
static void
tally_rows (const char *prefix,
            gboolean    others,
            Tally      *t)
{
  g_autoptr(GPtrArray) rows = load_rows ("reason-phrases.tsv");
  g_autoptr(GHashTable) excluded = load_exclusions ();

  t->failures = g_string_new (NULL);
  t->missing = g_string_new (NULL);
  t->templates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = rows->pdata[i];
      g_autofree char *text = NULL;
      g_autofree char *got = NULL;

      if (g_str_has_prefix (row->source, prefix) == others)
        continue;
      if (g_str_has_prefix (row->source, "Sisimai::Reason::"))
        text = g_strdup_printf ("Diagnostic-Code: smtp; %s\n", row->test_line);
      else
        {
          const char *template = template_of (t, row);
          g_autoptr(GString) filled = NULL;

          if (template == NULL)
            {
              t->without++;
              continue;
            }
          filled = g_string_new (template);
          g_assert_cmpuint (g_string_replace (filled, "{{TEXT}}", row->test_line, 0), >, 0);
          text = g_string_free (g_steal_pointer (&filled), FALSE);
        }
      got = reason_of (text);
      if (g_hash_table_contains (excluded, GUINT_TO_POINTER (row->line)))
        {
          t->excluded++;
          if (row_holds (row, got))
            {
              t->stale++;
              g_string_append_printf (t->failures, "line %u (%s): excluded, but gives its reason %s now\n",
                                      row->line, row->source, got);
            }
          continue;
        }
      t->tried++;
      if (row_holds (row, got))
        t->right++;
      else
        g_string_append_printf (t->failures, "line %u (%s): %s%s, got %s: %s\n", row->line, row->source,
                                g_str_equal (row->match, "not") ? "not " : "", row->reason, got, row->test_line);
    }
}

/* Fails when right is less than min percent of of, or when an exclusion is
 * stale; prints the failures then (always with BOUNCE_PHRASES_VERBOSE). */
static void
check_share (const char  *what,
             const Tally *t,
             guint        right,
             guint        of,
             double       min)
{
  double share = 100.0 * right / MAX (of, 1);

  g_test_message ("%s: %u of %u give their reason (%.1f%%), %u excluded", what, right, of, share, t->excluded);
  if (g_getenv ("BOUNCE_PHRASES_VERBOSE") != NULL || share < min || t->stale > 0)
    g_printerr ("%s", t->failures->str);
  if (t->stale > 0)
    g_test_fail_printf ("%u excluded %s give their reason: remove them from reason-phrases-exclusions.txt",
                        t->stale, what);
  if (share < min)
    g_test_fail_printf ("only %.1f%% of the %s give their reason (at least %.1f%%)", share, what, min);
}

static void
test_general_rows (void)
{
  g_auto(Tally) t = { 0 };

  tally_rows ("Sisimai::Reason::", FALSE, &t);
  g_assert_cmpuint (t.tried, >, 600);
  g_assert_cmpuint (t.excluded * 100, <=, 3 * (t.tried + t.excluded));
  check_share ("general rows", &t, t.right, t.tried, GENERAL_MIN);
}

static void
test_templated_rows (void)
{
  g_auto(Tally) t = { 0 };

  tally_rows ("Sisimai::Reason::", TRUE, &t);
  g_test_message ("%u layout and provider rows have no template:%s", t.without, t.missing->str);
  g_assert_cmpuint (t.tried, >=, TEMPLATED_ROWS_MIN);
  check_share ("layout and provider rows in a template", &t, t.right, t.tried, TEMPLATED_MIN);
}

/* Every provider's row (Sisimai::Rhost::*) has its provider's template,
 * and at least RHOST_MIN percent of all of them give their reason there:
 * an excluded row counts as not giving it (each is listed, with why, in
 * reason-phrases-exclusions.txt). */
static void
test_provider_rows (void)
{
  g_auto(Tally) t = { 0 };

  tally_rows ("Sisimai::Rhost::", FALSE, &t);
  g_assert_cmpstr (t.missing->str, ==, "");
  g_assert_cmpuint (t.tried + t.excluded, >=, RHOST_ROWS);
  check_share ("provider rows", &t, t.right, t.tried + t.excluded, RHOST_MIN);
}

/* The wording Sisimai's general reason tables learnt after v5.1.0
 * (reason-phrases-later.tsv): every row, pasted alone as a Diagnostic-Code,
 * gives its reason; none is excluded. */
static void
test_later_rows (void)
{
  g_autoptr(GPtrArray) rows = load_rows ("reason-phrases-later.tsv");
  g_autoptr(GString) failures = g_string_new (NULL);
  guint right = 0;

  g_assert_cmpuint (rows->len, >=, 90);
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = rows->pdata[i];
      g_autofree char *text = g_strdup_printf ("Diagnostic-Code: smtp; %s\n", row->test_line);
      g_autofree char *got = reason_of (text);

      g_assert_true (g_str_has_prefix (row->source, "Sisimai::Reason::"));
      if (row_holds (row, got))
        right++;
      else
        g_string_append_printf (failures, "line %u (%s): %s, got %s: %s\n", row->line, row->source,
                                row->reason, got, row->test_line);
    }
  g_test_message ("later rows: %u of %u give their reason", right, rows->len);
  if (right < rows->len)
    {
      g_printerr ("%s", failures->str);
      g_test_fail_printf ("%u of the %u later rows do not give their reason", rows->len - right, rows->len);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();
  g_test_add_func ("/phrases/general", test_general_rows);
  g_test_add_func ("/phrases/layouts-and-providers", test_templated_rows);
  g_test_add_func ("/phrases/providers", test_provider_rows);
  g_test_add_func ("/phrases/later", test_later_rows);
  return g_test_run ();
}
