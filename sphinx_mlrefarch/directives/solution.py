"""``solution``: marks a solution document and renders its header box."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from sphinx.util.nodes import make_id

from ..config import SBB_POLICIES
from ..locale import _
from ..names import did_you_mean
from ..nodes import make_placeholder
from ..records import SolutionRecord, ViewRecord
from ..render.boxes import facts, labelled_badge
from ..status import SolutionStatus
from .base import MlrefarchDirective


class SolutionDirective(MlrefarchDirective):
    """The solution's record (id, owner, status, required blocks) and header box."""

    option_names: ClassVar[tuple[str, ...]] = (
        "id",
        "owner",
        "status",
        "required",
        "exclude",
        "profile",
        "sbb-policy",
    )

    def run(self) -> list[nodes.Node]:
        self.prepare()
        title = self.title("Customer churn prediction", fallback=self.env.docname)
        sid = self.slug_option("id", title)
        status = self.choice("status", SolutionStatus, SolutionStatus.DRAFT)
        required = self.required()
        exclude = tuple(self.opt_list("exclude"))
        profiles = self.profiles()
        sbb_policy = self.sbb_policy()
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
        node = self.titled_box(
            anchor,
            _("Solution"),
            nodes.strong(title, title),
            labelled_badge(status, "solution"),
            f"mlrefarch-solution-{status}",
        )
        figure: nodes.Node | str = ""
        if existing is not None:
            self.warn(
                "scope",
                f"a second 'solution' in one document; this document already declares "
                f"solution {existing.id!r} (line {existing.line}). Move this one to a "
                f"document of its own",
            )
        else:
            self.domain.add(
                SolutionRecord(
                    id=sid,
                    title=title,
                    **self.where(),
                    anchor=anchor,
                    owner=self.opt("owner"),
                    status=status,
                    required=required,
                    exclude=exclude,
                    profiles=profiles,
                    sbb_policy=sbb_policy,
                )
            )
            self.domain.add(ViewRecord(kind="coverage-figure", **self.where()))
            figure = make_placeholder(self.env.docname, "coverage-figure", solution=sid)
        node += facts([(_("Owner"), self.opt("owner")), (_("Coverage"), figure)])
        node += self.parse_body()
        return [node]

    def profiles(self) -> tuple[str, ...]:
        """``:profile:`` as profile ids of the model (unknown or repeated ones reported)."""
        if "profile" not in self.options:
            return ()
        names = self.opt_list("profile")
        lookup = self.model.profile_lookup
        if not names:
            choices = ", ".join(lookup.ids) or "none in this model"
            self.warn("option", f":profile: is empty; give one or more profile ids ({choices})")
        found: list[str] = []
        for name in names:
            profile = self.resolve(lookup, name, "profile", ":profile:")
            if profile is None:
                continue
            if profile in found:
                self.warn("option", f":profile: names profile {profile!r} twice; once is enough")
                continue
            found.append(profile)
        return tuple(found)

    def sbb_policy(self) -> str | None:
        """``:sbb-policy:``; None when not given or not valid (the project's policy applies).

        A mistyped value must not switch the project's checks off.
        """
        if "sbb-policy" not in self.options:
            return None
        project = f"the project's {self.domain.settings.sbb_policy!r}"
        if not self.opt("sbb-policy"):
            choices = ", ".join(repr(p) for p in SBB_POLICIES[:-1])
            self.warn(
                "option",
                f":sbb-policy: of 'solution' is empty; give {choices} or {SBB_POLICIES[-1]!r}; "
                f"using {project}",
            )
            return None
        return self.choice("sbb-policy", SBB_POLICIES, "", using=project) or None

    def required(self) -> tuple[str, ...] | None:
        """``:required:`` as references; None when not given (the project's setting applies)."""
        if "required" not in self.options:
            return None
        required = tuple(self.opt_list("required"))
        if not required:
            self.warn("option", ":required: is empty; give 'all' or layer/block ids")
            return None
        return required
