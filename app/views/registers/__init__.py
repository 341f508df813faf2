"""The tab of any described register, built from its description."""
