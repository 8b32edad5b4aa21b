/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Helpers shared by the providers' layouts (see provider-layouts.h). */

int
bounce_doc_find_any_start (BounceLayoutDoc    *d,
                           guint               from,
                           const char * const *prefixes)
{
  for (guint i = from; i < d->lines->len; i++)
    for (guint k = 0; prefixes[k] != NULL; k++)
      if (bounce_line_starts (bounce_doc_line (d, i), prefixes[k]))
        return (int) i;
  return -1;
}

gboolean
bounce_doc_header_has (BounceLayoutDoc *d,
                       const char      *name,
                       const char      *needle)
{
  const char *value = bounce_doc_header (d, name);

  return value != NULL && bounce_mem_find (value, strlen (value), needle) != NULL;
}

gboolean
bounce_doc_received_has (BounceLayoutDoc *d,
                         const char      *needle)
{
  GPtrArray *headers = d->message != NULL ? d->message->headers : NULL;

  for (guint i = 0; headers != NULL && i < headers->len; i++)
    {
      BounceField *f = headers->pdata[i];

      if (g_ascii_strcasecmp (f->name, "Received") == 0 && f->value != NULL &&
          bounce_mem_find (f->value, strlen (f->value), needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

const char *
bounce_group_diagnostic (BounceFieldGroup *group)
{
  return bounce_dsn_skip_type (bounce_fields_lookup (group->fields, "Diagnostic-Code"));
}

guint
bounce_doc_group_facts (BounceLayoutDoc    *d,
                        BounceGroupFactFunc func,
                        gpointer            data)
{
  GPtrArray *groups = bounce_doc_has_dsn (d) ? d->message->dsn_groups : NULL;
  guint n = 0;

  for (guint i = 1; groups != NULL && i < groups->len; i++)
    {
      BounceFieldGroup *group = groups->pdata[i];
      const char *final = bounce_fields_lookup (group->fields, "Final-Recipient");
      char *address;
      BounceFact *fact;

      if (final == NULL)
        final = bounce_fields_lookup (group->fields, "Original-Recipient");
      address = final != NULL ? bounce_extract_address (final, -1, 0, NULL, NULL) : NULL;
      if (address == NULL)
        continue;
      fact = bounce_fact_new (d->layout, address);
      fact->start = group->start;
      fact->end = group->end;
      g_ptr_array_add (d->out, fact);
      /* a report names the command only inside its Diagnostic-Code */
      fact->command = bounce_extract_smtp_command (bounce_group_diagnostic (group), -1);
      fact->command_unknown = fact->command == BOUNCE_SMTP_COMMAND_NONE;
      if (func != NULL)
        func (fact, group, data);
      n++;
    }
  return n;
}

gboolean
bounce_fact_phrase_reason (BounceFact         *fact,
                           const BouncePhrase *table,
                           gsize               n,
                           const char         *text)
{
  const char *reason = bounce_phrase_reason (table, n, text);

  if (reason == NULL)
    return FALSE;
  g_free (fact->reason);
  fact->reason = g_strdup (reason);
  return TRUE;
}

char *
bounce_address_alone (const BounceLine *l)
{
  const char *s;
  gsize n;

  bounce_line_trim (l, &s, &n);
  if (n > 0 && s[n - 1] == ':')
    n--;
  if (n > 2 && s[0] == '<' && s[n - 1] == '>')
    s++, n -= 2;
  else if (n > 2 && s[0] == '"' && s[n - 1] == '"')
    s++, n -= 2;
  if (n < 3 || memchr (s, '@', n) == NULL)
    return NULL;
  /* (quotes only around a local part: "john smith"@example.org) */
  if (bounce_mem_has_unquoted (s, n, " \t<>,") || (memchr (s, '"', n) != NULL && s[0] != '"'))
    return NULL;
  return bounce_address_in (s, n);
}

guint
bounce_doc_address_blocks (BounceLayoutDoc *d,
                           guint            first,
                           gboolean         indented,
                           BounceLineTest   is_end,
                           BounceLineTest   skip)
{
  BounceFact *current = NULL;
  g_autoptr(GString) diag = g_string_new (NULL);
  guint i;

  for (i = first; i < d->lines->len; i++)
    {
      const BounceLine *l = bounce_doc_line (d, i);
      char *address = NULL;

      if (is_end != NULL && is_end (l))
        break;
      if (indented || l->len == 0 || (l->s[0] != ' ' && l->s[0] != '\t'))
        address = bounce_address_alone (l);
      if (address != NULL)
        {
          if (current != NULL)
            bounce_fact_set_diag (current, diag);
          g_string_truncate (diag, 0);
          current = bounce_doc_add_fact (d, address, i, i);
          continue;
        }
      if (current == NULL || bounce_line_is_blank (l) || (skip != NULL && skip (l)))
        continue;
      bounce_diag_append_line (diag, l);
      current->end = l->offset + l->len;
    }
  if (current != NULL)
    bounce_fact_set_diag (current, diag);
  return i;
}
