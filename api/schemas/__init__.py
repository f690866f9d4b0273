"""Pydantic request and response models: they validate requests and build /openapi.json."""
