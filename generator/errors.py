"""The exceptions of stdportal.

    StdportalError          anything the edges turn into a clean message and an exit code
    ├── DataError           the database has errors; carries every Problem found
    ├── ConfigError         mkdocs.yml / plugin options are wrong
    └── BuildError          the site could not be built or put in place

Core code raises these; the CLI prints them, the MkDocs adapter turns them into PluginError.
"""

from __future__ import annotations

from .problems import Problem

__all__ = ["BuildError", "ConfigError", "DataError", "StdportalError"]


class StdportalError(Exception):
    """Base class: the message is Simplified Chinese and meant for a person."""


class DataError(StdportalError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"数据库中有 {len(problems)} 个问题")


class ConfigError(StdportalError):
    pass


class BuildError(StdportalError):
    pass
