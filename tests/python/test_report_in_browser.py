"""The qualify report opens in headless Chromium: no console messages, a non-blank screenshot, every section
and a working navigation bar; and the checker itself catches broken pages (so this test can fail)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHECKER = REPO / "tools" / "check_report_in_browser.py"

needs_chromium = pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")),
                                    reason="Chromium is not installed (apt-get install chromium)")


def check(page: Path, sections="design", shot=None):
    args = [sys.executable, str(CHECKER), str(page), "--sections", sections]
    if shot:
        args += ["--screenshot", str(shot)]
    return subprocess.run(args, capture_output=True, text=True, timeout=300)


@needs_chromium
def test_qualify_report_renders(cli, tmp_path):
    subprocess.run([cli, "qualify", "-o", str(tmp_path / "report")], check=True, capture_output=True, timeout=900)
    r = check(tmp_path / "report" / "index.html", "design,performance,safety,production,road", tmp_path / "report.png")
    assert r.returncode == 0, r.stdout + r.stderr
    assert (tmp_path / "report.png").stat().st_size > 20000


GOOD = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{font:16px sans-serif;color:#123}
.b{background:linear-gradient(90deg,#c00,#0c0,#00c);height:400px}</style></head><body>
<nav><a href="#design">1. Design</a></nav><h2 id="design">1. Design</h2><div class="b"></div>%s</body></html>"""


@needs_chromium
@pytest.mark.parametrize(
    "body, expected",
    [
        ("<script>undefinedFunction()</script>", "console"),
        ('<img src="https://example.org/x.png">', "loads a resource"),
        ("", None),
    ],
)
def test_checker_catches_broken_pages(tmp_path, body, expected):
    page = tmp_path / "page.html"
    page.write_text(GOOD % body)
    r = check(page)
    if expected is None:
        assert r.returncode == 0, r.stdout
    else:
        assert r.returncode == 1 and expected in r.stdout, r.stdout


@needs_chromium
def test_checker_catches_a_missing_section_and_a_blank_page(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(GOOD % "")
    r = check(page, "design,safety")
    assert r.returncode == 1 and "section 'safety' missing" in r.stdout
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body><nav><a href='#design'></a></nav><div id='design'> </div></body></html>")
    r = check(blank)
    assert r.returncode == 1 and "blank" in r.stdout and "empty" in r.stdout
