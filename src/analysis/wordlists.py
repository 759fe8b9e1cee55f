"""Closed word lists the extraction rules read where a tagger or parser would otherwise decide.

Data only: lower-cased forms (as in ``Doc.norm``) or single punctuation tokens. Each list is part
of the behaviour of the rules that read it -- a word added or removed changes the extracted spans,
so a change is measured like any other rule change (``docs/attribution.md``).
"""

from __future__ import annotations

# --- attribution spans (analysis.attribution) -----------------------------------------------------
# Punctuation that ends a clause: a source or noun phrase never runs across one.
CLAUSE_STOP = frozenset({";", ":", "—", "–", "[", "]"})
# Finite verbs that end a subject noun phrase ("Trump called on her ... and said": the source is
# "Trump"). Without a tagger this list and the -ed ending stand in for part-of-speech tags.
VERBS = frozenset(
    """is are was were has have had will would can could may might should must shall does did do
met took made gave went came got won ran led became began kept left put sent set spent saw heard held brought
thought told said says called focused attacked landed pulled opposed outstripped complained defended
wants wanted tried tries seemed seems appeared appears remains remained continues continued""".split()
)
# Words that open an adverbial or subordinate phrase in front of the subject ("On Monday, ...",
# "While some in Russia view ...") and so are not part of the source.
LEAD_WORDS = frozenset(
    """on in at after before during while when whereas but and or yet so however meanwhile
also earlier later yesterday today tonight now then still as since although though if because separately
instead moreover furthermore indeed thus therefore hence for with without by from under over last this
monday tuesday wednesday thursday friday saturday sunday speaking asked writing
following despite amid amidst ahead unlike throughout within regarding given besides""".split()
)
# Conjunctions that open a clause: skipped in front of a subject, and the word a content cut at the
# next attribution drops ("..., while supporters see").
CONJ = frozenset(
    {
        "and",
        "but",
        "or",
        "while",
        "whereas",
        "as",
        "although",
        "though",
        "because",
        "so",
        "yet",
        "if",
        "when",
        "since",
        "nor",
    }
)
# Subordinators and relative pronouns: a clause boundary for a subject walked leftwards, the end of a
# speaker's description after a comma.
SUBORD = frozenset(
    {
        "that",
        "as",
        "when",
        "because",
        "while",
        "if",
        "since",
        "where",
        "which",
        "who",
        "whom",
        "although",
        "though",
        "after",
        "before",
        "until",
        "unless",
        "whereas",
        "whether",
    }
)
# What may stand just before an "-ing" cue that continues a clause's speaker (", saying", "by adding").
PARTICIPLE_LEAD = frozenset({",", "by", "before", "after", "while", "in", "when", "without", "—", "–", "-"})
# Determiners: an "-ed" word after one is a noun or adjective ("the detailed"), not a verb ending the subject.
DETERMINERS = frozenset({"the", "a", "an", "one", "another", "his", "her", "their", "its"})
# Function words after a cue word: only these let the cue grow by the generic extension rows
# ("criticism of", not "strategy said"); none starts a described speaker's name.
PARTICLES = frozenset(
    {
        "to",
        "about",
        "of",
        "for",
        "on",
        "with",
        "at",
        "by",
        "in",
        "over",
        "against",
        "into",
        "out",
        "up",
        "back",
        "off",
        "that",
        "as",
        "from",
        "upon",
        "behind",
        "toward",
        "towards",
    }
)
# Adverbs dropped from the end of a subject ("Trump later", "Murphy, though,").
TRAILING_ADVERBS = frozenset(
    """later though however also too then previously now again recently first still
earlier once initially publicly privately repeatedly""".split()
)
# Auxiliaries: one opening a question ("Did Trump say"); none stands before a reduced relative's
# participle ("the compensation requested by").
AUX = frozenset("have has had did does do is are was were will would can could should".split())
# Day words: never a cue head, dropped from the end of a source ("The White House on Monday").
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday yesterday today tonight".split())
# Prepositions that open circumstances between cue and content ("said in a recent interview that"),
# or an adjunct ending an inverted speaker's name ("said Jane Doe at a press conference").
ADJUNCT_PREPS = frozenset({"in", "on", "at", "during", "after", "before", "while", "when", "to"})
# First words of a time phrase without its comma ("On Friday the father said", "said last week").
TIME_LEAD = frozenset({"on", "last", "this", "next", "early", "late", "in", "by"})
# Second words of such a time phrase: days, months and parts of the calendar.
TIME_WORDS = WEEKDAYS | frozenset(
    """january february march april may june july august september october november
december week month year weekend morning evening afternoon night""".split()
)
# Nouns that are a cue with "from"/"by" and their source ("statements from Russian officials").
NOMINAL_CUES = frozenset(
    """statement statements remarks comments criticism warning warnings claims claim
accusations allegations testimony""".split()
)
# Words ending the source of a nominal cue ("comments from X about Y": the source is X).
NOMINAL_STOP = frozenset({"about", "on", "over", "regarding", "concerning", "that", "to", "in", "at", "as"})
# Forms of "be" before a passive reporting verb ("was shared by X", "was asked").
PASSIVE_AUX = frozenset({"was", "were", "been", "is", "are", "be", "being"})
# Characters a content cut may end on besides letters and digits (closing quotes, brackets, "%").
CLOSING_PUNCT = frozenset("\"”’'»)%")
# Personal pronouns: a subject on their own (a model feature; a sentence's subject ends after one).
PRONOUNS = frozenset({"he", "she", "they", "we", "i", "you", "it"})
# Auxiliaries a source never ends in ("Donald Trump Is Calling", "those who have expressed").
AUX_TAIL = frozenset({"has", "have", "had", "is", "are", "was", "were"})
# Cue lemmas whose object is the addressee, not the content ("told reporters that ...").
NOUN_OBJECT_VERBS = frozenset({"tell", "ask", "inform", "remind", "warn", "urge", "assure", "advise"})


# --- source typing (analysis.sources) ---------------------------------------------------------
# Name suffixes: part of a name, never its surname ("Martin Luther King Jr.").
NAME_SUFFIXES = {"jr.", "jr", "sr.", "sr", "ii", "iii", "iv"}
# Lowercase words that may sit inside a capitalised name ("Studio of Military Painters",
# "Osama bin Laden", "Ludwig van Beethoven").
NAME_CONNECTORS = {
    "of",
    "for",
    "de",
    "du",
    "da",
    "del",
    "della",
    "di",
    "van",
    "von",
    "der",
    "den",
    "bin",
    "ibn",
    "al",
    "el",
    "la",
    "le",
    "dos",
    "das",
    "y",
    "&",
}
NAME_CONNECTORS_THE = NAME_CONNECTORS | {"the"}
# Punctuation after a word that ends a name.
NAME_BREAKERS = set(',;:()\n—–!?"“”')
# Words that end a noun phrase's head: a post-modifier or relative clause follows
# ("officials [familiar with ...]", "a spokesman [for] the campaign").
HEAD_CUT_WORDS = {
    "who",
    "whom",
    "whose",
    "which",
    "that",
    "of",
    "for",
    "from",
    "at",
    "in",
    "with",
    "on",
    "by",
    "to",
    "familiar",
    "close",
    "involved",
    "and",
    "or",
    "about",
    "under",
    "over",
    "within",
    "among",
    "including",
    "than",
}
# Auxiliaries and reporting verbs: a span holding one is a clause; its subject comes before.
CLAUSE_WORDS = {
    "may",
    "might",
    "will",
    "would",
    "could",
    "can",
    "should",
    "must",
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "does",
    "did",
    "do",
    "said",
    "says",
    "say",
}
# Words a source span may open with when it was cut from a clause: skipped before typing.
LEADING_CUT_WORDS = HEAD_CUT_WORDS | CLAUSE_WORDS
# Marks between two words that end a head ("Brian Fallon[, a spokesman]").
HEAD_ENDERS = tuple(",(;:—–")
# A span opening with one of these is about the pronoun's referent ("he said, though").
SUBJECT_PRONOUNS = {"he", "she", "they", "i", "we"}
# Determiners that make a noun phrase definite: "the minister" is an anaphor, "a minister" is not.
DEFINITE_DETERMINERS = {"the", "this", "that", "these", "those"}
ARTICLES = {"a", "an", "the"}
