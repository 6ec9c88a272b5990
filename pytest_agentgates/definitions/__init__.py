"""Reading agent definitions: front matter, the lines that are promises, the catalog that maps a
promise's words to check ids, and the quantities read from those words.

Imports only ``model``: nothing of pytest, of the project under test, or of the checks.
"""
