"""The event bus: outbox, topics (event contracts), delivery, retries, dead letters, event log.

It imports no domain app; domain apps import it to publish and to receive.
"""
