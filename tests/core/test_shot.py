"""A shot, not a frame: frame notation, ranges, deflicker, and robustness
where a mean-based measure (CurveTool's) is thrown."""

from __future__ import annotations

from typing import List, Optional

import pytest

from nuke_plugin.core.shot import Link, deflicker, parse_frames, parse_sequence


@pytest.mark.parametrize(
    ("pattern", "frame", "path"),
    [
        ("plate.%04d.exr", 1001, "plate.1001.exr"),
        ("plate.####.exr", 7, "plate.0007.exr"),
        ("plate.%d.exr", 7, "plate.7.exr"),
        ("a/b/plate_#.exr", 12, "a/b/plate_12.exr"),
        ("plate.%04d.exr", -3, "plate.-003.exr"),
    ],
)
def test_sequence_notations_are_nukes(pattern: str, frame: int, path: str) -> None:
    sequence = parse_sequence(pattern)
    assert sequence is not None
    assert sequence.path(frame) == path
    assert sequence.frame_of(path.split("/")[-1]) == frame


def test_file_names_that_are_not_frames_of_the_sequence() -> None:
    sequence = parse_sequence("plate.####.exr")
    assert sequence is not None
    for name in ("plate.101.exr", "plate.1001.exr.bak", "other.1001.exr", "plate.10a1.exr"):
        assert sequence.frame_of(name) is None
    assert sequence.frame_of("plate.12345.exr") == 12345  # longer than the padding: Nuke's too


@pytest.mark.parametrize("bad", ["a.%04d.%04d.exr", "a.##.#.exr", "shot_####/plate.exr"])
def test_two_frame_numbers_or_one_in_a_folder_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="frame number"):
        parse_sequence(bad)


def test_frame_ranges() -> None:
    assert parse_frames("1001-1005") == [1001, 1002, 1003, 1004, 1005]
    assert parse_frames("1001-1010x3") == [1001, 1004, 1007, 1010]
    assert parse_frames("1010, 1001-1002 1001") == [1001, 1002, 1010]
    assert parse_frames("-3--1") == [-3, -2, -1]


@pytest.mark.parametrize("bad", ["", "1001-", "10-1", "1-10x0", "a-b", "1001..1010", "1-9999999"])
def test_bad_frame_ranges_name_the_part(bad: str) -> None:
    with pytest.raises(ValueError, match="--frames"):
        parse_frames(bad)


def chain(steps: List[Optional[float]]) -> List[Optional[Link]]:
    """Each frame measured against the one before it (None: no value)."""
    links: List[Optional[Link]] = []
    last = None
    for index, step in enumerate(steps):
        if step is None:
            links.append(None)
            continue
        links.append((last, step) if last is not None else (None, 0.0))
        last = index
    return links


def test_deflicker_takes_out_spikes_and_keeps_the_trend() -> None:
    trend = [0.02 * i for i in range(30)]  # a slow rise: a cloud clearing
    spikes = [0.6 if i % 4 == 1 else 0.0 for i in range(30)]  # fluorescent flicker
    exposure = [t + s for t, s in zip(trend, spikes)]
    steps: List[Optional[float]] = [0.0]
    steps += [b - a for a, b in zip(exposure, exposure[1:])]
    corrections = deflicker(chain(steps), 5)
    corrected = [e + (c or 0.0) for e, c in zip(exposure, corrections)]
    jumps = [abs(b - a) for a, b in zip(corrected, corrected[1:])]
    assert max(jumps) < 0.05  # was 0.6: the flicker is out
    assert corrected[-1] - corrected[0] == pytest.approx(trend[-1] - trend[0], abs=0.1)
    inside = range(2, 28)  # away from the ends, each spike is taken out to the trend's step
    assert [corrections[i] for i in inside] == pytest.approx([-spikes[i] for i in inside], abs=0.03)


def test_deflicker_goes_on_past_a_frame_without_a_value_and_keeps_chains_apart() -> None:
    links: List[Optional[Link]] = [(None, 0.0), (0, 0.5), None, (1, -0.5), (None, 0.0), (4, 0.0)]
    corrections = deflicker(links, 3)
    assert corrections[2] is None
    assert corrections[:2] + corrections[3:4] == pytest.approx([0.0, -0.5, 0.0])
    assert corrections[4:] == [0.0, 0.0]  # a chain of its own: never compared with the first


@pytest.mark.parametrize("window", [1, 2, 4])
def test_deflicker_needs_an_odd_window_of_three_or_more(window: int) -> None:
    with pytest.raises(ValueError, match=f"a window of {window} frames"):
        deflicker([], window)


def test_each_frame_is_within_a_hundredth_where_the_mean_misses_by_a_tenth() -> None:
    """The synthetic shot (tests/support/shots.py): flicker of known stops,
    a clipped highlight crossing the frame, an object entering halfway."""
    np = pytest.importorskip("numpy")
    from nuke_plugin.core.matching import measure_offset

    from support.shots import curvetool_offsets, synthetic_shot

    shot = synthetic_shot()
    truth = shot.truth()
    robust = [measure_offset(frame, shot.frames[0]).stops for frame in shot.frames]
    mean = curvetool_offsets(shot.frames)
    assert np.abs(np.subtract(robust, truth)).max() < 0.01
    missed = np.abs(np.subtract(mean, truth))
    # every frame with the object in it
    assert missed[shot.object_from :].min() > 0.1
    # before it, the highlight: clipped, it does not follow the exposure, so
    # it throws the mean wherever the frame's exposure is not the reference's
    exposed = [i for i in range(shot.object_from) if abs(truth[i]) > 0.25]
    assert len(exposed) >= 4
    assert missed[exposed].min() > 0.1
