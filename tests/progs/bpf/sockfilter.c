// SPDX-License-Identifier: GPL-2.0
/*
 * sockfilter - a BPF socket filter loaded with libbpf, on a UDP socket in
 * the guest (tests/bpf_sockfilter.sh, docs/bpf.md).
 *
 * The program counts every packet that reaches the socket in an array map
 * (an atomic add) and gives the verdict it was built with: drop or keep.
 * Three datagrams sent past the dropping filter must all be counted and
 * none received; two sent past the keeping one counted and received.
 * Prints "count N received N" after each part, and "ok" at the end.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

/* count the packet in map[0], then return @verdict */
static int load(int map_fd, int verdict)
{
	struct bpf_insn prog[] = {
		/* key = 0, on the stack */
		INSN(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4),
		/* r1 = the map (a 64-bit immediate: two instructions) */
		INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map_fd),
		INSN(0, 0, 0, 0, 0),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
		/* if found: atomically add one to the value */
		INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 2, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 1),
		INSN(BPF_STX | BPF_ATOMIC | BPF_DW, BPF_REG_0, BPF_REG_1, 0, BPF_ADD),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, verdict),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	char log[4096] = "";
	struct bpf_prog_load_opts opts = {
		.sz = sizeof(opts),
		.log_buf = log,
		.log_size = sizeof(log),
		.log_level = 1,
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "count", "GPL",
			       prog, ARRAY_SIZE(prog), &opts);

	if (fd < 0)
		fprintf(stderr, "sockfilter: bpf_prog_load: %s\n%s", strerror(errno), log);
	return fd;
}

/* send @n datagrams to @rx through @tx, then count those that arrive */
static int exchange(int tx, int rx, const struct sockaddr_in *to, int n)
{
	char c = 'x';
	int i, got = 0;

	for (i = 0; i < n; i++)
		if (sendto(tx, &c, 1, 0, (const struct sockaddr *)to, sizeof(*to)) != 1)
			perror("sockfilter: sendto");
	while (recv(rx, &c, 1, MSG_DONTWAIT) == 1)
		got++;
	return got;
}

int main(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET,
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	int map, drop, keep, tx, rx, got;
	unsigned int key = 0;
	unsigned long long count;

	map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "packets", sizeof(key),
			     sizeof(count), 1, NULL);
	if (map < 0) {
		fprintf(stderr, "sockfilter: bpf_map_create: %s\n", strerror(errno));
		return 1;
	}
	drop = load(map, 0);
	keep = load(map, -1);
	if (drop < 0 || keep < 0)
		return 1;

	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	if (rx < 0 || tx < 0 || bind(rx, (struct sockaddr *)&addr, sizeof(addr)) ||
	    getsockname(rx, (struct sockaddr *)&addr, &len)) {
		perror("sockfilter: socket");
		return 1;
	}

	if (setsockopt(rx, SOL_SOCKET, SO_ATTACH_BPF, &drop, sizeof(drop))) {
		perror("sockfilter: SO_ATTACH_BPF");
		return 1;
	}
	got = exchange(tx, rx, &addr, 3);
	bpf_map_lookup_elem(map, &key, &count);
	printf("drop: count %llu received %d\n", count, got);
	if (count != 3 || got != 0)
		return 1;

	if (setsockopt(rx, SOL_SOCKET, SO_ATTACH_BPF, &keep, sizeof(keep))) {
		perror("sockfilter: SO_ATTACH_BPF");
		return 1;
	}
	got = exchange(tx, rx, &addr, 2);
	bpf_map_lookup_elem(map, &key, &count);
	printf("keep: count %llu received %d\n", count, got);
	if (count != 5 || got != 2)
		return 1;
	printf("ok\n");
	return 0;
}
