"""The directives, one module per name a user types.

========================  ==========================================
``solution``              :mod:`.solution`
``abb``                   :mod:`.abb`
``constraint``            :mod:`.constraint`
``hosting-choice``        :mod:`.hosting_choice`
``reference-model``       :mod:`.reference_model`
``abb-coverage``          :mod:`.abb_coverage`
``constraint-list``       :mod:`.constraint_list`
``hosting-matrix``        :mod:`.hosting_matrix`
``abb-diagram``           :mod:`.diagrams`
``ml-process``            :mod:`.diagrams`
``sbb-catalogue``         :mod:`.sbb_catalogue`
``sbb-usage``             :mod:`.sbb_usage`
========================  ==========================================

:mod:`.base` holds what they share (options, findings), :mod:`.options`
reads option blocks in rST and MyST, :mod:`.aggregate` is the base of the
directives that leave placeholders.
"""

from __future__ import annotations

from typing import Any

from .abb import AbbDirective
from .abb_coverage import AbbCoverageDirective
from .constraint import ConstraintDirective
from .constraint_list import ConstraintListDirective
from .diagrams import AbbDiagramDirective, MlProcessDirective
from .hosting_choice import HostingChoiceDirective
from .hosting_matrix import HostingMatrixDirective
from .reference_model import ReferenceModelDirective
from .sbb_catalogue import SbbCatalogueDirective
from .sbb_usage import SbbUsageDirective
from .solution import SolutionDirective

__all__ = ["DIRECTIVES"]

DIRECTIVES: dict[str, type[Any]] = {
    "solution": SolutionDirective,
    "abb": AbbDirective,
    "constraint": ConstraintDirective,
    "hosting-choice": HostingChoiceDirective,
    "reference-model": ReferenceModelDirective,
    "abb-coverage": AbbCoverageDirective,
    "constraint-list": ConstraintListDirective,
    "hosting-matrix": HostingMatrixDirective,
    "abb-diagram": AbbDiagramDirective,
    "ml-process": MlProcessDirective,
    "sbb-catalogue": SbbCatalogueDirective,
    "sbb-usage": SbbUsageDirective,
}
