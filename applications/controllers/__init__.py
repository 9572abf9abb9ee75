"""Every route of the applications package: the API under /api/applications and the pages.

The JSON API controllers are in `api`, the Swedish HTML pages under /ansokningar in `pages`, and
what both use (who may read and write, the owners of an application or attachment, reading an
upload) in `shared`. ROUTE_HANDLERS lists the controllers for the app to register.
"""

from __future__ import annotations

from applications.controllers.api import XLSX, ApplicationApi, AttachmentApi
from applications.controllers.pages import ApplicationPages, Form
from applications.controllers.shared import READERS, WRITERS, AnyRequest

ROUTE_HANDLERS = [ApplicationApi, AttachmentApi, ApplicationPages]

__all__ = [
    "READERS",
    "ROUTE_HANDLERS",
    "WRITERS",
    "XLSX",
    "AnyRequest",
    "ApplicationApi",
    "ApplicationPages",
    "AttachmentApi",
    "Form",
]
