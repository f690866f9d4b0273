"""gunicorn settings for `make run`: loopback only; threads so each WebSocket holds one."""

bind = "127.0.0.1:8000"
workers = 1
worker_class = "gthread"
threads = 64
timeout = 30
graceful_timeout = 10
accesslog = "-"
