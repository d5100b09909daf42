package org.tanso.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statistics table of a Gatling HTML report (index.html): per request name and for all
 * requests, the counts, throughput and response-time percentiles that Gatling computed from its own
 * simulation log.
 */
record GatlingStats(Map<String, Row> requests) {

  /** One row: counts, mean throughput over the run, and response times in milliseconds. */
  record Row(
      long total,
      long ok,
      long ko,
      double perSecond,
      long min,
      long p50,
      long p75,
      long p95,
      long p99,
      long max,
      long mean) {}

  static final String ALL = "All Requests";

  private static final Pattern ROW =
      Pattern.compile("<tr id=\"[^\"]*\"[^>]*>(.*?)</tr>", Pattern.DOTALL);
  private static final Pattern NAME = Pattern.compile("class=\"ellipsed-name\">([^<]*)</span>");
  private static final Pattern CELL =
      Pattern.compile("<td class=\"value [a-z]+ col-(\\d+)\">([^<]*)</td>");

  static GatlingStats read(Path reportDir) throws IOException {
    return parse(Files.readString(reportDir.resolve("index.html"), StandardCharsets.UTF_8));
  }

  static GatlingStats parse(String html) {
    Map<String, Row> rows = new LinkedHashMap<>();
    Matcher row = ROW.matcher(html);
    while (row.find()) {
      Matcher name = NAME.matcher(row.group(1));
      if (!name.find()) {
        continue;
      }
      Map<Integer, String> cells = new LinkedHashMap<>();
      Matcher cell = CELL.matcher(row.group(1));
      while (cell.find()) {
        cells.put(Integer.parseInt(cell.group(1)), cell.group(2).trim());
      }
      if (cells.size() < 12) {
        continue;
      }
      rows.put(
          unescape(name.group(1)),
          new Row(
              num(cells, 2),
              num(cells, 3),
              num(cells, 4),
              dec(cells, 6),
              num(cells, 7),
              num(cells, 8),
              num(cells, 9),
              num(cells, 10),
              num(cells, 11),
              num(cells, 12),
              num(cells, 13)));
    }
    if (!rows.containsKey(ALL)) {
      throw new IllegalStateException("no statistics table in the Gatling report");
    }
    return new GatlingStats(rows);
  }

  Row all() {
    return requests.get(ALL);
  }

  private static long num(Map<Integer, String> cells, int col) {
    String v = cells.getOrDefault(col, "-");
    return v.equals("-") || v.isEmpty() ? 0 : Math.round(Double.parseDouble(v.replace(",", "")));
  }

  private static double dec(Map<Integer, String> cells, int col) {
    String v = cells.getOrDefault(col, "-");
    return v.equals("-") || v.isEmpty() ? 0 : Double.parseDouble(v.replace(",", ""));
  }

  private static String unescape(String s) {
    return s.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'");
  }
}
