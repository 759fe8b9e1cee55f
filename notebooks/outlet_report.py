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
corpus = "data/external/news_articles.csv"  # a .csv / .jsonl / .parquet corpus or a folder of .txt
outlet = None  # e.g. "BBC"; None: every outlet together
start = None  # first publication date, e.g. "2017-01-01"
end = None  # last publication date (inclusive), e.g. "2017-03-31"
title = "Sources and hedging"
cache_dir = "data/cache"
examples = 8  # example sentences per evidence table
results_dir = ""  # a folder written by analysis extract --out; empty: extract here

# %%
inputs = reports.load_inputs(corpus, results_dir, cache_dir)
outlet = tally.outlet_name(inputs.data, outlet)  # the corpus's own spelling ('rte' -> 'RTÉ')
data = tally.select(inputs.data, outlet=outlet, start=start, end=end, must_match=True)
figures = tally.headline(data)
notes = quality.corpus_notes(data, inputs.texts)  # articles per outlet and month, lost quotation marks
reports.record("headline", figures)
view.title_block(title, view.selection_note(corpus, outlet, start, end, figures))

# %% [markdown]
# How this outlet's stories cite their sources and how sure they sound. The figures below are
# counted over every article in the selection; the evidence tables at the end quote the sentences
# behind them.

# %%
view.caution(notes)

# %%
view.headline_cards(figures, notes)

# %% [markdown]
# ## Who is cited
#
# Each attribution's source, by type. *Anonymous* sources are unnamed but described as having
# knowledge ("a source familiar with the talks"); *vague* sources are unspecific groups
# ("officials", "experts"); *unresolved* means the rules could not tell who was speaking.

# %%
mix = tally.source_type_mix(data)
plots.source_mix_chart(mix)

# %%
view.table(mix[["source_type", "n", "share"]], "Attributions by source type", percent=("share",))

# %% [markdown]
# ## The most-cited named sources

# %%
speakers = tally.top_speakers(data, n=12)
plots.top_speakers_chart(speakers)

# %% [markdown]
# ## How sources are cited
#
# The verbs and phrases that introduce what a source said. A neutral *said* reads differently from
# *claimed* or *admitted*; the category comes from the cue lexicon.

# %%
cues = tally.cue_verbs(data, n=15)
plots.cue_verbs_chart(cues)

# %% [markdown]
# ## How sure does the story sound
#
# Hedges per 1,000 words by month of publication: all hedges, and those in the reporter's own voice
# (outside quotes), and inside sources' words. The number on each point is that month's articles; months
# with few articles (hollow points) move a lot by chance.

# %%
rates = tally.hedging_over_time(data)
plots.hedging_over_time_chart(rates)

# %%
view.table(
    rates[["period", "n_articles", "n_words", "n_hedges", "hedges_per_1k_words", "reporter_hedges_per_1k_words"]],
    "Hedging by month",
)

# %% [markdown]
# ## Evidence
#
# Example sentences behind the figures above, spread over as many articles as possible. The
# source is shaded blue, the cue yellow, what was said green, and hedges are underlined.

# %%
view.evidence_table(
    inputs.texts,
    tally.attributions_of(data, source_type="anonymous"),
    n=examples,
    caption="Anonymous sources",
    interactive=True,
)

# %%
view.evidence_table(
    inputs.texts,
    tally.attributions_of(data, source_type="vague"),
    n=examples,
    caption="Vague sources",
    interactive=True,
)

# %%
view.evidence_table(
    inputs.texts,
    tally.hedges_of(data, voice="reporter"),
    n=examples,
    caption="Hedges in the reporter's own voice",
    interactive=True,
)

# %%
view.method_note(notes)
