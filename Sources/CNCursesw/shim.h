#ifndef STAGETOP_CNCURSESW_SHIM_H
#define STAGETOP_CNCURSESW_SHIM_H
// SwiftPM drops pkg-config -D flags, so the wide-char API must be switched on here.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <ncurses.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/ioctl.h>

// Swift 6 rejects these globals/macros as not concurrency-safe or cannot import them.
static inline WINDOW *stn_stdscr(void) { return stdscr; }
static inline WINDOW *stn_curscr(void) { return curscr; }
static inline int stn_lines(void) { return LINES; }
static inline int stn_cols(void) { return COLS; }
static inline int stn_colors(void) { return COLORS; }
static inline int stn_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t stn_a_bold(void) { return A_BOLD; }
static inline attr_t stn_a_dim(void) { return A_DIM; }
static inline attr_t stn_a_reverse(void) { return A_REVERSE; }
static inline attr_t stn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t stn_a_italic(void) { return A_ITALIC; }
static inline attr_t stn_a_normal(void) { return A_NORMAL; }
static inline int stn_key_resize(void) { return KEY_RESIZE; }
static inline int stn_err(void) { return ERR; }
static inline int stn_key_code_yes(void) { return KEY_CODE_YES; }

// newterm instead of initscr: initscr prints and exit()s on an unknown TERM; newterm returns NULL,
// so the caller can refuse politely. `stdout`/`stdin` are not importable under Swift 6.
static inline SCREEN *stn_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline SCREEN *stn_newterm_on(const char *type, FILE *out, FILE *in) { return newterm(type, out, in); }

// Window size of a tty (tests drive ncurses on a pty; ioctl is variadic and does not import).
static inline int stn_set_winsize(int fd, int rows, int cols) {
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    ws.ws_row = (unsigned short)rows;
    ws.ws_col = (unsigned short)cols;
    return ioctl(fd, TIOCSWINSZ, &ws);
}

// A pty pair (tests run real ncurses on one). On Linux the Glibc module hides posix_openpt behind
// _XOPEN_SOURCE, so do what glibc does: /dev/ptmx, unlock, open the numbered peer.
static inline int stn_open_pty(int *master, int *slave) {
#if defined(__linux__)
    int m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0) return -1;
    int unlock = 0;
    unsigned int n = 0;
    if (ioctl(m, TIOCSPTLCK, &unlock) < 0 || ioctl(m, TIOCGPTN, &n) < 0) { close(m); return -1; }
    char name[64];
    snprintf(name, sizeof name, "/dev/pts/%u", n);
    int s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
#else
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0) return -1;
    if (grantpt(m) < 0 || unlockpt(m) < 0) { close(m); return -1; }
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
#endif
    if (s < 0) { close(m); return -1; }
    *master = m;
    *slave = s;
    return 0;
}

// Whether the current terminal description has a usable string capability (tigetstr returns
// (char *)-1 for "not a string capability" and NULL for "absent").
static inline int stn_has_string_cap(const char *name) {
    char *s = tigetstr(name);
    return s != NULL && s != (char *)-1;
}
// Direct colour (ncurses >= 6.1, terminfo `RGB` as flag, number or string, or colors >= 2^24):
// colour numbers are then 0xRRGGBB instead of palette indexes.
static inline int stn_has_direct_color(void) {
    if (tigetflag("RGB") > 0) return 1;
    if (tigetnum("RGB") > 0) return 1;
    if (stn_has_string_cap("RGB")) return 1;
    return tigetnum("colors") >= 0x1000000;
}
static inline int stn_terminfo_colors(void) { return tigetnum("colors"); }

static inline int stn_locale_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && strcmp(cs, "UTF-8") == 0;
}

// ---------------------------------------------------------------------------------------------
// Process guard: signal flags, crash restore, stderr capture, atexit restore.
//
// Signal handlers must be C: they may only touch sig_atomic_t and async-signal-safe calls, and a
// Swift closure would run Swift runtime code inside a handler.
//
// Why the state is a struct passed by pointer: a `static` variable in this header is emitted into
// EVERY Swift object file whose code uses it, and Swift inlines across files (in release builds a
// reader of a static ended up with its own copy, blind to what the handler wrote). So the state
// lives in memory the Swift side allocates once (ProcessGuard.state) and every function takes it.
// The one static, `stn_guard_active`, is only read by the handlers and the atexit hook, whose
// addresses are taken in stn_guard_install: they are emitted next to it and share its copy.
// ---------------------------------------------------------------------------------------------

typedef struct stn_guard_state {
    volatile sig_atomic_t signal;        // last SIGINT/SIGTERM/SIGHUP received, 0 if none
    volatile sig_atomic_t screen_is_up;  // curses owns the terminal right now
    int installed;
    int atexit_registered;
    int saved_stderr;                    // the real fd 2 while it is captured, else -1
    int capture_fd;                      // unlinked temp file receiving fd 2 meanwhile, else -1
    struct sigaction old[NSIG];          // dispositions found by install
    sigset_t old_mask;
    pthread_t mask_thread;
    int bell[2];                         // written by the handlers, so a key wait wakes at once; -1 if none
    int winch_wrapped;                   // ncurses' SIGWINCH handler is called through ours
    struct sigaction curses_winch;       // ncurses' SIGWINCH disposition while wrapped
    void (*winch_handler)(int, siginfo_t *, void *);  // ours: its address taken in install (see above)
} stn_guard_state;

static stn_guard_state *volatile stn_guard_active = NULL;

static const int stn_guard_flag_signals[] = {SIGINT, SIGTERM, SIGHUP};
static const int stn_guard_crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
#define STN_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static inline void stn_guard_init(stn_guard_state *g) {
    memset(g, 0, sizeof *g);
    g->saved_stderr = -1;
    g->capture_fd = -1;
    g->bell[0] = g->bell[1] = -1;
}

// One byte to the bell (async-signal-safe: write only, errno kept). The pipe is non-blocking: a full one
// already says what this byte would.
static inline void stn_guard_ring(stn_guard_state *g) {
    if (g->bell[1] < 0) return;
    int saved = errno;
    char byte = 1;
    (void)!write(g->bell[1], &byte, 1);
    errno = saved;
}

// Gives fd 2 back and replays what was written to it while the screen was up. Only
// async-signal-safe calls (dup2, lseek, read, write, close): the crash handler uses it too.
static inline void stn_guard_release_stderr(stn_guard_state *g) {
    int saved = g->saved_stderr, cap = g->capture_fd;
    if (saved < 0) return;
    g->saved_stderr = -1;
    g->capture_fd = -1;
    dup2(saved, STDERR_FILENO);
    close(saved);
    if (cap < 0) return;
    if (lseek(cap, 0, SEEK_SET) == 0) {
        char buf[4096];
        ssize_t n;
        while ((n = read(cap, buf, sizeof buf)) > 0) {
            ssize_t off = 0;
            while (off < n) {
                ssize_t w = write(STDERR_FILENO, buf + off, (size_t)(n - off));
                if (w < 0 && errno == EINTR) continue;
                if (w <= 0) break;
                off += w;
            }
        }
    }
    close(cap);
}

// Leaves curses mode (if it is on) and gives stderr back. endwin() is not async-signal-safe, but
// htop and btop do the same in their crash handlers: a restored terminal is worth the risk.
static inline void stn_guard_restore(stn_guard_state *g) {
    if (g->screen_is_up) {
        g->screen_is_up = 0;
        endwin();
    }
    stn_guard_release_stderr(g);
}

static void stn_guard_on_flag_signal(int sig) {
    stn_guard_state *g = stn_guard_active;
    if (!g) return;
    g->signal = sig;
    stn_guard_ring(g);
}

// The signal usually lands on another thread than the one waiting for keys, whose poll then goes on
// sleeping: ncurses' own handler only sets a flag. Ringing the bell wakes the wait for the resize.
static void stn_guard_on_winch(int sig, siginfo_t *info, void *ctx) {
    stn_guard_state *g = stn_guard_active;
    if (!g) return;
    struct sigaction *c = &g->curses_winch;
    if (c->sa_flags & SA_SIGINFO) {
        if (c->sa_sigaction) c->sa_sigaction(sig, info, ctx);
    } else if (c->sa_handler != SIG_DFL && c->sa_handler != SIG_IGN && c->sa_handler) {
        c->sa_handler(sig);
    }
    stn_guard_ring(g);
}

// After newterm (which installs ncurses' SIGWINCH handler): ours calls it, then rings the bell.
static inline void stn_guard_wrap_winch(stn_guard_state *g) {
    if (g->winch_wrapped || !g->winch_handler) return;
    struct sigaction theirs, ours;
    if (sigaction(SIGWINCH, NULL, &theirs) != 0) return;
    memset(&ours, 0, sizeof ours);
    sigemptyset(&ours.sa_mask);
    ours.sa_sigaction = g->winch_handler;
    // Interrupting reads or not, as ncurses asked.
    ours.sa_flags = SA_SIGINFO | (theirs.sa_flags & SA_RESTART);
    g->curses_winch = theirs;
    if (sigaction(SIGWINCH, &ours, NULL) == 0) g->winch_wrapped = 1;
}

// Before delscreen: ncurses' handler goes back as it was.
static inline void stn_guard_unwrap_winch(stn_guard_state *g) {
    if (!g->winch_wrapped) return;
    g->winch_wrapped = 0;
    sigaction(SIGWINCH, &g->curses_winch, NULL);
}

// The bell's read end (-1 when there is none), and emptying it.
static inline int stn_guard_bell_fd(const stn_guard_state *g) { return g->bell[0]; }
static inline void stn_guard_drain_bell(stn_guard_state *g) {
    if (g->bell[0] < 0) return;
    char buf[16];
    while (read(g->bell[0], buf, sizeof buf) > 0) {}
}

static void stn_guard_on_crash_signal(int sig, siginfo_t *info, void *ctx) {
    (void)ctx;
    stn_guard_state *g = stn_guard_active;
    struct sigaction prev;
    memset(&prev, 0, sizeof prev);
    prev.sa_handler = SIG_DFL;
    if (g) {
        stn_guard_restore(g);
        prev = g->old[sig];
    }
    // Hand the signal to whoever had it before (the Swift runtime's backtracer, or SIG_DFL), never
    // to SIG_IGN: an ignored SIGSEGV would re-fault forever.
    if (prev.sa_handler == SIG_IGN || ((prev.sa_flags & SA_SIGINFO) && prev.sa_sigaction == stn_guard_on_crash_signal)) {
        memset(&prev, 0, sizeof prev);
        prev.sa_handler = SIG_DFL;
    }
    sigaction(sig, &prev, NULL);
    // Sent by kill/raise/abort: send it again. A real fault re-executes the faulting instruction on
    // return and meets the previous handler with the original context (better backtraces).
    if (info == NULL || info->si_code <= 0) raise(sig);
}

static void stn_guard_at_exit(void) {
    stn_guard_state *g = stn_guard_active;
    if (g) stn_guard_restore(g);
}

// Installs the handlers; call BEFORE newterm so ncurses does not install its own SIGINT/SIGTERM
// handlers (it only catches signals that are still SIG_DFL). Signals ignored on entry (nohup,
// background jobs) stay ignored. No SA_RESTART: a blocking read returns so the loop sees the flag.
static inline void stn_guard_install(stn_guard_state *g) {
    if (g->installed) return;
    g->installed = 1;
    g->signal = 0;
    // Made once and kept for the process: a handler may still write to it after uninstall.
    if (g->bell[0] < 0) {
        if (pipe(g->bell) == 0) {
            for (int i = 0; i < 2; i++) {
                fcntl(g->bell[i], F_SETFL, fcntl(g->bell[i], F_GETFL) | O_NONBLOCK);
                fcntl(g->bell[i], F_SETFD, FD_CLOEXEC);
            }
        } else {
            g->bell[0] = g->bell[1] = -1;
        }
    }
    stn_guard_drain_bell(g);
    g->winch_handler = stn_guard_on_winch;
    stn_guard_active = g;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = stn_guard_on_flag_signal;
    for (int i = 0; i < STN_COUNT(stn_guard_flag_signals); i++) {
        int sig = stn_guard_flag_signals[i];
        sigaction(sig, NULL, &g->old[sig]);
        if (g->old[sig].sa_handler != SIG_IGN) sigaction(sig, &sa, NULL);
    }
    struct sigaction crash;
    memset(&crash, 0, sizeof crash);
    sigemptyset(&crash.sa_mask);
    crash.sa_sigaction = stn_guard_on_crash_signal;
    crash.sa_flags = SA_SIGINFO | SA_ONSTACK;
    for (int i = 0; i < STN_COUNT(stn_guard_crash_signals); i++) {
        int sig = stn_guard_crash_signals[i];
        sigaction(sig, &crash, &g->old[sig]);
    }
    // A parent may hand us a blocked signal mask (a thread pool's, say): ^C and kill would then
    // never arrive. Unblock what we handle on the UI thread; uninstall puts the mask back.
    sigset_t wanted;
    sigemptyset(&wanted);
    for (int i = 0; i < STN_COUNT(stn_guard_flag_signals); i++) sigaddset(&wanted, stn_guard_flag_signals[i]);
    for (int i = 0; i < STN_COUNT(stn_guard_crash_signals); i++) sigaddset(&wanted, stn_guard_crash_signals[i]);
    sigaddset(&wanted, SIGWINCH);
    sigaddset(&wanted, SIGTSTP);
    sigaddset(&wanted, SIGCONT);
    pthread_sigmask(SIG_UNBLOCK, &wanted, &g->old_mask);
    g->mask_thread = pthread_self();
    if (!g->atexit_registered) {
        g->atexit_registered = 1;
        atexit(stn_guard_at_exit);
    }
}

// Puts back the dispositions found by stn_guard_install. The received signal number is kept.
static inline void stn_guard_uninstall(stn_guard_state *g) {
    if (!g->installed) return;
    g->installed = 0;
    for (int i = 0; i < STN_COUNT(stn_guard_flag_signals); i++) {
        int sig = stn_guard_flag_signals[i];
        sigaction(sig, &g->old[sig], NULL);
    }
    for (int i = 0; i < STN_COUNT(stn_guard_crash_signals); i++) {
        int sig = stn_guard_crash_signals[i];
        sigaction(sig, &g->old[sig], NULL);
    }
    // The mask is per thread: only the thread that changed it gets it back.
    if (pthread_equal(g->mask_thread, pthread_self())) pthread_sigmask(SIG_SETMASK, &g->old_mask, NULL);
}

// Marks curses as up and, if asked, sends fd 2 to an unlinked temp file until release, so that
// nothing (a library warning, a Swift fatalError message) scribbles over the screen; the text is
// replayed on the restored terminal. Returns 0 when capture was not possible (screen still marked).
static inline int stn_guard_screen_up(stn_guard_state *g, int capture_stderr) {
    g->screen_is_up = 1;
    if (!capture_stderr || g->saved_stderr >= 0) return 1;
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/stagetop-stderr-XXXXXX", (dir && *dir) ? dir : "/tmp");
    int cap = mkstemp(path);
    if (cap < 0) return 0;
    unlink(path);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    if (saved < 0) { close(cap); return 0; }
    fcntl(saved, F_SETFD, FD_CLOEXEC);
    fcntl(cap, F_SETFD, FD_CLOEXEC);
    if (dup2(cap, STDERR_FILENO) < 0) { close(saved); close(cap); return 0; }
    g->saved_stderr = saved;
    g->capture_fd = cap;
    return 1;
}

static inline int stn_guard_pending_signal(const stn_guard_state *g) { return (int)g->signal; }

#endif
