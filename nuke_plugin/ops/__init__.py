"""The operations (assess, convert, nudge, scan), written once against the
:class:`~nuke_plugin.ops.exposure_node.ExposureNode` interface, with the catalogue of
exposure knobs and stop knobs they share."""
