"""Convert the curated standards CSV into one YAML record per standard.

Usage:
    python scripts/convert_curated.py ../shared/data/standards/bps_standards_curated.csv standards/

Each row becomes `standards/<level>/<slug>.yaml`. Nothing is added that the row does not say: empty cells
give absent keys, and whatever cannot go into a typed field (remarks after a code, codes printed wrongly,
the source's raw status word) is kept verbatim in 维护备注 so that no source text is lost. The curation notes
are for maintainers, so they go to 维护备注 (kept in the file, not shown on the site), never to 备注. Each
source is cited by its address with a one-line Chinese description naming the site; the curated list itself
is working material and is not cited. Every string is
written double-quoted (a JSON string is a valid YAML string), so a title with ': ' or '#' in it cannot
change the meaning of the file. The output is deterministic: two runs give identical bytes.

Only the standard library and PyYAML are used; the script does not import the generator.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

HEADER = "# 由 scripts/convert_curated.py 从整理的标准清单转换生成；之后可直接手工编辑。"

DOMAINS = {
    "幼有所育", "学有所教", "劳有所得", "病有所医", "老有所养",
    "住有所居", "弱有所扶", "优军服务保障", "文体服务保障", "基础通用",
}
STATUS = {"现行": "现行", "active": "现行", "valid": "现行", "有效": "现行", "abolished": "废止"}

CCS_CODE = re.compile(r"^[A-Z]\d{2}$")
ICS_CODE = re.compile(r"^\d{2}(\.\d{3}(\.\d{2})?)?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A standard number as printed, edition remark attached without a space: `JGJ 125-99(2004年版)`.
STD_NO = re.compile(r"^[A-Z][A-Z0-9]*(?:/[A-Z])? ?\d+(?:\.\d+)*-\d{2,4}(?:\(\d{4}年版\))?$")
# A remark after a value, separated by a space: `C56 (qilaijian)`, `GB 7793-2010 (per cross-check)`.
REMARK = re.compile(r"^(?P<value>\S.*?)\s+\((?P<remark>.*)\)$")
NAME_ONLY = "(name only)"


def slug(number: str) -> str:
    """The file name of a standard: `GB/T 35796-2017` → `GB-T-35796-2017`."""
    return re.sub(r"[^0-9A-Za-z.\u4e00-\u9fff]+", "-", number).strip("-")


def level_folder(number: str) -> str:
    if number.startswith("GB"):
        return "national"
    if re.match(r"DB\d", number):
        return "local"
    return "industry"


# --- fields -------------------------------------------------------------------------------------------


def nature(raw: str, notes: list[str]) -> str | None:
    match = re.match(r"^(推荐性|强制性)\s*(.*)$", raw)
    if not match:
        if raw:
            notes.append(f"标准性质来源说明：{raw}")
        return None
    if match.group(2):
        notes.append(f"标准性质来源说明：{match.group(2)}")
    return match.group(1)


def status(raw: str, notes: list[str]) -> str | None:
    if not raw:
        return None
    head = re.split(r"[\s(（;]", raw, maxsplit=1)[0]
    word = STATUS.get(head.lower())
    if word is None or word != raw:
        notes.append(f"来源所示状态：{raw}（采集时，未经官方核实）")
    return word


def replaces(raw: str, notes: list[str]) -> list[str]:
    if raw in ("", "/"):
        return []
    numbers: list[str] = []
    changed = False
    for part in (p.strip() for p in raw.split(";")):
        match = REMARK.match(part)
        if match:
            part, changed = match.group("value"), True
        if STD_NO.match(part):
            numbers.append(part)
        elif part:
            changed = True
    if changed:
        notes.append(f"代替标准来源原文：{raw}")
    return numbers


def codes(raw: str, valid: re.Pattern[str], label: str, notes: list[str]) -> list[str]:
    """CCS or ICS codes; anything that is not a clean code goes to 备注 verbatim."""
    found: list[str] = []
    for part in (p.strip() for p in raw.split(";") if p.strip()):
        if part.startswith(NAME_ONLY):
            notes.append(f"{label}（来源仅给出名称）：{part[len(NAME_ONLY):].strip()}")
            continue
        match = REMARK.match(part)
        code = match.group("value") if match else part
        if not valid.match(code):
            notes.append(f"{label}（来源印作）：{part}")
            continue
        found.append(code)
        if match:
            notes.append(f"{label}来源：{part}")
    return found


# The dataset describes each source in English; the site is Chinese. Prefixes translated, the rest kept.
KIND_WORDS = [
    ("third-party standards catalogue page", "第三方标准目录网页"),
    ("third-party document-preview page", "第三方文档预览网页"),
    ("similar-standards list on a catalogue page", "标准目录网页的“相近标准”列表"),
    ("related-standards list on a catalogue page", "标准目录网页的“相关标准”列表"),
    ("related link on a catalogue page", "标准目录网页的相关链接"),
    ("normative-reference list on a catalogue page", "标准目录网页的规范性引用文件列表"),
    ("third-party page reprinting the MOHURD announcement", "转载住房城乡建设部公告的第三方网页"),
    ("official (std.samr.gov.cn / gov site)", "官方网站（std.samr.gov.cn 或政府网站）"),
    ("national standards library catalogue (ndls.org.cn)", "国家标准馆目录（ndls.org.cn）"),
    ("GitHub file", "GitHub 上的文件"),
    ("news/other web page", "新闻或其他网页"),
    ("curated dataset file in shared/data", "项目整理数据文件 shared/data"),
    ("encyclopedia-style web page", "百科类网页"),
    ("encyclopedia page quoting the MOHURD announcement", "引述住房城乡建设部公告的百科网页"),
    ("third-party guideline repository page", "第三方指南汇编网页"),
    ("(cover/front matter)", "（封面/前言）"),
    ("(secondary mention)", "（间接提及）"),
    ("(translation vendor)", "（翻译服务商）"),
]


# English remarks after a kind, as the dataset writes them, in Chinese.
KIND_REMARKS = [
    (" (reworded text)", "，文字经过改写"),
    (" (garbled OCR)", "，文字识别有误"),
    (" (book118 mirror)", "（book118 镜像）"),
    (" (reprint of NHC notice)", "（转载国家卫生健康委通知）"),
    (" (repost from NHC site)", "（转载自国家卫生健康委网站）"),
    (" (reprint of 人民日报 on a spam-laden site)", "（转载人民日报报道）"),
    (" + catalogue fields", "及标准目录信息"),
    (" (Q&A page quoting the announcement)", "（引述公告的问答网页）"),
    (" (人民日报 reprint, 2025-10-14)", "（转载人民日报报道，2025-10-14）"),
    (" (人民网 reprint)", "（转载人民网报道）"),
    (" (中国服装网 reprint, 2015-07-01)", "（转载中国服装网报道，2015-07-01）"),
    (" (csres notice; origin ccsn.gov.cn)", "（工标网转载，原载 ccsn.gov.cn）"),
]


def kind_text(kind: str) -> str:
    for english, chinese in KIND_WORDS + KIND_REMARKS:
        kind = kind.replace(english, chinese)
    return kind.replace(" （", "（")


def host(url: str) -> str:
    return re.sub(r"^https?://([^/?#]+).*$", r"\1", url)


def described(url: str, what: str) -> dict[str, str]:
    """A source: its address, and one Chinese line saying what it is and on which site."""
    return {"链接": url, "说明": f"{what}（{host(url)}）"}


def sources(row: dict[str, str]) -> list[dict[str, str]]:
    """Sources with an address; a source without one (a file whose repository was not recorded) is left to
    the maintainer to find, and said so in 维护备注 by `record`."""
    url, kind = row["source_url"], kind_text(row["source_kind"])
    out = [described(url, kind)] if url.startswith("http") else []
    for part in (p.strip() for p in row["cross_check_url"].split(" | ") if p.strip()):
        if part.startswith("http"):
            out.append(described(part, "用于交叉核对的网页"))
    return out


def unaddressed(row: dict[str, str]) -> list[str]:
    """Sources the dataset names without an address, kept verbatim for maintainers."""
    parts = [row["source_url"]] if not row["source_url"].startswith("http") else []
    parts += [p.strip() for p in row["cross_check_url"].split(" | ") if p.strip() and not p.strip().startswith("http")]
    return [f"未写入来源（无网址）：{part}" for part in parts]


def record(row: dict[str, str]) -> dict[str, Any]:
    """One CSV row as an ordered mapping of the portal's field names; empty fields are left out."""
    notes: list[str] = []
    rec: dict[str, Any] = {
        "标准号": row["std_no"],
        "中文标准名称": row["title_cn"],
        "英文标准名称": row["title_en"],
        "标准性质": nature(row["nature_stated"], notes),
        "标准状态": status(row["status_stated"], notes),
        "发布日期": row["issue_date"],
        "实施日期": row["impl_date"],
        "代替标准": replaces(row["replaces"], notes),
        "中国标准分类号": codes(row["ccs"], CCS_CODE, "中国标准分类号", notes),
        "国际标准分类号": codes(row["ics"], ICS_CODE, "国际标准分类号", notes),
        "提出单位": row["proposer"],
        "归口单位": row["gui_kou_tc"],
        "发布单位": row["approver_issuer"],
        "主管部门": row["supervisor"],
        "备案号": row["filing_no"],
        "领域": [row["portal_domain_editorial"]] if row["portal_domain_editorial"] else [],
        "来源": sources(row),
    }
    notes += unaddressed(row)
    rec["维护备注"] = "\n".join([row["notes"], *notes] if row["notes"] else notes)
    return {key: value for key, value in rec.items() if value}


# --- YAML ---------------------------------------------------------------------------------------------


def scalar(key: str, value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    if key.endswith("日期") and DATE.match(value):
        return value
    # json.dumps escapes control characters; YAML also breaks lines at NEL, LS and PS, so escape them too.
    text = json.dumps(value, ensure_ascii=False)
    return re.sub("[\x85\u2028\u2029\ufeff]", lambda m: f"\\u{ord(m.group(0)):04x}", text)


def block_ok(value: str) -> bool:
    """Whether a multi-line note can be written as a literal block and read back unchanged."""
    lines = value.split("\n")
    return len(lines) > 1 and all(
        line and line == line.strip() and line.isprintable() and "\t" not in line for line in lines
    )


def emit(data: dict[str, Any], indent: str = "") -> list[str]:
    out: list[str] = []
    for key, value in data.items():
        if isinstance(value, list):
            out.append(f"{indent}{key}:" + (" []" if not value else ""))
            for item in value:
                if isinstance(item, dict):
                    inner = emit(item, indent + "    ")
                    out.append(f"{indent}  - {inner[0].lstrip()}")
                    out.extend(inner[1:])
                else:
                    out.append(f"{indent}  - {scalar(key, item)}")
        elif isinstance(value, dict):
            out.append(f"{indent}{key}:")
            out.extend(emit(value, indent + "  "))
        elif isinstance(value, str) and block_ok(value):
            out.append(f"{indent}{key}: |-")
            out.extend(f"{indent}  {line}" for line in value.split("\n"))
        else:
            out.append(f"{indent}{key}: {scalar(key, value)}")
    return out


def document(rec: dict[str, Any], header: list[str]) -> str:
    text = "\n".join([*header, *emit(rec)]) + "\n"
    # Read back with every scalar as a string: what was meant must be exactly what a loader sees.
    back = yaml.load(text, Loader=yaml.BaseLoader)
    if back != json.loads(json.dumps(rec), parse_int=str):
        raise ValueError(f"YAML round trip changed {rec['标准号']}")
    return text


def convert(csv_path: Path, out_dir: Path) -> list[Path]:
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    written: list[Path] = []
    seen: set[Path] = set()
    for row in rows:
        row = {key: (value or "").strip() for key, value in row.items()}
        domain = row["portal_domain_editorial"]
        if domain and domain not in DOMAINS:
            print(f"警告：{row['std_no']} 的领域“{domain}”不在词表中", file=sys.stderr)
        rec = record(row)
        path = out_dir / level_folder(rec["标准号"]) / f"{slug(rec['标准号'])}.yaml"
        if path in seen:
            raise ValueError(f"两行标准号对应同一文件：{path}")
        seen.add(path)
        title = rec.get("中文标准名称") or rec.get("英文标准名称") or rec["标准号"]
        text = document(rec, [f"# {title}", HEADER])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把整理好的标准 CSV 转成每个标准一个 YAML 文件。")
    parser.add_argument("csv", type=Path, help="bps_standards_curated.csv")
    parser.add_argument("out", type=Path, help="输出目录，例如 standards/")
    args = parser.parse_args(argv)
    written = convert(args.csv, args.out)
    print(f"已写入 {len(written)} 个文件到 {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
