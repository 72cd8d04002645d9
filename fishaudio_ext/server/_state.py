"""Everything the local server remembers, in SQLite: accounts (one per API key), voices, and transcripts.

The database lives in memory unless a directory is given, in which case it is the file
``fishaudio-local.sqlite3`` there and survives restarts; the directory the server creates and the file are
readable by their owner only. Of an API key only its SHA-256 digest is kept (:func:`key_digest`): enough to
recognize the key, useless for calling anything with it. One connection is shared by the event loop and
by the owner of the server object (tests, the CLI), so every access holds a lock; each query is tiny.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import secrets
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from ._library import LIBRARY_AUTHOR_AVATAR, LIBRARY_AUTHOR_ID, LIBRARY_AUTHOR_NICKNAME, LIBRARY_VOICES
from ._speech import Word

DATABASE_NAME: Final = "fishaudio-local.sqlite3"
USER_NICKNAME: Final = "local-user"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    key_hash TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    user_id TEXT NOT NULL UNIQUE,
    credit INTEGER NOT NULL,
    top_up INTEGER NOT NULL,
    synthesized_bytes INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS voices (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    author_nickname TEXT NOT NULL,
    author_avatar TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    cover_image TEXT NOT NULL,
    visibility TEXT NOT NULL,
    tags TEXT NOT NULL,
    languages TEXT NOT NULL,
    title_language TEXT NOT NULL,
    samples TEXT NOT NULL,
    train_mode TEXT NOT NULL,
    state TEXT NOT NULL,
    like_count INTEGER NOT NULL,
    mark_count INTEGER NOT NULL,
    shared_count INTEGER NOT NULL,
    task_count INTEGER NOT NULL,
    score REAL NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS transcripts (
    sha256 TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    words TEXT NOT NULL,
    duration REAL NOT NULL,
    language TEXT NOT NULL
);
"""


def key_digest(api_key: str) -> str:
    """What identifies an API key in the database and in the concurrency limit: its SHA-256, in hex."""
    return hashlib.sha256(api_key.encode("utf-8", errors="surrogatepass")).hexdigest()


def now() -> str:
    """The current UTC time as ISO 8601, the form of every timestamp the server returns."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


@attrs.frozen
class Account:
    """The owner of one API key (known by its :func:`key_digest`): wallet (micro-USD) and usage."""

    key_hash: str
    id: str
    user_id: str
    credit: int
    top_up: int
    synthesized_bytes: int
    created_at: str
    updated_at: str


@attrs.frozen
class Sample:
    """One voice sample of a model: its title, transcript and where its audio would be served."""

    title: str
    text: str
    audio: str


@attrs.frozen
class Voice:
    """A voice model as stored."""

    id: str
    owner_id: str
    author_nickname: str
    author_avatar: str
    title: str
    description: str
    cover_image: str
    visibility: str
    tags: tuple[str, ...]
    languages: tuple[str, ...]
    title_language: str
    samples: tuple[Sample, ...]
    train_mode: str
    state: str
    like_count: int
    mark_count: int
    shared_count: int
    task_count: int
    score: float
    created_at: str
    updated_at: str

    def visible_to(self, user_id: str) -> bool:
        """Public and unlisted voices are usable by anyone with the id; private ones by their owner."""
        return self.visibility != "private" or self.owner_id == user_id

    def listed_for(self, user_id: str) -> bool:
        """Listings show public voices, and the caller's own whatever their visibility."""
        return self.visibility == "public" or self.owner_id == user_id


@attrs.frozen
class VoiceQuery:
    """The filters, order and page of ``GET /model``, for the user asking."""

    user_id: str
    page_size: int = 10
    page_number: int = 1
    title: str | None = None
    tags: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    title_languages: tuple[str, ...] = ()
    self_only: bool = False
    author_id: str | None = None
    sort_by: str = "score"

    def matches(self, voice: Voice) -> bool:
        """Whether ``voice`` passes every filter (tags: all of them; languages: any of them)."""
        if self.self_only:
            if voice.owner_id != self.user_id:
                return False
        elif not voice.listed_for(self.user_id) or (self.author_id and voice.owner_id != self.author_id):
            return False
        if self.title and self.title.casefold() not in voice.title.casefold():
            return False
        if self.tags and not set(self.tags) <= set(voice.tags):
            return False
        if self.languages and not set(self.languages) & set(voice.languages):
            return False
        return not self.title_languages or voice.title_language in self.title_languages


@attrs.frozen
class Transcript:
    """What a stretch of audio served by this server says: text, word timings (seconds), duration."""

    text: str
    words: tuple[Word, ...]
    duration: float
    language: str


_SORT_KEYS: Final = {
    "score": lambda v: (v.score, v.task_count, v.created_at),
    "task_count": lambda v: (v.task_count, v.score, v.created_at),
    "created_at": lambda v: (v.created_at, v.score, v.task_count),
}


class Store:
    """The server's SQLite database.

    Example::

        store = Store(None)                    # in memory
        account = store.add_account("key", credit=5_000_000)
        voice = store.voice("802e3bc2b27e49c2995d23ef70e6ac89")
    """

    def __init__(self, data_dir: Path | None) -> None:
        """Open (or create) the database; ValueError naming ``data_dir`` when it cannot be used."""
        self.path = ":memory:" if data_dir is None else str(data_dir / DATABASE_NAME)
        self._lock = threading.RLock()
        try:
            if data_dir is not None:
                _private_file(data_dir)
            # Shared between the server's event loop thread and its owner's thread, always under the lock.
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            with self._lock:
                self._db.executescript(_SCHEMA)
                self._forget_plaintext_keys()
                self._seed_library()
        except (OSError, sqlite3.Error) as exc:
            raise ValueError(f"cannot keep the server's data in {data_dir}: {exc}") from None

    def close(self) -> None:
        """Close the database (a file database keeps its content)."""
        with self._lock:
            self._db.close()

    def clear(self) -> None:
        """Forget everything, then seed the library voices again."""
        with self._lock, self._transaction():
            for table in ("accounts", "voices", "transcripts"):
                self._db.execute(f"DELETE FROM {table}")  # fixed table names, not input
            self._seed_library()

    # --- accounts ------------------------------------------------------------------------------------

    def add_account(self, key_hash: str, *, credit: int) -> Account:
        """Register the key with this digest with ``credit`` micro-USD; an existing account is returned
        unchanged."""
        stamp = now()
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO accounts VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                (key_hash, secrets.token_hex(12), secrets.token_hex(12), credit, credit, stamp, stamp),
            )
            account = self.account(key_hash)
        assert account is not None
        return account

    def account(self, key_hash: str) -> Account | None:
        """The account of the key with this digest, or None for an unknown key."""
        with self._lock:
            row = self._db.execute("SELECT * FROM accounts WHERE key_hash = ?", (key_hash,)).fetchone()
        return None if row is None else Account(**dict(row))

    def set_credit(self, key_hash: str, credit: int) -> None:
        """Set the balance of the key with this digest to ``credit`` micro-USD."""
        with self._lock:
            self._db.execute(
                "UPDATE accounts SET credit = ?, updated_at = ? WHERE key_hash = ?", (credit, now(), key_hash)
            )

    def charge(self, key_hash: str, amount: int, *, synthesized_bytes: int = 0) -> bool:
        """Take ``amount`` micro-USD from the balance if it covers it; return whether it did."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE accounts SET credit = credit - ?, synthesized_bytes = synthesized_bytes + ?,"
                " updated_at = ? WHERE key_hash = ? AND credit >= ?",
                (amount, synthesized_bytes, now(), key_hash, amount),
            )
        return cursor.rowcount == 1

    # --- voices --------------------------------------------------------------------------------------

    def voice(self, voice_id: str) -> Voice | None:
        """The voice with this id, or None."""
        with self._lock:
            row = self._db.execute("SELECT * FROM voices WHERE id = ?", (voice_id,)).fetchone()
        return None if row is None else _voice(row)

    def voices(self, query: VoiceQuery) -> tuple[int, list[Voice]]:
        """The number of voices matching ``query`` and the requested page of them, best first."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM voices").fetchall()
        found = sorted(
            (voice for voice in map(_voice, rows) if query.matches(voice)),
            key=_SORT_KEYS[query.sort_by],
            reverse=True,
        )
        start = (query.page_number - 1) * query.page_size
        return len(found), found[start : start + query.page_size]

    def create_voice(
        self,
        *,
        owner_id: str,
        title: str,
        description: str,
        visibility: str,
        tags: Sequence[str],
        languages: Sequence[str],
        title_language: str,
        samples: Sequence[Sample],
        has_cover_image: bool,
    ) -> Voice:
        """Store a new voice, trained at once (``train_mode: fast``), and return it."""
        voice_id = uuid.uuid4().hex
        stamp = now()
        voice = Voice(
            id=voice_id,
            owner_id=owner_id,
            author_nickname=USER_NICKNAME,
            author_avatar="",
            title=title,
            description=description,
            cover_image=f"coverimage/{voice_id}" if has_cover_image else "",
            visibility=visibility,
            tags=tuple(tags),
            languages=tuple(languages),
            title_language=title_language,
            samples=tuple(samples),
            train_mode="fast",
            state="trained",
            like_count=0,
            mark_count=0,
            shared_count=0,
            task_count=0,
            score=0.0,
            created_at=stamp,
            updated_at=stamp,
        )
        with self._lock:
            self._insert(voice)
        return voice

    def update_voice(self, voice_id: str, **changes: Any) -> Voice:
        """Change some fields of a voice (``title=``, ``tags=`` ...) and return it."""
        voice = self.voice(voice_id)
        if voice is None:
            raise KeyError(voice_id)
        voice = attrs.evolve(voice, **changes, updated_at=now())
        with self._lock, self._transaction():
            self._db.execute("DELETE FROM voices WHERE id = ?", (voice_id,))
            self._insert(voice)
        return voice

    def delete_voice(self, voice_id: str) -> None:
        """Remove a voice."""
        with self._lock:
            self._db.execute("DELETE FROM voices WHERE id = ?", (voice_id,))

    def count_use(self, voice_ids: Iterable[str]) -> None:
        """Add one synthesis to the ``task_count`` of each voice."""
        with self._lock:
            self._db.executemany(
                "UPDATE voices SET task_count = task_count + 1 WHERE id = ?", [(v,) for v in set(voice_ids)]
            )

    # --- transcripts ---------------------------------------------------------------------------------

    def remember(self, sha256: str, transcript: Transcript) -> None:
        """Record what the audio with this digest says, for ASR to find later."""
        words = json.dumps([[w.text, w.start, w.end] for w in transcript.words])
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO transcripts VALUES (?, ?, ?, ?, ?)",
                (sha256, transcript.text, words, transcript.duration, transcript.language),
            )

    def transcript(self, sha256: str) -> Transcript | None:
        """What the audio with this digest says, if this server produced it."""
        with self._lock:
            row = self._db.execute("SELECT * FROM transcripts WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            return None
        words = tuple(Word(text, start, end) for text, start, end in json.loads(row["words"]))
        return Transcript(row["text"], words, row["duration"], row["language"])

    # --- internals -----------------------------------------------------------------------------------

    def _transaction(self) -> sqlite3.Connection:
        # isolation_level=None is autocommit; "with connection" alone would not open a transaction.
        self._db.execute("BEGIN")
        return self._db

    def _forget_plaintext_keys(self) -> None:
        """Databases written by earlier versions kept the keys themselves: keep their digests instead, and
        rewrite the file so that no page of it holds a key any more."""
        columns = {row["name"] for row in self._db.execute("PRAGMA table_info(accounts)")}
        if "api_key" not in columns:
            return
        keys = [row["api_key"] for row in self._db.execute("SELECT api_key FROM accounts")]
        with self._transaction():
            for key in keys:
                self._db.execute("UPDATE accounts SET api_key = ? WHERE api_key = ?", (key_digest(key), key))
            self._db.execute("ALTER TABLE accounts RENAME COLUMN api_key TO key_hash")
        self._db.execute("VACUUM")

    def _insert(self, voice: Voice) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO voices VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                voice.id,
                voice.owner_id,
                voice.author_nickname,
                voice.author_avatar,
                voice.title,
                voice.description,
                voice.cover_image,
                voice.visibility,
                json.dumps(voice.tags),
                json.dumps(voice.languages),
                voice.title_language,
                json.dumps([attrs.asdict(sample) for sample in voice.samples]),
                voice.train_mode,
                voice.state,
                voice.like_count,
                voice.mark_count,
                voice.shared_count,
                voice.task_count,
                voice.score,
                voice.created_at,
                voice.updated_at,
            ),
        )

    def _seed_library(self) -> None:
        for seed in LIBRARY_VOICES:
            self._insert(
                Voice(
                    id=seed.id,
                    owner_id=LIBRARY_AUTHOR_ID,
                    author_nickname=LIBRARY_AUTHOR_NICKNAME,
                    author_avatar=LIBRARY_AUTHOR_AVATAR,
                    title=seed.title,
                    description=seed.description,
                    cover_image=f"coverimage/{seed.id}",
                    visibility="public",
                    tags=seed.tags,
                    languages=seed.languages,
                    title_language="en",
                    samples=(),
                    train_mode="fast",
                    state="trained",
                    like_count=seed.like_count,
                    mark_count=seed.like_count // 5,
                    shared_count=seed.like_count // 20,
                    task_count=seed.task_count,
                    score=seed.score,
                    created_at=seed.created_at,
                    updated_at=seed.created_at,
                )
            )


def _private_file(data_dir: Path) -> None:
    """Create the data directory (owner only) and the database file (owner only; also an older one)."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = data_dir / DATABASE_NAME
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)  # SQLite gives its journal files the permissions of the database file


def _voice(row: sqlite3.Row) -> Voice:
    data = dict(row)
    data["tags"] = tuple(json.loads(data["tags"]))
    data["languages"] = tuple(json.loads(data["languages"]))
    data["samples"] = tuple(Sample(**sample) for sample in json.loads(data["samples"]))
    return Voice(**data)
