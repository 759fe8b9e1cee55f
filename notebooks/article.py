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
corpus = "data/sample"  # the corpus holding the article
article_id = None  # None: the first article of the corpus
title = "One article, annotated"
cache_dir = "data/cache"
results_dir = ""  # a folder written by analysis extract --out; empty: extract here

# %%
inputs = reports.load_inputs(corpus, results_dir, cache_dir)
article = view.pick_article(inputs.texts, article_id)
frames = tally.in_memory(tally.select(inputs.data, article_ids=[article["article_id"]]))
figures = tally.headline(frames)
notes = quality.corpus_notes(frames, inputs.texts)  # e.g. whether its quotation marks were lost
reports.record("headline", figures)
view.title_block(title, view.selection_note(corpus, figures=figures, article=article))

# %% [markdown]
# Every attribution and hedge the rules found in this article. Hover over a highlight to see its
# category, voice, source type and the rule that fired.

# %%
view.caution(notes)

# %%
view.headline_cards(figures, notes)

# %%
view.article_html(
    article["text"], frames.attributions, frames.hedges, title=article.get("title"), url=article.get("url")
)

# %% [markdown]
# ## Who is cited in this article

# %%
plots.source_mix_chart(tally.source_type_mix(frames))

# %% [markdown]
# ## Attributions

# %%
view.table(
    frames.attributions[["speaker", "source_type", "source_text", "cue_text", "cue_category", "kind", "content_text"]],
    "Attributions in article order",
    interactive=True,
)

# %% [markdown]
# ## Hedges

# %%
view.table(
    frames.hedges[["text", "category", "voice", "is_hedge", "rule"]], "Hedges in article order", interactive=True
)

# %%
view.method_note(notes)
