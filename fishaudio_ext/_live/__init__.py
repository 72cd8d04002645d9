"""Everything ``/v1/tts/live``: ``client.tts.live()`` sessions and ``stream_websocket``, which is a session of
one utterance.

* :mod:`.protocol`: the frames sent and what each frame received means (no I/O).
* :mod:`.connection`: the URL, handshake headers, connect arguments, the one handshake retry loop, and the
  errors a failed or lost connection maps to.
* :mod:`.settings`: a session's settings and one utterance's overrides, as the request of that utterance.
* :mod:`.state`: what the sync and async sessions decide alike (socket reuse, an utterance's state,
  metrics), in plain code.
* :mod:`.sync_session` and :mod:`.async_session`: the twins, which only do the I/O.

Imported on first use (with the ``websockets`` library): see ``fishaudio_ext/__init__.py``.
"""
