"""The node interface of :mod:`nuke_plugin.ops.exposure_node` over a parsed .nk file
(``script_file``) and over a live ``nuke.Node`` (``live_node``, the only
module here that imports ``nuke``)."""
