"""The web pages in a real browser: Debian's chromium, headless, driven by Playwright.

One server for the module (a real uvicorn process, fresh data dir): the clerk signs
in, drops a scan and a broken file on the upload page and watches both jobs end,
opens the letter and its evidence boxes, corrects a field; an auditor reads the
history and the trace; directives are filtered and exported; a pilot suggestion is
confirmed. Every page is checked at 1366 x 768 and 390 px wide with axe-core
(WCAG 2.1 A/AA) and for keyboard use. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import base64
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Server, wait_job
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE = ROOT / "tests" / "web" / "axe.min.js"
# Without the background-networking flags chromium keeps calling out to a network it cannot reach.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--lang=vi"]  # the browser's own words (file picker) in Vietnamese, as in an office
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
TEXT_LETTERS = ("ubnd-gia-lai-2023-2085", "stttt-gia-lai-2023-bao-cao-thu-nghiem", "vnpt-gia-lai-2023-1294")

if not CHROMIUM.exists():  # `make test` installs it; a run without it must not pass silently
    pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium)", pytrace=False)


# -- fixtures -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A running server with keys, the sample pilots and three text-layer letters (cheap to read)."""
    from samples.generate import render_pdf

    base = tmp_path_factory.mktemp("web")
    server = Server(data_dir=base / "data", database_url=f"sqlite:///{base / 'data' / 'congvan.db'}")
    server.data_dir.mkdir(parents=True)
    server.start()
    server.create_keys()
    try:
        with server.client("clerk") as clerk:
            pilots = (ROOT / "samples" / "pilots.csv").read_bytes()
            clerk.post("/api/pilots/import", files={"file": ("pilots.csv", pilots, "text/csv")}
                       ).raise_for_status()
            files = [("files", (f"{name}.pdf", render_pdf(ROOT / "samples" / "letters" / f"{name}.txt"),
                                "application/pdf")) for name in TEXT_LETTERS]
            jobs = clerk.post("/api/letters", files=files).raise_for_status().json()
            for job in jobs:
                assert wait_job(clerk, job["job"], timeout=300)["state"] == "done"
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def state() -> dict[str, Any]:
    """What one step of the flow leaves for the next (the letter uploaded, ...)."""
    return {}


class Tab:
    """A browser page on the site with its own cookie jar; collects CSP violations and page errors."""

    def __init__(self, context: BrowserContext, site: Server) -> None:
        self.context, self.site = context, site
        self.page: Page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: self.problems.append(m.text)
                     if m.type == "error" and "Content Security Policy" in m.text else None)
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))

    def go(self, path: str) -> Page:
        response = self.page.goto(self.site.url + path)
        assert response is not None
        return self.page

    def sign_in(self, role: str) -> Page:
        self.go("/dang-nhap")
        self.page.get_by_label("Khoá API").fill(self.site.keys[role])
        self.page.get_by_role("button", name="Đăng nhập").click()
        self.page.wait_for_url(lambda url: "/dang-nhap" not in url)
        return self.page

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


def _context(browser: Browser, viewport: dict[str, int], bypass_csp: bool = False) -> BrowserContext:
    return browser.new_context(viewport=viewport, locale="vi-VN", accept_downloads=True,
                               bypass_csp=bypass_csp)


@pytest.fixture
def desk(browser: Browser, site: Server, request: pytest.FixtureRequest) -> Iterator[Tab]:
    """A 1366 x 768 browser, the office screen; the page's own CSP in force.

    The page as the test left it is kept too (web-last-TEST.png): after a failure, it shows why."""
    context = _context(browser, DESKTOP)
    tab = Tab(context, site)
    yield tab
    tab.shot("last-" + request.node.name.removeprefix("test_"))
    context.close()
    assert not tab.problems, tab.problems


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return list(result)


def _letter_id(site: Server, number: str) -> int:
    with site.client("reader") as c:
        items = c.get("/api/letters", params={"limit": 100}).json()["items"]
    return next(i["id"] for i in items if (i["number"] or "").startswith(number))


# -- the clerk's and the auditor's day ----------------------------------------------------------

def test_sign_in_keeps_key_in_secure_cookie(desk: Tab) -> None:
    page = desk.go("/van-ban")
    assert "/dang-nhap" in page.url, "a page without a session sends to sign-in"
    page.get_by_label("Khoá API").fill("cv_not-a-key")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Khoá không đúng")
    page.get_by_label("Khoá API").fill(desk.site.keys["clerk"])
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    assert page.url.endswith("/van-ban"), "after sign-in the page asked for first"
    (cookie,) = [c for c in desk.context.cookies() if c["name"] == "congvan_phien"]
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    assert desk.site.keys["clerk"] not in cookie["value"], "the key is not readable in the cookie as is"
    assert page.evaluate("document.cookie") == "", "scripts cannot read the session"
    expect(page.get_by_role("navigation", name="Trình đơn chính")).to_contain_text("Tải lên")
    desk.shot("01-sign-in-letters")


def test_upload_by_drag_and_drop_follows_each_job(desk: Tab, service_scan: bytes,
                                                   state: dict[str, Any]) -> None:
    page = desk.sign_in("clerk")
    desk.go("/tai-len")
    files = [{"name": name, "type": kind, "b64": base64.b64encode(data).decode()} for name, kind, data in (
        ("cong-van-1520.png", "image/png", service_scan), ("hong.pdf", "application/pdf", b"%PDF-1.4 hong"))]
    page.evaluate("""(files) => {
        const dt = new DataTransfer();
        for (const f of files) {
            const bytes = Uint8Array.from(atob(f.b64), c => c.charCodeAt(0));
            dt.items.add(new File([bytes], f.name, {type: f.type}));
        }
        const drop = document.getElementById('drop');
        drop.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
        drop.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
    }""", files)
    sending = page.locator("#dang-gui")
    good = sending.locator("li", has_text="cong-van-1520.png")
    bad = sending.locator("li", has_text="hong.pdf")
    expect(good).to_be_visible()
    # Progress follows the job: seen below 100 while the scan is read (it takes seconds of OCR).
    early = int(good.locator("progress").get_attribute("value") or 0)
    assert early < 100
    expect(bad).to_have_class(re.compile("state-failed"), timeout=120_000)
    expect(bad.locator(".job-reason")).to_contain_text("Tệp bị hỏng")  # said in Vietnamese
    expect(good).to_have_class(re.compile("state-done"), timeout=240_000)
    expect(good.locator("progress")).to_have_attribute("value", "100")
    expect(good.locator(".job-state")).to_have_text("Xong")
    expect(good.locator(".job-arrival")).to_contain_text("Số đến")
    desk.shot("02-upload-done")
    good.get_by_role("link", name="Mở văn bản").click()
    page.wait_for_load_state()
    assert re.search(r"/van-ban/\d+$", page.url)
    state["letter_path"] = page.url.removeprefix(desk.site.url)


def test_letter_boxes_follow_fields_both_ways(desk: Tab, state: dict[str, Any]) -> None:
    page = desk.sign_in("clerk")
    desk.go(state["letter_path"])
    page.locator(".page-frame img").first.wait_for()
    page.wait_for_function("document.querySelector('.page-frame img').complete")
    boxes = page.locator(".box")
    assert boxes.count() >= 8, "a box for every value read"
    # Every box lies on the page image; the number (header, left column) is in its top-left part.
    geometry = page.evaluate("""() => {
        const img = document.querySelector('.page-frame img').getBoundingClientRect();
        const boxes = [...document.querySelectorAll('.box')].map(b => {
            const r = b.getBoundingClientRect();
            return {label: b.getAttribute('aria-label'), x: (r.left - img.left) / img.width,
                    y: (r.top - img.top) / img.height, r: (r.right - img.left) / img.width,
                    b: (r.bottom - img.top) / img.height};
        });
        return {boxes};
    }""")
    for box in geometry["boxes"]:
        assert -0.01 <= box["x"] < box["r"] <= 1.01 and -0.01 <= box["y"] < box["b"] <= 1.01, box
    number = [b for b in geometry["boxes"] if "1520" in (b["label"] or "")]
    assert number, [b["label"] for b in geometry["boxes"]]
    assert number[0]["r"] < 0.55 and number[0]["b"] < 0.3, number[0]

    # Field → box: the recipient's value lights its box.
    value = page.locator("#f-recipients button.val", has_text="Sở Tài chính")
    value.click()
    item = value.get_attribute("data-item")
    expect(page.locator(f".box.active[data-item='{item}']")).to_have_count(1)
    expect(value).to_have_attribute("aria-pressed", "true")
    # Box → field: clicking the issuer's box lights the issuer's value.
    issuer_box = page.locator(".box[data-item='v-issuer']").first
    issuer_box.click()
    expect(page.locator("#v-issuer")).to_have_class(re.compile("active"))
    expect(page.locator(f".box.active[data-item='{item}']")).to_have_count(0)
    desk.shot("03-letter-boxes")


def test_clerk_corrects_a_field_in_place(desk: Tab, state: dict[str, Any]) -> None:
    page = desk.sign_in("clerk")
    desk.go(state["letter_path"])
    row = page.locator("#f-subject")
    state["old_subject"] = row.locator(".val").first.inner_text()
    row.locator("summary").click()
    row.get_by_label("Trích yếu mới").fill("Triển khai kế hoạch chuyển đổi số năm 2024 (đã soát)")
    row.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status").filter(has_text="Đã lưu")).to_contain_text("Trích yếu")
    new_subject = "Triển khai kế hoạch chuyển đổi số năm 2024 (đã soát)"
    expect(page.locator("#f-subject .val").first).to_have_text(new_subject)
    expect(page.locator("#f-subject dt .badge")).to_have_text("đã sửa")
    # A date that is no date is refused beside the field, with what was typed kept.
    date_row = page.locator("#f-date")
    date_row.locator("summary").click()
    date_row.get_by_label(re.compile("Ngày ban hành mới")).fill("30/02/2024")
    date_row.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert")).to_contain_text("Chưa lưu được")
    expect(page.locator("#f-date input[name=value]")).to_have_value("30/02/2024")
    # The clerk sees the correction in the letter's history at once, with the old value.
    history = page.locator("#lich-su table")
    expect(history).to_be_visible()
    expect(history.locator("tbody tr").first).to_contain_text("(đã soát)")
    # Traces are the auditors': the clerk's page offers none.
    expect(page.get_by_role("link", name="Sơ đồ liên kết")).to_have_count(0)
    desk.shot("04-corrected")


def test_auditor_reads_history_and_trace(desk: Tab, state: dict[str, Any]) -> None:
    page = desk.sign_in("auditor")
    desk.go(state["letter_path"])
    expect(page.locator("#f-subject details.edit")).to_have_count(0)  # no correcting for auditors
    history = page.locator("#lich-su table")
    expect(history).to_be_visible()
    first = history.locator("tbody tr").first
    expect(first).to_contain_text("test-clerk")
    expect(first).to_contain_text("Trích yếu")
    expect(first).to_contain_text("(đã soát)")
    expect(first.locator("td.old")).to_contain_text(state["old_subject"][:20])
    expect(history).to_contain_text("Máy đọc")
    desk.shot("05-history")

    # The graph of the 2085 letter: what it cites (placeholders, the VNPT letter), who cites it (418).
    desk.go(f"/truy-vet/van-ban/{_letter_id(desk.site, '2085')}")
    graph = page.locator(".graph svg")
    expect(graph).to_be_visible()
    assert graph.locator("a").count() >= 3
    expect(page.locator("#cited-h + ul")).to_contain_text("chưa có trong hệ thống")
    desk.shot("06-trace-letter")
    graph.locator("a", has_text="418/BC-STTTT").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text("418/BC-STTTT")

    # A task's trace, from the directives table: the report's first item (418 cites 2085, which cites
    # letters not stored yet; the task is suggested for the pilots it names).
    desk.go(f"/chi-dao?van_ban={_letter_id(desk.site, '418')}")
    page.get_by_role("link", name=re.compile("^Truy vết")).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Truy vết nhiệm vụ")
    expect(page.locator(".graph svg a", has_text="2085/UBND-KGVX")).to_be_visible()
    expect(page.locator("#cited-h + ul")).to_contain_text("chưa có trong hệ thống")
    expect(page.locator("#pilots-h + ul a").first).to_be_visible()
    desk.shot("07-trace-task")
    page.get_by_role("link", name="Xem nhiệm vụ trên bản quét").click()
    page.wait_for_load_state()
    expect(page.locator("#v-tasks-0-text")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".box.active[data-item='v-tasks-0-text']").first).to_be_attached()
    desk.shot("07b-task-on-scan")


def test_letters_search_and_filters(desk: Tab) -> None:
    page = desk.sign_in("reader")
    desk.go("/van-ban")
    rows = page.locator("table.list tbody tr")
    everything = rows.count()
    assert everything >= 3
    page.get_by_label(re.compile("Tìm trong toàn văn")).fill("BENH AN dien tu")  # body text, no diacritics
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**q=*")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("418/BC-STTTT")
    page.get_by_role("link", name="Bỏ lọc").click()
    page.get_by_label("Cơ quan ban hành").fill("ubnd tinh gia lai")
    page.get_by_label("Loại văn bản").select_option("công văn")
    page.get_by_label("Từ ngày").fill("2023-08-01")
    page.get_by_label("Đến ngày").fill("2023-08-31")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**issuer=*")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("2085/UBND-KGVX")
    expect(page.get_by_role("status")).to_have_text("1 văn bản")
    desk.shot("08a-letters-filtered")


def test_directives_filtered_marked_and_exported(desk: Tab) -> None:
    page = desk.sign_in("reader")
    desk.go("/chi-dao")
    everything = page.locator("table.directives tbody tr").count()
    page.get_by_label("Đơn vị thực hiện").fill("vien thong Gia Lai")  # typed without diacritics
    page.get_by_label("Tình trạng").select_option("qua-han")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**tinh_trang=qua-han*")
    rows = page.locator("table.directives tbody tr")
    shown = rows.count()
    assert 1 <= shown < everything
    for i in range(shown):
        expect(rows.nth(i).locator(".state")).to_have_text("Quá hạn")
        expect(rows.nth(i)).to_have_class(re.compile("qua-han"))
    ids = {rows.nth(i).get_attribute("data-directive") for i in range(shown)}
    desk.shot("08-directives")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, as Excel needs for Vietnamese"
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0][0] == "Mã nhiệm vụ" and "Hạn xử lý" in table[0]
    assert {r[0] for r in table[1:]} == ids, "the export holds what the filtered table shows"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (XLSX)").click()
    from openpyxl import load_workbook

    assert download_info.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes())).active
    assert sheet is not None and sheet.max_row - 1 == shown


def test_clerk_confirms_a_pilot_suggestion(desk: Tab) -> None:
    page = desk.sign_in("clerk")
    desk.go("/thi-diem")
    page.get_by_role("link", name="Hệ thống camera giám sát giao thông").click()
    page.wait_for_load_state()
    item = page.locator(".link-item").first
    expect(item.locator(".badge")).to_have_text("Gợi ý")
    item.get_by_role("button", name=re.compile("^Xác nhận")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("Đã xác nhận")
    expect(page.locator(".link-item").first.locator(".badge")).to_have_text("Đã xác nhận")
    desk.shot("09-pilot-confirmed")
    # The same task was also suggested for the IOC centre: the clerk rejects that one, and it goes.
    desk.go("/thi-diem")
    page.get_by_role("link", name="Trung tâm điều hành thông minh IOC").click()
    page.wait_for_load_state()
    suggested = page.locator(".link-item.suggested")
    before = suggested.count()
    assert before >= 1
    suggested.first.get_by_role("button", name=re.compile("^Bác bỏ")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("Đã bác bỏ")
    expect(page.locator(".link-item.suggested")).to_have_count(before - 1)


def test_reader_sees_no_upload_or_correction(desk: Tab) -> None:
    page = desk.sign_in("reader")
    nav = page.get_by_role("navigation", name="Trình đơn chính")
    expect(nav).not_to_contain_text("Tải lên")
    desk.go(f"/van-ban/{_letter_id(desk.site, '2085')}")
    expect(page.locator(".box").first).to_be_attached()
    expect(page.locator("details.edit")).to_have_count(0)
    expect(page.locator("#lich-su")).to_have_count(0)
    response = page.goto(desk.site.url + "/tai-len")
    assert response is not None and response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("không được")
    expect(page.get_by_role("navigation", name="Trình đơn chính")).to_contain_text("Văn bản")  # no dead end


# -- every page at both sizes: accessibility, layout, keyboard ------------------------------------

PAGES = ["/tai-len", "/van-ban", "{letter}", "/chi-dao", "/truy-vet/van-ban/{l2085}",
         "/thi-diem", "/thi-diem/2"]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_pages_accessible_at_both_sizes(browser: Browser, site: Server, state: dict[str, Any],
                                       size: str) -> None:
    viewport = DESKTOP if size == "desktop" else PHONE
    # axe is injected as a script, which the pages' CSP forbids: only this context bypasses it.
    context = _context(browser, viewport, bypass_csp=True)
    try:
        tab = Tab(context, site)
        letter = state.get("letter_path", "/van-ban")
        for role in ("clerk", "auditor"):
            context.clear_cookies()
            paths = ["/dang-nhap"] if role == "clerk" else []
            tab.sign_in(role)
            paths += [p.format(letter=letter, l2085=_letter_id(site, "2085")) for p in PAGES
                      if not (role == "auditor" and p == "/tai-len")]
            for path in paths:
                if path == "/dang-nhap":
                    context.clear_cookies()
                page = tab.go(path)
                page.wait_for_load_state("networkidle")
                violations = axe_violations(page)
                assert not violations, f"{role} {path} at {size}: {violations}"
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at {size}"
                name = re.sub(r"[^a-z0-9]+", "-", path.strip("/")) or "home"
                tab.shot(f"{size}-{role}-{name}")
                if path == "/dang-nhap":
                    tab.sign_in(role)
    finally:
        context.close()


def test_keyboard_alone(browser: Browser, site: Server) -> None:
    context = _context(browser, DESKTOP)
    try:
        tab = Tab(context, site)
        page = tab.go("/dang-nhap")
        assert page.evaluate("document.activeElement.id") == "key", "the key field has the focus"
        page.keyboard.type(site.keys["clerk"])
        page.keyboard.press("Enter")
        page.wait_for_url("**/tai-len")

        tab.go(f"/van-ban/{_letter_id(site, '2085')}")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip", "first stop: skip to content"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "noi-dung"
        # Then Tab through to the first value button; focus must be visible when it lands.
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('val')"):
                break
        else:
            pytest.fail("no value button reachable with Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none"), "the focused control shows a focus ring"
        item = page.evaluate("document.activeElement.dataset.item")
        page.keyboard.press("Enter")
        expect(page.locator(f".box.active[data-item='{item}']").first).to_be_attached()
        # The boxes are links too: reachable by keyboard and announced by their text.
        assert page.evaluate("document.querySelectorAll('.box[href]').length") >= 8
        tab.shot("10-keyboard")
        assert not tab.problems, tab.problems
    finally:
        context.close()
