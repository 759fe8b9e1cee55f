# ---
# jupyter:
#   kernelspec:
#     display_name: Python (analysis)
#     language: python
#     name: analysis
# ---

# %% [markdown]
# # Explore a corpus
#
# A starting point for your own questions in JupyterLab. Change the parameters, run all cells, then
# add cells below: everything in `analysis.tally` returns a tidy pandas DataFrame.

# %%
from analysis import display as view
from analysis import reports, results, tally

# %% tags=["parameters"]
# Relative paths are from the project folder, whichever folder the notebook runs in.
corpus = "data/external/news_articles.csv"
outlet = None
cache_dir = "data/cache"
title = "Exploring the corpus"
results_dir = ""  # a folder written by analysis extract --out; empty: extract here

# %%
inputs = reports.load_inputs(corpus, results_dir, cache_dir, progress=True)
data = tally.select(inputs.data, outlet=outlet)
view.title_block(title, view.selection_note(corpus, outlet, None, None, tally.headline(data)))

# %% [markdown]
# The three frames: one row per attribution, per hedge and per article (the first rows of each).
# `tally.in_memory(data)` gives all three as pandas frames when the selection fits in memory.

# %%
results.head(data, "attributions")

# %%
results.head(data, "hedges")

# %%
tally.per_outlet(data)

# %% [markdown]
# Who is quoted most? Try `by="outlet"`.

# %%
tally.top_speakers(data, n=20)

# %% [markdown]
# Every sentence behind a figure, e.g. all anonymous sources:

# %%
view.evidence_table(inputs.texts, tally.attributions_of(data, source_type="anonymous"), n=20)

# %% [markdown]
# One article with everything highlighted (give an `article_id`; None: the first):

# %%
one = view.pick_article(inputs.texts, None)
one_frames = tally.in_memory(tally.select(data, article_ids=[one["article_id"]]))
view.article_html(one["text"], one_frames.attributions, one_frames.hedges, title=one.get("title"))
