"""Number formats that differ from Django's (FORMAT_MODULE_PATH): Django's zh_Hans formats turn
digit grouping off (NUMBER_GROUPING = 0), so a Chinese page printed 88000 where the English one
prints 88,000. Chinese prices are written with a comma every three digits, as on Chinese shops."""
