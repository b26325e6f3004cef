"""The QR code on a lot's page: its absolute address, as a PNG a phone camera or a label printer reads."""

import segno


def lot_qr_png_data_uri(url: str) -> str:
    """A QR code of `url` as a PNG data URI (an <img> source; the page's CSP allows data: images).
    PNG rather than SVG so the printed label and any scanner read the same pixels."""
    return segno.make(url, error="m", micro=False).png_data_uri(scale=6, border=4)
