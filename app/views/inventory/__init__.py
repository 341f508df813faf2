"""The Inventory tab and its assessment dialog."""
