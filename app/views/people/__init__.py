"""The People tab."""
