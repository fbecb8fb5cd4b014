"""The version of the reading pipeline a letter was extracted with.

Taken from `extract.PIPELINE_VERSION` when the extraction package declares one,
else from the installed package version; `CONGVAN_PIPELINE_VERSION` overrides it
(used to test that a newer pipeline keeps human corrections).
"""

from __future__ import annotations

import os
from importlib import metadata


def pipeline_version() -> str:
    override = os.environ.get("CONGVAN_PIPELINE_VERSION", "").strip()
    if override:
        return override[:40]
    import extract  # here, not at import time: the web process only needs the version

    declared = getattr(extract, "PIPELINE_VERSION", None)
    if declared:
        return str(declared)[:40]
    try:
        return metadata.version("congvan")
    except metadata.PackageNotFoundError:
        return "0"
