"""Everything the product knows, without Qt: the CLI and the views both call these."""
