"""What is waiting for someone, per module, for the home page: documents saved but not yet
approved, orders ready to close, invoices past due. Each line is one COUNT query, shown only to
users who may open its list. The lines are those the installed apps registered
(``erp_core.registry.register_worklist``)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise

from erp_core.registry import worklist


@dataclass(frozen=True)
class Task:
    """A kind of waiting work: how many, and the list that shows them."""

    label: str | Promise
    count: int
    url: str


def work_for(user, modules: set[str]) -> dict[str, list[Task]]:
    """Per module key (of ``modules``, those the user may open), the waiting work it may see;
    kinds with nothing waiting are left out."""
    perms = user.get_all_permissions()
    work: dict[str, list[Task]] = {}
    for line in worklist():
        if line.module not in modules:
            continue
        if not (user.is_superuser or line.permission in perms):
            continue
        count = line.queryset().count()
        if count:
            url = reverse(line.url_name)
            if line.query:
                url = f"{url}?{urlencode(line.query)}"
            work.setdefault(line.module, []).append(Task(line.label, count, url))
    return work
