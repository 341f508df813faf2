"""Qt widgets. Views call services and never build queries themselves."""
