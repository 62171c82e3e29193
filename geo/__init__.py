"""Plain-Python GIS core: CRS policy, geometry validation, bbox parsing, file I/O, tile SQL.

Imports nothing from the Django apps (``geo`` <- ``inputbank`` <- ``maps``).
"""
