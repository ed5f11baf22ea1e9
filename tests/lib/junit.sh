#!/bin/sh
# JUnit XML from the runner's KTAP, for CI services that show test results
# (make test JUNIT=FILE; tests/lib/run-tests.sh calls it).
#
# usage: tests/lib/junit.sh KTAP LOGDIR >FILE
#
# One <testcase> per test, named as in KTAP, its time from the runner's
# "# NAME: SECONDS" line; a failed test has a <failure> with the KTAP
# line as its message and the evidence the runner printed as its text, a
# skipped one <skipped> with the reason; every test's <system-out> is its
# log (LOGDIR/NAME.log) and <system-err> its kernel log (LOGDIR/NAME.dmesg).
# A KUnit case nested in a test is a <testcase> of its own, its class
# TEST.SUITE. A "Bail out!" (the lab could not run) is an <error>.
set -eu
ktap=$1 logdir=$2

awk -v logdir="$logdir" '
function esc(s) {
	gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s)
	gsub(/"/, "\\&quot;", s)
	# what XML 1.0 cannot carry at all: control characters but tab, newline
	gsub(/[\001-\010\013\014\016-\037\177]/, "", s)
	return s
}
function slurp(file,   line, s, n) {
	s = ""; n = 0
	while ((getline line < file) > 0) {
		sub(/\r$/, "", line)
		if (line ~ /^umlab-(kunit|dmesg): /)
			continue
		s = s esc(line) "\n"
		n++
	}
	close(file)
	return n ? s : ""
}
# case(class, name, time, status, message, text, file): one <testcase>
function testcase(class, name, time, status, message, text, file,   s, out, err) {
	s = sprintf("    <testcase classname=\"%s\" name=\"%s\"%s>\n", esc(class), esc(name),
		    time != "" ? sprintf(" time=\"%s\"", time) : "")
	if (status == "failure" || status == "error")
		s = s sprintf("      <%s message=\"%s\">%s</%s>\n", status, esc(message), esc(text), status)
	else if (status == "skipped")
		s = s sprintf("      <skipped message=\"%s\"/>\n", esc(message))
	if (file != "") {
		out = slurp(file ".log")
		err = slurp(file ".dmesg")
		if (out != "")
			s = s "      <system-out>" out "</system-out>\n"
		if (err != "")
			s = s "      <system-err>" err "</system-err>\n"
	}
	body = body s "    </testcase>\n"
	tests++
	if (status == "failure") failures++
	if (status == "error") errors++
	if (status == "skipped") skipped++
}
# result(line, indent): status, name and directive of an "ok" line
function parse(line) {
	sub(/^ */, "", line)
	r_status = line ~ /^not ok / ? "failure" : "pass"
	sub(/^(not )?ok [0-9]+ */, "", line)
	r_dir = ""
	if (index(line, " # ")) {
		r_dir = substr(line, index(line, " # ") + 3)
		line = substr(line, 1, index(line, " # ") - 1)
	}
	r_name = line
	if (r_dir ~ /^SKIP/) {
		r_status = "skipped"
		r_dir = substr(r_dir, 5); sub(/^ */, "", r_dir)
	}
}
{ sub(/\r$/, "") }
/^Bail out!/ {
	testcase("umlab", "umlab", "", "error", $0, $0, "")
	next
}
# a KUnit suite in a test: its cases at eight spaces, then its own result
# at four, which names it
/^        (not )?ok [0-9]+ / { parse($0); kc[++nk] = r_name; ks[nk] = r_status; kd[nk] = r_dir; next }
/^    (not )?ok [0-9]+ / {
	parse($0)
	for (i = named + 1; i <= nk; i++)
		ksuite[i] = r_name
	named = nk
	next
}
/^# [^ ]+: [0-9.]+s$/ { time = $3; sub(/s$/, "", time); next }
/^# / { diag = diag substr($0, 3) "\n"; next }
/^(not )?ok [0-9]+ / {
	parse($0)
	msg = $0
	if (r_status == "skipped")
		msg = r_dir
	file = r_name
	gsub(/\//, "_", file)
	file = logdir "/" file
	testcase("umlab", r_name, time, r_status, msg, diag, file)
	for (i = 1; i <= nk; i++)
		testcase(r_name "." ksuite[i], kc[i], "", ks[i],
			 ks[i] == "skipped" ? kd[i] : "not ok " kc[i], "", "")
	total += time
	nk = 0; named = 0; diag = ""; time = ""
	next
}
END {
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	printf "<testsuites name=\"umlab\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.2f\">\n", tests, failures, errors, skipped, total
	printf "  <testsuite name=\"umlab\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.2f\">\n", tests, failures, errors, skipped, total
	printf "%s", body
	print "  </testsuite>"
	print "</testsuites>"
}' "$ktap"
