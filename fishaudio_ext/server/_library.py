"""The public library voices every local server starts with.

The ids are those of the Fish Audio documentation's examples (the Python SDK text-to-speech guide) and
of the official SDK's integration tests, so their snippets run unchanged against the local server.
Titles are the guide's where it names the voice; tags, languages and counts are plausible values chosen
here, not copied from the hosted library.
"""

from __future__ import annotations

from typing import Final

import attrs

LIBRARY_AUTHOR_ID: Final = "5f1b2c3d4e5f6a7b8c9d0e1f"
LIBRARY_AUTHOR_NICKNAME: Final = "Fish Audio"
LIBRARY_AUTHOR_AVATAR: Final = "avatars/fish-audio.png"


@attrs.frozen
class LibraryVoice:
    """A seeded voice: id, title, description, tags, languages, popularity and creation date."""

    id: str
    title: str
    description: str
    tags: tuple[str, ...]
    languages: tuple[str, ...]
    task_count: int
    like_count: int
    score: float
    created_at: str


LIBRARY_VOICES: Final = (
    LibraryVoice(
        "bf322df2096a46f18c579d0baa36f41d",
        "Adrian",
        "A calm, clear male narrator.",
        ("male", "english", "narration", "calm"),
        ("en",),
        1_840_000,
        9_200,
        0.93,
        "2025-03-04T10:00:00+00:00",
    ),
    LibraryVoice(
        "933563129e564b19a115bedd57b7406a",
        "Sarah",
        "A warm, friendly female voice for conversation.",
        ("female", "english", "conversational", "warm"),
        ("en",),
        2_310_000,
        11_800,
        0.95,
        "2025-02-11T09:30:00+00:00",
    ),
    LibraryVoice(
        "802e3bc2b27e49c2995d23ef70e6ac89",
        "Energetic Male",
        "An upbeat young male voice for ads and games.",
        ("male", "english", "energetic", "young"),
        ("en",),
        3_020_000,
        15_400,
        0.91,
        "2025-01-15T08:30:00+00:00",
    ),
    LibraryVoice(
        "8ef4a238714b45718ce04243307c57a7",
        "E-girl",
        "A bright, playful young female voice.",
        ("female", "english", "playful", "young"),
        ("en",),
        2_760_000,
        13_100,
        0.89,
        "2025-01-22T14:00:00+00:00",
    ),
    LibraryVoice(
        "b347db033a6549378b48d00acb0d06cd",
        "Selene",
        "A soft, soothing female voice.",
        ("female", "english", "soft", "calm"),
        ("en",),
        1_120_000,
        6_700,
        0.9,
        "2025-04-18T16:45:00+00:00",
    ),
    LibraryVoice(
        "536d3a5e000945adb7038665781a4aca",
        "Ethan",
        "A deep, confident male voice.",
        ("male", "english", "deep", "confident"),
        ("en",),
        1_450_000,
        7_900,
        0.88,
        "2025-05-06T11:15:00+00:00",
    ),
    # The voice the official SDK's integration tests speak with.
    LibraryVoice(
        "ca3007f96ae7499ab87d27ea3599956a",
        "Morgan",
        "A clear, even voice for news and explainers.",
        ("english", "news", "clear"),
        ("en",),
        640_000,
        3_100,
        0.86,
        "2025-06-02T13:20:00+00:00",
    ),
)
