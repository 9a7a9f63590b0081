"""`gkpub import catalog FILE`: a catalogue sheet → content/catalog/<slug>.yaml.

All or nothing: when any row cannot be read, every such row is reported with its
row number and no file is written (exit 1). With a site.toml, 公开主体 must be one
of the site's bodies and the result is loaded with the catalogue loader before it
is written.

URL codes (ASCII, no pinyin needed): a domain's slug comes from ``--slug 领域=slug``,
else the sheet's 领域代码 column (gkpub's own export), else the existing catalogue
file of the same 领域, else d01, d02, … in order of appearance. Matters and leaves
take the 事项代码 / 公开内容代码 columns when present, else m01… and c01… .
"""
from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from gkpub.content.catalog import SLUG_RE, load_catalog
from gkpub.content.config import SiteConfig, load_config
from gkpub.content.frontmatter import SourceError, load_yaml, read_text
from gkpub.importer.headers import DOMAIN_CODE, DOMAIN_NOTE, LEAF_CODE, MATTER_CODE, find_header
from gkpub.importer.rows import LeafRecord, read_sheet
from gkpub.importer.sheets import read_sheets
from gkpub.importer.yamlout import DomainOut, LeafOut, MatterOut, domain_yaml
from gkpub.util.errors import ErrorList, UsageError


@dataclass
class ImportOptions:
    file: Path
    site_dir: Path
    out_dir: Path
    slugs: dict[str, str] = field(default_factory=dict)
    domain: str | None = None
    stage: str | None = None
    force: bool = False


def _site_config(site_dir: Path) -> tuple[SiteConfig, bool]:
    """The site's config when there is a site.toml; else defaults (bodies not checked)."""
    if (site_dir / "site.toml").is_file():
        errors = ErrorList(root=site_dir)
        cfg = load_config(site_dir, errors)
        if errors or cfg is None:
            raise UsageError("site.toml 有错误，请先修正：\n" + errors.report())
        return cfg, True
    return SiteConfig(root=site_dir, title="", subtitle="", base_url="", site_id="", district="", city="",
                      level="", government=""), False


def existing_slugs(cat_dir: Path) -> dict[str, str]:
    """领域 name → file slug of the catalogue files already in ``cat_dir``."""
    out: dict[str, str] = {}
    for path in sorted(cat_dir.glob("*.y*ml")) if cat_dir.is_dir() else []:
        try:
            data = load_yaml(read_text(path))
        except SourceError:
            continue
        if isinstance(data, dict) and data.get("领域"):
            out.setdefault(str(data["领域"]).strip(), path.stem)
    return out


def _code(wanted: str, taken: set[str], prefix: str) -> str:
    if wanted and SLUG_RE.match(wanted) and wanted not in taken:
        return wanted
    n = len(taken) + 1
    while f"{prefix}{n:02d}" in taken:
        n += 1
    return f"{prefix}{n:02d}"


def assemble(records: list[LeafRecord], opts: ImportOptions, known: dict[str, str],
             errors: ErrorList) -> list[DomainOut]:
    domains: dict[str, DomainOut] = {}
    seen: dict[tuple[str, str, str], int] = {}
    slugs_taken: set[str] = set()
    for rec in records:
        key = (rec.domain, rec.matter, rec.name)
        if key in seen:
            errors.add(rec.where, rec.row, "公开内容", f"「{'/'.join(key)}」与第 {seen[key]} 行重复")
            continue
        seen[key] = rec.row
        domain = domains.get(rec.domain)
        if domain is None:
            wanted = opts.slugs.get(rec.domain) or rec.codes.get(DOMAIN_CODE) or known.get(rec.domain, "")
            if rec.domain in opts.slugs and not SLUG_RE.match(wanted):
                raise UsageError(f"--slug 的代码「{wanted}」只能用小写字母、数字和连字符，如 yanglao")
            slug = _code(wanted, slugs_taken, "d")
            slugs_taken.add(slug)
            domain = domains[rec.domain] = DomainOut(rec.domain, slug, rec.codes.get(DOMAIN_NOTE, ""))
        matter = next((m for m in domain.matters if m.name == rec.matter), None)
        if matter is None:
            code = _code(rec.codes.get(MATTER_CODE, ""), {m.code for m in domain.matters}, "m")
            matter = MatterOut(rec.matter, code)
            domain.matters.append(matter)
        code = _code(rec.codes.get(LEAF_CODE, ""), {leaf.code for leaf in matter.leaves}, "c")
        matter.leaves.append(LeafOut(rec.name, code, rec.elements, rec.inferred_stage))
    unknown = set(opts.slugs) - set(domains)
    if unknown:
        raise UsageError(f"--slug 中的领域「{'、'.join(sorted(unknown))}」不在表中")
    return list(domains.values())


def _verify(files: dict[str, str], cfg: SiteConfig) -> ErrorList:
    """Load the YAML we are about to write with the catalogue loader."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cat = root / "content" / "catalog"
        cat.mkdir(parents=True)
        for name, text in files.items():
            (cat / name).write_text(text, encoding="utf-8")
        errors = ErrorList(root=root)
        load_catalog(root, cfg, errors)
        return errors


def import_catalog(opts: ImportOptions) -> int:
    cfg, has_site = _site_config(opts.site_dir)
    where_file = opts.file.name
    errors = ErrorList()
    notes: list[str] = []
    records: list[LeafRecord] = []
    sheets = read_sheets(opts.file)
    found_header = False
    for sheet in sheets:
        if not any(any(row) for row in sheet.rows):
            continue
        where = where_file if opts.file.suffix.lower() == ".csv" else f"{where_file}[{sheet.name}]"
        header = find_header(sheet)
        if header is None:
            notes.append(f"{where} 没有找到表头（如 一级事项、公开内容、公开依据），整张工作表未导入")
            continue
        found_header = True
        result = read_sheet(where, sheet, header, cfg, errors, opts.domain, opts.stage)
        records += result.records
        notes += result.notes
    if not found_header:
        errors.add(where_file, 0, "",
                   "没有找到标准目录的表头；表头应包含 一级事项/一级目录、二级事项、公开内容、公开依据 等列")
    domains = assemble(records, opts, existing_slugs(opts.site_dir / "content" / "catalog"), errors) if records else []
    for note in notes:
        print(f"提示：{note}", file=sys.stderr)
    if errors:
        print("\n".join(e.format() for e in errors.errors), file=sys.stderr)
        print(f"共 {len(errors)} 处无法导入（行号即表格中的行号），未写入任何文件。", file=sys.stderr)
        return 1
    files = {f"{d.slug}.yaml": domain_yaml(d, where_file) for d in domains}
    if has_site:
        problems = _verify(files, cfg)
        if problems:
            print(problems.report(), file=sys.stderr)
            print("导入结果未通过目录检查，未写入任何文件。", file=sys.stderr)
            return 1
    else:
        print("提示：没有找到 site.toml，未核对公开主体；请在站点目录中运行，或用 --site 指定", file=sys.stderr)
    existing = [n for n in files if (opts.out_dir / n).exists()]
    if existing and not opts.force:
        print(f"以下目录文件已存在：{'、'.join(existing)}；"
              "确认要覆盖请加 --force，或用 --out 指定其他目录。未写入任何文件。", file=sys.stderr)
        return 1
    opts.out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (opts.out_dir / name).write_text(text, encoding="utf-8")
    for d in domains:
        print(f"{d.name}：{len(d.matters)} 个事项、{len(d.leaves)} 项公开内容 → {opts.out_dir / (d.slug + '.yaml')}")
    print(f"已导入 {len(records)} 行，{len(domains)} 个领域。")
    return 0
