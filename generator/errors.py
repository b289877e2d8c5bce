"""The exceptions of stdportal.

    StdportalError          anything the edges turn into a clean message and an exit code
    ├── DataError           the database has errors; carries every Problem found
    ├── ConfigError         mkdocs.yml / plugin options are wrong
    └── BuildError          the site could not be built or put in place

Core code raises these; the CLI prints them, the MkDocs adapter turns them into PluginError.
"""

from __future__ import annotations

import errno

from .problems import Problem

__all__ = ["BuildError", "ConfigError", "DataError", "StdportalError", "os_reason"]


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


_REASONS = {
    getattr(errno, name): why
    for name, why in (("ENOSPC", "磁盘空间不足，请清理磁盘后再试"), ("EDQUOT", "超出磁盘配额"),
                      ("EACCES", "没有读写权限"), ("EPERM", "没有读写权限"), ("EROFS", "文件系统是只读的"),
                      ("EIO", "磁盘读写出错"), ("ENOENT", "找不到该文件或文件夹"), ("EISDIR", "这是文件夹，不是文件"),
                      ("ENOTDIR", "路径中有一段不是文件夹"), ("EMFILE", "同时打开的文件过多"),
                      ("ENAMETOOLONG", "文件名过长"))
    if hasattr(errno, name)
}


def os_reason(exc: OSError) -> str:
    """Why the system refused a file operation, in Chinese for the common causes (a full disk, no permission, a
    missing file); else the system's own words."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
