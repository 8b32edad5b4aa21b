# SPDX-License-Identifier: GPL-3.0-or-later
"""What a helpdesk user pastes out of a bounce: the text a mail program
shows, copied out of it.  Shared by build-aux/probe-robustness (its
"pasted" and "pasted-forwarded" changes of the labelled corpus) and
build-aux/agree-sisimai --pasted (the outside collections).

The text pasted is the message's first text/plain part, decoded (transfer
encoding and charset), without any header: what the delivery-status part
and the returned message said is lost.  A message whose first part is the
returned message, or that has no text/plain part, or whose text is blank,
has nothing to paste.
"""

import email
import re
from email import policy


def first_text(data):
    """The first text/plain part of the message, decoded, as UTF-8 bytes;
    None when it has none (or it is empty)."""
    message = email.message_from_bytes(data, policy=policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.is_multipart():
            try:
                text = part.get_content()
            except (LookupError, ValueError):
                return None
            return text.encode("utf-8", "replace") if text.strip() else None
        if part.get_content_type() == "message/rfc822":
            return None
    return None


def several_messages(data):
    """True when DATA (LF line ends) is an mbox of more than one message."""
    return re.search(rb"\n\nFrom [^\n]*\n", data) is not None


def pasted(data, envelope=False):
    """The text a user would paste out of DATA (LF line ends), or None.

    A file that starts with an mbox "From " line is left out, unless
    ENVELOPE is true and it holds one message only: its envelope line is
    no header a user sees, and the parser sets it aside."""
    if data.startswith(b"From ") and (not envelope or several_messages(data)):
        return None
    return first_text(data)
