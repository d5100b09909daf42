package org.tanso.http;

/**
 * A request that cannot be served, with the HTTP status and the stable machine-readable code the
 * client sees in the problem+json body.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final String code;

  public ApiException(int status, String code, String detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static ApiException badRequest(String code, String detail) {
    return new ApiException(400, code, detail);
  }

  public static ApiException malformed(String detail) {
    return new ApiException(400, "MALFORMED_REQUEST", detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "FORBIDDEN", detail);
  }

  public static ApiException notFound(String code, String detail) {
    return new ApiException(404, code, detail);
  }

  public static ApiException conflict(String code, String detail) {
    return new ApiException(409, code, detail);
  }

  public static ApiException unprocessable(String code, String detail) {
    return new ApiException(422, code, detail);
  }

  /**
   * Client input made safe to echo in a detail: control characters replaced, at most 40 characters.
   */
  public static String echo(String text) {
    if (text == null) {
      return "null";
    }
    String printable = text.replaceAll("\\p{Cntrl}", "?");
    return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
  }
}
