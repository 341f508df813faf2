"""The Clauses tab."""
