/* test_ticket.c - the ticket payloads without the network: Jira REST API 2
 * (wiki markup) and 3 (ADF), Slack and Teams messages, and that text from
 * reports (host names) cannot add markup or links of its own. */
#include "test_support.h"
#include "pt_ticket.h"

#include <cJSON.h>
#include <string.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jira_api_2_description_is_escaped_wiki_markup),
        cmocka_unit_test(jira_api_2_comment_body_is_a_string),
        cmocka_unit_test(jira_api_3_stays_atlassian_document_format),
        cmocka_unit_test(slack_text_cannot_mention_or_link),
        cmocka_unit_test(teams_card_escapes_markdown_and_links_only_clean_urls),
        cmocka_unit_test(kinds_parse_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
