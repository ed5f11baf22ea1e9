# umlab: the lab's gdb setup for `gdb ./linux` (see docs/gdb.md).
# gdb runs this file only once allowed to, with this line in ~/.gdbinit:
#   add-auto-load-safe-path /path/to/umlab/.gdbinit
source scripts/gdb/umlab.py
