"""Is a word a possible Vietnamese syllable? Onset, rhyme (vowel nucleus and final), one tone where it belongs.

Vietnamese writes one syllable per word, from a small inventory: an onset
(`ngh`, `tr`, `qu`, `gi`, ... or none), a rhyme from a closed list (`a`, `anh`,
`ương`, `uyêt`, ...) and at most one tone mark, which sits on a fixed vowel of
the rhyme (both the old `hòa` and the new `hoà` placements are accepted), and is
only sắc or nặng before a final `c`, `ch`, `k`, `p`, `t`. Spelling rules are
checked too (`gh`, `ngh` only before `i e ê y`; `c`, `g`, `ng` never before
them). The spellings of the minority names on the country's map are accepted
(`Đắk Lắk`, `Krông`, `La Dêê`, `Bắc Kạn`, `Đal`). Text garbled by a wrong legacy
table breaks one of these rules in most words (`nguyeón`, `chaâu`, `xaõ`), where
a real Vietnamese word does not: this is what `legacy_text` decides by. The
check is structural, not a dictionary: `tõm` passes.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_TONES = frozenset((_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT))
_LETTERS = frozenset("aăâbcdđeêghiklmnoôơpqrstuưvxyjz")  # j, z: in names (Jút, Za Hung)
_VOWELS = frozenset("aăâeêioôơuưy")
_MODIFIED = frozenset("ăâêôơư")  # a vowel with its own mark carries the tone
_STOPS = ("c", "ch", "k", "p", "t")  # finals after which only sắc and nặng occur


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


RHYMES = _words("""
a ac ach ai am an ang anh ao ap at au ay
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu
iêc iêm iên iêng iêp iêt iêu
o oc oi om on ong op ot ooc oong
oa oac oach oai oam oan oang oanh oao oap oat oay
oăc oăm oăn oăng oăt
oe oen oeo oet
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut
uân uâng uât uây
uê uêch uênh
uôc uôi uôm uôn uông uôt
uơ
uy uya uych uyên uyêt uyn uynh uyt uyu
ư ưa ưc ưi ưm ưng ưt ưu
ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêng yêt yêu
""")
# the spellings of the Central Highlands' and the mountains' names (Đắk Lắk, La Dêê, Tà Pơơ, Bắc Kạn, Đal, Tẻh,
# Khươl, Cuôr, Dliê Ya): final k for c; final h, l, r; doubled ê and ơ; k before any vowel, see _ONSETS
MINORITY_RHYMES = _words("""
ak ăk âk ek êk ok ôk uk ưk ơk uch ưn ơng iê êê ơơ
""") | {v + f for v in _words("a ă â e ê i o ô ơ u ư y uô ươ iê") for f in "hlr"}
RHYMES |= MINORITY_RHYMES

# after `qu`, whose u is the glide: quá, quân, quê, quốc, quý, quyết, quỳnh, quở
_AFTER_QU = _words("""
a ac ach ai am an ang anh ao ap at au ay
ăc ăm ăn ăng ăp ăt
ân âng ât ây
e ec em en eng eo et
ê êch ên ênh êt
i in inh it
ô ôc ôi ôn ông ôt
ơ ơi
y ych yn ynh yt yên yêt ya
""")

_ONSETS = (
    *sorted(
        _words("b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x")
        | _words("bh bl br dl dr đr gl hr j kl km kn kr pl pn pr rv sr z"),  # in names: Krông, Kon Plông, M'Đrắk
        key=len,
        reverse=True,
    ),
    "",
)
_FRONT = frozenset("ieêy")
_BEFORE_FRONT_ONLY = frozenset(("gh", "ngh"))  # k too in common words, but names write Kạn, Kông, Kơi
_NOT_BEFORE_FRONT = frozenset(("c", "ng"))


def _split_tone(word: str) -> tuple[str, int, str] | None:
    """(the word without its tone mark, index of the letter that bore it or -1, the mark); None if not letters."""
    letters: list[str] = []
    tone, where = "", -1
    for char in unicodedata.normalize("NFD", word.casefold()):
        if char in _TONES:
            if tone or not letters or letters[-1][0] not in "aeiouy":
                return None
            tone, where = char, len(letters) - 1
        elif unicodedata.combining(char):
            if not letters:
                return None
            letters[-1] += char
        else:
            letters.append(char)
    bare = [unicodedata.normalize("NFC", letter) for letter in letters]
    if not all(letter in _LETTERS for letter in bare):
        return None
    return "".join(bare), where, tone


def _nucleus(rhyme: str) -> tuple[str, str]:
    end = 0
    while end < len(rhyme) and rhyme[end] in _VOWELS:
        end += 1
    return rhyme[:end], rhyme[end:]


def _tone_positions(vowels: str, final: str) -> set[int]:
    """Where in `vowels` a tone mark may sit."""
    modified = [i for i, v in enumerate(vowels) if v in _MODIFIED]
    if modified:
        return {modified[-1]}
    if final:
        return {len(vowels) - 1}
    if vowels in ("oa", "oe", "uy"):  # hòa and hoà, thùy and thuỳ
        return {0, 1}
    if len(vowels) == 1 or vowels in ("ia", "ua"):
        return {0}
    if vowels == "uya":
        return {1}
    if vowels[-1] in "iouy":  # a diphthong closed by a glide: tài, sáo, kéo, ngoài, khuỷu
        return {len(vowels) - 2}
    return set()


def _fits(onset: str, rest: str, where: int, tone: str) -> bool:
    if not rest:
        return False
    if onset == "qu":
        if rest not in _AFTER_QU:
            return False
    elif rest not in RHYMES:
        return False
    front = rest[0] in _FRONT
    if (onset in _BEFORE_FRONT_ONLY and not front) or (onset in _NOT_BEFORE_FRONT and front):
        return False
    if onset == "g" and rest[0] in "eê":
        return False
    if onset == "gi" and rest[0] == "i":  # gì, gìn, giếng are g + i…
        return False
    vowels, final = _nucleus(rest)
    if not tone:
        return True
    if final in _STOPS and tone not in (_ACUTE, _DOT):
        return False
    return where - len(onset) in _tone_positions(vowels, final)


@lru_cache(maxsize=1 << 16)
def is_syllable(word: str) -> bool:
    """True if `word` (any case, NFC or NFD) can be one Vietnamese syllable."""
    split = _split_tone(word)
    if split is None:
        return False
    bare, where, tone = split
    return any(bare.startswith(onset) and _fits(onset, bare[len(onset) :], where, tone) for onset in _ONSETS)
