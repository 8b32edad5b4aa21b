/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Fixed openings of server layouts, written for the tests after each
 * server's own wording; the recipients and replies follow in each test. */

/* Exim's notice of a permanent failure, up to its list of addresses. */
#define EXIM_FAILED_INTRO \
  "This message was created automatically by mail delivery software.\n" \
  "\n" \
  "A message that you sent could not be delivered to one or more of its\n" \
  "recipients. This is a permanent error. The following address(es) failed:\n" \
  "\n"

/* OpenSMTPD's greeting, before it says whether delivery failed or is
 * delayed for "the following list of recipients". */
#define OPENSMTPD_INTRO \
  "    Hi!\n" \
  "\n" \
  "    This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.\n" \
  "\n"
