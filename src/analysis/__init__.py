"""analysis: who is quoted, how are they cited, and how sure does the story sound.

The public API, for notebooks and scripts::

    import analysis
    articles = analysis.load_corpus("data/sample")
    frames = analysis.extract(articles)          # .attributions, .hedges, .articles
"""
from analysis.errors import AnalysisError
from analysis.extract import Frames, extract, extract_article

__version__ = "0.1.0"


def load_corpus(path, **kwargs):
    """Load and validate a corpus (see :func:`analysis.corpus.load_corpus`)."""
    from analysis.corpus import load_corpus as _load
    return _load(path, **kwargs)


__all__ = ["AnalysisError", "Frames", "extract", "extract_article", "load_corpus", "__version__"]
