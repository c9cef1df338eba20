from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Casework"

    def ready(self) -> None:
        from accounts import home

        from . import workspace

        home.register(workspace.home_counts)
        from intake import shredding

        from . import duplicates

        # A shredded report's names leave its person at once (no key is needed).
        shredding.shredded.connect(duplicates.forget_shredded, dispatch_uid="cases.forget_shredded")
        from django.utils.translation import gettext

        from audit import display

        from .models import MergedNumber, Person

        def case_numbers(ids: set[str]) -> dict[str, str]:
            """The auditor sees a person as its case number, which is metadata; a merged
            person keeps its number (cases.merging)."""
            found = list(Person.objects.filter(id__in=list(ids)).values_list("id", "number"))
            merged = MergedNumber.objects.filter(merged_id__in=list(ids))
            found += list(merged.values_list("merged_id", "number"))
            return {pk.hex: gettext("case %(number)s") % {"number": n} for pk, n in found}

        display.register_resolver("person", case_numbers)
