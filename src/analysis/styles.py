"""The look of the report pages: the stylesheet (screen and print), the highlighting legend, and
the two copies of an evidence table -- plain HTML for print, a DataTable (``itables``, bundled into
the page, no network) for the screen. :mod:`analysis.display` builds the pages with these.

Colours of categories come from ``analysis.palette``, the same as the charts'. Every cell handed to
:func:`static_table` / :func:`datatable` is HTML already escaped by the caller.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools

import pandas as pd

from analysis.palette import PALETTE, tint

_REPORTER, _SOURCE = PALETTE["voice"]["reporter"], PALETTE["voice"]["source"]

# Screen shows the interactive copy of a table, print the static one (the PDF is printed with
# print media). Repeated with every interactive table so that it holds outside the reports too.
SWAP_CSS = (
    "<style>.an-static { display: none; } @media print { .an-interactive { display: none !important; } "
    ".an-static { display: block !important; } }</style>"
)

CSS = f"""
<style>
.an-report {{ font-family: Georgia, 'Times New Roman', serif; line-height: 1.5; }}
.an-article {{ white-space: pre-wrap; font-family: Georgia, serif; font-size: 15px; line-height: 1.7;
  max-width: 46em; padding: 0.5em 1em; border-left: 3px solid #ddd; }}
.an-src {{ background: #cfe3f7; border-bottom: 2px solid #1f77b4; }}
.an-cue {{ background: #ffe08a; font-weight: bold; }}
.an-content {{ background: #e6f4e1; }}
.an-hedge {{ text-decoration: underline wavy {_SOURCE}; text-decoration-thickness: 1.5px; text-underline-offset: 3px; }}
.an-hedge.an-voice-reporter {{ background: {tint(_REPORTER, 0.78)}; text-decoration-color: {_REPORTER}; }}
.an-hedge.an-voice-source {{ text-decoration-color: {_SOURCE}; }}
.an-condition {{ text-decoration: underline dotted #888; }}
.an-legend span {{ padding: 1px 6px; margin-right: 6px; font-size: 13px; }}
.an-meta {{ color: #555; font-size: 13px; }}
.an-cat {{ white-space: nowrap; }}
.an-chip {{ display: inline-block; width: 0.75em; height: 0.75em; border-radius: 2px; margin: 0 0.25em 0 0;
  vertical-align: baseline; }}
.an-evidence {{ border-collapse: collapse; font-size: 13px; width: 100%; table-layout: auto !important; }}
.an-evidence th, .an-evidence td {{ border-bottom: 1px solid #ddd; padding: 4px 6px;
  text-align: left !important; vertical-align: top; white-space: normal !important; overflow-wrap: break-word; }}
.an-evidence td.an-sentence {{ font-family: Georgia, serif; font-size: 14px; width: 58%; }}
.an-evidence caption {{ text-align: left; font-weight: bold; padding: 4px 0; caption-side: top; }}
.an-caption {{ font-weight: bold; font-size: 13px; margin: 10px 0 2px 0; }}
.an-figures {{ display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0 14px 0; }}
.an-figure {{ border: 1px solid #ddd; border-radius: 4px; padding: 6px 10px; min-width: 9em; }}
.an-figure b {{ display: block; font-size: 22px; }}
.an-figure small {{ color: #555; }}
.an-caution {{ border-left: 4px solid #E69F00; background: #FFF6E0; padding: 6px 12px; margin: 8px 0; }}
.an-caution p {{ margin: 4px 0; }}
h1.an-title {{ font-family: Georgia, serif; margin-bottom: 0.1em; }}
/* Print (the PDF): a heading or a line of prose stays with what follows it; a short table, a chart
   or a card is not split (a long table is, between rows: moving it whole would leave half a page
   empty); a split table repeats its header; charts are capped in height so that a heading and its
   chart fit on what is left of a page more often. */
@media print {{
  h1, h2, h3, h4 {{ break-after: avoid; page-break-after: avoid; break-inside: avoid; }}
  .jp-MarkdownCell {{ break-after: avoid; page-break-after: avoid; }}
  .an-evidence.an-short, .an-figures, .an-caution, .an-legend, .jp-MarkdownCell table {{
    break-inside: avoid; page-break-inside: avoid; }}
  .an-evidence tr, .jp-MarkdownCell tr {{ break-inside: avoid; page-break-inside: avoid; }}
  .an-evidence thead, .jp-MarkdownCell thead {{ display: table-header-group; }}
  .an-evidence caption {{ break-after: avoid; }}
  .jp-RenderedImage img {{ max-height: 105mm; width: auto !important; max-width: 100%; }}
}}
</style>
"""

LEGEND = (
    '<div class="an-legend an-meta">Highlighting: '
    '<span class="an-src">source</span><span class="an-cue">cue</span>'
    '<span class="an-content">what was said</span>'
    '<span class="an-hedge an-voice-reporter">hedge, reporter\'s voice</span>'
    '<span class="an-hedge an-voice-source">hedge, in a source\'s words</span>'
    '<span class="an-condition">condition (not counted)</span> '
    "(hover for details)</div>"
)


@functools.lru_cache(maxsize=1)
def datatables_bundle() -> str:
    """itables' JavaScript and CSS, inlined (about 1 MB): the page needs no network. "" without itables.

    Without it (itables missing, or a version whose offline loader differs) every table is plain.
    """
    try:
        from itables import javascript as itables_js

        return itables_js.generate_init_offline_itables_html(itables_js.opt.dt_bundle)
    except (ImportError, AttributeError):
        return ""


_table_ids = itertools.count(1)
SHORT_TABLE = 12  # rows: a table up to this long is kept on one page in print


def static_table(head: list[str], rows: list[list[str]], caption: str, classes: dict[int, str]) -> str:
    """A plain HTML table of cells that are already HTML (escaped by the caller)."""
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    th = "".join(f"<th>{h}</th>" for h in head)

    def td(i, cell):
        return f'<td class="{classes[i]}">{cell}</td>' if i in classes else f"<td>{cell}</td>"

    body = "".join("<tr>" + "".join(td(i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    short = " an-short" if len(rows) <= SHORT_TABLE else ""
    return f'<table class="an-evidence{short}">{cap}<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def datatable(head: list[str], rows: list[list[str]], classes: dict[int, str]) -> str:
    """The same cells as a DataTable: search box, sortable columns, pages of 10.

    Its script is :func:`datatables_bundle`, put in the page once by ``display.title_block``.
    """
    from itables import to_html_datatable

    digest = hashlib.sha1("\x1f".join([*head, *(c for r in rows for c in r)]).encode()).hexdigest()[:10]
    return to_html_datatable(
        pd.DataFrame(rows, columns=head),
        table_id=f"an_table_{next(_table_ids)}_{digest}",
        allow_html=True,  # the cells are our own markup around escaped text
        connected=False,
        display_logo_when_loading=False,
        showIndex=False,
        maxBytes=0,  # never drop rows to save space: evidence is the point
        order=[],  # keep the table's own order until the reader sorts
        classes="display compact an-evidence",
        columnDefs=[{"targets": i, "className": c} for i, c in classes.items()],
        layout={"topStart": "info", "topEnd": "search", "bottomStart": None, "bottomEnd": "paging"},
    )
