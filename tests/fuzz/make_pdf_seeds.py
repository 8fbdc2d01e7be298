#!/usr/bin/env python3
"""Writes the PDF seeds of corpus/fuzz_extract_pdf/.

Same minimal writer as tests/unit/test_extract.cpp (build_pdf): computed xref offsets, so
poppler reads the seeds without falling back to recovery and the fuzzer starts from the
normal code path. Run from anywhere; it overwrites the seeds.
"""
import os
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_extract_pdf")


def text_content(lines):
    stream = "BT /F1 12 Tf 14 TL 72 720 Td\n"
    for line in lines:
        stream += "(" + line + ") Tj T*\n"
    return (stream + "ET\n").encode("latin-1")


def build_pdf(page_streams, info_entries="", trailer_entries="", flate=False):
    pdf = bytearray(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
    offsets = []

    def add_object(body):
        offsets.append(len(pdf))
        pdf.extend(f"{len(offsets)} 0 obj\n".encode() + body + b"\nendobj\n")

    first_page_object = 5
    kids = "".join(f"{first_page_object + 2 * i} 0 R " for i in range(len(page_streams)))
    add_object(b"<< /Type /Catalog /Pages 2 0 R >>")
    add_object(f"<< /Type /Pages /Kids [{kids}] /Count {len(page_streams)} >>".encode())
    add_object(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    add_object(b"<< " + info_entries.encode("latin-1") + b" >>")
    for i, stream in enumerate(page_streams):
        add_object(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                   f"/Resources << /Font << /F1 3 0 R >> >> /Contents {first_page_object + 2 * i + 1} 0 R >>"
                   .encode())
        data = zlib.compress(stream) if flate else stream
        filt = b" /Filter /FlateDecode" if flate else b""
        add_object(b"<< /Length " + str(len(data)).encode() + filt + b" >>\nstream\n" + data + b"\nendstream")
    xref_offset = len(pdf)
    pdf.extend(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        pdf.extend(f"{offset:010d} 00000 n \n".encode())
    pdf.extend(f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R /Info 4 0 R {trailer_entries} >>\n"
               f"startxref\n{xref_offset}\n%%EOF\n".encode())
    return bytes(pdf)


SEEDS = {
    "two-pages.pdf": build_pdf([text_content(["Page one: freedom of expression.", "Second line."]),
                                text_content(["Page two: prohibition of torture."])],
                               "/Title (Annual Report 2020) /Author (Rights Watch)"),
    "empty-first-page.pdf": build_pdf([b"", text_content(["Only text"])],
                                      "/Title <FEFF0041006E006E00750061006C>"),
    "flate-title-escapes.pdf": build_pdf([text_content(["Caf\\351 \\(compressed\\)"])],
                                         "/Title (Caf\\351 \\(PDFDocEncoding\\))", flate=True),
}

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
