"""Every rule that spans fields says so (RuleError, with the fields it reads), so a form can
hold a half-filled set instead of refusing it field by field."""

from __future__ import annotations

import pytest

from app.services.engagement.errors import RuleError
from app.services.inventory import impact
from app.services.inventory import service as inventory
from app.services.risks import service as risks

RATED = {"title": "Drift", "inherent_likelihood": 1, "inherent_impact": 1}


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"residual_likelihood": 2}, ("residual_likelihood", "residual_impact")),
        ({"accepted_by": "Board"}, ("accepted_by", "accepted_on")),
        ({"accepted_on": "2026-01-02"}, ("accepted_by", "accepted_on")),
        ({"residual_likelihood": 2, "residual_impact": 2}, ("residual_comment",)),
    ],
)
def test_risk_rules_across_fields_name_their_fields(new_file, values, fields):
    with pytest.raises(RuleError) as refused:
        risks.save_risk(new_file, None, {**RATED, **values})
    assert set(fields) <= set(refused.value.fields) and refused.value.field in fields


def test_inventory_stage_and_deployment_date_rule_names_both(new_file):
    system_id = inventory.create_system(new_file, {"name": "Bot", "deployment_date": "2099-01-01"})
    with pytest.raises(RuleError) as refused:
        inventory.update_system(new_file, system_id, {"stage": "deployed"})
    assert refused.value.fields == ("stage", "deployment_date")


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"approved_on": "2025-01-02"}, ("approved_by", "approved_on")),
        ({"approved_by": "Board", "approved_on": "2024-12-01"}, ("assessed_on", "approved_on")),
    ],
)
def test_impact_approval_rules_name_their_fields(new_file, values, fields):
    system_id = inventory.create_system(new_file, {"name": "Bot"})
    with pytest.raises(RuleError) as refused:
        impact.create_assessment(new_file, system_id, {"assessed_on": "2025-01-01", **values})
    assert refused.value.fields == fields
