"""The names fields take in every area when they name a person by text (an owner, an
assessor, an approver, an acceptor...): what a form knows a person field by, without loading
every area's models (app/services/people/owners.py lists the fields themselves; a test keeps
the two the same)."""

PERSON_FIELDS = frozenset(
    {
        "owner",
        "business_owner",
        "assessor",
        "approved_by",
        "accepted_by",
        "author",
        "doc_approver",
        "verified_by",
        "measured_by",
        "effectiveness_by",
    }
)
