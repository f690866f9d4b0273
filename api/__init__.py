"""The REST API under /api/v1: one blueprint module per resource, plus ops endpoints."""
