#!/bin/sh
# where: guest
# FP and vector registers (up to zmm0-31 and k1-7 on AVX-512 hosts) survive
# switches between two threads of one process, a signal handler that
# overwrites every one of them, fork; exec starts a program afresh; a
# tracer reads and writes them with PTRACE_GETFPREGS/SETFPREGS
# (tests/progs/fpstate.c; kernel-config/patches/0001 and 0005).
/lab/build/progs/fpstate all 2000
