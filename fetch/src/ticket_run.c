/*
 * ticket_run.c - `pooltriage ticket`: one ticket per problem of a fleet.
 * For each problem: look it up in the map, file it or add its new hosts
 * (or skip it when the ticket already says everything), and record the
 * answer in the map in its own transaction before the next request.
 */
#include "pooltriage/pooltriage.h"
#include "pt_ticket.h"
#include "pooltriage/platform.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct run {
    const pt_ticket_opts *o;
    pt_ticket_map *map;
    bool dry_run;
    pt_ticket_event_fn fn;
    void *ctx;
    size_t failed;
    bool stop;                   /* credentials refused: the rest would fail too */
} run;

static void emit(run *r, const pt_fleet_problem *p, pt_ticket_outcome outcome,
                 const pt_ticket_rec *rec, const pt_ticket_request *req, const pt_error *e,
                 long status)
{
    pt_ticket_event ev = {p, outcome, rec, req, e, status};
    if (r->fn)
        r->fn(r->ctx, &ev);
}

/* The host names of p the ticket does not list yet (pointers into p). */
static pt_code new_hosts(run *r, const pt_fleet_problem *p, const char ***out, size_t *count,
                         pt_error *err)
{
    *count = 0;
    *out = pt_calloc(p->host_name_count ? p->host_name_count : 1, sizeof **out);
    if (*out == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    /* a host the ticket already names under the problem's earlier
     * fingerprint (verdict/1, or a capture triaged alone) is not new */
    for (size_t i = 0; i < p->host_name_count; i++)
        if (!pt_ticket_map_has_host(r->map, r->o->kind, r->o->url, p->fingerprint, p->hosts[i]) &&
            !(p->legacy_fingerprint[0] &&
              pt_ticket_map_has_host(r->map, r->o->kind, r->o->url, p->legacy_fingerprint,
                                     p->hosts[i])))
            (*out)[(*count)++] = p->hosts[i];
    return PT_OK;
}

static pt_code record(run *r, const pt_fleet_problem *p, pt_ticket_rec *rec,
                      const char **hosts, size_t count, pt_error *err)
{
    if (rec->level < p->level)
        rec->level = p->level;
    if (rec->host_count < (int64_t)p->host_count)
        rec->host_count = (int64_t)p->host_count;
    pt_code rc = pt_ticket_map_put(r->map, r->o->kind, r->o->url, p->fingerprint, rec, hosts,
                                   count, err);
    if (rc != PT_OK)
        pt_error_set(err, rc, err->where, "ticket %s for %s was filed but not recorded (%s); "
                     "fix the map before running again, or it is filed twice",
                     rec->key[0] ? rec->key : "(no id)", p->fingerprint, err->message);
    return rc;
}

static pt_code send_one(run *r, const pt_fleet_problem *p, pt_ticket_rec *rec, bool found,
                        const pt_ticket_request *req, const char **hosts, size_t count,
                        pt_error *err)
{
    pt_ticket_response resp;
    pt_error net = {0};
    if (pt_ticket_send(r->o, req, &resp, &net) != PT_OK) {
        emit(r, p, PT_TICKET_FAILED, found ? rec : NULL, req, &net, resp.status);
        r->failed++;
        r->stop = resp.status == 401 || resp.status == 403;
        return PT_OK;
    }
    if (!found) {
        *rec = resp.rec;
        if (rec->id[0] == '\0')  /* a webhook that answers no id: the fingerprint is one */
            snprintf(rec->id, sizeof rec->id, "%s", p->fingerprint);
    }
    pt_code rc = record(r, p, rec, hosts, count, err);
    if (rc == PT_OK)
        emit(r, p, found ? PT_TICKET_UPDATED : PT_TICKET_CREATED, rec, req, NULL, resp.status);
    return rc;
}

static pt_code one(run *r, const pt_fleet_problem *p, pt_error *err)
{
    if (p->level < r->o->min_level) {
        emit(r, p, PT_TICKET_BELOW, NULL, NULL, NULL, 0);
        return PT_OK;
    }
    pt_ticket_rec rec;
    bool found;
    const char **fresh = NULL;
    size_t fresh_count = 0;
    pt_ticket_request req = {0};
    pt_code rc = pt_ticket_map_get(r->map, r->o->kind, r->o->url, p->fingerprint, &rec,
                                   &found, err);
    /* a ticket filed from verdict/1 reports sits under the old fingerprint */
    if (rc == PT_OK && !found && p->legacy_fingerprint[0])
        rc = pt_ticket_map_get(r->map, r->o->kind, r->o->url, p->legacy_fingerprint, &rec,
                               &found, err);
    if (rc == PT_OK)
        rc = new_hosts(r, p, &fresh, &fresh_count, err);
    if (rc != PT_OK)
        goto done;
    if (found && fresh_count == 0 && p->level <= rec.level &&
        (int64_t)p->host_count <= rec.host_count) {
        emit(r, p, PT_TICKET_UNCHANGED, &rec, NULL, NULL, 0);
        goto done;
    }
    const char *const *listed = found ? fresh : p->hosts;
    size_t listed_count = found ? fresh_count : p->host_name_count;
    rc = pt_ticket_payload(r->o, p, found ? &rec : NULL, listed, listed_count, &req, err);
    if (rc != PT_OK)
        goto done;
    if (r->dry_run)
        emit(r, p, PT_TICKET_PLANNED, found ? &rec : NULL, &req, NULL, 0);
    else
        rc = send_one(r, p, &rec, found, &req, (const char **)listed, listed_count, err);
done:
    pt_buf_free(&req.body);
    pt_free(fresh);
    return rc;
}

/* One `ticket` run at a time per map: two would both file a new problem. */
static pt_code lock_map(const char *map_path, int *fd, pt_error *err)
{
    char lock[4200];
    snprintf(lock, sizeof lock, "%s.lock", map_path);
    *fd = pt_platform_open(lock, PT_OPEN_RW);
    if (*fd < 0)
        return pt_error_set(err, PT_EIO, lock, "cannot create the lock: %s", strerror(errno));
    if (pt_platform_lock(*fd, false) != 0)
        return pt_error_set(err, PT_EIO, map_path, "another 'pooltriage ticket' is using "
                            "this map; wait for it to finish");
    return PT_OK;
}

pt_code pt_ticket_run(const pt_ticket_opts *o, pt_fleet *fleet, const char *map_path,
                      bool dry_run, pt_ticket_event_fn fn, void *ctx, pt_error *err)
{
    run r = {o, NULL, dry_run, fn, ctx, 0, false};
    int lock = -1;
    pt_code rc = pt_ticket_map_open(map_path, dry_run, &r.map, err);
    if (rc == PT_OK && !dry_run)
        rc = lock_map(map_path, &lock, err);
    if (rc != PT_OK)
        goto done;
    pt_ticket_opts detected;
    if (o->kind == PT_TICKET_JIRA && o->jira_api == 0) {
        detected = *o;
        detected.jira_api = 3;
        if (!dry_run && (rc = pt_ticket_jira_detect(o, &detected.jira_api, err)) != PT_OK)
            goto done;
        r.o = &detected;
    }
    size_t n = pt_fleet_count(fleet);
    for (size_t i = 0; i < n && rc == PT_OK && !r.stop; i++)
        rc = one(&r, pt_fleet_problem_at(fleet, i), err);
    if (rc == PT_OK && r.failed)
        rc = pt_error_set(err, PT_ENET, "", "%zu ticket%s failed%s; the map records the "
                          "others, so running again files only what is missing", r.failed,
                          r.failed == 1 ? "" : "s", r.stop ? " and the run stopped at a "
                          "refused credential" : "");
done:
    if (r.o != o)
        memset(&detected.creds, 0, sizeof detected.creds);
    if (lock >= 0)
        pt_platform_close(lock);
    pt_ticket_map_close(r.map);
    return rc;
}
