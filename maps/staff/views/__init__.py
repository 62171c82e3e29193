"""Staff views, one module per workflow."""
