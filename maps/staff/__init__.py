"""The case officer workspace at /staff/: views per workflow, forms, access rules.

Thin views: reads through querysets and the read modules in ``inputbank`` (prior_input,
similar, consultation, indicators), writes through ``inputbank.services``.
"""
