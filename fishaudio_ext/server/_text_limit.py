"""The local server's own bound on the text of one synthesis. It is not an API fact: the hosted API
documents no such limit. The server synthesizes and sends a request chunk by chunk, so its audio takes no
more memory for a long text than for a short one; what still grows with the text is its word timings, kept
for ``/v1/asr`` (about 0.1 KB per character: some 30 MB for 300,000 characters). The bound keeps that, and
the hours of audio such a text makes, within reason.

A longer ``text`` gets the 422 the API gives a string over its ``maxLength``
(``_validation.text_too_long``); on ``/v1/tts/live`` the ``start`` request's text and each ``text`` event
are bounded alike (the session speaks its buffer once it holds ``chunk_length`` characters, so the buffer
stays within the bound too). Kept free of the server's dependencies: the ``fishaudio`` command shows it.
"""

from __future__ import annotations

from typing import Final

DEFAULT_MAX_TEXT_LENGTH: Final = 500_000
"""Characters of text per request or live ``text`` event; ``LocalServer(max_text_length=...)`` changes it."""
