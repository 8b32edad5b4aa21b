/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"

/* The 18 server replies of the widely copied MailEnable "most common mail
 * error codes" helpdesk list (see ../shared/reference/README.md for the
 * facts): each must give its code, temporary/permanent, a fitting reason and
 * an explanation with steps.  The lines are our own renderings of those
 * replies. */
static const struct {
  const char *line;
  const char *reply;
  gboolean temporary;
  const char *reason;
} replies[] = {
  { "421 Service not available, closing transmission channel", "421", TRUE, "systemerror" },
  { "451 Requested action aborted: error in processing", "451", TRUE, "systemerror" },
  { "451 This account has sent too many messages in a short amount of time. Please try later.", "451", TRUE, "speeding" },
  { "451 Connection refused because of policy violation: IP address is in the abuse register", "451", TRUE, "blocked" },
  { "452 Too many recipients", "452", TRUE, "toomanyconn" },
  { "452 Not permitted to send to remote domains", "452", TRUE, "norelaying" },
  { "501 Invalid Address", "501", FALSE, "userunknown" },
  { "503 This mail server requires authentication when attempting to send to a non-local e-mail address", "503", FALSE, "norelaying" },
  { "550 Requested action not taken: mailbox unavailable or not local", "550", FALSE, "userunknown" },
  { "551 This mail server requires authentication before sending mail from a locally hosted domain", "551", FALSE, "securityerror" },
  { "554 Delivery not permitted: sender IP address found in DNS blocklist (ME-E0193)", "554", FALSE, "blocked" },
  { "550 Client host blocked using dnsbl.example.org", "550", FALSE, "blocked" },
  { "550 Message rejected as spam by Content Filtering", "550", FALSE, "spamdetected" },
  { "550 This message has been classified as SPAM", "550", FALSE, "spamdetected" },
  { "550 Message has a high probability of being spam", "550", FALSE, "spamdetected" },
  { "550 Refused spam site", "550", FALSE, "blocked" },
  { "550 Your IP address has been detected sending spam", "550", FALSE, "blocked" },
  { "550 Message contained unsafe content", "550", FALSE, "virusdetected" },
};

static void
test_mailenable_reply (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autoptr(GBytes) bytes = g_bytes_new_static (replies[i].line, strlen (replies[i].line));
  g_autoptr(GError) error = NULL;
  g_autoptr(BounceReport) report = bounce_analyze_bytes (bytes, "mailenable", NULL, &error);
  g_autoptr(BounceRecipient) r = NULL;
  GPtrArray *entries;
  BounceEntry *first;

  g_assert_no_error (error);
  g_assert_true (bounce_report_get_is_bounce (report));
  g_assert_cmpuint (g_list_model_get_n_items (bounce_report_get_recipients (report)), ==, 1);
  r = g_list_model_get_item (bounce_report_get_recipients (report), 0);
  g_assert_cmpstr (bounce_recipient_get_reply_code (r), ==, replies[i].reply);
  g_assert_cmpint (bounce_recipient_get_permanence (r), ==,
                   replies[i].temporary ? BOUNCE_PERMANENCE_TEMPORARY : BOUNCE_PERMANENCE_PERMANENT);
  g_assert_cmpstr (bounce_recipient_get_reason (r), ==, replies[i].reason);

  /* The most specific entry explains it, and someone gets steps. */
  entries = bounce_recipient_get_entries (r);
  g_assert_cmpuint (entries->len, >, 0);
  first = entries->pdata[0];
  g_assert_nonnull (bounce_entry_get_explanation (first));
  g_assert_cmpuint (strlen (bounce_entry_get_explanation (first)), >, 20);
  g_assert_nonnull (bounce_entry_get_sender_steps (first)[0]);
  g_assert_nonnull (bounce_entry_get_admin_steps (first)[0]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bounce_core_init ();
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mailenable/%02u-%.3s", i + 1, replies[i].line);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_mailenable_reply);
    }
  return g_test_run ();
}
