/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-layout.h"
#include "bounce-layouts.h"
#include "bounce-layout-families.h"
#include "bounce-layout-lines.h"

/* Delivery status notifications (RFC 3464, and RFC 6533 for
 * message/global-delivery-status): one group of fields per recipient, with
 * its Final-Recipient, Action, Status, Remote-MTA and Diagnostic-Code. */

/* Strips the "smtp;" / "X-Postfix;" type of a DSN value (RFC 3464 2.3:
 * "type ; text"). */
const char *
bounce_dsn_skip_type (const char *value)
{
  const char *semi;

  if (value == NULL)
    return NULL;
  semi = strchr (value, ';');
  /* (a type is an atom, RFC 3464 2.3.6: short, or an extension's "X-"
   * name, which may be longer: "X-BorderWare-Quarantine-Server;") */
  if (semi != NULL && (semi - value < 20 || (semi - value < 64 && g_ascii_strncasecmp (value, "X-", 2) == 0)))
    {
      gboolean word = TRUE;

      for (const char *p = value; p < semi; p++)
        if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == ' '))
          word = FALSE;
      if (word)
        {
          value = semi + 1;
          while (g_ascii_isspace (*value))
            value++;
        }
    }
  return value;
}

/* The type bounce_dsn_skip_type() strips ("smtp", "X-Unix"), or NULL. */
static char *
dsn_type (const char *value)
{
  const char *text = bounce_dsn_skip_type (value);
  const char *semi;

  if (text == NULL || text == value)
    return NULL;
  semi = strchr (value, ';');
  while (value < semi && g_ascii_isspace (*value))
    value++;
  return g_strstrip (g_strndup (value, semi - value));
}

/* The value up to the first blank or parenthesis ("failed (bad destination
 * mailbox address)", "5.1.1 (user unknown)"), lower case when asked. */
static char *
first_word (const char *value,
            gboolean    lower)
{
  char *s = lower ? g_ascii_strdown (value, -1) : g_strdup (value);
  char *cut;

  g_strstrip (s);
  cut = strpbrk (s, " \t(");
  if (cut != NULL)
    *cut = '\0';
  return s;
}

/* RFC 5322 3.2.3: the characters of an atom. */
static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* A dot-atom (RFC 5322 3.2.3) of at most max bytes from s[0..len). */
static gboolean
is_dot_atom (const char *s,
             gsize       len,
             gsize       max)
{
  if (len == 0 || len > max || s[0] == '.' || s[len - 1] == '.')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!(is_atext (s[i]) || (s[i] == '.' && s[i + 1] != '.')))
      return FALSE;
  return TRUE;
}

/* A recipient field's address as RFC 3464 2.3.2 types it ("rfc822;
 * addr-spec"), when it is a valid RFC 5322 addr-spec whose domain is no
 * host name, such as "bob@#example.net": the address as it was written is
 * the one to show, since its mistake is the reason it failed.  Lower case,
 * as bounce_extract_address() gives; NULL when the value is not one
 * dot-atom, an @ and a dotted dot-atom. */
static char *
typed_addr_spec (const char *value)
{
  const char *v = bounce_dsn_skip_type (value);
  const char *at;
  gsize len;

  if (v == NULL || value == v)
    return NULL;
  len = strlen (v);
  while (len > 0 && g_ascii_isspace (v[len - 1]))
    len--;
  if (len >= 2 && v[0] == '<' && v[len - 1] == '>')
    v++, len -= 2;
  at = memchr (v, '@', len);
  if (at == NULL ||
      !is_dot_atom (v, at - v, 64) || !is_dot_atom (at + 1, len - (at + 1 - v), 255) ||
      memchr (at + 1, '.', len - (at + 1 - v)) == NULL)
    return NULL;
  return bounce_address_fold (v, len);   /* an encoded word keeps its case */
}

/* A recipient's field, from its own group, else from the fields written
 * above the first recipient (above is NULL for the others).  Boxbe writes
 * Action and Remote-MTA among the per-message fields; Sisimai's reader
 * keeps one record open from the start of the delivery-status part and
 * gives it to the first Final-Recipient, so per-recipient fields above it
 * are that recipient's (v5 lib/Sisimai/RFC3464.pm inquire(), stored commit
 * b733d728c0c24d2a537ae426aa2b6bc8bf915de1: $v = $dscontents->[-1], a
 * new record only for a second recipient). */
static const char *
recipient_field (BounceFieldGroup *group,
                 BounceFieldGroup *above,
                 const char       *name)
{
  const char *value = bounce_fields_lookup (group->fields, name);

  if (value == NULL && above != NULL)
    value = bounce_fields_lookup (above->fields, name);
  return value;
}

static void
read_group (BounceFact       *fact,
            BounceFieldGroup *group,
            BounceFieldGroup *above)
{
  const char *status = recipient_field (group, above, "Status");
  const char *action = recipient_field (group, above, "Action");

  fact->from_dsn = TRUE;
  fact->start = group->start;
  fact->end = group->end;
  fact->has_range = TRUE;
  if (status != NULL)
    {
      g_autofree char *s = first_word (status, FALSE);

      if (bounce_enhanced_code_length (s) == strlen (s) && *s != '\0')
        fact->status = g_steal_pointer (&s);
    }
  /* A recipient seen again without a status yet: the later group's
   * fields replace the earlier ones. */
  g_clear_pointer (&fact->action, g_free);
  g_clear_pointer (&fact->remote_mta, g_free);
  g_clear_pointer (&fact->reply, g_free);
  g_clear_pointer (&fact->reply_type, g_free);
  g_clear_pointer (&fact->last_attempt, g_free);
  g_clear_pointer (&fact->will_retry, g_free);
  g_clear_pointer (&fact->reason, g_free);
  if (action != NULL)
    fact->action = first_word (action, TRUE);
  fact->remote_mta = g_strdup (bounce_dsn_skip_type (recipient_field (group, above, "Remote-MTA")));
  fact->reply = g_strdup (bounce_dsn_skip_type (recipient_field (group, above, "Diagnostic-Code")));
  fact->reply_type = dsn_type (recipient_field (group, above, "Diagnostic-Code"));
  fact->last_attempt = g_strdup (recipient_field (group, above, "Last-Attempt-Date"));
  fact->will_retry = g_strdup (recipient_field (group, above, "Will-Retry-Until"));
  /* vendors' extension fields may state the reason */
  fact->reason = g_strdup (bounce_layouts_field_reason (group));
}

/* A recipient field's value with RFC 6533's utf-8-addr-xtext undone: a
 * "utf-8" typed address in a message/delivery-status, which is ASCII,
 * writes each character beyond ASCII as "\x{HEX}" (RFC 6533 3,
 * embedded-unicode-char: "jörg" as "j\x{F6}rg").  Other values are
 * returned as they are (a copy); NULL stays NULL. */
static char *
recipient_value (const char *value)
{
  const char *v = bounce_dsn_skip_type (value);
  GString *out;

  if (value == NULL)
    return NULL;
  if (v == value || g_ascii_strncasecmp (value, "utf-8", 5) != 0 || strstr (v, "\\x{") == NULL)
    return g_strdup (value);
  out = g_string_new_len (value, v - value);
  for (const char *p = v; *p != '\0'; p++)
    {
      if (p[0] == '\\' && p[1] == 'x' && p[2] == '{')
        {
          const char *q = p + 3;
          gunichar c = 0;
          guint digits = 0;

          for (; g_ascii_isxdigit (*q) && digits < 6; q++, digits++)
            c = c * 16 + g_ascii_xdigit_value (*q);
          if (*q == '}' && digits > 0 && c > 0x7f && g_unichar_validate (c))
            {
              g_string_append_unichar (out, c);
              p = q;
              continue;
            }
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

void
bounce_dsn_facts (BounceLayoutDoc *d,
                  GPtrArray       *groups)
{
  /* address -> fact: a report may list tens of thousands of recipients */
  g_autoptr(GHashTable) by_address = g_hash_table_new (g_str_hash, g_str_equal);
  /* the fields above the next recipient, when they are a group of their own */
  BounceFieldGroup *above = NULL;

  for (guint i = 0; groups != NULL && i < groups->len; i++)
    {
      BounceFieldGroup *group = groups->pdata[i];
      g_autofree char *final = recipient_value (bounce_fields_lookup (group->fields, "Final-Recipient"));
      g_autofree char *original = recipient_value (bounce_fields_lookup (group->fields, "Original-Recipient"));
      g_autofree char *address = NULL;
      BounceFieldGroup *fields_above;
      BounceFact *fact;

      if (final == NULL && original == NULL)
        {
          above = group;
          continue;
        }
      /* ... given to the first recipient below them only */
      fields_above = above != NULL && above->message_index == group->message_index ? above : NULL;
      above = NULL;
      address = bounce_extract_address (final ? final : original, -1, 0, NULL, NULL);
      if (address == NULL)
        address = typed_addr_spec (final ? final : original);
      if (original != NULL && (address == NULL || !bounce_address_is_qualified (address)))
        {
          /* A final address on a bare host name ("bob@ims-ms-daemon", a
           * server's internal channel) is none the sender can use: mail
           * between hosts names fully-qualified domains (RFC 5321 2.3.5),
           * and the original address is the one the sender wrote (RFC 3464
           * 2.3.1).  Sisimai's Lhost::MessagingServer likewise takes the
           * "Original address:" over such a name. */
          g_autofree char *written = bounce_extract_address (original, -1, 0, NULL, NULL);

          if (written != NULL && (address == NULL || bounce_address_is_qualified (written)))
            {
              g_free (address);
              address = g_steal_pointer (&written);
            }
        }
      if (address == NULL && final == NULL)
        continue;

      fact = address ? g_hash_table_lookup (by_address, address) : NULL;
      if (fact != NULL && fact->status != NULL)
        continue;   /* the same recipient twice: keep the first report */
      if (fact == NULL)
        {
          fact = bounce_fact_new (d->layout, g_steal_pointer (&address));
          g_ptr_array_add (d->out, fact);
          if (fact->address != NULL)
            g_hash_table_insert (by_address, fact->address, fact);
        }
      if (original != NULL && fact->address != NULL && fact->original == NULL)
        {
          /* the address the sender wrote, when the server delivered to
           * another (an alias, a forward): the one the sender knows */
          g_autofree char *written = bounce_extract_address (original, -1, 0, NULL, NULL);

          if (written != NULL && !g_str_equal (written, fact->address))
            fact->original = g_steal_pointer (&written);
        }
      read_group (fact, group, fields_above);
    }
}

/* Local delivery agents, which write their own line when they refuse a
 * message handed to them, and what those lines say.  The markers and
 * messages are the agents' own: Dovecot's LDA and LMTP ("Your message to
 * <%t> was automatically rejected:%n%r", the rejection_reason setting's
 * default, with dovecot.c's table of what follows), FreeBSD's
 * mail.local(8), procmail(1), Courier's maildrop(1), vpopmail's
 * vdelivermail and vmailmgr's vdeliver; collected with their reasons in
 * Sisimai's lib/Sisimai/MDA.pm (4.x) and lib/Sisimai/LDA.pm (5.x). */
static const BouncePhrase mail_local_says[] = {
  { "Disc quota exceeded", "mailboxfull" },
  { "Mailbox full or quota exceeded", "mailboxfull" },
  { "Temporary file write error", "systemerror" },
  { ": unknown user:", "userunknown" },
  { ": user unknown", "userunknown" },
  { ": invalid mailbox path", "userunknown" },
  { ": user missing home directory", "userunknown" },
};
static const gsize n_mail_local_says = G_N_ELEMENTS (mail_local_says);
static const BouncePhrase procmail_says[] = {
  { "Quota exceeded while writing", "mailboxfull" },
  { "User over quota", "mailboxfull" },
  { "No space left to finish writing", "systemfull" },
  { "Service unavailable", "systemerror" },
};
static const gsize n_procmail_says = G_N_ELEMENTS (procmail_says);
static const BouncePhrase maildrop_says[] = {
  { "maildir over quota.", "mailboxfull" },
  { "Invalid user specified.", "userunknown" },
  { "Cannot find system user", "userunknown" },
};
static const gsize n_maildrop_says = G_N_ELEMENTS (maildrop_says);
static const BouncePhrase vdelivermail_says[] = {
  { "domain is over quota", "mailboxfull" },
  { "user is over quota", "mailboxfull" },
  { "account is locked email bounced", "suspend" },
  { "user does not exist, but will deliver to ", "filtered" },
  { "Sorry, no mailbox here by that name.", "userunknown" },
};
static const gsize n_vdelivermail_says = G_N_ELEMENTS (vdelivermail_says);
static const BouncePhrase vdeliver_says[] = {
  { "Delivery failed due to system quota violation", "mailboxfull" },
  { "Invalid or unknown base user or domain", "userunknown" },
  { "Invalid or unknown virtual user", "userunknown" },
  { "User name does not refer to a virtual user", "userunknown" },
};
static const gsize n_vdeliver_says = G_N_ELEMENTS (vdeliver_says);

typedef struct {
  const char *marker;          /* how its line starts */
  const char *marker_end;      /* and what follows on it, or NULL */
  const BouncePhrase *says;
  const gsize *n_says;         /* its size, where the table is defined */
} LocalAgent;

static const LocalAgent local_agents[] = {
  { "Your message to ", " was automatically rejected:", bounce_dovecot_phrases, &bounce_dovecot_n_phrases },
  { "mail.local: ", NULL, mail_local_says, &n_mail_local_says },
  { "procmail: ", NULL, procmail_says, &n_procmail_says },
  { "maildrop: ", NULL, maildrop_says, &n_maildrop_says },
  { "vdelivermail: ", NULL, vdelivermail_says, &n_vdelivermail_says },
  { "vdeliver: ", NULL, vdeliver_says, &n_vdeliver_says },
};

/* The agent whose line l starts, or NULL. */
static const LocalAgent *
local_agent_of (const BounceLine *l)
{
  for (gsize i = 0; i < G_N_ELEMENTS (local_agents); i++)
    {
      const LocalAgent *a = &local_agents[i];
      const char *v;
      gsize n;

      if (bounce_line_value (l, a->marker, &v, &n) &&
          (a->marker_end == NULL || bounce_mem_find (v, n, a->marker_end) != NULL))
        return a;
    }
  return NULL;
}

/* A report whose part for people quotes the local delivery agent's
 * refusal ("Your message to <bob> was automatically rejected:" / "Not
 * enough disk space") names the condition itself, in the words of the
 * program that refused the message; the report's fields are the
 * transport's account of it.  Sisimai's fallback reader of RFC 3464
 * reports gives every recipient of such a report the agent's reason
 * (lib/Sisimai/RFC3464.pm with MDA.pm).  Read only in the part before the
 * report's fields (RFC 3464 2.1: the first part is for people), and only
 * when a sentence of that agent's is there.  Whoever the report's From
 * names: a relay's "Mail Relay <notify@...>" sends the same report as a
 * MAILER-DAEMON does (RFC 3464 asks nothing of the From field), and
 * Sisimai asks the agent's table about every record whatever its sender
 * (Sisimai 5.3.0 lib/Sisimai/Fact.pm, REASON: Sisimai::LDA->find() first;
 * lib/Sisimai/RFC3464.pm puts the text before the delivery-status part
 * into a lone recipient's diagnosis without reading From; Debian
 * libsisimai-perl 5.3.0-1). */
static void
local_agent_reason (BounceLayoutDoc *d)
{
  GPtrArray *groups = d->message->dsn_groups;
  gsize fields_start = groups->len > 0 ? ((BounceFieldGroup *) groups->pdata[0])->start : G_MAXSIZE;

  for (guint i = 0; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      const LocalAgent *agent;
      const char *reason;
      g_autoptr(GString) said = NULL;

      if (l->offset >= fields_start)
        return;
      if ((agent = local_agent_of (l)) == NULL)
        continue;
      /* Dovecot's reason follows its sentence, up to a blank line; the
       * others say it on their own line */
      said = g_string_new (NULL);
      bounce_diag_append_line (said, l);
      for (guint j = i + 1; agent->marker_end != NULL && j < d->lines->len &&
           !bounce_line_is_blank (bounce_doc_line (d, j)); j++)
        bounce_diag_append_line (said, bounce_doc_line (d, j));
      reason = bounce_phrase_reason (agent->says, *agent->n_says, said->str);
      /* In a session transcript (Sendmail's "----- Transcript of session
       * follows -----") the agent's line is followed by the reply the
       * transport made of it ("550 5.0.0 <bob@example.net>... Insufficient
       * permission"), and that reply, which the report's fields carry, is
       * what the recipient's refusal said. */
      if (reason == NULL || (i + 1 < d->lines->len && bounce_line_is_reply (bounce_doc_line (d, i + 1))))
        continue;
      for (guint k = 0; k < d->out->len; k++)
        {
          BounceFact *fact = d->out->pdata[k];

          if (fact->reason != NULL || (fact->action != NULL && !g_str_equal (fact->action, "failed")))
            continue;
          fact->reason = g_strdup (reason);
          g_free (fact->said);
          fact->said = g_strdup (said->str);
          fact->said_decides = TRUE;
        }
      return;
    }
}

static gboolean
parse_rfc3464 (BounceLayoutDoc *d)
{
  if (!bounce_doc_has_dsn (d))
    return FALSE;
  bounce_dsn_facts (d, d->message->dsn_groups);
  local_agent_reason (d);
  return TRUE;
}

const BounceLayout bounce_layout_rfc3464 = {
  .name = "rfc3464",
  .title = "Delivery status notification (RFC 3464)",
  .kind = BOUNCE_LAYOUT_FIELDS,
  .parse = parse_rfc3464,
};

/* The group of the message's report about address, or NULL. */
static BounceFieldGroup *
dsn_group_of (BounceLayoutDoc *d,
              const char      *address)
{
  GPtrArray *groups = d->message != NULL ? d->message->dsn_groups : NULL;

  for (guint i = 0; groups != NULL && i < groups->len; i++)
    {
      BounceFieldGroup *group = groups->pdata[i];
      const char *final = bounce_fields_lookup (group->fields, "Final-Recipient");
      g_autofree char *a = final != NULL ? bounce_extract_address (final, -1, 0, NULL, NULL) : NULL;

      if (a != NULL && g_str_equal (a, address))
        return group;
    }
  return NULL;
}

const char *
bounce_dsn_diagnostic (BounceLayoutDoc *d,
                       const char      *address)
{
  BounceFieldGroup *group = address != NULL ? dsn_group_of (d, address) : NULL;

  return group != NULL ? bounce_dsn_skip_type (bounce_fields_lookup (group->fields, "Diagnostic-Code")) : NULL;
}

void
bounce_dsn_add_unnamed (BounceLayoutDoc *d)
{
  GPtrArray *groups = d->message != NULL ? d->message->dsn_groups : NULL;

  for (guint i = 0; groups != NULL && i < groups->len; i++)
    {
      BounceFieldGroup *group = groups->pdata[i];
      const char *final = bounce_fields_lookup (group->fields, "Final-Recipient");
      const char *status = bounce_fields_lookup (group->fields, "Status");
      const char *code = bounce_dsn_skip_type (bounce_fields_lookup (group->fields, "Diagnostic-Code"));
      char *address = final != NULL ? bounce_extract_address (final, -1, 0, NULL, NULL) : NULL;
      BounceFact *fact;

      if (address == NULL || bounce_doc_find_fact (d, address) != NULL)
        {
          g_free (address);
          continue;
        }
      fact = bounce_fact_new (d->layout, address);
      fact->start = group->start;
      fact->end = group->end;
      fact->text = g_strdup (code);
      if (status != NULL)
        {
          g_autofree char *s = g_strstrip (g_strdup (status));
          char *cut = strpbrk (s, " \t(");

          if (cut != NULL)
            *cut = '\0';
          if (*s != '\0' && bounce_enhanced_code_length (s) == strlen (s))
            fact->layout_status = g_steal_pointer (&s);
        }
      g_ptr_array_add (d->out, fact);
    }
}
