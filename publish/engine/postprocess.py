"""Post-processing of the written PDF: page labels and viewer settings (pydyf finisher), impositions (pypdf)."""

from __future__ import annotations

from typing import Any, Callable

Finisher = Callable[[Any, Any], None]


def front_matter_finisher(body_start: int) -> Finisher:
    """Label front matter i, ii, … and the body from 1; open with bookmarks and the document title.

    Done as WeasyPrint finisher on the PDF object tree before it is written: rewriting the file
    with pypdf afterwards would drop WeasyPrint's compressed object streams (about 20 % larger),
    and pypdf's incremental update loses the /Info dictionary for poppler.
    """

    def finish(document: Any, pdf: Any) -> None:
        """Add /PageLabels, /PageMode and /ViewerPreferences to the catalog."""
        import pydyf

        numbers = pydyf.Array()
        if body_start > 1:
            numbers.extend([0, pydyf.Dictionary({"S": "/r"})])
        numbers.extend([max(body_start - 1, 0), pydyf.Dictionary({"S": "/D", "St": 1})])
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": numbers})
        pdf.catalog["PageMode"] = "/UseOutlines"
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})

    return finish


def chain(*finishers: Finisher) -> Finisher:
    """One WeasyPrint finisher that runs *finishers* in order."""

    def finish(document: Any, pdf: Any) -> None:
        """Run each finisher on the PDF before it is written."""
        for finisher in finishers:
            finisher(document, pdf)

    return finish
