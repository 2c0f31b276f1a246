"""The embedded SQLite backend: Django's, except that a stored decimal too long for its column
reads back as its value instead of failing the query.

SQLite keeps whatever number it is given, whatever the column's digits; a value written before
the ERP bounded its numbers (an amount of 10²⁴ on a line) would otherwise raise
``decimal.InvalidOperation`` on every read of the table, and one bad row would take down every
list and page that shows it. Read as it is, the row renders (its amount marked as out of
range, see ``common.templatetags.numbers``) and can be voided. PostgreSQL refuses such a value
when it is written, so it needs no such backend.
"""

import decimal
from decimal import Decimal, InvalidOperation

from django.db.backends.sqlite3 import base, operations

_from_float = decimal.Context(prec=15).create_decimal_from_float


class DatabaseOperations(operations.DatabaseOperations):
    """SQLite operations whose decimal converter never fails on a value too long."""

    def get_decimalfield_converter(self, expression):
        strict = super().get_decimalfield_converter(expression)

        def converter(value, expression, connection):
            try:
                return strict(value, expression, connection)
            except InvalidOperation:
                return _from_float(value) if isinstance(value, float) else Decimal(str(value))

        return converter


class DatabaseWrapper(base.DatabaseWrapper):
    """Django's SQLite connection with ``DatabaseOperations`` above."""

    ops_class = DatabaseOperations
