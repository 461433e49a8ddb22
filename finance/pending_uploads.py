"""An uploaded file that waits between its check and its confirmation (workbook and voucher imports).

The file is kept on the server under a random token that only the uploader's session knows,
so the confirm step imports exactly the bytes that were checked. A check that is never
confirmed leaves its file behind; files older than a day are removed at the next upload.
"""

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

STALE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class PendingUploads:
    session_key: str
    folder: Callable[[], Path]  # called at each use: settings (and tests) decide where

    def _path(self, token: str) -> Path:
        return self.folder() / f"{token}.xlsx"

    def store(self, request, data: bytes, **details) -> str:
        """Keeps ``data`` for this session (replacing an earlier one) and returns its token."""
        self.discard(request)
        self.folder().mkdir(parents=True, exist_ok=True)
        self._remove_stale()
        token = secrets.token_urlsafe(24)
        self._path(token).write_bytes(data)
        request.session[self.session_key] = {"token": token, **details}
        return token

    def find(self, request, token: str | None) -> tuple[dict, bytes] | None:
        """The session's pending upload and its bytes, if ``token`` is its token and the file is still there."""
        pending = request.session.get(self.session_key)
        if not pending or token != pending["token"] or not self._path(pending["token"]).is_file():
            return None
        return pending, self._path(pending["token"]).read_bytes()

    def discard(self, request) -> None:
        pending = request.session.pop(self.session_key, None)
        if pending:
            self._path(pending["token"]).unlink(missing_ok=True)

    def _remove_stale(self) -> None:
        cutoff = time.time() - STALE_SECONDS
        for path in self.folder().glob("*.xlsx"):
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
