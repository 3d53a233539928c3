"""``python -m sphinx_mlrefarch.cli``: the same as the ``mlrefarch`` command."""

from . import main

raise SystemExit(main())
