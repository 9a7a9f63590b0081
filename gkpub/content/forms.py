"""The 政府信息公开申请表 (条例 第二十九条): which versions there are and where they are published.

The print pipeline renders them (outputs.print.form), the build publishes them beside the
指南 (build.channels.ApplicationForms) whenever the site has a 指南, and the 指南 links them
(layouts/_office.html): one table here keeps the three in step.
"""
from __future__ import annotations

from dataclasses import dataclass

from gkpub.content.model import Site


@dataclass(frozen=True)
class ApplicationForm:
    kind: str  # ziranren | faren: the template's switch and the file name
    applicant: str  # who fills it in, as the title says

    @property
    def title(self) -> str:
        return f"政府信息公开申请表（{self.applicant}）"

    @property
    def path(self) -> str:
        """Output path, beside the 指南 (guide/index.html)."""
        return f"guide/shenqingbiao-{self.kind}.pdf"


FORMS: tuple[ApplicationForm, ...] = (
    ApplicationForm("ziranren", "自然人"),
    ApplicationForm("faren", "法人或其他组织"),
)


def has_guide(site: Site) -> bool:
    """The site has its 政府信息公开指南 (content/pages/guide.md): the page that links the forms."""
    return any(p.column == "guide" and not p.slug for p in site.pages)
