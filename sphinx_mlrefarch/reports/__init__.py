"""Reports of a project's coverage and findings, one module per format. Pure.

:mod:`.text` (console and ``mlrefarch-report.txt``), :mod:`.markdown`.
"""
