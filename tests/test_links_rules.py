"""The matching rules of the links feature without a server: document numbers, the registry's
reading of names, and the pilot-suggestion figures over the labelled samples (also printed by
`congvan pilots evaluate`)."""

from __future__ import annotations

import subprocess

from conftest import PYTHON, ROOT
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from service.links import registry
from service.links.evaluate import evaluate
from service.links.numbers import issuer_prefix, parse_number, symbol_similarity
from service.models import Base


def test_numbers_in_three_shapes_normalised_for_ocr() -> None:
    plain = parse_number("Số: 131/GLI-KDGP")
    assert plain is not None and (plain.num, plain.year) == ("131", None)
    legal = parse_number("30/2020/NĐ-CP")
    assert legal is not None and (legal.num, legal.year, legal.symbol) == ("30", 2020, "NĐ-CP")
    party = parse_number("57-NQ/TW")
    assert party is not None and (party.num, party.symbol) == ("57", "NQ/TW")
    assert parse_number("05/TTHT") is not None and parse_number("05/TTHT").num == "5"  # type: ignore[union-attr]
    assert parse_number("V/v chuyển đổi số") is None
    # `Ð` (U+00D0) read for `Đ`, spaces inside, an `l` read for `I`: the same symbol key.
    assert parse_number("2956 / VTS-\u00d0TTM").symbol_key == parse_number("2956/VTS-ĐTTM").symbol_key  # type: ignore[union-attr]
    assert parse_number("131/GLl-KDGP").symbol_key == plain.symbol_key  # type: ignore[union-attr]
    # One other character still passes; two do not; the numeric part is never fuzzy.
    assert symbol_similarity("GLI-KDGP", "GLI-KDGF") >= 87
    assert symbol_similarity("GLI-KDGP", "GLX-KDXP") < 87
    assert issuer_prefix("VNPT-GL-CNTT") == "VNPT-GL" and issuer_prefix("QĐ-UBND") == "UBND"
    assert issuer_prefix("BC-STTTT") == "STTTT" and issuer_prefix("UBND-KGVX") == "UBND"


def test_registry_reads_aliases_relative_names_and_groups() -> None:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        registry.ensure_seeded(session)
        gia_lai = registry.Context(province="Gia Lai")
        ubnd = registry.find(session, "Ủy ban nhân dân tỉnh Gia Lai")
        assert ubnd is not None and registry.find(session, "UBND tỉnh Gia Lai") is ubnd
        assert registry.find(session, "UBND tỉnh", gia_lai) is ubnd
        assert registry.find(session, "VNPT Gia Lai") is registry.find(session, "Viễn thông Gia Lai")
        stttt = registry.find(session, "Sở Thông tin và Truyền thông", gia_lai)
        assert stttt is not None and stttt.name == "Sở Thông tin và Truyền thông tỉnh Gia Lai"
        assert registry.find(session, "Sở TT&TT tỉnh Gia Lai") is stttt
        assert registry.find(session, "Sở Thông tin và Truyền thông") is None  # which province?
        # A Sở of another province is learned as its own body, never Gia Lai's.
        nghe_an = registry.resolve(session, "Sở Y tế", registry.Context(province="Nghệ An"))
        assert nghe_an is not None and nghe_an.name == "Sở Y tế tỉnh Nghệ An" and nghe_an.origin == "learned"
        assert registry.find(session, "Sở Y tế", gia_lai).name == "Sở Y tế tỉnh Gia Lai"  # type: ignore[union-attr]
        # Group phrases stay groups of their province.
        group = registry.resolve(session, "Các sở, ban, ngành của tỉnh", gia_lai)
        assert group is not None and group.kind == "group"
        assert group.name == "Các sở, ban, ngành của tỉnh Gia Lai"
        learned = registry.resolve(session, "Các cơ quan, đơn vị liên quan", gia_lai)
        assert learned is not None and learned.kind == "group"
        # An OCR slip in a long name still finds the body; a different body is not "the same".
        assert registry.find(session, "Tổng Công ty Giải pháp Doanh nghiệp Vietel") is not None
        viettel = registry.find(session, "Viettel Gia Lai")
        assert registry.same_body(session, ubnd, viettel) is False
        assert registry.same_body(session, ubnd, stttt) is None  # a unit and its parent: no veto
        assert registry.find(session, "Bộ Thông tin và Truyền thông") is not None
        assert registry.close_names("uy ban nhan dan tinh gia lai", "uy ban nhan dan tinh gia lal")
        assert not registry.close_names("uy ban nhan dan tinh ha nam", "uy ban nhan dan tinh ha noi")
        assert not registry.close_names("so thong tin va truyen thong", "bo thong tin va truyen thong")
    engine.dispose()


def test_right_pilot_first_for_at_least_90_percent_and_no_suggestion_for_the_others() -> None:
    report = evaluate()
    assert len(report.concerned) >= 10 and len(report.unconcerned) >= 20
    assert report.hit_rate >= 0.9, [vars(o) for o in report.misses()]
    assert report.clean_rate == 1.0, [vars(o) for o in report.misses()]


def test_evaluate_command_prints_both_figures() -> None:
    out = subprocess.run([PYTHON, "-m", "service.cli", "pilots", "evaluate"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("directives that concern a pilot:") and "right pilot first" in lines[0]
    assert lines[1].startswith("directives that concern none:") and "no suggestion at or above 50" in lines[1]


def test_figures_hold_on_directives_the_pipeline_reads() -> None:
    """The same measure on extracted directives (text-layer PDFs through ingest and extract)."""
    report = evaluate(read=True)
    assert len(report.concerned) >= 10 and report.unaligned <= 3
    assert report.hit_rate >= 0.9, [vars(o) for o in report.misses()]
    assert report.clean_rate == 1.0, [vars(o) for o in report.misses()]


def test_a_solution_named_in_another_province_is_not_its_pilot() -> None:
    from service.links.scoring import THRESHOLD, DirectiveFacts, PilotFacts, score

    pilot = PilotFacts(id=1, solution="Nền tảng giáo dục thông minh", province="gia lai")
    text = "Sở Giáo dục và Đào tạo triển khai thử nghiệm Nền tảng giáo dục thông minh tại 10 trường"
    here = DirectiveFacts(text=text, province="gia lai", letter_text="so giao duc tinh gia lai")
    elsewhere = DirectiveFacts(text=text, province="nghe an", letter_text="so giao duc tinh nghe an")
    visiting = DirectiveFacts(text=text, province="nghe an", letter_text="hoc tap mo hinh cua tinh gia lai")
    assert score(pilot, here).score >= THRESHOLD
    assert score(pilot, elsewhere).score < THRESHOLD
    assert score(pilot, visiting).score >= THRESHOLD  # a letter that names the pilot's province
    other = DirectiveFacts(text="Sở Y tế triển khai Nền tảng y tế thông minh", province="gia lai")
    assert score(pilot, other).score < THRESHOLD  # `y tế` is not `giáo dục`, however alike the names
