package org.tanso.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Locale;

/**
 * An RFC 9457 problem details body. {@code code} is Tanso's stable machine-readable error code;
 * {@code type} is derived from it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    String code,
    List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** One offending field of a request body or parameter. */
  public record FieldError(String field, String message) {}

  public static Problem of(
      int status, String code, String detail, String instance, List<FieldError> errors) {
    return new Problem(
        "https://tanso.org/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-'),
        title(status),
        status,
        detail,
        instance,
        code,
        errors == null || errors.isEmpty() ? null : errors);
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "HTTP " + status;
    };
  }
}
