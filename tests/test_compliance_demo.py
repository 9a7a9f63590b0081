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
    assert "按规定不在网站发布，仅计数" in out  # 依申请公开 / 不予公开 are counted, not findings
    assert run("check", "--site", str(REPO), "--today", TODAY.isoformat(), "--strict") == 1
