"""Default vocabularies. Channels and 事项类型 are configuration: site.toml [vocab] overrides."""
from __future__ import annotations

from gkpub.content import schema

DEFAULT_CHANNELS: tuple[str, ...] = (
    "政府网站", "政府公报", "两微一端", "发布会/听证会", "广播电视", "纸质媒体",
    "公开查阅点", "政务服务中心", "便民服务站", "入户/现场",
    "社区/村/企事业单位公示栏", "精准推送", "其他",
)
DEFAULT_MATTER_TYPES: tuple[str, ...] = (
    "公共服务", "行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查",
    "行政确认", "行政奖励", "行政裁决", "其他行政行为",
)
DEFAULT_CATEGORIES: tuple[str, ...] = ("综合政务", "重点工作", "权力事项", "公共服务事项")
DEFAULT_DOMAINS: tuple[str, ...] = (
    "重大建设项目", "公共资源交易", "财政预决算", "安全生产", "税收管理", "征地补偿", "自然资源",
    "国有土地上房屋征收与补偿", "保障性住房", "农村危房改造", "环境保护", "公共文化服务",
    "公共法律服务", "扶贫", "乡村振兴", "救灾", "食品药品监管", "城市综合执法", "就业创业",
    "社会保险", "社会救助", "养老服务", "户籍管理", "涉农补贴", "义务教育", "医疗卫生",
    "卫生健康", "市政服务", "城乡规划",
)
# The channel that puts an item on community/village bulletin boards.
BOARD_CHANNEL = "社区/村/企事业单位公示栏"

FIXED_VOCABS: dict[str, tuple[str, ...]] = {
    "stages": schema.STAGES,
    "attributes": schema.ATTRIBUTES,
    "modes": schema.MODES,
    "levels": schema.LEVELS,
    "formats": schema.FORMATS,
    "cycle_steps": schema.CYCLE_STEPS,
    "doc_kinds": schema.DOC_KINDS,
}

# Attachment file types the portal serves (lower-case extensions, without the dot): office
# documents, OFD, archives and raster images. Types a browser would run (.html, .svg, .xml,
# .js) are never on this list; site.toml [files] attachment_types may narrow or extend it.
DEFAULT_ATTACHMENT_TYPES = (
    "pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "zip", "rar", "7z",
    "txt", "csv", "png", "jpg", "jpeg", "gif", "webp",
)

# Types a browser may run as a page or script when served from the portal's origin.
# XML types (.rss, .atom, .rdf, .mml) may carry XHTML with scripts; .xht is .xhtml; .htc and
# .mht/.mhtml are script-bearing page formats of old Internet Explorer, still around on
# intranet PCs.
SCRIPT_CAPABLE_TYPES = ("html", "htm", "xhtml", "xht", "shtml", "svg", "svgz", "xml", "xsl", "xslt",
                        "rss", "atom", "rdf", "mml", "htc", "mht", "mhtml",
                        "js", "mjs", "swf", "php", "jsp", "asp", "aspx", "md")

# Image types a page body may show (``![说明](图片)``): raster formats whose header gkpub
# reads for the width and height (content/imagesize.py). SVG is not one: it may run scripts.
BODY_IMAGE_TYPES = ("png", "jpg", "jpeg", "gif", "webp")
