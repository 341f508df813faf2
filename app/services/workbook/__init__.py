"""Excel and CSV exchange: reading, import, export and sheet layout. The engine names no area:
each area describes its own sheet."""
