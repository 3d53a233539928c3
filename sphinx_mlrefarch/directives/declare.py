"""The declaring directives: ``solution``, ``abb``, ``constraint``, ``hosting-choice``.

Each checks its own input against the model (located warnings, never an
exception), files a record in the domain and renders a box. Checks that
need other documents (duplicates, scope, coverage) run after reading, in
:mod:`..events`.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from sphinx.util.nodes import make_id

from ..model import did_you_mean, slugify
from ..nodes import make_placeholder
from ..records import (
    DECLARED_STATUSES,
    PRIORITIES,
    SOLUTION_STATUSES,
    AbbRecord,
    ConstraintRecord,
    HostingRecord,
    SolutionRecord,
)
from ..render.boxes import (
    badge,
    block_link,
    box,
    box_title,
    facts,
    joined,
    sbb_list,
    status_badge,
)
from .base import LenientOptions, MlrefarchDirective, option_spec, split_list


class SolutionDirective(MlrefarchDirective):
    """Marks a solution document and renders its header box."""

    option_spec: ClassVar[LenientOptions] = option_spec(  # type: ignore[assignment]
        "id", "owner", "status", "required", "exclude"
    )

    def run(self) -> list[nodes.Node]:
        self.prepare()
        title = self.argument
        if not title:
            title = self.env.docname
            self.warn(
                "option",
                "'solution' needs a title, e.g. '.. solution:: Customer churn prediction'; "
                f"using {title!r}",
            )
        sid = self.slug_option("id", title)
        status = self.choice("status", SOLUTION_STATUSES, "draft")
        required = None
        if "required" in self.options:
            required = tuple(split_list(self.opt("required")))
            if not required:
                self.warn("option", ":required: is empty; give 'all' or layer/block ids")
                required = None
        exclude = tuple(split_list(self.opt("exclude")))
        for name, refs in (("required", required or ()), ("exclude", exclude)):
            _ids, unknown = self.model.expand(refs)
            for ref in unknown:
                self.warn(
                    "unknown",
                    f"unknown layer or building block {ref!r} in :{name}:"
                    + did_you_mean(self.model.suggest_block_or_layer(ref)),
                )

        existing = self.domain.solution_in(self.env.docname)
        anchor = make_id(self.env, self.state.document, "solution", sid)
        node = box("solution", anchor, f"mlrefarch-solution-{status}")
        self.register(node)
        node += box_title(
            "Solution", nodes.strong(title, title), nodes.Text(" "), badge(status, "solution")
        )
        if existing is not None:
            self.warn(
                "scope",
                f"a second 'solution' in one document; this document already declares "
                f"solution {existing.id!r} (line {existing.line}). Move this one to a "
                f"document of its own",
            )
        else:
            self.domain.add_solution(
                SolutionRecord(
                    id=sid,
                    title=title,
                    **self.where(),
                    anchor=anchor,
                    owner=self.opt("owner"),
                    status=status,
                    required=required,
                    exclude=exclude,
                )
            )
            self.domain.add_aggregate(self.env.docname, "@scope")
        figure = make_placeholder(self.env.docname, "coverage-figure", solution=sid)
        node += facts(
            [
                ("Owner", self.opt("owner")),
                ("Coverage", figure if existing is None else ""),
            ]
        )
        node += self.parse_body()
        return [node]


class AbbDirective(MlrefarchDirective):
    """Declares that the enclosing solution addresses a building block."""

    option_spec: ClassVar[LenientOptions] = option_spec("status", "sbb", "owner")  # type: ignore[assignment]

    def run(self) -> list[nodes.Node]:
        self.prepare()
        ref = self.argument
        status = self.choice("status", DECLARED_STATUSES, "addressed")
        sbb = split_list(self.opt("sbb"))
        if "sbb" in self.options and not sbb:
            self.warn("option", ":sbb: of 'abb' names no product; list them comma-separated")
        owner = self.opt("owner")
        body = self.parse_body()
        justified = any(
            n.astext().strip()
            for n in body
            if not isinstance(n, (nodes.comment, nodes.system_message))
        )
        block_id = None
        if not ref:
            self.warn("option", "'abb' needs a building block, e.g. '.. abb:: data-tools'")
        else:
            block_id = self.resolve(self.model.block_lookup, ref, "building block", "'abb'")
        if block_id is None:
            title_node: nodes.Node = nodes.inline(
                ref or "?", ref or "?", classes=["mlrefarch-unknown"]
            )
            anchor = None
        else:
            block = self.model.block_map[block_id]
            title_node = block_link(block_id, block.title)
            anchor = make_id(self.env, self.state.document, "abb", block_id)
            if status == "not-applicable" and not justified:
                self.warn(
                    "justification",
                    f"'abb' {block_id!r} is not-applicable but gives no justification; say in "
                    f"the directive's body why the block does not apply to this solution",
                )
            self.domain.add_abb(
                AbbRecord(
                    block=block_id,
                    status=status,
                    **self.where(),
                    anchor=anchor,
                    sbb=tuple(sbb),
                    owner=owner,
                    justified=justified,
                )
            )
        node = box("abb", anchor, f"mlrefarch-status-{status}")
        self.register(node)
        node += box_title("Building block", title_node, nodes.Text(" "), status_badge(status))
        node += facts([("SBBs", sbb_list(sbb)), ("Owner", owner)])
        node += body
        return [node]


class ConstraintDirective(MlrefarchDirective):
    """A constraint on the solution, filed under one of the model's aspects."""

    option_spec: ClassVar[LenientOptions] = option_spec(  # type: ignore[assignment]
        "id", "aspect", "affects", "priority", "source"
    )

    def run(self) -> list[nodes.Node]:
        self.prepare()
        title = self.argument
        if not title:
            title = "Constraint"
            self.warn(
                "option",
                "'constraint' needs a title, e.g. '.. constraint:: Customer data stays in the EU'",
            )
        cid = self.slug_option("id", title)
        aspect = ""
        lookup = self.model.aspect_lookup
        if self.opt("aspect"):
            aspect = self.resolve(lookup, self.opt("aspect"), "constraint aspect", ":aspect:") or ""
        else:
            choices = ", ".join(lookup.ids)
            self.warn("option", f"'constraint' {title!r} needs :aspect: (one of {choices})")
        affects = self.resolve_all(
            self.model.block_lookup, split_list(self.opt("affects")), "building block", ":affects:"
        )
        priority = self.choice("priority", PRIORITIES, "must")
        anchor = make_id(self.env, self.state.document, "constraint", cid)
        self.domain.add_constraint(
            ConstraintRecord(
                id=cid,
                title=title,
                aspect=aspect,
                **self.where(),
                anchor=anchor,
                affects=tuple(affects),
                priority=priority,
                source=self.opt("source"),
            )
        )
        aspect_title = next(
            (a.title for a in self.model.constraint_aspects if a.id == aspect), aspect
        )
        model = self.model
        node = box("constraint", anchor, f"mlrefarch-priority-{priority}")
        self.register(node)
        node += box_title(
            "Constraint", nodes.strong(title, title), nodes.Text(" "), badge(priority, "priority")
        )
        node += facts(
            [
                ("Aspect", aspect_title),
                ("Affects", joined([block_link(b, model.block_map[b].title) for b in affects])),
                ("Source", self.opt("source")),
            ]
        )
        node += self.parse_body()
        return [node]


class HostingChoiceDirective(MlrefarchDirective):
    """A hosting decision for one or more environments."""

    option_spec: ClassVar[LenientOptions] = option_spec(  # type: ignore[assignment]
        "environment",
        "platform",
        "provider",
        "compute",
        "containers",
        "storage",
        "network",
        "availability",
    )

    def run(self) -> list[nodes.Node]:
        self.prepare()
        title = self.argument
        if not title:
            title = "Hosting choice"
            self.warn(
                "option",
                "'hosting-choice' needs a title, e.g. '.. hosting-choice:: GPU training cluster'",
            )
        model = self.model
        environments = self.resolve_all(
            model.hosting_lookup("environments"),
            split_list(self.opt("environment")),
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
            platform = (
                self.resolve(
                    model.hosting_lookup("platforms"),
                    self.opt("platform"),
                    "platform",
                    ":platform:",
                )
                or ""
            )
        compute = self.resolve_all(
            model.hosting_lookup("compute"),
            split_list(self.opt("compute")),
            "compute value",
            ":compute:",
        )
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
        self.domain.add_hosting(record)

        def titles(dimension: str, ids: list[str]) -> str:
            names = {e.id: e.title for e in getattr(model.hosting, dimension)}
            return ", ".join(names.get(i, i) for i in ids)

        node = box("hosting-choice", anchor)
        self.register(node)
        node += box_title("Hosting", nodes.strong(title, title))
        node += facts(
            [
                ("Environment", titles("environments", environments)),
                ("Platform", titles("platforms", [platform] if platform else [])),
                ("Provider", record.provider),
                ("Compute", titles("compute", compute)),
                ("Containers", record.containers),
                ("Storage", record.storage),
                ("Network", record.network),
                ("Availability", record.availability),
            ]
        )
        node += self.parse_body()
        return [node]
