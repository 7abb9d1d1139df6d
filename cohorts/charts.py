"""Bar charts drawn on the server as inline SVG: no script, no CDN, nothing to load.

The SVG is an image with a title and a description that say the numbers
(`role="img"` + `aria-labelledby`); the page shows the same numbers in a table.
Colours are presentation attributes, not inline styles: the CSP allows no
inline style. They are the DSFR's "bleu France" and its text grey, whose
contrast on white passes WCAG AA.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

BAR = "#000091"  # bleu France
TEXT = "#161616"  # DSFR grey, text
GRID = "#929292"

WIDTH = 640
LABEL_WIDTH = 150
VALUE_WIDTH = 60
ROW = 34
BAR_HEIGHT = 20
PAD = 8
CHAR_WIDTH = 7  # an average glyph at 14 px, to shorten labels that would overflow


def bar_chart(*, chart_id, title, bars, description="", label_width=LABEL_WIDTH):
    """A horizontal bar per (label, value), longest bar for the largest value.

    `chart_id` must be unique in the page: it names the title and description,
    which carry the full labels when a long one is shortened on the bar.
    """
    bars = [(str(label), int(value or 0)) for label, value in bars]
    largest = max((value for _label, value in bars), default=0)
    span = WIDTH - label_width - VALUE_WIDTH - PAD
    height = max(len(bars), 1) * ROW + PAD
    summary = description or "; ".join(f"{label} : {value}" for label, value in bars)
    rows = [
        _row(i, label, value, largest, span, label_width) for i, (label, value) in enumerate(bars)
    ]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="eig-chart" role="img" '
        'aria-labelledby="{id}-titre {id}-desc" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" focusable="false">'
        '<title id="{id}-titre">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line x1="{x}" y1="0" x2="{x}" y2="{h}" stroke="{grid}" stroke-width="1"/>'
        "{rows}</svg>",
        id=chart_id,
        w=WIDTH,
        h=height,
        title=title,
        desc=summary,
        x=label_width,
        grid=GRID,
        rows=mark_safe("".join(rows)),  # noqa: S308 — each row went through format_html.
    )


def _row(index, label, value, largest, span, label_width):
    y = PAD // 2 + index * ROW
    length = round(span * value / largest) if largest else 0
    text_y = y + BAR_HEIGHT // 2 + 5
    return format_html(
        '<text x="{lx}" y="{ty}" text-anchor="end" font-size="14" fill="{text}">{label}</text>'
        '<rect x="{bx}" y="{y}" width="{length}" height="{bh}" fill="{bar}"/>'
        '<text x="{vx}" y="{ty}" font-size="14" font-weight="700" fill="{text}">{value}</text>',
        lx=label_width - PAD,
        ty=text_y,
        text=TEXT,
        label=_shorten(label, (label_width - PAD) // CHAR_WIDTH),
        bx=label_width,
        y=y,
        length=length,
        bh=BAR_HEIGHT,
        bar=BAR,
        vx=label_width + length + PAD,
        value=value,
    )


def _shorten(label, limit):
    return label if len(label) <= limit else label[: limit - 1] + "…"
