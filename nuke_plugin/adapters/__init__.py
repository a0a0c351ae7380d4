"""What the operations and commands work through: the node interface of
:mod:`nuke_plugin.ops.exposure_node` over a parsed .nk file (``script_node``,
with ``script_ops`` for whole scripts and ``script_file`` for the files)
and over a live ``nuke.Node`` (``live_node``, the only module here that
imports ``nuke``); EXR plates (``exr_file``, ``exr_header``) and ASC CDL
files (``cdl_file``)."""
