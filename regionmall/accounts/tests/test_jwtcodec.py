"""The intake's fast JWT check must agree with PyJWT's verdict on every kind of token."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from regionmall.accounts import jwtcodec


def _pyjwt_verdict(token: str, kind: str) -> str:
    try:
        jwtcodec.decode(token, kind)
    except jwtcodec.InvalidToken as exc:
        return "expired" if exc.expired else "invalid"
    return "ok"


def _fast_verdict(token: str, kind: str) -> str:
    try:
        jwtcodec.verify_hs256(token, kind, jwtcodec.signing_key().encode())
    except jwtcodec.InvalidToken as exc:
        return "expired" if exc.expired else "invalid"
    return "ok"


def _claims(**overrides):
    claims = {"sub": "42", "typ": "access", "jti": "j1", "exp": int(time.time()) + 300}
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _tokens() -> dict[str, str]:
    good = jwtcodec.encode(_claims())
    header, payload, signature = good.split(".")
    forged_payload = _b64(json.dumps({**_claims(), "iss": "regionmall", "sub": "1"}).encode())
    other_key = jwt.encode({"iss": "regionmall", **_claims()},
                           "not-our-key-but-just-as-long-as-ours-0123456789", algorithm="HS256")
    none_alg = _b64(b'{"alg":"none","typ":"JWT"}') + "." + payload + "."
    hs512 = jwt.encode({"iss": "regionmall", **_claims()}, jwtcodec.signing_key(),
                       algorithm="HS512")
    return {
        "good": good,
        "expired": jwtcodec.encode(_claims(exp=int(time.time()) - 5)),
        "refresh-kind": jwtcodec.encode(_claims(typ="refresh")),
        "no-jti": jwtcodec.encode(_claims(jti=None)),
        "no-exp": jwtcodec.encode(_claims(exp=None)),
        "int-sub": jwtcodec.encode(_claims(sub=42)),
        "other-issuer": jwt.encode({**_claims(), "iss": "someone"}, jwtcodec.signing_key(),
                                   algorithm="HS256"),
        "other-key": other_key,
        "payload-swapped": f"{header}.{forged_payload}.{signature}",
        "signature-cut": f"{header}.{payload}.{signature[:-3]}",
        "alg-none": none_alg,
        "hs512": hs512,
        "two-parts": f"{header}.{payload}",
        "garbage": "abc.def.ghi",
        "empty": "",
    }


@pytest.mark.parametrize("name", sorted(_tokens()))
def test_fast_check_agrees_with_pyjwt(name):
    token = _tokens()[name]
    assert _fast_verdict(token, "access") == _pyjwt_verdict(token, "access"), name


def test_verdicts_are_the_expected_ones():
    tokens = _tokens()
    assert _fast_verdict(tokens["good"], "access") == "ok"
    assert _fast_verdict(tokens["expired"], "access") == "expired"
    assert _fast_verdict(tokens["good"], "refresh") == "invalid"
    for name in ("payload-swapped", "other-key", "alg-none", "hs512", "signature-cut"):
        assert _fast_verdict(tokens[name], "access") == "invalid", name
