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
# use the drop-down lists or add cells below: everything in `analysis.tally` returns a tidy pandas
# DataFrame.

# %%
from analysis import display as view
from analysis import reports, results, tally
from analysis.explorer import explorer

# %% tags=["parameters"]
# Relative paths are from the project folder, whichever folder the notebook runs in.
corpus = "data/external/news_articles.csv"
outlet = None  # the outlet the explorer starts with; None: all outlets
cache_dir = "data/cache"
title = "Exploring the corpus"
results_dir = ""  # a folder written by analysis extract --out; empty: extract here

# %%
inputs = reports.load_inputs(corpus, results_dir, cache_dir, progress=True)
data = tally.select(inputs.data, outlet=outlet)
view.title_block(title, view.selection_note(corpus, outlet, None, None, tally.headline(data)))

# %% [markdown]
# ## Explore with drop-down lists
#
# Choose an outlet, a month, a source type and a cue category: the charts and the example sentences
# below them are redrawn for that choice (the source type and cue category choose attributions; the
# hedge chart follows the outlet and month). The lists need JupyterLab, where `ipywidgets` makes them
# work; in a notebook run in batch they stay still.

# %%
explorer(inputs.data, inputs.texts, outlet=outlet)

# %% [markdown]
# ## The frames
#
# One row per attribution, per hedge and per article (the first rows of each).
# `tally.in_memory(data)` gives all three as pandas frames when the selection fits in memory.

# %%
results.head(data, "attributions")

# %%
results.head(data, "hedges")

# %%
view.table(tally.per_outlet(data), "Articles and rates per outlet", interactive=True)

# %% [markdown]
# Who is quoted most? Try `by="outlet"`.

# %%
tally.top_speakers(data, n=20)

# %% [markdown]
# Every sentence behind a figure, e.g. all anonymous sources (search and sort the table):

# %%
view.evidence_table(inputs.texts, tally.attributions_of(data, source_type="anonymous"), n=20, interactive=True)

# %% [markdown]
# One article with everything highlighted (give an `article_id`; None: the first):

# %%
one = view.pick_article(inputs.texts, None)
one_frames = tally.in_memory(tally.select(data, article_ids=[one["article_id"]]))
view.article_html(one["text"], one_frames.attributions, one_frames.hedges, title=one.get("title"))
