/*
 * file.c - platform layer, the parts every system shares: the file reader
 * (a file on disk through platform/posix or platform/win32, or bytes in
 * memory), a whole file read into memory, a file's SHA-256 read in
 * chunks, and mkdir -p.
 */
#include "pooltriage/platform.h"
#include "platform_int.h"

#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

pt_code pt_file_read(pt_arena *arena, const char *path, size_t max_len,
                     uint8_t **out, size_t *out_len, pt_error *err)
{
    int fd;
    pt_code rc = pt_platform_open_input(path, &fd, err); /* never blocks on a FIFO */
    if (rc != PT_OK)
        return rc;
    pt_file_info st;
    if (!pt_platform_fstat(fd, &st)) {
        pt_platform_close(fd);
        return pt_error_set(err, PT_EIO, path, "cannot read: %s", strerror(errno));
    }
    if (st.size > max_len) {
        pt_platform_close(fd);
        return pt_error_set(err, PT_ELIMIT, path,
                            "file is %lld bytes, more than the limit of %zu",
                            (long long)st.size, max_len);
    }
    size_t len = (size_t)st.size;
    uint8_t *data = pt_arena_alloc(arena, len + 1);
    if (data == NULL) {
        pt_platform_close(fd);
        return pt_error_set(err, PT_ENOMEM, path, "out of memory");
    }
    size_t got = 0;
    while (got < len) {
        int64_t n = pt_platform_read(fd, data + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : 0;
            pt_platform_close(fd);
            return pt_error_set(err, PT_EIO, path, "cannot read: %s",
                                e ? strerror(e) : "file shrank while reading");
        }
        got += (size_t)n;
    }
    pt_platform_close(fd);
    data[len] = 0;
    *out = data;
    *out_len = len;
    return PT_OK;
}

pt_code pt_sha256_file(const char *path, char out[65], pt_error *err)
{
    out[0] = '\0';
    int fd = pt_platform_open(path, PT_OPEN_READ);
    if (fd < 0)
        return pt_error_set(err, PT_EIO, path, "cannot open: %s", strerror(errno));
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char *chunk = pt_malloc(1u << 16);
    pt_code rc = PT_OK;
    if (ctx == NULL || chunk == NULL || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        rc = pt_error_set(err, PT_ENOMEM, path, "out of memory");
        goto done;
    }
    for (;;) {
        int64_t n = pt_platform_read(fd, chunk, 1u << 16);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = pt_error_set(err, PT_EIO, path, "cannot read: %s", strerror(errno));
            goto done;
        }
        if (n == 0)
            break;
        EVP_DigestUpdate(ctx, chunk, (size_t)n);
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    if (EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen == 32)
        pt_hex_into(md, mdlen, out);
done:
    EVP_MD_CTX_free(ctx);
    pt_free(chunk);
    pt_platform_close(fd);
    return rc;
}

pt_code pt_platform_mkdir_p(const char *path, pt_error *err)
{
    size_t len = strlen(path);
    char *dir = pt_malloc(len + 1);
    if (dir == NULL)
        return pt_error_set(err, PT_ENOMEM, path, "out of memory");
    memcpy(dir, path, len + 1);
    pt_code rc = PT_OK;
    for (size_t i = pt_path_root_len(dir); rc == PT_OK; i++) {
        if (dir[i] != '\0' && !pt_path_is_sep(dir[i]))
            continue;
        char c = dir[i];
        dir[i] = '\0';
        if (dir[0] && pt_platform_mkdir(dir) != 0)
            rc = pt_error_set(err, PT_EIO, dir, "cannot create folder: %s", strerror(errno));
        dir[i] = c;
        if (c == '\0')
            break;
    }
    pt_free(dir);
    return rc;
}

pt_code pt_platform_mkdir_parent(const char *path, pt_error *err)
{
    const char *base = pt_path_base(path);
    size_t root = pt_path_root_len(path);
    if (base <= path + root)
        return PT_OK;
    size_t len = (size_t)(base - path);
    char *dir = pt_malloc(len + 1);
    if (dir == NULL)
        return pt_error_set(err, PT_ENOMEM, path, "out of memory");
    memcpy(dir, path, len);
    dir[len] = '\0';
    pt_code rc = pt_platform_mkdir_p(dir, err);
    pt_free(dir);
    return rc;
}

/* ---- the file reader: on disk or in memory ---- */

pt_code pt_rfile_open(pt_rfile *f, const char *path, pt_error *err)
{
    f->mem = NULL;
    return pt_sys_rfile_open(f, path, err);
}

pt_code pt_rfile_open_input(pt_rfile *f, const char *path, pt_error *err)
{
    int fd = -1;
    f->mem = NULL;
    f->path = path;
    pt_code rc = pt_platform_open_input(path, &fd, err);
    f->handle = rc == PT_OK ? fd : -1;
    return rc;
}

void pt_rfile_open_memory(pt_rfile *f, const char *name, const void *data, size_t len)
{
    f->handle = -1;
    f->path = name;
    f->mem = data ? data : (const uint8_t *)"";
    f->mem_len = data ? len : 0;
    f->mem_pos = 0;
}

void pt_rfile_close(pt_rfile *f)
{
    if (f->mem == NULL && f->handle >= 0)
        pt_platform_close((int)f->handle);
    f->mem = NULL;
    f->handle = -1;
}

bool pt_rfile_identity(const pt_rfile *f, pt_rfile_id *out)
{
    if (f->mem) {
        *out = (pt_rfile_id){f->mem_len, 0, 0};
        return true;
    }
    return pt_sys_rfile_identity(f, out);
}

pt_code pt_rfile_read(pt_rfile *f, void *buf, size_t len, size_t *got, pt_error *err)
{
    if (f->mem == NULL)
        return pt_sys_rfile_read(f, buf, len, got, err);
    uint64_t left = f->mem_len - f->mem_pos;
    *got = len < left ? len : (size_t)left;
    memcpy(buf, f->mem + f->mem_pos, *got);
    f->mem_pos += *got;
    return PT_OK;
}

pt_code pt_rfile_read_at(const pt_rfile *f, uint64_t off, void *buf, size_t len,
                         size_t *got, pt_error *err)
{
    if (f->mem == NULL)
        return pt_sys_rfile_read_at(f, off, buf, len, got, err);
    uint64_t left = off < f->mem_len ? f->mem_len - off : 0;
    *got = len < left ? len : (size_t)left;
    if (*got)
        memcpy(buf, f->mem + off, *got);
    return PT_OK;
}
