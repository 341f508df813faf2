"""People, AIMS roles, competence and awareness (5.3, 7.2, 7.3, A.3.2)."""
