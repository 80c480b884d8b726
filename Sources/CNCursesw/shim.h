#ifndef STAGETOP_CNCURSESW_SHIM_H
#define STAGETOP_CNCURSESW_SHIM_H
// SwiftPM drops pkg-config -D flags, so the wide-char API must be switched on here.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncurses.h>

// Swift 6 rejects these globals/macros as not concurrency-safe or cannot import them.
static inline WINDOW *stn_stdscr(void) { return stdscr; }
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

#endif
