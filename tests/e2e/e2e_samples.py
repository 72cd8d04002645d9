"""Real speech made by the local server, for what needs real audio: voice clones, ASR, seed examples."""

from __future__ import annotations

from fishaudio_ext import FishAudio


class Samples:
    """Made once per session; the voices of a clone need only be decodable audio."""

    def __init__(self, client: FishAudio) -> None:
        self.first_wav = client.tts.convert(text="This is the first voice sample.", format="wav")
        self.second_wav = client.tts.convert(text="And this is the second voice sample.", format="wav")
