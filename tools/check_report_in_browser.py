#!/usr/bin/env python3
"""Opens an HTML report in headless Chromium (Debian's `chromium`) and checks that it renders.

    tools/check_report_in_browser.py REPORT.html [--sections design,performance,safety,production]
                                     [--screenshot OUT.png] [--chromium PATH]

Checks, each failure printed on its own line (exit 1 when any fails, 2 when Chromium cannot run):
  - the file is self-contained: no resource it would load from elsewhere (src=, <link href=, CSS url(), @import);
  - Chromium, with every host name made unresolvable, logs no console message (the report is script-free, so any
    message is an error: a failed load, a script error);
  - the DOM after rendering has every expected section (an element with that id and some text), and every link
    of the navigation bar points at an element of the page;
  - the screenshot is not blank: enough non-background pixels and colours.
Standard library only, so that any python3 runs it.
"""
from __future__ import annotations

import argparse
import html.parser
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

# Resources a page would fetch by itself. Plain <a href="https://..."> links (citations) are not fetched.
EXTERNAL_RESOURCE = re.compile(
    r"""(?:\bsrc\s*=\s*["']?\s*(?:https?:)?//)|(?:<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import)""",
    re.IGNORECASE,
)
CONSOLE_LINE = re.compile(r":CONSOLE[:(]")


def chromium_command(chromium: str, *args: str) -> list[str]:
    return [
        chromium,
        "--headless=new",
        "--no-sandbox",  # containers and CI run as root, where Chromium's sandbox cannot start
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # any network access fails, and shows in the console
        "--enable-logging=stderr",
        "--v=0",
        *args,
    ]


class _Dom(html.parser.HTMLParser):
    """Ids with the text under them, and the targets of the navigation bar's links."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, str] = {}
        self.nav_targets: list[str] = []
        self._open: list[tuple[str, str | None]] = []
        self._in_nav = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "nav":
            self._in_nav += 1
        if self._in_nav and tag == "a" and (a.get("href") or "").startswith("#"):
            self.nav_targets.append(a["href"][1:])
        if a.get("id"):
            self.ids.setdefault(a["id"], "")
        if tag not in ("br", "img", "meta", "link", "input", "hr", "col", "wbr", "source", "path", "line", "circle", "rect", "polyline"):
            self._open.append((tag, a.get("id")))

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav = max(0, self._in_nav - 1)
        for k in range(len(self._open) - 1, -1, -1):
            if self._open[k][0] == tag:
                del self._open[k:]
                break

    def handle_data(self, data):
        for _, element_id in self._open:
            if element_id:
                self.ids[element_id] += data


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes)."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG file")
    pos, idat = 8, b""
    width = height = bit_depth = colour_type = interlace = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, bit_depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    if bit_depth != 8 or colour_type not in (2, 6) or interlace:
        raise ValueError(f"{path}: PNG of depth {bit_depth}, colour type {colour_type}, interlace {interlace} not handled")
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    p = 0
    for _ in range(height):
        kind = raw[p]
        line = bytearray(raw[p + 1 : p + 1 + stride])
        p += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                estimate = left + up - up_left
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - up_left)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else up_left)
                line[i] = (line[i] + predictor) & 0xFF
        rows.append(bytes(line) if channels == 3 else bytes(b for k, b in enumerate(line) if k % 4 != 3))
        previous = line
    return width, height, rows


def screenshot_problems(path: Path, min_ink_fraction: float = 0.01, min_colours: int = 8) -> list[str]:
    width, height, rows = png_pixels(path)
    background = rows[0][:3]
    ink, colours = 0, set()
    for row in rows[:: max(1, height // 400)]:
        for x in range(0, width * 3, 3 * max(1, width // 400)):
            px = row[x : x + 3]
            colours.add(px)
            if px != background:
                ink += 1
    sampled = len(rows[:: max(1, height // 400)]) * len(range(0, width * 3, 3 * max(1, width // 400)))
    problems = []
    if ink < min_ink_fraction * sampled:
        problems.append(f"screenshot looks blank: {ink} of {sampled} sampled pixels differ from the background")
    if len(colours) < min_colours:
        problems.append(f"screenshot has only {len(colours)} colours (at least {min_colours} expected)")
    return problems


def check(report: Path, sections: list[str], screenshot: Path, chromium: str, timeout_s: float = 120.0) -> list[str]:
    problems: list[str] = []
    text = report.read_text(encoding="utf-8")
    for m in EXTERNAL_RESOURCE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        problems.append(f"{report}:{line}: loads a resource from elsewhere: {text[m.start():m.start() + 60]!r}")

    url = report.resolve().as_uri()
    with tempfile.TemporaryDirectory() as profile:
        common = [f"--user-data-dir={profile}", "--window-size=1280,1600", "--hide-scrollbars"]
        shot = subprocess.run(chromium_command(chromium, *common, f"--screenshot={screenshot}", url),
                              capture_output=True, text=True, timeout=timeout_s)
        dom = subprocess.run(chromium_command(chromium, *common, "--dump-dom", url), capture_output=True, text=True, timeout=timeout_s)
    for run in (shot, dom):
        for line in run.stderr.splitlines():
            if CONSOLE_LINE.search(line):
                problems.append(f"console: {line.split('] ', 1)[-1]}")
    if shot.returncode != 0 or not screenshot.exists():
        problems.append(f"chromium --screenshot failed (exit {shot.returncode}): {shot.stderr.strip()[-400:]}")
    else:
        problems += screenshot_problems(screenshot)
    if dom.returncode != 0 or "<html" not in dom.stdout:
        problems.append(f"chromium --dump-dom failed (exit {dom.returncode})")
        return problems

    parsed = _Dom()
    parsed.feed(dom.stdout)
    for s in sections:
        if s not in parsed.ids:
            problems.append(f"section '{s}' missing: no element with id=\"{s}\" in the rendered page")
        elif not parsed.ids[s].strip():
            problems.append(f"section '{s}' is empty")
    if sections and not parsed.nav_targets:
        problems.append("no navigation bar (<nav> with links to the sections)")
    for target in parsed.nav_targets:
        if target not in parsed.ids:
            problems.append(f"navigation link #{target} points at nothing")
    for s in sections:
        if parsed.nav_targets and s not in parsed.nav_targets:
            problems.append(f"section '{s}' is not in the navigation bar")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("report", type=Path)
    ap.add_argument("--sections", default="design,performance,safety,production,road", help="ids that must be there, comma-separated")
    ap.add_argument("--screenshot", type=Path, help="where to keep the screenshot (default: a temporary file)")
    ap.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser") or "chromium")
    a = ap.parse_args(argv)
    if not a.report.is_file():
        print(f"error: {a.report}: no such file", file=sys.stderr)
        return 2
    if not shutil.which(a.chromium) and not Path(a.chromium).is_file():
        print(f"error: Chromium not found ({a.chromium}); Debian: apt-get install chromium", file=sys.stderr)
        return 2
    sections = [s for s in a.sections.split(",") if s]
    with tempfile.TemporaryDirectory() as tmp:
        shot = a.screenshot or Path(tmp) / "report.png"
        problems = check(a.report, sections, shot, a.chromium)
    for p in problems:
        print(p)
    if not problems:
        print(f"{a.report}: renders in Chromium; sections {', '.join(sections)} present; no console messages")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
