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
        return cls([decode_float(w, field="weights", finite=False) for w in raw])


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


# --------------------------------------------------------------------------
# issue 15: hostile artifacts


def _doc(payload_text: str) -> str:
    """An artifact whose payload is the given JSON text, with a valid checksum."""
    import hashlib

    payload = json.loads(payload_text)
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    return (
        '{"format": "infoscore-artifact", "schema_version": 1, "kind": '
        f'"_TinyModel", "sha256": "{digest}", "payload": {payload_text}}}'
    )


def test_a_repeated_key_is_rejected():
    good = _TinyModel([1.0]).to_json()
    doubled = good.rstrip()[:-1] + ', "payload": {"weights": [99.0]}}'
    assert json.loads(doubled)["payload"] == {"weights": [99.0]}  # last one wins
    with pytest.raises(ValueError, match="has the key 'payload' twice"):
        load(doubled)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_json_numbers_are_rejected(number):
    text = _TinyModel([1.0]).to_json().replace("1.0", number)
    with pytest.raises(ValueError, match="non-finite|out of the float range"):
        load(text)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", 10**400])
def test_decode_float_is_finite_by_default(value):
    with pytest.raises(ValueError, match="must be a finite number"):
        decode_float(value, field="intercept")


def test_size_and_nesting_are_capped(tmp_path, monkeypatch):
    import scorecard._kit.artifacts as artifacts

    deep = _doc('{"weights": [1.0], "x": ' + "[" * 40 + "]" * 40 + "}")
    with pytest.raises(ValueError, match="nested more than 32 levels"):
        load(deep)
    with pytest.raises(ValueError, match="nested more than 32 levels"):
        load(_doc('{"w": []}').replace('"w": []', '"w": ' + "[" * 10**5 + "]" * 10**5))
    monkeypatch.setattr(artifacts, "MAX_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_text(_TinyModel([1.0] * 200).to_json())
    with pytest.raises(ValueError, match="the limit is 1,000"):
        load(big)
    with pytest.raises(ValueError, match="the limit is 1,000"):
        load(big.read_text())


@register_artifact("_Fragile")
class _Fragile(ArtifactMixin):
    @classmethod
    def _from_payload(cls, payload):
        counts = [b.get("n") for b in payload["bins"]]  # AttributeError for 1
        return [float(10 ** counts[0])]  # OverflowError for 10**400


@pytest.mark.parametrize(
    ("bins", "error"),
    [("[1, 2]", "AttributeError"), ('[{"n": 400}]', "OverflowError")],
)
def test_payload_errors_become_value_errors(bins, error):
    text = _doc('{"bins": ' + bins + "}").replace("_TinyModel", "_Fragile")
    with pytest.raises(ValueError, match=f"Malformed _Fragile artifact: {error}"):
        load(text)


def test_hmac_signature_is_written_and_verified(tmp_path, monkeypatch):
    from scorecard._kit.artifacts import KEY_ENV, KEY_FILE_ENV

    unsigned = _TinyModel([1.0]).to_json()
    monkeypatch.setenv(KEY_ENV, "s3cret")
    signed = _TinyModel([1.0]).to_json()
    assert "hmac_sha256" in json.loads(signed)
    assert load(signed).weights == [1.0]
    with pytest.raises(ValueError, match="not signed, but a key is configured"):
        load(unsigned)
    # a tampered payload with a recomputed SHA-256 still fails the HMAC
    import hashlib

    doc = json.loads(signed)
    doc["payload"]["weights"] = [5.0]
    canonical = json.dumps(doc["payload"], sort_keys=True, separators=(",", ":"))
    doc["sha256"] = hashlib.sha256(canonical.encode()).hexdigest()
    with pytest.raises(ValueError, match="signature .* does not match"):
        load(json.dumps(doc))
    monkeypatch.setenv(KEY_ENV, "other")
    with pytest.raises(ValueError, match="signature .* does not match"):
        load(signed)
    monkeypatch.delenv(KEY_ENV)
    key_file = tmp_path / "key"
    key_file.write_text("s3cret\n")
    monkeypatch.setenv(KEY_FILE_ENV, str(key_file))
    assert load(signed).weights == [1.0]
    monkeypatch.setenv(KEY_FILE_ENV, str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="cannot be read"):
        load(signed)
    monkeypatch.delenv(KEY_FILE_ENV)
    assert load(signed).weights == [1.0]  # no key configured: checksum only
