"""Tries to reach a server on the host's loopback by TCP and UDP."""

import socket


def attempt(action):
    try:
        return "done: %r" % (action(),)
    except BaseException as exc:
        return "denied: %s: %s" % (type(exc).__name__, exc)


def tcp(port):
    with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
        conn.sendall(b"pwned-tcp")
        return conn.getpeername()


def udp(port):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        return sock.sendto(b"pwned-udp", ("127.0.0.1", port))


def tcp6(port):
    with socket.create_connection(("::1", port), timeout=1) as conn:
        conn.sendall(b"pwned-tcp6")


def f(tcp_port, udp_port):
    return {
        "tcp": attempt(lambda: tcp(tcp_port)),
        "udp": attempt(lambda: udp(udp_port)),
        "tcp6": attempt(lambda: tcp6(tcp_port)),
    }
