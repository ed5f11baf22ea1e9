#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Drive a program through a real pseudo-terminal, as a person at a
terminal would: for the tests of what run.sh does with Ctrl-C, Ctrl-\\,
poweroff and a closed terminal.

usage: tests/lib/pty.py SCRIPT   (SCRIPT: a file, or - for stdin)

One step a line, words split as a shell splits them; # starts a comment.
  spawn CMD ARGS...    start CMD on a new terminal (it is the session's
                       controlling terminal, CMD in its foreground)
  expect TEXT [SECS]   wait until the output since the last expect holds
                       TEXT (default 30 s)
  send TEXT            type TEXT; Python escapes work: \\r, \\x03 (Ctrl-C),
                       \\x1c (Ctrl-\\)
  sleep SECS           wait
  hangup               close the terminal (the session gets SIGHUP)
  exit STATUS [SECS]   wait until CMD ends (default 30 s) and check its
                       exit status: a number, or SIG for death by a signal
  sane                 the terminal's settings are back to what they were
                       before spawn
Everything the program printed goes to stdout. Exit status 0 when every
step held, 1 with the reason otherwise (a script that spawns nothing
fails too).
"""

import codecs
import os
import select
import shlex
import signal
import sys
import termios
import time


class Fail(Exception):
    pass


class Terminal:
    def __init__(self):
        self.master = self.slave = None
        self.pid = None
        self.buf = b""
        self.saved = None
        self.status = None

    def spawn(self, argv):
        self.master, self.slave = os.openpty()
        self.saved = termios.tcgetattr(self.slave)
        pid = os.fork()
        if pid == 0:
            try:
                os.setsid()
                import fcntl
                fcntl.ioctl(self.slave, termios.TIOCSCTTY, 0)
                for fd in (0, 1, 2):
                    os.dup2(self.slave, fd)
                os.close(self.master)
                os.execvp(argv[0], argv)
            finally:
                os._exit(127)
        self.pid = pid

    def pump(self, timeout):
        """Read what the program printed, for up to @timeout seconds."""
        if self.master is None:
            time.sleep(timeout)
            return
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return
        try:
            data = os.read(self.master, 65536)
        except OSError:
            data = b""
        if not data:
            time.sleep(timeout)
            return
        sys.stdout.write(data.decode("utf-8", "replace"))
        sys.stdout.flush()
        self.buf += data

    def reap(self):
        if self.status is None and self.pid:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status

    def expect(self, text, secs):
        want = text.encode()
        deadline = time.monotonic() + secs
        while want not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Fail("no %r within %s s" % (text, secs))
            if self.reap() is not None and not self.readable():
                raise Fail("the program ended before printing %r" % text)
            self.pump(min(left, 0.1))
        self.buf = self.buf[self.buf.index(want) + len(want):]

    def readable(self):
        if self.master is None:
            return False
        return bool(select.select([self.master], [], [], 0)[0])

    def send(self, text):
        os.write(self.master, text.encode("latin-1"))

    def hangup(self):
        os.close(self.master)
        self.master = None

    def wait_exit(self, want, secs):
        deadline = time.monotonic() + secs
        while self.reap() is None:
            left = deadline - time.monotonic()
            if left <= 0:
                os.killpg(self.pid, signal.SIGKILL)
                raise Fail("still running after %s s" % secs)
            self.pump(min(left, 0.1))
        while self.readable():
            self.pump(0)
        status = self.status
        if os.WIFSIGNALED(status):
            got = signal.Signals(os.WTERMSIG(status)).name
        else:
            got = str(os.WEXITSTATUS(status))
        if got != want:
            raise Fail("exit status %s, want %s" % (got, want))

    def sane(self):
        now = termios.tcgetattr(self.slave)
        if now != self.saved:
            names = ["iflag", "oflag", "cflag", "lflag", "ispeed", "ospeed", "cc"]
            diff = [n for n, a, b in zip(names, self.saved, now) if a != b]
            raise Fail("terminal settings not restored: %s differ" % ", ".join(diff))


def run(lines):
    term = Terminal()
    for n, line in enumerate(lines, 1):
        words = shlex.split(line, comments=True)
        if not words:
            continue
        step, args = words[0], words[1:]
        try:
            if step == "spawn":
                term.spawn(args)
            elif step == "expect":
                term.expect(args[0], float(args[1]) if len(args) > 1 else 30)
            elif step == "send":
                term.send(codecs.decode(args[0], "unicode_escape"))
            elif step == "sleep":
                t = time.monotonic() + float(args[0])
                while time.monotonic() < t:
                    term.pump(t - time.monotonic())
            elif step == "hangup":
                term.hangup()
            elif step == "exit":
                term.wait_exit(args[0], float(args[1]) if len(args) > 1 else 30)
            elif step == "sane":
                term.sane()
            else:
                raise Fail("unknown step %r" % step)
        except Fail as e:
            print("\npty.py: line %d (%s): %s" % (n, line.strip(), e))
            if term.pid and term.reap() is None:
                os.killpg(term.pid, signal.SIGKILL)
                os.waitpid(term.pid, 0)
            return 1
    if term.pid is None:
        print("pty.py: nothing was spawned (an empty script?)")
        return 1
    if term.pid and term.reap() is None:
        print("\npty.py: the program is still running at the end of the script")
        os.killpg(term.pid, signal.SIGKILL)
        os.waitpid(term.pid, 0)
        return 1
    return 0


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = sys.stdin if sys.argv[1] == "-" else open(sys.argv[1])
    sys.exit(run(src.read().splitlines()))


if __name__ == "__main__":
    main()
