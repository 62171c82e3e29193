"""Deterministic Moss demo data: themes, users, processes and input at any scale.

``places`` builds geometry in EPSG:25832 metres (numpy, vectorised), ``texts`` writes the
Norwegian (and other language) statements, ``loader`` writes everything with COPY.
"""
