package org.tanso.testing.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What makes a service's OpenAPI document its contract, for a {@code @QuarkusTest} subclass per
 * service: {@code /q/openapi} serves exactly the checked-in {@code docs/openapi/<service>.yaml};
 * the document is valid OpenAPI; it has exactly the operations of the service's JAX-RS resources (a
 * route added without documenting it fails, and so does a documented route that is gone); and every
 * operation is described fully (summary, description, operationId, roles or {@code security: []}, a
 * success status, problems with the shared schema, examples, Idempotency-Key on POST).
 */
public abstract class OpenApiDocumentContract {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");

  /** The document's name under docs/openapi without {@code .yaml}, e.g. {@code audit-service}. */
  protected abstract String documentName();

  /**
   * Packages whose {@code @Path} classes the service serves: its own and those of shared modules
   * (such as {@code org.tanso.identity} for {@code GET /me}).
   */
  protected abstract List<String> resourcePackages();

  protected Path checkedIn() {
    return Path.of("..", "docs", "openapi", documentName() + ".yaml");
  }

  protected JsonNode document() throws IOException {
    return YAML.readTree(checkedIn().toFile());
  }

  @Test
  public void servedDocumentIsTheCheckedInOne() throws IOException {
    String served =
        given()
            .accept("application/json")
            .when()
            .get("/q/openapi?format=json")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    JsonNode expected = document();
    JsonNode actual = JSON.readTree(served);
    List<String> differences = new ArrayList<>();
    diff("", expected, actual, differences);
    assertTrue(
        differences.isEmpty(),
        "/q/openapi differs from " + checkedIn() + ":\n  " + String.join("\n  ", differences));
  }

  @Test
  public void documentIsValidOpenApi() throws IOException {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result =
        new OpenAPIParser().readContents(Files.readString(checkedIn()), null, options);
    assertTrue(result.getOpenAPI() != null, "not parsed: " + result.getMessages());
    assertEquals(List.of(), result.getMessages(), "swagger-parser's validation messages");
  }

  @Test
  public void documentHasExactlyTheOperationsOfTheResources() throws Exception {
    Set<String> documented = new TreeSet<>();
    document()
        .get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (METHODS.contains(method)) {
                            documented.add(method.toUpperCase() + " " + path.getKey());
                          }
                        }));
    Set<String> served = resourceOperations();
    assertTrue(served.size() > 0, "no JAX-RS operations found in " + resourcePackages());
    Set<String> undocumented = new TreeSet<>(served);
    undocumented.removeAll(documented);
    Set<String> gone = new TreeSet<>(documented);
    gone.removeAll(served);
    assertTrue(
        undocumented.isEmpty() && gone.isEmpty(),
        "served but not in "
            + checkedIn()
            + ": "
            + undocumented
            + "; documented but not served: "
            + gone);
  }

  @Test
  public void everyOperationIsDescribedFully() throws IOException {
    JsonNode doc = document();
    List<String> gaps = new ArrayList<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            path -> {
              JsonNode item = path.getValue();
              item.fields()
                  .forEachRemaining(
                      op -> {
                        if (!METHODS.contains(op.getKey())) {
                          return;
                        }
                        String name = op.getKey().toUpperCase() + " " + path.getKey();
                        JsonNode o = op.getValue();
                        for (String field : List.of("summary", "description", "operationId")) {
                          if (o.path(field).asText().isBlank()) {
                            gaps.add(name + ": no " + field);
                          }
                        }
                        boolean isPublic = o.has("security") && o.get("security").isEmpty();
                        if (!isPublic && o.path("x-roles").isEmpty()) {
                          gaps.add(name + ": neither x-roles nor security: []");
                        }
                        if (!isPublic && !o.path("responses").has("401")) {
                          gaps.add(name + ": needs a token but documents no 401");
                        }
                        boolean success = false;
                        Iterator<Map.Entry<String, JsonNode>> responses =
                            o.path("responses").fields();
                        while (responses.hasNext()) {
                          Map.Entry<String, JsonNode> r = responses.next();
                          JsonNode response = resolve(doc, r.getValue());
                          if (r.getKey().startsWith("2")) {
                            success = true;
                            JsonNode json = response.path("content").path("application/json");
                            if (!json.isMissingNode()
                                && !json.has("example")
                                && !json.has("examples")) {
                              gaps.add(name + " " + r.getKey() + ": no example");
                            }
                          } else if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                            JsonNode problem =
                                response.path("content").path("application/problem+json");
                            if (!problem
                                .path("schema")
                                .path("$ref")
                                .asText()
                                .endsWith("/Problem")) {
                              gaps.add(
                                  name
                                      + " "
                                      + r.getKey()
                                      + ": not an application/problem+json Problem");
                            }
                          }
                        }
                        if (!success) {
                          gaps.add(name + ": no success status");
                        }
                        JsonNode body =
                            resolve(doc, o.path("requestBody"))
                                .path("content")
                                .path("application/json");
                        if (!body.isMissingNode()
                            && !body.has("example")
                            && !body.has("examples")) {
                          gaps.add(name + ": request body without example");
                        }
                        if (op.getKey().equals("post")) {
                          boolean idempotencyKey = false;
                          for (JsonNode p : o.path("parameters")) {
                            JsonNode parameter = resolve(doc, p);
                            idempotencyKey |=
                                parameter.path("in").asText().equals("header")
                                    && parameter.path("name").asText().equals("Idempotency-Key");
                          }
                          if (!idempotencyKey) {
                            gaps.add(name + ": no Idempotency-Key header");
                          }
                        }
                      });
            });
    assertTrue(gaps.isEmpty(), "incompletely described:\n  " + String.join("\n  ", gaps));
  }

  private static JsonNode resolve(JsonNode doc, JsonNode node) {
    JsonNode current = node;
    for (int i = 0; i < 10 && current.has("$ref"); i++) {
      String ref = current.get("$ref").asText();
      if (!ref.startsWith("#/")) {
        return current;
      }
      current = doc.at(ref.substring(1));
    }
    return current;
  }

  private static void diff(String at, JsonNode expected, JsonNode actual, List<String> out) {
    if (out.size() >= 30) {
      return;
    }
    if (expected.isObject() && actual.isObject()) {
      Set<String> names = new TreeSet<>();
      expected.fieldNames().forEachRemaining(names::add);
      actual.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String here = at + "/" + name;
        if (!actual.has(name)) {
          out.add(here + ": missing from the served document");
        } else if (!expected.has(name)) {
          out.add(here + ": only in the served document: " + abbreviate(actual.get(name)));
        } else {
          diff(here, expected.get(name), actual.get(name), out);
        }
      }
    } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
      for (int i = 0; i < expected.size(); i++) {
        diff(at + "/" + i, expected.get(i), actual.get(i), out);
      }
    } else if (!equalValues(expected, actual)) {
      out.add(at + ": checked in " + abbreviate(expected) + ", served " + abbreviate(actual));
    }
  }

  /** YAML reads 1.0 and 1 alike as numbers; compare numbers by value. */
  private static boolean equalValues(JsonNode expected, JsonNode actual) {
    if (expected.isNumber() && actual.isNumber()) {
      return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
    }
    return expected.equals(actual);
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() <= 120 ? text : text.substring(0, 120) + "...";
  }

  /** METHOD /path/{template} of every resource method in {@link #resourcePackages()}. */
  protected Set<String> resourceOperations() throws IOException, URISyntaxException {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Set<String> operations = new TreeSet<>();
    for (String pkg : resourcePackages()) {
      for (String className : classesIn(loader, pkg)) {
        Class<?> type;
        try {
          type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
          continue;
        }
        jakarta.ws.rs.Path root = type.getAnnotation(jakarta.ws.rs.Path.class);
        if (root == null) {
          continue;
        }
        for (Method m : type.getMethods()) {
          String httpMethod = httpMethod(m);
          if (httpMethod == null) {
            continue;
          }
          jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
          operations.add(httpMethod + " " + template(root.value(), sub == null ? "" : sub.value()));
        }
      }
    }
    return operations;
  }

  private static String httpMethod(Method m) {
    for (var a : m.getAnnotations()) {
      jakarta.ws.rs.HttpMethod http =
          a.annotationType().getAnnotation(jakarta.ws.rs.HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }

  static String template(String root, String sub) {
    String joined = ("/" + root + "/" + sub).replaceAll("/+", "/");
    if (joined.length() > 1 && joined.endsWith("/")) {
      joined = joined.substring(0, joined.length() - 1);
    }
    // {name: regex} is {name} in OpenAPI
    return joined.replaceAll("\\{\\s*([A-Za-z0-9_]+)\\s*:[^}]*}", "{$1}");
  }

  /** Class names of a package and its subpackages, from main class folders and jars only. */
  private static Set<String> classesIn(ClassLoader loader, String pkg)
      throws IOException, URISyntaxException {
    String dir = pkg.replace('.', '/');
    Set<String> names = new TreeSet<>();
    Enumeration<URL> roots = loader.getResources(dir);
    while (roots.hasMoreElements()) {
      URL url = roots.nextElement();
      if (url.toString().contains("test-classes")) {
        continue;
      }
      if (url.getProtocol().equals("file")) {
        Path base = Path.of(url.toURI());
        try (Stream<Path> files = Files.walk(base)) {
          files
              .filter(f -> f.toString().endsWith(".class"))
              .forEach(
                  f -> {
                    String relative = base.relativize(f).toString().replace('\\', '/');
                    names.add(pkg + "." + relative.replace('/', '.').replaceAll("\\.class$", ""));
                  });
        }
      } else if (url.getProtocol().equals("jar")) {
        JarURLConnection jar = (JarURLConnection) url.openConnection();
        jar.setUseCaches(false);
        for (JarEntry e : java.util.Collections.list(jar.getJarFile().entries())) {
          if (e.getName().startsWith(dir + "/") && e.getName().endsWith(".class")) {
            names.add(e.getName().replace('/', '.').replaceAll("\\.class$", ""));
          }
        }
      }
    }
    return names;
  }
}
