"""gunicorn settings: loopback only; gthread, because every WebSocket holds a thread.

One worker process with many threads: flask-sock (simple-websocket) runs each socket in
its handler thread plus a reader thread, so the thread count bounds the sockets a worker
holds. See docs/realtime.md for the measurements behind these numbers. Run more worker
processes (or hosts) for more sockets: the Redis relay reaches sockets on any of them.
"""

bind = "127.0.0.1:8000"
workers = 1
worker_class = "gthread"
threads = 4000
worker_connections = 10000
timeout = 30
graceful_timeout = 10
accesslog = "-"


def when_ready(server):
    """Disable Nagle on the listening sockets (accepted sockets inherit it on Linux):
    gunicorn writes a response's head and body separately, and Nagle plus the client's
    delayed ACK otherwise adds ~40 ms to every small response."""
    import socket

    for listener in server.LISTENERS:
        listener.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
