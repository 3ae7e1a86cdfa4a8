from django.core.management.base import BaseCommand

from regionmall.core.relay import relay_pending


class Command(BaseCommand):
    help = "Hand unpublished outbox events to their consumers (the periodic sweep)."

    def handle(self, *args, **options):
        count = relay_pending()
        self.stdout.write(f"relayed {count} events")
