"""The SoA tab."""
