"""Word lists of the sources step (to be merged into ``analysis.wordlists`` by the lead).

Closed-class words and punctuation the source typer reads as structure, not as lexicon entries:
the words that may sit inside a name, the words and marks that end a name or a noun phrase's
head. Editable vocabularies (titles, organisations, outlets, pronouns, given names) are the CSV
lexicons instead (``analysis/lexicons``, read by ``analysis.sources.lexicons``).
"""
from __future__ import annotations

# --- source typing (analysis.sources) ---------------------------------------------------------
# Name suffixes: part of a name, never its surname ("Martin Luther King Jr.").
NAME_SUFFIXES = {"jr.", "jr", "sr.", "sr", "ii", "iii", "iv"}
# Lowercase words that may sit inside a capitalised name ("Studio of Military Painters",
# "Osama bin Laden", "Ludwig van Beethoven").
NAME_CONNECTORS = {"of", "for", "de", "du", "da", "del", "della", "di", "van", "von", "der", "den",
                   "bin", "ibn", "al", "el", "la", "le", "dos", "das", "y", "&"}
NAME_CONNECTORS_THE = NAME_CONNECTORS | {"the"}
# Punctuation after a word that ends a name.
NAME_BREAKERS = set(",;:()\n—–!?\"“”")
# Words that end a noun phrase's head: a post-modifier or relative clause follows
# ("officials [familiar with ...]", "a spokesman [for] the campaign").
HEAD_CUT_WORDS = {"who", "whom", "whose", "which", "that", "of", "for", "from", "at", "in", "with",
                  "on", "by", "to", "familiar", "close", "involved", "and", "or", "about", "under",
                  "over", "within", "among", "including", "than"}
# Auxiliaries and reporting verbs: a span holding one is a clause; its subject comes before.
CLAUSE_WORDS = {"may", "might", "will", "would", "could", "can", "should", "must", "is", "are", "was",
                "were", "has", "have", "had", "does", "did", "do", "said", "says", "say"}
# Words a source span may open with when it was cut from a clause: skipped before typing.
LEADING_CUT_WORDS = HEAD_CUT_WORDS | CLAUSE_WORDS
# Marks between two words that end a head ("Brian Fallon[, a spokesman]").
HEAD_ENDERS = tuple(",(;:—–")
# A span opening with one of these is about the pronoun's referent ("he said, though").
SUBJECT_PRONOUNS = {"he", "she", "they", "i", "we"}
# Determiners that make a noun phrase definite: "the minister" is an anaphor, "a minister" is not.
DEFINITE_DETERMINERS = {"the", "this", "that", "these", "those"}
ARTICLES = {"a", "an", "the"}
