"""The API's resources: ``tts``, ``voices``, ``account`` and ``asr``, each in a sync and an async client."""
