"""A small team project whose output the reference book imports (see docs/office.rst).

The payments team of the fictitious Noordhaven Bank keeps its solution
architectures in a repository of its own. Its CI builds them and publishes
``mlrefarch.json`` next to the HTML; the book's ``mlrefarch_import`` reads a
copy of that file, ``docs/_imports/payments/mlrefarch.json``. To make the
copy again after changing these sources::

    sphinx-build -q -b html docs/_imports/payments-src /tmp/payments-html
    cp /tmp/payments-html/mlrefarch.json docs/_imports/payments/mlrefarch.json

The book's own build skips this folder (``exclude_patterns`` in docs/conf.py).
"""

project = "Payments solution architectures"
author = "Payments Engineering, Noordhaven Bank"
extensions = ["sphinx_mlrefarch"]
root_doc = "index"
exclude_patterns = ["_build"]

# The churn pilot is an experiment with one block still planned.
suppress_warnings = ["mlrefarch.missing"]
