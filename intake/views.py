"""The public side. The landing page says nothing that would reveal a visitor's purpose
to someone looking over their shoulder beyond the organisation's name."""

from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    return render(request, "intake/home.html")
