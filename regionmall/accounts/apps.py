from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, roles, login (password, SMS code), JWT for the API, lockout."""

    name = "regionmall.accounts"
    label = "accounts"
    verbose_name = "Accounts"
