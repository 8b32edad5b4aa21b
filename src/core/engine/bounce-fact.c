/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bounce-fact.h"

BounceFact *
bounce_fact_new (const char *layout,
                 char       *address)
{
  BounceFact *fact = g_new0 (BounceFact, 1);

  fact->layout = layout;
  fact->address = address;
  return fact;
}

void
bounce_fact_free (BounceFact *fact)
{
  if (fact == NULL)
    return;
  g_free (fact->address);
  g_free (fact->original);
  g_free (fact->status);
  g_free (fact->action);
  g_free (fact->remote_mta);
  g_free (fact->reply);
  g_free (fact->reply_type);
  g_free (fact->last_attempt);
  g_free (fact->will_retry);
  g_free (fact->layout_status);
  g_free (fact->said);
  g_free (fact->reason);
  g_free (fact->text);
  g_free (fact);
}

void
bounce_fact_set_text (BounceFact *fact,
                      const char *s)
{
  g_free (fact->text);
  fact->text = s != NULL && *s != '\0' ? g_strdup (s) : NULL;
}

BounceFact *
bounce_facts_find (GPtrArray  *facts,
                   const char *address)
{
  for (guint i = 0; facts != NULL && i < facts->len; i++)
    {
      BounceFact *fact = facts->pdata[i];

      if (g_strcmp0 (fact->address, address) == 0)
        return fact;
    }
  return NULL;
}

GPtrArray *
bounce_facts_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_fact_free);
}
