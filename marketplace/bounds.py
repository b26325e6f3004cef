"""The largest numbers the database's columns hold, for the upper bounds of inputs.

Every numeric input of a form or serializer has an upper bound no larger than its column's, so a
number too large is answered with a message before any database call (tests/marketplace/
test_numeric_bounds.py holds every form and the API schema to it).
"""

INTEGER_MAX = 2**31 - 1  # integer / PositiveIntegerField
SMALLINT_MAX = 2**15 - 1  # smallint / PositiveSmallIntegerField
ID_MAX = 2**63 - 1  # bigint: primary keys (DEFAULT_AUTO_FIELD is BigAutoField)
