"""Which files may be attached, judged by their content and not by their name. Pure rules."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from io import BytesIO

import puremagic

from amends.core.errors import AttachmentRejectedError, ErrorCode

# Extension -> the content type we store, for each kind of file we accept.
ACCEPTED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "txt": "text/plain",
    "csv": "text/csv",
    "eml": "message/rfc822",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "m4a": "audio/mp4",
    "mp4": "video/mp4",
}
TEXT_TYPES = {"txt", "csv", "eml"}
# What the file's own bytes must show for each accepted extension.
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "tif": (b"II*\x00", b"MM\x00*"),
    "tiff": (b"II*\x00", b"MM\x00*"),
}
_ZIP_MEMBERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "odt": "content.xml"}
_EXECUTABLE = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")


def safe_filename(name: str) -> str:
    """The base name only, without control characters or path separators."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().strip(".")
    return name[:200] or "attachment"


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return True


def _sniffed_mimes(data: bytes) -> set[str]:
    try:
        return {m.mime_type for m in puremagic.magic_string(data[:8192]) if m.mime_type}
    except puremagic.PureError:
        return set()


def _content_matches(ext: str, data: bytes) -> bool:
    if ext in TEXT_TYPES:
        return _looks_like_text(data)
    if ext in _SIGNATURES:
        return data.startswith(_SIGNATURES[ext])
    if ext in _ZIP_MEMBERS:
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                return _ZIP_MEMBERS[ext] in archive.namelist()
        except zipfile.BadZipFile:
            return False
    if ext == "webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    if ext == "wav":
        return data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    if ext == "mp3":
        return data.startswith(b"ID3") or data[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
    if ext in ("m4a", "mp4"):
        return data[4:8] == b"ftyp"
    return False


def check_attachment(filename: str, data: bytes, max_bytes: int) -> str:
    """The content type to store for this file, or an error saying why it is refused."""
    size = len(data)
    if size > max_bytes:
        raise AttachmentRejectedError(
            f"{filename} is {size:,} bytes; the limit is {max_bytes:,} bytes.",
            code=ErrorCode.ATTACHMENT_TOO_LARGE,
            fields={"file": f"larger than {max_bytes} bytes"},
        )
    if size == 0:
        raise AttachmentRejectedError(f"{filename} is empty.", fields={"file": "empty file"})
    ext = _extension(filename)
    if ext not in ACCEPTED:
        allowed = ", ".join(sorted(ACCEPTED))
        raise AttachmentRejectedError(
            f"Files of type .{ext or '(none)'} are not accepted. Accepted: {allowed}.",
            fields={"file": "file type not accepted"},
        )
    if data.startswith(_EXECUTABLE) or not _content_matches(ext, data):
        found = ", ".join(sorted(_sniffed_mimes(data))) or "unrecognised content"
        raise AttachmentRejectedError(
            f"{filename} does not contain what its name says (.{ext}); it looks like: {found}.",
            fields={"file": "content does not match the file type"},
        )
    return ACCEPTED[ext]
