"""The standard's catalog as data (clauses, points, controls) and upgrading an engagement to a
newer catalog."""
