"""The evaluator's scoring rules, on label pairs (no OCR): each rule must be able to fail."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from service.evaluate import (
    FIELDS,
    EvalReport,
    LetterScore,
    evaluate,
    failed_letter,
    format_table,
    labelled_files,
    score_items,
    score_letter,
    score_references,
    score_scalar,
    score_signer,
    score_tasks,
)

SEED = Path(__file__).resolve().parents[1] / "samples" / "letters" / "ubnd-gia-lai-2023-08-chuyen-doi-so.json"


@pytest.fixture()
def seed() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


def test_a_label_scores_perfectly_against_itself(seed: dict) -> None:
    result = score_letter(seed, seed)
    assert result.scores == dict.fromkeys(FIELDS, 1.0)
    assert result.diffs == {}


def test_scalars_fold_whitespace_and_nfc_but_keep_case() -> None:
    assert score_scalar("Ủy ban  nhân\ndân", "Ủy ban nhân dân") == 1.0
    assert score_scalar("U\u0309y ban", "Ủy ban") == 1.0  # NFD hook above vs precomposed
    assert score_scalar("ủy ban", "Ủy ban") == 0.0
    assert score_scalar(None, None) == 1.0
    assert score_scalar("", None) == 1.0
    assert score_scalar("2023-08", None) == 0.0


def test_list_fields_score_f1_over_items() -> None:
    gold = ["Như trên", "VNPT Gia Lai", "Viettel Gia Lai", "Lưu: VT, KGVX"]
    assert score_items(gold, gold) == 1.0
    assert score_items([], []) == 1.0
    assert score_items([], gold) == 0.0
    # 3 of 4 found, one extra: precision 3/4, recall 3/4
    assert score_items(["Như trên", "VNPT Gia Lai", "Viettel  Gia Lai", "Lưu: VT"], gold) == pytest.approx(
        0.75
    )
    # duplicates are not counted twice
    assert score_items(["Như trên", "Như trên"], ["Như trên"]) == pytest.approx(2 / 3)


def test_references_match_by_number_and_need_date_and_issuer(seed: dict) -> None:
    gold = seed["references"]
    assert score_references(gold, gold) == 1.0
    wrong_date = copy.deepcopy(gold)
    wrong_date[0]["date"] = "2023-04-15"
    assert score_references(wrong_date, gold) == pytest.approx(0.75)
    reordered = list(reversed(gold))
    assert score_references(reordered, gold) == 1.0
    assert score_references(gold[:2], gold) == pytest.approx(2 * 2 / 6)
    assert score_references([], []) == 1.0
    assert score_references(gold + [{"number": "1/X", "date": None, "issuer": None}], gold) == pytest.approx(
        8 / 9
    )


def test_tasks_need_assignees_deadline_ordinal_and_similar_text(seed: dict) -> None:
    gold = seed["tasks"]
    assert score_tasks(gold, gold) == 1.0
    # a longer text that holds the label's text still matches (labels cut items at different points)
    longer = copy.deepcopy(gold)
    longer[0]["text"] += ", nhằm đẩy mạnh thực hiện chuyển đổi số, nâng cao các chỉ số chuyển đổi số của tỉnh"
    longer[1]["ordinal"] = "2."
    longer[2]["assignees"] = ["Các sở, ban, ngành của tỉnh", "các cơ quan, đơn vị, địa phương liên quan"]
    assert score_tasks(longer, gold) == 1.0


@pytest.mark.parametrize(
    "change",
    [
        {"assignees": ["Tập đoàn VNPT"]},
        {"deadline": "2023-09-30"},
        {"ordinal": "5"},
        {"text": "tổ chức hội nghị"},
    ],
)
def test_a_task_that_differs_in_one_part_does_not_count(seed: dict, change: dict) -> None:
    gold = seed["tasks"]
    bad = copy.deepcopy(gold)
    bad[1] = {**bad[1], **change}
    assert score_tasks(bad, gold) == pytest.approx(2 * 2 / 6)


def test_tasks_are_matched_in_order() -> None:
    a = {"ordinal": "1", "assignees": ["Sở Y tế"], "text": "báo cáo kết quả", "deadline": None}
    b = {"ordinal": "2", "assignees": ["Sở Tài chính"], "text": "bố trí kinh phí", "deadline": None}
    c = {"ordinal": "3", "assignees": ["Công an tỉnh"], "text": "bảo đảm an ninh", "deadline": None}
    assert score_tasks([a, b, c], [a, b, c]) == 1.0
    assert score_tasks([c, b, a], [a, b, c]) == pytest.approx(2 * 1 / 6)
    spurious = {"ordinal": None, "assignees": ["Sở Nội vụ"], "text": "khác", "deadline": None}
    assert score_tasks([a, spurious, b, c], [a, b, c]) == pytest.approx(6 / 7)
    assert score_tasks([], [a]) == 0.0
    assert score_tasks([], []) == 1.0


def test_older_labels_with_one_assignee_string_are_read() -> None:
    old = {"ordinal": "1", "assignee": "Sở Y tế", "text": "báo cáo kết quả", "deadline": None}
    new = {"ordinal": "1", "assignees": ["Sở Y tế"], "text": "báo cáo kết quả", "deadline": None}
    assert score_tasks([new], [old]) == 1.0


def test_signer_is_the_mean_of_authority_position_and_name(seed: dict) -> None:
    gold = seed["signer"]
    assert score_signer(gold, gold) == 1.0
    assert score_signer({**gold, "name": "Nguyễn Thị Thanh Lich"}, gold) == pytest.approx(2 / 3)
    assert score_signer(None, gold) == 0.0
    assert score_signer(None, None) == 1.0
    assert score_signer({"authority": None, "position": None, "name": None}, None) == 1.0


def test_score_letter_reports_what_differed(seed: dict) -> None:
    got = copy.deepcopy(seed)
    got["date"] = "2023-08-21"
    got["recipients"] = got["recipients"][:2]
    result = score_letter(got, seed, name="seed.pdf")
    assert result.scores["date"] == 0.0
    assert result.scores["recipients"] == pytest.approx(2 * 2 / 6)
    assert set(result.diffs) == {"date", "recipients"}
    assert result.diffs["date"] == {"expected": "2023-08", "got": "2023-08-21"}


def test_score_letter_accepts_a_pydantic_letter(seed: dict) -> None:
    from extract.model import Letter

    letter = Letter.model_validate({**seed, "source": {"sha256": "0" * 64, "pages": 2}})
    result = score_letter(letter, seed)
    assert result.mean == 1.0
    assert result.pages == 2


def test_report_accuracy_is_the_mean_over_letters_and_the_table_shows_it(seed: dict) -> None:
    good = score_letter(seed, seed, name="a.pdf")
    half = LetterScore(name="b.pdf", scores={**dict.fromkeys(FIELDS, 1.0), "tasks": 0.5})
    broken = failed_letter("c.pdf", "DamagedFile: cannot decode")
    report = EvalReport(letters=[good, half, broken])
    assert report.accuracy("tasks") == pytest.approx(0.5)
    assert report.accuracy("number") == pytest.approx(2 / 3)
    assert report.perfect("tasks") == 1
    table = format_table(report)
    assert "| tasks | 50.0% | 1/3 |" in table
    assert "| number | 66.7% | 2/3 |" in table
    assert "c.pdf: DamagedFile: cannot decode" in table
    assert report.to_dict()["details"][2]["error"] == "DamagedFile: cannot decode"


def test_evaluate_scores_unreadable_files_as_errors_without_raising(tmp_path: Path, seed: dict) -> None:
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    (tmp_path / "junk.json").write_text(json.dumps(seed), encoding="utf-8")
    (tmp_path / "unlabelled.png").write_bytes(b"\x89PNG")
    seen: list[str] = []
    report = evaluate(tmp_path, on_letter=lambda s: seen.append(s.name))
    assert [s.name for s in report.letters] == ["junk.pdf"] == seen
    assert report.letters[0].error
    assert report.accuracy("number") == 0.0


def test_labelled_files_refuses_a_missing_directory(tmp_path: Path) -> None:
    from ingest.errors import CongvanError

    with pytest.raises(CongvanError):
        labelled_files(tmp_path / "nope")


def test_evaluate_in_a_process_pool_keeps_the_file_order(tmp_path: Path, seed: dict) -> None:
    for name in ("b", "a", "c"):
        (tmp_path / f"{name}.png").write_bytes(b"not an image")
        (tmp_path / f"{name}.json").write_text(json.dumps(seed), encoding="utf-8")
    seen: list[str] = []
    report = evaluate(tmp_path, on_letter=lambda s: seen.append(s.name), jobs=2)
    assert [s.name for s in report.letters] == ["a.png", "b.png", "c.png"]
    assert sorted(seen) == ["a.png", "b.png", "c.png"]
    assert all(s.error for s in report.letters)


def test_evaluate_runs_the_real_pipeline_on_a_shipped_text_layer_pdf() -> None:
    """End to end without OCR: the born-digital report in samples/scans is read from its text layer."""
    path = (
        Path(__file__).resolve().parents[1]
        / "samples"
        / "scans"
        / "stttt-gia-lai-2023-bao-cao-thu-nghiem.pdf"
    )
    report = evaluate(path.parent, files=[path])
    (result,) = report.letters
    assert result.error is None
    assert result.pages == 2
    assert {f: result.scores[f] for f in ("number", "symbol", "doc_type", "date")} == dict.fromkeys(
        ("number", "symbol", "doc_type", "date"), 1.0
    ), result.diffs
