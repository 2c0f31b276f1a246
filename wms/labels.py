"""Labels for bins, items and lots: a Code128 barcode for the handheld's scanner and a QR code
for a phone, both drawn as inline SVG in the HTML that WeasyPrint prints."""

import re
from dataclasses import dataclass
from io import BytesIO

import barcode
import segno
from barcode.writer import SVGWriter
from django.utils.safestring import SafeString, mark_safe

_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)


def code128_svg(value: str) -> SafeString:
    """A Code128 barcode of ``value`` as an SVG element (no text: the label prints it)."""
    out = BytesIO()
    barcode.get("code128", value, writer=SVGWriter()).write(
        out,
        options={
            "write_text": False,
            "module_height": 12.0,
            "module_width": 0.3,
            "quiet_zone": 3.0,
        },
    )
    # The SVG is drawn from bars alone: none of the value's text is in it.
    return mark_safe(_PROLOGUE.sub("", out.getvalue().decode()))


def qr_svg(value: str, *, scale: int = 3) -> SafeString:
    """A QR code of ``value`` as an SVG element."""
    # segno draws modules as one path: none of the value's text is in it.
    return mark_safe(segno.make(value, error="m").svg_inline(scale=scale))


@dataclass(frozen=True)
class Label:
    """One label: a title, the lines under it, and the value the codes carry."""

    title: str
    value: str
    lines: tuple[str, ...] = ()

    @property
    def code128(self) -> SafeString:
        return code128_svg(self.value)

    @property
    def qr(self) -> SafeString:
        return qr_svg(self.value)
