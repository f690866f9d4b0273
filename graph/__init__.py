"""The domain: models, the query runner and one module per area of rules."""
