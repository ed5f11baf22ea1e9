# SPDX-License-Identifier: GPL-2.0
#
# umlab's gdb setup for the UML kernel, loaded by `gdb ./linux` (through
# .gdbinit), `make gdb` and `./run.sh --gdb`. See docs/gdb.md.
#
# - UML's own signals pass without stopping; a kernel panic stops.
# - `run` boots the lab as `make run` does (arguments from run.sh).
# - When the guest loads a module, its symbols are added from its .ko with
#   the section addresses the kernel chose; when it frees the module, they
#   are removed again. Breakpoints in module code therefore resolve and hit,
#   in init and exit functions too.
# - Each time the guest starts a process, breakpoints in module memory are
#   written back: gdb takes them out of the forked host process it detaches
#   from, and module memory is shared with it.
#
# gdb calls a breakpoint's stop() many times for one pass on UML (its
# signals interrupt gdb's step over the breakpoint), so every handler
# here is cheap and idempotent.

import glob
import os
import subprocess

import gdb

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build_dir():
    """The build of this kernel line and profile (scripts/build-dir.sh): make
    and run.sh say which in UMLAB_BUILD; for plain gdb ./linux it is the one
    the kernel gdb loaded was built in."""
    if os.environ.get("UMLAB_BUILD"):
        return os.path.join(TOP, os.environ["UMLAB_BUILD"])
    kernel = os.path.realpath(gdb.current_progspace().filename or "")
    if kernel.startswith(TOP + os.sep) and kernel.endswith(os.path.join(os.sep, "kernel", "linux")):
        return os.path.dirname(os.path.dirname(kernel))
    return os.path.join(TOP, "build")


def all_builds():
    """Every line's and profile's build directory."""
    script = os.path.join(TOP, "scripts", "build-dir.sh")
    lines = subprocess.run([script, "--lines"], capture_output=True, text=True).stdout.split()
    return {os.path.join(TOP, subprocess.run([script, line, profile], capture_output=True,
                                             text=True).stdout.strip())
            for line in lines for profile in ("default", "debug")}


BUILD = build_dir()
PLACED = os.path.join(TOP, "build", "gdb")	# .ko copies placed at run-time addresses
# Module directories shared with the guest (make gdb M=DIR)
SHARES = [d for d in os.environ.get("UMLAB_SHARES", "").split(":") if d]


def say(msg):
    gdb.write("umlab: %s\n" % msg)


def shown(path):
    """A path as the user knows it: relative inside the project."""
    rel = os.path.relpath(path, TOP)
    return path if rel.startswith("..") else rel


class ModuleFiles:
    """Find the .ko file for a module name: the lab's modules first, then
    anything else under build/, the shared module directories and the
    directories in $UMLAB_MODULE_PATH."""

    def __init__(self):
        self.index = None

    @staticmethod
    def _name(path):
        return os.path.basename(path)[:-3].replace("-", "_")

    def _scan(self):
        self.index = {}
        roots = [BUILD] + SHARES + [d for d in os.environ.get("UMLAB_MODULE_PATH", "").split(":") if d]
        # not the placed copies, nor another line's or profile's build
        skip = ({PLACED} | all_builds()) - {BUILD}
        for root in roots:
            for dirpath, dirs, files in os.walk(root):
                dirs[:] = [d for d in dirs if os.path.join(dirpath, d) not in skip and d != ".git"]
                for f in files:
                    if f.endswith(".ko"):
                        self.index.setdefault(self._name(f), []).append(os.path.join(dirpath, f))

    def find(self, name):
        found = [p for p in glob.glob(os.path.join(BUILD, "modules", "*", "*.ko"))
                 if self._name(p) == name]
        if not found:
            if self.index is None or name not in self.index:
                self._scan()	# a module built since the last look
            found = [p for p in self.index.get(name, []) if os.path.exists(p)]
        if not found:
            return None
        return max(found, key=os.path.getmtime)	# the newest build


class ModuleSymbols:
    """Which module's symbols are loaded, from which file, at which address."""

    def __init__(self):
        self.files = ModuleFiles()
        self.loaded = {}	# name -> (path, mtime, text address, placed copy)
        self.missing = set()

    @staticmethod
    def sections(mod):
        attrs = mod["sect_attrs"]
        result = {}
        if attrs == 0:
            return result
        if "nsections" in [f.name for f in attrs.dereference().type.fields()]:
            # 6.12: an array of (attribute, address)
            for i in range(int(attrs["nsections"])):
                a = attrs["attrs"][i]
                addr = int(a["address"])
                if addr:
                    result[a["battr"]["attr"]["name"].string()] = addr
            return result
        # 7.x: the group's NULL-terminated list, each address in .private
        battrs = attrs["grp"]["bin_attrs"]
        ulong = gdb.lookup_type("unsigned long")
        i = 0
        while int(battrs[i]) != 0:
            a = battrs[i].dereference()
            addr = int(a["private"].cast(ulong))
            if addr:
                result[a["attr"]["name"].string()] = addr
            i += 1
        return result

    def load(self, mod):
        name = mod["name"].string()
        path = self.files.find(name)
        if path is None:
            if name not in self.missing:
                say("no %s.ko under %s, the shared directories or $UMLAB_MODULE_PATH: "
                    "no symbols for it" % (name, BUILD))
                self.missing.add(name)
            return
        sections = self.sections(mod)
        # .text is absent when empty, but the DWARF is placed relative to it
        text = sections.setdefault(
            ".text", int(mod["mem"][int(gdb.parse_and_eval("MOD_TEXT"))]["base"]))
        key = (path, os.stat(path).st_mtime_ns, text)
        if self.loaded.get(name, (None,))[:3] == key:
            return	# this pass was seen already
        self.unload(name)
        placed = self.place(name, path, sections)
        args = "".join(" -s %s 0x%x" % (s, a) for s, a in sorted(sections.items()) if s != ".text")
        gdb.execute("add-symbol-file %s 0x%x%s" % (placed, text, args), to_string=True)
        # a rebuilt module's source may have changed under gdb's cache
        gdb.execute("maintenance flush source-cache", to_string=True)
        self.loaded[name] = key + (placed,)
        say("loaded symbols for %s from %s" % (name, shown(path)))

    @staticmethod
    def place(name, path, sections):
        """A copy of the .ko whose sections sit at the addresses the kernel
        gave them. In a .ko every section starts at 0, and gdb moves all
        of a file's DWARF by the offset of .text alone, so functions in
        .init.text or .exit.text would get .text's addresses."""
        os.makedirs(PLACED, exist_ok=True)
        out = os.path.join(PLACED, name + ".ko")
        cmd = ["objcopy", "--no-change-warnings"]
        for s, a in sorted(sections.items()):
            cmd += ["--change-section-address", "%s=0x%x" % (s, a)]
        subprocess.run(cmd + [path, out], check=True, stderr=subprocess.PIPE)
        return out

    def unload(self, name):
        old = self.loaded.pop(name, None)
        if old:
            gdb.execute("remove-symbol-file %s" % old[3], to_string=True)


SYMBOLS = ModuleSymbols()


class ModuleLoadBreakpoint(gdb.Breakpoint):
    """do_init_module(): sections placed, sysfs set up, init not yet run."""

    def __init__(self):
        super().__init__("do_init_module", internal=True)
        self.silent = True

    def stop(self):
        try:
            SYMBOLS.load(gdb.parse_and_eval("mod"))
        except gdb.error as e:
            say("could not load module symbols: %s" % e)
        return False


class ModuleFreeBreakpoint(gdb.Breakpoint):
    """free_module(): the module's memory is about to go."""

    def __init__(self):
        super().__init__("free_module", internal=True)
        self.silent = True

    def stop(self):
        try:
            SYMBOLS.unload(gdb.parse_and_eval("mod")["name"].string())
        except gdb.error as e:
            say("could not drop module symbols: %s" % e)
        return False


def rearm_breakpoints():
    """Write every breakpoint back into memory: reading gives the original
    bytes (gdb hides its own), and writing over an inserted breakpoint makes
    gdb put the breakpoint instruction in again."""
    inferior = gdb.selected_inferior()
    for bp in gdb.breakpoints():
        if bp.type != gdb.BP_BREAKPOINT or not bp.enabled or bp.pending:
            continue
        for loc in bp.locations:
            if not loc.enabled or loc.address is None:
                continue
            try:
                inferior.write_memory(loc.address, inferior.read_memory(loc.address, 1))
            except gdb.MemoryError:
                pass	# freed meanwhile; gdb will find out itself


class ProcessStartBreakpoint(gdb.Breakpoint):
    """Right after start_userspace() in init_new_context(): the guest's new
    process exists on the host and gdb has detached from it."""

    def __init__(self, spec):
        super().__init__(spec, internal=True)
        self.silent = True

    def stop(self):
        rearm_breakpoints()
        return False


def process_start_location():
    """file:line of the statement after start_userspace() returns."""
    src = "arch/um/kernel/skas/mmu.c"
    path = os.path.join(BUILD, "kernel", "source", src)
    try:
        lines = open(path).read().split("\n")
    except OSError:
        return None
    for n, line in enumerate(lines, 1):
        if "= start_userspace(" in line:
            return "%s:%d" % (src, n + 1)
    return None


class PanicBreakpoint(gdb.Breakpoint):
    """Stop when the guest kernel panics (UML turns kernel faults into one)."""

    def __init__(self):
        super().__init__("panic", internal=True)

    def stop(self):
        say("the guest kernel panicked: bt shows where, continue lets it die")
        return True


class RunPreparation:
    """`run` inside plain `gdb ./linux`: ask run.sh for the kernel arguments
    and a directory for the run (COW layer, memory file, mconsole). run.sh
    stays, holding the directory's lock, until the run ends: then it is
    told so (its pipe closed) and removes the directory. The lock is never
    let go in between, so another run's sweep can never take the directory
    for a dead run's."""

    def __init__(self):
        self.rundir = None
        self.holder = None	# run.sh --print-args, holding the run's lock
        self.hold = None	# our end of the pipe it waits on

    def cleanup(self, *_):
        if self.hold is not None:
            os.close(self.hold)
            self.hold = None
        if self.holder:
            try:
                self.holder.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.holder.kill()
                self.holder.wait()
            self.holder = None
        self.rundir = None

    def prepare(self):
        self.cleanup()
        share_args = [a for d in SHARES for a in ("--share", d)]
        theirs, self.hold = os.pipe()
        try:
            # a session of its own: Ctrl-C at gdb's prompt is not for it
            # the build of the kernel gdb has loaded
            env = dict(os.environ, UMLAB_BUILD=os.path.relpath(BUILD, TOP))
            self.holder = subprocess.Popen(
                [os.path.join(TOP, "run.sh"), "--gdb", "--print-args", str(theirs)] + share_args,
                stdout=subprocess.PIPE, text=True, pass_fds=(theirs,), start_new_session=True,
                env=env)
        finally:
            os.close(theirs)
        out = self.holder.stdout.read()	# to its end: run.sh closes it
        self.holder.stdout.close()
        lines = [a for a in out.split("\n") if a]
        if not lines:
            self.cleanup()
            raise gdb.GdbError("umlab: run.sh could not prepare the run (see above)")
        self.rundir, args = lines[0], lines[1:]
        gdb.execute("set environment TMPDIR %s" % self.rundir)
        gdb.set_convenience_variable("umlab_rundir", self.rundir)
        gdb.execute("set args %s" % " ".join("'%s'" % a for a in args))


RUN = RunPreparation()


class PrepareRunCommand(gdb.Command):
    """Set the arguments for `run` to boot the lab as `make run` does.
Runs by itself before each `run` (hook-run); ./run.sh --gdb sets them instead."""

    def __init__(self):
        super().__init__("umlab-prepare-run", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        if not os.environ.get("UMLAB_GDB_PREPARED"):
            RUN.prepare()


class ModulesCommand(gdb.Command):
    """List the modules whose symbols umlab has loaded, with their files."""

    def __init__(self):
        super().__init__("umlab-modules", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if not SYMBOLS.loaded:
            gdb.write("no module symbols loaded\n")
        for name, (path, _mtime, text, _placed) in sorted(SYMBOLS.loaded.items()):
            gdb.write("%-24s .text 0x%x  %s\n" % (name, text, shown(path)))


def thread_cpu(thread):
    """The virtual CPU a host thread of UML runs: 0 for its main thread, N
    for the thread of CPU N (7.x SMP: cpu_threads[N]), None for UML's
    helper threads (I/O, SIGIO, winch)."""
    if thread.ptid[1] == thread.inferior.pid:
        return 0
    try:
        ncpus = int(gdb.parse_and_eval("sizeof(cpu_threads) / sizeof(cpu_threads[0])"))
    except gdb.error:
        return None	# no SMP
    handle = int.from_bytes(thread.handle(), "little")
    for cpu in range(1, ncpus):
        if int(gdb.parse_and_eval("cpu_threads[%d]" % cpu)) == handle:
            return cpu
    return None


def cpu_task(cpu):
    """The task CPU runs now."""
    # cpu_tasks[]: 6.12's entries hold the task, 7.x's are the task
    entry = gdb.parse_and_eval("cpu_tasks[%d]" % cpu)
    task = entry["task"] if entry.type.strip_typedefs().code == gdb.TYPE_CODE_STRUCT else entry
    return task.cast(gdb.lookup_type("struct task_struct").pointer())


class CpuFunction(gdb.Function):
    """$umlab_cpu(): the virtual CPU of gdb's selected thread (-1 for one of
    UML's helper threads): on an SMP lab (--cpus N) each CPU is a thread."""

    def __init__(self):
        super().__init__("umlab_cpu")

    def invoke(self):
        cpu = thread_cpu(gdb.selected_thread())
        return -1 if cpu is None else cpu


class CpusCommand(gdb.Command):
    """umlab-cpus: UML's threads, the virtual CPU each runs and its task."""

    def __init__(self):
        super().__init__("umlab-cpus", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        selected = gdb.selected_thread()
        for thread in sorted(gdb.selected_inferior().threads(), key=lambda t: t.num):
            cpu = thread_cpu(thread)
            if cpu is None:
                what = "UML helper thread"
            else:
                task = cpu_task(cpu)
                what = "CPU %d: %s (pid %d)" % (cpu, task["comm"].string(), int(task["pid"]))
            gdb.write("%s thread %-3d LWP %-8d %s\n" % ("*" if thread == selected else " ",
                                                       thread.num, thread.ptid[1], what))


def user_memory(addr, length):
    """LENGTH bytes at ADDR, a __user address of the task running now (on
    the selected thread's CPU): the guest process's memory is its host
    process's, read through /proc."""
    task = cpu_task(thread_cpu(gdb.selected_thread()) or 0)
    mm = task["mm"]
    if int(mm) == 0:
        raise gdb.GdbError("umlab: %s is a kernel thread: no user memory"
                           % task["comm"].string())
    pid = int(mm["context"]["id"]["pid"])
    try:
        with open("/proc/%d/mem" % pid, "rb") as mem:
            mem.seek(int(addr))
            return mem.read(int(length))
    except OSError as e:
        raise gdb.GdbError("umlab: cannot read %d bytes at 0x%x of %s (host pid %d): %s"
                           % (int(length), int(addr), task["comm"].string(), pid, e.strerror))


class UserString(gdb.Function):
    """$user_str(PTR, LEN): LEN bytes of user memory at PTR (a __user
    pointer of the task running now, as a write() or ioctl() handler gets
    it), as a string: p $user_str(buf, count)"""

    def __init__(self):
        super().__init__("user_str")

    def invoke(self, ptr, length):
        data = user_memory(int(ptr), int(length))
        return data.decode("latin-1")


class UserDumpCommand(gdb.Command):
    """umlab-user PTR [LEN]: LEN (16) bytes of user memory at PTR, a __user
    pointer of the task running now, in hex and as text."""

    def __init__(self):
        super().__init__("umlab-user", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if not argv or len(argv) > 2:
            raise gdb.GdbError("usage: umlab-user PTR [LEN]")
        addr = int(gdb.parse_and_eval(argv[0]))
        length = int(gdb.parse_and_eval(argv[1])) if len(argv) > 1 else 16
        data = user_memory(addr, length)
        for off in range(0, len(data), 16):
            row = data[off:off + 16]
            gdb.write("0x%x:  %-48s %s\n" % (
                addr + off, " ".join("%02x" % b for b in row),
                "".join(chr(b) if 32 <= b < 127 else "." for b in row)))


# The way a host signal takes into UML's fault handling: between a fault
# in kernel code and panic(), six frames that are never the bug.
SIGNAL_PATH = {"hard_handler", "sig_handler", "sig_handler_common",
               "segv_handler", "segv"}


class SignalFrameFilter:
    """Leaves UML's signal-handling frames out of backtraces (bt
    -no-filters shows them): the frame after panic() is the code that
    faulted. Frame numbers stay those of `frame N`."""

    def __init__(self):
        self.name = "umlab-signal-frames"
        self.priority = 100
        self.enabled = True
        gdb.frame_filters[self.name] = self

    def filter(self, frames):
        for fd in frames:
            frame = fd.inferior_frame()
            if frame.type() == gdb.SIGTRAMP_FRAME or frame.name() in SIGNAL_PATH:
                continue
            yield fd


def setup():
    # UML's signals are its own business: SIGSEGV drives its memory
    # management, SIGALRM and SIGIO are its timer and interrupts, SIGILL
    # comes from kprobes' breakpoints (kernel-config/patches/0004; gdb's own
    # are int3). A SIGILL that is a bug panics UML, which stops gdb. On SMP
    # (7.x) one CPU interrupts another with SIGRTMIN, which gdb calls SIG34.
    for sig in ("SIGSEGV", "SIGALRM", "SIGVTALRM", "SIGIO", "SIGWINCH", "SIGCHLD",
                "SIGUSR1", "SIGUSR2", "SIGPIPE", "SIGPROF", "SIGILL", "SIG34"):
        gdb.execute("handle %s nostop noprint pass" % sig, to_string=True)

    gdb.execute("set breakpoint pending on")
    # Kbuild names sources relative to build/kernel; objects from ccache
    # may carry another clone's directory, so say where to look.
    gdb.execute("directory %s" % os.path.join(BUILD, "kernel"), to_string=True)
    gdb.execute("set pagination off")
    # every guest process is a host process gdb detaches from: quiet
    gdb.execute("set print inferior-events off")
    gdb.execute("set print thread-events off")
    gdb.execute("set print pretty on")

    # The kernel's own helpers (lx-dmesg, lx-lsmod, lx-ps, ...). gdb looks
    # for linux-gdb.py next to ./linux, but Kbuild names it vmlinux-gdb.py.
    # It is a symlink into the source tree, and finds its package (with the
    # generated constants) beside itself only if not followed: help it.
    helper = os.path.join(BUILD, "kernel", "vmlinux-gdb.py")
    if os.path.exists(helper):
        import sys
        sys.path.insert(0, os.path.join(BUILD, "kernel", "scripts", "gdb"))
        gdb.execute("source %s" % helper)

    ModuleLoadBreakpoint()
    ModuleFreeBreakpoint()
    PanicBreakpoint()
    loc = process_start_location()
    if loc:
        ProcessStartBreakpoint(loc)
    else:
        say("cannot find start_userspace() in init_new_context(): module "
            "breakpoints will be lost when the guest starts a process")

    PrepareRunCommand()
    ModulesCommand()
    UserString()
    UserDumpCommand()
    CpuFunction()
    CpusCommand()
    SignalFrameFilter()
    gdb.execute("define hook-run\numlab-prepare-run\nend")
    gdb.events.exited.connect(RUN.cleanup)
    import atexit
    atexit.register(RUN.cleanup)


if not getattr(gdb, "umlab_loaded", False):
    gdb.umlab_loaded = True
    setup()
