"""The demo district carries deliberate findings: `gkpub check` on it prints them."""
from __future__ import annotations

from conftest import REPO, TODAY, run


def test_demo_check_prints_its_deliberate_findings(capsys) -> None:
    assert run("check", "--site", str(REPO), "--today", TODAY.isoformat()) == 0
    out = capsys.readouterr().out
    for heading in ("■ 逾期公开（警告）", "■ 解读滞后（警告）", "■ 意见反馈滞后（警告）", "■ 栏目未按期更新（警告）",
                    "■ 公示期已结束（提示）"):
        assert heading in out, heading
    assert "content/items/jiuye/2026-07-jianxi-fankui.md" in out  # feedback 15 working days after its decision
    # 公示 rules (issue #14 T1): one deliberate case each, the other 公示 of those leaves are clean
    assert "■ 公示期不足（警告）2 项" in out and "■ 公示早于发布（警告）1 项" in out
    assert "2026-10-dibao-gongshi-shangliu.md:8 字段「公示期」: 公示期 2026-10-27 至 2026-10-31 只有 5 天" in out
    assert ("caigou-gonggao.md:8 字段「公示期」: 公示期 2026-09-30 至 2026-10-09 只有 3 个工作日"
            in out)  # 国庆 in between
    assert "2026-10-dibao-gongshi-shiqiao.md:8 字段「公示期」: 公示期自 2026-10-19 开始" in out
    # counted from the policy's 发布日期, the 变更日期 and the 起算日期: on time, so never named
    for clean in ("2026-10-qianyue-jiedu.md", "2026-11-ertong-jiankang-zhinan.md",
                  "2026-11-yanglao-pingtai-zhongbiao.md", "2026-10-nongtian-houxuanren-gongshi.md"):
        assert clean not in out, clean
    assert "按规定不在网站发布，仅计数" in out  # 依申请公开 / 不予公开 are counted, not findings
    assert run("check", "--site", str(REPO), "--today", TODAY.isoformat(), "--strict") == 1
