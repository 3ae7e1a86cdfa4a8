from django.core.management.base import BaseCommand

from regionmall.demo.seed import DEMO_PASSWORD, ROLE_LOGINS


class Command(BaseCommand):
    help = "Print the URLs and demo logins `make run` serves."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, base_url: str, **options):
        base = base_url.rstrip("/")
        lines = [
            "",
            "RegionMall is starting:",
            f"  storefront          {base}/",
            f"  login               {base}/accounts/login/",
            f"  merchant console    {base}/merchant/",
            f"  platform console    {base}/platform/",
            f"  government console  {base}/gov/",
            f"  API docs (OpenAPI)  {base}/api/docs",
            f"  health              {base}/healthz  {base}/readyz",
            "",
            f"Demo logins (username or mobile, password {DEMO_PASSWORD}):",
        ]
        lines += [f"  {username:<10} {mobile}  {role.label}" for username, role, _n, mobile
                  in ROLE_LOGINS]
        lines.append("  (merchant = owner of shop 'lu-redwood'; staff = its staff member)")
        self.stdout.write("\n".join(lines) + "\n")
