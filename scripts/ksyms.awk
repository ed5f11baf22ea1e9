# Names for the kernel addresses in a text, from /proc/kallsyms: for
# bpftrace's kstack on UML (docs/bpf.md), whose symbolizer (bcc's) takes
# only addresses above x86's user half for the kernel's, and UML's kernel
# lives below it. Each 0x... of 8 or more hex digits that falls in a
# function gets " function+0xoffset" after it; the rest is left as it is.
#
# usage (in the guest): bpftrace ... | awk -f /lab/scripts/ksyms.awk /proc/kallsyms -
function pad(h) {	# 16 hex digits, lower case: ordered as strings
	h = tolower(h)
	sub(/^0x/, "", h)
	while (length(h) < 16)
		h = "0" h
	return h
}
function hex(s,   i, v) {	# the value of 16 hex digits (for the offset)
	v = 0
	for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v
}
function name(a,   i, best) {	# the function at or below a
	best = 0
	for (i = 1; i <= n; i++)
		if (at[i] <= a && (!best || at[i] > at[best]))
			best = i
	if (!best)
		return ""
	return sprintf("%s+0x%x%s", fn[best], hex(a) - hex(at[best]), mod[best])
}
FNR == NR {
	if ($2 ~ /^[tT]$/) {
		at[++n] = $1
		fn[n] = $3
		mod[n] = $4 != "" ? " " $4 : ""
	}
	next
}
{
	line = $0
	out = ""
	while (match(line, /0x[0-9a-fA-F]+/)) {
		tok = substr(line, RSTART, RLENGTH)
		out = out substr(line, 1, RSTART + RLENGTH - 1)
		line = substr(line, RSTART + RLENGTH)
		if (RLENGTH >= 10 && (s = name(pad(tok))) != "")
			out = out " " s
	}
	print out line
}
