"""Service figures: directive queries over 10,000 stored letters, upload-to-done, memory."""

from __future__ import annotations

import argparse

from bench.pages import Corpus


def run(corpus: Corpus, args: argparse.Namespace) -> list[tuple[str, str, str]]:
    return []
