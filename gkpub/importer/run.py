"""`gkpub import catalog FILE`: a catalogue sheet → content/catalog/<slug>.yaml.

All or nothing: when any row cannot be read, every such row is reported with its
row number and no file is written (exit 1). With a site.toml, 公开主体 must be one
of the site's bodies and the result is loaded with the catalogue loader before it
is written.

URL codes (ASCII, no pinyin needed): a domain's slug comes from ``--slug 领域=slug``,
else the sheet's 领域代码 column (gkpub's own export), else the existing catalogue
file of the same 领域, else d01, d02, … in order of appearance. Matters and leaves
take the 事项代码 / 公开内容代码 columns when present, else m01… and c01… .

A sheet may hold several domains (a 领域 column, or one table per domain under its
title): each becomes its own file. Bodies (公开主体) the site lacks are printed as a
site.toml [[org]] snippet (orgs.py); with ``--add-orgs`` they are written into
site.toml in the same all-or-nothing step as the catalogue files.
"""
from __future__ import annotations

import dataclasses
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from gkpub.content.catalog import SLUG_RE, load_catalog
from gkpub.content.config import SiteConfig, load_config
from gkpub.content.frontmatter import SourceError, load_yaml, read_text
from gkpub.importer import orgs as O
from gkpub.importer.headers import DOMAIN_CODE, DOMAIN_NOTE, LEAF_CODE, MATTER_CODE, find_headers
from gkpub.importer.rows import ImportContext, LeafRecord, read_sheet
from gkpub.importer.sheets import read_sheets
from gkpub.importer.yamlout import DomainOut, LeafOut, MatterOut, domain_yaml
from gkpub.store.staging import write_atomic
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
    add_orgs: bool = False


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


def _planned_orgs(ctx: ImportContext, cfg: SiteConfig) -> tuple[list[O.NewOrg], dict[str, str]]:
    """The bodies to add, and written name → the name the catalogue uses (existing or new)."""
    fresh: list[str] = []
    names: dict[str, str] = {}
    for written in ctx.new_orgs:
        expanded = O.new_orgs([written], cfg, set())[0].name
        known = cfg.org_by_name(expanded)
        if known is not None:  # 「区医保局」 for 「青禾区医保局」, whose short name differs
            names[written] = known.name
        else:
            fresh.append(written)
    planned = O.new_orgs(fresh, cfg, {o.code for o in cfg.orgs})
    unique: dict[str, O.NewOrg] = {}
    for o in planned:
        unique.setdefault(o.name, o)
        names[o.written] = o.name
    return list(unique.values()), names


def _report_orgs(planned: list[O.NewOrg], org_names: dict[str, str], ctx: ImportContext, source: str,
                 adding: bool) -> str:
    """Print what the sheet names that site.toml lacks; the snippet (also returned) on stdout."""
    text = O.snippet(planned, source)
    def where(o: O.NewOrg) -> str:
        places: dict[str, list[str]] = {}
        for written, name in org_names.items():
            if name == o.name:
                for place in ctx.new_orgs.get(written, []):
                    sheet, _, row = place.rpartition(":")
                    places.setdefault(sheet, []).append(row)
        for rows in places.values():
            rows.sort(key=int)
        return "；".join(f"{sheet} 第 {'、'.join(rows[:5])}{' 等' if len(rows) > 5 else ''} 行"
                        for sheet, rows in places.items())
    listed = "、".join(f"「{o.name}」（{where(o)}）" for o in planned)
    if adding:
        print(f"提示：表中有 {len(planned)} 个机关 site.toml 中没有：{listed}；导入成功时按下面的 [[org]] 段"
              "写入 site.toml", file=sys.stderr)
    else:
        print(f"表中有 {len(planned)} 个机关 site.toml 中没有：{listed}。核对后可把下面的 [[org]] 段"
              "粘贴到 site.toml 中，或重新运行时加 --add-orgs 自动写入；code 是占位代码，"
              "该机关发布第一条信息之前必须换成真实的统一社会信用代码。", file=sys.stderr)
    print(text, end="")
    return text


def _write_orgs(site_dir: Path, block: str, planned: list[O.NewOrg]) -> str | None:
    """Insert ``block`` into site.toml and read it back; restore the file and say why on failure."""
    path = site_dir / "site.toml"
    before = path.read_bytes().decode("utf-8")
    after = O.insert_orgs(before, block)
    try:
        added = O.added_names(before, after)
    except ValueError as exc:  # tomllib.TOMLDecodeError
        return f"插入后的 site.toml 不是合法的 TOML（{exc}）"
    if sorted(added) != sorted(o.name for o in planned):
        return f"插入后的 site.toml 中新增的机关是 {added}，与预期不符"
    write_atomic(path, after.encode("utf-8"))
    errors = ErrorList(root=site_dir)
    cfg = load_config(site_dir, errors)
    if errors or cfg is None or any(cfg.org_by_name(o.name) is None for o in planned):
        write_atomic(path, before.encode("utf-8"))
        return "写入新机关后 site.toml 未通过检查（已恢复原文件）：\n" + errors.report()
    return None


def import_catalog(opts: ImportOptions) -> int:
    cfg, has_site = _site_config(opts.site_dir)
    if opts.add_orgs and not has_site:
        raise UsageError("--add-orgs 要把机关写入站点的 site.toml，但没有找到它；请在站点目录中运行，或用 --site 指定")
    where_file = opts.file.name
    errors = ErrorList()
    ctx = ImportContext(cfg=cfg, errors=errors, domain=opts.domain, stage=opts.stage, add_orgs=opts.add_orgs)
    notes: list[str] = []
    records: list[LeafRecord] = []
    sheets = read_sheets(opts.file)
    found_header = False
    for sheet in sheets:
        if not any(any(row) for row in sheet.rows):
            continue
        where = where_file if opts.file.suffix.lower() == ".csv" else f"{where_file}[{sheet.name}]"
        headers = find_headers(sheet)
        if not headers:
            notes.append(f"{where} 没有找到表头（如 一级事项、公开内容、公开依据），整张工作表未导入")
            continue
        found_header = True
        result = read_sheet(where, sheet, headers, ctx)
        records += result.records
        notes += result.notes
    if not found_header:
        errors.add(where_file, 0, "",
                   "没有找到标准目录的表头；表头应包含 一级事项/一级目录、二级事项、公开内容、公开依据 等列")
    planned, org_names = _planned_orgs(ctx, cfg) if has_site and ctx.new_orgs else ([], {})
    for rec in records:
        body = rec.elements.get("公开主体")
        if isinstance(body, str) and body in org_names:
            rec.elements["公开主体"] = org_names[body]
    domains = assemble(records, opts, existing_slugs(opts.site_dir / "content" / "catalog"), errors) if records else []
    for note in notes:
        print(f"提示：{note}", file=sys.stderr)
    block = _report_orgs(planned, org_names, ctx, where_file, opts.add_orgs) if planned else ""
    if errors:
        print("\n".join(e.format() for e in errors.errors), file=sys.stderr)
        print(f"共 {len(errors)} 处无法导入（行号即表格中的行号），未写入任何文件。", file=sys.stderr)
        return 1
    files = {f"{d.slug}.yaml": domain_yaml(d, where_file) for d in domains}
    if has_site:
        check_cfg = dataclasses.replace(cfg, orgs=cfg.orgs + [O.as_org(o) for o in planned])
        problems = _verify(files, check_cfg)
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
    if planned:
        problem = _write_orgs(opts.site_dir, block, planned)
        if problem:
            print(problem, file=sys.stderr)
            print("未写入任何文件。", file=sys.stderr)
            return 1
    opts.out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write_atomic(opts.out_dir / name, text.encode("utf-8"))
    for d in domains:
        print(f"{d.name}：{len(d.matters)} 个事项、{len(d.leaves)} 项公开内容 → {opts.out_dir / (d.slug + '.yaml')}")
    if planned:
        print(f"已在 site.toml 中新增 {len(planned)} 个机关：{'、'.join(o.name for o in planned)}。"
              "它们的 code 是占位代码，发布信息之前必须换成真实的统一社会信用代码；kind 请核对。")
    print(f"已导入 {len(records)} 行，{len(domains)} 个领域。")
    return 0
