# ---
# jupyter:
#   kernelspec:
#     display_name: Python (analysis)
#     language: python
#     name: analysis
# ---

# %%
from analysis import display as view
from analysis import plots, quality, reports, tally

# %% tags=["parameters"]
# Relative paths are from the project folder, whichever folder the notebook runs in.
corpus = "data/external/news_articles.csv"
start = None  # first publication date, e.g. "2017-01-01"
end = None  # last publication date (inclusive)
title = "Outlets compared: sources and hedging"
cache_dir = "data/cache"
resamples = 2000  # bootstrap resamples of articles per outlet
examples = 6
results_dir = ""  # a folder written by analysis extract --out; empty: extract here

# %%
inputs = reports.load_inputs(corpus, results_dir, cache_dir)
data = tally.select(inputs.data, start=start, end=end, must_match=True)
figures = tally.headline(data)
outlets = tally.per_outlet(data)
intervals = tally.bootstrap_intervals(data, metrics=list(tally.METRICS), n_resamples=resamples)
notes = quality.corpus_notes(data, inputs.texts)  # articles per outlet and month, lost quotation marks
reports.record("headline", figures)
reports.record("per_outlet", outlets.to_dict(orient="records"))
reports.record("intervals", intervals.to_dict(orient="records"))
view.title_block(title, view.selection_note(corpus, None, start, end, figures))

# %% [markdown]
# Every outlet in the corpus side by side. Each dot is the outlet's figure; the whisker is a 95%
# bootstrap interval from resampling its articles 2,000 times. **When two whiskers overlap, the
# corpus does not show a clear difference between those outlets**: read small gaps as noise. Outlets
# with few articles are drawn hollow.

# %%
view.caution(notes)

# %%
view.headline_cards(figures, notes)

# %% [markdown]
# ## Who is cited, by outlet

# %%
plots.source_mix_chart(tally.source_type_mix(data, by="outlet"))

# %% [markdown]
# ## Attributions per article

# %%
plots.outlet_intervals_chart(intervals, "attributions_per_article")

# %% [markdown]
# ## Anonymous and vague sources

# %%
plots.outlet_intervals_chart(intervals, "share_anonymous")

# %%
plots.outlet_intervals_chart(intervals, "share_vague")

# %% [markdown]
# ## Hedging

# %%
plots.outlet_intervals_chart(intervals, "hedges_per_1k_words")

# %%
plots.outlet_intervals_chart(intervals, "reporter_hedges_per_1k_words")

# %% [markdown]
# ## The figures in a table

# %%
view.intervals_table(intervals, "Estimates with 95% intervals", interactive=True)

# %% [markdown]
# ## Evidence
#
# Example sentences with anonymous sources, across outlets.

# %%
view.evidence_table(
    inputs.texts,
    tally.attributions_of(data, source_type="anonymous"),
    n=examples,
    caption="Anonymous sources",
    interactive=True,
)

# %%
view.method_note(notes, intervals=True)
