"""Nuke's script format: the value grammar, the script model and parser,
curve evaluation, and atomic file reads and writes."""
