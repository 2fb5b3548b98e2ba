"""Hand-built PDF files for loader tests: exactly the objects a test needs, with a valid cross-reference table."""

from __future__ import annotations


def pdf_document(objects: list[bytes]) -> bytes:
    """A PDF whose numbered objects are ``objects`` (object 1 is the catalogue)."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
