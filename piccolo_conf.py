"""Lets the `piccolo` command line run from the repository root (migrations new --auto)."""

from portfolio.piccolo_conf import APP_REGISTRY, DB

__all__ = ["APP_REGISTRY", "DB"]
