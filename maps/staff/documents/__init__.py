"""Case documents built for the archive and the saksframlegg (Word files, map images).

Each builder takes what a read model returned and writes a file; no HTTP, no queries of its own.
"""
