"""The operations, written once against the
:class:`~nuke_plugin.ops.exposure_node.ExposureNode` interface: ``assess``
(what a knob holds), ``convert`` (legacy multiply to stop knobs, and
relinking), ``nudge``, ``set_stops`` (the panel's typed stops), ``match``
(a measured offset onto stop knobs) and ``scan``; what they return
(``outcome``), why they leave a knob alone (``reasons``), and the stop
knobs and driving expressions they share (``catalogue``)."""
