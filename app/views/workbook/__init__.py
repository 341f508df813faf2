"""Workbook import and export in the window."""
