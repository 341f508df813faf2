"""The clause checklist: the points of clauses 4 to 10 and what each engagement says of them."""
