"""The Risks tab, its dialogs and heat map."""
