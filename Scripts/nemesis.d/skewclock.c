/*
 * skewclock.so: an LD_PRELOAD shim that moves one process's wall clock by
 * NEMESIS_CLOCK_OFFSET_MS milliseconds (may be negative), as a validator with a wrong clock would
 * see it, and nothing else. Built by Scripts/nemesis at run time (cc -shared -fPIC).
 *
 * Why not libfaketime: with FAKETIME_DONT_FAKE_MONOTONIC=1 (the monotonic clocks must stay true,
 * a wrong wall clock does not slow timers), libfaketime 0.9.10 still rewrites every absolute
 * timerfd_settime() by the offset, also on CLOCK_MONOTONIC/CLOCK_BOOTTIME timer fds. libdispatch
 * arms Swift's Task.sleep timers that way, so under FAKETIME=-30s every sleep in govchaind lasts
 * 30 s longer (its graceful shutdown took 30 s) and under +30s every sleep returns at once.
 * Without DONT_FAKE_MONOTONIC, "-30s" sets CLOCK_MONOTONIC to the wall-clock value. Both are
 * artefacts no real clock skew has. This shim shifts only the wall clock: CLOCK_REALTIME (and
 * _COARSE), gettimeofday, time, timespec_get, and the absolute deadlines of CLOCK_REALTIME
 * timers (timerfd, clock_nanosleep), so that those stay consistent with the clock the process sees.
 * It calls no setenv (libfaketime's setenv at load time moves `environ`, and a Swift program
 * then loses its command-line arguments).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>

static volatile int ready;
static long long offset_ns;
static int (*real_clock_gettime)(clockid_t, struct timespec *);
static int (*real_gettimeofday)(struct timeval *, void *);
static int (*real_timerfd_create)(int, int);
static int (*real_timerfd_settime)(int, int, const struct itimerspec *, struct itimerspec *);
static int (*real_clock_nanosleep)(clockid_t, int, const struct timespec *, struct timespec *);

#define FDS 65536
static unsigned char realtime_fd[FDS];

static void init(void) {
    if (ready) return;
    const char *s = getenv("NEMESIS_CLOCK_OFFSET_MS");
    offset_ns = s ? atoll(s) * 1000000LL : 0;
    real_clock_gettime = dlsym(RTLD_NEXT, "clock_gettime");
    real_gettimeofday = dlsym(RTLD_NEXT, "gettimeofday");
    real_timerfd_create = dlsym(RTLD_NEXT, "timerfd_create");
    real_timerfd_settime = dlsym(RTLD_NEXT, "timerfd_settime");
    real_clock_nanosleep = dlsym(RTLD_NEXT, "clock_nanosleep");
    ready = 1;
}

__attribute__((constructor)) static void skewclock_init(void) { init(); }

static void shift(struct timespec *ts, long long ns) {
    long long total = (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec + ns;
    ts->tv_sec = (time_t)(total / 1000000000LL);
    ts->tv_nsec = (long)(total % 1000000000LL);
    if (ts->tv_nsec < 0) { ts->tv_nsec += 1000000000L; ts->tv_sec -= 1; }
}

static int is_wall(clockid_t c) {
    return c == CLOCK_REALTIME || c == CLOCK_REALTIME_COARSE
#ifdef CLOCK_REALTIME_ALARM
        || c == CLOCK_REALTIME_ALARM
#endif
#ifdef CLOCK_TAI
        || c == CLOCK_TAI
#endif
        ;
}

int clock_gettime(clockid_t c, struct timespec *ts) {
    init();
    int r = real_clock_gettime(c, ts);
    if (r == 0 && ts && is_wall(c)) shift(ts, offset_ns);
    return r;
}

int gettimeofday(struct timeval *tv, void *tz) {
    init();
    int r = real_gettimeofday(tv, tz);
    if (r == 0 && tv) {
        struct timespec ts = {tv->tv_sec, tv->tv_usec * 1000L};
        shift(&ts, offset_ns);
        tv->tv_sec = ts.tv_sec;
        tv->tv_usec = ts.tv_nsec / 1000;
    }
    return r;
}

time_t time(time_t *t) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (t) *t = ts.tv_sec;
    return ts.tv_sec;
}

int timespec_get(struct timespec *ts, int base) {
    if (base != TIME_UTC) return 0;
    return clock_gettime(CLOCK_REALTIME, ts) == 0 ? base : 0;
}

int timerfd_create(int c, int flags) {
    init();
    int fd = real_timerfd_create(c, flags);
    if (fd >= 0 && fd < FDS) realtime_fd[fd] = is_wall(c);
    return fd;
}

int timerfd_settime(int fd, int flags, const struct itimerspec *nv, struct itimerspec *old) {
    init();
    if ((flags & TFD_TIMER_ABSTIME) && nv && fd >= 0 && fd < FDS && realtime_fd[fd] &&
        (nv->it_value.tv_sec || nv->it_value.tv_nsec)) {
        struct itimerspec v = *nv;
        shift(&v.it_value, -offset_ns);
        return real_timerfd_settime(fd, flags, &v, old);
    }
    return real_timerfd_settime(fd, flags, nv, old);
}

int clock_nanosleep(clockid_t c, int flags, const struct timespec *req, struct timespec *rem) {
    init();
    if ((flags & TIMER_ABSTIME) && req && is_wall(c)) {
        struct timespec r = *req;
        shift(&r, -offset_ns);
        return real_clock_nanosleep(c, flags, &r, rem);
    }
    return real_clock_nanosleep(c, flags, req, rem);
}
