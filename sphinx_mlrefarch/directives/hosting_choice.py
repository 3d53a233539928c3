"""``hosting-choice``: a hosting decision for one or more environments."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from sphinx.util.nodes import make_id

from ..locale import _
from ..names import slugify
from ..records import HOSTING_OPTIONS, HostingRecord
from ..render.boxes import facts, sbb_list
from .base import MlrefarchDirective


class HostingChoiceDirective(MlrefarchDirective):
    """Environments, platform, provider, compute and the infrastructure products chosen."""

    option_names: ClassVar[tuple[str, ...]] = HOSTING_OPTIONS

    def run(self) -> list[nodes.Node]:
        self.prepare()
        title = self.title("GPU training cluster")
        model = self.model
        environments = self.resolve_all(
            model.hosting_lookup("environments"),
            self.opt_list("environment"),
            "environment",
            ":environment:",
        )
        if not self.opt("environment"):
            names = ", ".join(model.hosting_lookup("environments").ids)
            self.warn(
                "option", f"'hosting-choice' {title!r} needs :environment: (one or more of {names})"
            )
        platform = ""
        if self.opt("platform"):
            lookup = model.hosting_lookup("platforms")
            platform = self.resolve(lookup, self.opt("platform"), "platform", ":platform:") or ""
        compute = self.resolve_all(
            model.hosting_lookup("compute"), self.opt_list("compute"), "compute value", ":compute:"
        )
        for products in ("containers", "storage"):  # product names: the same checks as :sbb:
            self.opt_names(products)
        anchor = make_id(self.env, self.state.document, "hosting", slugify(title) or "choice")
        record = HostingRecord(
            title=title,
            **self.where(),
            anchor=anchor,
            environment=tuple(environments),
            platform=platform,
            provider=self.opt("provider"),
            compute=tuple(compute),
            containers=self.opt("containers"),
            storage=self.opt("storage"),
            network=self.opt("network"),
            availability=self.opt("availability"),
        )
        self.domain.add(record)

        def titles(dimension: str, ids: list[str]) -> str:
            entries = getattr(model.hosting, dimension)
            return ", ".join(model.title_of(entries, i) for i in ids)

        catalogue = self.domain.catalogue
        node = self.titled_box(anchor, _("Hosting"), nodes.strong(title, title))
        node += facts(
            [
                (_("Environment"), titles("environments", environments)),
                (_("Platform"), titles("platforms", [platform] if platform else [])),
                (_("Provider"), record.provider),
                (_("Compute"), titles("compute", compute)),
                (_("Containers"), sbb_list(record.products("containers"), catalogue)),
                (_("Storage"), sbb_list(record.products("storage"), catalogue)),
                (_("Network"), record.network),
                (_("Availability"), record.availability),
            ]
        )
        node += self.parse_body()
        return [node]
