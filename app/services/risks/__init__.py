"""The AI risk register, its criteria and treatment."""
