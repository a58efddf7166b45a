"""The CJK font the app draws Chinese with: copied from the system into the app's assets, and
looked for again on every render while it is missing, so a font installed while the app runs is
picked up without a restart. Without it Chinese shows as boxes, so the shell says so."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

#: The Debian package that installs the font.
PACKAGE = "fonts-droid-fallback"


class CjkFont:
    """The system's CJK font (``source``) and its copy in the assets the app serves."""

    def __init__(self, source: Path, assets: Path) -> None:
        self.source = source
        self.target = assets / "fonts" / source.name
        self._ready = False
        self._warned = False

    @property
    def url(self) -> str:
        """Where the page loads the font from, relative to the assets."""
        return f"fonts/{self.target.name}"

    def check(self) -> bool:
        """Whether the assets hold the font, copying it there when it has appeared on the
        system; two file lookups while it is missing, none once it is there. Logs one warning
        while it is missing, and one line when it is found after that."""
        if self._ready:
            return True
        if not self.target.exists():
            if not self.source.exists():
                if not self._warned:
                    self._warned = True
                    log.warning(
                        "no CJK font at %s: Chinese shows as boxes until %s is installed",
                        self.source,
                        PACKAGE,
                    )
                return False
            self.target.parent.mkdir(parents=True, exist_ok=True)
            partial = self.target.with_name(self.target.name + ".part")
            shutil.copyfile(self.source, partial)
            partial.replace(self.target)  # a page never loads a half-copied font
        self._ready = True
        if self._warned:
            log.info("CJK font found at %s: Chinese shows again", self.source)
        return True
