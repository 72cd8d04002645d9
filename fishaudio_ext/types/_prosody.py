"""Speed and loudness of the generated speech."""

from __future__ import annotations

import attrs

from ._checks import bool_field, number_field
from ._limits import SPEED, VOLUME


@attrs.frozen(kw_only=True)
class Prosody:
    """Speed and loudness of the generated speech.

    Example: ``Prosody(speed=1.2, volume=-5)`` speaks 20 % faster and 5 dB quieter.

    Attributes:
        speed: speaking rate multiplier, 0.5 to 2.0.
        volume: volume change in dB, -20 to 20.
        normalize_loudness: even out perceived loudness (S2 models; ``s1`` ignores it).
    """

    speed: float = attrs.field(default=1.0, validator=number_field(SPEED, prefix="prosody."))
    volume: float = attrs.field(default=0.0, validator=number_field(VOLUME, prefix="prosody."))
    normalize_loudness: bool = attrs.field(default=True, validator=bool_field(prefix="prosody."))

    @classmethod
    def from_speed_override(cls, speed: float, base: Prosody | None = None) -> Prosody:
        """Return ``base`` with its speed replaced (or a default Prosody at that speed when there is none).

        Example: ``Prosody.from_speed_override(1.5, Prosody(volume=3))`` is
        ``Prosody(speed=1.5, volume=3, normalize_loudness=True)``.
        """
        return cls(speed=speed) if base is None else attrs.evolve(base, speed=speed)
