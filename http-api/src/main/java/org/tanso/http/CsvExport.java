package org.tanso.http;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A public list as CSV, streamed: one header row, then one row per row of a read-only JDBC cursor
 * ({@link ReadOnlyCursor}), written to the response as it is read, so memory stays constant
 * whatever the length of the list.
 *
 * <p>RFC 4180: fields separated by commas, lines ended by CRLF, a field that holds a comma, a
 * double quote, CR or LF (or leading/trailing spaces) is quoted with its quotes doubled (Jackson's
 * CSV generator does the quoting). Text that a spreadsheet would run as a formula (it starts with
 * {@code =}, {@code +}, {@code -}, {@code @}, TAB or CR) is written with a leading apostrophe, as
 * OWASP advises against CSV injection; numbers are written as they are. The answer is {@code
 * text/csv; charset=utf-8}, an attachment named by the resource, with an ETag derived from a
 * fingerprint of the data the resource supplies (never from the body, which is not buffered).
 */
@ApplicationScoped
public class CsvExport {

  public static final String MEDIA_TYPE = "text/csv; charset=utf-8";

  private static final MediaType CSV = new MediaType("text", "csv");
  private static final Pattern FORMULA = Pattern.compile("^[=+\\-@\t\r].*", Pattern.DOTALL);
  private static final CsvMapper MAPPER =
      CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

  private final ReadOnlyCursor cursor;

  CsvExport(ReadOnlyCursor cursor) {
    this.cursor = cursor;
  }

  /**
   * What a public list exports: the file name, a fingerprint of the data (e.g. count, highest id
   * and latest change of the filtered rows, plus the filter), the column names, and the query whose
   * rows become the CSV rows, one each, through {@code row}.
   */
  public record Export(
      String filename,
      String fingerprint,
      List<String> columns,
      String sql,
      List<?> parameters,
      Row row) {}

  /** The values of one CSV row, in column order, from the cursor's current row. */
  @FunctionalInterface
  public interface Row {
    List<?> values(ResultSet rs) throws SQLException;
  }

  /**
   * Whether the client asked for CSV rather than JSON: the first acceptable type (by quality) that
   * is either decides; {@code *}{@code /*} or no Accept means JSON.
   */
  public static boolean requested(HttpHeaders headers) {
    for (MediaType type : headers.getAcceptableMediaTypes()) {
      if (type.isWildcardType()) {
        return false;
      }
      if (type.isCompatible(CSV) && !type.isWildcardSubtype()) {
        return true;
      }
      if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
        return false;
      }
    }
    return false;
  }

  /** The streamed answer; the query runs only when the body is written (not for a 304). */
  public Response response(Export export) {
    StreamingOutput body = out -> write(export, out);
    return Response.ok(body, MEDIA_TYPE)
        .header(HttpHeaders.ETAG, PublicCaching.etag("text/csv\n" + export.fingerprint()))
        .header("Content-Disposition", "attachment; filename=\"" + export.filename() + "\"")
        .build();
  }

  /** Writes the header row and every row of the query to {@code out}. */
  public void write(Export export, OutputStream out) throws IOException {
    CsvSchema.Builder schema =
        CsvSchema.builder().setUseHeader(true).setLineSeparator("\r\n").disableEscapeChar();
    for (String column : export.columns()) {
      schema.addColumn(column);
    }
    try (SequenceWriter writer =
        MAPPER.writerFor(List.class).with(schema.build()).writeValues(out)) {
      cursor.forEach(
          export.sql(),
          export.parameters(),
          rs -> {
            try {
              writer.write(neutralised(export.row().values(rs)));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Text that a spreadsheet would run as a formula gets a leading apostrophe. */
  static List<Object> neutralised(List<?> values) {
    List<Object> row = new ArrayList<>(values.size());
    for (Object value : values) {
      if (value instanceof String text && FORMULA.matcher(text).matches()) {
        row.add("'" + text);
      } else {
        row.add(value == null ? "" : value);
      }
    }
    return row;
  }
}
