"""Widgets every area uses: the register tab, tables, forms, workers, dialogs, undo."""
