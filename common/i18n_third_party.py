"""User-facing strings of third-party packages whose catalogs have no Simplified Chinese.

django-filter ships only ``zh_CN``, which Django does not use for ``zh-hans``; listing its
strings here keeps them in our ``locale/zh_Hans`` catalog through every ``makemessages`` run
(which would otherwise drop them as obsolete). Nothing imports this module: it is read by
``makemessages`` only. Keep it in line with django-filter's ``locale/zh_CN/LC_MESSAGES/django.po``.
"""

from django.utils.translation import gettext_noop

DJANGO_FILTER_STRINGS = (
    # django_filters/conf.py: lookup and date part labels
    gettext_noop("date"),
    gettext_noop("year"),
    gettext_noop("month"),
    gettext_noop("day"),
    gettext_noop("week day"),
    gettext_noop("hour"),
    gettext_noop("minute"),
    gettext_noop("second"),
    gettext_noop("contains"),
    gettext_noop("is in"),
    gettext_noop("is greater than"),
    gettext_noop("is greater than or equal to"),
    gettext_noop("is less than"),
    gettext_noop("is less than or equal to"),
    gettext_noop("starts with"),
    gettext_noop("ends with"),
    gettext_noop("is in range"),
    gettext_noop("is null"),
    gettext_noop("matches regex"),
    gettext_noop("search"),
    gettext_noop("is contained by"),
    gettext_noop("overlaps"),
    gettext_noop("has key"),
    gettext_noop("has keys"),
    gettext_noop("has any keys"),
    # django_filters/fields.py
    gettext_noop("Select a lookup."),
    gettext_noop("Range query expects two values."),
    # django_filters/filters.py
    gettext_noop("Today"),
    gettext_noop("Yesterday"),
    gettext_noop("Past 7 days"),
    gettext_noop("This month"),
    gettext_noop("This year"),
    gettext_noop("Multiple values may be separated by commas."),
    gettext_noop("%s (descending)"),
    gettext_noop("Ordering"),
    # django_filters/rest_framework: the browsable API's filter form
    gettext_noop("Submit"),
    gettext_noop("Field filters"),
    # django_filters/utils.py, widgets.py
    gettext_noop("exclude"),
    gettext_noop("All"),
    gettext_noop("Unknown"),
    gettext_noop("Yes"),
    gettext_noop("No"),
)
