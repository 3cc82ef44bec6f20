"""Looks for an unpatched path to process creation: a reloaded os, the posix module, _posixsubprocess.

Returns "denied: ..." when the attempt raised, else "exit N" with the program's exit status."""

import importlib
import os


def attempt(action):
    try:
        return "exit %d" % action()
    except BaseException as exc:
        return "denied: %s: %s" % (type(exc).__name__, exc)


def fork_exec_posix(posix, argv):
    pid = posix.fork()
    if pid == 0:
        try:
            posix.execv(argv[0], argv)
        finally:
            posix._exit(111)
    return posix.waitstatus_to_exitcode(posix.waitpid(pid, 0)[1])


def posixsubprocess(argv):
    import _posixsubprocess
    import subprocess

    errpipe_read, errpipe_write = os.pipe()
    args = [
        [os.fsencode(a) for a in argv],
        [os.fsencode(argv[0])],
        False,
        (errpipe_write,),
        None,
        None,
        -1,
        -1,
        -1,
        -1,
        -1,
        -1,
        errpipe_read,
        errpipe_write,
        False,
        False,
        -1,
        None,
        None,
        None,
        -1,
        None,
    ]
    try:
        pid = _posixsubprocess.fork_exec(*args, subprocess._USE_VFORK)
    finally:
        os.close(errpipe_write)
    error = os.read(errpipe_read, 1000)
    os.close(errpipe_read)
    status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    if error:
        raise OSError("exec failed in the child: %r" % error)
    return status


def f(mode, host_marker):
    script = "touch reload-marker; touch %s; echo EXEC-WORKED" % host_marker
    argv = ["/bin/sh", "-c", script]
    if mode == "reload_system":
        fresh = importlib.reload(os)
        return attempt(lambda: fresh.waitstatus_to_exitcode(fresh.system(script)))
    if mode == "posix_system":
        import posix

        return attempt(lambda: posix.waitstatus_to_exitcode(posix.system(script)))
    if mode == "posix_fork_exec":
        import posix

        return attempt(lambda: fork_exec_posix(posix, argv))
    if mode == "posixsubprocess":
        return attempt(lambda: posixsubprocess(argv))
    raise ValueError(mode)
