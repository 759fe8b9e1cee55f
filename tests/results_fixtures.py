"""A real corpus for the results-folder tests: PolNeAR train articles with outlet and date, as JSONL."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


def write_polnear_jsonl(polnear_dir: Path, path: Path, n: int = 100, every: int = 8) -> Path:
    """Every ``every``-th train article (so every outlet and several months), ``n`` of them."""
    meta = pd.read_csv(polnear_dir / "metadata.tsv", sep="\t", dtype=str, keep_default_na=False).set_index("filename")
    files = sorted((polnear_dir / "train" / "text").glob("*.txt"))[::every][:n]
    with open(path, "w", encoding="utf-8") as fh:
        for p in files:
            row = meta.loc[p.stem]
            fh.write(
                json.dumps(
                    {
                        "article_id": p.stem,
                        "text": p.read_bytes().decode("utf-8"),
                        "outlet": row["publisher"],
                        "published": row["publication_date"],
                        "title": row["title"],
                    }
                )
                + "\n"
            )
    return path
