"""stdportal: a static portal for China's basic public service standards, generated from a YAML database."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .errors import BuildError, ConfigError, DataError, StdportalError
from .problems import Problem, Severity, format_problem

_PIPELINE = {"check", "load_catalog", "resolve_as_of", "run"}

__all__ = [
    "BuildError",
    "ConfigError",
    "DataError",
    "Problem",
    "Severity",
    "StdportalError",
    "check",
    "format_problem",
    "load_catalog",
    "resolve_as_of",
    "run",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """The pipeline (and the engines it imports) loads on first use, so `stdportal --help` starts at once."""
    if name in _PIPELINE:
        return getattr(import_module(".pipeline", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
