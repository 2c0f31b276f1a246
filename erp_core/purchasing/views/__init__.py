"""Staff pages of purchasing (/purchasing/): requisitions, orders, receipts.

Views only call selectors and services; forms validate and display errors.
"""
