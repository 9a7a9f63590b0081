"""The site's identity marks for the footer (政府网站发展指引, 国办发〔2017〕47号):
主办/承办单位, 邮政编码, ICP 备案, 公安机关备案 with its mark, 党政机关网站标识, and the
「我为政府网站找错」 link, read from the [site] keys that siteschema has already checked.

The two marks are image files the site provides in its own ``layouts/assets/`` folder, where
a site overrides the theme's assets: the Assets channel publishes them under ``assets/`` like
any other, so a mark needs no output of its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from gkpub.content import siteschema
from gkpub.util.errors import ErrorList

ICP_URL = "https://beian.miit.gov.cn/"  # 工业和信息化部 ICP/IP地址/域名信息备案管理系统
POLICE_URL = "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode="  # 全国互联网安全管理平台
DEFAULT_POLICE_MARK = "assets/police-mark.svg"  # drawn for gkpub; a site may give the official one
MARK_TYPES = ("png", "jpg", "jpeg", "gif", "svg", "webp")
_ASSETS = PurePosixPath("layouts/assets")
_LABELS = {"party_mark": "党政机关网站标识", "police_mark": "公安机关备案图标"}


@dataclass(frozen=True)
class Identity:
    sponsor: str = ""  # 主办单位 (the government when site.toml names none)
    operator: str = ""  # 承办单位
    postcode: str = ""
    icp: str = ""
    police_beian: str = ""  # as written: 滇公网安备 53990102000001号
    police_mark: str = DEFAULT_POLICE_MARK  # output path of the image
    party_mark: str = ""  # output path of the image; "" when the site has none
    party_mark_url: str = ""
    error_report_url: str = ""

    @property
    def icp_url(self) -> str:
        return ICP_URL

    @property
    def police_code(self) -> str:
        """The 14 digits of the 公安机关备案号, which its record page is looked up by."""
        m = re.fullmatch(siteschema.POLICE_BEIAN_RE, self.police_beian)
        return m.group(1) if m else ""

    @property
    def police_url(self) -> str:
        return POLICE_URL + self.police_code if self.police_code else ""


def load_identity(site_dir: Path, site: dict[str, Any], government: str, site_id: str,
                  lines: siteschema.Lines, errors: ErrorList) -> Identity:
    """The footer's marks from the checked [site] row; a mark image that is configured but
    cannot be published is an error at its site.toml line."""
    marks: dict[str, str] = {}
    for key in ("party_mark", "police_mark"):
        value = site.get(key, "")
        if not value:
            continue
        line = lines.key_line("site", 0, key)
        found = _mark_file(site_dir, value, _LABELS[key])
        if isinstance(found, str):
            errors.add(siteschema.REL, line, f"site.{key}", found)
            continue
        marks[key] = "assets/" + found.relative_to(site_dir / _ASSETS).as_posix()
    report = site.get("error_report_url", "") or ""
    return Identity(
        sponsor=site.get("sponsor") or government, operator=site.get("operator", ""),
        postcode=site.get("postcode", ""), icp=site.get("icp", ""),
        police_beian=site.get("police_beian", ""),
        police_mark=marks.get("police_mark", DEFAULT_POLICE_MARK), party_mark=marks.get("party_mark", ""),
        party_mark_url=site.get("party_mark_url", ""),
        error_report_url=report.replace("{site_id}", site_id),
    )


def _mark_file(site_dir: Path, value: str, label: str) -> Path | str:
    """The image file ``value`` names inside the site folder, or what is wrong with it."""
    rel = PurePosixPath(value.replace("\\", "/"))
    if rel.is_absolute() or re.match(r"^[A-Za-z]:", value) or ".." in rel.parts:
        return (f"「{value}」不是站点目录中的相对路径；{label}图片要放在站点目录中，"
                "写相对于站点目录的路径，如 \"layouts/assets/dzjg.png\"")
    if rel.parts[:2] != _ASSETS.parts or len(rel.parts) < 3:
        return (f"「{value}」不在 layouts/assets/ 中；{label}图片要放在站点的 layouts/assets/ 文件夹里"
                "（和本站替换主题样式的文件放在一起），写作如 \"layouts/assets/dzjg.png\"")
    ext = rel.suffix.lower().lstrip(".")
    if ext not in MARK_TYPES:
        return f"「{value}」不是图片文件；{label}应为 {'、'.join(MARK_TYPES)} 格式的图片"
    path = site_dir / rel
    if not path.is_file():
        return (f"找不到{label}图片「{value}」（{path}）；请把图片文件放到这个位置，或改正路径；"
                "本站不显示此标识时删去此项")
    try:
        path.resolve().relative_to(site_dir.resolve())
    except ValueError:
        return f"「{value}」指向站点目录以外的文件；{label}图片要放在站点目录中"
    return path
