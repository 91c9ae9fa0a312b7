"""Language identification and word counts on inline strings."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpusprep import signals
from corpusprep.signals import count_words, detect_language

SAMPLES = {
    "en": "The city council approved the new budget on Tuesday after a long debate about "
    "schools, roads and the cost of public transport.",
    "de": "Der Stadtrat hat am Dienstag nach einer langen Debatte über Schulen, Straßen und "
    "die Kosten des Nahverkehrs den neuen Haushalt beschlossen.",
    "fr": "Le conseil municipal a adopté mardi le nouveau budget après un long débat sur les "
    "écoles, les routes et le coût des transports publics.",
    "es": "El ayuntamiento aprobó el martes el nuevo presupuesto después de un largo debate "
    "sobre las escuelas, las carreteras y el coste del transporte público.",
    "it": "Il consiglio comunale ha approvato martedì il nuovo bilancio dopo un lungo dibattito "
    "sulle scuole, le strade e il costo dei trasporti pubblici.",
    "pt": "A câmara municipal aprovou na terça-feira o novo orçamento depois de um longo debate "
    "sobre as escolas, as estradas e o custo dos transportes públicos.",
    "ru": "Городской совет во вторник утвердил новый бюджет после долгих споров о школах, "
    "дорогах и стоимости общественного транспорта.",
    "id": "Dewan kota menyetujui anggaran baru pada hari Selasa setelah perdebatan panjang "
    "tentang sekolah, jalan, dan biaya transportasi umum.",
    "ko": "시의회는 화요일 학교와 도로, 대중교통 비용에 대한 긴 논쟁 끝에 새 예산안을 승인했다.",
    "zh": "市议会周二在就学校、道路和公共交通费用进行了长时间辩论后批准了新的预算。",
    "ja": "市議会は火曜日、学校や道路、公共交通の費用をめぐる長い議論の末に新しい予算を承認した。",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detects_language(lang):
    code, prob = detect_language(SAMPLES[lang])
    assert code == lang
    assert signals.MIN_PROBABILITY <= prob <= 1.0


@pytest.mark.parametrize("text", ["", "   \n ", "OK", "Hi there", "12:45 | 2019-11-19 | 300"])
def test_too_short_to_tell(text):
    assert detect_language(text) == (None, None)


def test_text_without_letters_is_unknown():
    table = "2019-11-19 12:00 | 123,456 | 789.01 | 44 % | +49 (0)40 890 85-433\n" * 10
    assert detect_language(table) == (None, None)


@pytest.mark.parametrize(
    "tail",
    [
        "\n分享到微信 返回顶部 登录 注册 关于我们 联系我们",
        "\nシェアする ツイート ページの先頭へ ログイン",
        "\n공유하기 맨 위로 로그인 회원가입",
    ],
)
def test_foreign_script_ui_string_does_not_change_language(tail):
    article = (
        SAMPLES["en"] + " Officials said the vote was close and that the plan would be "
        "reviewed again next spring."
    )
    assert detect_language(article + tail)[0] == "en"
    assert detect_language(SAMPLES["de"] + tail)[0] == "de"


def test_cjk_text_with_latin_terms_stays_cjk():
    text = "苹果公司周二发布了新款MacBook Pro笔记本电脑，售价从一万元起。"
    assert detect_language(text)[0] == "zh"
    assert detect_language(SAMPLES["ko"] + "\nShare on Facebook | Back to top")[0] == "ko"


def test_samples_a_bounded_prefix():
    # A long document is judged on its beginning; the answer is a plain float.
    code, prob = detect_language(SAMPLES["fr"] * 200 + SAMPLES["en"] * 200)
    assert code == "fr"
    assert isinstance(prob, float)


def test_non_iso_639_1_labels_map_to_two_letters_or_none():
    assert signals._iso1("yue") == "zh"
    assert signals._iso1("arz") == "ar"
    assert signals._iso1("pcm") is None
    assert signals._iso1("zxx") is None
    assert signals._iso1("en") == "en"


def test_count_words_latin():
    assert count_words("The quick brown fox, it's 42 years old!") == 9
    assert count_words("") == 0


def test_count_words_cjk_characters_count_one_each():
    assert count_words("东京是日本的首都") == 8
    assert count_words("東京は日本の首都です。") == 10
    assert count_words("Apple发布了iPhone 15") == 6


def _words_by_hand(text: str) -> int:
    """Reference: runs of word characters, each CJK character a word of its own."""
    n, in_run = 0, False
    for ch in text:
        cjk = any(lo <= ch <= hi for lo, hi in _CJK_RANGES)
        if cjk or not re.match(r"\w", ch):
            n += cjk
            in_run = False
        elif not in_run:
            n, in_run = n + 1, True
    return n


_CJK_RANGES = [("\u3040", "\u30ff"), ("\u3400", "\u4dbf"), ("\u4e00", "\u9fff")]
_CJK_RANGES += [("\uf900", "\ufaff"), ("\uff66", "\uff9f")]


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("aZ9_ 漢字かなカナ한-—.'")))
def test_count_words_matches_a_character_by_character_count(text):
    assert count_words(text) == _words_by_hand(text)


def test_count_words_hangul_words_are_space_separated():
    assert count_words("시의회는 새 예산안을 승인했다") == 4


def test_import_is_cheap_and_warm_up_loads_once():
    code = (
        "import sys; import corpusprep.signals as s; "
        "assert 'py3langid' not in sys.modules, 'model imported at module import'; "
        "s.warm_up(); m = s._identifier(); s.warm_up(); assert s._identifier() is m"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
