"""Readiness as a whole: every gap rule in one catalogue, the five gaps that fail audits, the
dashboard's figures and the certification plan."""
