/*
 * report_html_chart.c - the report stage's HTML building blocks: one
 * self-contained page (inline CSS, a Content-Security-Policy that lets
 * nothing load and nothing run), escaped text, and two SVG charts written
 * by hand: bytes over time per tag (a series) and each tag's share of its
 * pool (one capture).
 */
#include "pt_report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- text ---- */

/* The one HTML escaper of the engine (text.c): every piece of text a page
 * shows goes through it. */
void pt_html_text(pt_buf *out, const char *s)
{
    pt_html_escape(out, s ? s : "");
}

/* printf into out where the whole result is escaped (numbers and trusted
 * words only: the format must not carry markup). */
void pt_html_printf(pt_buf *out, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pt_html_text(out, buf);
}

static bool web_url(const char *url)
{
    return url && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0);
}

void pt_html_link(pt_buf *out, const char *title, const char *url)
{
    if (!web_url(url)) {
        pt_html_text(out, title ? title : url);
        return;
    }
    pt_buf_puts(out, "<a rel=\"noreferrer noopener\" href=\"");
    pt_html_text(out, url);
    pt_buf_puts(out, "\">");
    pt_html_text(out, title ? title : url);
    pt_buf_puts(out, "</a>");
}

/* "4.71 GiB" */
void pt_html_bytes(char *buf, size_t len, double v)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (fabs(v) >= 1024.0 && u < 4) {
        v /= 1024.0;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%.0f B", v);
    else
        snprintf(buf, len, "%.*f %s", fabs(v) < 10 ? 2 : fabs(v) < 100 ? 1 : 0, v, units[u]);
}

/* ---- the page ---- */

static const char css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d2430;"
    "background:#f6f7f9}"
    "main{max-width:1100px;margin:0 auto;padding:24px}"
    "h1{font-size:20px;margin:0 0 8px}h2{font-size:17px;margin:24px 0 8px}"
    "h3{font-size:15px;margin:16px 0 6px}"
    ".verdict{padding:14px 18px;border-radius:8px;color:#fff;background:#44505f}"
    ".lvl-known{background:#9b1c1c}.lvl-likely{background:#c2410c}"
    ".lvl-suspect{background:#a16207}.lvl-info{background:#0e7490}.lvl-clean{background:#15803d}"
    ".facts{color:#4a5568;margin:8px 0 0}"
    "section.card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:4px 18px 14px;"
    "margin:16px 0}"
    "ol.chain li{margin:3px 0}.tag{font-family:ui-monospace,Consolas,monospace;"
    "background:#eef1f5;padding:0 4px;border-radius:3px;white-space:pre}"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;"
    "border-bottom:1px solid #e5e8ec}td.num,th.num{text-align:right;"
    "font-variant-numeric:tabular-nums}"
    ".fp{font-family:ui-monospace,Consolas,monospace;font-size:12px;color:#4a5568;"
    "word-break:break-all}"
    "svg{max-width:100%;height:auto;background:#fff}"
    "svg text{font:12px system-ui,sans-serif;fill:#4a5568}"
    "svg .axis{stroke:#9aa4b2;stroke-width:1}svg .grid{stroke:#e5e8ec;stroke-width:1}"
    "svg .series polyline{fill:none;stroke-width:2}"
    "svg .series text{stroke:none;fill:inherit}"
    "svg .series.leak polyline{stroke-width:4}svg .limit{stroke:#9b1c1c;stroke-width:2;"
    "stroke-dasharray:6 4}svg .projection{fill:none;stroke:#9b1c1c;stroke-width:2;"
    "stroke-dasharray:2 4}svg text.leak{fill:#9b1c1c;font-weight:bold}"
    "footer{color:#6b7280;font-size:12px;margin:24px 0}";

void pt_html_page_start(pt_buf *out, const char *title)
{
    pt_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                     "style-src 'unsafe-inline'; img-src data:\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<meta name=\"generator\" content=\"pooltriage ");
    pt_buf_puts(out, PT_VERSION);
    pt_buf_puts(out, "\">\n<title>");
    pt_html_text(out, title);
    pt_buf_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n", css);
}

void pt_html_page_end(pt_buf *out, const char *footer)
{
    pt_buf_puts(out, "<footer>");
    pt_html_text(out, footer);
    pt_buf_puts(out, "</footer>\n</main>\n</body>\n</html>\n");
}

/* ---- charts ---- */

static const char *const palette[] = {"#2563eb", "#059669", "#7c3aed", "#d97706",
                                      "#0891b2", "#db2777", "#4b5563", "#65a30d"};
#define LEAK_COLOUR "#dc2626"

enum { W = 960, H = 380, L = 90, R = 150, T = 20, B = 50 };

static double nice_max(double v)
{
    if (v <= 0)
        return 1;
    double p = pow(10, floor(log10(v)));
    for (int m = 1; m <= 10; m++)
        if (m * p >= v)
            return m * p;
    return 10 * p;
}

static void y_axis(pt_buf *out, double ymax)
{
    for (int i = 0; i <= 5; i++) {
        double val = ymax * i / 5.0;
        double y = T + (H - T - B) * (1 - i / 5.0);
        char b[40];
        pt_html_bytes(b, sizeof b, val);
        pt_buf_printf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                      "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                      L, y, W - R, y, L - 6, y + 4, b);
    }
    pt_buf_printf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                  "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
                  L, T, L, H - B, L, H - B, W - R, H - B);
}

void pt_html_series_chart(pt_buf *out, const pt_html_series *s, size_t count,
                          const double *xs, const char *const *xlabels, size_t points,
                          const pt_html_limit *limit)
{
    double xmin = xs[0], xmax = xs[points - 1], ymax = 0;
    for (size_t i = 0; i < count; i++)
        for (size_t p = 0; p < points; p++)
            if (s[i].bytes[p] > ymax)
                ymax = s[i].bytes[p];
    double cross_x = NAN;
    if (limit && limit->level > 0) {
        if (limit->level > ymax)
            ymax = limit->level;
        if (limit->hours >= 0 && limit->hours <= 3 * (xmax - xmin) + 1)
            cross_x = xmax + limit->hours;
    }
    if (!isnan(cross_x) && cross_x > xmax)
        xmax = cross_x;
    if (xmax <= xmin)
        xmax = xmin + 1;
    ymax = nice_max(ymax * 1.05);
#define PX(x) (L + (W - L - R) * ((x) - xmin) / (xmax - xmin))
#define PY(y) (T + (H - T - B) * (1 - (y) / ymax))
    pt_buf_printf(out, "<svg id=\"series-chart\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" "
                  "height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">\n"
                  "<title>Pool bytes over time, top tags</title>\n", W, H, W, H);
    y_axis(out, ymax);
    for (size_t p = 0; p < points; p++) {
        pt_buf_printf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", PX(xs[p]),
                      H - B + 18);
        pt_html_text(out, xlabels[p]);
        pt_buf_puts(out, "</text>\n");
    }
    if (limit && limit->level > 0) {
        pt_buf_printf(out, "<g id=\"limit\" data-bytes=\"%.0f\"><line class=\"limit\" x1=\"%d\" "
                      "y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/><text class=\"leak\" x=\"%d\" "
                      "y=\"%.1f\">limit: ", limit->level, L, PY(limit->level), W - R,
                      PY(limit->level), L + 6, PY(limit->level) - 6);
        pt_html_text(out, limit->label);
        pt_buf_puts(out, "</text></g>\n");
    }
    /* labels at the right end of each line, pushed apart so none overlap */
    double label_y[16];
    size_t order[16];
    if (count > 16)
        count = 16;
    for (size_t i = 0; i < count; i++) {
        label_y[i] = PY(s[i].bytes[points - 1]) + 4;
        order[i] = i;
    }
    for (size_t i = 1; i < count; i++)
        for (size_t j = i; j > 0 && label_y[order[j]] < label_y[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t k = count; k-- > 1;)     /* from the bottom up */
        if (label_y[order[k - 1]] > label_y[order[k]] - 14)
            label_y[order[k - 1]] = label_y[order[k]] - 14;
    for (size_t i = 0; i < count; i++) {
        const char *colour = s[i].leak ? LEAK_COLOUR : palette[i % 8];
        pt_buf_printf(out, "<g class=\"series%s\" data-tag=\"", s[i].leak ? " leak" : "");
        pt_html_text(out, s[i].tag);
        pt_buf_printf(out, "\" data-pool=\"%s\" stroke=\"%s\" fill=\"%s\"><title>",
                      s[i].pool, colour, colour);
        pt_html_text(out, s[i].tag);
        pt_buf_printf(out, " (%s)</title><polyline points=\"", s[i].pool);
        for (size_t p = 0; p < points; p++)
            pt_buf_printf(out, "%s%.1f,%.1f", p ? " " : "", PX(xs[p]), PY(s[i].bytes[p]));
        pt_buf_puts(out, "\"/>");
        for (size_t p = 0; p < points; p++)
            pt_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" data-bytes=\"%.0f\"/>",
                          PX(xs[p]), PY(s[i].bytes[p]), s[i].leak ? 4 : 3, s[i].bytes[p]);
        if (s[i].leak && !isnan(cross_x) && limit)
            pt_buf_printf(out, "<polyline class=\"projection\" points=\"%.1f,%.1f %.1f,%.1f\"/>",
                          PX(xs[points - 1]), PY(s[i].bytes[points - 1]), PX(cross_x),
                          PY(limit->level));
        pt_buf_printf(out, "<text x=\"%d\" y=\"%.1f\"%s>", W - R + 8, label_y[i],
                      s[i].leak ? " class=\"leak\"" : "");
        pt_html_text(out, s[i].tag);
        pt_buf_printf(out, " %s</text></g>\n", s[i].pool);
    }
    pt_buf_puts(out, "</svg>\n");
#undef PX
#undef PY
}

void pt_html_share_chart(pt_buf *out, const char *id, const char *title,
                         const pt_html_bar *bars, size_t count)
{
    int row = 26, h = T + (int)count * row + 30;
    pt_buf_printf(out, "<svg id=\"%s\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" "
                  "height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">\n<title>", id, W, h, W, h);
    pt_html_text(out, title);
    pt_buf_puts(out, "</title>\n");
    int x0 = 70, width = W - x0 - 230;
    for (int i = 0; i <= 4; i++) {
        double x = x0 + width * i / 4.0;
        pt_buf_printf(out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                      "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d%%</text>\n",
                      x, T - 6, x, T + (int)count * row, x, T + (int)count * row + 16, i * 25);
    }
    for (size_t i = 0; i < count; i++) {
        const pt_html_bar *b = &bars[i];
        double share = b->share < 0 ? 0 : b->share > 1 ? 1 : b->share;
        int y = T + (int)i * row;
        char bytes[40];
        pt_html_bytes(bytes, sizeof bytes, (double)b->bytes);
        pt_buf_puts(out, "<g class=\"bar\" data-tag=\"");
        pt_html_text(out, b->label);
        pt_buf_printf(out, "\" data-share=\"%.4f\"><title>", share);
        pt_html_text(out, b->label);
        pt_buf_printf(out, ": %.1f%%</title><text x=\"%d\" y=\"%d\" text-anchor=\"end\"%s>",
                      share * 100, x0 - 8, y + 16, b->leak ? " class=\"leak\"" : "");
        pt_html_text(out, b->label);
        pt_buf_printf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                      "fill=\"%s\"/><text x=\"%.1f\" y=\"%d\"%s>%.1f%% (%s",
                      x0, y + 3, width * share < 1 ? 1 : width * share, row - 8,
                      b->leak ? LEAK_COLOUR : palette[0], x0 + width * share + 6, y + 16,
                      b->leak ? " class=\"leak\"" : "", share * 100, "");
        pt_html_text(out, b->value ? b->value : bytes);
        if (b->note) {
            pt_buf_puts(out, ", ");
            pt_html_text(out, b->note);
        }
        pt_buf_puts(out, ")</text></g>\n");
    }
    pt_buf_puts(out, "</svg>\n");
}
