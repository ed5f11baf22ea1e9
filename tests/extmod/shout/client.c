/* Write a message to /dev/shout, read it back, check it came back in capitals. */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *msg = argc > 1 ? argv[1] : "hello from user space";
	char want[256], got[257];
	size_t len = strlen(msg), i;
	ssize_t n;
	int fd;

	if (len >= sizeof(want)) {
		fprintf(stderr, "client: message too long\n");
		return 2;
	}
	for (i = 0; i < len; i++)
		want[i] = toupper((unsigned char)msg[i]);

	fd = open("/dev/shout", O_RDWR);
	if (fd < 0) {
		perror("client: /dev/shout");
		return 1;
	}
	if (write(fd, msg, len) != (ssize_t)len) {
		perror("client: write");
		return 1;
	}
	n = pread(fd, got, sizeof(got) - 1, 0);
	if (n < 0) {
		perror("client: read");
		return 1;
	}
	got[n] = '\0';
	if ((size_t)n != len || memcmp(got, want, len) != 0) {
		fprintf(stderr, "client: wrote '%s', read back '%s'\n", msg, got);
		return 1;
	}
	printf("client: '%s' came back as '%s'\n", msg, got);
	close(fd);
	return 0;
}
