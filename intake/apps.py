from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Public intake"

    def ready(self) -> None:
        # The notice dispatcher finds its task by name in Celery's registry (it cannot
        # import the task module, which imports it), so every process registers them.
        from . import checks, tasks  # noqa: F401
