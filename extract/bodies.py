"""Recognising the bodies (cơ quan, đơn vị, tổ chức) a letter names, and lists of them.

Vietnamese administrative names follow a closed grammar: a head (an organisation type
`Sở`, `Bộ`, `Ủy ban nhân dân`, `Tập đoàn` ...; a post `Giám đốc`, `Chủ tịch`, `Thủ trưởng` ...;
or a plural group `các sở, ban, ngành`, `các cơ quan, đơn vị`) and a tail of capitalised
words (`Thông tin và Truyền thông`) and administrative nouns (`tỉnh`, `các huyện, thị xã`).
Lists of bodies are joined by `,`, `;` and `và`; a separator starts a new body only when
what follows opens a new head (`; Giám đốc ...`, `, các tổ chức ...`, `và Tập đoàn ...`),
not inside an enumeration (`các sở, ban, ngành`) or a compound name (`Sở Thông tin và
Truyền thông`). The list ends at the predicate: the first verb that is not part of a name.

All matching runs on folded text (`fold` keeps offsets), so OCR's lost diacritics still match.
The scanner walks syllables (a regex, cheap) and matches the multi-syllable words it knows as
phrases (`cơ quan`, `chịu trách nhiệm`); for a lower-case word it does not know, underthesea's
POS tagger, on a short window, says whether it is a verb (the predicate starts) or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .fuzzy import fold
from .nlp import Token, folded_text, syllables, tagged

# Posts whose holder is asked to act (`Giám đốc Sở Tài chính`): the head of a body.
_POSTS = (
    r"(?:pho\s+)?(?:tong\s+)?(?:giam\s*doc|chu\s*tich|thu\s*truong|chanh\s+van\s+phong|chanh\s+thanh\s+tra"
    r"|cuc\s+truong|vu\s+truong|vien\s+truong|hieu\s+truong|bi\s+thu|bo\s+truong|thu\s+tuong"
    r"|chi\s+huy\s+truong|truong\s+ban|truong\s+phong|truong|nguoi\s+dung\s+dau|lanh\s+dao|chu\s+nhiem)"
)
POST = re.compile(_POSTS)
_BARE_POSTS = re.compile(rf"{_POSTS}(?:\s*[,;]?\s*(?:va\s+)?{_POSTS})*\s*")

# `các` + a noun that names a group of bodies.
_GROUP_NOUNS = (
    r"so|bo|ban|nganh|co\s+quan|don\s+vi|to\s+chuc|ca\s+nhan|dia\s+phuong|doanh\s+nghiep|ho|huyen|quan"
    r"|xa|phuong|thi\s+xa|thanh\s+pho|truong|hoi|doan\s+the|tap\s+doan|tong\s+cong\s+ty|cong\s+ty"
    r"|ngan\s+hang|cuc|vu|vien|phong|uy\s+ban|ubnd|thanh\s+vien|chu\s+dau\s+tu|co\s+so|luc\s+luong"
    r"|chi\s+cuc|trung\s+tam|hiep\s+hoi|benh\s+vien|dai|bao|chi\s+nhanh|tinh|nha\s+mang|nha\s+cung\s+cap|ong|ba|dong\s+chi|can\s+bo|cong\s+chuc|vien\s+chuc|thanh\s+vien"
)
# (`\.?`: OCR reads a speck after a syllable as a dot, `các cơ. quan`.)
_SPECKED_GROUP_NOUNS = _GROUP_NOUNS.replace(r"\s+", r"\.?\s+")
_GROUP = re.compile(r"cac\.?\s+(?:" + _SPECKED_GROUP_NOUNS + r")\b")

# Organisation types, by what must follow the type word for it to name a body:
# 0 nothing (`Ủy ban nhân dân`, `Chính phủ`, `VNPT`); 1 a capitalised word or an administrative
# level (`Công an tỉnh`, `Văn phòng UBND`); 2 a capitalised word (`Sở Tài chính`, not `sở` the
# common noun; `Ban Quản lý`, not `Ban, Ngành`; `Trung tâm Giám sát`, not `Trung tâm giám sát`,
# which the decree's capitalisation rule marks as a common noun).
_ORGS: tuple[tuple[str, int], ...] = (
    (r"uy\s*ban\s+nhan\s+dan|ubnd|hdnd|ub\s*mttq|uy\s*ban\s+mat\s+tran|hoi\s+dong\s+nhan\s+dan", 0),
    (
        r"to\s+cong\s+tac|to\s+giup\s+viec|doan\s+kiem\s+tra|doan\s+cong\s+tac|ban\s+chi\s+dao|ban\s+to\s+chuc",
        0,
    ),
    (r"chinh\s+phu|quoc\s+hoi|tinh\s+uy|thanh\s+uy|huyen\s+uy|vnpt|viettel|mobifone|evn", 0),
    (r"van\s+phong|cong\s+an|thanh\s+tra|kho\s+bac|bao\s+hiem\s+xa\s+hoi|dang\s+uy|bo\s+chi\s+huy", 1),
    (r"tap\s+doan|tong\s+cong\s+ty|cong\s+ty|ngan\s+hang|bo\s+tu\s+lenh|mat\s+tran|lien\s+doan", 2),
    (r"lien\s+minh|hoc\s+vien|benh\s+vien|trung\s+tam|vien\s+thong|tong\s+cuc|chi\s+cuc|toa\s+an", 2),
    (r"kiem\s+toan|quy\s+(?:co\s+quan|don\s+vi|cong\s+ty|so|bo|uy\s+ban|ubnd)", 2),
    (r"so|bo|ban|hoi|doan|vu|cuc|phong|quy|truong|dai|bao|vien|chi\s+nhanh", 2),
)
_ORG = [(re.compile(rf"(?:{pat})\b"), need) for pat, need in _ORGS]
_LEVELS = re.compile(r"\s+(?:tinh|thanh\s+pho|huyen|quan|xa|phuong|thi\s+xa|nha\s+nuoc|trung\s+uong|cac)\b")

# Nouns that continue an enumeration after a comma without opening a new body
# (`các sở, ban, ngành`; `các cơ quan, tổ chức, cá nhân`; `các huyện, thị xã, thành phố`).
ENUM_NOUNS = frozenset(
    fold(w)
    for w in (
        "sở",
        "ban",
        "ngành",
        "cơ quan",
        "đơn vị",
        "địa phương",
        "tổ chức",
        "cá nhân",
        "doanh nghiệp",
        "huyện",
        "quận",
        "xã",
        "phường",
        "thị xã",
        "thị trấn",
        "thành phố",
        "tỉnh",
        "đoàn thể",
        "hội",
        "trường",
        "hộ gia đình",
        "bà",
        "công ty",
        "bộ",
        "cơ sở",
        "lực lượng",
        "chi nhánh",
        "hiệp hội",
    )
)

# Lower-case words found inside names (`Ủy ban nhân dân tỉnh`, `các sở ... của tỉnh`,
# `đơn vị trực thuộc`, `có liên quan`): the list goes on through them.
BODY_WORDS = frozenset(
    fold(w)
    for w in (
        "nhân dân",
        "ban nhân dân",
        "nhân",
        "dân",
        "tỉnh",
        "thành phố",
        "huyện",
        "quận",
        "xã",
        "phường",
        "thị xã",
        "thị trấn",
        "các",
        "của",
        "thuộc",
        "trực thuộc",
        "liên quan",
        "có liên quan",
        "cấp",
        "cấp tỉnh",
        "cấp huyện",
        "cấp xã",
        "trên",
        "địa bàn",
        "trung ương",
        "ban",
        "ngành",
        "sở",
        "cơ quan",
        "đơn vị",
        "địa phương",
        "tổ chức",
        "cá nhân",
        "doanh nghiệp",
        "hộ",
        "gia đình",
        "hộ gia đình",
        "viễn thông",
        "nhà nước",
        "thành viên",
        "chuyên môn",
        "nghiệp vụ",
        "và",
        "văn phòng",
        "chủ đầu tư",
        "tư nhân",
        "công lập",
        "ngoài",
        "quốc doanh",
        "chức năng",
        "tp",
        "đoàn thể",
        "chính trị",
        "xã hội",
        "khu vực",
        "tập đoàn",
        "công ty",
        "tổng công ty",
        "bộ",
    )
)

_BODY_WORD = re.compile(
    "(?:"
    + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(BODY_WORDS, key=len, reverse=True))
    + r")\b"
)

# Verbs that open the predicate of a directive (folded): who must act does *this*.
_PREDICATES = (
    r"chiu\s+trach\s+nhiem|co\s+trach\s+nhiem|co\s+nhiem\s+vu|co\s+y\s+kien|chu\s+tri|phoi\s+hop|chi\s+dao|nghien\s+cuu"
    r"|trien\s+khai|to\s+chuc\s+(?:thuc|trien|kiem|danh|tong|hop|lam)|thuc\s+hien|kiem\s+tra|huong\s+dan"
    r"|bao\s+cao|ra\s+soat|tham\s+muu|theo\s+doi|don\s+doc|xay\s+dung|can\s+cu|khan\s+truong|chu\s+dong"
    r"|tiep\s+tuc|quan\s+tam|bo\s+tri|cung\s+cap|dam\s+bao|bao\s+dam|xem\s+xet|giai\s+quyet|tang\s+cuong"
    r"|tong\s+hop|de\s+xuat|lam\s+viec|tiep\s+nhan|cap\s+nhat|thong\s+bao|treo|thi\s+hanh|ho\s+tro"
    r"|tuyen\s+truyen|gui|nop|hoan\s+thanh|hoan\s+thien|thong\s+nhat|tap\s+trung|can\b|phai|duoc|da\b|se\b"
    r"|nhan\s+duoc|la\b|ban\s+hanh|phe\s+duyet|lien\s+he|tham\s+gia|co\s+van\s+ban|co\s+y|co\b|chuan\s+bi"
    r"|nghiem\s+tuc|khong|uu\s+tien|phan\s+cong|danh\s+gia|giam\s+sat|quan\s+ly|xu\s+ly|chap\s+hanh"
    r"|kinh\s+(?:bao\s+cao|gui|de\s+xuat)|rut\s+kinh\s+nghiem|cho\s+phep|dua|lap|cu|tham\s+du|lua\s+chon"
    r"|mo\s+rong|nang\s+cap|tham\s+dinh|tiep\s+thu|tra\s+loi|giai\s+trinh|lam\s+ro|pho\s+bien|quan\s+triet"
    r"|chan\s+chinh|xac\s+minh|thong\s+ke|dang\s+ky|van\s+hanh|duy\s+tri|khac\s+phuc|hoan\s+tat|gop\s+y"
    r"|cho\s+y\s+kien|lay\s+y\s+kien|day\s+manh|phat\s+huy|van\s+dong|nhac\s+nho|sap\s+xep|chuyen"
    r"|thanh\s+toan|quyet\s+toan|phan\s+bo|tap\s+huan|boi\s+duong|huy\s+dong|ket\s+noi|tich\s+hop|dieu\s+chinh|sua\s+doi|bo\s+sung|kip\s+thoi|chiu|tao\s+dieu\s+kien|hop\s+tac"
)
# A directive verb after a body ends its name too (`UBND thành phố kính trình ...`).
_TRIGGERS = (
    r"|kinh\s+trinh|trinh(?!\s+do)|kinh\s+de\s+nghi|de\s+nghi|yeu\s+cau"
    r"|giao(?!\s+(?:duc|thong|dich|luu|ban|nhan|tiep|hang|dat|duc|quyen|thoa|ket))"
)
PREDICATE = re.compile(rf"(?:{_PREDICATES}{_TRIGGERS})\b")
_BODY_PHRASES = re.compile(
    r"(?:co\s+lien\s+quan|lien\s+quan|truc\s+thuoc|thuoc|cung\s+cap\s+dich\s+vu"
    r"|co\s+ten(?:\s+(?:tai|o)\s+\w+(?:\s+\d+)?)?)\b"
)


# Compared in lower case with diacritics: folded, `từ` (from) would stop `Đầu tư`.
_LIST_STOP = frozenset(
    w
    for w in (
        "việc",
        "về",
        "tại",
        "theo",
        "trong",
        "với",
        "để",
        "cho",
        "nhằm",
        "là",
        "như",
        "đối với",
        "qua",
        "từ",
        "đến",
    )
)


# The office serving two bodies at once (`Văn phòng HĐND và UBND huyện`,
# `Văn phòng Đoàn ĐBQH và HĐND tỉnh`): its `và` joins the two bodies it serves, not two bodies.
_JOINT_OFFICE = re.compile(
    r"van\s+phong\s+(?:hdnd|hoi\s+dong\s+nhan\s+dan|doan\s+dbqh|doan\s+dai\s+bieu\s+quoc\s+hoi)"
)


def head_at(text: str, pos: int, folded: str | None = None) -> int | None:
    """End offset of a body head starting at `pos` (a post, a group, an organisation type), or None."""
    f = folded_text(text) if folded is None else folded
    if pos >= len(f) or not f[pos].isalpha():
        return None
    if pos > 0 and f[pos - 1].isalnum():
        return None
    m = POST.match(f, pos)
    if m:
        return m.end()
    m = _GROUP.match(f, pos)
    if m:
        return m.end()
    for pat, need in _ORG:
        m = pat.match(f, pos)
        if not m:
            continue
        if not text[pos].isupper():
            continue  # `sở`, `ban`, `văn phòng` in lower case are common nouns
        if need:
            nxt = re.match(r"\s+(\S)", text[m.end() : m.end() + 4])
            capital = bool(nxt) and (nxt.group(1).isupper() or nxt.group(1).isdigit())  # type: ignore[union-attr]
            if not capital and not (need == 1 and _LEVELS.match(f, m.end())):
                continue
        return m.end()
    return None


def bare_post(text: str) -> bool:
    """`Giám đốc`, `Giám đốc, Thủ trưởng`: a post with no body yet (the list goes on)."""
    return _BARE_POSTS.fullmatch(fold(text).strip(" ,;")) is not None


@dataclass
class BodyList:
    """Bodies named from `start`: spans into the text, where the list ended, and where the
    predicate (the verb the bodies are subject or object of) starts, if one was found."""

    bodies: list[tuple[int, int]] = field(default_factory=list)
    end: int = 0
    predicate: int | None = None
    strong: bool = False  # the predicate is a known directive verb, not only a POS guess

    def texts(self, text: str) -> list[str]:
        return [clean(text[s:e]) for s, e in self.bodies]


def clean(name: str) -> str:
    """One line, single spaces, no list punctuation at either end, OCR slips of the head words
    repaired (`Tống Công ty` → `Tổng Công ty`, `và-Doanh` → `và Doanh`, `cơ. quan` → `cơ quan`)."""
    out = " ".join(name.split())
    out = re.sub(r"(?<=\w)\. \.(?=\w)", " ", out)  # `Thủ. .tướng`: specks either side of a line break
    out = re.sub(r"(?<=[a-zà-ỹđ])\.(?= [a-zà-ỹđ])|(?<=[:;,])\.(?= )", "", out)
    out = re.sub(r"(?<=\b[a-zà-ỹđ]{2})-(?=[A-ZÀ-ỸĐ])", " ", out)
    return canonical_heads(out.strip(" ,;:-–").rstrip(".").strip())


# Head words of names as the decree spells them: OCR that loses or swaps a tone mark on them
# (`Tống Công ty`, `Uỷ ban nhân dân`, `Giam đốc`) is put right; the folded letters must agree.
# (Not `Trường`: folded it is `Trưởng` too.)
_CANONICAL = (
    "Tổng Công ty", "Công ty", "Tập đoàn", "Ủy ban nhân dân", "Hội đồng nhân dân", "Văn phòng", "Sở", "Bộ",
    "Trung tâm", "Viễn thông", "Giám đốc", "Phó Giám đốc", "Chủ tịch", "Phó Chủ tịch", "Thủ trưởng",
    "Chánh Văn phòng", "Tổng cục", "Chi cục", "Cục", "Ban Chỉ đạo", "Ban Quản lý", "Ngân hàng", "Kho bạc",
    "Bệnh viện", "Học viện", "Công an", "Bộ Chỉ huy", "Thành ủy", "Tỉnh ủy", "Huyện ủy",
)  # fmt: skip
_CANONICAL_FOLDED = sorted(((fold(c), c) for c in _CANONICAL), key=lambda p: -len(p[0]))


def canonical_heads(name: str) -> str:
    folded = fold(name)
    for key, canon in _CANONICAL_FOLDED:
        if folded.startswith(key) and (len(folded) == len(key) or not folded[len(key)].isalnum()):
            head = name[: len(key)]
            # The canon's letters with the printed case (`Tống công ty` → `Tổng công ty`).
            fixed = "".join(c.upper() if p.isupper() else c.lower() for c, p in zip(canon, head, strict=True))
            return fixed + name[len(key) :]
    return name


def parse_list(text: str, start: int, stop: int | None = None) -> BodyList:
    """The bodies listed from `start` (which must open a head) up to the predicate."""
    stop = len(text) if stop is None else stop
    folded = folded_text(text)
    head_end = head_at(text, start, folded)
    if head_end is None or head_end > stop:
        return BodyList(end=start)
    # Syllables, not segmented words: a regex is ~100x cheaper than the segmenter, and the
    # multi-syllable words that matter (`cơ quan`, `chịu trách nhiệm`) are matched as phrases.
    tokens = syllables(text, start, min(stop, start + 400))
    result = BodyList()
    cur, last = start, head_end
    i = 0
    n = len(tokens)

    def skip_to(offset: int) -> int:
        j = 0
        while j < n and tokens[j].start < offset:
            j += 1
        return j

    def extend(offset: int) -> int:
        # The segmenter may fuse a head with the name after it (`Viettel Gia Lai` is one word).
        for tok in tokens:
            if tok.start < offset < tok.end:
                return tok.end
        return offset

    def prev_glued(j: int) -> bool:
        return j > 0 and tokens[j - 1].end == tokens[j].start and tokens[j - 1].text[:1].isalpha()

    def close() -> None:
        if last > cur:
            result.bodies.append((cur, last))

    last = extend(head_end)
    head_of_body = last
    i = skip_to(head_end)
    guard = 0
    while i < n and guard < 120:
        guard += 1
        tok = tokens[i]
        f = folded[tok.start : tok.end]
        nxt = tokens[i + 1] if i + 1 < n else None
        if tok.text in (",", ";"):
            if nxt is None:
                break
            h = head_at(text, nxt.start, folded)
            if h is not None and not bare_post(text[cur:last]):
                close()
                cur, last = nxt.start, extend(h)
                head_of_body = last
                i = skip_to(h)
                continue
            if tok.text == "," and (
                h is not None
                or nxt.capitalised
                or _enum_at(folded, nxt.start)
                or (_group(folded, cur, last) and _plain_noun(nxt, folded))
            ):
                i += 1
                continue
            break
        if tok.text == ":" and nxt is not None and nxt.text == "." and i + 2 < n:
            nxt = tokens[i + 2]  # `các Bộ:. Công an`: a speck after the colon
            i += 1
        if tok.text == ":":
            # `các Bộ: Công an, Tư pháp` is one body; `Sở X:` before a task list ends the list.
            if nxt is not None and nxt.capitalised and re.search(r"\bcac\s+\w+\s*$", folded[cur : tok.start]):
                i += 1
                continue
            break
        if f == "va":
            if nxt is None:
                break
            h = head_at(text, nxt.start, folded)
            if (
                h is not None
                and not bare_post(text[cur:last])
                and not _JOINT_OFFICE.fullmatch(folded[cur:last])
                and (nxt.capitalised or folded[nxt.start :].startswith("cac "))
            ):
                close()
                cur, last = nxt.start, extend(h)
                head_of_body = last
                i = skip_to(h)
                continue
            if nxt.capitalised or _enum_at(folded, nxt.start):
                i += 1
                continue
            break
        if tok.text == "(":
            close_at = text.find(")", tok.end, min(stop, tok.end + 40))
            inner = text[tok.end : close_at] if close_at > 0 else ""
            if inner.strip()[:1].isupper() and len(inner.split()) <= 4:
                last = close_at + 1
                i = skip_to(last)
                continue
            break
        if tok.text in ("-", "–", "&"):
            if nxt is not None and nxt.capitalised:
                i += 1
                continue
            break
        if tok.capitalised or tok.text[:1].isdigit():
            last = tok.end
            i += 1
            continue
        if tok.text == "." and prev_glued(i) and nxt is not None and nxt.text[:1].islower():
            i += 1  # a speck OCR read as a dot inside a name (`các cơ. quan`)
            continue
        if not tok.text[:1].isalpha():
            break
        if tok.text.lower() in _LIST_STOP or folded.startswith("doi voi", tok.start):
            break  # `việc`, `về`, `tại` ... open a complement, never a name or a predicate
        m = _BODY_PHRASES.match(folded, tok.start)
        if m:
            last = m.end()
            i = skip_to(m.end())
            continue
        prev = tokens[i - 1] if i else None
        after_list_mark = prev is None or prev.text in (",", ";") or prev.folded in ("cac", "va", "cua")
        if folded.startswith("to chuc", tok.start) and not after_list_mark:
            result.predicate, result.strong = tok.start, True  # `Cục X tổ chức thẩm định`: a verb here
            break
        body_word = _BODY_WORD.match(folded, tok.start)
        verb = PREDICATE.match(folded, tok.start)
        if verb and (body_word is None or verb.end() > body_word.end()):
            result.predicate, result.strong = tok.start, True
            break
        if body_word:
            last = body_word.end()
            i = skip_to(last)
            continue
        if _glued_name(tok.text) or (
            prev is not None and _second_syllable(prev, tok, f) and prev.end + 1 == tok.start
        ):
            last = tok.end  # `Thông tin`, `Xây dựng`: the second syllable of a capitalised word
            i += 1
            continue
        if (
            _is_verb(text, tok, prev)
            and not _more_bodies_ahead(text, folded, tok.end, stop)
            and not (folded.startswith("cac ", cur) and _strong_soon(tokens, i + 1, folded))
        ):
            result.predicate = tok.start
            break
        if not _describes(text, folded, cur, last, head_of_body):
            result.predicate = tok.start  # after a bare head, an unknown word opens the predicate
            break  # (`Tổ công tác tự giải thể`)
        last = tok.end  # an unknown noun inside a name (`các hộ gia đình`, `Cục Chuyển đổi số quốc gia`)
        i += 1
    close()
    result.end = last
    return result


def _group(folded: str, cur: int, last: int) -> bool:
    return re.search(r"(?:^|\s)cac(?:\s|$)", folded[cur:last]) is not None


def _plain_noun(tok: Token, folded: str) -> bool:
    """A lower-case word that may go on a group's enumeration (`các thôn, làng, tổ dân phố`)."""
    return (
        tok.text[:1].isalpha()
        and tok.text.lower() not in _LIST_STOP
        and PREDICATE.match(folded, tok.start) is None
        and not folded.startswith("to chuc", tok.start)
    )


def _describes(text: str, folded: str, cur: int, last: int, head_end: int) -> bool:
    """May lower-case words go on describing this body? Yes for a group (`các hộ gia đình`) and
    for a proper name already under way (`Cục Chuyển đổi số quốc gia`); not right after a bare
    head (`Tổ công tác tự giải thể`: `tự` is the predicate's adverb)."""
    if re.search(r"(?:^|\s)cac(?:\s|$)", folded[cur:last]) or bare_post(text[cur:last]):
        return True
    return any(w[:1].isupper() for w in text[head_end:last].split())


def _strong_soon(tokens: list[Token], j: int, folded: str) -> bool:
    """A known directive verb a few words on, before any punctuation: the POS verb before it is
    part of the name (`các trung tâm giáo dục thường xuyên tỉnh chuẩn bị ...`)."""
    for tok in tokens[j : j + 6]:
        if not tok.text[:1].isalnum():
            return False
        if PREDICATE.match(folded, tok.start) and folded[tok.start : tok.end] not in BODY_WORDS:
            return True
    return False


def _enum_at(folded: str, pos: int) -> bool:
    return any(
        folded.startswith(w, pos) and not folded[pos + len(w) : pos + len(w) + 1].isalnum()
        for w in ENUM_NOUNS
    )


def _glued_name(word: str) -> bool:
    # OCR glues words (`vàTruyền`, `Giám đốcSở`): a capital inside a word belongs to a name.
    return any(c.isupper() for c in word[1:])


def _more_bodies_ahead(text: str, folded: str, pos: int, stop: int) -> bool:
    """A verb inside a name (`các doanh nghiệp cung cấp dịch vụ, các tổ chức ...`) is followed by
    another body of the same list before any directive verb."""
    window_end = min(stop, pos + 160)
    for m in re.finditer(r"[,;]\s*", folded[pos:window_end]):
        at = pos + m.end()
        if PREDICATE.match(folded, pos) and PREDICATE.match(folded, pos).start() < at:  # type: ignore[union-attr]
            return False
        between = folded[pos : pos + m.start()]
        if PREDICATE.search(between):
            return False
        if head_at(text, at, folded) is not None:
            return True
    return False


def _is_verb(text: str, tok: Token, prev: Token | None = None) -> bool:
    """POS-tag the syllable with one before and three after: the tagger segments words itself and
    its features look two words either side, and a short window keeps it cheap (and cached across
    letters, which share their vocabulary). A syllable the tagger joins to the one before
    (`trung | học` → `trung học`) is inside a word, not a verb of its own."""
    begin = prev.start if prev is not None and prev.text[:1].isalpha() else tok.start
    after = re.match(r"(?:\s*\S+){1,4}", text[tok.start : tok.start + 40])
    stop = tok.start + (after.end() if after else len(tok.text))
    window = " ".join(text[begin:stop].split())
    offset = len(" ".join(text[begin : tok.start].split())) + (1 if begin < tok.start else 0)
    for word, tag, start in _tags(window):
        if start <= offset < start + len(word):
            return tag == "V" and start == offset
    return False


@lru_cache(maxsize=4096)
def _tags(window: str) -> tuple[tuple[str, str, int], ...]:
    return tuple((t.text, t.tag, t.start) for t in tagged(window))


def _speck_at(text: str, tok: Token) -> bool:
    """A dot with a line break next to it and a lower-case word after: OCR noise in a name."""
    around = text[max(0, tok.start - 3) : tok.end + 4]
    after = re.match(r"[\s.]*([^\s.])", text[tok.end : tok.end + 6])
    return "\n" in around and after is not None and after.group(1).islower()


def name_end(text: str, start: int, stop: int | None = None) -> int:
    """End of an organisation name starting at `start` (`Viettel Gia Lai` in
    `Viettel Gia Lai về việc ...`): capitalised words, connectors between them and the
    administrative nouns names carry (`Ủy ban nhân dân tỉnh`, `UBND Thành phố`)."""
    stop = len(text) if stop is None else stop
    folded = folded_text(text)
    # Specks OCR reads at a line break inside a name (`Viễn ..\nthông`, `Thủ.\n.tướng`) are skipped.
    tokens = [
        t
        for t in syllables(text, start, min(stop, start + 200))
        if not (t.text == "." and _speck_at(text, t))
    ]
    last = start
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        f = folded[tok.start : tok.end]
        if tok.capitalised or tok.text[:1].isdigit() or _glued_name(tok.text):
            last = tok.end
        elif f in ("va", "-", "–", "&") and nxt is not None and nxt.capitalised and last > start:
            continue
        elif last > start and (
            (f in _NAME_LOWER and (f != "ban" or folded.startswith("ban nhan", tok.start)))
            or (i > 0 and _second_syllable(tokens[i - 1], tok, f))
        ):
            last = tok.end
        elif tok.text == "(" and last > start:
            close_at = text.find(")", tok.end, min(stop, tok.end + 30))
            inner = text[tok.end : close_at] if close_at > 0 else ""
            if not (inner.strip()[:1].isupper() and len(inner.split()) <= 3):
                break
            last = close_at + 1
            break
        else:
            break
    return _committee_field(text, start, last, min(stop, last + 120)) if last > start else last


# Syllables of the administrative nouns a name carries in lower case.
_NAME_LOWER = frozenset(
    ("ban", "nhan", "dan", "tinh", "thanh", "pho", "huyen", "quan", "xa", "phuong", "thi", "tran")
)


# Function words that never finish a name's compound word (`Viettel về việc`, `Sở Xây dựng tại`).
_STOP = frozenset(
    w
    for w in (
        "về", "tại", "theo", "của", "quy", "ban", "đã", "đề", "hướng", "phê", "việc", "và", "với", "số",
        "ngày", "trong", "đối", "trên", "cho", "để", "nêu", "kèm", "xin", "thực", "triển", "chỉ", "có", "là",
        "được", "gửi", "tới", "đến", "từ", "nhằm", "như", "sau", "này", "đó", "các", "những", "thì", "mà",
        "khi", "do", "bởi", "hoặc", "hay", "nhưng", "vì", "năm", "tháng", "lần", "thứ", "kỳ", "ra", "vào",
    )
)  # fmt: skip


def _second_syllable(prev: Token, tok: Token, folded: str) -> bool:
    """OCR and the segmenter sometimes split a capitalised compound (`Viễn | thông`): a single
    lower-case syllable right after a single capitalised syllable completes it, unless it is a
    function word."""
    return (
        " " not in tok.text
        and " " not in prev.text
        and (prev.capitalised or _glued_name(prev.text))
        and tok.text.isalpha()
        and tok.text.lower() not in _STOP
    )


# A steering committee or council is named by its field: `Ban Chỉ đạo quốc gia về phòng, chống
# thiên tai`, `Hội đồng tỉnh về ...` (`phòng, chống` is one compound, not a list).
_COMMITTEE = re.compile(r"(?:ban\s+chi\s+dao|hoi\s+dong|uy\s+ban\s+quoc\s+gia|to\s+cong\s+tac)\b")
_FIELD = re.compile(
    r"(?:\s+(?:quốc\s+gia|tỉnh|thành\s+phố|huyện|trung\s+ương))?\s+về\s+(?!việc\b)"
    r"(?:phòng,\s*chống\s+)?[^\W\d]+(?:\s+[^\W\d]+){0,6}?(?=\s*[,;.:(]|\s+(?:về|tại|ngày|theo)\b|\s*$)"
)


def _committee_field(text: str, start: int, end: int, stop: int) -> int:
    if not _COMMITTEE.match(folded_text(text), start):
        return end
    lower = text.lower()  # the field's words are printed in lower case, diacritics tell `tai` from `tại`
    m = _FIELD.match(lower, end, stop) if len(lower) == len(text) else None
    return m.end() if m else end


def strip_post(name: str) -> str:
    """`Giám đốc Sở Thông tin và Truyền thông` → `Sở Thông tin và Truyền thông`: the body a post
    heads (a citation's issuer is the body, not its head). `Thủ tướng Chính phủ` stays."""
    f = fold(name)
    m = re.match(r"(?:pho\s+)?(?:giam\s*doc|chu\s*tich|thu\s*truong|chanh\s+van\s+phong|truong\s+ban)\s*", f)
    if m and m.end() < len(name) and head_at(name, m.end()) is not None:
        return name[m.end() :]
    return name
