"""Pure-Python master data logic (no ORM inside): BOM explosion and where-used, mnemonic codes.

Services load the input from the database and call these functions, so they can be tested and
benchmarked alone.
"""
