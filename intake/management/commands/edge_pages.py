"""Write the pages nginx answers with itself (intake/edge_pages.py) into a folder:
`manage.py edge_pages /etc/nginx/amanat-pages`. Run by deploy/install.sh."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.files import write_whole
from intake import checks, edge_pages


class Command(BaseCommand):
    help = "Write nginx's own error pages, in every language, into FOLDER."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        missing = checks.missing_catalogs()
        if missing:  # the pages would be English in every language's place
            raise CommandError(
                f"No usable compiled catalog for {', '.join(missing)}: "
                "run `python -m config.compile_catalogs --all` first."
            )
        folder.mkdir(parents=True, exist_ok=True)
        # nginx's workers (www-data) must read them; Amanat's processes make everything
        # 0700/0600 (settings: umask 077).
        folder.chmod(0o755)
        for name, html in edge_pages.render_all().items():
            write_whole(folder / name, html.encode("utf-8"))  # nginx never serves half
        self.stdout.write(f"{len(edge_pages.PAGES)} pages in {folder}")
