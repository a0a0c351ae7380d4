"""The colour space a CDL is applied in, judged by OpenColorIO.

A stop is a multiply only on scene-linear data. In a log space (ACEScc,
ACEScct, camera logs) the same exposure is an offset, exact or close only
over some range of values. This module finds the CDL that carries an
exposure in a given space, and says how exactly, by letting OpenColorIO
apply it: a neutral ramp of scene-linear values is encoded into the space,
the CDL is applied there, and each channel is decoded again and compared
with the value times 2 ** stops. Per-channel stops are exposures of the
space's own channels (a CDL grades the channels it is given).

- A **scene-linear** space gets slope 2 ** stops, offset 0: exact.
- A **log** space gets the offset that is best over the range (the
  smallest worst error, found by OpenColorIO's own decoding), slope 1.
- Any **other** space (a video gamma, a display) gets the better of a slope
  and an offset, measured the same way.

Power and saturation stay 1. The config is ``--config`` when given, else
``$OCIO``, else OpenColorIO's built-in ``ocio://studio-config-latest``.
OpenColorIO and its exceptions are imported when asked for: a missing
library is one line naming the ``cdl`` extra. Numpy is not needed.
"""

from __future__ import annotations

import difflib
import enum
import math
import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from ..core.cdl import Cdl, cdl_for_stops, stops_of_cdl
from ..core.exposure import exposure_to_intensity, real_number
from ..core.text import printable
from ..files.reading import FileError, open_regular
from ..registry import needs_extra

__all__ = [
    "BUILT_IN",
    "DEFAULT_RANGE",
    "TOLERANCE",
    "Fit",
    "GradingSpace",
    "SpaceError",
    "SpaceKind",
    "exposure_cdl",
    "file_apply",
    "fit_fields",
    "fit_of",
    "measure",
    "open_space",
    "stops_of_cdl_in",
]

#: The config used when neither ``--config`` nor ``$OCIO`` names one.
BUILT_IN = "ocio://studio-config-latest"
#: From 4 stops under 18% grey to 6 stops over it: where a shot's picture is.
DEFAULT_RANGE = (0.18 * 2.0**-4, 0.18 * 2.0**6)
#: The largest error, in stops, a CDL may have over the range unless the
#: artist accepts an approximation (--approximate).
TOLERANCE = 0.01
#: Samples of the ramp, evenly spaced in stops.
SAMPLES = 241
#: A config file is text: no real one comes near this.
MAX_CONFIG_BYTES = 64 << 20
#: Exposures past this many stops leave float32, OpenColorIO's maths.
FLOAT32_STOPS = 100
#: Below this error (stops) a CDL is exact to OpenColorIO's float32 maths.
EXACT = 1e-5


class SpaceError(Exception):
    """A config or colour space that cannot be used; the message is one line."""


class SpaceKind(enum.Enum):
    """How an exposure is carried by a CDL in a space."""

    LINEAR = "scene-linear"  # a slope, exactly
    LOG = "log"  # an offset, exact or close over a range
    OTHER = "other"  # a video or display encoding: the better of the two


@dataclass(frozen=True)
class GradingSpace:
    """A colour space of a loaded config, with the way to and from scene-linear."""

    name: str  # the config's own name for it (aliases resolved)
    kind: SpaceKind
    scene_linear: str  # the config's scene_linear role
    config: str  # where the config came from, as the output says it
    encode: Callable[[List[float]], List[float]] = field(repr=False, compare=False)
    decode: Callable[[List[float]], List[float]] = field(repr=False, compare=False)
    ocio: Any = field(repr=False, compare=False)
    loaded: Any = field(repr=False, compare=False)  # the OCIO config object

    def describe(self) -> str:
        """The space as the output names it.

        >>> from types import SimpleNamespace as S
        >>> GradingSpace.describe(S(name="ACEScct", kind=SpaceKind.LOG, config="$OCIO"))
        'ACEScct (log; config $OCIO)'
        """
        return f"{self.name} ({self.kind.value}; config {self.config})"


@dataclass(frozen=True)
class Fit:
    """A CDL for an exposure in a space, and how exact OpenColorIO finds it."""

    cdl: Cdl
    stops: Tuple[float, float, float]
    worst_error: float  # stops, over ``range``
    range: Tuple[float, float]  # the scene-linear values (before the exposure) measured
    holds: Tuple[float, float]  # where the error stays within TOLERANCE
    space: GradingSpace

    @property
    def exact(self) -> bool:
        return self.worst_error <= EXACT


def _ocio() -> Any:
    try:
        import PyOpenColorIO
    except ImportError:
        raise SpaceError(needs_extra("working in OCIO colour spaces", "cdl")) from None
    return PyOpenColorIO


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return printable(lines[0] if lines else type(error).__name__)


def _load(ocio: Any, given: Optional[str], environ: Mapping[str, str]) -> Tuple[Any, str]:
    if given:
        source, said = given, f"{printable(given)} (--config)"
    elif environ.get("OCIO"):
        source, said = environ["OCIO"], f"{printable(environ['OCIO'])} ($OCIO)"
    else:
        source, said = BUILT_IN, f"{BUILT_IN} (built in)"
    if not source.startswith("ocio://"):
        try:  # a FIFO, a folder or a huge file is refused before OpenColorIO opens it
            with open_regular(Path(source), MAX_CONFIG_BYTES):
                pass
        except FileError as error:
            raise SpaceError(f"the OCIO config {said} cannot be read: {error}") from None
    try:
        return ocio.Config.CreateFromFile(source), said
    except (ocio.Exception, ocio.ExceptionMissingFile) as error:
        raise SpaceError(f"the OCIO config {said} does not load: {_first_line(error)}") from None


def _cpu(ocio: Any, processor: Any) -> Any:
    """The processor's float maths without OpenColorIO's fast log and pow
    (its default: 1.7e-5 stop off in ACEScct, which would hide what the CDL
    itself does; lossless is 1e-6)."""
    return processor.getOptimizedCPUProcessor(
        ocio.BIT_DEPTH_F32, ocio.BIT_DEPTH_F32, ocio.OPTIMIZATION_LOSSLESS
    )


def _names(config: Any) -> List[str]:
    names: List[str] = []
    for space in config.getColorSpaces():
        names.append(str(space.getName()))
        names.extend(str(a) for a in space.getAliases())
    return names


def open_space(
    name: Optional[str] = None,
    config: Optional[str] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> GradingSpace:
    """The colour space ``name`` (or the scene_linear role) of the config;
    SpaceError (one line) for a config that does not load, an unknown name
    (with the closest ones) or a space with no route to scene-linear."""
    ocio = _ocio()
    loaded, said = _load(ocio, config, os.environ if environ is None else environ)
    linear_role = loaded.getColorSpace(ocio.ROLE_SCENE_LINEAR)
    if linear_role is None:
        raise SpaceError(f"the OCIO config {said} has no scene_linear role")
    scene_linear = str(linear_role.getName())
    wanted = name or scene_linear
    space = loaded.getColorSpace(wanted)
    if space is None:
        names = _names(loaded)
        close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.4)
        lowered = {n.lower(): n for n in names}
        close += [
            lowered[n]
            for n in difflib.get_close_matches(wanted.lower(), list(lowered), n=3, cutoff=0.4)
        ]
        unique = list(dict.fromkeys(close))[:3]
        hint = f"; the closest: {', '.join(unique)}" if unique else ""
        raise SpaceError(f"no colour space {printable(wanted)!r} in the OCIO config {said}{hint}")
    found = str(space.getName())
    if space.isData():
        raise SpaceError(
            f"{found} in the OCIO config {said} is data, not colour: it has no route to "
            f"scene-linear ({scene_linear}), so no exposure can be carried there"
        )
    try:
        encode = _cpu(ocio, loaded.getProcessor(scene_linear, found))
        decode = _cpu(ocio, loaded.getProcessor(found, scene_linear))
    except ocio.Exception as error:
        raise SpaceError(
            f"no route between {found} and scene-linear ({scene_linear}) in the OCIO config "
            f"{said}: {_first_line(error)}"
        ) from None
    if loaded.isColorSpaceLinear(found, ocio.REFERENCE_SPACE_SCENE):
        kind = SpaceKind.LINEAR
    elif str(space.getEncoding()) == "log":
        kind = SpaceKind.LOG
    else:
        kind = SpaceKind.OTHER
    return GradingSpace(
        found, kind, scene_linear, said, encode.applyRGB, decode.applyRGB, ocio, loaded
    )


# -- measuring with OpenColorIO ----------------------------------------------------------


def _ramp(low: float, high: float, count: int = SAMPLES) -> List[float]:
    """Values from low to high, evenly spaced in stops."""
    step = math.log2(high / low) / (count - 1)
    return [low * 2.0 ** (i * step) for i in range(count)]


def _neutral(values: Sequence[float]) -> List[float]:
    return [v for v in values for _ in range(3)]


def _decoded(space: GradingSpace, codes: Sequence[float]) -> List[float]:
    """Each code value decoded as a neutral: the scene-linear value it stands for."""
    return space.decode(_neutral(codes))[0::3]


def _errors(
    space: GradingSpace,
    inputs: Sequence[float],
    applied: Sequence[float],
    stops: float,
) -> List[float]:
    """Stops by which each applied code misses ``input * 2 ** stops``."""
    wanted = exposure_to_intensity(stops)
    out: List[float] = []
    for x, got in zip(inputs, _decoded(space, applied)):
        if not (got > 0 and math.isfinite(got)):
            out.append(math.inf)
        else:
            out.append(abs(math.log2(got / (x * wanted))))
    return out


def measure(
    space: GradingSpace,
    apply: Callable[[List[float]], List[float]],
    stops: Sequence[float],
    inputs: Sequence[float],
) -> List[float]:
    """Per input value, the worst error in stops over the three channels of
    ``apply`` (an OpenColorIO processor's applyRGB running the CDL in the
    space) against each channel's ``stops``."""
    codes = space.encode(_neutral(inputs))
    applied = apply(list(codes))
    worst = [0.0] * len(inputs)
    for channel in range(3):
        errors = _errors(space, inputs, applied[channel::3], stops[channel])
        worst = [max(a, b) for a, b in zip(worst, errors)]
    return worst


def _cdl_apply(space: GradingSpace, cdl: Cdl) -> Callable[[List[float]], List[float]]:
    """OpenColorIO applying ``cdl`` as a file would be applied (no clamp)."""
    ocio = space.ocio
    transform = ocio.CDLTransform(
        slope=list(cdl.slope), offset=list(cdl.offset), power=list(cdl.power), sat=cdl.saturation
    )
    transform.setStyle(ocio.CDL_NO_CLAMP)
    processor = _cpu(ocio, space.loaded.getProcessor(transform))
    apply: Callable[[List[float]], List[float]] = processor.applyRGB
    return apply


def _best(error_of: Callable[[float], float], low: float, high: float) -> float:
    """The value in [low, high] with the smallest error (the worst error over
    a ramp is quasi-convex in a single offset or slope: each sample's error
    grows on either side of its own exact value)."""
    for _ in range(80):
        a, b = low + (high - low) / 3, high - (high - low) / 3
        if error_of(a) <= error_of(b):
            high = b
        else:
            low = a
    return (low + high) / 2


def _checked(value_range: Tuple[float, float]) -> Tuple[float, float]:
    """A range of linear values OpenColorIO's float32 maths can measure over."""
    low, high = (real_number(v, "range") for v in value_range)
    if not 1e-10 <= low < high <= 1e10:
        raise ValueError(
            f"the range {low:g} to {high:g} is not two linear values from 1e-10 to 1e10, "
            "low then high"
        )
    return low, high


def _measured_range(stops: Sequence[float], low: float, high: float) -> Tuple[float, float]:
    """The inputs whose values before and after the exposure both lie in
    [low, high]; the whole of [low, high] when none do (an exposure wider
    than the range)."""
    start = max([low] + [low / exposure_to_intensity(s) for s in stops])
    end = min([high] + [high / exposure_to_intensity(s) for s in stops])
    return (start, end) if start < end * (1 - 1e-12) else (low, high)


def _fit_channel(space: GradingSpace, stops: float, inputs: Sequence[float]) -> Tuple[float, float]:
    """The (slope, offset) carrying ``stops`` on one channel in a non-linear space."""
    codes = space.encode(_neutral(inputs))[0::3]
    targets = space.encode(_neutral([x * exposure_to_intensity(stops) for x in inputs]))[0::3]
    candidates: List[Tuple[float, float, float]] = []  # error, slope, offset

    def worst(codes_after: Sequence[float]) -> float:
        return max(_errors(space, inputs, codes_after, stops))

    offsets = [t - c for t, c in zip(targets, codes)]
    if max(offsets) - min(offsets) <= 1e-6:  # exact there (ACEScc): past float32's own noise
        offset = statistics.median(offsets)
    else:
        offset = _best(lambda o: worst([c + o for c in codes]), min(offsets), max(offsets))
    candidates.append((worst([c + offset for c in codes]), 1.0, offset))
    if space.kind is SpaceKind.OTHER and all(c > 0 for c in codes):
        slopes = [t / c for t, c in zip(targets, codes)]
        slope = _best(lambda k: worst([c * k for c in codes]), min(slopes), max(slopes))
        candidates.append((worst([c * slope for c in codes]), slope, 0.0))
    _, slope, offset = min(candidates)
    return slope, offset


def exposure_cdl(
    space: GradingSpace,
    stops: Sequence[float],
    value_range: Tuple[float, float] = DEFAULT_RANGE,
) -> Fit:
    """The CDL carrying ``stops`` (one value, or r g b) in ``space``, and its
    worst error over ``value_range`` as OpenColorIO applies it. ValueError
    for stops no CDL can hold."""
    linear = cdl_for_stops(stops)  # one or three values a CDL can hold, checked
    values = [real_number(s, "stops") for s in (list(stops) * 3 if len(stops) == 1 else stops)]
    measured = _measured_range(values, *_checked(value_range))
    inputs = _ramp(*measured)
    if space.kind is SpaceKind.LINEAR:
        cdl = linear
    else:
        fitted = [_fit_channel(space, s, inputs) for s in values]
        slope = tuple(f[0] for f in fitted)
        offset = tuple(f[1] for f in fitted)
        cdl = Cdl(slope=slope, offset=offset)  # type: ignore[arg-type]
    stops3 = (values[0], values[1], values[2])
    return fit_of(space, cdl, stops3, measured, _cdl_apply(space, cdl))


def fit_of(
    space: GradingSpace,
    cdl: Cdl,
    stops: Tuple[float, float, float],
    measured: Tuple[float, float],
    apply: Callable[[List[float]], List[float]],
) -> Fit:
    """How closely ``apply`` (the CDL, or the file holding it, applied by
    OpenColorIO) carries ``stops``: the worst error over ``measured`` and
    where it stays within TOLERANCE, looked for up to 12 stops either side."""
    low, high = measured
    if space.kind is SpaceKind.LINEAR and max(abs(s) for s in stops) > FLOAT32_STOPS:
        # A slope is a multiply, exact by definition; OpenColorIO's float32
        # cannot hold the values to show it.
        return Fit(cdl, stops, 0.0, measured, measured, space)
    worst = max(measure(space, apply, stops, _ramp(*measured)))
    below = _ramp(low * 2.0**-12, low, 97)[::-1]
    above = _ramp(high, high * 2.0**12, 97)
    holds: List[float] = []
    for side in (below, above):
        errors = measure(space, apply, stops, side)
        edge = side[0]
        for value, error in zip(side, errors):
            if error > TOLERANCE:
                break
            edge = value
        holds.append(edge)
    return Fit(cdl, stops, worst, measured, (holds[0], holds[1]), space)


def stops_of_cdl_in(
    space: GradingSpace, cdl: Cdl, value_range: Tuple[float, float] = DEFAULT_RANGE
) -> Fit:
    """The exposure a CDL read from a file makes in ``space``: per channel,
    the stops it gives 18% grey, and how far it is from that exposure over
    the range. ValueError naming the reason when it is not an exposure
    there (a slope in a log space is a contrast change, not an exposure)."""
    tolerance = 1e-9
    neutral_power = all(math.isclose(p, 1.0, abs_tol=tolerance) for p in cdl.power)
    no_offset = all(math.isclose(o, 0.0, abs_tol=tolerance) for o in cdl.offset)
    no_slope = all(math.isclose(s, 1.0, abs_tol=tolerance) for s in cdl.slope)
    if not neutral_power:
        raise ValueError(
            f"its power is {' '.join(f'{p:g}' for p in cdl.power)}, not 1: no exposure has a power"
        )
    if space.kind is SpaceKind.LINEAR and not no_offset:
        raise ValueError(
            f"it has an offset ({' '.join(f'{o:g}' for o in cdl.offset)}) in {space.name}, "
            "a scene-linear space, where an exposure is a slope alone"
        )
    if space.kind is SpaceKind.LOG and not no_slope:
        raise ValueError(
            f"its slope {' '.join(f'{s:g}' for s in cdl.slope)} in {space.name}, a log space, "
            "is a contrast change, not an exposure (there an exposure is an offset alone)"
        )
    if space.kind is SpaceKind.OTHER and not (no_offset or no_slope):
        raise ValueError(
            f"it has both a slope and an offset in {space.name}: an exposure is one or the other"
        )
    apply = _cdl_apply(space, Cdl(cdl.slope, cdl.offset))  # saturation is no exposure
    if space.kind is SpaceKind.LINEAR:
        stops = stops_of_cdl(cdl)
    else:
        grey = 0.18
        after = apply(space.encode([grey] * 3))
        decoded = _decoded(space, after)  # each channel's code, as a neutral
        if not all(d > 0 and math.isfinite(d) for d in decoded):
            raise ValueError(f"it takes 18% grey to no light in {space.name}")
        # To 1e-5 stop: OpenColorIO's float32 maths is no finer (EXACT).
        found = [round(math.log2(d / grey), 5) for d in decoded]
        stops = (found[0], found[1], found[2])
    measured = _measured_range(stops, *_checked(value_range))
    return fit_of(space, cdl, stops, measured, apply)


def file_apply(
    space: GradingSpace, path: str, cdl_id: str = ""
) -> Callable[[List[float]], List[float]]:
    """OpenColorIO applying the CDL file at ``path`` (as a FileTransform)."""
    ocio = space.ocio
    transform = ocio.FileTransform(src=str(path), cccId=cdl_id)
    processor = _cpu(ocio, space.loaded.getProcessor(transform))
    apply: Callable[[List[float]], List[float]] = processor.applyRGB
    return apply


def fit_fields(fit: Fit) -> Dict[str, Any]:
    """What --json says of a fit."""
    return {
        "space": fit.space.name,
        "kind": fit.space.kind.value,
        "config": fit.space.config,
        "worst_error": fit.worst_error,
        "range": list(fit.range),
        "within_tolerance": list(fit.holds),
        "tolerance": TOLERANCE,
    }
