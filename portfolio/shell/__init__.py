"""The app shell: the Litestar app factory, the ASGI entry point, the `finsam` command and backups."""
