package org.tanso.testing.openapi;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The service's OpenAPI document ({@code META-INF/openapi.yaml} on the class path, copied from
 * docs/openapi at build time) as the contract every HTTP exchange of its component tests must keep.
 *
 * <p>A response must match the document exactly: a documented status, media type and body shape
 * (undocumented fields and problem codes fail). A request that breaks the document is what many
 * tests send on purpose: it must then get a 4xx answer that the document describes; a 2xx for it
 * means the document or the service is wrong. Exchanges with an operation the document does not
 * have pass only as a 4xx problem (unknown paths, wrong methods). {@code /q/...} (health, metrics,
 * OpenAPI) is outside the document.
 *
 * <p>Every breach is appended to {@code target/openapi-contract/violations.txt} and fails the test
 * that made the call.
 */
public final class OpenApiContract {

  /** Where the document is on the class path of a service. */
  public static final String DOCUMENT = "META-INF/openapi.yaml";

  private static final Map<String, OpenApiContract> BY_DOCUMENT = new ConcurrentHashMap<>();
  private static final Path REPORTS = Path.of("target", "openapi-contract");

  /**
   * {@code -Dtanso.openapi-contract=record}: breaches are only written down, so that one run lists
   * them all (while the document is being written); the build enforces.
   */
  private static final boolean RECORD_ONLY =
      "record".equals(System.getProperty("tanso.openapi-contract"));

  private final String document;
  private final OpenApiInteractionValidator validator;
  private final AtomicLong exchanges = new AtomicLong();
  private final AtomicLong breaches = new AtomicLong();

  private OpenApiContract(String document, String text) {
    this.document = document;
    this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(text).build();
    Runtime.getRuntime().addShutdownHook(new Thread(this::writeSummary));
  }

  /** The contract of the service under test, if its class path carries a document. */
  public static Optional<OpenApiContract> ofClassPath() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    URL url = loader.getResource(DOCUMENT);
    if (url == null) {
      return Optional.empty();
    }
    return Optional.of(BY_DOCUMENT.computeIfAbsent(url.toString(), u -> load(u, url)));
  }

  private static OpenApiContract load(String name, URL url) {
    try (InputStream in = url.openStream()) {
      return new OpenApiContract(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + url, e);
    }
  }

  /**
   * A request as it went on the wire: method, URI (path and query, still percent-encoded), headers
   * and body ({@code null} for none).
   */
  public static Request request(
      String method, URI uri, Map<String, ? extends Collection<String>> headers, String body) {
    SimpleRequest.Builder request = new SimpleRequest.Builder(method, uri.getRawPath());
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      Map<String, List<String>> parameters = new LinkedHashMap<>();
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        parameters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      }
      parameters.forEach(request::withQueryParam);
    }
    headers.forEach((name, values) -> request.withHeader(name, new ArrayList<>(values)));
    if (body != null) {
      request.withBody(body);
    }
    return request.build();
  }

  /** A response as it came back. */
  public static Response response(
      int status, Map<String, ? extends Collection<String>> headers, String body) {
    SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
    headers.forEach((name, values) -> response.withHeader(name, new ArrayList<>(values)));
    if (body != null) {
      response.withBody(body);
    }
    return response.build();
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  /** Checks one exchange; a breach is recorded and thrown as an {@link AssertionError}. */
  public void check(Request request, Response response) {
    exchanges.incrementAndGet();
    String path = request.getPath();
    if (path.startsWith("/q/")) {
      return;
    }
    int status = response.getStatus();
    List<String> breaches = new ArrayList<>();
    ValidationReport answer = validator.validateResponse(path, request.getMethod(), response);
    if (notInDocument(answer)) {
      if (status < 400 || status >= 500 || !isProblem(response)) {
        breaches.add("an operation the document does not have answered " + status);
      }
    } else {
      answer.getMessages().stream()
          .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
          .forEach(m -> breaches.add("response: " + describe(m)));
      if (status < 400) {
        validator.validateRequest(request).getMessages().stream()
            .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
            .forEach(
                m ->
                    breaches.add(
                        "request breaks the document but got " + status + ": " + describe(m)));
      }
    }
    if (!breaches.isEmpty()) {
      this.breaches.incrementAndGet();
      String text =
          request.getMethod()
              + " "
              + path
              + " -> "
              + status
              + "\n  "
              + String.join("\n  ", breaches)
              + "\n  body: "
              + abbreviate(body(response))
              + "\n";
      record(text);
      if (RECORD_ONLY) {
        return;
      }
      throw new AssertionError("OpenAPI contract (" + DOCUMENT + ") broken by " + text);
    }
  }

  private static boolean notInDocument(ValidationReport report) {
    return report.getMessages().stream()
        .anyMatch(
            m ->
                m.getKey().endsWith(".path.missing")
                    || m.getKey().endsWith(".operation.notAllowed"));
  }

  private static boolean isProblem(Response response) {
    return response.getHeaderValues("Content-Type").stream()
        .anyMatch(v -> v.startsWith("application/problem+json"));
  }

  private static String describe(ValidationReport.Message m) {
    String nested =
        m.getNestedMessages().isEmpty()
            ? ""
            : " ["
                + m.getNestedMessages().stream()
                    .map(OpenApiContract::describe)
                    .collect(Collectors.joining("; "))
                + "]";
    return m.getKey() + ": " + m.getMessage() + nested;
  }

  private static String body(Response response) {
    try {
      return response.getResponseBody().isPresent() && response.getResponseBody().get().hasBody()
          ? response.getResponseBody().get().toString(StandardCharsets.UTF_8)
          : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static String abbreviate(String body) {
    return body.length() <= 600 ? body : body.substring(0, 600) + "...";
  }

  private static synchronized void record(String text) {
    try {
      Files.createDirectories(REPORTS);
      Files.writeString(
          REPORTS.resolve("violations.txt"),
          text,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the assertion still fails the test
    }
  }

  private void writeSummary() {
    try {
      Files.createDirectories(REPORTS);
      Files.writeString(
          REPORTS.resolve("summary.txt"),
          document
              + ": "
              + exchanges.get()
              + " exchanges checked, "
              + breaches.get()
              + " broke the contract\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // a summary only
    }
  }
}
