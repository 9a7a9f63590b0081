"""动态调整 (issue #14 item 7): `gkpub report review YEAR` lists the held-back items due for their
yearly review, never in an output folder; the 清理结果 page lists published items out of force."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, TODAY, item_text, run, write_item

from gkpub.outputs.report.review import NO_REASON, one_year_after

DAY = TODAY.isoformat()  # 2026-11-23


def _no(n: int, code: str = "11530000MB00000025", year: int = 2026) -> str:
    return f"{code}/{year}-{n:05d}"


def held_items(site: Path) -> None:
    """Every case around the due day, in one site (the leaf is 主动公开: the items say otherwise)."""
    cases = {
        # due 2026-03-10, never reviewed: overdue
        "a.md": dict(标题="甲 不予公开 2025年成文", 索引号=_no(11, year=2025), 公开属性="不予公开",
                     成文日期="2025-03-10", 发布日期="2025-03-12", 不公开理由="属于内部过程性信息（条例第十六条）"),
        # reviewed 2025-12-20: due 2026-12-20, after today: still due in 2026
        "b.md": dict(标题="乙 依申请公开 复核过", 索引号=_no(12, year=2024), 公开属性="依申请公开",
                     公开方式="依申请公开", 成文日期="2024-06-01", 发布日期="2024-06-03", 复核日期="2025-12-20",
                     不公开理由="涉及个人信息（条例第十五条）"),
        # reviewed 2026-01-15: due 2027-01-15, not in 2026
        "c.md": dict(标题="丙 复核于2026年", 索引号=_no(13, year=2025), 公开属性="不予公开",
                     成文日期="2025-02-01", 发布日期="2025-02-03", 复核日期="2026-01-15"),
        # formed in 2026: due in 2027
        "d.md": dict(标题="丁 2026年成文", 索引号=_no(14), 公开属性="不予公开",
                     成文日期="2026-02-02", 发布日期="2026-02-04"),
        # a draft is not a document yet
        "e.md": dict(标题="戊 草稿", 索引号=_no(15, year=2024), 公开属性="不予公开", 草稿="true",
                     成文日期="2024-05-06", 发布日期="2024-05-08"),
        # published: not reviewed
        "f.md": dict(标题="己 主动公开", 索引号=_no(16, year=2024), 成文日期="2024-05-06", 发布日期="2024-05-08"),
        # 29 February: due 2025-02-28, missed then, so still due (overdue) in 2026; no reason written
        "g.md": dict(标题="庚 闰日成文 漏复核", 索引号=_no(17, year=2024), 公开属性="不予公开",
                     成文日期="2024-02-29", 发布日期="2024-03-01"),
    }
    for name, fields in cases.items():
        write_item(site, name, item_text(**fields))


def rows(text: str) -> list[list[str]]:
    out = []
    for line in text.splitlines():
        if re.match(r"^\| \d+ \|", line):
            out.append([c.strip() for c in line.strip("|").split("|")])
    return out


def test_one_year_after() -> None:
    import datetime as dt
    assert one_year_after(dt.date(2025, 3, 10)) == dt.date(2026, 3, 10)
    assert one_year_after(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)


def test_review_lists_exactly_the_due_items_with_reasons(mini_site: Path, capsys) -> None:
    held_items(mini_site)
    assert run("report", "review", "2026", "--site", str(mini_site), "--today", DAY) == 0
    said = capsys.readouterr().out
    path = mini_site / "reports" / "review-2026.md"
    assert str(path) in said and "3 件到期，其中已逾期 2 件" in said
    text = path.read_text(encoding="utf-8")
    got = rows(text)
    # by due day: 庚 (2025-02-28), 甲 (2026-03-10), 乙 (2026-12-20)
    assert [r[3] for r in got] == ["庚 闰日成文 漏复核", "甲 不予公开 2025年成文", "乙 依申请公开 复核过"]
    assert [r[1] for r in got] == ["2025-02-28", "2026-03-10", "2026-12-20"]
    assert [r[2] for r in got] == ["已逾期 633 天", "已逾期 258 天", "待复核"]
    assert [r[6] for r in got] == ["不予公开", "不予公开", "依申请公开"]
    assert [r[7] for r in got] == [NO_REASON, "属于内部过程性信息（条例第十六条）", "涉及个人信息（条例第十五条）"]
    assert got[0][8] == "成文 2024-02-29 满一年，未复核过" and got[2][8] == "上次复核 2025-12-20 满一年"
    assert got[1][9] == "content/items/yanglao/a.md"
    assert "第十八条" in text and "内部工作材料" in text

    out = mini_site.parent / "r2027.md"
    assert run("report", "review", "2027", "--site", str(mini_site), "--today", DAY, "--out", str(out)) == 0
    assert [r[3] for r in rows(out.read_text(encoding="utf-8"))] == [
        "庚 闰日成文 漏复核", "甲 不予公开 2025年成文", "乙 依申请公开 复核过", "丙 复核于2026年", "丁 2026年成文"]
    # --org: only that body's items (all of them are 区民政局's); the government has none
    assert run("report", "review", "2026", "--site", str(mini_site), "--today", DAY, "--org", "区政府",
               "--out", str(out)) == 0
    assert rows(out.read_text(encoding="utf-8")) == [] and "2026年没有需要复核的信息" in out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert run("report", "review", "2026", "--site", str(mini_site), "--today", DAY, "--org", "区民证局") == 2
    assert "是不是「测试区民政局」" in capsys.readouterr().err


def test_review_never_lands_in_an_output_folder(mini_site: Path, tmp_path: Path, capsys) -> None:
    held_items(mini_site)
    public = mini_site / "public"
    assert run("build", "--site", str(mini_site), "--no-search", "--today", DAY) == 0
    other = tmp_path / "elsewhere"
    assert run("build", "--site", str(mini_site), "--no-search", "--today", DAY, "--out", str(other)) == 0
    capsys.readouterr()
    for target in (public / "review.md", public / "sub" / "review.md", other / "review.md",
                   mini_site / "preview" / "review.md"):
        assert run("report", "review", "2026", "--site", str(mini_site), "--today", DAY,
                   "--out", str(target)) == 2, target
        err = capsys.readouterr().err
        assert "不能写在网站输出目录" in err and "Traceback" not in err
        assert not target.exists()
    assert not (public / "sub").exists()
    # the default file is beside public/, and a new build leaves it out
    assert run("report", "review", "2026", "--site", str(mini_site), "--today", DAY) == 0
    assert (mini_site / "reports" / "review-2026.md").is_file()
    assert run("build", "--site", str(mini_site), "--no-search", "--today", DAY) == 0
    everything = b"".join(p.read_bytes() for p in public.rglob("*") if p.is_file())
    for secret in ("属于内部过程性信息", "涉及个人信息", "复核清单", "甲 不予公开", "乙 依申请公开", "庚 闰日成文"):
        assert secret.encode() not in everything, secret
    assert not list(public.rglob("review*"))


def test_review_on_the_demo() -> None:
    from gkpub.content.loader import load_site
    from gkpub.outputs.report.review import due_items

    site = load_site(REPO, TODAY)
    due = due_items(site, 2026)
    assert [d.item.source for d in due] == ["content/items/caigou/2025-05-pingshen-neibu.md",
                                             "content/items/xiangmu/2025-10-zhengshou-mingxi.md"]
    assert all(d.item.el.get("不公开理由") for d in due)
    # reviewed in March 2026 and the 2026 ones: due in 2027
    later = {d.item.source for d in due_items(site, 2027)} - {d.item.source for d in due}
    assert later == {"content/items/yingji/2025-08-zhongdian-mubiao.md",
                     "content/items/huji/2026-08-jiti-hukou-hecha.md",
                     "content/items/jiuye/2026-09-yunfan-hecha-neibu.md"}


# ---------------------------------------------------------------- 清理结果

def test_qingli_lists_published_items_out_of_force_and_nothing_held_back(mini_site: Path) -> None:
    cases = {
        "repealed.md": dict(标题="已废止的暂行办法", 索引号=_no(21, year=2024), 成文日期="2024-03-01",
                            发布日期="2024-03-04", 文号="测民发〔2024〕3号", 废止日期="2026-05-01"),
        "lapsed.md": dict(标题="已过有效期的通知", 索引号=_no(22, year=2025), 成文日期="2025-01-06",
                          发布日期="2025-01-08", 有效期至="2025-12-31"),
        "lapsed-today.md": dict(标题="今天到期仍有效的通知", 索引号=_no(23, year=2025), 成文日期="2025-01-06",
                                发布日期="2025-01-08", 有效期至=DAY),
        "repealed-later.md": dict(标题="明年废止的办法", 索引号=_no(24, year=2025), 成文日期="2025-01-06",
                                  发布日期="2025-01-08", 废止日期="2027-01-01"),
        "held.md": dict(标题="不予公开且已废止的内部规定", 索引号=_no(25, year=2024), 公开属性="不予公开",
                        成文日期="2024-03-01", 发布日期="2024-03-04", 废止日期="2026-01-01"),
        "onrequest.md": dict(标题="依申请公开且已失效的名单", 索引号=_no(26, year=2024), 公开属性="依申请公开",
                             公开方式="依申请公开", 成文日期="2024-03-01", 发布日期="2024-03-04",
                             有效期至="2025-01-01"),
        "draft.md": dict(标题="草稿中已失效的通知", 索引号=_no(27, year=2024), 草稿="true",
                         成文日期="2024-03-01", 发布日期="2024-03-04", 有效期至="2025-01-01"),
    }
    for name, fields in cases.items():
        write_item(mini_site, name, item_text(**fields))
    assert run("build", "--site", str(mini_site), "--no-search", "--today", DAY) == 0
    page = (mini_site / "public" / "xxgk" / "qingli" / "index.html").read_text(encoding="utf-8")
    repealed, expired = page.split('id="qingli-expired"')
    assert "已废止的暂行办法" in repealed and "测民发〔2024〕3号" in repealed and "2026-05-01" in repealed
    assert f'href="/xxgk/{_no(21, year=2024)}/"' in repealed
    assert "已过有效期的通知" in expired and "2026-01-01" in expired  # the day after 有效期至
    assert "（1 件）" in repealed and "（1 件）" in expired
    for never in ("今天到期仍有效", "明年废止", "不予公开且已废止", "依申请公开且已失效", "草稿中已失效"):
        assert never not in page, never
    sitemap = (mini_site / "public" / "sitemap" / "index.html").read_text(encoding="utf-8")
    assert 'href="/xxgk/qingli/"' in sitemap
    assert "/xxgk/qingli/" in (mini_site / "public" / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("today, count", [("2026-04-30", 0), ("2026-05-01", 1)])
def test_qingli_repealed_from_its_day(mini_site: Path, today: str, count: int) -> None:
    write_item(mini_site, "repealed.md", item_text(标题="已废止的暂行办法", 索引号=_no(21, year=2024),
                                                   成文日期="2024-03-01", 发布日期="2024-03-04", 废止日期="2026-05-01"))
    assert run("build", "--site", str(mini_site), "--no-search", "--today", today) == 0
    page = (mini_site / "public" / "xxgk" / "qingli" / "index.html").read_text(encoding="utf-8")
    assert f"已废止（{count} 件）" in page and ("已废止的暂行办法" in page) == bool(count)


def test_a_new_sites_guide_links_the_qingli_page(tmp_path: Path) -> None:
    site = tmp_path / "new"
    assert run("new", "site", str(site), "--today", DAY) == 0
    assert run("build", "--site", str(site), "--no-search", "--today", DAY) == 0
    guide = (site / "public" / "guide" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/xxgk/qingli/">清理结果</a>' in guide and "第十八条" in guide
    page = (site / "public" / "xxgk" / "qingli" / "index.html").read_text(encoding="utf-8")
    assert "已废止（0 件）" in page and "暂无已废止的信息" in page and "已失效（0 件）" in page
