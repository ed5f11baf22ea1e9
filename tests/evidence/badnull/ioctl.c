/* ioctl PATH: one ioctl on PATH, as a module's client program would */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>

int main(int argc, char **argv)
{
	int fd = open(argc > 1 ? argv[1] : "/dev/badnull", O_RDWR);

	if (fd < 0) {
		perror("open");
		return 1;
	}
	return ioctl(fd, 0) < 0;
}
