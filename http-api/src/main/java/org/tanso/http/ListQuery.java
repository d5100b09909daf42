package org.tanso.http;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query of a list endpoint, read strictly: a parameter the list does not know, one given twice
 * or a filter value that is not one of the allowed ones is a malformed request, never a silently
 * wider or empty list. An empty value counts as absent, as it does for {@link Paging#limit}.
 */
public final class ListQuery {

  private final MultivaluedMap<String, String> parameters;

  private ListQuery(MultivaluedMap<String, String> parameters) {
    this.parameters = parameters;
  }

  /**
   * The query of {@code uri}, which may name only {@code filters} besides {@code limit} and {@code
   * after}, each at most once.
   */
  public static ListQuery of(UriInfo uri, String... filters) {
    MultivaluedMap<String, String> parameters = uri.getQueryParameters();
    Set<String> known = new TreeSet<>(List.of(filters));
    known.add("limit");
    known.add("after");
    for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
      if (!known.contains(p.getKey())) {
        throw ApiException.malformed(
            "unknown query parameter '"
                + ApiException.echo(p.getKey())
                + "'; this list takes "
                + String.join(", ", known));
      }
      if (p.getValue().size() > 1) {
        throw ApiException.malformed("query parameter '" + p.getKey() + "' is given twice");
      }
    }
    return new ListQuery(parameters);
  }

  /** The parameter's text, null when absent or empty. */
  public String text(String name) {
    String value = parameters.getFirst(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** The parameter as one of {@code type}'s constants, null when absent. */
  public <E extends Enum<E>> E oneOf(String name, Class<E> type) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(value)) {
        return constant;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E constant : type.getEnumConstants()) {
      allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name());
    }
    throw ApiException.malformed(
        name + " '" + ApiException.echo(value) + "' is not one of " + allowed);
  }

  /**
   * The parameter when it matches {@code pattern} (described as {@code what}), null when absent.
   */
  public String matching(String name, String pattern, String what) {
    String value = text(name);
    if (value != null && !value.matches(pattern)) {
      throw ApiException.malformed(name + " '" + ApiException.echo(value) + "' is not " + what);
    }
    return value;
  }

  /**
   * A time range from {@code from} and {@code to}: each an ISO 8601 instant with an offset ({@code
   * 2026-12-01T09:30:00Z}) or a date ({@code 2026-12-01}, a UTC day). {@code from} is inclusive (a
   * date: from the start of that day), {@code to} is exclusive for an instant and inclusive for a
   * date (to the end of that day). Either may be absent; {@code from} after {@code to} as written
   * (a date standing for its first instant) is malformed.
   */
  public TimeRange timeRange(String fromName, String toName) {
    Instant from = instant(fromName, false);
    Instant to = instant(toName, true);
    if (from != null && to != null && from.isAfter(instant(toName, false))) {
      throw ApiException.malformed(fromName + " is after " + toName);
    }
    return new TimeRange(from, to);
  }

  /** {@code [from, to)}; null bounds are open. */
  public record TimeRange(Instant from, Instant to) {}

  private Instant instant(String name, boolean endOfDay) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    try {
      if (value.length() == 10) {
        LocalDate day = LocalDate.parse(value);
        return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeException e) {
      throw ApiException.malformed(
          name
              + " '"
              + ApiException.echo(value)
              + "' is neither an ISO 8601 date (2026-12-01) nor an instant with an offset"
              + " (2026-12-01T09:30:00Z)");
    }
  }
}
