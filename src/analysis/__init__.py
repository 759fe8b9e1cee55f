"""analysis: who is quoted, how are they cited, and how sure does the story sound.

The public API, for notebooks and scripts::

    import analysis
    articles = analysis.load_corpus("data/sample")
    frames = analysis.extract(articles)          # .attributions, .hedges, .articles
"""

from analysis.corpus import load_corpus
from analysis.errors import AnalysisError
from analysis.pipeline import extract, extract_article
from analysis.schema import Frames
from analysis.version import __version__

__all__ = ["AnalysisError", "Frames", "extract", "extract_article", "load_corpus", "__version__"]
