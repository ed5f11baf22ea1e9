# umlab: a User-Mode Linux lab for kernel modules.
# `make help` lists the targets; variables below can be set on the command
# line or in the environment (make run MEM=512M).

# No built-in rules: every target here says how it is made.
MAKEFLAGS += --no-builtin-rules

# Where every output goes (git-ignored). The guest sees it at /lab/build,
# so what boots needs it in the clone: to keep a build (a CI cache), keep
# build/ and restore it in place (docs/ci.md); the clone may move.
BUILD      ?= build
ifneq ($(BUILD),build)
ifneq ($(filter run test gdb coverage bench,$(MAKECMDGOALS)),)
$(error BUILD=$(BUILD): run, test, gdb and coverage need the build in the clone's build/, which the guest sees at /lab/build; to keep a build, keep build/ (docs/ci.md))
endif
endif
# The kernel line (kernel-config/lines), the first one listed by default.
# KERNEL="6.12 7.3" makes the goals on each line in turn, then prints a
# table of the results (scripts/each-kernel.sh).
LINES      := $(shell scripts/build-dir.sh --lines)
KERNEL     ?= $(firstword $(LINES))
# Your own kernel tree instead of Debian's linux-source-$(KERNEL) (it must
# take the line's patches, kernel-config/patches/$(KERNEL)/)
KERNEL_SRC ?=
# Parallel jobs for the kernel build.
JOBS       ?= $(shell nproc)
# V=1 shows full commands.
V          ?= 0
# One test (make test T=boot); empty runs them all.
T          ?=
# A module directory from anywhere, for make test|run|gdb (M=../mymod):
# built against the lab kernel and shared with the guest at /share/NAME.
M          ?=
# Virtual CPUs: more than one boots an SMP build of the line (7.3), with
# ncpus=N (docs/smp.md)
CPUS       ?= 1
# default, or debug: a second kernel with KASAN, lockdep, kmemleak, UBSAN
# and fault injection (kernel-config/profile/debug.config), built apart
# (build/debug/; build/7.3/debug/ for KERNEL=7.3).
PROFILE    ?= default
# Results for machines, from make test (docs/ci.md): JUnit XML, the JSON
# of the kernel's kunit.py parser, and a directory for every test's logs
# (its output and its kernel's log) instead of tests/ in the build.
JUNIT      ?=
JSON       ?=
LOG_DIR    ?=

ifneq ($(words $(KERNEL)),1)
# --- every line in turn ----------------------------------------------------
GOALS := $(or $(MAKECMDGOALS),all)
.PHONY: $(GOALS)
$(firstword $(GOALS)):
	@scripts/each-kernel.sh "$(KERNEL)" $(GOALS)
$(wordlist 2,$(words $(GOALS)),$(GOALS)):
	@:
else

ifeq ($(KERNEL_SRC),)
KSRC := $(BUILD)/linux-source-$(KERNEL)
else
KSRC := $(KERNEL_SRC)
endif
# The build this line and profile use: scripts/build-dir.sh decides
PBUILD     := $(shell scripts/build-dir.sh "$(KERNEL)" "$(PROFILE)" "$(CPUS)" 2>&1)
ifneq ($(.SHELLSTATUS),0)
$(error $(PBUILD))
endif
# run.sh, the tests and the guest find this profile's kernel and modules
# here; the tests learn the line and profile it is for as well
export UMLAB_BUILD := $(PBUILD)
export UMLAB_LINE := $(KERNEL)
export UMLAB_PROFILE := $(PROFILE)
export UMLAB_CPUS := $(CPUS)
export UMLAB_JUNIT := $(if $(JUNIT),$(abspath $(JUNIT)))
export UMLAB_JSON := $(if $(JSON),$(abspath $(JSON)))
ifneq ($(LOG_DIR),)
export UMLAB_LOG_DIR := $(abspath $(LOG_DIR))
endif
# (and only so: a test's own make or run.sh for another line is not SMP)
unexport CPUS
KOUT       := $(PBUILD)/kernel
KLINUX     := $(KOUT)/linux
# KDIR for any module's Makefile: make KDIR=$(KDIR) (scripts/kdir.sh)
KDIR       := $(abspath $(PBUILD)/kdir)
SRC_STAMP  := $(BUILD)/.source-ready-$(KERNEL)
# (kernel-config/LINE/*.config: fragments for one line only)
FRAGMENTS  := $(sort $(wildcard kernel-config/*.config)) \
	      $(sort $(wildcard kernel-config/$(KERNEL)/*.config)) \
	      kernel-config/cpus/$(if $(filter 1,$(CPUS)),up,smp).config \
	      $(wildcard kernel-config/profile/$(PROFILE).config)
PATCHES    := $(sort $(wildcard kernel-config/patches/$(KERNEL)/*.patch))
ROOTFS     := $(BUILD)/rootfs.ext4
BPF_TOOLS  := $(if $(wildcard kernel-config/$(KERNEL)/bpf.config),$(BUILD)/bpf/bin/bpftrace \
	      $(patsubst tests/progs/bpf/%.c,$(BUILD)/progs/bpf/%,$(wildcard tests/progs/bpf/*.c)))
ROOTFS_IN  := $(wildcard rootfs/*) scripts/mkrootfs.sh
PROGS_SRC  := $(wildcard tests/progs/*.c)
PROGS      := $(patsubst tests/progs/%.c,$(BUILD)/progs/%,$(PROGS_SRC))
# Host programs run.sh uses (scripts/host/)
HOST_SRC   := $(wildcard scripts/host/*.c)
HOST_PROGS := $(patsubst scripts/host/%.c,$(BUILD)/host/%,$(HOST_SRC))
# Every modules/NAME/ with a Kbuild file is a module directory; its
# user/*.c are static programs for the guest.
MODULES    := $(patsubst modules/%/Kbuild,%,$(wildcard modules/*/Kbuild))
MOD_STAMPS := $(patsubst %,$(PBUILD)/modules/%/.built,$(MODULES))
# make coverage: the same modules built with gcov, in their own directory
COVDIR     := $(PBUILD)/coverage
COV_STAMPS := $(patsubst %,$(COVDIR)/modules/%/.built,$(MODULES))
USER_SRC   := $(wildcard $(patsubst %,modules/%/user/*.c,$(MODULES)))
USER_PROGS := $(patsubst modules/%.c,$(PBUILD)/modules/%,$(USER_SRC))

# Programs for the guest: static, so the rootfs needs no libraries for them
GUEST_CC   := gcc -static -O2 -g -Wall -Wextra -pthread
CCACHE      = $(shell command -v ccache 2>/dev/null)
# M= is ours (a module directory to test), not Kbuild's
KMAKE_ALL   = $(MAKE) -C $(KSRC) O=$(abspath $(KOUT)) ARCH=um M= \
	      $(if $(CCACHE),CC="ccache gcc" HOSTCC="ccache gcc")
KMAKE       = $(KMAKE_ALL) $(if $(filter 1,$(V)),V=1,-s)
# The kernel build itself, with a progress line (V=1: every command)
KBUILD      = $(if $(filter 1,$(V)),$(KMAKE_ALL) V=1,scripts/kbuild-progress.sh $(KOUT) $(KMAKE_ALL) --no-print-directory --no-silent)
# ccache: paths below the project count as relative, and the directory is
# not hashed, so a second clone of the project hits the first one's cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
# ccache's own directory (~/.cache/ccache) where it can be written; else,
# as with a read-only HOME on a CI runner, one in the build
ifeq ($(CCACHE_DIR),)
CCACHE_HOME := $(firstword $(wildcard $(HOME)/.ccache) $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/ccache)
ifneq ($(shell mkdir -p '$(CCACHE_HOME)' 2>/dev/null && [ -w '$(CCACHE_HOME)' ] && echo y),y)
export CCACHE_DIR := $(abspath $(BUILD))/ccache
endif
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif
space := $(subst ,, )
say = @printf '  %-8s %s\n' '$(strip $(1))' '$(strip $(2))'

.PHONY: FORCE
FORCE:
.PHONY: all help deps kernel kdir extmod rootfs progs modules new-module run gdb gdb-hint test coverage bench clean distclean
.DEFAULT_GOAL := all
# A recipe that fails or is interrupted leaves no half-made target behind.
.DELETE_ON_ERROR:

ifeq ($(PROFILE),default)
all: linux vmlinux $(KDIR)/Makefile $(ROOTFS) $(PROGS) $(HOST_PROGS) $(BPF_TOOLS) modules gdb-hint
else
all: $(KLINUX) $(KDIR)/Makefile $(ROOTFS) $(PROGS) $(HOST_PROGS) $(BPF_TOOLS) modules
endif

help:
	@echo 'umlab targets:'
	@echo '  make            build kernel, rootfs and guest programs (what run needs)'
	@echo '  make run        boot the lab and give a root shell in the guest'
	@echo '  make gdb        gdb ./linux with the lab setup, no ~/.gdbinit needed; then: run'
	@echo '  make test       run every test inside UML, KTAP output (T=name for one)'
	@echo '  make test M=../mymod   build your module directory and run its tests'
	@echo '                  (umlab-test.sh, tests/*.sh, or T=script) inside UML'
	@echo '  make kdir       print the KDIR for your module'"'"'s Makefile: $(KDIR)'
	@echo '  make coverage   run the tests (T=, M= as for test) with gcov-built modules;'
	@echo '                  line and branch coverage per file, HTML in $(COVDIR)/html'
	@echo '  make bench      time the loop, as ratios, a column per kernel line'
	@echo '                  (KERNEL=L: that line; VS=DIR: against another checkout)'
	@echo '  make kernel     run the kernel build even if no input changed'
	@echo '  make rootfs     rebuild the guest root filesystem image'
	@echo '  make progs      build the static guest test programs'
	@echo '  make modules    build every module in modules/ and its user programs'
	@echo '  make new-module NAME=foo   start modules/foo/ and tests/foo.sh from a template'
	@echo '                  (KUNIT=1: with a KUnit suite, foo_kunit.ko)'
	@echo '  make deps       install missing Debian packages'
	@echo '  make clean      remove build outputs except the kernel source'
	@echo '  make distclean  remove build/ entirely'
	@echo 'variables: KERNEL=$(subst $(space),|,$(LINES)) (KERNEL="$(LINES)": each in turn) PROFILE=default|debug CPUS=N (7.3)'
	@echo '           T=name M=dir MEM=256M JOBS=$(JOBS) V=1 KERNEL_SRC=/path TIME_TRAVEL=0'
	@echo '           APPEND="ARG..." (kernel arguments for every guest test, e.g. seccomp=on)'
	@echo '           JUNIT=results.xml JSON=results.json LOG_DIR=dir (results for CI, docs/ci.md)'

deps:
	$(Q)KERNEL=$(KERNEL) scripts/deps.sh

# Checked once: a make with nothing to do asks the package database nothing.
# (per line: the lines need different packages)
DEPS_OK    := $(BUILD)/.deps-ok-$(KERNEL)
$(DEPS_OK): scripts/deps.sh
	$(Q)KERNEL=$(KERNEL) scripts/deps.sh
	$(Q)mkdir -p $(@D) && touch $@

# --- kernel ---------------------------------------------------------------

# Extract (unless KERNEL_SRC is given) and apply the lab's patches; both
# profiles build from this one tree.
# The source and the .config are remade when what they are made from
# changed in content: each stamp holds a hash of its inputs, so that a
# fresh checkout (every file new by its date) with a build restored from a
# cache (CI) or moved here rebuilds nothing.
# (An empty stamp, from before stamps held a hash, that is newer than its
# inputs takes the hash: a checkout that has built keeps its build.)
hash_of    = $(firstword $(shell { cat $(1) /dev/null; echo '$(2)'; } | md5sum))
stamp_ok   = $(shell f=$(1); [ "$$(cat $$f 2>/dev/null)" = $(2) ] && echo y || \
	{ [ -f $$f ] && [ ! -s $$f ] && [ -z "$$(find $(3) -newer $$f)" ] && echo $(2) >$$f && echo y; })
SRC_HASH   := $(call hash_of,$(PATCHES) scripts/patch-kernel.sh,$(KERNEL_SRC))
$(SRC_STAMP): $(if $(call stamp_ok,$(SRC_STAMP),$(SRC_HASH),$(PATCHES) scripts/patch-kernel.sh),,FORCE) | $(DEPS_OK)
	$(call say,SOURCE,$(KSRC))
	$(Q)$(if $(KERNEL_SRC),tarball=,tarball=$$(scripts/kernel-source.sh $(KERNEL) $(BUILD)) &&) \
		scripts/patch-kernel.sh "$(KSRC)" "$$tarball" $(PATCHES)
	$(Q)mkdir -p $(@D) && echo $(SRC_HASH) >$@

# A build that moved here with the clone (scripts/relocate.sh), before
# anything uses it: its source link names the lab's own tree (not a
# KERNEL_SRC of yours) at another place.
ifeq ($(KERNEL_SRC),)
KOUT_SRC   := $(if $(wildcard $(KOUT)/source),$(shell readlink $(KOUT)/source))
ifneq ($(filter %/$(KSRC),$(filter-out $(realpath $(KSRC)),$(KOUT_SRC))),)
$(shell scripts/relocate.sh $(KSRC) $(KOUT))
endif
endif

CONFIG_STAMP := $(KOUT)/.umlab-config
CONFIG_HASH  := $(call hash_of,$(FRAGMENTS) scripts/kconfig.sh)
$(CONFIG_STAMP): $(SRC_STAMP) $(if $(call stamp_ok,$(CONFIG_STAMP),$(CONFIG_HASH),$(FRAGMENTS) scripts/kconfig.sh),,FORCE)
	$(call say,KCONFIG,$(FRAGMENTS))
	$(Q)scripts/kconfig.sh "$(KSRC)" "$(KOUT)" $(FRAGMENTS)
	$(Q)echo $(CONFIG_HASH) >$@

# Kbuild is only entered when its inputs changed: a make with nothing new
# costs no kernel work. After editing kernel sources, use `make kernel`.
$(KLINUX): $(CONFIG_STAMP) $(SRC_STAMP)
	$(call say,KERNEL,ARCH=um -j$(JOBS)$(if $(CCACHE), with ccache))
	$(Q)$(KBUILD) -j$(JOBS) all
	$(gdb_index)
	$(Q)touch $@

kernel: $(CONFIG_STAMP)
	$(call say,KERNEL,ARCH=um -j$(JOBS))
	$(Q)$(KBUILD) -j$(JOBS) all
	$(gdb_index)
	$(Q)touch $(KLINUX)

# An index of the kernel's debug info, once per link: gdb ./linux then
# starts in half the time (it need not scan all of the DWARF). Only a
# speed-up, so a gdb-add-index that fails is a note, not an error.
define gdb_index
	$(Q)readelf -S $(KLINUX) | grep -q '[.]gdb_index\|[.]debug_names' || { \
		printf '  %-8s %s\n' INDEX '$(KLINUX)'; \
		gdb-add-index $(KLINUX) >/dev/null 2>&1 || \
		echo "  NOTE     gdb-add-index failed: gdb ./linux works, but starts slower"; }
endef

# KDIR: hands a module Makefile's goals to Kbuild here with ARCH=um
$(KDIR)/Makefile: scripts/kdir.sh $(KLINUX) $(if $(shell grep -qsF 'Kbuild in $(realpath $(KOUT))' $(KDIR)/Makefile && echo y),,FORCE)
	$(call say,KDIR,$(KDIR))
	$(Q)scripts/kdir.sh $(KOUT) $(KDIR)

kdir: $(KDIR)/Makefile
	@echo $(KDIR)

# ./linux and ./vmlinux: the kernel of the line last made (default profile)
.PHONY: linux vmlinux
linux: $(KLINUX)
	$(Q)[ "$$(readlink $@)" = $(KLINUX) ] || ln -sfn $(KLINUX) $@
vmlinux: $(KLINUX)
	$(Q)[ "$$(readlink $@)" = $(KOUT)/vmlinux ] || ln -sfn $(KOUT)/vmlinux $@

# --- guest side -----------------------------------------------------------

$(ROOTFS): $(ROOTFS_IN) | $(DEPS_OK)
	$(call say,ROOTFS,$@)
	$(Q)scripts/mkrootfs.sh $@

rootfs:
	$(Q)rm -f $(ROOTFS)
	$(Q)$(MAKE) --no-print-directory $(ROOTFS)

$(BUILD)/progs/%: tests/progs/%.c | $(DEPS_OK)
	$(call say,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(GUEST_CC) -o $@ $<

progs: $(PROGS)

# BPF programs loaded from C with libbpf, for a line with BPF
$(BUILD)/progs/bpf/%: tests/progs/bpf/%.c | $(DEPS_OK)
	$(call say,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(GUEST_CC) -o $@ $< -lbpf -lelf -lz

# Debian's bpftrace and bpftool for the guest (/lab/build/bpf/bin), made
# for a line with BPF (kernel-config/LINE/bpf.config, docs/bpf.md)
$(BUILD)/bpf/bin/bpftrace: scripts/bpf-tools.sh | $(DEPS_OK)
	$(call say,BPF,$(BUILD)/bpf: bpftrace and bpftool for the guest)
	$(Q)scripts/bpf-tools.sh $(BUILD)/bpf

$(BUILD)/host/%: scripts/host/%.c | $(DEPS_OK)
	$(call say,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)gcc -O2 -Wall -Wextra -o $@ $<

# --- modules --------------------------------------------------------------

# Each module is built in build/modules/NAME/ (build/debug/modules/NAME/
# for PROFILE=debug) from symlinks to its files (scripts/build-module.sh).
# Only modules whose files changed are rebuilt.
.SECONDEXPANSION:
$(PBUILD)/modules/%/.built: $$(filter-out modules/$$*/user,$$(wildcard modules/$$*/*)) $(KLINUX)
	$(call say,MODULE,$*)
	$(Q)scripts/build-module.sh $(KOUT) modules/$* $(@D)
	$(Q)touch $@

$(PBUILD)/modules/%: modules/%.c | $(DEPS_OK)
	$(call say,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(GUEST_CC) -o $@ $<

modules: $(MOD_STAMPS) $(USER_PROGS)

# The user programs are the normal build's: only the modules differ.
$(COVDIR)/modules/%/.built: $$(filter-out modules/$$*/user,$$(wildcard modules/$$*/*)) $(KLINUX)
	$(call say,MODULE,$* (gcov))
	$(Q)scripts/build-module.sh $(KOUT) modules/$* $(@D) GCOV_PROFILE=y
	$(Q)if [ -d modules/$*/user ]; then ln -sfn ../../../modules/$*/user $(@D)/user; fi
	$(Q)touch $@

new-module:
	$(Q)KUNIT=$(KUNIT) scripts/new-module.sh "$(NAME)"

# M=DIR: build it (when a file in it changed) for make test|run|gdb
extmod: all
	$(if $(M),$(Q)scripts/extmod.sh build $(KOUT) $(KDIR) "$(M)")

# --- using it -------------------------------------------------------------

# (exec: a TERM to make, which make passes on to its recipe's process,
# reaches the program itself, not a shell that would die and leave it)
run: extmod
	$(Q)exec ./run.sh $(if $(M),--share "$(M)")

# gdb ./linux reads the project's .gdbinit only where the user allowed it.
GDBINIT_LINE := add-auto-load-safe-path $(CURDIR)/.gdbinit
# Said once per checkout (build/.gdb-hint), and not for make gdb, which
# needs no .gdbinit.
GDB_HINTED := $(BUILD)/.gdb-hint
gdb-hint: $(if $(filter gdb,$(MAKECMDGOALS)),,$(GDB_HINTED))
$(GDB_HINTED):
	@grep -qsE '^[[:space:]]*(add-auto-load-safe-path $(CURDIR)/?(\.gdbinit)?|set auto-load safe-path /)[[:space:]]*$$' \
		$(HOME)/.gdbinit $(HOME)/.config/gdb/gdbinit || \
		printf '  HINT     for gdb ./linux, allow the lab'"'"'s .gdbinit once:\n\t   echo "%s" >> ~/.gdbinit\n' '$(GDBINIT_LINE)' >&2
	@mkdir -p $(@D) && touch $@

gdb: extmod
	$(Q)UMLAB_SHARES="$(M)" exec gdb -q -iex 'set auto-load local-gdbinit off' -x scripts/gdb/umlab.py $(KLINUX)

# The lab's tests that ask for CPUs (# cpus: N) boot the line's SMP build:
# make test makes it too, where the line has SMP
SMP_BUILD  := $(if $(and $(filter 1,$(CPUS)),$(if $(M),,1)),$(shell scripts/build-dir.sh "$(KERNEL)" "$(PROFILE)" 2 2>/dev/null))
test: extmod $(if $(SMP_BUILD),smp-build)
	$(Q)exec tests/lib/run-tests.sh $(if $(M),--share "$(M)") $(T)

# the SMP kernel, its KDIR and the lab's modules for it
.PHONY: smp-build smp-parts
smp-build:
	$(Q)$(MAKE) --no-print-directory CPUS=2 smp-parts
smp-parts: $(KLINUX) $(KDIR)/Makefile modules

# M=DIR counts DIR's modules only: the lab's are not rebuilt with gcov for it
coverage: all $(if $(M),,$(COV_STAMPS))
	$(if $(M),$(Q)GCOV=1 scripts/extmod.sh build $(KOUT) $(KDIR) "$(M)")
	$(Q)exec scripts/coverage.sh $(COVDIR) $(if $(M),--share "$(M)") $(T)

# every line's columns, unless KERNEL= names one
bench: all
	$(Q)scripts/bench.sh $(if $(filter command line environment,$(origin KERNEL)),--kernel $(KERNEL)) $(if $(VS),--vs $(VS))

clean:
	$(Q)rm -rf $(KOUT) $(KDIR) $(PBUILD)/ext $(COVDIR) $(ROOTFS) $(BUILD)/progs $(BUILD)/host $(PBUILD)/modules $(BUILD)/tests $(BUILD)/gdb linux vmlinux

distclean:
	$(Q)rm -rf $(BUILD) linux vmlinux

endif # one kernel line
