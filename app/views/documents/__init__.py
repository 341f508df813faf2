"""The Documents tab: the document register with its attachments, and the standard's
mandatory documented information linked to it."""
