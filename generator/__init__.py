"""stdportal: a static portal for China's basic public service standards, generated from a YAML database."""

from .errors import BuildError, ConfigError, DataError, StdportalError
from .pipeline import check, load_catalog, resolve_as_of, run
from .problems import Problem, Severity, format_problem

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
