"""Outbox: events written in the same transaction as the change that caused them."""

from __future__ import annotations

from django.db import models


class OutboxEvent(models.Model):
    """A domain event waiting for (or done with) relay to its consumers."""

    topic = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.topic}#{self.pk}"


class ConsumerReceipt(models.Model):
    """Proof that one consumer handled one event; the unique pair makes delivery idempotent."""

    consumer = models.CharField(max_length=100)
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="receipts")
    processed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consumer", "event"], name="uniq_consumer_event"),
        ]

    def __str__(self) -> str:
        return f"{self.consumer} handled event {self.event_id}"
