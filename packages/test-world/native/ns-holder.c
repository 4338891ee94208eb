/* Test helper: holds a namespace in ways no shell tool can, then sleeps until killed.
 *   ns-holder thread-net PATH   one extra thread setns()es into the netns at PATH
 *   ns-holder socket-net PATH   creates a UDP socket inside the netns at PATH, then returns
 *                               to its own netns: the socket alone keeps that stack alive
 *   ns-holder tun-net PATH NAME creates tun device NAME inside the netns at PATH (not
 *                               persistent: it lives as long as this fd), then returns to its
 *                               own netns, so the owner and the device are in different stacks
 *   ns-holder listen-net PATH PORT  a TCP listener and a bound UDP socket on 127.0.0.1:PORT
 *                               inside the netns at PATH, owned from its own netns
 *   ns-holder leader-exit PATH  like thread-net, then the main thread exits (pthread_exit):
 *                               the thread-group leader is a zombie while its thread lives
 * It prints "ready <tid>" once the namespace is held. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *target;

static void *thread_main(void *arg) {
  int fd = open(target, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) { perror("setns"); _exit(1); }
  close(fd);
  printf("ready %ld\n", (long)syscall(SYS_gettid));
  fflush(stdout);
  for (;;) pause();
  return NULL;
}

/* Runs make() inside the netns at PATH and comes back to our own netns. */
static int inside(const char *path, int (*make)(const char *), const char *arg) {
  int own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (own < 0 || fd < 0 || setns(fd, CLONE_NEWNET) < 0) { perror("setns"); return -1; }
  int rc = make(arg);
  if (setns(own, CLONE_NEWNET) < 0) { perror("setns back"); return -1; }
  close(fd);
  close(own);
  return rc;
}

static int make_udp(const char *unused) {
  (void)unused;
  int sock = socket(AF_INET, SOCK_DGRAM, 0);
  if (sock < 0) perror("socket");
  return sock;
}

static int make_tun(const char *name) {
  int fd = open("/dev/net/tun", O_RDWR);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) { perror("tun"); return -1; }
  return fd;
}

static int make_listeners(const char *port) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(port))};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int tcp = socket(AF_INET, SOCK_STREAM, 0), udp = socket(AF_INET, SOCK_DGRAM, 0);
  if (tcp < 0 || udp < 0 || bind(tcp, (struct sockaddr *)&a, sizeof a) < 0 || listen(tcp, 4) < 0 ||
      bind(udp, (struct sockaddr *)&a, sizeof a) < 0) { perror("listen"); return -1; }
  return tcp;
}

int main(int argc, char **argv) {
  if (argc == 4 && (strcmp(argv[1], "tun-net") == 0 || strcmp(argv[1], "listen-net") == 0)) {
    int fd = inside(argv[2], strcmp(argv[1], "tun-net") == 0 ? make_tun : make_listeners, argv[3]);
    if (fd < 0) return 1;
    printf("ready %d fd=%d\n", getpid(), fd);
    fflush(stdout);
    for (;;) pause();
  }
  if (argc != 3) { fprintf(stderr, "usage: ns-holder thread-net|socket-net|leader-exit PATH | tun-net PATH NAME | listen-net PATH PORT\n"); return 2; }
  target = argv[2];
  if (strcmp(argv[1], "thread-net") == 0) {
    pthread_t t;
    pthread_create(&t, NULL, thread_main, NULL);
    for (;;) pause();
  }
  if (strcmp(argv[1], "leader-exit") == 0) {
    pthread_t t;
    pthread_create(&t, NULL, thread_main, NULL);
    pthread_exit(NULL);
  }
  if (strcmp(argv[1], "socket-net") == 0) {
    int sock = inside(target, make_udp, NULL);
    if (sock < 0) return 1;
    printf("ready %d fd=%d\n", getpid(), sock);
    fflush(stdout);
    for (;;) pause();
  }
  return 2;
}
