"""Alerts through Prefect: each alert (bilateral.alerts) sent as an event, and the automations that turn
those events into notifications, defined here and created on the server by `bilateral alerts install`."""

from __future__ import annotations

from prefect.automations import Automation
from prefect.blocks.core import Block
from prefect.blocks.notifications import CustomWebhookNotificationBlock
from prefect.client.orchestration import get_client
from prefect.events import emit_event
from prefect.events.actions import SendNotification
from prefect.events.schemas.automations import EventTrigger, Posture

from bilateral.alerts import EVENTS, Alert
from bilateral.errors import UsageError

BLOCK_NAME = "bilateral-alerts"  # the webhook block `install --webhook` saves
SUBJECT = "bilateral: {{ event.event }}"
BODY = "{{ event.payload.message }}"


def emit(alerts: list[Alert]) -> None:
    for alert in alerts:
        emit_event(event=alert.event, resource={"prefect.resource.id": alert.resource},
                   payload={"message": alert.message, **alert.payload})


def install(webhook: str | None, block: str | None) -> list[str]:
    """Save the webhook as a notification block (or use the block named "<type>/<name>"), then create one
    automation per event, replacing those of an earlier install; returns the automations' names."""
    notifier = _notifier(webhook, block)
    names = []
    for event, description in EVENTS.items():
        name = f"bilateral: {event}"
        with get_client(sync_client=True) as client:
            for old in client.read_automations_by_name(name=name):
                client.delete_automation(old.id)
        Automation(
            name=name,
            description=description,
            trigger=EventTrigger(expect={event}, posture=Posture.Reactive, threshold=1),
            actions=[SendNotification(block_document_id=notifier._block_document_id, subject=SUBJECT, body=BODY)],
        ).create()
        names.append(name)
    return names


def send_test(webhook: str | None, block: str | None) -> None:
    """A test notification through the block the alerts use."""
    _notifier(webhook, block).notify("a test notification: alerts reach this address", subject="bilateral: test")


def _notifier(webhook: str | None, block: str | None) -> Block:
    if webhook:
        notifier = CustomWebhookNotificationBlock(
            name="bilateral", url=webhook, json_data={"subject": "{{subject}}", "body": "{{body}}"})
        notifier.save(BLOCK_NAME, overwrite=True)  # which gives it its document id, for the automations
        return notifier
    try:
        return Block.load(block or f"custom-webhook/{BLOCK_NAME}")
    except ValueError as error:
        raise UsageError(f"notification block {block or 'custom-webhook/' + BLOCK_NAME}: {error}; "
                         "give --webhook URL or --block TYPE/NAME") from None
