"""Notification delivery after commit: the worker process, what it does to the graph
(upload fan-out batches, the email/push outbox: `delivery`) and how entries leave the
building (`senders`). The rules that make a notification stay in the domain functions
that make it (graph.follows, graph.messages, graph.notifications); this package only
delivers what they stored."""
