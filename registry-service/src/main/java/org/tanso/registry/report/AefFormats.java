package org.tanso.registry.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.time.temporal.Temporal;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.tanso.http.ApiException;

/**
 * The AEF report as CSV (one table at a time) and as an XLSX workbook (one sheet per table),
 * columns as the records name them.
 */
final class AefFormats {

  static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

  private static final CsvMapper CSV =
      CsvMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private AefFormats() {}

  /**
   * The table {@code actions} (default), {@code authorisations}, {@code holdings}, {@code totals}
   * or {@code submission}.
   */
  static String csv(AefReport report, String table) {
    String name = table == null || table.isBlank() ? "actions" : table;
    try {
      return switch (name) {
        case "actions" -> csv(report.actions(), AefReport.Action.class);
        case "authorisations" -> csv(report.authorisations(), AefReport.Authorisation.class);
        case "holdings" -> csv(report.holdings(), AefReport.Holding.class);
        case "totals" -> csv(report.totals(), AefReport.Total.class);
        case "submission" -> csv(List.of(report.submission()), AefReport.Submission.class);
        default ->
            throw ApiException.malformed(
                "table must be one of submission, authorisations, actions, holdings, totals");
      };
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing the AEF report as CSV failed", e);
    }
  }

  private static <T extends Record> String csv(List<T> rows, Class<T> type)
      throws JsonProcessingException {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    for (RecordComponent component : type.getRecordComponents()) {
      schema.addColumn(component.getName());
    }
    return CSV.writerFor(CSV.getTypeFactory().constructCollectionType(List.class, type))
        .with(schema.build())
        .writeValueAsString(rows);
  }

  static byte[] workbook(AefReport report) {
    try (XSSFWorkbook workbook = new XSSFWorkbook();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      CellStyle bold = workbook.createCellStyle();
      Font font = workbook.createFont();
      font.setBold(true);
      bold.setFont(font);
      sheet(
          workbook.createSheet("Submission"),
          List.of(report.submission()),
          AefReport.Submission.class,
          bold);
      sheet(
          workbook.createSheet("Authorisations"),
          report.authorisations(),
          AefReport.Authorisation.class,
          bold);
      sheet(workbook.createSheet("Actions"), report.actions(), AefReport.Action.class, bold);
      sheet(workbook.createSheet("Holdings"), report.holdings(), AefReport.Holding.class, bold);
      sheet(workbook.createSheet("Totals"), report.totals(), AefReport.Total.class, bold);
      workbook.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("writing the AEF workbook failed", e);
    }
  }

  private static <T extends Record> void sheet(
      Sheet sheet, List<T> rows, Class<T> type, CellStyle header) {
    RecordComponent[] components = type.getRecordComponents();
    Row head = sheet.createRow(0);
    for (int i = 0; i < components.length; i++) {
      Cell cell = head.createCell(i);
      cell.setCellValue(components[i].getName());
      cell.setCellStyle(header);
    }
    int r = 1;
    for (T row : rows) {
      Row line = sheet.createRow(r++);
      for (int i = 0; i < components.length; i++) {
        Object value;
        try {
          value = components[i].getAccessor().invoke(row);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
        if (value == null) {
          continue;
        }
        Cell cell = line.createCell(i);
        if (value instanceof Number n) {
          cell.setCellValue(n.doubleValue());
        } else if (value instanceof Temporal t) {
          cell.setCellValue(t.toString());
        } else {
          cell.setCellValue(value.toString());
        }
      }
    }
    sheet.createFreezePane(0, 1);
  }
}
