/*
 * A model of the SQLite store's two writers on this disk: a log (WAL) that appends 32 KiB and syncs every
 * millisecond, beside a checkpoint that writes PAGES random 4 KiB pages of a database file and syncs it
 * every 20 ms. Prints the log sync's latency percentiles.
 *
 *   gcc -O2 -pthread bench/fsync/wal_fsync_model.c -o /tmp/wal_fsync_model
 *   cd <a folder on the data disk> && /tmp/wal_fsync_model SYNC PACE PAGES
 *
 * SYNC: 0 = fsync for the log (what SQLite's bundled build calls), 1 = fdatasync.
 * PACE: 0 = the checkpoint's pages go to the kernel and one fsync follows (SQLite's way);
 *       N = sync_file_range every N pages, so writeback is paced, then fdatasync.
 * PAGES: pages per checkpoint (0 = no checkpoint beside the log).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int pace, pages;
static volatile int stop;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int by_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

static void *checkpoint(void *unused)
{
    (void)unused;
    int fd = open("model-db.bin", O_RDWR | O_CREAT, 0644);
    char page[4096];
    long offsets[4096];
    memset(page, 1, sizeof page);
    while (!stop) {
        for (int i = 0; i < pages; i++)
            offsets[i] = (long)(rand() % 20000) * 4096;
        qsort(offsets, pages, sizeof(long), by_long);
        for (int i = 0; i < pages; i++) {
            if (pwrite(fd, page, sizeof page, offsets[i]) < 0)
                perror("pwrite");
            if (pace && i % pace == pace - 1)
                sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
        }
        fdatasync(fd);
        usleep(20000);
    }
    close(fd);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s SYNC(0=fsync,1=fdatasync) PACE PAGES\n", argv[0]);
        return 2;
    }
    int data_only = atoi(argv[1]);
    pace = atoi(argv[2]);
    pages = atoi(argv[3]);
    if (pages < 0 || pages > 4096 || pace < 0) {
        fprintf(stderr, "PAGES 0..4096, PACE >= 0\n");
        return 2;
    }
    const int n = 4000, chunk = 32768, slots = 256;
    int fd = open("model-wal.bin", O_RDWR | O_CREAT, 0644);
    static char buf[32768];
    memset(buf, 2, sizeof buf);
    for (int i = 0; i < slots; i++)
        if (pwrite(fd, buf, chunk, (long)i * chunk) < 0)
            perror("pwrite");
    fsync(fd);

    pthread_t thread;
    if (pages > 0)
        pthread_create(&thread, NULL, checkpoint, NULL);
    double *latency = malloc(n * sizeof(double));
    long offset = 0;
    for (int i = 0; i < n; i++) {
        if (pwrite(fd, buf, chunk, offset) < 0)
            perror("pwrite");
        offset = (offset + chunk) % ((long)chunk * slots);
        double started = now_ms();
        if (data_only)
            fdatasync(fd);
        else
            fsync(fd);
        latency[i] = now_ms() - started;
        usleep(1000);
    }
    stop = 1;
    if (pages > 0)
        pthread_join(thread, NULL);
    qsort(latency, n, sizeof(double), by_double);
    printf("%s pace=%d pages=%d: log sync p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f ms\n",
        data_only ? "fdatasync" : "fsync", pace, pages,
        latency[n / 2], latency[n * 9 / 10], latency[n * 99 / 100], latency[n * 999 / 1000], latency[n - 1]);
    close(fd);
    unlink("model-wal.bin");
    unlink("model-db.bin");
    return 0;
}
