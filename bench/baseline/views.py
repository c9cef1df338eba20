from django.http import HttpResponse
from django.views.decorators.http import require_POST

from intake.forms import ReportForm

from .models import PlainReport


@require_POST
def plain_submit(request):
    """Validate the same form and save it unencrypted: what encryption is compared to."""
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return HttpResponse("invalid", status=400)
    PlainReport.objects.create(data=form.content())
    return HttpResponse("saved")
