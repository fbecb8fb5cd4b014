"""Vietnamese words for what the pages show: field names, roles, job states, dates, errors."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

OFFICE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # the service stores UTC; clerks read Vietnamese time

ROLE_NAMES = {"clerk": "văn thư", "reader": "người đọc", "auditor": "kiểm soát viên", "admin": "quản trị"}

FIELD_NAMES = {
    "number": "Số",
    "symbol": "Ký hiệu",
    "doc_type": "Loại văn bản",
    "parent_body": "Cơ quan chủ quản",
    "issuer": "Cơ quan ban hành",
    "place": "Địa danh",
    "date": "Ngày ban hành",
    "subject": "Trích yếu",
    "urgency": "Độ khẩn",
    "recipients": "Kính gửi",
    "references": "Văn bản viện dẫn",
    "tasks": "Nhiệm vụ",
    "distribution": "Nơi nhận",
    "signer": "Người ký",
    "authority": "Thẩm quyền ký",
    "position": "Chức vụ",
    "name": "Họ tên",
    "text": "Nội dung",
    "deadline": "Thời hạn",
    "assignees": "Đơn vị thực hiện",
    "cooperating": "Đơn vị phối hợp",
    "ordinal": "Thứ tự",
    "pilots": "Thí điểm",
    "pilot": "Mã thí điểm",
    "solution": "Giải pháp",
    "state": "Trạng thái",
    "pipeline_version": "Phiên bản bộ đọc",
}

JOB_STATES = {"queued": "Đang chờ", "running": "Đang đọc", "done": "Xong", "failed": "Không đọc được"}

ACTIONS = {"extract": "Máy đọc", "re-extract": "Máy đọc lại", "correct": "Sửa",
           "pilot-confirm": "Xác nhận thí điểm", "pilot-reject": "Bác bỏ thí điểm"}

# Error codes the pages say in Vietnamese; the service's own (English) message stays as the detail.
DOC_ERRORS = {
    "not-found": "Không tìm thấy trang hoặc văn bản này.",
    "forbidden": "Vai trò của khoá này không được làm việc này.",
    "empty-file": "Tệp rỗng.",
    "unsupported-type": "Không phải tệp PDF, PNG, JPEG hay TIFF.",
    "damaged-file": "Tệp bị hỏng hoặc không đầy đủ, không mở được.",
    "encrypted-pdf": "PDF có mật khẩu, không đọc được.",
    "unsafe-pdf": "PDF có nội dung không an toàn (mã chạy, tệp đính kèm).",
    "file-too-large": "Tệp quá lớn.",
    "too-many-files": "Gửi quá nhiều tệp một lần.",
    "request-too-large": "Gửi quá nhiều dữ liệu một lần.",
    "too-many-pages": "Văn bản có quá nhiều trang.",
    "image-too-large": "Ảnh quá lớn.",
    "ocr-timeout": "Đọc chữ quá lâu nên đã dừng.",
    "ocr-unavailable": "Máy chủ chưa cài bộ đọc chữ (Tesseract).",
    "worker-crashed": "Bộ đọc dừng đột ngột nhiều lần với tệp này.",
    "internal-error": "Lỗi bên trong khi đọc tệp; hãy báo quản trị.",
    "invalid-correction": "Giá trị không đúng dạng (ngày viết năm-tháng-ngày, vd 2024-03-12).",
}


def explain(code: str, message: str) -> tuple[str, str]:
    """(Vietnamese sentence, technical detail) for an error code and the service's message."""
    said = DOC_ERRORS.get(code)
    return (said, message) if said else (message, "")


def explain_reason(reason: str | None) -> tuple[str, str]:
    """A failed job's `code: message` reason, explained."""
    if not reason:
        return "", ""
    code, _, detail = reason.partition(": ")
    return explain(code, detail) if detail else explain(code, reason)


def vn_date(value: str | None) -> str:
    """ISO `2024-03-12` (or `2024-03`, `2024`) as a clerk writes it: 12/03/2024."""
    if not value:
        return "—"
    parts = value.split("-")
    return "/".join(reversed(parts))


def field_label(pointer: str) -> str:
    """`/tasks/0/deadline` → `Nhiệm vụ 1 · Thời hạn`."""
    parts = [p for p in pointer.split("/") if p]
    words: list[str] = []
    for part in parts:
        if part.isdigit():
            if words:
                words[-1] = f"{words[-1]} {int(part) + 1}"
        else:
            words.append(FIELD_NAMES.get(part, part))
    return " · ".join(words)


def show_value(value: object) -> str:
    """A field value of the history as one line: lists joined, objects as `key: value` pairs."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(show_value(v) for v in value)
    if isinstance(value, dict):
        pairs = [(k, LINK_STATES.get(v, v) if k == "state" else v) for k, v in value.items()
                 if v not in (None, "")]
        return ", ".join(f"{FIELD_NAMES.get(k, k)}: {show_value(v)}" for k, v in pairs)
    return str(value)


def letter_number(letter: dict[str, object]) -> str:
    """`1520/UBND-KGVX`: the number field may hold the symbol already, or only the digits."""
    number, symbol = str(letter.get("number") or ""), str(letter.get("symbol") or "")
    if number and "/" in number:
        return number
    if number and symbol:
        return f"{number}/{symbol}"
    return number or (f"…/{symbol}" if symbol else "(không số)")

PILOT_STATES = {"proposed": "Đề xuất", "piloting": "Đang thí điểm", "evaluated": "Đã đánh giá",
                "adopted": "Đã áp dụng", "stopped": "Đã dừng"}
LINK_STATES = {"suggested": "Gợi ý", "confirmed": "Đã xác nhận", "rejected": "Đã bác bỏ"}


def vn_time(value: str | None) -> str:
    """An ISO timestamp (UTC) as `25/11/2026 15:59`, Vietnamese time."""
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(OFFICE_TZ).strftime("%d/%m/%Y %H:%M")
