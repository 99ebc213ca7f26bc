"""Loaders of public taxonomies: ESCO, O*NET, GB/T 4754-2017, CSCO 2022, CIP 2020–SOC 2018, ISIC Rev.4,
NAICS 2022 and Lightcast Open Skills.

Each reads the files as published (no conversion step) and yields records keyed so that sources meet:
``GB4754:{code}`` industries, ``CSCO2022:{code}``, ``ISCO08:{code}``, ``ONETSOC:{code}`` and
``SOC2018:{code}`` occupations, ``CIP2020:{code}`` programs, ``ISIC4:{code}`` and ``NAICS2022:{code}``
industries, ``LIGHTCAST:{id}`` skills, ESCO URIs kept as IRIs. Each module's
docstring says what it reads, what it makes, its keys and the source's licence. The factories below
are what ``ieic_kg.loaders.LOADERS`` registers, by kind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ieic_kg.errors import SourceError

from .cipsoc import CipSocLoader
from .csco import CscoLoader
from .esco import EscoLoader
from .gbt4754 import Gbt4754Loader
from .isic import IsicLoader
from .lightcast import LightcastLoader
from .naics import NaicsLoader
from .onet import OnetLoader

if TYPE_CHECKING:
    from ieic_kg.loaders import Loader

__all__ = [
    "FACTORIES",
    "CipSocLoader",
    "CscoLoader",
    "EscoLoader",
    "Gbt4754Loader",
    "IsicLoader",
    "LightcastLoader",
    "NaicsLoader",
    "OnetLoader",
]


def _no_options(kind: str, mapping: Path | None, table: str | None) -> None:
    if mapping is not None:
        raise SourceError(f"the {kind} loader reads the published files as they are: it takes no --mapping")
    if table is not None:
        raise SourceError(f"the {kind} loader loads the whole taxonomy: it takes no --table")


def esco(source: Path, mapping: Path | None = None, table: str | None = None) -> EscoLoader:
    _no_options("esco", mapping, table)
    return EscoLoader(source)


def onet(source: Path, mapping: Path | None = None, table: str | None = None) -> OnetLoader:
    _no_options("onet", mapping, table)
    return OnetLoader(source)


def gbt4754(source: Path, mapping: Path | None = None, table: str | None = None) -> Gbt4754Loader:
    _no_options("gbt4754", mapping, table)
    return Gbt4754Loader(source)


def csco(source: Path | None = None, mapping: Path | None = None, table: str | None = None) -> CscoLoader:
    _no_options("csco", mapping, table)
    return CscoLoader(source)


def isic(source: Path | None = None, mapping: Path | None = None, table: str | None = None) -> IsicLoader:
    _no_options("isic", mapping, table)
    return IsicLoader(source)


def naics(source: Path | None = None, mapping: Path | None = None, table: str | None = None) -> NaicsLoader:
    _no_options("naics", mapping, table)
    return NaicsLoader(source)


def lightcast(source: Path | None = None, mapping: Path | None = None, table: str | None = None) -> LightcastLoader:
    _no_options("lightcast", mapping, table)
    return LightcastLoader(source)


def cip_soc(source: Path, mapping: Path | None = None, table: str | None = None) -> CipSocLoader:
    _no_options("cip-soc", mapping, table)
    return CipSocLoader(source)


#: kind → factory(source, mapping, table), merged into ``ieic_kg.loaders.LOADERS``.
FACTORIES: dict[str, Callable[[Path, Path | None, str | None], Loader]] = {
    "esco": esco,
    "onet": onet,
    "gbt4754": gbt4754,
    "csco": csco,
    "cip-soc": cip_soc,
    "isic": isic,
    "naics": naics,
    "lightcast": lightcast,
}
