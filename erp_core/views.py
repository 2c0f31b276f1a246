"""The product's own pages: the home page, with what waits for the user in each module."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from erp_core.navigation import modules_for
from erp_core.worklist import work_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page: an entry card per module the user may open, with what waits in it; a
    partner's own user lands on its portal instead."""
    if request.user.partner_id:
        return redirect("portal:home")
    modules = {module.key for module in modules_for(request.user)}
    return render(request, "erp_core/home.html", {"work": work_for(request.user, modules)})
