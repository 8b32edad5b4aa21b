/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bounce-core.h"

#define EXIT_USAGE 2
#define READ_CHUNK (64 * 1024)

static gboolean opt_json;
static gboolean opt_pretty;
static gboolean opt_csv;
static gboolean csv_header_done;
static gboolean opt_version;
static gboolean opt_check_blocklists;
static char **opt_files;

static const GOptionEntry entries[] = {
  { "json", 'j', 0, G_OPTION_ARG_NONE, &opt_json,
    N_("Print one JSON object per input instead of a readable report"), NULL },
  { "pretty", 'p', 0, G_OPTION_ARG_NONE, &opt_pretty,
    N_("Indent the JSON output (implies --json)"), NULL },
  { "csv", 'c', 0, G_OPTION_ARG_NONE, &opt_csv,
    N_("Print one CSV row per recipient of every message (for cleaning a mailing list)"), NULL },
  { "check-blocklists", 'b', 0, G_OPTION_ARG_NONE, &opt_check_blocklists,
    N_("Ask the DNS blocklists whether the sending IP addresses and domains are listed "
       "(sends them to the lists’ DNS servers)"), NULL },
  { "version", 'V', 0, G_OPTION_ARG_NONE, &opt_version,
    N_("Show the program and catalogue version"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_files,
    NULL, N_("[FILE…]") },
  { NULL }
};

static gboolean
check_size (gsize    len,
            GError **error)
{
  if (len <= BOUNCE_INPUT_MAX_SIZE)
    return TRUE;

  g_set_error (error, BOUNCE_ERROR, BOUNCE_ERROR_TOO_LARGE,
               _("The input is larger than %u MiB"),
               (guint) (BOUNCE_INPUT_MAX_SIZE / (1024 * 1024)));
  return FALSE;
}

/* Standard input is read in chunks and refused as soon as it grows past what
 * the analyser accepts, so a runaway pipe is not buffered whole. */
static GBytes *
read_stdin (GError **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();

  for (;;)
    {
      gsize old_len = buffer->len;
      gssize n;

      g_byte_array_set_size (buffer, old_len + READ_CHUNK);
      n = read (STDIN_FILENO, buffer->data + old_len, READ_CHUNK);
      if (n < 0 && errno == EINTR)
        n = 0;
      else if (n < 0)
        {
          int saved_errno = errno;

          g_set_error_literal (error, BOUNCE_ERROR, BOUNCE_ERROR_READ, g_strerror (saved_errno));
          return NULL;
        }
      else if (n == 0)
        {
          g_byte_array_set_size (buffer, old_len);
          break;
        }
      g_byte_array_set_size (buffer, old_len + n);
      if (!check_size (buffer->len, error))
        return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

static const char *
io_error_message (GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return _("No such file or directory");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    return _("Is a directory");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return _("Permission denied");
  return error->message;
}

/* The file a command-line argument names, as g_file_new_for_commandline_arg()
 * makes it, but a path's from GIO's local file system directly: the
 * default one, which that asks for, first looks through GIO's modules, a
 * cost of every run.  A URI still goes through it. */
static GFile *
file_for_arg (const char *arg)
{
  g_autofree char *scheme = NULL;
  g_autofree char *current = NULL;
  g_autofree char *absolute = NULL;

  if (g_path_is_absolute (arg))
    return g_vfs_get_file_for_path (g_vfs_get_local (), arg);
  scheme = g_uri_parse_scheme (arg);
  if (scheme != NULL)
    return g_file_new_for_commandline_arg (arg);
  current = g_get_current_dir ();
  absolute = g_build_filename (current, arg, NULL);
  return g_vfs_get_file_for_path (g_vfs_get_local (), absolute);
}

/* Whether file exists and is not a directory (a message cannot be one).
 * A local file stat() finds needs no more; anything else is asked of GIO,
 * for its errors, which go to error. */
static gboolean
check_not_directory (GFile   *file,
                     GError **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_file_is_native (file))
    {
      g_autofree char *local = g_file_get_path (file);
      GStatBuf buf;

      if (local != NULL && g_stat (local, &buf) == 0 && !S_ISDIR (buf.st_mode))
        return TRUE;
    }
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            NULL, &local_error);
  if (info == NULL)
    {
      g_set_error_literal (error, BOUNCE_ERROR, BOUNCE_ERROR_READ, io_error_message (local_error));
      return FALSE;
    }
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error_literal (error, BOUNCE_ERROR, BOUNCE_ERROR_READ, _("Is a directory"));
      return FALSE;
    }
  return TRUE;
}

/* A path that names a regular file of the size the analyser accepts, read
 * whole with GLib's g_file_get_contents(); NULL for anything else (an
 * error, a directory, a FIFO, a file too large or grown past the limit, a
 * URI), which the GIO path below reads or refuses with its messages.  That
 * path costs a run about a third of a million instructions (GIO's local
 * file system, its file and stream types, a query of the file's type and
 * size) for the one file most runs read. */
static GBytes *
read_regular_file (const char *path)
{
  GStatBuf st;
  char *data = NULL;
  gsize len = 0;

  if (g_uri_peek_scheme (path) != NULL || g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) ||
      (guint64) st.st_size > BOUNCE_INPUT_MAX_SIZE || !g_file_get_contents (path, &data, &len, NULL))
    return NULL;
  if (len > BOUNCE_INPUT_MAX_SIZE)
    {
      g_free (data);
      return NULL;
    }
  return g_bytes_new_take (data, len);
}

static GBytes *
read_input (const char  *path,
            GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *bytes;

  if (g_strcmp0 (path, "-") == 0)
    return read_stdin (error);
  bytes = read_regular_file (path);
  if (bytes != NULL)
    return bytes;

  file = file_for_arg (path);
  if (!check_not_directory (file, error))
    return NULL;

  /* In chunks, up to the limit: /dev/zero, a FIFO or /dev/stdin on a pipe
   * that never ends are refused there instead of being read whole. */
  bytes = bounce_input_read_file (file, NULL, &local_error);
  if (bytes == NULL)
    {
      if (local_error->domain == BOUNCE_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, BOUNCE_ERROR, BOUNCE_ERROR_READ, io_error_message (local_error));
    }
  return bytes;
}

static void
on_check_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GPtrArray **results = user_data;
  g_autoptr(GError) error = NULL;

  *results = bounce_blocklist_check_run_finish (BOUNCE_BLOCKLIST_CHECK (source), result, &error);
  if (*results == NULL)
    *results = g_ptr_array_new ();
}

/* Only with --check-blocklists: the one moment anything leaves the
 * machine, and only the sending addresses and domains, as DNS names. */
static GPtrArray *
check_blocklists (BounceReport *report)
{
  g_autoptr(BounceBlocklistCheck) check = bounce_blocklist_check_new_for_report (report);
  GPtrArray *results = NULL;

  bounce_blocklist_check_run_async (check, NULL, on_check_done, &results);
  while (results == NULL)
    g_main_context_iteration (NULL, TRUE);
  return results;
}

/* The report is printed in pieces as it is written (a recipient at a time),
 * never held whole.  JSON is UTF-8 by definition and goes out untouched; the
 * readable report is converted to the terminal's character set by
 * g_print(), piece by piece (each ends after a whole line). */
static void
write_stdout (const char *data,
              gsize       length,
              gpointer    user_data)
{
  fwrite (data, 1, length, stdout);
}

static void
print_text (const char *data,
            gsize       length,
            gpointer    user_data)
{
  g_autofree char *piece = g_strndup (data, length);

  g_print ("%s", piece);
}

/* Each message of an mbox as it is analysed: its CSV rows go out at once,
 * so that no message's report is kept. */
static void
on_message (BounceReport *message,
            gpointer      user_data)
{
  if (opt_csv)
    {
      g_autofree char *csv = bounce_report_to_csv (message, !csv_header_done);

      csv_header_done = TRUE;
      fputs (csv, stdout);
    }
}

static gboolean
explain (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(BounceReport) report = NULL;
  g_autoptr(GPtrArray) results = NULL;
  /* File names need not be UTF-8; the report (and its JSON) must be. */
  g_autofree char *source = g_strcmp0 (path, "-") == 0 ? g_strdup ("<stdin>")
                                                       : g_filename_display_name (path);

  bytes = read_input (path, &error);
  /* An mbox is decoded and analysed a message at a time, each message
   * forgotten once its part of the report is kept: only the bytes read
   * are held whole (20 MB for a 20 MB mbox).  A single message's bytes
   * are released once it is decoded. */
  if (bytes != NULL)
    report = bounce_analyze_bytes_by_message (g_steal_pointer (&bytes), source, NULL, on_message,
                                              NULL, NULL, &error);

  if (report == NULL)
    {
      fflush (stdout);
      g_printerr ("bounce-explain: %s: %s\n", source, error->message);
      return FALSE;
    }

  if (opt_check_blocklists)
    results = check_blocklists (report);

  if (opt_csv)
    {
      /* (an mbox's rows are out already, message by message) */
      if (bounce_report_get_n_message_summaries (report) == 0)
        {
          g_autofree char *csv = bounce_report_to_csv (report, !csv_header_done);

          csv_header_done = TRUE;
          fputs (csv, stdout);
        }
    }
  else if (opt_json)
    {
      g_autoptr(JsonNode) check = results != NULL ? bounce_blocklist_results_to_json_node (results) : NULL;
      BounceJsonWriter *json = bounce_json_writer_new (opt_pretty, write_stdout, NULL);

      bounce_report_write_json (report, json, "blocklist_check", check);
      bounce_json_writer_free (json);
      fputc ('\n', stdout);
    }
  else
    {
      bounce_report_write_text (report, print_text, NULL);
      if (results != NULL)
        {
          g_autofree char *check = bounce_blocklist_results_to_text (results);

          g_print ("\n%s\n%s", _("Live blocklist check (DNS):"), check);
        }
    }

  return TRUE;
}

static void
print_version (void)
{
  BounceCatalogue *catalogue = bounce_catalogue_get_default ();

  g_print ("bounce-explain %s\n", PACKAGE_VERSION);
  /* Translators: %s is the catalogue version, e.g. 2026.11.1 */
  g_print (_("Catalogue %s\n"), bounce_catalogue_get_version (catalogue));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *stdin_only[] = { "-", NULL };
  const char * const *files;
  gboolean ok = TRUE;

  setlocale (LC_ALL, "");
  bounce_core_init_gettext ();

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Explains bounce messages (“your message could not be delivered”):\n"
                                  "what went wrong, whether it is permanent, and what to do.\n"
                                  "Reads standard input when no FILE is given or FILE is -."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bounce-explain: %s\n", error->message);
      g_printerr (_("Try “%s --help” for more information.\n"), "bounce-explain");
      return EXIT_USAGE;
    }

  bounce_core_init ();

  if (opt_version)
    {
      print_version ();
      return EXIT_SUCCESS;
    }

  if (opt_pretty)
    opt_json = TRUE;
  if (opt_csv && opt_json)
    {
      g_printerr ("bounce-explain: %s\n", _("--csv and --json cannot be combined"));
      return EXIT_USAGE;
    }

  files = opt_files != NULL && opt_files[0] != NULL ? (const char * const *) opt_files : stdin_only;

  for (guint i = 0; files[i] != NULL; i++)
    {
      if (!explain (files[i]))
        ok = FALSE;
      /* Readable reports of several inputs need a visible separation. */
      else if (!opt_json && !opt_csv && files[i + 1] != NULL)
        g_print ("\n%s\n\n", "----------------------------------------");
    }

  fflush (stdout);
  g_strfreev (opt_files);

  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
