"""Number formats for Simplified Chinese, over Django's own (which group by ten thousand with
no separator): money in Chinese business documents and ERP screens reads 1,234,567.89."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
