package org.tanso.audit.certificate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TimeZone;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PageMode;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDBorderStyleDictionary;

/**
 * Renders a certificate as one A4 page, with its proof embedded as {@code proof.json}. The same
 * certificate always gives the same bytes (document id and dates come from the certificate), so
 * caches and signatures over the file hold.
 *
 * <p>The standard PDF fonts are used (nothing to ship or embed); they cover Western European text,
 * and a character outside it is printed as '?'. The attachment keeps every value exactly.
 */
final class CertificatePdf {

  static final String ATTACHMENT = "proof.json";

  private static final float WIDTH = PDRectangle.A4.getWidth();
  private static final float HEIGHT = PDRectangle.A4.getHeight();
  private static final float MARGIN = 52;
  private static final float CONTENT = WIDTH - 2 * MARGIN;
  private static final float LABEL = 128;
  private static final float FOOTER_TOP = 92;
  private static final int MAX_RANGE_LINES = 6;
  private static final int MAX_STATEMENT_LINES = 3;
  private static final int MAX_UNIT_IDS_WITH_ARTICLE6 = 2;
  private static final int VERIFICATION_LINES = 6;
  private static final float PATH_LINE = 8.4f;

  private static final float[] GREEN = {0.09f, 0.33f, 0.24f};
  private static final float[] GOLD = {0.78f, 0.64f, 0.29f};
  private static final float[] PALE = {0.94f, 0.97f, 0.95f};
  private static final float[] INK = {0.12f, 0.12f, 0.12f};
  private static final float[] GREY = {0.38f, 0.40f, 0.40f};
  private static final float[] LINK = {0.05f, 0.25f, 0.60f};

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY_TIME =
      DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm:ss 'UTC'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private CertificatePdf() {}

  static byte[] render(Certificate c) {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      Fonts fonts = new Fonts();
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        new Layout(cs, page, fonts).draw(c);
      }
      attachProof(doc, c);
      describe(doc, c);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("the certificate could not be rendered", e);
    }
  }

  private record Fonts(PDFont regular, PDFont bold) {
    Fonts() {
      this(
          new PDType1Font(Standard14Fonts.FontName.HELVETICA),
          new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD));
    }
  }

  /** Draws top-down; {@code y} is the baseline of the next line. */
  private static final class Layout {
    private final PDPageContentStream cs;
    private final PDPage page;
    private final Fonts f;
    private float y;

    /** The lowest baseline the fields may use: the verification block needs the rest. */
    private float limit;

    private boolean full;

    Layout(PDPageContentStream cs, PDPage page, Fonts fonts) {
      this.cs = cs;
      this.page = page;
      this.f = fonts;
    }

    void draw(Certificate c) throws IOException {
      limit = FOOTER_TOP + 14 + verificationHeight(c.proof()) + 10;
      frame();
      header(c);
      y = HEIGHT - 152;
      statement(c);
      figures(c);
      section("Retirement");
      row("Retirement id", c.retirementId());
      row("Date", dayTime(c.retiredAt()));
      row("Beneficiary", c.beneficiary());
      row("Purpose", purpose(c.purpose()));
      row("Using party", c.usingParty());
      row("Quantity", c.quantity() + " units (" + c.quantity() + " t CO2e)");
      row("Project", joined(c.units(), u -> projectText(u)));
      rows("Unit ids and serials", rangeLines(c.units()), f.regular(), 9.5f);
      article6(c);
      verification(c);
      footer(c);
    }

    private void frame() throws IOException {
      cs.setStrokingColor(GREEN[0], GREEN[1], GREEN[2]);
      cs.setLineWidth(2.2f);
      cs.addRect(18, 18, WIDTH - 36, HEIGHT - 36);
      cs.stroke();
      cs.setLineWidth(0.6f);
      cs.addRect(23, 23, WIDTH - 46, HEIGHT - 46);
      cs.stroke();
    }

    private void header(Certificate c) throws IOException {
      float top = HEIGHT - 23;
      float bottom = HEIGHT - 118;
      fill(GREEN);
      cs.addRect(23, bottom, WIDTH - 46, top - bottom);
      cs.fill();
      fill(GOLD);
      cs.addRect(23, bottom - 3, WIDTH - 46, 3);
      cs.fill();
      text(
          MARGIN,
          HEIGHT - 50,
          f.bold(),
          9.5f,
          new float[] {0.82f, 0.93f, 0.87f},
          c.registryName().toUpperCase(Locale.ROOT));
      String number = "No. " + c.retirementId();
      text(
          WIDTH - MARGIN - width(f.bold(), 10.5f, number),
          HEIGHT - 50,
          f.bold(),
          10.5f,
          new float[] {1, 1, 1},
          number);
      text(MARGIN, HEIGHT - 84, f.bold(), 25, new float[] {1, 1, 1}, "Certificate of Retirement");
      text(
          MARGIN,
          HEIGHT - 104,
          f.regular(),
          10,
          new float[] {0.85f, 0.93f, 0.89f},
          "Carbon credits retired on the registry on behalf of a beneficiary. Retired units never"
              + " move again.");
    }

    private void statement(Certificate c) throws IOException {
      StringBuilder s =
          new StringBuilder("This certifies that ")
              .append(c.quantity())
              .append(c.quantity() == 1 ? " carbon credit (" : " carbon credits (")
              .append(c.quantity())
              .append(" t CO2e) were retired on ")
              .append(day(c.retiredAt()))
              .append(" on behalf of ")
              .append(orDash(c.beneficiary()));
      if (c.purpose() != null) {
        s.append(", for ").append(purposeShort(c.purpose()));
        if (c.usingParty() != null) {
          s.append(" use by ").append(c.usingParty());
        }
      }
      s.append('.');
      List<String> lines = wrap(s.toString(), f.regular(), 11.5f, CONTENT);
      for (int i = 0; i < Math.min(lines.size(), MAX_STATEMENT_LINES); i++) {
        String line = lines.get(i);
        if (i == MAX_STATEMENT_LINES - 1 && lines.size() > MAX_STATEMENT_LINES) {
          line = line + " ...";
        }
        text(MARGIN, y, f.regular(), 11.5f, INK, line);
        y -= 15.5f;
      }
      y -= 8;
    }

    /** The three figures a reader looks for first, in a band of cells. */
    private void figures(Certificate c) throws IOException {
      String[][] cells = {
        {"Quantity retired", c.quantity() + " t CO2e"},
        {"Project", orDash(joined(c.units(), Certificate.Units::project))},
        {"Vintage", orDash(joined(c.units(), Certificate.Units::vintage))}
      };
      float height = 46;
      float gap = 10;
      float cell = (CONTENT - 2 * gap) / 3;
      float bottom = y - height + 10;
      for (int i = 0; i < cells.length; i++) {
        float x = MARGIN + i * (cell + gap);
        fill(PALE);
        cs.addRect(x, bottom, cell, height);
        cs.fill();
        fill(GREEN);
        cs.addRect(x, bottom, 3, height);
        cs.fill();
        text(
            x + 12,
            bottom + height - 15,
            f.bold(),
            7.5f,
            GREY,
            cells[i][0].toUpperCase(Locale.ROOT));
        float size = fit(cells[i][1], f.bold(), 15, cell - 20);
        text(x + 12, bottom + 10, f.bold(), size, GREEN, cells[i][1]);
      }
      y = bottom - 16;
    }

    /**
     * Whether what is next, reaching {@code below} under the current baseline, fits above the
     * verification block; when it does not, the page says where the rest is, once.
     */
    private boolean room(float below) throws IOException {
      if (full) {
        return false;
      }
      if (y - below >= limit) {
        return true;
      }
      text(
          MARGIN,
          y,
          f.regular(),
          9,
          GREY,
          "More than one page holds: every value is in " + ATTACHMENT + ".");
      y -= 16;
      full = true;
      return false;
    }

    private void section(String title) throws IOException {
      if (!title.equals("Verification") && !room(6 + 18 + 12)) {
        return;
      }
      y -= 6;
      text(MARGIN, y, f.bold(), 10.5f, GREEN, title.toUpperCase(Locale.ROOT));
      cs.setStrokingColor(GREEN[0], GREEN[1], GREEN[2]);
      cs.setLineWidth(0.7f);
      cs.moveTo(MARGIN, y - 4);
      cs.lineTo(WIDTH - MARGIN, y - 4);
      cs.stroke();
      y -= 18;
    }

    private void row(String label, String value) throws IOException {
      rows(label, List.of(orDash(value)), f.regular(), 9.5f);
    }

    /** A label and one or more values, each wrapped to the value column. */
    private void rows(String label, List<String> values, PDFont font, float size)
        throws IOException {
      List<String> lines = new ArrayList<>();
      for (String value : values) {
        lines.addAll(wrap(value, font, size, CONTENT - LABEL));
      }
      if (!room((lines.size() - 1) * (size + 3))) {
        return;
      }
      text(MARGIN, y, f.bold(), 8.5f, GREY, label);
      for (int i = 0; i < lines.size(); i++) {
        if (i > 0) {
          y -= size + 3;
        }
        text(MARGIN + LABEL, y, font, size, INK, lines.get(i));
      }
      y -= size + 7.5f;
    }

    private void article6(Certificate c) throws IOException {
      section("Article 6 of the Paris Agreement");
      List<Certificate.Units> units = c.units();
      int shown = 0;
      for (Certificate.Units u : units) {
        if (shown == MAX_UNIT_IDS_WITH_ARTICLE6) {
          row("More unit ids", (units.size() - shown) + " more: see " + ATTACHMENT);
          break;
        }
        shown++;
        String prefix = units.size() > 1 ? u.unitId() + ": " : "";
        Certificate.Article6 a = u.article6();
        if (a != null) {
          row(
              "Authorisation",
              prefix
                  + orDash(a.authorisationId())
                  + purposeSuffix(a.purpose())
                  + (a.cooperativeApproach() == null ? "" : ", " + a.cooperativeApproach()));
          row(
              "ITMO identifiers",
              "originating registry "
                  + orDash(a.originatingPartyRegistry())
                  + ", first transferring party "
                  + orDash(a.firstTransferringParty())
                  + ", vintage "
                  + orDash(u.vintage())
                  + ", serials as listed above");
        } else if ("MITIGATION_CONTRIBUTION".equals(u.authorisationStatus())) {
          row(
              "Authorisation",
              prefix
                  + "none: mitigation contribution units, not authorised for use towards an"
                  + " NDC or other international mitigation purposes");
        } else if (u.authorisationStatus() == null) {
          row("Authorisation", prefix + "issued in another registry; its log holds the details");
        } else {
          row("Authorisation", prefix + u.authorisationStatus());
        }
        // read from the first-transfer entries at the time of asking: not in the proved record
        row(
            "Corresponding adjustment",
            prefix
                + adjustment(u.correspondingAdjustment())
                + " (from the log's first-transfer entries; not covered by the proof below)");
      }
    }

    private void verification(Certificate c) throws IOException {
      Certificate.Proof p = c.proof();
      float label = 112;
      float value = 7.6f;
      List<String[]> lines = new ArrayList<>();
      lines.add(
          new String[] {
            "Public record",
            "audit log entry, sequence " + p.seq() + " (leaf index " + p.leafIndex() + ")"
          });
      lines.add(new String[] {"Leaf hash", p.leafHash()});
      lines.add(
          new String[] {
            "Signed checkpoint",
            "tree size " + p.checkpoint().treeSize() + ", signed " + p.checkpoint().timestamp()
          });
      lines.add(new String[] {"Root hash", p.checkpoint().rootHash()});
      lines.add(new String[] {"Key id", p.checkpoint().keyId() + " (Ed25519)"});
      lines.add(new String[] {"Signature", p.checkpoint().signature()});
      List<String> path = p.auditPath();
      int pathRows = (path.size() + 1) / 2;
      float boxHeight = boxHeight(p);
      // the block sits just above the footer; what the page leaves over goes before it
      y = FOOTER_TOP + 14 + verificationHeight(p);
      section("Verification");
      float boxTop = y + 8;
      fill(PALE);
      cs.addRect(MARGIN - 6, boxTop - boxHeight, CONTENT + 12, boxHeight);
      cs.fill();
      y -= 4;
      for (String[] line : lines) {
        text(MARGIN, y, f.bold(), 7.6f, GREY, line[0]);
        float size = fit(line[1], f.regular(), value, CONTENT - label);
        text(MARGIN + label, y, f.regular(), size, INK, line[1]);
        y -= 11.5f;
      }
      text(
          MARGIN,
          y,
          f.bold(),
          7.6f,
          GREY,
          "Audit path ("
              + path.size()
              + (path.size() == 1 ? " hash" : " hashes")
              + ", leaf to root, RFC 9162)");
      y -= 11;
      float column = CONTENT / 2;
      for (int i = 0; i < pathRows; i++) {
        text(MARGIN, y, f.regular(), 6.2f, INK, (i + 1) + ". " + path.get(i));
        if (i + pathRows < path.size()) {
          text(
              MARGIN + column + 4,
              y,
              f.regular(),
              6.2f,
              INK,
              (i + pathRows + 1) + ". " + path.get(i + pathRows));
        }
        y -= PATH_LINE;
      }
      y = boxTop - boxHeight - 16;
      text(MARGIN, y, f.bold(), 7.6f, GREY, "Verify online");
      float linkSize = fit(c.verifyUrl(), f.regular(), 8.5f, CONTENT - label);
      text(MARGIN + label, y, f.regular(), linkSize, LINK, c.verifyUrl());
      link(
          MARGIN + label,
          y - 2,
          width(f.regular(), linkSize, c.verifyUrl()),
          linkSize + 3,
          c.verifyUrl());
      y -= 14;
    }

    private static float boxHeight(Certificate.Proof p) {
      return 12 + VERIFICATION_LINES * 11.5f + 11 + (p.auditPath().size() + 1) / 2 * PATH_LINE + 4;
    }

    /** Section title, box, link. */
    private static float verificationHeight(Certificate.Proof p) {
      return 24 + boxHeight(p) + 26;
    }

    private void footer(Certificate c) throws IOException {
      float top = Math.min(y, FOOTER_TOP);
      cs.setStrokingColor(GREY[0], GREY[1], GREY[2]);
      cs.setLineWidth(0.4f);
      cs.moveTo(MARGIN, top);
      cs.lineTo(WIDTH - MARGIN, top);
      cs.stroke();
      float line = top - 11;
      String how =
          "Verify offline: this PDF carries "
              + ATTACHMENT
              + " (an embedded file) with the retirement's public"
              + " record as the audit log holds it, its audit path and the signed checkpoint. The"
              + " leaf hash is SHA-256 of 0x00 and the record's RFC 8785 canonical JSON without"
              + " prevHash and hash; folding the"
              + " audit path gives the root hash; the checkpoint's Ed25519 signature over"
              + " \"tanso-audit\\n{treeSize}\\n{rootHash}\\n{timestamp}\\n\" verifies with the"
              + " registry's public key, "
              + c.publicKeyUrl()
              + " (key id "
              + c.proof().checkpoint().keyId()
              + ").";
      for (String l : wrap(how, f.regular(), 7.4f, CONTENT)) {
        text(MARGIN, line, f.regular(), 7.4f, GREY, l);
        line -= 9.4f;
      }
      text(
          MARGIN,
          34,
          f.regular(),
          7.4f,
          GREY,
          "Issued by "
              + c.registryName()
              + " from its audit log. A certificate is only as good"
              + " as its proof: check it.");
    }

    private void fill(float[] rgb) throws IOException {
      cs.setNonStrokingColor(rgb[0], rgb[1], rgb[2]);
    }

    private void text(float x, float baseline, PDFont font, float size, float[] rgb, String s)
        throws IOException {
      cs.beginText();
      cs.setFont(font, size);
      fill(rgb);
      cs.newLineAtOffset(x, baseline);
      cs.showText(printable(font, s));
      cs.endText();
    }

    private void link(float x, float yBottom, float w, float h, String uri) throws IOException {
      PDAnnotationLink link = new PDAnnotationLink();
      link.setRectangle(new PDRectangle(x, yBottom, w, h));
      PDBorderStyleDictionary border = new PDBorderStyleDictionary();
      border.setWidth(0);
      link.setBorderStyle(border);
      PDActionURI action = new PDActionURI();
      action.setURI(uri);
      link.setAction(action);
      page.getAnnotations().add(link);
    }
  }

  private static void attachProof(PDDocument doc, Certificate c) throws IOException {
    byte[] json = c.proofJson().getBytes(StandardCharsets.UTF_8);
    PDEmbeddedFile file = new PDEmbeddedFile(doc, new ByteArrayInputStream(json));
    file.setSubtype("application/json");
    file.setSize(json.length);
    Calendar at = calendar(c.proof().checkpoint().timestamp());
    file.setCreationDate(at);
    file.setModDate(at);
    PDComplexFileSpecification spec = new PDComplexFileSpecification();
    spec.setFile(ATTACHMENT);
    spec.setFileUnicode(ATTACHMENT);
    spec.setEmbeddedFile(file);
    spec.setEmbeddedFileUnicode(file);
    spec.setFileDescription(
        "Proof that retirement " + c.retirementId() + " is in the signed audit log");
    // PDF 2.0 / PDF/A-3 associated file: the data the page shows
    spec.getCOSObject().setName(COSName.getPDFName("AFRelationship"), "Data");
    PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
    tree.setNames(Map.of(ATTACHMENT, spec));
    PDDocumentNameDictionary names = new PDDocumentNameDictionary(doc.getDocumentCatalog());
    names.setEmbeddedFiles(tree);
    doc.getDocumentCatalog().setNames(names);
    COSArray associated = new COSArray();
    associated.add(spec);
    doc.getDocumentCatalog().getCOSObject().setItem(COSName.getPDFName("AF"), associated);
    doc.getDocumentCatalog().setPageMode(PageMode.USE_ATTACHMENTS);
  }

  private static void describe(PDDocument doc, Certificate c) {
    PDDocumentInformation info = doc.getDocumentInformation();
    info.setTitle("Retirement certificate " + c.retirementId());
    info.setSubject(c.quantity() + " t CO2e retired on behalf of " + orDash(c.beneficiary()));
    info.setAuthor(c.registryName());
    info.setCreator("Tanso audit-service");
    info.setProducer("Tanso audit-service (Apache PDFBox)");
    info.setCreationDate(calendar(c.proof().checkpoint().timestamp()));
    // a fixed id from the content, so the same certificate is the same file
    byte[] id = sha256(c.toString());
    COSArray ids = new COSArray();
    ids.add(new COSString(Arrays.copyOf(id, 16)));
    ids.add(new COSString(Arrays.copyOf(id, 16)));
    doc.getDocument().getTrailer().setItem(COSName.ID, ids);
  }

  // ---- text ----

  private static List<String> rangeLines(List<Certificate.Units> units) {
    List<String> lines = new ArrayList<>();
    int total = units.stream().mapToInt(u -> u.ranges().size()).sum();
    int shown = 0;
    for (Certificate.Units u : units) {
      for (Certificate.Range r : u.ranges()) {
        if (shown == MAX_RANGE_LINES - 1 && total > MAX_RANGE_LINES) {
          lines.add("... and " + (total - shown) + " more ranges, all in " + ATTACHMENT);
          return lines;
        }
        lines.add(
            orDash(u.unitId())
                + "  serials "
                + r.start()
                + " to "
                + r.end()
                + " ("
                + r.quantity()
                + (r.quantity() == 1 ? " unit)" : " units)"));
        shown++;
      }
    }
    return lines.isEmpty() ? List.of("-") : lines;
  }

  private static String projectText(Certificate.Units u) {
    if (u.project() == null) {
      return null;
    }
    List<String> about = new ArrayList<>();
    if (u.mechanism() != null) {
      about.add(u.mechanism().replace('_', '.'));
    }
    if (u.hostParty() != null) {
      about.add("host party " + u.hostParty());
    }
    return about.isEmpty() ? u.project() : u.project() + " (" + String.join(", ", about) + ")";
  }

  private static String joined(
      List<Certificate.Units> units, java.util.function.Function<Certificate.Units, String> what) {
    Set<String> values = new LinkedHashSet<>();
    for (Certificate.Units u : units) {
      String v = what.apply(u);
      if (v != null) {
        values.add(v);
      }
    }
    return values.isEmpty() ? null : String.join("; ", values);
  }

  private static String purpose(String purpose) {
    if ("NDC".equals(purpose)) {
      return "NDC: use towards a nationally determined contribution";
    }
    if ("OIMP".equals(purpose)) {
      return "OIMP: other international mitigation purposes (e.g. CORSIA, voluntary)";
    }
    return purpose;
  }

  private static String purposeShort(String purpose) {
    return "NDC".equals(purpose) ? "NDC" : "OIMP".equals(purpose) ? "OIMP" : purpose;
  }

  private static String purposeSuffix(String purpose) {
    return purpose == null ? "" : " (authorised for " + purposeShort(purpose) + ")";
  }

  private static String adjustment(String status) {
    if (status == null) {
      return "-";
    }
    if (status.equals("NOT_APPLICABLE")) {
      return "not applicable";
    }
    if (status.equals("REQUIRED") || status.equals("PENDING")) {
      return status + ": not yet applied (the units have not been first transferred)";
    }
    return status;
  }

  private static String day(String at) {
    try {
      return DAY.format(Instant.parse(at));
    } catch (DateTimeParseException | NullPointerException e) {
      return orDash(at);
    }
  }

  private static String dayTime(String at) {
    try {
      return DAY_TIME.format(Instant.parse(at)) + " (" + at + ")";
    } catch (DateTimeParseException | NullPointerException e) {
      return orDash(at);
    }
  }

  private static Calendar calendar(String at) {
    GregorianCalendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.ROOT);
    try {
      calendar.setTimeInMillis(Instant.parse(at).toEpochMilli());
    } catch (DateTimeParseException | NullPointerException e) {
      calendar.setTimeInMillis(0);
    }
    return calendar;
  }

  private static String orDash(String value) {
    return value == null || value.isBlank() ? "-" : value;
  }

  /** The text with every character the font cannot show replaced by '?'. */
  static String printable(PDFont font, String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            cp -> {
              String ch = Character.isISOControl(cp) ? " " : new String(Character.toChars(cp));
              try {
                font.encode(ch);
                out.append(ch);
              } catch (IOException | IllegalArgumentException e) {
                out.append('?');
              }
            });
    return out.toString();
  }

  private static float width(PDFont font, float size, String text) throws IOException {
    return font.getStringWidth(printable(font, text)) / 1000 * size;
  }

  /** The size, at most {@code size}, at which the text fits the width on one line. */
  private static float fit(String text, PDFont font, float size, float maxWidth)
      throws IOException {
    float s = size;
    while (s > 5 && width(font, s, text) > maxWidth) {
      s -= 0.25f;
    }
    return s;
  }

  /** Words to lines no wider than {@code maxWidth}; a word too long for a line is cut. */
  static List<String> wrap(String text, PDFont font, float size, float maxWidth)
      throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : Objects.requireNonNullElse(text, "-").split("\\s+")) {
      String candidate = line.length() == 0 ? word : line + " " + word;
      if (width(font, size, candidate) <= maxWidth) {
        line.setLength(0);
        line.append(candidate);
        continue;
      }
      if (line.length() > 0) {
        lines.add(line.toString());
        line.setLength(0);
      }
      String rest = word;
      while (width(font, size, rest) > maxWidth) {
        int cut = rest.length() - 1;
        while (cut > 1 && width(font, size, rest.substring(0, cut)) > maxWidth) {
          cut--;
        }
        lines.add(rest.substring(0, cut));
        rest = rest.substring(cut);
      }
      line.append(rest);
    }
    if (line.length() > 0 || lines.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
