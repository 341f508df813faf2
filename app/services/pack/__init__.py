"""The Stage 1 PDF pack: build, sections, charts, style and settings."""
