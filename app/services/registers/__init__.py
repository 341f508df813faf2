"""Registers described once: a description says a register's fields, list, rules, sheet, pack
table and counts; the generic service, sheet, pack table, search and tab are built from it."""
