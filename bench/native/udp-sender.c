/* The capture bench's sender: UDP datagrams of 22 bytes (a 64-byte Ethernet frame) to
 * ADDR:PORT at RATE a second for SECONDS, paced in 1 ms ticks with clock_nanosleep so it
 * sleeps between bursts instead of spinning. Prints {"sent":N,"seconds":S} as JSON. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_in to;
	char payload[22];
	long rate, total, sent = 0;
	double seconds, t0, elapsed;
	struct timespec tick;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: udp-sender ADDR PORT RATE SECONDS\n");
		return 2;
	}
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons((unsigned short)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
		fprintf(stderr, "bad address %s\n", argv[1]);
		return 2;
	}
	rate = atol(argv[3]);
	seconds = atof(argv[4]);
	total = (long)(rate * seconds);
	memset(payload, 0, sizeof(payload));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	t0 = now();
	clock_gettime(CLOCK_MONOTONIC, &tick);
	while (sent < total) {
		long due = (long)((now() - t0) * rate);

		if (due > total)
			due = total;
		while (sent < due) {
			/* ENOBUFS and the like: the datagram is not counted and is tried again. */
			if (sendto(fd, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to)) == sizeof(payload))
				sent++;
		}
		tick.tv_nsec += 1000000;
		if (tick.tv_nsec >= 1000000000) {
			tick.tv_sec++;
			tick.tv_nsec -= 1000000000;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &tick, NULL);
	}
	elapsed = now() - t0;
	printf("{\"sent\":%ld,\"seconds\":%.3f}\n", sent, elapsed);
	close(fd);
	return 0;
}
