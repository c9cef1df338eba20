from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Casework"

    def ready(self) -> None:
        from accounts import home

        from . import workspace

        home.register(workspace.home_counts)
