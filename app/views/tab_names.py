"""The tabs of the main window, in order, by the lower-case names the CLI uses. No Qt here:
the CLI reads this list without starting Qt."""

TAB_NAMES = (
    "dashboard", "clauses", "context", "inventory", "risks", "soa", "documents", "people",
    "evaluation",
)  # fmt: skip
# As the window and its menus show them.
TAB_TITLES = {
    "dashboard": "Dashboard",
    "clauses": "Clauses",
    "context": "Context",
    "inventory": "Inventory",
    "risks": "Risks",
    "soa": "SoA",
    "documents": "Documents",
    "people": "People",
    "evaluation": "Evaluation",
}
