"""The JSON artifact envelope: round trip, validation and tamper detection."""

from __future__ import annotations

import json
import math

import pytest

from scorecard._kit.artifacts import (
    SCHEMA_VERSION,
    ArtifactMixin,
    decode_float,
    encode_float,
    load,
    register_artifact,
    require,
)


@register_artifact("_TinyModel")
class _TinyModel(ArtifactMixin):
    def __init__(self, weights):
        self.weights = weights

    def _to_payload(self):
        return {"weights": [encode_float(w) for w in self.weights]}

    @classmethod
    def _from_payload(cls, payload):
        raw = require(payload, "weights", list)
        return cls([decode_float(w, field="weights") for w in raw])


WEIGHTS = [0.1 + 0.2, 1 / 3, -1e-300, 2.5e300, math.inf, -math.inf]


def test_round_trip_is_bit_exact(tmp_path):
    path = tmp_path / "m.json"
    text = _TinyModel(WEIGHTS).to_json(path)
    assert json.loads(text)["schema_version"] == SCHEMA_VERSION
    for source in (path, str(path), text):
        loaded = load(source)
        assert [w.hex() for w in loaded.weights] == [w.hex() for w in WEIGHTS]


def _edit(text, fn):
    doc = json.loads(text)
    fn(doc)
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t[: len(t) // 2], "not valid JSON"),
        (lambda t: "[1, 2]", "Not an infoscore artifact"),
        (lambda t: _edit(t, lambda d: d.update(schema_version=99)), "newer than"),
        (lambda t: _edit(t, lambda d: d.update(schema_version="1")), "must be int"),
        (
            lambda t: _edit(t, lambda d: d["payload"]["weights"].__setitem__(0, 7.0)),
            "checksum mismatch",
        ),
        (lambda t: _edit(t, lambda d: d.update(kind="Nope")), "Unknown artifact kind"),
        (lambda t: _edit(t, lambda d: d.pop("payload")), "missing the field 'payload'"),
    ],
)
def test_malformed_truncated_or_tampered_artifacts_are_rejected(mutate, message):
    text = _TinyModel([1.0, 2.0]).to_json()
    with pytest.raises(ValueError, match=message):
        load(mutate(text))


def test_missing_file_and_bad_floats(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        load(tmp_path / "none.json")
    with pytest.raises(ValueError, match="must be a number; got string"):
        decode_float("1.5", field="w")
    with pytest.raises(ValueError, match="must be a number"):
        decode_float(True, field="w")
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ValueError, match="not UTF-8 text"):
        load(binary)
