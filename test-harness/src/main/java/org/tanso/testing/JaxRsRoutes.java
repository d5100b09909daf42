package org.tanso.testing;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every JAX-RS route of the service, found by reflection over the resource classes on its class
 * path (the service's own and those of the modules it uses, such as {@code /me}): a route added
 * later is in the list without anyone listing it.
 */
public final class JaxRsRoutes {

  private static final Pattern PARAMETER = Pattern.compile("\\{\\s*(\\w+)\\s*(:[^}]*)?}");

  /**
   * One resource method.
   *
   * @param open whether it needs no token: {@code @PermitAll} on the method, or on its class and
   *     not overridden on the method
   * @param produces the media types it answers with
   */
  public record Route(String method, String template, boolean open, List<String> produces) {

    public List<String> parameters() {
      List<String> names = new ArrayList<>();
      Matcher m = PARAMETER.matcher(template);
      while (m.find()) {
        names.add(m.group(1));
      }
      return names;
    }

    /** The path with each parameter replaced by its value; a parameter without one fails. */
    public String path(Map<String, String> values) {
      Matcher m = PARAMETER.matcher(template);
      StringBuilder path = new StringBuilder();
      while (m.find()) {
        String value = values.get(m.group(1));
        if (value == null) {
          throw new AssertionError(
              "no sample value for {" + m.group(1) + "} of " + this + ": add one to the test");
        }
        m.appendReplacement(path, Matcher.quoteReplacement(value));
      }
      m.appendTail(path);
      return path.toString();
    }

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  private JaxRsRoutes() {}

  /** The routes of every resource class under the {@code packages}, in path order. */
  public static List<Route> under(String... packages) {
    List<Route> routes = new ArrayList<>();
    for (JavaClass javaClass :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(packages)) {
      if (!javaClass.isAnnotatedWith(Path.class)) {
        continue;
      }
      Class<?> resource;
      try {
        resource = Class.forName(javaClass.getName(), false, JaxRsRoutes.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      String base = resource.getAnnotation(Path.class).value();
      for (Method method : resource.getMethods()) {
        String verb = verb(method);
        if (verb == null) {
          continue;
        }
        Path sub = method.getAnnotation(Path.class);
        routes.add(
            new Route(
                verb,
                join(base, sub == null ? "" : sub.value()),
                open(resource, method),
                produces(resource, method)));
      }
    }
    routes.sort(Comparator.comparing(Route::template).thenComparing(Route::method));
    return routes;
  }

  private static String verb(Method method) {
    for (Annotation a : method.getAnnotations()) {
      HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }

  private static boolean open(Class<?> resource, Method method) {
    if (method.isAnnotationPresent(PermitAll.class)) {
      return true;
    }
    if (method.isAnnotationPresent(RolesAllowed.class)
        || method.isAnnotationPresent(DenyAll.class)) {
      return false;
    }
    return resource.isAnnotationPresent(PermitAll.class);
  }

  private static List<String> produces(Class<?> resource, Method method) {
    Produces produces =
        method.isAnnotationPresent(Produces.class)
            ? method.getAnnotation(Produces.class)
            : resource.getAnnotation(Produces.class);
    return produces == null
        ? List.of("application/json")
        : Arrays.stream(produces.value())
            .flatMap(v -> Arrays.stream(v.split(",")))
            .map(String::trim)
            .toList();
  }

  private static String join(String base, String sub) {
    String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
