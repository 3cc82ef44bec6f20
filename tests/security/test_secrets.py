"""Secrets of the host process and the inputs of the coming call are out of the candidate's reach."""

from __future__ import annotations

import uuid

from effilab.sandbox import Verdict


def test_environment_secrets_do_not_leak(tier, run_candidate, monkeypatch):
    secret = f"s3cr3t-{uuid.uuid4().hex}"
    api_key = f"sk-effilab-test-{uuid.uuid4().hex}"
    monkeypatch.setenv("EFFILAB_TEST_SECRET", secret)
    monkeypatch.setenv("OPENAI_API_KEY", api_key)
    result = run_candidate("read_environ", tier)
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    seen = repr(call.value)
    for leaked in (secret, api_key, "EFFILAB_TEST_SECRET", "OPENAI_API_KEY"):
        assert leaked not in seen, f"{leaked} is visible inside the sandbox"
    assert "PATH" in call.value["os.environ"], "the candidate did read its (clean) environment"


def test_import_time_code_cannot_see_the_call_arguments(tier, run_candidate):
    secret = f"expected-input-{uuid.uuid4().hex}"
    result = run_candidate("snoop_args", tier, (secret,))
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    assert secret not in repr(call.value["seen_at_import"]), call.value["seen_at_import"]
    assert len(call.value["probed"]) >= 3, "the candidate found descriptors to read from"
