/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-run COMMAND [ARG...]: runs the command with its output discarded
 * and prints "CPU-SECONDS PEAK-KB EXIT-CODE" for it alone.  build-aux/bench
 * measures through this small program because a child of the benchmark's
 * Python inherits Python's resident set as its peak (Linux keeps the
 * larger of the two across fork and exec), which hides any peak below
 * about 15 MB. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int
main (int   argc,
      char *argv[])
{
  struct rusage usage;
  int status = 0;
  pid_t pid;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s COMMAND [ARG...]\n", argv[0]);
      return 2;
    }
  pid = fork ();
  if (pid < 0)
    {
      perror ("fork");
      return 2;
    }
  if (pid == 0)
    {
      int null = open ("/dev/null", O_RDWR);

      if (null >= 0)
        {
          dup2 (null, STDOUT_FILENO);
          dup2 (null, STDERR_FILENO);
        }
      execvp (argv[1], argv + 1);
      _exit (127);
    }
  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      {
        perror ("wait4");
        return 2;
      }
  printf ("%.6f %ld %d\n",
          usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6,
          usage.ru_maxrss, WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
  return 0;
}
