"""Where the REST API and the realtime channel meet: configuration and the app factory."""
