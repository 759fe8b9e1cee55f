"""Writes the report notebooks (run: python notebooks/build_notebooks.py).

Default paths are relative to this folder (a JupyterLab kernel starts in the notebook's folder);
the batch always passes absolute ones. The notebooks are thin on purpose: a ``parameters`` cell, calls into ``analysis``, and prose.
Keeping their source here makes review easy (plain Python diff) and guarantees they are saved
without outputs and with the "analysis" kernel. Edit this file, re-run it, commit both.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
KERNEL = {"name": "analysis", "display_name": "Python (analysis)", "language": "python"}

SETUP = """\
import analysis
from analysis import cache, display as view, plots, reports, results, tally"""

# With results_dir the tallies read that folder (pyarrow, only the columns and rows they need) and
# the corpus is read only for the sentences quoted as evidence; without it, the corpus is extracted
# here (through the cache) and everything is in memory. The tables are the same either way.
RESULTS_DIR = '''
results_dir = ""                             # a folder written by analysis extract --out; empty: extract here'''
LOAD = """\
articles = corpus if results_dir else analysis.load_corpus(corpus)
data = results_dir or cache.extract_cached(articles, cache_dir)"""

METHOD = """\
## Method and limits

- **What is counted.** Every attribution (someone *said*, *told*, *believes*, *according to* …)
  is found by lexicons and patterns plus a small cue model trained on hand-annotated news
  (PolNeAR), all shipped with the `analysis` package and run offline; each source is typed as a
  named person, organisation, media outlet or document, or as **anonymous** ("a senior official",
  "people familiar with the matter") or **vague** ("critics", "some in Russia"). Hedges ("may",
  "reportedly", "it appears") are counted per 1,000 words, split into the reporter's own voice
  and words inside a source's attributed content.
- **Every number can be checked.** The evidence tables quote the sentences behind the figures, with
  the source, cue and hedge highlighted; hovering over a highlight in the HTML shows the rule that
  fired.
- **Limits.** Rules miss unusual phrasings and sometimes mistype a source (for example a pronoun
  whose referent is several sentences back). Scores against hand-annotated news (PolNeAR) and
  hedge-annotated text (Szeged Uncertainty) are in the project README. Differences of a few
  percentage points between outlets or months are usually within the uncertainty shown by the
  intervals; treat them as leads to check, not findings.
- **The corpus** is a fixed sample of articles; an outlet's figures describe the articles in it,
  not everything the outlet published.
"""


def parameters(source: str):
    return new_code_cell(source, metadata={"tags": ["parameters"]})


def notebook(cells: list) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    return nb


OUTLET_REPORT = notebook([
    parameters("""\
corpus = "../data/external/news_articles.csv"   # a .csv / .jsonl / .parquet corpus or a folder of .txt
outlet = None                                # e.g. "BBC"; None: every outlet together
start = None                                 # first publication date, e.g. "2017-01-01"
end = None                                   # last publication date (inclusive), e.g. "2017-03-31"
title = "Sources and hedging"
cache_dir = "../data/cache"
examples = 8                                 # example sentences per evidence table""" + RESULTS_DIR),
    new_code_cell(SETUP + "\n\n" + LOAD + """
data = tally.select(data, outlet=outlet, start=start, end=end)
figures = tally.headline(data)
reports.record("headline", figures)
view.title_block(title, view.selection_note(corpus, outlet, start, end, figures))"""),
    new_markdown_cell("""\
How this outlet's stories cite their sources and how sure they sound. The figures below are
counted over every article in the selection; the evidence tables at the end quote the sentences
behind them."""),
    new_code_cell("view.headline_cards(figures)"),
    new_markdown_cell("""\
## Who is cited

Each attribution's source, by type. *Anonymous* sources are unnamed but described as having
knowledge ("a source familiar with the talks"); *vague* sources are unspecific groups
("officials", "experts"); *unresolved* means the rules could not tell who was speaking."""),
    new_code_cell("mix = tally.source_type_mix(data)\nplots.source_mix_chart(mix)"),
    new_code_cell('view.table(mix[["source_type", "n", "share"]], "Attributions by source type", percent=("share",))'),
    new_markdown_cell("## The most-cited named sources"),
    new_code_cell("speakers = tally.top_speakers(data, n=12)\nplots.top_speakers_chart(speakers)"),
    new_markdown_cell("""\
## How sources are cited

The verbs and phrases that introduce what a source said. A neutral *said* reads differently from
*claimed* or *admitted*; the category comes from the cue lexicon."""),
    new_code_cell("cues = tally.cue_verbs(data, n=15)\nplots.cue_verbs_chart(cues)"),
    new_markdown_cell("""\
## How sure does the story sound

Hedges per 1,000 words by month of publication: all hedges, and those in the reporter's own voice
(outside quotes). Months with few articles (n is shown on each point) move a lot by chance."""),
    new_code_cell("rates = tally.hedging_over_time(data)\nplots.hedging_over_time_chart(rates)"),
    new_code_cell('view.table(rates[["period", "n_articles", "n_words", "n_hedges", "hedges_per_1k_words", '
                  '"reporter_hedges_per_1k_words"]], "Hedging by month")'),
    new_markdown_cell("""\
## Evidence

Example sentences behind the figures above, spread over as many articles as possible. The
source is shaded blue, the cue yellow, what was said green, and hedges are underlined."""),
    new_code_cell('view.evidence_table(articles, tally.attributions_of(data, source_type="anonymous"), '
                  'n=examples, caption="Anonymous sources")'),
    new_code_cell('view.evidence_table(articles, tally.attributions_of(data, source_type="vague"), '
                  'n=examples, caption="Vague sources")'),
    new_code_cell('view.evidence_table(articles, tally.hedges_of(data, voice="reporter"), '
                  'n=examples, caption="Hedges in the reporter\'s own voice")'),
    new_markdown_cell(METHOD),
])

COMPARISON = notebook([
    parameters("""\
corpus = "../data/external/news_articles.csv"
start = None                 # first publication date, e.g. "2017-01-01"
end = None                   # last publication date (inclusive)
title = "Outlets compared: sources and hedging"
cache_dir = "../data/cache"
resamples = 2000             # bootstrap resamples of articles per outlet
examples = 6""" + RESULTS_DIR),
    new_code_cell(SETUP + "\n\n" + LOAD + """
data = tally.select(data, start=start, end=end)
figures = tally.headline(data)
outlets = tally.per_outlet(data)
intervals = tally.bootstrap_intervals(data, metrics=list(tally.METRICS), n_resamples=resamples)
reports.record("headline", figures)
reports.record("per_outlet", outlets.to_dict(orient="records"))
reports.record("intervals", intervals.to_dict(orient="records"))
view.title_block(title, view.selection_note(corpus, None, start, end, figures))"""),
    new_markdown_cell("""\
Every outlet in the corpus side by side. Each dot is the outlet's figure; the whisker is a 95%
bootstrap interval from resampling its articles 2,000 times. **When two whiskers overlap, the
corpus does not show a clear difference between those outlets**: read small gaps as noise."""),
    new_code_cell("view.headline_cards(figures)"),
    new_markdown_cell("## Who is cited, by outlet"),
    new_code_cell('plots.source_mix_chart(tally.source_type_mix(data, by="outlet"))'),
    new_markdown_cell("## Attributions per article"),
    new_code_cell('plots.outlet_intervals_chart(intervals, "attributions_per_article")'),
    new_markdown_cell("## Anonymous and vague sources"),
    new_code_cell('plots.outlet_intervals_chart(intervals, "share_anonymous")'),
    new_code_cell('plots.outlet_intervals_chart(intervals, "share_vague")'),
    new_markdown_cell("## Hedging"),
    new_code_cell('plots.outlet_intervals_chart(intervals, "hedges_per_1k_words")'),
    new_code_cell('plots.outlet_intervals_chart(intervals, "reporter_hedges_per_1k_words")'),
    new_markdown_cell("## The figures in a table"),
    new_code_cell('view.table(intervals[["group", "label", "estimate", "low", "high", "n_articles"]]'
                  '.rename(columns={"group": "outlet", "label": "figure"}), "Estimates with 95% intervals")'),
    new_markdown_cell("## Evidence\n\nExample sentences with anonymous sources, across outlets."),
    new_code_cell('view.evidence_table(articles, tally.attributions_of(data, source_type="anonymous"), '
                  'n=examples, caption="Anonymous sources")'),
    new_markdown_cell(METHOD),
])

ARTICLE = notebook([
    parameters("""\
corpus = "../data/sample"       # the corpus holding the article
article_id = None            # None: the first article of the corpus
title = "One article, annotated"
cache_dir = "../data/cache\"""" + RESULTS_DIR),
    new_code_cell(SETUP + "\n\n" + LOAD + """
article = view.pick_article(articles, article_id)
frames = tally.in_memory(tally.select(data, article_ids=[article["article_id"]]))
figures = tally.headline(frames)
reports.record("headline", figures)
view.title_block(title, view.selection_note(corpus, figures=figures, article=article))"""),
    new_markdown_cell("""\
Every attribution and hedge the rules found in this article. Hover over a highlight to see its
category, voice, source type and the rule that fired."""),
    new_code_cell("view.headline_cards(figures)"),
    new_code_cell('view.article_html(article["text"], frames.attributions, frames.hedges, '
                  'title=article.get("title"), url=article.get("url"))'),
    new_markdown_cell("## Who is cited in this article"),
    new_code_cell("plots.source_mix_chart(tally.source_type_mix(frames))"),
    new_markdown_cell("## Attributions"),
    new_code_cell('view.table(frames.attributions[["speaker", "source_type", "source_text", "cue_text", "kind", '
                  '"content_text"]], "Attributions in article order")'),
    new_markdown_cell("## Hedges"),
    new_code_cell('view.table(frames.hedges[["text", "category", "voice", "is_hedge", "rule"]], '
                  '"Hedges in article order")'),
    new_markdown_cell(METHOD),
])

EXPLORE = notebook([
    new_markdown_cell("""\
# Explore a corpus

A starting point for your own questions in JupyterLab. Change the parameters, run all cells, then
add cells below: everything in `analysis.tally` returns a tidy pandas DataFrame."""),
    parameters("""\
corpus = "../data/external/news_articles.csv"
outlet = None
cache_dir = "../data/cache"
title = "Exploring the corpus\"""" + RESULTS_DIR),
    new_code_cell(SETUP + """

articles = corpus if results_dir else analysis.load_corpus(corpus)
data = results_dir or cache.extract_cached(articles, cache_dir, progress=True)
data = tally.select(data, outlet=outlet)
view.title_block(title, view.selection_note(corpus, outlet, None, None, tally.headline(data)))"""),
    new_markdown_cell("""\
The three frames: one row per attribution, per hedge and per article (the first rows of each).
`tally.in_memory(data)` gives all three as pandas frames when the selection fits in memory."""),
    new_code_cell('results.head(data, "attributions")'),
    new_code_cell('results.head(data, "hedges")'),
    new_code_cell("tally.per_outlet(data)"),
    new_markdown_cell("Who is quoted most? Try `by=\"outlet\"`."),
    new_code_cell("tally.top_speakers(data, n=20)"),
    new_markdown_cell("Every sentence behind a figure, e.g. all anonymous sources:"),
    new_code_cell('view.evidence_table(articles, tally.attributions_of(data, source_type="anonymous"), n=20)'),
    new_markdown_cell("One article with everything highlighted (give an `article_id`; None: the first):"),
    new_code_cell('one = view.pick_article(articles, None)\none_frames = tally.in_memory(tally.select(data, article_ids=[one["article_id"]]))\n'
                  'view.article_html(one["text"], one_frames.attributions, one_frames.hedges, title=one.get("title"))'),
])

NOTEBOOKS = {"outlet_report": OUTLET_REPORT, "comparison": COMPARISON, "article": ARTICLE, "explore": EXPLORE}


def main() -> None:
    for name, nb in NOTEBOOKS.items():
        for i, cell in enumerate(nb.cells):  # stable ids keep diffs of the .ipynb files small
            cell["id"] = f"{name[:12]}-{i:02d}"
        nbformat.validate(nb)
        nbformat.write(nb, str(HERE / f"{name}.ipynb"))


if __name__ == "__main__":
    main()
