"""The pack dialog."""
