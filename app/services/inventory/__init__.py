"""The AI system inventory and its impact assessments."""
