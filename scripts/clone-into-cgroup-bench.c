/*
 * Benchmark for docs/cgroups.md: the cost of clone3(CLONE_INTO_CGROUP) (the other way to place a child
 * in a cgroup v2 before its first instruction, which the JVM cannot call itself) beside posix_spawn and
 * a plain clone3, each starting and reaping COMMAND, in interleaved rounds. Prints; asserts nothing.
 *
 *   gcc -O2 -o /tmp/clone-into-cgroup scripts/clone-into-cgroup-bench.c
 *   mkdir /sys/fs/cgroup/unified/bench && /tmp/clone-into-cgroup /sys/fs/cgroup/unified/bench /usr/bin/true
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
extern char **environ;
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
static int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}
static pid_t spawn_clone3(char **argv, int cgfd){
  struct clone_args a; memset(&a,0,sizeof a);
  a.flags = CLONE_VFORK | (cgfd>=0 ? CLONE_INTO_CGROUP : 0);
  a.exit_signal = SIGCHLD; a.cgroup = cgfd>=0 ? cgfd : 0;
  long pid = syscall(SYS_clone3, &a, sizeof a);
  if (pid == 0) { execve(argv[0], argv, environ); _exit(127); }
  return (pid_t)pid;
}
int main(int argc, char **argv){
  /* argv[1]: cgroup dir; argv[2..]: command */
  int runs=300, warm=100; char **cmd=argv+2;
  int cg=open(argv[1], O_RDONLY|O_DIRECTORY|O_CLOEXEC); if(cg<0){perror("open");return 1;}
  const char *names[3]={"posix_spawn (vfork)","clone3(CLONE_VFORK)","clone3(CLONE_VFORK|CLONE_INTO_CGROUP)"};
  double *s[3]; for(int k=0;k<3;k++) s[k]=calloc(runs,sizeof(double));
  for(int round=0; round<3; round++)
  for(int k=0;k<3;k++){
    for(int i=-warm/3;i<runs/3;i++){
      double t=now(); pid_t pid; int st;
      if(k==0){ if(posix_spawn(&pid,cmd[0],NULL,NULL,cmd,environ)){perror("spawn");return 1;} }
      else pid=spawn_clone3(cmd, k==2?cg:-1);
      if(pid<0){perror("clone3");return 1;}
      waitpid(pid,&st,0);
      if(i>=0) s[k][round*(runs/3)+i]=now()-t;
    }
  }
  for(int k=0;k<3;k++){qsort(s[k],runs,sizeof(double),cmp);printf("  %-42s median %7.3f ms  p90 %7.3f ms\n",names[k],s[k][runs/2],s[k][(int)(runs*0.9)]);}
  return 0;
}
