"""Links over HTTP against a real server: the citation graph (any ingest order, OCR slips,
other years), the registry of bodies, pilot records with suggestions and decisions, the
trace of a task and the graph picture; plus the suggestion figures over the labelled samples."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, Server, wait_job

from samples.generate import render_pdf

LETTERS = ROOT / "samples" / "letters"
SEED = "ubnd-gia-lai-2023-2085"  # the seed letter as registered: 2085/UBND-KGVX, 21/8/2023
CITED = ("viettel-vts-2023-2956", "viettel-gia-lai-2023-131", "vnpt-gia-lai-2023-980",
         "vnpt-gia-lai-2023-1294")
FOLLOW_UP = "stttt-gia-lai-2023-bao-cao-thu-nghiem"  # 418/BC-STTTT, cites 2085/UBND-KGVX
CITED_NUMBERS = ["2956/VTS-ĐTTM", "131/GLI-KDGP", "980/VNPT-GL-CNTT", "1294/VNPT-GL-CNTT"]


def ingest(server: Server, source: Path | str) -> int:
    """Upload a text-layer PDF of a letter source, wait for its job; the letter id."""
    path = Path(source) if isinstance(source, Path) else LETTERS / f"{source}.txt"
    pdf = render_pdf(path)
    with server.client("clerk") as clerk:
        r = clerk.post("/api/letters", files=[("files", (f"{path.stem}.pdf", pdf, "application/pdf"))])
        assert r.status_code == 202, r.text
        job = wait_job(clerk, r.json()[0]["job"])
    assert job["state"] == "done", job
    return int(job["letter"])  # type: ignore[call-overload]


def first_directive(client: httpx.Client, letter_id: int) -> dict:
    listing = client.get("/api/directives", params={"letter": letter_id}).json()
    assert listing["items"], f"letter {letter_id} has no directives"
    return min(listing["items"], key=lambda d: d["id"])


ORDERS = {
    "cited-first": [*CITED, SEED, FOLLOW_UP],
    "seed-first": [SEED, FOLLOW_UP, *CITED],
    "follow-up-first": [FOLLOW_UP, CITED[2], SEED, CITED[0], CITED[3], CITED[1]],
}


@pytest.mark.parametrize("order", list(ORDERS), ids=list(ORDERS))
def test_trace_of_seed_task_whatever_the_ingest_order(server: Server, order: str) -> None:
    ids = {name: ingest(server, name) for name in ORDERS[order]}
    auditor = server.client("auditor")
    task = first_directive(auditor, ids[SEED])
    trace = auditor.get(f"/api/directives/{task['id']}/trace").json()

    letter = trace["letter"]
    assert (letter["id"], letter["number"], letter["date"]) == (ids[SEED], "2085/UBND-KGVX", "2023-08-21")
    assert letter["signer"]["name"] == "Nguyễn Thị Thanh Lịch"
    assert letter["issuer_body"]["name"] == "Ủy ban nhân dân tỉnh Gia Lai"
    assert trace["text_evidence"] and trace["text_evidence"][0]["page"] == 1
    assert len(trace["text_evidence"][0]["bbox"]) == 4

    cites = trace["cites"]
    assert [c["number"] for c in cites] == CITED_NUMBERS
    assert all(c["status"] == "resolved" for c in cites), cites
    assert [c["letter"]["id"] for c in cites] == [ids[n] for n in CITED]
    assert trace["placeholders"] == 0
    # Up the chain only documents none of the six letters is remain unresolved (national texts and the like).
    assert sorted(trace["placeholders_in_chain"]) == sorted(
        ["52-NQ/TW", "749/QĐ-TTg", "05/TTHT-UBND-VNPT", "1264/KH-UBND", "73/2019/NĐ-CP"])
    # Recursively: 131/GLI-KDGP follows up 2956/VTS-ĐTTM, 1294 follows up 980.
    by_number = {c["number"]: c for c in cites}
    def cited_ids(number: str) -> list[int]:
        return [c["letter"]["id"] for c in by_number[number]["cites"] if c["letter"]]

    assert ids[CITED[0]] in cited_ids("131/GLI-KDGP")
    assert ids[CITED[2]] in cited_ids("1294/VNPT-GL-CNTT")

    later = trace["cited_by"]
    assert [(n["letter"]["id"], n["letter"]["number"]) for n in later] == [(ids[FOLLOW_UP], "418/BC-STTTT")]

    # Reverse links of a cited letter: the seed answers 2956, the Viettel Gia Lai proposal follows it up.
    links = auditor.get(f"/api/letters/{ids[CITED[0]]}/links").json()
    relations = {c["letter"]["id"]: c["relation"] for c in links["cited_by"]}
    assert relations == {ids[SEED]: "answer", ids[CITED[1]]: "follow-up"}  # UBND answers; Viettel follows up
    assert later[0]["relation"] == "report"


def _variant(tmp_path: Path, name: str, replace: dict[str, str]) -> Path:
    text = (LETTERS / f"{name}.txt").read_text("utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    out = tmp_path / f"{name}-variant.txt"
    out.write_text(text, "utf-8")
    return out


CITING_LETTER = """\
[header-left]
ỦY BAN NHÂN DÂN
HUYỆN CHƯ SÊ
Số: 90/UBND-VP
V/v triển khai thử nghiệm nền tảng
chuyển đổi số cấp xã
[header-right]
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Chư Sê, ngày 10 tháng 9 năm 2023
[body]
Kính gửi: Viettel Gia Lai

Căn cứ Văn bản số 131/GLl-KDGP ngày 01/8/2023 của Viettel Gia Lai về việc đề xuất bổ sung các giải pháp Viettel hỗ trợ cải thiện chỉ số DTI tỉnh Gia Lai; Văn bản số 131/GLI-KDGP ngày 02/3/2022 của Viettel Gia Lai về việc hỗ trợ kỹ thuật, Ủy ban nhân dân huyện có ý kiến như sau:

1. Giao Phòng Văn hóa và Thông tin phối hợp với Viettel Gia Lai triển khai thử nghiệm tại 05 xã.

Yêu cầu các đơn vị nghiêm túc thực hiện./.
[footer-left]
Nơi nhận:
- Như trên;
- Lưu: VT, VP.
[footer-right]
CHỦ TỊCH

Rơ Chăm Long
"""  # noqa: E501


def test_ocr_misread_symbol_links_and_another_year_does_not(server: Server, tmp_path: Path) -> None:
    source = tmp_path / "ubnd-chu-se-2023-90.txt"
    source.write_text(CITING_LETTER, "utf-8")
    citing = ingest(server, source)
    reader = server.client("reader")
    refs = reader.get(f"/api/letters/{citing}/links").json()["cites"]
    assert [r["number"] for r in refs] == ["131/GLl-KDGP", "131/GLI-KDGP"]
    assert all(r["status"] == "placeholder" for r in refs)  # nothing stored yet

    viettel_2023 = ingest(server, "viettel-gia-lai-2023-131")
    refs = reader.get(f"/api/letters/{citing}/links").json()["cites"]
    assert refs[0]["status"] == "resolved" and refs[0]["letter"]["id"] == viettel_2023, refs[0]
    assert refs[1]["status"] == "placeholder" and refs[1]["letter"] is None, "2022 is not the 2023 letter"

    # A letter 131/GLI-KDGP of 2022 arrives: the 2022 citation resolves to it, the 2023 one stays.
    older = _variant(tmp_path, "viettel-gia-lai-2023-131",
                     {"ngày 01 tháng 8 năm 2023": "ngày 02 tháng 3 năm 2022"})
    viettel_2022 = ingest(server, older)
    refs = reader.get(f"/api/letters/{citing}/links").json()["cites"]
    assert [r["letter"]["id"] for r in refs] == [viettel_2023, viettel_2022]

    # A correction re-links: the clerk fixes the cited date to 2022, the first citation moves too.
    clerk = server.client("clerk")
    letter = clerk.get(f"/api/letters/{citing}").json()
    fixed = [dict(letter["references"][0], date="2022-03-02"), letter["references"][1]]
    assert clerk.patch(f"/api/letters/{citing}", json={"references": fixed}).status_code == 200
    refs = reader.get(f"/api/letters/{citing}/links").json()["cites"]
    assert [r["letter"]["id"] for r in refs] == [viettel_2022, viettel_2022]
    # And a cited letter whose number is corrected away leaves a placeholder behind.
    assert clerk.patch(f"/api/letters/{viettel_2022}", json={"number": "132/GLI-KDGP"}).status_code == 200
    refs = reader.get(f"/api/letters/{citing}/links").json()["cites"]
    assert [r["status"] for r in refs] == ["placeholder", "placeholder"]


PLEIKU = "ubnd-pleiku-2023-to-trinh-camera"  # 215/TTr-UBND: extending the camera pilot, cites 1294


def _directive_at(client: httpx.Client, letter_id: int, ordinal: str) -> dict:
    items = client.get("/api/directives", params={"letter": letter_id}).json()["items"]
    return next(d for d in items if d["ordinal"] == ordinal)


def test_registry_pilots_suggestions_decisions_and_graph(server: Server) -> None:
    ids = {name: ingest(server, name) for name in (SEED, FOLLOW_UP, *CITED, PLEIKU)}
    clerk, reader, auditor = server.client("clerk"), server.client("reader"), server.client("auditor")

    # -- registry of bodies: aliases, learned symbol prefixes, what a body issued, received, was assigned.
    found = reader.get("/api/bodies", params={"q": "VNPT Gia Lai"}).json()["items"]
    vnpt_gl = next(b for b in found if b["name"] == "Viễn thông Gia Lai")
    body = reader.get(f"/api/bodies/{vnpt_gl['id']}").json()
    assert "VNPT Gia Lai" in body["aliases"] and body["parent"]["name"].startswith("Tập đoàn Bưu chính")
    assert {ln["id"] for ln in body["issued"]} == {ids[CITED[2]], ids[CITED[3]]}
    assert any(s["prefix"] == "VNPT-GL" and s["letters"] >= 2 for s in body["symbols"])
    stttt = reader.get("/api/bodies", params={"q": "Sở TT&TT Gia Lai"}).json()["items"]
    assert [b["name"] for b in stttt] == ["Sở Thông tin và Truyền thông tỉnh Gia Lai"]
    stttt_body = reader.get(f"/api/bodies/{stttt[0]['id']}").json()
    assert ids[FOLLOW_UP] in [ln["id"] for ln in stttt_body["issued"]]
    assert ids[CITED[1]] in [ln["id"] for ln in stttt_body["received"]]  # `Sở TT&TT tỉnh Gia Lai` in 131
    ubnd = reader.get("/api/bodies", params={"q": "UBND tỉnh Gia Lai", "kind": "province-ubnd"}
                      ).json()["items"]
    ubnd_body = reader.get(f"/api/bodies/{ubnd[0]['id']}").json()
    assert ids[SEED] in [ln["id"] for ln in ubnd_body["issued"]]
    assert {ids[n] for n in CITED} <= {ln["id"] for ln in ubnd_body["received"]}
    # `Các sở, ban, ngành của tỉnh` stays a group of the province, assigned the seed's first task.
    seed_task = first_directive(reader, ids[SEED])
    groups = reader.get("/api/bodies", params={"q": "các sở ban ngành", "kind": "group"}).json()["items"]
    assert [g["name"] for g in groups] == ["Các sở, ban, ngành của tỉnh Gia Lai"]
    group = reader.get(f"/api/bodies/{groups[0]['id']}").json()
    assert seed_task["id"] in [a["directive"] for a in group["assigned"]]
    assert reader.get("/api/bodies/99999").status_code == 404

    # -- pilots: import the sample list (again = update), list, filter.
    csv_bytes = (ROOT / "samples" / "pilots.csv").read_bytes()
    r = clerk.post("/api/pilots/import", files={"file": ("pilots.csv", csv_bytes, "text/csv")})
    assert r.status_code == 200 and r.json() == {"created": 9, "updated": 0}, r.text
    r = clerk.post("/api/pilots/import", files={"file": ("pilots.csv", csv_bytes, "text/csv")})
    assert r.json() == {"created": 0, "updated": 9}
    pilots = {p["solution"]: p for p in reader.get("/api/pilots").json()["items"]}
    assert len(pilots) == 9
    assert len(reader.get("/api/pilots", params={"status": "piloting"}).json()["items"]) == 3
    camera = pilots["Hệ thống camera giám sát giao thông"]
    ioc = pilots["Trung tâm điều hành thông minh IOC"]
    assert camera["host"]["name"] == "Ủy ban nhân dân thành phố Pleiku"
    assert camera["provider_body"]["name"] == "Viễn thông Gia Lai"

    # -- suggestions: the Pleiku request names the camera pilot; the seed's programme-level task none.
    pleiku_task = first_directive(reader, ids[PLEIKU])
    suggested = reader.get(f"/api/directives/{pleiku_task['id']}/pilots").json()
    assert suggested["items"][0]["pilot"]["id"] == camera["id"], suggested
    assert suggested["items"][0]["state"] == "suggested" and suggested["items"][0]["score"] >= 50
    assert reader.get(f"/api/directives/{seed_task['id']}/pilots").json()["items"] == []
    report_task = _directive_at(reader, ids[FOLLOW_UP], "1")  # IOC and camera, named
    names = [i["pilot"]["solution"] for i in reader.get(f"/api/directives/{report_task['id']}/pilots")
             .json()["items"]]
    assert set(names[:2]) == {ioc["solution"], camera["solution"]}

    # -- a clerk confirms and rejects; both decisions are in the letter's audit log.
    r = clerk.post(f"/api/directives/{pleiku_task['id']}/pilots/{camera['id']}/confirm")
    assert r.status_code == 200 and r.json()["state"] == "confirmed", r.text
    r = clerk.post(f"/api/directives/{report_task['id']}/pilots/{ioc['id']}/reject")
    assert r.status_code == 200 and r.json()["previous"] == "suggested"
    assert clerk.post(f"/api/directives/{pleiku_task['id']}/pilots/{camera['id']}/maybe").status_code == 422
    assert clerk.post(f"/api/directives/{pleiku_task['id']}/pilots/99999/confirm").status_code == 404
    history = auditor.get(f"/api/letters/{ids[PLEIKU]}/history").json()["entries"]
    confirm = [e for e in history if e["action"] == "pilot-confirm"]
    assert len(confirm) == 1 and confirm[0]["actor"] == "test-clerk"
    assert confirm[0]["new"] == {"pilot": camera["id"], "solution": camera["solution"], "state": "confirmed"}
    rejected = [e for e in auditor.get(f"/api/letters/{ids[FOLLOW_UP]}/history").json()["entries"]
                if e["action"] == "pilot-reject"]
    assert rejected and rejected[0]["new"]["pilot"] == ioc["id"]
    report_trace = auditor.get(f"/api/directives/{report_task['id']}/trace").json()
    assert ioc["id"] not in [p["pilot"]["id"] for p in report_trace["pilots"]]

    # The decision outlives a correction of the letter (directive rows are rebuilt then).
    fix = {"subject": "kéo dài thử nghiệm camera"}
    assert clerk.patch(f"/api/letters/{ids[PLEIKU]}", json=fix).status_code == 200
    pleiku_task = first_directive(reader, ids[PLEIKU])
    trace = auditor.get(f"/api/directives/{pleiku_task['id']}/trace").json()
    assert [(p["pilot"]["id"], p["state"]) for p in trace["pilots"]][0] == (camera["id"], "confirmed")
    assert [c["letter"]["id"] for c in trace["cites"] if c["letter"]] == [ids[CITED[3]]]

    # -- the pilot's page: its directives and the letters behind them (and those its notes name).
    detail = reader.get(f"/api/pilots/{camera['id']}").json()
    confirmed = [d for d in detail["directives"] if d["state"] == "confirmed"]
    assert [d["directive"] for d in confirmed] == [pleiku_task["id"]]
    assert ids[PLEIKU] in [ln["id"] for ln in detail["letters"]]
    assert ids[CITED[3]] in [ln["id"] for ln in detail["letters_in_notes"]]  # `Proposed in 1294/VNPT-GL-CNTT`

    # -- editing pilots: status changes, bad values refused, a new pilot is scored at once.
    r = clerk.patch(f"/api/pilots/{camera['id']}", json={"status": "evaluated", "end": "2024-03-31"})
    assert r.status_code == 200 and r.json()["status"] == "evaluated"
    assert clerk.patch(f"/api/pilots/{camera['id']}", json={"status": "finished"}).status_code == 422
    assert clerk.patch(f"/api/pilots/{camera['id']}", json={"start": "2024-05-01"}).status_code == 422
    assert clerk.post("/api/pilots", json={"provider": "Viettel Gia Lai"}).status_code == 422
    assert clerk.post("/api/pilots", json={"solution": 42}).status_code == 422
    assert clerk.post("/api/pilots", json={"solution": "x" * 501}).status_code == 422
    assert clerk.post("/api/pilots", json={"solution": "IOC", "colour": "red"}).status_code == 422
    r = clerk.post("/api/pilots", json={"solution": "Hệ thống hội nghị truyền hình trực tuyến",
                                        "provider": "Viettel Gia Lai", "status": "proposed"})
    assert r.status_code == 201, r.text
    bad_csv = b"name,status\nx,proposed\n"
    bad = clerk.post("/api/pilots/import", files={"file": ("p.csv", bad_csv, "text/csv")})
    assert bad.status_code == 422

    # -- the graph of the seed letter: cited letters left, the follow-up right; JSON and SVG.
    graph = auditor.get(f"/api/letters/{ids[SEED]}/graph").json()
    layer = {n["letter"]: n["layer"] for n in graph["nodes"] if n["kind"] == "letter"}
    assert layer[ids[SEED]] == 0 and layer[ids[FOLLOW_UP]] == 1
    assert all(layer[ids[n]] == -1 for n in CITED)
    assert {(e["from"], e["to"]) for e in graph["edges"]} >= {
        *((f"letter:{ids[SEED]}", f"letter:{ids[n]}") for n in CITED), (f"letter:{ids[FOLLOW_UP]}",
                                                                         f"letter:{ids[SEED]}")}
    assert any(n["kind"] == "placeholder" and n["number"] == "52-NQ/TW" for n in graph["nodes"])
    picture = auditor.get(f"/api/letters/{ids[SEED]}/graph", params={"format": "svg"})
    assert picture.status_code == 200 and picture.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(picture.text)
    ns = "{http://www.w3.org/2000/svg}"
    hrefs = {a.get("href") for a in root.iter(f"{ns}a")}
    assert {f"/van-ban/{ids[n]}" for n in (SEED, FOLLOW_UP, *CITED)} <= hrefs
    texts = " ".join(t.text or "" for t in root.iter(f"{ns}text"))
    assert "2085/UBND-KGVX" in texts and "418/BC-STTTT" in texts and "2023-04-14" in texts
    assert auditor.get(f"/api/letters/{ids[SEED]}/graph", params={"format": "png"}).status_code == 422
    assert auditor.get("/api/letters/99999/graph").status_code == 404
