package org.tanso.http;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The media types the resource methods matching a request produce, read from the JAX-RS annotations
 * of the application's resource classes. The router's 406 says only that nothing matched; this lets
 * the answer name what the client could have asked for.
 */
final class ProducedMediaTypes {

  private record Route(String httpMethod, Pattern path, List<String> produces) {}

  private static volatile List<Route> routes;

  private ProducedMediaTypes() {}

  /**
   * What the routes for this method and path (relative to the application's base URI) produce, in
   * declaration order; empty when none is known.
   */
  static List<String> of(String httpMethod, String path) {
    String method = "HEAD".equals(httpMethod) ? "GET" : httpMethod;
    String normalised = normalise(path);
    Set<String> types = new LinkedHashSet<>();
    for (Route route : routes()) {
      if (route.httpMethod().equals(method) && route.path().matcher(normalised).matches()) {
        types.addAll(route.produces());
      }
    }
    return List.copyOf(types);
  }

  private static List<Route> routes() {
    List<Route> known = routes;
    if (known == null) {
      known = scan();
      routes = known;
    }
    return known;
  }

  private static List<Route> scan() {
    List<Route> found = new ArrayList<>();
    try {
      for (Bean<?> bean :
          CDI.current().getBeanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
        Class<?> type = bean.getBeanClass();
        Path classPath = type.getAnnotation(Path.class);
        if (classPath == null) {
          continue;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
          for (Method method : c.getDeclaredMethods()) {
            String httpMethod = httpMethod(method);
            if (httpMethod == null) {
              continue;
            }
            Path methodPath = method.getAnnotation(Path.class);
            Produces produces = method.getAnnotation(Produces.class);
            if (produces == null) {
              produces = type.getAnnotation(Produces.class);
            }
            if (produces == null) {
              continue;
            }
            List<String> mediaTypes = new ArrayList<>();
            for (String value : produces.value()) {
              Arrays.stream(value.split(",")).map(String::trim).forEach(mediaTypes::add);
            }
            String template =
                classPath.value() + "/" + (methodPath == null ? "" : methodPath.value());
            found.add(new Route(httpMethod, pattern(normalise(template)), List.copyOf(mediaTypes)));
          }
        }
      }
    } catch (IllegalStateException noContainer) {
      // no CDI container (plain unit tests): nothing is known
    }
    return List.copyOf(found);
  }

  private static String httpMethod(Method method) {
    for (Annotation annotation : method.getAnnotations()) {
      HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }

  /** A path template ({@code /audit/entries/{seq}}, {@code {id: [0-9]+}}) as a regex. */
  static Pattern pattern(String template) {
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      if (open < 0) {
        regex.append(Pattern.quote(template.substring(i)));
        break;
      }
      if (open > i) {
        regex.append(Pattern.quote(template.substring(i, open)));
      }
      int depth = 0;
      int close = open;
      for (; close < template.length(); close++) {
        char ch = template.charAt(close);
        if (ch == '{') {
          depth++;
        } else if (ch == '}' && --depth == 0) {
          break;
        }
      }
      String parameter = template.substring(open + 1, Math.min(close, template.length()));
      int colon = parameter.indexOf(':');
      regex
          .append('(')
          .append(colon < 0 ? "[^/]+" : parameter.substring(colon + 1).trim())
          .append(')');
      i = close + 1;
    }
    return Pattern.compile(regex.toString());
  }

  private static String normalise(String path) {
    String p = ("/" + (path == null ? "" : path)).replaceAll("/{2,}", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
