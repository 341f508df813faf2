"""Risk criteria (6.1.1-6.1.2): likelihood and impact scales, the level bands of their product,
and the acceptance threshold. Plain values here; reading and changing them is in risks.py."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from app.services.engagement.errors import DamagedFileError, FieldError


@dataclass(frozen=True)
class Level:
    label: str
    description: str


@dataclass(frozen=True)
class Band:
    name: str
    upto: int  # a score up to and including this falls in the band


@dataclass(frozen=True)
class Criteria:
    likelihood: tuple[Level, ...]
    impact: tuple[Level, ...]
    bands: tuple[Band, ...]
    threshold: int  # scores above this are not acceptable without treatment
    # an AI system impact assessment older than this is due again (8.4: at planned intervals)
    reassessment_months: int = 12

    @property
    def max_score(self) -> int:
        return len(self.likelihood) * len(self.impact)

    def score(self, likelihood: int, impact: int) -> int:
        return likelihood * impact

    def level(self, score: int) -> str:
        for band in self.bands:
            if score <= band.upto:
                return band.name
        return self.bands[-1].name

    def above(self, score: int) -> bool:
        return score > self.threshold

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @staticmethod
    def from_json(text: str) -> Criteria:
        """Criteria as stored in a file, checked: a damaged or hostile row is refused."""
        try:
            data = json.loads(text)
            criteria = Criteria(
                likelihood=tuple(
                    Level(str(x["label"]), str(x["description"])) for x in data["likelihood"]
                ),
                impact=tuple(Level(str(x["label"]), str(x["description"])) for x in data["impact"]),
                bands=tuple(Band(str(x["name"]), int(x["upto"])) for x in data["bands"]),
                threshold=int(data["threshold"]),
                # criteria written before the interval was kept read as the default
                reassessment_months=int(data.get("reassessment_months", 12)),
            )
            validate(criteria)
        except (ValueError, KeyError, TypeError, FieldError) as exc:
            raise DamagedFileError(
                f"The risk criteria stored in this engagement are damaged ({exc}); "
                "open a backup copy."
            ) from exc
        return criteria


DEFAULT = Criteria(
    likelihood=(
        Level("Rare", "Could happen only in exceptional circumstances"),
        Level("Unlikely", "Not expected within the next few years"),
        Level("Possible", "Might happen within the next few years"),
        Level("Likely", "Expected to happen within a year"),
        Level("Almost certain", "Happens now, or will within months"),
    ),
    impact=(
        Level("Negligible", "No lasting effect on anyone"),
        Level("Minor", "Short inconvenience for a few people"),
        Level("Moderate", "Real harm to some people or a noticeable breach"),
        Level("Major", "Serious harm to people, regulators involved"),
        Level("Severe", "Lasting harm to many people, or to society"),
    ),
    bands=(Band("Low", 4), Band("Medium", 9), Band("High", 16), Band("Critical", 25)),
    threshold=9,
)


def validate(criteria: Criteria) -> None:
    """Refuse criteria a register cannot be scored with, saying what to fix."""
    for name, scale in (("likelihood", criteria.likelihood), ("impact", criteria.impact)):
        if not 2 <= len(scale) <= 10:
            raise FieldError(name, f"The {name} scale needs 2 to 10 levels.")
        if any(not level.label.strip() for level in scale):
            raise FieldError(name, f"Every {name} level needs a label.")
    if not criteria.bands:
        raise FieldError("bands", "Name at least one level band.")
    uptos = [band.upto for band in criteria.bands]
    if uptos != sorted(set(uptos)):
        raise FieldError("bands", "Each band must end at a higher score than the one before.")
    if any(not band.name.strip() for band in criteria.bands):
        raise FieldError("bands", "Every band needs a name.")
    if uptos[-1] < criteria.max_score:
        raise FieldError(
            "bands", f"The last band must reach the highest score, {criteria.max_score}."
        )
    if not 1 <= criteria.threshold < criteria.max_score:
        raise FieldError(
            "threshold",
            f"The acceptance threshold must be a score from 1 to {criteria.max_score - 1}.",
        )
    if not 1 <= criteria.reassessment_months <= 60:
        raise FieldError(
            "reassessment_months",
            "The interval for reassessing impact assessments is from 1 to 60 months.",
        )
