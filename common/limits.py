"""The business bounds of the ERP's numbers: values a business has, declared once per field.

A model's ``DecimalField`` takes its bounds as validators (``validators=QUANTITY_LIMITS``…);
``common.numbers.bounds_of`` reads them, so the services (``parse_decimal(value,
bounds=Model._meta.get_field("quantity"))``), the staff forms and the API refuse the same
value with the same message. The column still bounds what is *computed* from good inputs (a
line's amount, an order's total): ``erp_core.documents.amounts`` refuses a result that would
not fit its column before anything is written.

| kind | lowest | highest |
|---|---|---|
| quantity of a document line | 0.000001 (above zero) | 1,000,000,000 |
| unit price, unit cost | 0 | 1,000,000,000 |
| discount | 0 % | 100 % |
| VAT rate | 0 | 1 (100 %) |
| amount entered (payment, journal line) | 0.01 | 1,000,000,000,000 |
| hours of one booking | 0 | 10,000 |
| tolerance | 0 % | 1,000 % |

The table is repeated in ``docs/api.md`` ("Limits").
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator

__all__ = [
    "AMOUNT_LIMITS",
    "AMOUNT_MAX",
    "HOURS_LIMITS",
    "HOURS_MAX",
    "PERCENT_LIMITS",
    "POSITIVE_QUANTITY_LIMITS",
    "PRICE_LIMITS",
    "PRICE_MAX",
    "QUANTITY_MAX",
    "QUANTITY_MIN",
    "TAX_RATE_LIMITS",
    "TOLERANCE_LIMITS",
]

QUANTITY_MIN = Decimal("0.000001")
QUANTITY_MAX = Decimal("1000000000")
PRICE_MAX = Decimal("1000000000")
AMOUNT_MIN = Decimal("0.01")
AMOUNT_MAX = Decimal("1000000000000")
HOURS_MAX = Decimal("10000")

POSITIVE_QUANTITY_LIMITS = [MinValueValidator(QUANTITY_MIN), MaxValueValidator(QUANTITY_MAX)]
PRICE_LIMITS = [MinValueValidator(Decimal("0")), MaxValueValidator(PRICE_MAX)]
PERCENT_LIMITS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
TAX_RATE_LIMITS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]
AMOUNT_LIMITS = [MinValueValidator(AMOUNT_MIN), MaxValueValidator(AMOUNT_MAX)]
HOURS_LIMITS = [MinValueValidator(Decimal("0")), MaxValueValidator(HOURS_MAX)]
TOLERANCE_LIMITS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))]
