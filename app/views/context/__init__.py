"""The Context tab: the context registers (4.1, 4.2) and the climate change answer."""
