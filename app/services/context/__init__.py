"""The context of the organization (4.1, 4.2): issues, interested parties and their
requirements, obligations, and whether climate change was considered."""
