"""Resident pages: the map, giving input, lists, process pages, search, fixed pages."""
