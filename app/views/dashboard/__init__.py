"""The dashboard, the first page: readiness, the gaps that fail audits, the plan."""
