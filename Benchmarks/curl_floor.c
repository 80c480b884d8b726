/*
 * The floor under any libcurl prober on this machine: GET URL at RATE requests a second for SECONDS, BATCH
 * requests sent together per wake-up, through one multi handle with kept-alive connections and reused easy
 * handles, sleeping in curl_multi_poll between wake-ups. Nothing else: no judging, no store, no screen.
 *
 *   cc -O2 Benchmarks/curl_floor.c -o curl_floor -lcurl -lm
 *   ./curl_floor URL RATE SECONDS BATCH
 *
 * Prints one line: runs, CPU seconds (user + system, getrusage), % of a core, CPU per run, median and p90 of
 * curl's own total time. Benchmarks/scale.sh runs it beside stagetop at the same rate: on a small VM a
 * thread's wake-up costs tens of microseconds of CPU, so how many requests share one decides most of it.
 */
#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static size_t discard(char *p, size_t size, size_t n, void *u) { (void)p; (void)u; return size * n; }

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc != 5) { fprintf(stderr, "usage: %s URL RATE SECONDS BATCH\n", argv[0]); return 2; }
  const char *url = argv[1];
  double rate = atof(argv[2]), seconds = atof(argv[3]);
  int batch = atoi(argv[4]);
  if (rate <= 0 || seconds <= 0 || batch < 1) { fprintf(stderr, "RATE, SECONDS > 0, BATCH >= 1\n"); return 2; }

  curl_global_init(CURL_GLOBAL_ALL);
  CURLM *multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 64L);
  CURL *spare[256];
  int spares = 0;
  long capacity = (long)(rate * seconds) + 2 * batch, done = 0;
  double *ms = malloc(sizeof(double) * capacity);

  struct rusage r0, r1;
  getrusage(RUSAGE_SELF, &r0);
  double start = now(), next = start;
  int running = 0;
  while (now() - start < seconds) {
    if (now() >= next) {
      for (int i = 0; i < batch; i++) {
        CURL *e = spares ? spare[--spares] : curl_easy_init();
        curl_easy_setopt(e, CURLOPT_URL, url);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
        curl_multi_add_handle(multi, e);
      }
      next += batch / rate;
    }
    curl_multi_perform(multi, &running);
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(multi, &left))) {
      if (msg->msg != CURLMSG_DONE) continue;
      double total;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_TOTAL_TIME, &total);
      if (done < capacity) ms[done++] = total * 1000;
      curl_multi_remove_handle(multi, msg->easy_handle);
      curl_easy_reset(msg->easy_handle);
      if (spares < 256) spare[spares++] = msg->easy_handle; else curl_easy_cleanup(msg->easy_handle);
    }
    /* Rounded up: a sub-millisecond wait rounded down would spin on poll(0). */
    int wait = (int)ceil((next - now()) * 1000);
    curl_multi_poll(multi, NULL, 0, wait > 0 ? wait : 0, NULL);
  }
  getrusage(RUSAGE_SELF, &r1);
  double cpu = (r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) + (r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) / 1e6
             + (r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) + (r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
  double wall = now() - start;
  qsort(ms, done, sizeof(double), by_value);
  printf("%ld %.3f %.3f %.2f %.4f %.2f %.2f\n", done, cpu, wall, 100 * cpu / wall, done ? 1000 * cpu / done : 0,
         done ? ms[done / 2] : 0, done ? ms[done * 9 / 10] : 0);
  free(ms);
  return 0;
}
