/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bounce-layout.h"

G_BEGIN_DECLS

/* The registry of layouts (bounce-layouts.c) and what the engine asks it. */

/* Every layout, in the order they are tried; NULL-terminated. */
const BounceLayout * const *bounce_layouts_get_all     (void);

/* A document for message message_index of input.  notification is the
 * message's notification text (borrowed); sender the address the bounce
 * went to, or NULL. */
BounceLayoutDoc *bounce_layout_doc_new     (BounceInput     *input,
                                            guint            message_index,
                                            const char      *sender,
                                            const char      *notification);
void             bounce_layout_doc_free    (BounceLayoutDoc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BounceLayoutDoc, bounce_layout_doc_free)

/* The facts of the first layout of kind that knows the message (an empty
 * array when none does), in order; *layout is set to its name, or NULL.
 * Facts without an address, repeated ones and those about ignored
 * addresses (bounce_doc_is_ignored_address()) are left out; TEXT layouts'
 * facts have from_layout set and a text ("" when they quote nothing). */
GPtrArray       *bounce_layouts_run        (BounceLayoutDoc *doc,
                                            BounceLayoutKind kind,
                                            const char     **layout);

/* Asks every layout that quotes replies (see BounceLayout). */
gboolean         bounce_layouts_verdict_quote (const char        *text,
                                               BounceQuotedReply *out);
gboolean         bounce_layouts_attempt_reply (const char        *text,
                                               gboolean           skip_expiry,
                                               BounceQuotedReply *out);
const char      *bounce_layouts_field_reason  (BounceFieldGroup  *group);

/* Whether message's plain-text recipient list goes on past the first
 * limit bytes of its notification text with addresses facts do not have
 * (the list was cut there). */
gboolean         bounce_layouts_list_cut   (BounceLayoutDoc *doc,
                                            GPtrArray       *facts,
                                            gsize            limit);

/* The TEXT layouts' facts about message message_index, or NULL when no
 * layout knows it (for tests and tools). */
GPtrArray       *bounce_layouts_parse_text (BounceInput     *input,
                                            guint            message_index);

G_END_DECLS
