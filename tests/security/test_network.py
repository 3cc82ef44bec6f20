"""No network: nothing reaches a server listening on the host's loopback."""

from __future__ import annotations

from effilab.sandbox import Verdict


def test_no_tcp_or_udp_to_the_host(tier, run_candidate, listener):
    result = run_candidate("network", tier, (listener.tcp_port, listener.udp_port))
    listener.stop()
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    assert listener.connections == [], "a TCP connection from the sandbox reached the host"
    assert listener.datagrams == [], "a UDP datagram from the sandbox reached the host"
    for protocol, outcome in call.value.items():
        assert outcome.startswith("denied"), f"{protocol}: {outcome}"
