"""Dirt specifications: which kinds of dirt a simulator injects, and how much.

A specification is text, as typed on the command line:

- `none`: clean output;
- `all`: every kind the simulator knows, at its default rate;
- `kind=rate,kind,...`: the kinds listed (a kind without `=rate` takes its default);
- `all,kind=0`: everything but one kind; later entries win.

For record-level kinds the rate is a probability per record (0..1). For
file-level kinds (an empty file, a truncated file, an XML bomb, ...) the value is
the number of such files; for server behaviours see each simulator's config.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Dirt:
    """An immutable mapping kind -> rate; kinds absent or at 0 are switched off."""

    rates: tuple[tuple[str, float], ...] = ()

    @classmethod
    def none(cls) -> Dirt:
        return cls(())

    @classmethod
    def of(cls, rates: Mapping[str, float]) -> Dirt:
        return cls(tuple(sorted((k, float(v)) for k, v in rates.items() if v)))

    @classmethod
    def parse(cls, spec: str | Dirt | Mapping[str, float] | None, defaults: Mapping[str, float]) -> Dirt:
        """Read a specification against the simulator's kinds and default rates."""
        if spec is None:
            return cls.none()
        if isinstance(spec, Dirt):
            unknown = set(spec.as_dict()) - set(defaults)
            if unknown:
                raise ValueError(f"unknown dirt kind(s) {sorted(unknown)}; known: {sorted(defaults)}")
            return spec
        if isinstance(spec, Mapping):
            return cls.parse(cls.of(spec), defaults)
        rates: dict[str, float] = {}
        for raw in (part.strip() for part in spec.split(",")):
            if not raw or raw == "none":
                continue
            if raw == "all":
                rates.update(defaults)
                continue
            kind, _, value = raw.partition("=")
            kind = kind.strip()
            if kind not in defaults:
                raise ValueError(f"unknown dirt kind {kind!r}; known: {', '.join(sorted(defaults))}")
            rates[kind] = float(value) if value else defaults[kind]
        return cls.of(rates)

    def as_dict(self) -> dict[str, float]:
        return dict(self.rates)

    def rate(self, kind: str) -> float:
        return self.as_dict().get(kind, 0.0)

    def count(self, kind: str) -> int:
        """For file-level kinds: how many such files to write."""
        return round(self.rate(kind))

    def __contains__(self, kind: object) -> bool:
        return self.rate(str(kind)) > 0

    def only(self, kinds: Iterable[str]) -> Dirt:
        wanted = set(kinds)
        return Dirt(tuple((k, v) for k, v in self.rates if k in wanted))

    def __str__(self) -> str:
        return ",".join(f"{k}={v:g}" for k, v in self.rates) or "none"


class Picker:
    """Choose at most one record-level kind per record, with one uniform draw.

    The rates of the kinds are laid end to end on [0, 1): a draw below the first
    rate picks the first kind, and so on; the sum of rates must not exceed 1.
    """

    def __init__(self, dirt: Dirt, kinds: Iterable[str]) -> None:
        self.bounds: list[tuple[float, str]] = []
        total = 0.0
        for kind in kinds:
            if kind in dirt:
                total += dirt.rate(kind)
                self.bounds.append((total, kind))
        if total > 1.0 + 1e-9:
            raise ValueError(f"record-level dirt rates add up to {total:.3f} > 1")
        self.total = total

    def pick(self, draw: float) -> str | None:
        if draw >= self.total:
            return None
        for bound, kind in self.bounds:
            if draw < bound:
                return kind
        return None
