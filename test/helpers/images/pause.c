/*
 * Flotilla's test pause: the process that holds a pod sandbox's namespaces. It sleeps until
 * SIGTERM or SIGINT, exits 0 then, and reaps any child reparented to it (it is PID 1 of the
 * pod when the PID namespace is shared). Built with `gcc -static` into a one-file image.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_stop(int signo) {
  (void)signo;
  _exit(0);
}

static void on_child(int signo) {
  (void)signo;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

static int install(int signo, void (*handler)(int)) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = handler;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  return sigaction(signo, &action, NULL);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "-v") == 0) {
    puts("flotilla-pause 1");
    return 0;
  }
  if (install(SIGTERM, on_stop) != 0 || install(SIGINT, on_stop) != 0 || install(SIGCHLD, on_child) != 0) {
    perror("sigaction");
    return 1;
  }
  for (;;) pause();
}
