"""The local server's own bound on the text of one synthesis. It is not an API fact: the hosted API
documents no such limit, and this one exists because the local server renders a request's audio in one go
(300,000 characters made a 1.7 GB WAV body), so memory grows with the text.

A longer ``text`` gets the 422 the API gives a string over its ``maxLength``
(``_validation.text_too_long``); on ``/v1/tts/live`` the ``start`` request's text and each ``text`` event
are bounded alike (the session speaks its buffer once it holds ``chunk_length`` characters, so the buffer
stays within the bound too). Kept free of the server's dependencies: the ``fishaudio`` command shows it.
"""

from __future__ import annotations

from typing import Final

DEFAULT_MAX_TEXT_LENGTH: Final = 10_000
"""Characters of text per request or live ``text`` event; ``LocalServer(max_text_length=...)`` changes it."""
