/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "provider-layouts.h"

/* Facebook's mail servers (mx.facebook.com) bounced with a short note of
 * their own ("This message was created automatically by Facebook.") and
 * a delivery report whose Diagnostic-Code carries Facebook's response
 * code: "550 5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes
 * ...".  Each code names its condition, more precisely than the status
 * beside it.  Learnt from Facebook's postmaster page of response codes
 * (http://postmaster.facebook.com/response_codes, no longer online) as
 * Sisimai's Lhost::Facebook tables it.  The note names no recipient: a
 * pasted note alone has nobody to report. */

/* Facebook's codes and what each says (the page's own descriptions, in
 * short).  POL-P7 is listed twice on that page (a message Facebook's
 * abuse policies refuse, and a domain that fails its authentication
 * requirements); the first reading is kept. */
static const BouncePhrase facebook_codes[] = {
  { "RCP-P1", "userunknown" },      /* the recipient address does not exist */
  { "INT-P1", "userunknown" },
  { "INT-P3", "userunknown" },      /* the group address does not exist */
  { "INT-P4", "userunknown" },
  { "RCP-P2", "filtered" },         /* the recipient's preferences refuse the message */
  { "RCP-P3", "filtered" },         /* the recipient's privacy settings refuse it */
  { "MSG-P1", "mesgtoobig" },       /* larger than Facebook accepts */
  { "INT-P2", "mesgtoobig" },
  { "MSG-P2", "contenterror" },     /* an attachment type Facebook does not accept */
  { "MSG-P3", "contenterror" },     /* a header field that may appear once appears twice */
  { "POL-P6", "contenterror" },     /* a link Facebook blocks */
  { "POL-P7", "contenterror" },     /* against Facebook's abuse policies */
  { "POL-P1", "blocked" },          /* the sending IP is on the Spamhaus PBL */
  { "POL-P2", "blocked" },          /* Facebook no longer accepts mail from the IP */
  { "POL-P5", "virusdetected" },    /* the message contains a virus */
  { "POL-P3", "notaccept" },        /* not accepting mail from the server for 4 to 8 hours */
  { "POL-P4", "notaccept" },        /* ... for 24 to 48 hours */
  { "POL-T1", "notaccept" },        /* ... for now, retry in 1 to 2 hours */
  { "POL-T2", "notaccept" },
  { "POL-T3", "notaccept" },
  { "DNS-P1", "rejected" },         /* the MAIL FROM domain does not exist */
  { "DNS-P2", "rejected" },         /* ... has no MX record */
  { "DNS-T1", "rejected" },         /* ... does not resolve at the moment */
  { "DNS-P3", "rejected" },         /* the sending server has no reverse DNS */
  { "DNS-T2", "rejected" },         /* ... its reverse DNS does not resolve */
  { "CON-T1", "systemerror" },      /* Facebook's server has too many connections open */
  { "RCP-T1", "systemerror" },      /* the recipient is unavailable for an internal reason */
  { "CON-T2", "toomanyconn" },      /* the sending server has too many connections open */
  { "CON-T3", "toomanyconn" },      /* ... opened too many in a short time */
  { "RCP-T4", "suspend" },          /* the address is deactivated for now */
  { "MSG-T1", "undefined" },        /* too many recipients on the message */
  { "CON-T4", "undefined" },        /* too many recipients on the connection */
};

/* The code in a diagnostic: three capitals, a dash, P or T and a digit. */
static const char *
facebook_code_reason (const char *text)
{
  for (const char *p = text != NULL ? strchr (text, '-') : NULL; p != NULL; p = strchr (p + 1, '-'))
    {
      char code[7];

      if (p - text < 3 || !g_ascii_isupper (p[-1]) || !g_ascii_isupper (p[-2]) || !g_ascii_isupper (p[-3]) ||
          (p - text > 3 && g_ascii_isalnum (p[-4])) || (p[1] != 'P' && p[1] != 'T') ||
          !g_ascii_isdigit (p[2]) || g_ascii_isalnum (p[3]))
        continue;
      memcpy (code, p - 3, 6);
      code[6] = '\0';
      for (gsize i = 0; i < G_N_ELEMENTS (facebook_codes); i++)
        if (strcmp (facebook_codes[i].phrase, code) == 0)
          return facebook_codes[i].reason;
      /* "INT-Tn": a passing trouble inside Facebook */
      if (strncmp (code, "INT-T", 5) == 0)
        return "systemerror";
    }
  return NULL;
}

static void
facebook_group (BounceFact       *fact,
                BounceFieldGroup *group,
                gpointer          data)
{
  const char *reason = facebook_code_reason (bounce_group_diagnostic (group));

  if (reason == NULL)
    return;
  fact->reason = g_strdup (reason);
  fact->code_reason = TRUE;
}

static gboolean
parse_facebook (BounceLayoutDoc *d)
{
  if (bounce_doc_find_start (d, 0, "This message was created automatically by Facebook.") < 0)
    return FALSE;
  return bounce_doc_group_facts (d, facebook_group, NULL) > 0;
}

const BounceLayout bounce_layout_facebook = {
  .name = "facebook",
  .title = "Facebook",
  .kind = BOUNCE_LAYOUT_TEXT,
  .parse = parse_facebook,
};
