"""Synthetic standards database and MkDocs project for the search benchmark.

    python bench/synth.py 10000 /tmp/sp-bench-10000      # writes /tmp/sp-bench-10000/{mkdocs.yml,docs,overrides,db}

Records are composed from word lists (service objects, institutions, services, aspects) into realistic Chinese
titles with English titles, valid and unique numbers (GB/T, MZ/T, WS/T …, DB<province or city code>/T), dates,
a 领域 from the 10 domain names, and 来源 [{说明: 合成测试数据}]. About 8 % are older editions replaced by a newer
one, a few are withdrawn or not yet in force. A fixed seed makes the same N give the same database.

Nothing is written under the repository: the database goes to <out>/db/ with a copy of
standards/vocabularies/, and <out>/ also gets docs/ and overrides/ copies and a mkdocs.yml copy whose
stdportal `database:` points at db/. The project is a git repository with everything in one commit (as a
county that imported its list has), so builds read and show the history as they do for real; `--no-git`
leaves it out.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.numbers import parse_number, slug  # noqa: E402  (read-only use of the project's own rules)

# --- word lists: (Chinese, English, domain) ------------------------------------------------------------

OBJECTS = [
    ("老年人", "older people", "老有所养"), ("失能老年人", "disabled older people", "老有所养"),
    ("高龄老人", "the oldest old", "老有所养"), ("儿童", "children", "幼有所育"),
    ("婴幼儿", "infants and young children", "幼有所育"), ("困境儿童", "children in difficulty", "幼有所育"),
    ("留守儿童", "left-behind children", "幼有所育"), ("孤儿", "orphans", "弱有所扶"),
    ("残疾人", "persons with disabilities", "弱有所扶"), ("特困人员", "persons in extreme poverty", "弱有所扶"),
    ("低保对象", "minimum living allowance recipients", "弱有所扶"), ("流浪乞讨人员", "homeless people", "弱有所扶"),
    ("退役军人", "veterans", "优军服务保障"), ("优抚对象", "entitled groups", "优军服务保障"),
    ("孕产妇", "pregnant and lying-in women", "病有所医"), ("精神障碍患者", "people with mental disorders", "病有所医"),
    ("慢性病患者", "chronic disease patients", "病有所医"), ("学生", "students", "学有所教"),
    ("青少年", "adolescents", "文体服务保障"), ("农民工", "migrant workers", "劳有所得"),
    ("高校毕业生", "college graduates", "劳有所得"), ("失业人员", "unemployed persons", "劳有所得"),
    ("住房困难家庭", "families with housing difficulties", "住有所居"),
    ("城乡居民", "urban and rural residents", "基础通用"),
]
INSTITUTIONS = [
    ("养老机构", "elderly care institutions", "老有所养"), ("养老院", "nursing homes", "老有所养"),
    ("社区养老服务中心", "community elderly care centers", "老有所养"),
    ("农村幸福院", "rural happiness homes", "老有所养"),
    ("托育机构", "childcare institutions", "幼有所育"), ("幼儿园", "kindergartens", "学有所教"),
    ("儿童福利机构", "child welfare institutions", "幼有所育"),
    ("妇幼保健院", "maternal and child health hospitals", "病有所医"),
    ("公共图书馆", "public libraries", "文体服务保障"), ("文化馆", "cultural centers", "文体服务保障"),
    ("博物馆", "museums", "文体服务保障"), ("公共体育场馆", "public sports venues", "文体服务保障"),
    ("综合文化站", "comprehensive cultural stations", "文体服务保障"),
    ("社区卫生服务中心", "community health service centers", "病有所医"),
    ("乡镇卫生院", "township hospitals", "病有所医"),
    ("村卫生室", "village clinics", "病有所医"),
    ("残疾人康复机构", "rehabilitation institutions for the disabled", "弱有所扶"),
    ("救助管理站", "relief management stations", "弱有所扶"),
    ("公共法律服务中心", "public legal service centers", "弱有所扶"),
    ("公共就业服务机构", "public employment service agencies", "劳有所得"),
    ("职业技能培训机构", "vocational training institutions", "劳有所得"),
    ("退役军人服务站", "veterans service stations", "优军服务保障"), ("光荣院", "honor homes", "优军服务保障"),
    ("公租房小区", "public rental housing estates", "住有所居"),
    ("政务服务中心", "government service centers", "基础通用"),
]
SERVICES = [
    ("居家养老服务", "home-based elderly care service", "老有所养"),
    ("助餐服务", "meal assistance service", "老有所养"),
    ("助浴服务", "bathing assistance service", "老有所养"), ("长期照护服务", "long-term care service", "老有所养"),
    ("托育服务", "childcare service", "幼有所育"), ("儿童关爱服务", "child care and protection service", "幼有所育"),
    ("送教上门服务", "home-delivered education service", "学有所教"),
    ("学生资助服务", "student financial aid service", "学有所教"),
    ("康复服务", "rehabilitation service", "弱有所扶"),
    ("辅助器具适配服务", "assistive device fitting service", "弱有所扶"),
    ("临时救助服务", "temporary assistance service", "弱有所扶"), ("法律援助服务", "legal aid service", "弱有所扶"),
    ("无障碍服务", "accessibility service", "弱有所扶"), ("健康管理服务", "health management service", "病有所医"),
    ("家庭医生签约服务", "family doctor contract service", "病有所医"),
    ("预防接种服务", "vaccination service", "病有所医"),
    ("心理健康服务", "mental health service", "病有所医"),
    ("就业援助服务", "employment assistance service", "劳有所得"),
    ("职业培训服务", "vocational training service", "劳有所得"),
    ("公租房保障服务", "public rental housing service", "住有所居"),
    ("优抚服务", "preferential care service", "优军服务保障"),
    ("阅读推广服务", "reading promotion service", "文体服务保障"),
    ("全民健身服务", "national fitness service", "文体服务保障"),
    ("数字文化服务", "digital cultural service", "文体服务保障"),
    ("政务咨询服务", "government consultation service", "基础通用"),
]
ASPECTS = [
    ("服务规范", "Service specification"), ("服务质量评价", "Service quality evaluation"),
    ("设施配置要求", "Requirements for facility configuration"), ("建设规范", "Code for construction"),
    ("管理规范", "Management specification"), ("服务指南", "Service guide"), ("基本要求", "Basic requirements"),
    ("等级划分与评定", "Classification and assessment of grades"), ("安全管理规范", "Safety management specification"),
    ("人员配备要求", "Staffing requirements"), ("信息化建设指南", "Guide for informatization"),
    ("服务流程", "Service process"), ("数据元", "Data elements"),
    ("应急管理规范", "Emergency management specification"),
    ("运营管理规范", "Operation management specification"),
    ("服务质量基本规范", "Basic specification for service quality"),
    ("绩效评价指南", "Guidelines for performance evaluation"),
    ("监督检查规范", "Specification for supervision and inspection"),
    ("服务满意度测评方法", "Method for service satisfaction measurement"),
    ("服务设施设备配置", "Configuration of facilities"),
    ("服务人员职业技能要求", "Vocational skill requirements for staff"), ("服务合同示范文本", "Model service contract"),
]
PARTS = [("总则", "General"), ("服务提供", "Service provision"), ("服务保障", "Service support"),
         ("评价与改进", "Evaluation and improvement"), ("术语", "Terminology")]

INDUSTRY = [  # code, issuer, weight
    ("MZ/T", "中华人民共和国民政部", 5), ("WS/T", "中华人民共和国国家卫生健康委员会", 5),
    ("WS", "中华人民共和国国家卫生健康委员会", 1),
    ("JY/T", "中华人民共和国教育部", 2), ("WH/T", "中华人民共和国文化和旅游部", 2), ("TY/T", "国家体育总局", 1),
    ("LD/T", "中华人民共和国人力资源和社会保障部", 2), ("SF/T", "中华人民共和国司法部", 1),
    ("GA/T", "中华人民共和国公安部", 1),
    ("JGJ/T", "中华人民共和国住房和城乡建设部", 1), ("CJ/T", "中华人民共和国住房和城乡建设部", 1),
    ("GY/T", "国家广播电视总局", 1), ("RB/T", "国家认证认可监督管理委员会", 1),
]
CCS = ["A12", "A16", "A20", "C05", "C07", "C50", "A00", "A01", "Y55", "P31", "A10", "C59", "D01"]
ICS = ["03.080.30", "03.080.99", "11.020", "01.040.03", "03.080.01", "03.120.10", "91.040.01", "97.220.40", "01.120"]
NATIONAL_ISSUER = "国家市场监督管理总局、国家标准化管理委员会"
KEEP = [  # records every size has, so the benchmark's queries have known answers
    ("GB/T 35796-2017", "养老机构服务质量基本规范",
     "Basic specification for service quality of elderly care institutions", "老有所养", None),
    ("GB/T 35796-2024", "养老机构服务质量基本规范",
     "Basic specification for service quality of elderly care institutions", "老有所养", "GB/T 35796-2017"),
]
COUNTY_QUERY = "婺源县"  # search_bench.py queries this county; synth always writes a few records naming it
COUNTY_CITY = ("DB3611", "上饶市")  # the city 婺源县 belongs to


def load_regions(vocab_dir: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    provinces, cities, counties = [], [], []
    for line in (vocab_dir / "regions-mca2024.txt").read_text(encoding="utf-8").splitlines():
        code, _, name = line.partition(" ")
        if not re.fullmatch(r"\d{6}", code):
            continue
        if code.endswith("0000"):
            provinces.append((code, name))
        elif code.endswith("00"):
            cities.append((code, name))
        else:
            counties.append((code, name))
    return provinces, cities, counties


class Synth:
    def __init__(self, n: int, seed: int, vocab_dir: Path) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.provinces, self.cities, self.counties = load_regions(vocab_dir)
        self.city_name = dict(self.cities)
        self.province_name = dict(self.provinces)
        self.used: set[str] = set()

    # numbers ---------------------------------------------------------------------------------------
    def _unique(self, make) -> str:
        for _ in range(1000):
            number = make()
            if number not in self.used:
                parsed, _ = parse_number(number)
                assert parsed is not None and parsed.text == number, number
                self.used.add(number)
                return number
        raise RuntimeError("number space exhausted")

    def _serial(self, low: int, high: int, width: int = 0) -> str:
        serial = str(self.rng.randint(low, high)).zfill(width)
        if self.rng.random() < 0.12:
            serial += f".{self.rng.randint(1, 6)}"
        return serial

    def national_number(self, year: int) -> str:
        def make() -> str:
            kind = self.rng.choices(["GB/T", "GB", "GB/Z"], [85, 12, 3])[0]
            serial = self._serial(20000, 46999)
            return f"{kind} {serial}-{year}"
        return self._unique(make)

    def industry_number(self, year: int) -> tuple[str, str]:
        code, issuer, _ = self.rng.choices(INDUSTRY, [w for *_, w in INDUSTRY])[0]
        high = 2999 if self.n > 20000 else 999
        return self._unique(lambda: f"{code} {self._serial(1, high, 3)}-{year}"), issuer

    def local_number(self, year: int) -> tuple[str, str, str]:
        """number, issuer, the region's name."""
        if self.rng.random() < 0.75:
            code, name = self.rng.choice(self.provinces)
            prefix, issuer_place = code[:2], name
        else:
            code, name = self.rng.choice(self.cities)
            prefix, issuer_place = code[:4], name
        high = 9999 if self.n > 20000 else 4999
        number = self._unique(lambda: f"DB{prefix}/T {self._serial(1, high)}-{year}")
        return number, f"{issuer_place}市场监督管理局", name

    # text ------------------------------------------------------------------------------------------
    def title(self, place: str | None) -> tuple[str, str, str]:
        """Chinese title, English title, domain."""
        r = self.rng
        pattern = r.random()
        aspect, aspect_en = r.choice(ASPECTS)
        if pattern < 0.3:
            inst, inst_en, domain = r.choice(INSTITUTIONS)
            zh, en = f"{inst}{aspect}", f"{aspect_en} for {inst_en}"
        elif pattern < 0.55:
            obj, obj_en, domain = r.choice(OBJECTS)
            svc, svc_en, _ = r.choice([s for s in SERVICES if s[2] == domain] or SERVICES)
            zh, en = f"{obj}{svc}{aspect}", f"{aspect_en} of {svc_en} for {obj_en}"
        elif pattern < 0.75:
            inst, inst_en, domain = r.choice(INSTITUTIONS)
            svc, svc_en, _ = r.choice([s for s in SERVICES if s[2] == domain] or SERVICES)
            zh, en = f"{inst}{svc}{aspect}", f"{aspect_en} of {svc_en} in {inst_en}"
        elif pattern < 0.9:
            svc, svc_en, domain = r.choice(SERVICES)
            part = r.randint(1, len(PARTS))
            part_zh, part_en = PARTS[part - 1]
            zh = f"{svc}{aspect} 第{part}部分：{part_zh}"
            en = f"{aspect_en} of {svc_en} - Part {part}: {part_en}"
        else:
            obj, obj_en, domain = r.choice(OBJECTS)
            inst, inst_en, _ = r.choice(INSTITUTIONS)
            zh, en = f"{inst}{obj}{aspect}", f"{aspect_en} for {obj_en} in {inst_en}"
        if place:
            zh = place + zh
        return zh, en[:1].upper() + en[1:], domain

    def scope(self, title: str) -> str:
        what = self.rng.choice(["服务内容、服务要求、服务流程和评价与改进", "基本要求、设施设备、人员要求和管理要求",
                                "术语和定义、总体要求、服务提供和服务评价"])
        return f"本文件规定了{title}的{what}。本文件适用于相关单位开展服务与管理。"

    def dates(self, year: int) -> tuple[str, str]:
        month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
        eff_month = month + self.rng.randint(2, 6)
        eff_year, eff_month = year + (eff_month - 1) // 12, (eff_month - 1) % 12 + 1
        return f"{year}-{month:02d}-{day:02d}", f"{eff_year}-{eff_month:02d}-{self.rng.randint(1, 28):02d}"

    # records ---------------------------------------------------------------------------------------
    def records(self):
        """Yield (level folder, record dict) until n records."""
        count = 0
        for number, title, title_en, domain, replaces in KEEP:
            self.used.add(number)
            yield "national", self._record(number, title, title_en, domain, int(number[-4:]), NATIONAL_ISSUER,
                                           replaces=[replaces] if replaces else None)
            count += 1
        for i in range(3):  # the county the benchmark queries: standards of its city (上饶市), which apply there
            year = 2019 + i
            self.local_number(year)  # drawn as before, so that the rest of the database stays the same
            number = f"{COUNTY_CITY[0]}/T {9000 + i}-{year}"  # above the serials drawn at 10,000
            self.used.add(number)
            zh, en, domain = self.title(COUNTY_QUERY)
            yield "local", self._record(number, zh, en, domain, year, f"{COUNTY_CITY[1]}市场监督管理局",
                                        proposer=f"{COUNTY_QUERY}民政局")
            count += 1
        while count < self.n:
            level = self.rng.choices(["national", "industry", "local"], [20, 30, 50])[0]
            year = self.rng.randint(2008, 2025)
            older = count + 2 <= self.n and self.rng.random() < 0.08 and year >= 2014
            place, proposer = None, None
            if level == "national":
                number, issuer = self.national_number(year), NATIONAL_ISSUER
            elif level == "industry":
                number, issuer = self.industry_number(year)
            else:
                number, issuer, region_name = self.local_number(year)
                if self.rng.random() < 0.1:
                    county = self.rng.choice(self.counties)[1]
                    place, proposer = county, f"{county}民政局"
                elif self.rng.random() < 0.3:
                    place = region_name
            zh, en, domain = self.title(place)
            replaces = None
            if older:  # an older edition, same serial, replaced by this one
                old_year = self.rng.randint(2005, year - 3)
                head, _, rest = number.rpartition(" ")
                old = f"{head} {rest.rsplit('-', 1)[0]}-{old_year}"
                if old not in self.used:
                    self.used.add(old)
                    yield level, self._record(old, zh, en, domain, old_year, issuer, proposer=proposer)
                    count += 1
                    replaces = [old]
            yield level, self._record(number, zh, en, domain, year, issuer, replaces=replaces, proposer=proposer)
            count += 1

    def _record(self, number: str, title: str, title_en: str, domain: str, year: int, issuer: str, *,
                replaces: list[str] | None = None, proposer: str | None = None) -> dict:
        r = self.rng
        issued, effective = self.dates(year)
        rec: dict = {"标准号": number, "中文标准名称": title}
        if r.random() < 0.6:
            rec["英文标准名称"] = title_en
        rec["发布日期"] = issued
        rec["实施日期"] = effective
        if r.random() < 0.03:
            rec["废止日期"] = f"{min(year + r.randint(2, 8), 2025)}-12-31"
            if rec["废止日期"] <= effective:
                del rec["废止日期"]
        if replaces:
            rec["代替标准"] = replaces
        if r.random() < 0.5:
            rec["中国标准分类号"] = [r.choice(CCS)]
            rec["国际标准分类号"] = [r.choice(ICS)]
        if proposer:
            rec["提出单位"] = proposer
        if r.random() < 0.5:
            rec["归口单位"] = r.choice(["全国社会福利服务标准化技术委员会", "全国服务标准化技术委员会",
                                    "全国公共服务标准化技术委员会", issuer.replace("市场监督管理局", "民政厅")])
        rec["发布单位"] = issuer
        if r.random() < 0.3:
            rec["适用范围"] = self.scope(title)
        rec["领域"] = [domain]
        rec["来源"] = [{"说明": "合成测试数据"}]
        return rec


def to_yaml(rec: dict) -> str:
    lines = [f"# {rec.get('中文标准名称', '')}", "# 合成测试数据（bench/synth.py 生成），不是真实标准。"]
    for key, value in rec.items():
        if key.endswith("日期"):
            lines.append(f"{key}: {value}")
        elif isinstance(value, list):
            lines.append(f"{key}:")
            for item in value:
                if isinstance(item, dict):
                    first = True
                    for k, v in item.items():
                        lines.append(f"  {'- ' if first else '  '}{k}: {json.dumps(v, ensure_ascii=False)}")
                        first = False
                else:
                    lines.append(f"  - {json.dumps(item, ensure_ascii=False)}")
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def write_database(n: int, db_dir: Path, seed: int = 20260101) -> int:
    db_dir = db_dir.resolve()
    if db_dir == (REPO / "standards").resolve() or (REPO / "standards").resolve() in db_dir.parents:
        raise SystemExit("refusing to write under the repository's standards/")
    if db_dir.exists():
        shutil.rmtree(db_dir)
    shutil.copytree(REPO / "standards" / "vocabularies", db_dir / "vocabularies")
    for level in ("national", "industry", "local"):
        (db_dir / level).mkdir(parents=True)
    synth = Synth(n, seed, db_dir / "vocabularies")
    written = 0
    for level, rec in synth.records():
        (db_dir / level / f"{slug(rec['标准号'])}.yaml").write_text(to_yaml(rec), encoding="utf-8")
        written += 1
    return written


def write_project(n: int, out: Path, seed: int = 20260101, git: bool = True) -> Path:
    """<out>/{mkdocs.yml, docs/, overrides/, db/}; returns the mkdocs.yml path. With `git` (the default) the
    project is a git repository holding all of it in one commit, as a county that imported its list has, so
    that builds read the history as they do for real."""
    out.mkdir(parents=True, exist_ok=True)
    for folder in ("docs", "overrides"):
        if (out / folder).exists():
            shutil.rmtree(out / folder)
        shutil.copytree(REPO / folder, out / folder)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config, subs = re.subn(r"(?m)^(\s+database:\s*).*$", r"\1db", config)
    if subs != 1:
        raise SystemExit("mkdocs.yml: could not find the stdportal plugin's `database:` line")
    (out / "mkdocs.yml").write_text(config, encoding="utf-8")
    write_database(n, out / "db", seed)
    if git:
        commit_all(out)
    return out / "mkdocs.yml"


def commit_all(out: Path) -> None:
    """A fresh repository in `out` with one commit of everything but build outputs, at a fixed date."""
    if (out / ".git").exists():
        shutil.rmtree(out / ".git")
    (out / ".gitignore").write_text("site*/\nlogs/\ndocs-anchor/\noverrides-anchor/\nmkdocs-anchor.yml\n.stdportal/\n",
                                    encoding="utf-8")
    date = "2026-01-01T00:00:00+08:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    # gc.auto=0: git would otherwise pack the 10,000 new objects in the background after the commit, while the
    # bench copies the project (a copy then fails on objects moved under it)
    git = ["git", "-C", str(out), "-c", "user.name=synth", "-c", "user.email=synth@example.org",
           "-c", "commit.gpgsign=false", "-c", "gc.auto=0"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True, env=env)
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "导入标准清单（合成测试数据）"], check=True, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of standards")
    parser.add_argument("out", type=Path, help="project folder to write (outside the repository's standards/)")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--no-git", action="store_true", help="do not make the project a git repository")
    args = parser.parse_args()
    config = write_project(args.n, args.out, args.seed, git=not args.no_git)
    print(config)


if __name__ == "__main__":
    main()
