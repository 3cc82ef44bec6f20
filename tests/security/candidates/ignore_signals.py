"""Ignores or blocks every signal it may, then spins."""

import signal


def f():
    for signum in (
        signal.SIGALRM,
        signal.SIGTERM,
        signal.SIGINT,
        signal.SIGXCPU,
        signal.SIGHUP,
        signal.SIGVTALRM,
        signal.SIGPROF,
        signal.SIGUSR1,
        signal.SIGUSR2,
    ):
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals) - {signal.SIGKILL, signal.SIGSTOP})
    while True:
        pass
