#!/bin/sh
# where: guest
# FP and vector registers (up to zmm0-31 and k1-7 on AVX-512 hosts) survive
# switches between two threads of one process, and a signal handler that
# overwrites every one of them (tests/progs/fpstate.c).
/lab/build/progs/fpstate all 2000
