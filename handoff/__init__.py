"""Handing a conversation to a counsellor: queue, claim, relay, opening hours."""
