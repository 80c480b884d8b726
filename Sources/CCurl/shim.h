#ifndef STAGETOP_CCURL_SHIM_H
#define STAGETOP_CCURL_SHIM_H
// curl_easy_setopt/getinfo/multi_setopt are variadic macros, which Swift cannot call.
// These typed inline wrappers give Swift one entry point per argument type.
#include <curl/curl.h>

static inline CURLcode stc_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stc_setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stc_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stc_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stc_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*stc_write_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode stc_setopt_write_cb(CURL *h, CURLoption o, stc_write_cb cb) { return curl_easy_setopt(h, o, cb); }
typedef int (*stc_xferinfo_cb)(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
static inline CURLcode stc_setopt_xferinfo_cb(CURL *h, stc_xferinfo_cb cb) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb); }

static inline CURLcode stc_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode stc_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode stc_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode stc_getinfo_str(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode stc_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }

static inline CURLMcode stc_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

// CURLMsg.data is a union; Swift sees it but these keep call sites short.
static inline CURL *stc_msg_easy(CURLMsg *m) { return m->easy_handle; }
static inline CURLcode stc_msg_result(CURLMsg *m) { return m->data.result; }
static inline int stc_msg_is_done(CURLMsg *m) { return m->msg == CURLMSG_DONE; }

// Macros built from other macros (CURL_GLOBAL_ALL, CURL_ERROR_SIZE) are not reliably imported; expose them.
static inline CURLcode stc_global_init_all(void) { return curl_global_init(CURL_GLOBAL_ALL); }
static inline int stc_error_size(void) { return CURL_ERROR_SIZE; }
// curl_multi_poll with no extra descriptors, so Swift need not build a NULL curl_waitfd pointer.
static inline CURLMcode stc_multi_poll(CURLM *m, int timeout_ms) { return curl_multi_poll(m, NULL, 0, timeout_ms, NULL); }

#endif
