"""The intake of a new report: from a PDF or text to reviewed rows in the figures files.

* :mod:`.documents` turns a PDF into text, reads the data-to date and registers the document;
* :mod:`.numbers` finds every printed number on a line, reads its value, unit and measure, and
  suggests an exclusion reason for the numbers that are not figures (the reasons of ``make verify-sources``);
* :mod:`.periods` reads the period a figure describes from the words around it, relative to the data-to date;
* :mod:`.ranker` ranks metric codes by how closely a sentence matches earlier reports' snippets;
* :mod:`.context` finds a table row's header (its columns' periods) and the heading a line sits under;
* :mod:`.furniture` finds page furniture (front matter, contents lists, running headers and footers) by its shape;
* :mod:`.learn` scores candidate metrics and the confidence; :mod:`.fit` fits both on held reports;
* :mod:`.draft` writes ``intake/<key>/draft.csv`` and ``excluded.csv``;
* :mod:`.review` checks a reviewed draft with the data contract and the provenance checks, and accepts it.

Pure Python: CSV and text in, CSV out.
"""
