/* Test helper: holds a namespace in ways no shell tool can, then sleeps until killed.
 *   ns-holder thread-net PATH   one extra thread setns()es into the netns at PATH
 *   ns-holder socket-net PATH   creates a UDP socket inside the netns at PATH, then returns
 *                               to its own netns: the socket alone keeps that stack alive
 * It prints "ready <tid>" once the namespace is held. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
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

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: ns-holder thread-net|socket-net PATH\n"); return 2; }
  target = argv[2];
  if (strcmp(argv[1], "thread-net") == 0) {
    pthread_t t;
    pthread_create(&t, NULL, thread_main, NULL);
    for (;;) pause();
  }
  if (strcmp(argv[1], "socket-net") == 0) {
    int own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    int fd = open(target, O_RDONLY | O_CLOEXEC);
    if (own < 0 || fd < 0 || setns(fd, CLONE_NEWNET) < 0) { perror("setns"); return 1; }
    int sock = socket(AF_INET, SOCK_DGRAM, 0);
    if (sock < 0 || setns(own, CLONE_NEWNET) < 0) { perror("socket"); return 1; }
    close(fd);
    close(own);
    printf("ready %d fd=%d\n", getpid(), sock);
    fflush(stdout);
    for (;;) pause();
  }
  return 2;
}
