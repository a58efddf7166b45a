"""Bilingual text: a plain string or a ``{lang: string}`` map, resolved for the reader."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Languages the app can show, in fallback order.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "zh")


@dataclass(frozen=True)
class LocalText:
    """Text in one or more languages; ``plain`` is used when the author gave a single string."""

    translations: dict[str, str] = field(default_factory=dict)
    plain: str | None = None

    @classmethod
    def of(cls, value: str | dict[str, str]) -> LocalText:
        if isinstance(value, str):
            return cls(plain=value)
        return cls(translations=dict(value))

    def get(self, lang: str) -> str:
        """The text in ``lang``, else in the first supported language present, else any."""
        if self.plain is not None:
            return self.plain
        if lang in self.translations:
            return self.translations[lang]
        for fallback in SUPPORTED_LANGUAGES:
            if fallback in self.translations:
                return self.translations[fallback]
        return next(iter(self.translations.values()), "")

    def to_data(self) -> str | dict[str, str]:
        return self.plain if self.plain is not None else dict(self.translations)

    def __str__(self) -> str:
        return self.get("en")
