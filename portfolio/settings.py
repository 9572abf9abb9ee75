"""Settings read once from the environment, with defaults that run on a laptop."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

import msgspec

ROOT = Path(__file__).resolve().parent.parent


class Settings(msgspec.Struct, frozen=True):
    """Everything the service is configured by; see the README for each variable."""

    database_url: str
    secret_key: str
    data_dir: Path
    upload_dir: Path
    debug: bool
    secure_cookies: bool
    session_max_age: int
    host: str
    port: int
    db_pool_size: int

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))


def _secret_key(data_dir: Path) -> str:
    """The configured key, or one generated once and kept in the data folder.

    A key that changes on each start would log everyone out, and several workers must agree
    on it, so a generated key is written to disk rather than held in memory.
    """
    configured = os.environ.get("FINSAM_SECRET_KEY")
    if configured:
        return configured
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    data_dir = Path(os.environ.get("FINSAM_DATA_DIR", ROOT / "data")).resolve()
    database_url = os.environ.get("FINSAM_DATABASE_URL", f"sqlite:///{data_dir / 'finsam.sqlite'}")
    return Settings(
        database_url=database_url,
        secret_key=_secret_key(data_dir),
        data_dir=data_dir,
        upload_dir=Path(os.environ.get("FINSAM_UPLOAD_DIR", data_dir / "uploads")).resolve(),
        debug=os.environ.get("FINSAM_DEBUG", "") == "1",
        secure_cookies=os.environ.get("FINSAM_SECURE_COOKIES", "0") == "1",
        session_max_age=int(os.environ.get("FINSAM_SESSION_MAX_AGE", str(8 * 3600))),
        host=os.environ.get("FINSAM_HOST", "127.0.0.1"),
        port=int(os.environ.get("FINSAM_PORT", "8000")),
        db_pool_size=int(os.environ.get("FINSAM_DB_POOL_SIZE", "10")),
    )
