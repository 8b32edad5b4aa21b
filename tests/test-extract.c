/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-core.h"
#include "bounce-engine.h"
#include "extract-regexes.h"

#ifdef G_OS_UNIX
#include <sys/mman.h>
#include <unistd.h>
#endif

/* The providers' token shapes come from the built-in catalogue. */
#define TOKENS (bounce_catalogue_get_tokens (bounce_catalogue_get_default ()))

typedef struct
{
  const char *input;
  const char *expected;  /* "kind:text" joined by spaces, in offset order */
} Case;

#define CODES "reply enhanced token"
#define NETWORK "ipv4 ipv6 hostname email zone url"

/* Findings of the given kinds (space-separated kind names) as one string. */
static char *
describe (const char *text,
          const char *kinds)
{
  g_autoptr(GPtrArray) findings = bounce_extract_all (text, TOKENS);
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) wanted = g_strsplit (kinds, " ", -1);

  for (guint i = 0; i < findings->len; i++)
    {
      const BounceFinding *f = g_ptr_array_index (findings, i);
      const char *kind = bounce_finding_kind_to_string (f->kind);

      if (!g_strv_contains ((const char * const *) wanted, kind))
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%s:%s", kind, f->text);
    }
  return g_strdup (out->str);
}

static void
check_cases (const Case *cases,
             gsize       n,
             const char *kinds)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *got = describe (cases[i].input, kinds);

      if (g_strcmp0 (got, cases[i].expected) != 0)
        g_test_message ("input: %s", cases[i].input);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

static void
test_codes_positive (void)
{
  static const Case cases[] = {
    { "550 5.1.1 <a@b.example>: Recipient address rejected", "reply:550 enhanced:5.1.1" },
    { "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", "reply:550 enhanced:5.1.1" },
    { "host mx.example.com said: 452 4.2.2 Mailbox full", "reply:452 enhanced:4.2.2" },
    { "550-5.7.1 [203.0.113.5 1] Our system has detected an unusual rate", "reply:550 enhanced:5.7.1" },
    { "Diagnostic-Code: smtp; 550 5.1.1 <a@b.example>... User unknown", "reply:550 enhanced:5.1.1" },
    { "Diagnostic-Code: smtp;550 User unknown", "reply:550" },
    { "Diagnostic-Code: X-Postfix; host mx.example said: 554 Transaction failed", "reply:554" },
    { "SMTP error from remote mail server after RCPT TO:<x@y.example>:\n"
      "    host mx.y.example [198.51.100.7]: 550 5.1.1 unknown user", "reply:550 enhanced:5.1.1" },
    { "SMTP error from remote mail server after end of data:\n"
      "    host mx.y.example [198.51.100.7]: 552 message too big", "reply:552" },
    { "Remote Server returned '554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain'",
      "reply:554 enhanced:5.4.4" },
    { "Remote Server returned '550 User unknown'", "reply:550" },
    { "<<< 550 5.1.1 <a@b.example>... User unknown", "reply:550 enhanced:5.1.1" },
    { "<<< 553 sorry, that domain isn't in my list", "reply:553" },
    { "Remote host said: 554 Transaction failed", "reply:554" },
    { "Server reply: 550 Mailbox unavailable", "reply:550" },
    { "SMTP response: 421 Too many connections", "reply:421" },
    { "Error code 550 from the remote server", "reply:550" },
    { "The remote server rejected it with error (550)", "reply:550" },
    { "rejected with 550 Requested action not taken", "reply:550" },
    { "  550 User unknown", "reply:550" },
    { "550-Mailbox unavailable\n550 Please try later", "reply:550 reply:550" },
    { "> 451 Temporary local problem", "reply:451" },
    { "<a@b.example>: 550 user unknown (in reply to RCPT TO command)", "reply:550" },
    { "RCPT TO:<a@b.example> 550 No such user", "reply:550" },
    { "the error that the other server returned was: 554 554 5.7.1 Service unavailable",
      "reply:554 reply:554 enhanced:5.7.1" },
    { "delivery via mx[192.0.2.2]:25: 250 2.0.0 Ok", "reply:250 enhanced:2.0.0" },
    { "status=bounced (host mx.example[192.0.2.1] said: 550 5.7.1 Rejected)", "reply:550 enhanced:5.7.1" },
    { "Status: 5.1.1", "enhanced:5.1.1" },
    { "Action: failed (5.2.2)", "enhanced:5.2.2" },
    { "dsn=4.4.1, status=deferred", "enhanced:4.4.1" },
    { "Resources temporarily unavailable [#4.1.9].", "enhanced:4.1.9" },
    { "550 5.7.708 Service unavailable", "reply:550 enhanced:5.7.708" },
    { "Vendor details 4.4.316 and 5.0.910 here", "enhanced:4.4.316 enhanced:5.0.910" },
    { "550 #5.1.0 Address rejected.", "reply:550 enhanced:5.1.0" },
    { "550: 5.2.2 <a@b.example>... Mailbox Full", "reply:550 enhanced:5.2.2" },
    { "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'", "reply:550 enhanced:5.1.10" },
    /* a local part of digits is an address, no number (RFC 5322 3.2.3 atext) */
    { "550 12345678@qq.example... No such user", "reply:550" },
  };

  check_cases (cases, G_N_ELEMENTS (cases), "reply enhanced");
}

static void
test_codes_negative (void)
{
  static const Case cases[] = {
    { "Received: by mx.example (Postfix 2.11.3) with ESMTP", "" },
    { "Postfix 2.1.5 is old", "" },
    { "Date: Mon, 5 Jun 2023 10:12:13 +0000", "" },
    { "Call +1 550 123 4567 for help", "" },
    { "Call 550 123@ 4567", "" },
    { "Message size 5520 bytes", "" },
    { "Message size: 550 bytes", "" },
    { "error 550 times in a row", "" },
    { "The queue holds 250 messages", "" },
    { "Client 192.0.2.153 port 4550", "" },
    { "Connected to 10.250.1.2", "" },
    { "host mx5.1.2.example accepted", "" },
    { "1.2.3.4 and 5.1.1.1 and 5.11.2023", "" },
    { "Windows NT 5.1.2600", "" },
    { "OID 1.3.6.1.4.1.311", "" },
    { "Phone (550) 123-4567", "" },
    { "Queue ID 550A3B2C1", "" },
    { "hash deadbeef550cafe 4c550d", "" },
    { "It costs $550 now", "" },
    { "In 2023, 550 people came", "" },
    { "Content-Length: 534", "" },
    { "(reason: 255)", "" },
    { "HTTP Error 404 Not Found", "" },
    { "see https://example.com/errors/550 and https://example.com/5.1.1", "" },
    { "mail from 550@example.com", "" },
    { "Mozilla/5.0 (X11; Linux x86_64)", "" },
    { "width=\"250\" height=\"550\"", "" },
    { "version 5.0.1 released", "" },
    { "package 2.4.1-2 installed", "" },
    { "Mean 4.5.6e", "" },
    { "X-Mailman-Version: 2.1.15", "" },
    { "X-Mailer: PHPMailer 5.2.7 (https://github.com/PHPMailer/PHPMailer/)", "" },
    { "  by smtp9.example.com (Nyaan SMTP 2.2.22) with ESMTP", "" },
    { "X-MLServer: fml [fml 4.0.3 release (20011202/4.0.3)]", "" },
  };

  check_cases (cases, G_N_ELEMENTS (cases), "reply enhanced");
}

static void
test_tokens (void)
{
  static const Case cases[] = {
    { "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred", "token:TSS04" },
    { "554 5.7.9 Message not accepted for policy reasons. [PH01]", "token:PH01" },
    { "[TS01] Messages from 192.0.2.1 temporarily deferred", "token:TS01" },
    { "553 5.7.1 [BL21] Connections will not be accepted", "token:BL21" },
    { "550 SC-001 (BAY004-MC1F2) Unfortunately, messages weren't sent", "token:SC-001" },
    { "550 OU-002 (SNT004-MC3F22) Unfortunately", "token:OU-002" },
    { "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent (S3150)", "token:S3150" },
    { "see https://postmaster.live.com (S3113)", "token:S3113" },
    { "450 4.7.650 ... AS(2201) and [AS843]", "token:AS(2201) token:AS843" },
    { "554 cox.net rejected. IB501 AUP#CXDNS AUP#I-1000", "token:IB501 token:AUP#CXDNS token:AUP#I-1000" },
    { "554 resimta-ch2-18v.sys.comcast.net comcast BL000010 Comcast block", "token:BL000010" },
    { "421 RL000001 rate limited", "token:RL000001" },
    { "550 [CS01] Message rejected due to local policy", "token:CS01" },
    { "550 5.7.1 [HM08] Message rejected due to local policy", "token:HM08" },
    { "550 5.1.1 Invalid recipient. OFR_416 [416] LPN007_416", "token:OFR_416 token:LPN007_416" },
    { "case URL https://postmaster.gmx.net/en/case?c=r0201&i=ip", "token:r0201" },
    /* negatives */
    { "RFC822 SHA256 AES128 HT204137 S3 TS1 TSS4 XTSS04 TSS04X BL0000 IB1234", "" },
    { "ts04 sc-001 aup#cxdns", "" },
    { "model S775X and galaxy-S3150", "" },
  };

  check_cases (cases, G_N_ELEMENTS (cases), "token");
}

static void
test_network (void)
{
  static const Case cases[] = {
    { "Client 192.0.2.153 said", "ipv4:192.0.2.153" },
    { "from [IPv6:2001:db8::1] by", "ipv6:2001:db8::1" },
    { "from (fe80::1%eth0) and 2A00:1450:4001:80B::200E.", "ipv6:fe80::1 ipv6:2a00:1450:4001:80b::200e" },
    { "mapped ::ffff:10.0.0.1 address", "ipv6:::ffff:10.0.0.1" },
    { "not 1.2.3.4.5 nor 256.1.1.1 nor 1.3.6.1.4.1.311 nor v1.2.3.4", "" },
    /* software builds and server diagnostics that look like addresses */
    { "by mx (192.0.2.4) with Microsoft SMTP Server (TLS) id 15.1.112.19;",
      "ipv4:192.0.2.4" },
    { "Received: by relay with Microsoft SMTPSVC(6.0.3790.4675); Thu", "" },
    { "X-Mailer: Example Mail 16.0.5.1\nUser-Agent: Client/4.2 8.8.4.4", "" },
    { "Version: 10.1.2.3, version=15.20.1.2, Postfix 3.7.1.4, build 2.1.2.3", "" },
    { "Messages from 192.0.2.25 temporarily deferred due to user complaints - 4.16.55.1; see",
      "ipv4:192.0.2.25" },
    { "unexpected volume or user complaints -\n    4.16.55.1; see 8.8.8.8", "ipv4:8.8.8.8" },
    { "Resources temporarily unavailable [#4.16.1.2]. Connection from - 8.8.8.8", "ipv4:8.8.8.8" },
    { "Received: from relay (unknown [8.8.4.4]) by mx id 12", "ipv4:8.8.4.4" },
    { "times 10:12:13, MAC 00:1a:2b:3c:4d:5e, std::string, dead::beef", "" },
    { "relay mx.example.com. accepted", "hostname:mx.example.com" },
    { "MX.EXAMPLE.COM and Mail.Example.org", "hostname:mx.example.com hostname:mail.example.org" },
    { "image.png e.g. i.e. report.pdf Postfix 2.11.3 RESOLVER.ADR.RecipNotFound delivered.Please", "" },
    /* the last label against the lists of file extensions and long top-level
     * domains, in either case */
    { "hosts EXAMPLE.TRAVEL, Example.SOLUTIONS and mx.example.localdomain, not a.b.PDF, "
      "Report.Archive.Tgz, example.please nor EXAMPLE.ENGINEERING",
      "hostname:example.travel hostname:example.solutions hostname:mx.example.localdomain" },
    /* the first and last words of each list (looked up by halves) */
    { "hosts example.ACADEMY and example.zone, not mail.example.asc nor mail.example.ZIP",
      "hostname:example.academy hostname:example.zone" },
    { "See mail.example.de, smtp.example.co.uk or mx1.example.xn--p1ai", "hostname:mail.example.de hostname:smtp.example.co.uk hostname:mx1.example.xn--p1ai" },
    { "550 5.1.1 <Someone@EXAMPLE.org>: Recipient address rejected", "email:Someone@example.org" },
    { "Final-Recipient: rfc822;john.doe+tag@mail.example.net", "email:john.doe+tag@mail.example.net" },
    { "to 'quoted@example.net', header.from=no-reply@example.com", "email:quoted@example.net email:no-reply@example.com" },
    { "To: <root@localhost>", "email:root@localhost" },
    { "twitter @handle and foo@bar", "" },
    { "blocked using zen.spamhaus.org; see http://www.spamhaus.org/query/ip/192.0.2.1",
      "zone:zen.spamhaus.org url:http://www.spamhaus.org/query/ip/192.0.2.1 ipv4:192.0.2.1" },
    { "listed in bl.spamcop.net and b.barracudacentral.org, visit www.spamhaus.org",
      "zone:bl.spamcop.net zone:b.barracudacentral.org hostname:www.spamhaus.org" },
    { "see https://example.com/help.", "url:https://example.com/help" },
    { "(see https://example.com/x)", "url:https://example.com/x" },
    { "wiki https://example.com/a_(b), then", "url:https://example.com/a_(b)" },
    { "<http://x.co/srbounce>", "url:http://x.co/srbounce" },
    { "Remote Server returned 'see HTTPS://Example.com/q?x=1&y=2'!", "url:HTTPS://Example.com/q?x=1&y=2" },
    { "bare http:// is not a URL", "" },
  };

  check_cases (cases, G_N_ELEMENTS (cases), NETWORK);
}

static void
test_public_ips (void)
{
  static const struct
  {
    const char *ip;
    gboolean is_public;
  } cases[] = {
    { "8.8.8.8", TRUE },
    { "172.32.0.1", TRUE },
    { "100.128.0.1", TRUE },
    { "192.0.2.153", FALSE },
    { "198.51.100.7", FALSE },
    { "203.0.113.5", FALSE },
    { "10.1.2.3", FALSE },
    { "172.16.5.4", FALSE },
    { "192.168.1.1", FALSE },
    { "100.64.1.1", FALSE },
    { "127.0.0.1", FALSE },
    { "169.254.1.1", FALSE },
    { "198.18.0.1", FALSE },
    { "0.1.2.3", FALSE },
    { "224.0.0.1", FALSE },
    { "240.0.0.1", FALSE },
    { "255.255.255.255", FALSE },
    { "2a00:1450:4001:80b::200e", TRUE },
    { "2001:db8::1", FALSE },
    { "[IPv6:2001:db8::1]", FALSE },
    { "[IPv6:2a00:1450:4001:80b::200e]", TRUE },
    { "[8.8.8.8]", TRUE },
    { "::1", FALSE },
    { "::", FALSE },
    { "fe80::1", FALSE },
    { "fc00::1", FALSE },
    { "fd12:3456::1", FALSE },
    { "ff02::1", FALSE },
    { "::ffff:10.0.0.1", FALSE },
    { "::ffff:8.8.8.8", TRUE },
    { "not an address", FALSE },
    { "", FALSE },
    { "1.2.3", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (bounce_ip_is_public (cases[i].ip) != cases[i].is_public)
        g_test_message ("ip: %s", cases[i].ip);
      g_assert_cmpint (bounce_ip_is_public (cases[i].ip), ==, cases[i].is_public);
    }
  g_assert_false (bounce_ip_is_public (NULL));

  /* the findings carry the same flag */
  {
    g_autoptr(GPtrArray) findings = bounce_extract_all ("from 8.8.8.8 via 10.0.0.1", TOKENS);
    const BounceFinding *a, *b;

    g_assert_cmpuint (findings->len, ==, 2);
    a = g_ptr_array_index (findings, 0);
    b = g_ptr_array_index (findings, 1);
    g_assert_true (a->is_public);
    g_assert_false (b->is_public);
  }
  /* and so does every dotted address above that the scan finds (it reads
   * their bytes itself) */
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("host %s said", cases[i].ip);
      g_autoptr(GPtrArray) findings = bounce_extract_all (text, TOKENS);

      for (guint k = 0; k < findings->len; k++)
        {
          const BounceFinding *f = g_ptr_array_index (findings, k);

          if (f->kind != BOUNCE_FINDING_IPV4)
            continue;
          g_assert_cmpstr (f->text, ==, cases[i].ip[0] == '[' ? "8.8.8.8" : cases[i].ip);
          g_assert_cmpint (f->is_public, ==, cases[i].is_public);
        }
    }
}

static void
check_offsets (const char *text,
               GPtrArray  *findings)
{
  gsize last = 0;

  for (guint i = 0; i < findings->len; i++)
    {
      const BounceFinding *f = g_ptr_array_index (findings, i);

      g_assert_cmpuint (f->byte_offset, >=, last);
      last = f->byte_offset;
      g_assert_true (g_utf8_offset_to_pointer (text, f->offset) == text + f->byte_offset);
      g_assert_cmpint (f->length, ==, g_utf8_strlen (text + f->byte_offset, f->byte_length));
    }
}

static void
test_offsets (void)
{
  const char *text = "Grüße 550 5.1.1 für <ä@b.example>";
  g_autoptr(GPtrArray) findings = bounce_extract_all (text, TOKENS);
  const BounceFinding *f;

  g_assert_cmpuint (findings->len, ==, 3);
  f = g_ptr_array_index (findings, 0);
  g_assert_cmpint (f->kind, ==, BOUNCE_FINDING_REPLY_CODE);
  g_assert_cmpuint (f->byte_offset, ==, 8);
  g_assert_cmpint (f->offset, ==, 6);
  g_assert_cmpint (f->length, ==, 3);
  f = g_ptr_array_index (findings, 1);
  g_assert_cmpint (f->kind, ==, BOUNCE_FINDING_ENHANCED_CODE);
  g_assert_cmpuint (f->byte_offset, ==, 12);
  g_assert_cmpint (f->offset, ==, 10);
  g_assert_cmpint (f->length, ==, 5);
  /* the local part of an address may be non-ASCII; the '@' anchors it */
  f = g_ptr_array_index (findings, 2);
  g_assert_cmpint (f->kind, ==, BOUNCE_FINDING_EMAIL);
  check_offsets (text, findings);
}

static void
test_range (void)
{
  const char *text = "ÄÖÜ 550 5.1.1 first\n€€ 421 4.7.0 second from 192.0.2.1\n";
  const char *second = strstr (text, "\xe2\x82\xac");
  gsize start = second - text;
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) bounce_finding_free);
  const BounceFinding *f;

  /* only the second line, with offsets counted from the start of text */
  bounce_extract (text, start, -1, BOUNCE_EXTRACT_CODES, TOKENS, findings);
  g_assert_cmpuint (findings->len, ==, 2);
  f = g_ptr_array_index (findings, 0);
  g_assert_cmpstr (f->text, ==, "421");
  g_assert_true (g_utf8_offset_to_pointer (text, f->offset) == text + f->byte_offset);
  g_assert_cmpint (f->offset, ==, 23);
  check_offsets (text, findings);

  /* end bounds the search */
  g_ptr_array_set_size (findings, 0);
  bounce_extract (text, 0, start, BOUNCE_EXTRACT_ALL, TOKENS, findings);
  g_assert_cmpuint (findings->len, ==, 2);
  g_assert_cmpstr (((BounceFinding *) g_ptr_array_index (findings, 0))->text, ==, "550");

  /* network only */
  g_ptr_array_set_size (findings, 0);
  bounce_extract (text, 0, -1, BOUNCE_EXTRACT_NETWORK, TOKENS, findings);
  g_assert_cmpuint (findings->len, ==, 1);
  g_assert_cmpint (((BounceFinding *) g_ptr_array_index (findings, 0))->kind, ==, BOUNCE_FINDING_IPV4);
  check_offsets (text, findings);

  /* a range starting inside an address does not report half of it */
  {
    const char *addr = "To: someone@example.org";

    g_ptr_array_set_size (findings, 0);
    bounce_extract (addr, 8, -1, BOUNCE_EXTRACT_NETWORK, TOKENS, findings);
    g_assert_cmpuint (findings->len, ==, 0);
  }

  /* empty range */
  g_ptr_array_set_size (findings, 0);
  bounce_extract (text, 5, 5, BOUNCE_EXTRACT_ALL, TOKENS, findings);
  g_assert_cmpuint (findings->len, ==, 0);
}

static void
test_sorted_and_clean (void)
{
  const char *text =
    "Reporting-MTA: dns; mx.example.org\n"
    "Final-Recipient: rfc822; user@example.com\n"
    "Status: 5.7.1\n"
    "Remote-MTA: dns; mx.example.net [198.51.100.7]\n"
    "Diagnostic-Code: smtp; 550-5.7.1 [203.0.113.5] blocked using zen.spamhaus.org, see\n"
    "    https://check.spamhaus.org/listed/?searchterm=203.0.113.5 (S3150)\n";
  g_autoptr(GPtrArray) findings = bounce_extract_all (text, TOKENS);
  g_autofree char *hosts = describe (text, "hostname zone");

  check_offsets (text, findings);
  /* no host name is reported from inside the address or the URL */
  g_assert_cmpstr (hosts, ==, "hostname:mx.example.org hostname:mx.example.net zone:zen.spamhaus.org");
}

static void
test_first_codes (void)
{
  static const struct
  {
    const char *diagnostic;
    const char *reply;
    const char *enhanced;
  } cases[] = {
    { "smtp; 550 5.1.1 <a@b>... User unknown", "550", "5.1.1" },
    { "550-5.1.1 The email account that you tried to reach does not exist.", "550", "5.1.1" },
    { "5.1.1 user unknown", NULL, "5.1.1" },
    { "Remote Server returned '554 5.4.4 SMTPSEND.DNS.NonExistentDomain'", "554", "5.4.4" },
    { "host x said: 452 4.2.2 Mailbox full", "452", "4.2.2" },
    { "host mx.example.com [192.0.2.1]: 550 User unknown", "550", NULL },
    { "Postfix 2.11.3 on 192.0.2.250 said nothing useful", NULL, NULL },
    { "X-Postfix; delivery temporarily suspended: connect to 192.0.2.1[192.0.2.1]:25: Connection timed out", NULL, NULL },
    /* a transcript: the refusal, not the steps accepted before it */
    { "Out: 250 2.1.5 Ok In: DATA Out: 354 End data Out: 451 4.3.0 Error: queue file write error", "451", "4.3.0" },
    { "250 2.1.5 Ok", "250", "2.1.5" },
    { "", NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *reply = NULL;
      g_autofree char *enhanced = NULL;

      bounce_extract_first_codes (cases[i].diagnostic, &reply, &enhanced);
      g_assert_cmpstr (reply, ==, cases[i].reply);
      g_assert_cmpstr (enhanced, ==, cases[i].enhanced);
    }

  /* either out may be NULL */
  {
    g_autofree char *enhanced = NULL;

    bounce_extract_first_codes ("smtp; 421 4.7.0 Try later", NULL, &enhanced);
    g_assert_cmpstr (enhanced, ==, "4.7.0");
  }
}

static void
test_boxed (void)
{
  g_autoptr(GPtrArray) findings = bounce_extract_all ("said: 550 5.1.1 rejected", TOKENS);
  BounceFinding *f = g_ptr_array_index (findings, 0);
  g_autoptr(BounceFinding) copy = NULL;

  f->entry_id = g_strdup ("reply.550");
  copy = g_boxed_copy (BOUNCE_TYPE_FINDING, f);
  g_assert_true (copy != f);
  g_assert_cmpstr (copy->text, ==, "550");
  g_assert_cmpstr (copy->entry_id, ==, "reply.550");
  g_assert_cmpuint (copy->byte_offset, ==, f->byte_offset);
  g_assert_true (G_TYPE_IS_BOXED (BOUNCE_TYPE_FINDING));

  g_assert_cmpstr (bounce_finding_kind_to_string (BOUNCE_FINDING_REPLY_CODE), ==, "reply");
  g_assert_cmpstr (bounce_finding_kind_to_string (BOUNCE_FINDING_ENHANCED_CODE), ==, "enhanced");
  g_assert_cmpstr (bounce_finding_kind_to_string (BOUNCE_FINDING_PROVIDER_TOKEN), ==, "token");
  g_assert_cmpstr (bounce_finding_kind_to_string (BOUNCE_FINDING_IPV4), ==, "ipv4");
  g_assert_cmpstr (bounce_finding_kind_to_string (BOUNCE_FINDING_IPV6), ==, "ipv6");
  g_assert_cmpstr (bounce_finding_kind_to_string (BOUNCE_FINDING_HOSTNAME), ==, "hostname");
  g_assert_cmpstr (bounce_finding_kind_to_string (BOUNCE_FINDING_EMAIL), ==, "email");
  g_assert_cmpstr (bounce_finding_kind_to_string (BOUNCE_FINDING_DNSBL_ZONE), ==, "zone");
  g_assert_cmpstr (bounce_finding_kind_to_string (BOUNCE_FINDING_URL), ==, "url");
}

static gpointer
thread_func (gpointer data)
{
  const char *text = data;
  guint n = 0;

  for (int i = 0; i < 50; i++)
    {
      g_autoptr(GPtrArray) findings = bounce_extract_all (text, TOKENS);

      n += findings->len;
    }
  return GUINT_TO_POINTER (n);
}

static void
test_threads (void)
{
  const char *text = "host mx.example.com [192.0.2.1] said: 550 5.1.1 <a@b.example> [TSS04] http://x.example/";
  GThread *threads[4];
  guint counts[4];

  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new ("extract", thread_func, (gpointer) text);
  for (int i = 0; i < 4; i++)
    counts[i] = GPOINTER_TO_UINT (g_thread_join (threads[i]));
  for (int i = 0; i < 4; i++)
    g_assert_cmpuint (counts[i], ==, 50 * 7);
}

static void
test_big_input (void)
{
  const char *unit = "host mx.example.com [192.0.2.1] said: 550 5.1.1 <a@b.example> "
                     "http://x.example/a?b=1 [TSS04] 2001:db8::1 Grüße aaaa.bbbb-cccc:dddd 1.2.3. ";
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GPtrArray) findings = NULL;
  guint units = 0;

  /* One 10 MB line: must finish (quickly, but timing is not asserted). */
  while (line->len < 10 * 1024 * 1024)
    {
      g_string_append (line, unit);
      units++;
    }
  findings = bounce_extract_all (line->str, TOKENS);
  /* hostname, ipv4, reply, enhanced, email, url, token, ipv6 per unit */
  g_assert_cmpuint (findings->len, ==, units * 8);
  {
    const BounceFinding *f = g_ptr_array_index (findings, findings->len - 1);

    g_assert_true (g_utf8_offset_to_pointer (line->str, f->offset) == line->str + f->byte_offset);
  }

  /* Pathological shapes: long runs that every pattern half-matches. */
  {
    static const char * const shapes[] = { "a", "1.", "a:", "a.b-", "a!@", "550 ", "http://", "0f", "#5." };

    for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
      {
        g_autoptr(GPtrArray) f = NULL;

        g_string_truncate (line, 0);
        while (line->len < 2 * 1024 * 1024)
          g_string_append (line, shapes[i]);
        f = bounce_extract_all (line->str, TOKENS);
        g_assert_nonnull (f);
      }
  }
}

/* bounce_extract_address() reads by hand what this regular expression
 * matches; both agree on texts made of the bytes that matter to it, with
 * runs longer than its limits (64 bytes of a local part, 64 of a label)
 * and from any offset (EXTRACT_ADDRESS_REGEX: tests/extract-regexes.h).
 * The regex knows ASCII only: the one character beyond it here is a Han
 * one, which ends an address as any byte outside the regex's classes does
 * (letters of other scripts, and quoted local parts, are test_address()'s). */
static void
test_address_as_regex (void)
{
  static const char * const pieces[] = {
    "a", "Z", "9", "-", ".", "@", " ", "'", "_", "<", ">", "\xe5\xae\x9b", "\n",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-", ".a.b.c.d.e.f.g.h.i.j",
    ".k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z",
  };
  g_autoptr(GRegex) regex = g_regex_new (EXTRACT_ADDRESS_REGEX, G_REGEX_RAW, G_REGEX_MATCH_DEFAULT, NULL);
  GRand *rand = g_rand_new_with_seed (20261207);

  for (guint n = 0; n < 20000; n++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint parts = g_rand_int_range (rand, 1, 24);
      gsize from;

      for (guint i = 0; i < parts; i++)
        g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      from = g_rand_int_range (rand, 0, text->len + 1);
      for (gssize length = text->len; length >= (gssize) text->len - 3 && length >= 0; length--)
        {
          g_autoptr(GMatchInfo) info = NULL;
          g_autofree char *address = NULL;
          gsize start = 0, end = 0;
          int s = -1, e = -1;
          gboolean found = from < (gsize) length &&
                           g_regex_match_full (regex, text->str, length, from, 0, &info, NULL);

          address = bounce_extract_address (text->str, length, from, &start, &end);
          if (found)
            g_match_info_fetch_pos (info, 0, &s, &e);
          if ((address != NULL) != found)
            g_error ("%s from %" G_GSIZE_FORMAT ": %s", text->str, from, address);
          if (found)
            {
              /* (the address drops quotes and dots before it) */
              while (e - s > 1 && text->str[s] != '@' && strchr ("'`.", text->str[s]) != NULL)
                s++;
              g_assert_cmpuint (start, ==, s);
              g_assert_cmpuint (end, ==, e);
            }
        }
    }
  g_rand_free (rand);
}

/* bounce_address_is_daemon() reads by hand what this regular expression
 * matched (on bytes, a line start after any line end GRegex knows). */
static void
test_daemon_as_regex (void)
{
  static const char * const pieces[] = {
    "mailer-daemon", "MAILER-DAEMON", "mail-daemon", "mailerdaemon", "double-bounce", "mdaemon", "daemon",
    "mailer", "@", "@example.org", "+", "-", "x", " ", "\n", "\r", "\r\n", "\v", "\f", "\x85", "\xc2", "<",
  };
  g_autoptr(GRegex) regex = g_regex_new (EXTRACT_DAEMON_REGEX, G_REGEX_RAW, G_REGEX_MATCH_DEFAULT, NULL);
  GRand *rand = g_rand_new_with_seed (20261207);
  guint found = 0;

  for (guint n = 0; n < 40000; n++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint parts = g_rand_int_range (rand, 1, 8);
      gboolean expected;

      for (guint i = 0; i < parts; i++)
        g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      expected = g_regex_match (regex, text->str, 0, NULL);
      if (bounce_address_is_daemon (text->str) != expected)
        g_error ("\"%s\": the regex %d", text->str, expected);
      found += expected;
    }
  g_assert_cmpuint (found, >, 1000);
  g_assert_false (bounce_address_is_daemon (NULL));
  g_rand_free (rand);
}

static void
test_address (void)
{
  gsize start = 0, end = 0;
  g_autofree char *first = bounce_extract_address ("<Bob.Smith@Example.NET>: host said 550", -1, 0, &start, &end);
  g_autofree char *sentence = bounce_extract_address ("Delivery to carol@example.org.", -1, 0, NULL, NULL);
  g_autofree char *second = NULL;
  g_autofree char *counted = NULL;
  g_autofree char *none = bounce_extract_address ("no address here @ all", -1, 0, NULL, NULL);

  g_assert_cmpstr (first, ==, "bob.smith@example.net");
  g_assert_cmpuint (start, ==, 1);
  g_assert_cmpuint (end, ==, 22);
  /* the sentence's full stop is not part of the domain */
  g_assert_cmpstr (sentence, ==, "carol@example.org");
  /* the next one, from the end of the first */
  second = bounce_extract_address ("a@example.org, b@example.net", -1, 13, NULL, NULL);
  g_assert_cmpstr (second, ==, "b@example.net");
  /* a counted text: nothing past length is read */
  counted = bounce_extract_address ("x a@example.org", 5, 0, NULL, NULL);
  g_assert_cmpstr (counted, ==, "a@e");
  g_assert_null (none);
  {
    /* a local part written as an RFC 2047 encoded word keeps its case,
     * which its base64 needs; the domain is still folded (RFC 5321 2.4) */
    g_autofree char *word = bounce_extract_address ("550 <=?UTF-8?B?SsO2cmcgU21pdGg=?=@Example.NET>: no such user",
                                                    -1, 0, NULL, NULL);
    g_autofree char *q = bounce_address_fold ("=?ISO-8859-1?Q?J=F6rg?=@Example.NET", strlen ("=?ISO-8859-1?Q?J=F6rg?=@Example.NET"));
    /* not an encoded word: folded as before */
    g_autofree char *plain = bounce_address_fold ("=?Bob?=@Example.NET", strlen ("=?Bob?=@Example.NET"));
    g_autofree char *upper = bounce_address_fold ("J\xc3\x96RG@B\xc3\x9c" "CHER.example", 21);

    g_assert_cmpstr (word, ==, "=?UTF-8?B?SsO2cmcgU21pdGg=?=@example.net");
    g_assert_cmpstr (q, ==, "=?ISO-8859-1?Q?J=F6rg?=@example.net");
    g_assert_cmpstr (plain, ==, "=?bob?=@example.net");
    g_assert_cmpstr (upper, ==, "j\xc3\xb6rg@b\xc3\xbc" "cher.example");
  }
  {
    /* at most 64 bytes before the '@' (RFC 5321 4.5.3.1.1), 64 in a
     * label; a domain of many labels is read whole (RFC 1035 2.3.4 limits
     * its length, 255 octets, not its labels' count) */
    g_autofree char *local = g_strnfill (70, 'x');
    g_autofree char *label = g_strnfill (70, 'y');
    g_autofree char *long_local = g_strdup_printf ("%s@example.org", local);
    g_autofree char *long_label = g_strdup_printf ("bob@%s.org", label);
    g_autofree char *a = bounce_extract_address (long_local, -1, 0, &start, &end);
    g_autofree char *b = bounce_extract_address (long_label, -1, 0, &start, &end);
    g_autofree char *c = bounce_extract_address ("bob@a.b.c.d.e.f.g.h.i.j.k", -1, 0, NULL, NULL);
    g_autofree char *d = bounce_extract_address ("@@x@-y@z-.org", -1, 0, &start, &end);

    g_assert_cmpuint (strlen (a), ==, 64 + strlen ("@example.org"));
    g_assert_cmpuint (strlen (b), ==, strlen ("bob@") + 64);
    g_assert_cmpstr (c, ==, "bob@a.b.c.d.e.f.g.h.i.j.k");
    g_assert_cmpstr (d, ==, "-y@z");
    g_assert_cmpuint (start, ==, 4);
  }
  {
    /* RFC 6531 3.3: UTF-8 in the local part and U-labels in the domain,
     * lower-cased as a whole; but no Han or kana glued to the address,
     * texts in those scripts having no spaces between words */
    g_autofree char *utf8 = bounce_extract_address ("Delivery to <J\xc3\x96rg@B\xc3\xbc" "cher.example>: failed",
                                                    -1, 0, &start, &end);
    g_autofree char *cyrillic = bounce_extract_address ("\xd0\xbf\xd0\xbe\xd1\x87\xd1\x82\xd0\xb0@"
                                                        "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80."
                                                        "\xd1\x80\xd1\x84", -1, 0, NULL, NULL);
    g_autofree char *glued = bounce_extract_address ("\xe5\xae\x9b\xe5\x85\x88" "bob@example.jp\xe3\x81\xb8\xe3\x81\xae",
                                                     -1, 0, NULL, NULL);
    g_autofree char *broken = bounce_extract_address ("\xc3" "bob@example.org", -1, 0, NULL, NULL);

    g_assert_cmpstr (utf8, ==, "j\xc3\xb6rg@b\xc3\xbc" "cher.example");
    g_assert_cmpuint (start, ==, 13);
    g_assert_cmpuint (end, ==, 13 + strlen ("J\xc3\x96rg@B\xc3\xbc" "cher.example"));
    g_assert_cmpstr (cyrillic, ==, "\xd0\xbf\xd0\xbe\xd1\x87\xd1\x82\xd0\xb0@"
                                   "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80.\xd1\x80\xd1\x84");
    g_assert_cmpstr (glued, ==, "bob@example.jp");
    g_assert_cmpstr (broken, ==, "bob@example.org");
  }
  {
    /* RFC 5321 4.1.2: a quoted local part, with its quotes; not when a
     * word is glued before the opening quote, nor across a line */
    g_autofree char *quoted = bounce_extract_address ("550 <\"John Smith\"@Example.org>... User unknown",
                                                      -1, 0, &start, &end);
    g_autofree char *escaped = bounce_extract_address ("to \"a\\\"b\"@example.org", -1, 0, NULL, NULL);
    g_autofree char *glued = bounce_extract_address ("x\"y\"@example.org", -1, 0, NULL, NULL);
    g_autofree char *lines = bounce_extract_address ("\"a\nb\"@example.org", -1, 0, NULL, NULL);

    g_assert_cmpstr (quoted, ==, "\"john smith\"@example.org");
    g_assert_cmpuint (start, ==, 5);
    g_assert_cmpstr (escaped, ==, "\"a\\\"b\"@example.org");
    g_assert_null (glued);
    g_assert_null (lines);
  }
}

/* Appends words, each space in them as a random run of blanks (sometimes
 * none, or more than three). */
static void
append_with_blanks (GString    *text,
                    GRand      *rand,
                    const char *words)
{
  static const char * const blanks[] = { " ", " ", "\t", "\n", "\r\n", "\v", "\xa0", "\x85", "", "    " };

  for (const char *w = words; *w != '\0'; w++)
    {
      if (*w != ' ')
        g_string_append_c (text, g_rand_boolean (rand) ? *w : g_ascii_toupper (*w));
      else
        for (gint32 n = g_rand_int_range (rand, 1, 3); n > 0; n--)
          g_string_append (text, blanks[g_rand_int_range (rand, 0, G_N_ELEMENTS (blanks))]);
    }
}

/* bounce_extract_smtp_command() reads by hand what EXTRACT_SMTP_COMMAND_REGEX
 * (tests/extract-regexes.h) matched; both agree on texts made of its words,
 * blanks and their neighbours. */
static void
test_smtp_command_as_regex (void)
{
  /* what goes before a command, the command, and what may follow it */
  static const char * const intros[] = {
    "in reply to ", "after ", "after pipelined ", ">>> ", ">> ", "progress was ", "during ", "response to ",
    "while sending ", "did not like our ", "smtp command ", "failed on ", "in ", "domain ", "smtp: ", "smtp:",
    "SMTP:    ", "in the ", "after the final ", "in final ", "in the  final ", "x", "", "reply to ",
  };
  static const char * const commands[] = {
    "rcpt", "rcpt to", "rcpt_to", "mail", "mail from", "mailbox", "data", "bdat", "end of data", "end",
    "message body", "message", "helo", "ehlo", "lhlo", "initial connection", "connection", "connect",
    "greeting", "starttls", "auth", "the", "final", "does not like recipient", "[rcpt_to]",
    "failed after i sent the message", "[data]", "but sender was rejected", "but my name was rejected",
    "but greeting failed", "but sender was", "in reply to rcpt",
  };
  static const char * const tails[] = {
    "", " command", ":", "_", "x", "1", "\xaa", "\xb2", "\xbe", "\xc3\xa9", "\xd7", "\xf7", "\xff", "\xa0", "\x85", "s",
  };
  g_autoptr(GRegex) regex = g_regex_new (EXTRACT_SMTP_COMMAND_REGEX, G_REGEX_RAW, G_REGEX_MATCH_DEFAULT, NULL);
  GRand *rand = g_rand_new_with_seed (20261207);
  guint found = 0;

  for (guint n = 0; n < 40000; n++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint parts = g_rand_int_range (rand, 1, 4);

      for (guint i = 0; i < parts; i++)
        {
          append_with_blanks (text, rand, intros[g_rand_int_range (rand, 0, G_N_ELEMENTS (intros))]);
          append_with_blanks (text, rand, commands[g_rand_int_range (rand, 0, G_N_ELEMENTS (commands))]);
          g_string_append (text, tails[g_rand_int_range (rand, 0, G_N_ELEMENTS (tails))]);
        }
      for (gssize length = text->len; length >= (gssize) text->len - 2 && length >= 0; length--)
        {
          BounceSmtpCommand expected = extract_smtp_command_by_regex (regex, text->str, length);

          if (bounce_extract_smtp_command (text->str, length) != expected)
            g_error ("\"%s\" (%" G_GSSIZE_FORMAT " bytes): %d, the regex %d", text->str, length,
                     bounce_extract_smtp_command (text->str, length), expected);
          found += expected != BOUNCE_SMTP_COMMAND_NONE;
        }
    }
  /* (most texts name a command) */
  g_assert_cmpuint (found, >, 40000);
  g_rand_free (rand);
}

static void
test_smtp_command (void)
{
  static const struct
  {
    const char *text;
    BounceSmtpCommand command;
  } cases[] = {
    { "550 5.1.1 User unknown (in reply to RCPT TO command)", BOUNCE_SMTP_COMMAND_RCPT },
    { "SMTP error from remote mail server after end of data: 550 spam", BOUNCE_SMTP_COMMAND_DATA },
    { "SMTP error from remote mail server after pipelined MAIL FROM:<a@b>: 550 no", BOUNCE_SMTP_COMMAND_MAIL },
    { "after initial connection: 554 go away", BOUNCE_SMTP_COMMAND_CONNECT },
    { ">>> DATA", BOUNCE_SMTP_COMMAND_DATA },
    { "SMTP:RCPT host mx.example.org: 550 no such user", BOUNCE_SMTP_COMMAND_RCPT },
    { "192.0.2.7 does not like recipient.", BOUNCE_SMTP_COMMAND_RCPT },
    { "Sorry, no SMTP connection got far enough; most progress was RCPT TO response", BOUNCE_SMTP_COMMAND_RCPT },
    { "Connected to 192.0.2.7 but sender was rejected.", BOUNCE_SMTP_COMMAND_MAIL },
    { "Connected to 192.0.2.7 but my name was rejected.", BOUNCE_SMTP_COMMAND_CONNECT },
    { "192.0.2.7 failed after I sent the message.", BOUNCE_SMTP_COMMAND_DATA },
    /* the first mention counts: QUIT comes after the refusal */
    { ">>> RCPT To:<a@b> <<< 550 no >>> QUIT", BOUNCE_SMTP_COMMAND_RCPT },
    { "550 5.1.1 User unknown", BOUNCE_SMTP_COMMAND_NONE },
    { ">>> QUIT", BOUNCE_SMTP_COMMAND_NONE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (bounce_extract_smtp_command (cases[i].text, -1), ==, cases[i].command);
  /* a counted line: the text after the length is not read */
  g_assert_cmpint (bounce_extract_smtp_command (">>> DATA", 3), ==, BOUNCE_SMTP_COMMAND_NONE);
  g_assert_cmpint (bounce_extract_smtp_command (NULL, -1), ==, BOUNCE_SMTP_COMMAND_NONE);
}

/* Cutting a text to a length never ends inside a character. */
static void
test_utf8_cut (void)
{
  const char *s = "a\303\251b\342\202\254";   /* "aéb€": 1 + 2 + 1 + 3 bytes */

  g_assert_cmpuint (bounce_utf8_cut (s, 0), ==, 0);
  g_assert_cmpuint (bounce_utf8_cut (s, 1), ==, 1);
  g_assert_cmpuint (bounce_utf8_cut (s, 2), ==, 1);   /* not half of é */
  g_assert_cmpuint (bounce_utf8_cut (s, 3), ==, 3);
  g_assert_cmpuint (bounce_utf8_cut (s, 5), ==, 4);   /* not part of € */
  g_assert_cmpuint (bounce_utf8_cut (s, 6), ==, 4);
  g_assert_cmpuint (bounce_utf8_cut (s, 7), ==, 7);
  g_assert_cmpuint (bounce_utf8_cut (s, 100), ==, 7);
}

/* A window that ends at an offset never starts inside a character. */
static void
test_utf8_back (void)
{
  const char *s = "a\303\251b\342\202\254c";   /* "aéb€c": 1 + 2 + 1 + 3 + 1 bytes */

  g_assert_cmpuint (bounce_utf8_back (s, 8, 100), ==, 0);
  g_assert_cmpuint (bounce_utf8_back (s, 8, 1), ==, 7);
  g_assert_cmpuint (bounce_utf8_back (s, 8, 2), ==, 7);   /* not the end of € */
  g_assert_cmpuint (bounce_utf8_back (s, 8, 3), ==, 7);
  g_assert_cmpuint (bounce_utf8_back (s, 8, 4), ==, 4);
  g_assert_cmpuint (bounce_utf8_back (s, 4, 2), ==, 3);   /* not the end of é */
  g_assert_cmpuint (bounce_utf8_back (s, 4, 3), ==, 1);
  g_assert_cmpuint (bounce_utf8_back (s, 3, 0), ==, 3);
}

/* A constant pattern is compiled without the JIT at first, which would
 * cost a one-shot run more than its few matches, and JIT-compiled once it
 * has been used BOUNCE_REGEX_JIT_AFTER_USES times, a match over a long text
 * counting as several; both match alike. */
static void
test_regex_once (void)
{
  static BounceRegexSlot slot, filled, sized;
  const char *pattern = "\\b(user)\\s+unknown\\b";
  GRegex *first, *regex = NULL;

  first = bounce_regex_once (&slot, pattern, G_REGEX_CASELESS | G_REGEX_OPTIMIZE);
  g_assert_nonnull (first);
  g_assert_false (g_regex_get_compile_flags (first) & G_REGEX_OPTIMIZE);
  g_assert_true (g_regex_get_compile_flags (first) & G_REGEX_CASELESS);
  for (guint i = 1; i <= BOUNCE_REGEX_JIT_AFTER_USES; i++)
    {
      regex = bounce_regex_once (&slot, pattern, G_REGEX_CASELESS);
      g_assert_true (regex == first);
    }
  /* the call that reached the count compiled the JIT: the next ones get it */
  regex = bounce_regex_once (&slot, pattern, G_REGEX_CASELESS);
  g_assert_true (regex != first);
  g_assert_true (g_regex_get_compile_flags (regex) & G_REGEX_OPTIMIZE);
  g_assert_true (g_regex_get_compile_flags (regex) & G_REGEX_CASELESS);
  g_assert_true (bounce_regex_once (&slot, pattern, G_REGEX_CASELESS) == regex);
  g_assert_true (g_regex_match (first, "550 USER  Unknown", 0, NULL));
  g_assert_true (g_regex_match (regex, "550 USER  Unknown", 0, NULL));
  g_assert_false (g_regex_match (regex, "550 username unknown", 0, NULL));

  /* a slot given its plain regex: JIT-compiled from that regex's flags */
  bounce_regex_slot_init (&filled, g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL), G_REGEX_CASELESS);
  first = bounce_regex_once (&filled, pattern, 0);
  g_assert_false (g_regex_get_compile_flags (first) & G_REGEX_OPTIMIZE);
  for (guint i = 1; i <= BOUNCE_REGEX_JIT_AFTER_USES; i++)
    g_assert_true (bounce_regex_once (&filled, pattern, 0) == first);
  regex = bounce_regex_once (&filled, pattern, 0);
  g_assert_true (g_regex_get_compile_flags (regex) & G_REGEX_OPTIMIZE);
  g_assert_true (g_regex_get_compile_flags (regex) & G_REGEX_CASELESS);

  /* a match over a long text counts as many: one over enough bytes for
   * all the uses gets the JIT at the next call */
  first = bounce_regex_once_for (&sized, pattern, G_REGEX_CASELESS, 100);
  g_assert_false (g_regex_get_compile_flags (first) & G_REGEX_OPTIMIZE);
  g_assert_true (bounce_regex_once_for (&sized, pattern, G_REGEX_CASELESS,
                                        BOUNCE_REGEX_JIT_AFTER_USES * BOUNCE_REGEX_BYTES_PER_USE) == first);
  regex = bounce_regex_once_for (&sized, pattern, G_REGEX_CASELESS, 0);
  g_assert_true (g_regex_get_compile_flags (regex) & G_REGEX_OPTIMIZE);
}

/* The long word lists the host name test looks words up in by halves are
 * sorted, in lower case, each word once. */
static void
test_word_lists (void)
{
  g_assert_true (bounce_extract_word_lists_ok ());
}

/* bounce_utf8_count_chars() counts as g_utf8_strlen() does, whatever the
 * length and wherever the non-ASCII characters fall (it takes ASCII eight
 * bytes at a time). */
static void
test_count_chars (void)
{
  static const char * const pieces[] = { "a", "é", "€", "𝄞", " ", "\n" };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < 400; i++)
    {
      g_string_append (text, pieces[(i * 7 + i / 5) % G_N_ELEMENTS (pieces)]);
      /* every start and end within the last bytes */
      for (gsize from = 0; from < MIN (text->len, 20); from++)
        {
          /* (the character that starts at or after from) */
          const char *start = from == 0 ? text->str : g_utf8_find_next_char (text->str + from - 1, NULL);

          g_assert_cmpint (bounce_utf8_count_chars (start, text->str + text->len), ==,
                           g_utf8_strlen (start, text->str + text->len - start));
        }
    }
  g_assert_cmpint (bounce_utf8_count_chars (text->str, text->str), ==, 0);
}

/* The readers that take a length (bounce_extract_address(),
 * bounce_extract_smtp_command(), bounce_find_remote_host()'s hand test)
 * never read past it: each text, and each of its prefixes, is put so that
 * it ends where a page that may not be read begins, so that a read one
 * byte too far faults with or without a sanitizer (the other tests pass a
 * length shorter than a NUL-terminated string, where such a read finds a
 * byte and goes unseen). */
static void
test_readers_stop_at_length (void)
{
#ifdef G_OS_UNIX
  static const char * const texts[] = {
    "bob@example.org", "bob@example.org.", "'bob'@example.org", "a@b-", "a@b.c-d.e", "x@-", "@@x@y",
    "in reply to RCPT TO command", "after pipelined MAIL FROM", ">>> DATA", "SMTP:  RCPT", "during the final DATA",
    "does not like recipient", "[RCPT_TO]", "failed after I sent the message", "but greeting failed",
    "host mx.example.org[192.0.2.1] said", "mx.example.org [192.0.2.1] did not like our RCPT TO",
    "Remote Server at mx.example.org (192.0.2.1) returned", "while talking to mx.example.org.:",
    "connect to mx.example.org[2001:db8::1]:25",
  };
  static const char * const pieces[] = {
    "a", "Z", "-", ".", "@", " ", "\t", "'", "[", "1", ":", "\xc3\xa9", "\xc2\xa0", "in ", "reply ", "to ",
    "smtp:", "the ", "final ", "rcpt", "data", "host ", "remote ", "server ", "at ", "while ", "talking ",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
  };
  long page = sysconf (_SC_PAGESIZE);
  char *map = mmap (NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  GRand *rand = g_rand_new_with_seed (20261207);

  g_assert_true (map != MAP_FAILED);
  g_assert_cmpint (mprotect (map + page, page, PROT_NONE), ==, 0);
  for (guint n = 0; n < G_N_ELEMENTS (texts) + 2000; n++)
    {
      g_autoptr(GString) text = g_string_new (n < G_N_ELEMENTS (texts) ? texts[n] : NULL);

      for (guint i = n < G_N_ELEMENTS (texts) ? 0 : g_rand_int_range (rand, 1, 16); i > 0; i--)
        g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      for (gsize length = 0; length <= text->len; length++)
        {
          char *at = map + page - length;
          gsize start, end;

          memcpy (at, text->str, length);
          g_free (bounce_extract_address (at, length, 0, &start, &end));
          bounce_extract_smtp_command (at, length);
          /* (on whole characters: the pattern after the test is UTF-8) */
          if (g_utf8_validate (at, length, NULL))
            bounce_find_remote_host (at, length, 0, &start, &end, NULL);
        }
    }
  g_rand_free (rand);
  munmap (map, 2 * page);
#else
  g_test_skip ("no mmap() here");
#endif
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/extract/codes/positive", test_codes_positive);
  g_test_add_func ("/extract/word-lists", test_word_lists);
  g_test_add_func ("/extract/codes/negative", test_codes_negative);
  g_test_add_func ("/extract/tokens", test_tokens);
  g_test_add_func ("/extract/network", test_network);
  g_test_add_func ("/extract/public-ips", test_public_ips);
  g_test_add_func ("/extract/count-chars", test_count_chars);
  g_test_add_func ("/extract/offsets", test_offsets);
  g_test_add_func ("/extract/range", test_range);
  g_test_add_func ("/extract/sorted-and-clean", test_sorted_and_clean);
  g_test_add_func ("/extract/first-codes", test_first_codes);
  g_test_add_func ("/extract/address-as-regex", test_address_as_regex);
  g_test_add_func ("/extract/daemon-as-regex", test_daemon_as_regex);
  g_test_add_func ("/extract/smtp-command", test_smtp_command);
  g_test_add_func ("/extract/smtp-command-as-regex", test_smtp_command_as_regex);
  g_test_add_func ("/extract/address", test_address);
  g_test_add_func ("/extract/readers-stop-at-length", test_readers_stop_at_length);
  g_test_add_func ("/extract/boxed", test_boxed);
  g_test_add_func ("/extract/threads", test_threads);
  g_test_add_func ("/extract/big-input", test_big_input);
  g_test_add_func ("/extract/utf8-cut", test_utf8_cut);
  g_test_add_func ("/extract/utf8-back", test_utf8_back);
  g_test_add_func ("/extract/regex-once", test_regex_once);

  return g_test_run ();
}
