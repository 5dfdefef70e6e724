#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every source file the project writes carries its own SPDX-License-Identifier line near the top.

`reuse lint` (the other half of the licensing test) accepts a file covered only by .reuse/dep5;
that is right for data, screenshots and lockfiles, but code copied in from elsewhere would pass it
too. This check makes a code file without its own header fail, naming the file.
Usage: check_spdx_headers.py SOURCE_DIR
"""
import subprocess
import sys
from pathlib import Path

CODE_SUFFIXES = {".cpp", ".h", ".cmake", ".sh", ".py", ".js", ".mjs", ".go", ".in"}
CODE_NAMES = {"CMakeLists.txt"}
HEADER_LINES = 3
# The service exporters' expected outputs: generated text compared byte for byte, not written here.
GENERATED_DIRS = ("tests/data/golden/",)


def tracked_files(root: Path) -> list[Path]:
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], check=True, capture_output=True)
    return [root / name for name in listed.stdout.decode().split("\0") if name]


def is_code(root: Path, path: Path) -> bool:
    if path.relative_to(root).as_posix().startswith(GENERATED_DIRS):
        return False
    return path.suffix in CODE_SUFFIXES or path.name in CODE_NAMES


def has_header(path: Path) -> bool:
    with path.open(encoding="utf-8", errors="replace") as text:
        head = [text.readline() for _ in range(HEADER_LINES)]
    return any("SPDX-License-Identifier:" in line for line in head)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    root = Path(sys.argv[1]).resolve()
    code = [p for p in tracked_files(root) if is_code(root, p) and p.is_file()]
    missing = [p.relative_to(root) for p in code if not has_header(p)]
    for path in missing:
        print(f"{path}: no SPDX-License-Identifier line in the first {HEADER_LINES} lines", file=sys.stderr)
    print(f"check_spdx_headers: {len(code)} code files, {len(missing)} without a header")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
