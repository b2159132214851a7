package dev.ravine.report;

import java.util.List;

/** The pieces of ravine's self-contained HTML pages: one inline style sheet, escaped text, tables, figures. */
final class Html {
    private Html() {
    }

    static final String STYLE = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;"
            + "color:#222}h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}table{border-collapse:collapse;"
            + "margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left;font-size:.92em}th{background:#f4f4f4}"
            + "figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #eee}figcaption{color:#555;font-size:.92em;margin-top:.3em}"
            + "code{background:#f4f4f4;padding:0 .2em}";

    static String escape(Object o) {
        String s = String.valueOf(o);
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title><style>" + STYLE
                + "</style></head><body>\n" + body + "</body></html>\n";
    }

    /** Rows of (name, value) cells. */
    static String keyValues(List<String[]> rows) {
        StringBuilder sb = new StringBuilder("<table>");
        for (String[] r : rows) sb.append("<tr><th>").append(escape(r[0])).append("</th><td>").append(escape(r[1])).append("</td></tr>");
        return sb.append("</table>\n").toString();
    }

    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("<table><tr>");
        for (String h : header) sb.append("<th>").append(escape(h)).append("</th>");
        sb.append("</tr>");
        for (List<String> r : rows) {
            sb.append("<tr>");
            for (String c : r) sb.append("<td>").append(escape(c)).append("</td>");
            sb.append("</tr>");
        }
        return sb.append("</table>\n").toString();
    }

    /** A chart as an inline PNG, its title as the alternative text, its caption below. */
    static String figure(LineChart c) {
        return figure(c.title(), c.png(), LineChart.WIDTH, c.caption());
    }

    static String figure(String title, byte[] png, int width, String caption) {
        return "<figure><img alt=\"" + escape(title) + "\" src=\"data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png)
                + "\" width=\"" + width + "\"><figcaption>" + escape(caption) + "</figcaption></figure>\n";
    }

    static String number(double v) {
        if (!Double.isFinite(v)) return "";
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e6) ? String.format(java.util.Locale.ROOT, "%.3e", v) : String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
