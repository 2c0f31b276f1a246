"""Staff pages of the ERP core."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page: an entry card per module the user may open."""
    return render(request, "erp_core/home.html")
