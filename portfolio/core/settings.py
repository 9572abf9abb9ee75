"""Settings read once from the environment, with defaults that run on a laptop."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

import msgspec

ROOT = Path(__file__).resolve().parents[2]  # the repository (portfolio/core/settings.py)


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
    # Outgoing mail (see README, "E-post"): no smtp_host means mails go to the outbox only.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_tls: str = "none"  # none | starttls | ssl
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = "finsam@localhost"
    base_url: str = "http://127.0.0.1:8000"
    mail_interval: float = 5.0  # seconds between queue polls; 0 turns the background sender off
    # Requests one worker answers at a time; one more is refused with 503 (shell/overload.py).
    max_in_flight: int = 100

    @property
    def uploads_lock(self) -> Path:
        """The lock file held while a stored upload is kept or deleted, and while a backup
        copies the uploads: beside them, not among them, so no backup carries it."""
        return self.data_dir / "uploads.lock"

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
        max_in_flight=int(os.environ.get("FINSAM_MAX_IN_FLIGHT", "100")),
        **_mail_settings(),
    )


def _mail_settings() -> dict[str, Any]:
    tls = os.environ.get("FINSAM_SMTP_TLS", "none").strip().lower() or "none"
    if tls not in ("none", "starttls", "ssl"):
        raise ValueError(f"FINSAM_SMTP_TLS must be none, starttls or ssl, not {tls!r}")
    default_port = {"none": "25", "starttls": "587", "ssl": "465"}[tls]
    return {
        "smtp_host": os.environ.get("FINSAM_SMTP_HOST", "").strip(),
        "smtp_port": int(os.environ.get("FINSAM_SMTP_PORT", default_port)),
        "smtp_tls": tls,
        "smtp_user": os.environ.get("FINSAM_SMTP_USER", ""),
        "smtp_password": os.environ.get("FINSAM_SMTP_PASSWORD", ""),
        "mail_from": os.environ.get("FINSAM_MAIL_FROM", "finsam@localhost"),
        "base_url": os.environ.get(
            "FINSAM_BASE_URL",
            f"http://{os.environ.get('FINSAM_HOST', '127.0.0.1')}:{os.environ.get('FINSAM_PORT', '8000')}",
        ).rstrip("/"),
        "mail_interval": float(os.environ.get("FINSAM_MAIL_INTERVAL", "5")),
    }
