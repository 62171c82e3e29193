"""Read models: answers built from the models for one question each, never writing.

``prior_input`` ("what have we heard here before?"), ``consultation`` (how often each place was
asked), ``similar`` (statements said by many), ``indicators`` (annual report), ``grid`` (the map's
counts per cell), ``features`` (GeoJSON Features built in SQL), ``places`` (address and property
search), ``merknad`` (the merknadsbehandling, grouped and numbered). Writes live in
``inputbank.services``; reads never import them.
"""
