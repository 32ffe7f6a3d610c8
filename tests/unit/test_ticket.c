/* test_ticket.c - the ticket payloads without the network: Jira REST API 2
 * (wiki markup) and 3 (ADF), Slack and Teams messages, and that text from
 * reports (host names) cannot add markup or links of its own. */
#include "test_support.h"
#include "pt_ticket.h"

#include "pooltriage/platform.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <windows.h>
#include <aclapi.h>
#endif

static const char *hostile_hosts[] = {"srv01", "*bold* [x|https://evil.example] <!channel> {code} !img!"};
static pt_fleet_ref refs[] = {{"vendor-kb", "Vendor KB", "https://example.com/kb?a=1&b=2", NULL},
                              {"forum", "Bad [link]", "https://example.com/a|b", NULL}};

static pt_fleet_problem problem(void)
{
    pt_fleet_problem p;
    memset(&p, 0, sizeof p);
    memset(p.fingerprint, 'a', 64);
    p.rule = "known-issue";
    p.level = PT_LEVEL_KNOWN;
    p.kb_id = "PT-0001";
    p.kb_title = "A leak in x.sys";
    p.tag = "MFeS";
    p.pool = "nonpaged";
    p.driver = "x.sys";
    p.refs = refs;
    p.ref_count = 2;
    p.host_count = 2;
    p.hosts = hostile_hosts;
    p.host_name_count = 2;
    p.report_count = 2;
    p.first_seen = p.last_seen = PT_UNKNOWN;
    p.bytes_min = p.bytes_max = 1024;
    return p;
}

static cJSON *payload(pt_ticket_kind kind, int api, bool update, pt_ticket_request *req)
{
    pt_ticket_opts o;
    pt_ticket_opts_init(&o);
    o.kind = kind;
    o.jira_api = api;
    o.url = "https://t.example";
    o.project = "OPS";
    pt_fleet_problem p = problem();
    pt_ticket_rec rec = {.id = "OPS-7"};
    pt_error err = {0};
    assert_int_equal(pt_ticket_payload(&o, &p, update ? &rec : NULL, hostile_hosts, 2, req,
                                       &err), PT_OK);
    cJSON *root = cJSON_Parse(req->body.data);
    assert_non_null(root);
    return root;
}

static void jira_api_2_description_is_escaped_wiki_markup(void **state)
{
    (void)state;
    pt_ticket_request req;
    cJSON *root = payload(PT_TICKET_JIRA, 2, false, &req);
    assert_string_equal(req.url, "https://t.example/rest/api/2/issue");
    cJSON *d = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "fields"), "description");
    assert_true(cJSON_IsString(d));
    const char *s = d->valuestring;
    assert_non_null(strstr(s, "*Hosts affected:* 2: srv01, \\*bold\\* \\[x\\|https://evil.example\\] "
                              "<\\!channel> \\{code\\} \\!img\\!\n"));
    assert_non_null(strstr(s, "*Link (vendor\\-kb):* [Vendor KB|https://example.com/kb?a=1&b=2]"));
    /* a URL that would break out of the link markup is text, not a link */
    assert_null(strstr(s, "|https://example.com/a|b]"));
    assert_non_null(strstr(s, "Bad \\[link\\] https://example.com/a\\|b"));
    cJSON_Delete(root);
    pt_buf_free(&req.body);
}

static void jira_api_2_comment_body_is_a_string(void **state)
{
    (void)state;
    pt_ticket_request req;
    cJSON *root = payload(PT_TICKET_JIRA, 2, true, &req);
    assert_string_equal(req.url, "https://t.example/rest/api/2/issue/OPS-7/comment");
    assert_true(cJSON_IsString(cJSON_GetObjectItem(root, "body")));
    cJSON_Delete(root);
    pt_buf_free(&req.body);
}

static void jira_api_3_stays_atlassian_document_format(void **state)
{
    (void)state;
    pt_ticket_request req;
    cJSON *root = payload(PT_TICKET_JIRA, 3, false, &req);
    assert_string_equal(req.url, "https://t.example/rest/api/3/issue");
    cJSON *d = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "fields"), "description");
    assert_string_equal(cJSON_GetObjectItem(d, "type")->valuestring, "doc");
    cJSON_Delete(root);
    pt_buf_free(&req.body);
}

static void slack_text_cannot_mention_or_link(void **state)
{
    (void)state;
    pt_ticket_request req;
    cJSON *root = payload(PT_TICKET_SLACK, 0, false, &req);
    assert_string_equal(req.url, "https://t.example");
    cJSON *blocks = cJSON_GetObjectItem(root, "blocks");
    const char *s = cJSON_GetObjectItem(cJSON_GetArrayItem(blocks, 1), "text")
                        ->child->next->valuestring;
    assert_non_null(strstr(s, "&lt;!channel&gt;"));
    assert_null(strstr(s, "<!channel>"));
    assert_non_null(strstr(s, "<https://example.com/kb?a=1&b=2|Vendor KB>"));
    assert_null(strstr(s, "<https://example.com/a|b"));
    cJSON_Delete(root);
    pt_buf_free(&req.body);
}

static void teams_card_escapes_markdown_and_links_only_clean_urls(void **state)
{
    (void)state;
    pt_ticket_request req;
    cJSON *root = payload(PT_TICKET_TEAMS, 0, false, &req);
    cJSON *card = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "attachments"),
                                                         0), "content");
    char *text = cJSON_PrintUnformatted(card);
    assert_non_null(strstr(text, "\\\\*bold\\\\* \\\\[x|https://evil.example\\\\]"));
    cJSON *actions = cJSON_GetObjectItem(card, "actions");
    assert_int_equal(cJSON_GetArraySize(actions), 1);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(actions, 0), "url")->valuestring,
                        "https://example.com/kb?a=1&b=2");
    cJSON_free(text);
    cJSON_Delete(root);
    pt_buf_free(&req.body);
}

static void kinds_parse_by_name(void **state)
{
    (void)state;
    pt_ticket_kind k;
    assert_true(pt_ticket_kind_parse("slack", &k));
    assert_int_equal(k, PT_TICKET_SLACK);
    assert_true(pt_ticket_kind_parse("teams", &k));
    assert_int_equal(k, PT_TICKET_TEAMS);
    assert_string_equal(pt_ticket_kind_name(PT_TICKET_TEAMS), "teams");
    assert_false(pt_ticket_kind_parse("email", &k));
}

/* Makes `path` readable by its owner alone, or by everyone too: mode bits
 * on POSIX; on Windows a protected DACL granting this user, plus Everyone
 * when shared. */
static void set_private(const char *path, bool shared)
{
#ifdef _WIN32
    HANDLE tok;
    char buf[256];
    DWORD got;
    assert_true(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok));
    assert_true(GetTokenInformation(tok, TokenUser, buf, sizeof buf, &got));
    CloseHandle(tok);
    SID_IDENTIFIER_AUTHORITY world = SECURITY_WORLD_SID_AUTHORITY;
    PSID everyone;
    assert_true(AllocateAndInitializeSid(&world, 1, SECURITY_WORLD_RID, 0, 0, 0, 0, 0, 0, 0,
                                         &everyone));
    EXPLICIT_ACCESSW ea[2];
    memset(ea, 0, sizeof ea);
    PSID sids[2] = {((TOKEN_USER *)buf)->User.Sid, everyone};
    for (int i = 0; i < 2; i++) {
        ea[i].grfAccessPermissions = GENERIC_ALL;
        ea[i].grfAccessMode = SET_ACCESS;
        ea[i].Trustee.TrusteeForm = TRUSTEE_IS_SID;
        ea[i].Trustee.ptstrName = (LPWSTR)sids[i];
    }
    PACL acl = NULL;
    assert_int_equal(SetEntriesInAclW(shared ? 2 : 1, ea, NULL, &acl), ERROR_SUCCESS);
    wchar_t w[1024];
    MultiByteToWideChar(CP_UTF8, 0, path, -1, w, 1024);
    assert_int_equal(SetNamedSecurityInfoW(w, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION |
                                           PROTECTED_DACL_SECURITY_INFORMATION, NULL, NULL,
                                           acl, NULL), ERROR_SUCCESS);
    LocalFree(acl);
    FreeSid(everyone);
#else
    assert_int_equal(pt_platform_chmod(path, shared ? 0644 : 0600), 0);
#endif
}

static void a_credentials_file_others_can_read_is_refused(void **state)
{
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", test_join(pt_platform_temp_root(), "pt-creds-XXXXXX"));
    assert_non_null(pt_platform_make_temp_dir(dir));
    char path[4200];
    snprintf(path, sizeof path, "%s", test_join(dir, "creds"));
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("user = bot\ntoken = s3cret\n", f);
    fclose(f);
    pt_platform_setenv("POOLTRIAGE_TICKET_CREDENTIALS", path);
    pt_ticket_creds c;
    pt_error err = {0};
    set_private(path, true);
    assert_int_equal(pt_ticket_creds_load(&c, &err), PT_EUSAGE);
    assert_non_null(strstr(err.message, "readable by others"));
    assert_non_null(strstr(err.message, pt_platform_private_hint()));
    set_private(path, false);
#ifdef _WIN32
    HMODULE nt = GetModuleHandleW(L"ntdll.dll");
    if (nt && GetProcAddress(nt, "wine_get_version")) {
        /* Wine shows a file's Unix mode as its DACL (0600: the user and
         * SYSTEM; 0644 adds Everyone) and cannot narrow that mode through
         * SetNamedSecurityInfo: the file stays shared, and is refused. */
        print_message("Wine: a DACL cannot make the file private; its Unix mode decides\n");
        assert_int_equal(pt_ticket_creds_load(&c, &err), PT_EUSAGE);
        pt_platform_setenv("POOLTRIAGE_TICKET_CREDENTIALS", "");
        test_remove_tree(dir);
        return;
    }
#endif
    assert_int_equal(pt_ticket_creds_load(&c, &err), PT_OK);
    assert_string_equal(c.user, "bot");
    assert_string_equal(c.token, "s3cret");
    pt_platform_setenv("POOLTRIAGE_TICKET_CREDENTIALS", "");
    test_remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jira_api_2_description_is_escaped_wiki_markup),
        cmocka_unit_test(jira_api_2_comment_body_is_a_string),
        cmocka_unit_test(jira_api_3_stays_atlassian_document_format),
        cmocka_unit_test(slack_text_cannot_mention_or_link),
        cmocka_unit_test(teams_card_escapes_markdown_and_links_only_clean_urls),
        cmocka_unit_test(kinds_parse_by_name),
        cmocka_unit_test(a_credentials_file_others_can_read_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
