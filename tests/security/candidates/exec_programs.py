"""Tries to run other programs. The command creates a marker file in the current directory (the sandbox's
private tmp, which the host can see) and in a host directory, and prints a marker line.

Returns "denied: ..." when the attempt raised, else "exit N" with the program's exit status."""

import os
import subprocess


def attempt(action):
    try:
        return "exit %d" % action()
    except BaseException as exc:
        return "denied: %s: %s" % (type(exc).__name__, exc)


def wait(pid):
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def popen(script):
    pipe = os.popen(script)
    pipe.read()
    status = pipe.close()
    return 0 if status is None else status


def fork_execv(argv):
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(111)
    return wait(pid)


def f(mode, host_marker):
    script = "touch exec-marker; touch %s; echo EXEC-WORKED" % host_marker
    argv = ["/bin/sh", "-c", script]
    action = {
        "subprocess": lambda: subprocess.run(argv, check=False, timeout=5).returncode,
        "system": lambda: os.waitstatus_to_exitcode(os.system(script)),
        "posix_spawn": lambda: wait(os.posix_spawn(argv[0], argv, dict(os.environ))),
        "spawnv": lambda: os.spawnv(os.P_WAIT, argv[0], argv),
        "popen": lambda: popen(script),
        "execv": lambda: os.execv(argv[0], argv),  # success would replace the interpreter
        "fork_execv": lambda: fork_execv(argv),
    }[mode]
    return attempt(action)
