"""The WebSocket channel and the Redis relay between app processes."""
