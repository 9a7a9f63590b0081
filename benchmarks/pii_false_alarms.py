"""Personal-data scan on a generated corpus: false alarms, what it catches, and its cost.

    python benchmarks/pii_false_alarms.py --corpus /tmp/gk10k          # a gen_corpus.py site
    python benchmarks/pii_false_alarms.py --items 10000 [--work DIR]    # generate one first

Three counts, then the time:
1. the corpus as generated: every item (front matter as written and as parsed, body),
   site.toml and the catalogue. gen_corpus.py refuses to write anything shaped like an
   unmasked ID or mobile, so every finding here is a false alarm: the figure must be 0.
2. the same items, each with a paragraph of numbers that are NOT personal data appended
   (seeded, deterministic): Luhn-valid 16-digit project and contract numbers with a
   card-issuer prefix (labelled, in a 项目编号 table column, or led by a 行政区划代码 and a
   year), rows of 4-digit amounts, date ranges, landlines, hotlines, credit codes, index
   numbers, order numbers, decimals. Every finding is a false alarm: must be 0.
3. the same items with one disguised personal number each (the Broken-10 forms: IDs split
   6-8-4 or in fours, over a line break, with NBSP / zero-width space / soft hyphen, ID/G
   prefix, HTML entities, mobiles 138.1234.5678 / 1381 234 5678 / Tel…, a card
   622202 1234567890128 …), random valid numbers: reports found / planted.
Time: the scan of the corpus as generated (parsing excluded), best of --repeat, CPU time.
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from gkpub.content.frontmatter import Document, split_document  # noqa: E402
from gkpub.content.pii_check import document_pii  # noqa: E402
from gkpub.content.pii_sources import catalog_pii, site_toml_pii  # noqa: E402
from gkpub.rules.pii import id_check_char, luhn_ok  # noqa: E402


def load(site: Path) -> list[Document]:
    docs = []
    for dirpath, _, files in os.walk(site / "content" / "items"):
        for name in sorted(files):
            if name.endswith(".md"):
                path = Path(dirpath) / name
                docs.append(split_document(path, path.read_text(encoding="utf-8")))
    return docs


def luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


def valid_id(rng: random.Random) -> str:
    first17 = (rng.choice(["430702", "530102", "110105", "440305"]) + f"{rng.randint(1940, 2010)}"
               f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}")
    return first17 + id_check_char(first17)


def not_personal(rng: random.Random) -> str:
    """A paragraph of numbers that fill disclosure pages and are not personal data."""
    card_like = luhn_complete(rng, rng.choice(["62", "4", "51", "53", "6011"]), 16)
    region = rng.choice(["530102", "440305", "620102", "420106"])
    year = rng.randint(2018, 2026)
    led = luhn_complete(rng, f"{region}{year}", 16)
    amounts = " ".join(str(rng.randint(1000, 9999)) for _ in range(4))
    return "\n".join([
        "",
        f"项目编号：{card_like}；合同编号 {luhn_complete(rng, '62', 16)}；采购项目 {led}。",
        "",
        "| 序号 | 项目编号 | 金额（万元） |",
        "| --- | --- | --- |",
        f"| 1 | {card_like} | {rng.randint(10, 999)}.{rng.randint(0, 9)} |",
        f"| 2 | {luhn_complete(rng, '4', 16)} | {rng.randint(10, 999)} |",
        "",
        f"合计 {amounts} 元，折合 {rng.randint(1, 99)}.{rng.randint(10, 99)} 万元；"
        f"金额 {rng.randint(10**10, 10**11 - 1)}.{rng.randint(10, 99)} 元。",
        f"公示期 {year}.0{rng.randint(1, 9)}.1{rng.randint(0, 9)}-{year}.0{rng.randint(1, 9)}.2{rng.randint(0, 8)}，"
        f"咨询电话 0871-6511{rng.randint(1000, 9999)}，服务热线 400-820-{rng.randint(1000, 9999)}，12345。",
        f"统一社会信用代码 11539901MB0000{rng.randint(100, 999)}D，"
        f"索引号 11539901MB00002030/{year}-{rng.randint(1, 99999):05d}，"
        f"订单号 DD{rng.randint(10**10, 10**11 - 1)}，批次 {luhn_complete(rng, '95', 19)}。",
        "",
    ])


def disguised(rng: random.Random, k: int) -> str:
    """One personal number in one of the Broken-10 forms (the k-th form, cyclically)."""
    i = valid_id(rng)
    m = f"1{rng.choice('3456789')}{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}"
    c = luhn_complete(rng, "622202", 19)
    forms = [
        f"身份证号 {i[:6]} {i[6:14]} {i[14:]}", " ".join(i[j:j + 4] for j in range(0, 18, 4)),
        f"身份证号 {i[:9]}\n{i[9:]}", f"{i[:6]}\u00a0{i[6:]}", f"{i[:6]}\u200b{i[6:]}",
        f"{i[:6]}\u00ad{i[6:]}", f"ID{i}", f"学籍号 G{i}", "".join(f"&#{ord(x)};" for x in i),
        "".join(f"&#x{ord(x):x};" for x in i), f"{m[:3]}.{m[3:7]}.{m[7:]}",
        f"{m[:4]} {m[4:7]} {m[7:]}", f"Tel{m}", f"{c[:6]} {c[6:]}", f"银行卡号：{c}",
    ]
    return "\n\n" + forms[k % len(forms)] + "\n"


def scan_all(docs: list[Document], bodies: list[str] | None = None) -> int:
    found = 0
    for n, doc in enumerate(docs):
        if bodies is not None:
            doc = Document(doc.path, doc.meta, bodies[n], doc.body_line, doc.fm_text)
        found += sum(1 for _ in document_pii(doc))
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, help="a site written by gen_corpus.py")
    ap.add_argument("--items", type=int, help="generate a corpus of this many items first")
    ap.add_argument("--work", type=Path, default=Path("/tmp/gkpii"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    site = args.corpus
    if site is None:
        if not args.items:
            ap.error("--corpus 或 --items 必须给出一个")
        site = args.work / f"c{args.items}"
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "--items", str(args.items),
                        "--out", str(site)], check=True, stdout=subprocess.DEVNULL)
    docs = load(site)
    rng = random.Random(args.seed)

    other = site_toml_pii(site, ()) + catalog_pii(site, ())
    corpus = scan_all(docs)
    for e in other:
        print("  ", e.format())
    print(f"corpus as generated: {len(docs)} items + site.toml + catalogue: "
          f"{corpus + len(other)} findings (false alarms)")

    extra = [doc.body + not_personal(rng) for doc in docs]
    planted_serials = 6 * len(docs)  # Luhn-valid 16–19-digit numbers written per paragraph
    alarms = scan_all(docs, extra)
    print(f"with non-personal numbers appended ({planted_serials} Luhn-valid 16–19-digit serials "
          f"among them): {alarms} findings (false alarms)")

    planted = [doc.body + disguised(rng, k) for k, doc in enumerate(docs)]
    print(f"with one disguised personal number per item: {scan_all(docs, planted)} found "
          f"of {len(docs)} planted")

    gc.collect()
    gc.disable()
    best = float("inf")
    for _ in range(args.repeat):
        t = time.process_time()
        scan_all(docs)
        best = min(best, time.process_time() - t)
    gc.enable()
    print(f"scan time (corpus as generated, best of {args.repeat}, CPU): {best:.2f} s, "
          f"{best / len(docs) * 1e6:.0f} µs per item")


if __name__ == "__main__":
    main()
