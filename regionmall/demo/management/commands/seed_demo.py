from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from regionmall.demo.seed import DEMO_PASSWORD, seed


class Command(BaseCommand):
    help = "Load the demo region (Jinhua): places, belts, users for every role, 50+ merchants."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing when the database already has users")

    def handle(self, *args, if_empty=False, **options):
        if get_user_model().objects.exists():
            if if_empty:
                self.stdout.write("demo region: database not empty, left as it is")
                return
            self.stderr.write("the database already has users; seed_demo needs an empty one")
            raise SystemExit(2)
        report = seed()
        states = ", ".join(f"{k}={v}" for k, v in sorted(report.merchants_by_state.items()))
        self.stdout.write(f"demo region loaded: merchants {states}")
        for part in ("catalog", "trade", "marketing"):
            if getattr(report, part, None) is not None:
                self.stdout.write(f"  {getattr(report, part).summary()}")
        self.stdout.write(f"demo logins (password {DEMO_PASSWORD}):")
        for username, role, mobile in report.logins:
            self.stdout.write(f"  {username:<10} {mobile}  {role}")
