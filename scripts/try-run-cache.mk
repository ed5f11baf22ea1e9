# SPDX-License-Identifier: GPL-2.0
#
# Kbuild's compiler probes, remembered. Every module build evaluates the
# kernel Makefile's cc-option, as-instr and ld-option tests again: some
# thirty compiler runs, each a shell, mkdir, gcc and rm, 0.4 s of a 0.5 s
# rebuild on a machine slow at starting processes. Their outcome depends
# only on the probe's command line (which holds the compiler and all its
# flags), so this file, read by every make of a module build before the
# kernel's Makefiles (scripts/kbuild-hints.sh puts it in MAKEFILES),
# replaces scripts/Makefile.compiler's try-run with one that asks a cache
# first and runs the probe only for a command line it has not seen.
#
# The cache, $(UMLAB_TRY_RUN_CACHE) in the kernel's build directory, is a
# list of words ok.KEY and fail.KEY, KEY the command line with the
# characters that make treats specially replaced. Builds running at once
# only ever append to it; a word cut short matches no probe, which then
# just runs. It goes when the kernel is rebuilt.

umlab-trc-known := $(if $(wildcard $(UMLAB_TRY_RUN_CACHE)),$(file <$(UMLAB_TRY_RUN_CACHE)))

umlab-empty :=
umlab-space := $(umlab-empty) $(umlab-empty)
umlab-comma := ,
umlab-hash := \#
umlab-lparen := (
umlab-rparen := )

# umlab-trc-key CMD: CMD as one word with no character make cares about
umlab-trc-key = $(subst $(umlab-space),_,$(subst $$,D,$(subst :,C,$(subst =,E,\
	$(subst $(umlab-comma),M,$(subst $(umlab-hash),H,$(subst $(umlab-lparen),L,\
	$(subst $(umlab-rparen),R,$(subst \,B,$(subst ;,S,$(1)))))))))))

# umlab-trc-run CMD: ok or fail, as Makefile.compiler's try-run runs CMD
umlab-trc-run = $(shell set -e; TMP=$(TMPOUT)/tmp; trap "rm -rf $(TMPOUT)" EXIT; \
	mkdir -p $(TMPOUT); if ($(1)) >/dev/null 2>&1; then echo ok; else echo fail; fi)

# umlab-trc-outcome CMD,KEY: ok or fail, from the cache or else by running
# CMD and adding the outcome to the cache
umlab-trc-outcome = $(or \
	$(if $(filter ok.$(2),$(umlab-trc-known)),ok),\
	$(if $(filter fail.$(2),$(umlab-trc-known)),fail),\
	$(eval umlab-trc-new := $$(call umlab-trc-run,$$(1)))\
	$(file >>$(UMLAB_TRY_RUN_CACHE),$(umlab-trc-new).$(2))\
	$(eval umlab-trc-known += $(umlab-trc-new).$(2))$(umlab-trc-new))

override try-run = $(if $(filter ok,$(call umlab-trc-outcome,$(1),$(call umlab-trc-key,$(1)))),$(2),$(3))
