from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "Consent, redaction and exports"

    def ready(self) -> None:
        from audit import display
        from intake import returns, shredding

        from . import services
        from .models import Export

        # A narrower consent stops what it no longer allows at once (no key is needed).
        returns.consent_changed.connect(
            services.block_on_consent, dispatch_uid="disclosure.block_on_consent"
        )
        # A shredded report's words leave every export not sent (no key is needed).
        shredding.shredded.connect(
            services.forget_shredded, dispatch_uid="disclosure.forget_shredded"
        )

        def export_ids(ids: set[str]) -> dict[str, str]:
            """The auditor sees an export as its public id: metadata, not content."""
            found = Export.objects.filter(id__in=list(ids)).values_list("id", "public_id")
            return {pk.hex: public_id for pk, public_id in found}

        display.register_resolver("export", export_ids)
