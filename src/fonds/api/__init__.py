"""The REST API under /api, with its OpenAPI description at /api/openapi.json."""
