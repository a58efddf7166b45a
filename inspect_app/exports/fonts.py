"""The fonts exports draw text with, where they come from, and which characters they can show.

Droid Sans Fallback (Debian ``fonts-droid-fallback``) has the CJK characters but no Latin letters
or digits at all, so PDFs write with DejaVu Sans (Debian ``fonts-dejavu-core``) and fall back to
Droid for everything DejaVu lacks. Text is checked against both before drawing: a PDF library would
otherwise draw an empty box for a character no font has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CJK_FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

#: Characters PDF text layout handles itself rather than drawing a glyph.
_LAYOUT_CHARACTERS = frozenset("\n")


class FontNotFoundError(FileNotFoundError):
    """A font file the exports need is not installed."""


class MissingGlyphsError(ValueError):
    """Text holds characters none of the fonts can show."""

    def __init__(self, characters: Iterable[str]) -> None:
        self.characters = list(dict.fromkeys(characters))
        listed = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in self.characters)
        super().__init__(
            f"the fonts cannot show {len(self.characters)} character(s): {listed}; "
            "change the text or install a font that has them"
        )


def _installed(path: Path, package: str) -> Path:
    if not path.is_file():
        raise FontNotFoundError(
            f"font {path} is missing; install it with: apt-get install {package}"
        )
    return path


def cjk_font_path() -> Path:
    """The CJK font file (Droid Sans Fallback)."""
    return _installed(CJK_FONT, "fonts-droid-fallback")


def latin_font_path() -> Path:
    """The Latin font file (DejaVu Sans)."""
    return _installed(LATIN_FONT, "fonts-dejavu-core")


@cache
def _codepoints(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # imported on first use: it is slow to import

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


@dataclass(frozen=True)
class TextFonts:
    """A Latin font with the CJK font behind it for the characters it lacks."""

    latin: Path
    cjk: Path

    @classmethod
    def installed(cls) -> TextFonts:
        return cls(latin_font_path(), cjk_font_path())

    def missing(self, texts: Iterable[str]) -> list[str]:
        """Characters of ``texts`` that would come out as boxes, in order of first appearance."""
        drawable = _codepoints(self.latin) | _codepoints(self.cjk)
        missing: dict[str, None] = {}
        for text in texts:
            for char in text:
                if ord(char) not in drawable and char not in _LAYOUT_CHARACTERS:
                    missing[char] = None
        return list(missing)

    def require(self, texts: Iterable[str]) -> None:
        """Raise MissingGlyphsError naming every character of ``texts`` no font can show."""
        missing = self.missing(texts)
        if missing:
            raise MissingGlyphsError(missing)
