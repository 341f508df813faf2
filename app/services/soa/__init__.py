"""The Statement of Applicability."""
