from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "partnership.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from partnership.accounts import policy, receivers  # noqa: F401

        policy.register()
