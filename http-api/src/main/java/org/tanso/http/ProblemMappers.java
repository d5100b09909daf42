package org.tanso.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into an RFC 9457 problem+json response with a stable code. Nothing of the
 * server's internals (stack traces, class names, SQL) reaches the client.
 */
public class ProblemMappers {

  /** Fields whose invalid values have a code of their own rather than MALFORMED_REQUEST. */
  private static final Map<String, String> FIELD_CODES = Map.of("quantity", "INVALID_QUANTITY");

  public static Response problem(
      int status, String code, String detail, UriInfo uri, List<Problem.FieldError> errors) {
    return Response.status(status)
        .type(Problem.MEDIA_TYPE)
        .entity(
            Problem.of(
                status,
                code,
                detail,
                uri == null ? null : uri.getRequestUri().getRawPath(),
                errors))
        .build();
  }

  @ServerExceptionMapper
  public Response api(ApiException e, UriInfo uri) {
    return problem(e.status(), e.code(), e.getMessage(), uri, null);
  }

  @ServerExceptionMapper
  public Response validation(ConstraintViolationException e, UriInfo uri) {
    List<Problem.FieldError> errors = new ArrayList<>();
    java.util.Set<String> codes = new java.util.HashSet<>();
    for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
      String field = field(violation);
      errors.add(new Problem.FieldError(field, violation.getMessage()));
      codes.add(FIELD_CODES.getOrDefault(lastSegment(field), "MALFORMED_REQUEST"));
    }
    // a field's own code only when that field is all that is wrong: {} is not just a bad quantity
    String code = codes.size() == 1 ? codes.iterator().next() : "MALFORMED_REQUEST";
    errors.sort((a, b) -> a.field().compareTo(b.field()));
    String detail =
        errors.stream()
            .map(err -> err.field() + ": " + err.message())
            .collect(Collectors.joining("; "));
    return problem(400, code, detail, uri, errors);
  }

  @ServerExceptionMapper
  public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
    return problem(
        400,
        "MALFORMED_REQUEST",
        "unknown field '" + e.getPropertyName() + "'",
        uri,
        List.of(new Problem.FieldError(path(e), "unknown field")));
  }

  @ServerExceptionMapper
  public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
    return jsonMapping(e, uri);
  }

  @ServerExceptionMapper
  public Response valueInstantiation(ValueInstantiationException e, UriInfo uri) {
    Throwable cause = e.getCause();
    if (cause instanceof ApiException api) {
      return api(api, uri);
    }
    return jsonMapping(e, uri);
  }

  @ServerExceptionMapper
  public Response jsonMappingException(JsonMappingException e, UriInfo uri) {
    return jsonMapping(e, uri);
  }

  @ServerExceptionMapper
  public Response unreadableJson(StreamReadException e, UriInfo uri) {
    String field = null;
    JsonParser parser = e.getProcessor();
    if (parser != null) {
      try {
        field = parser.currentName();
      } catch (java.io.IOException | RuntimeException ignored) {
        // no field known
      }
    }
    // a body that ends early says nothing about the field it ended in
    String code =
        field == null || e instanceof com.fasterxml.jackson.core.io.JsonEOFException
            ? "MALFORMED_REQUEST"
            : FIELD_CODES.getOrDefault(field, "MALFORMED_REQUEST");
    String where =
        e.getLocation() == null
            ? ""
            : " (line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + ")";
    String detail =
        field != null && code.equals("INVALID_QUANTITY")
            ? "'" + field + "' must be a positive whole number within 64 bits"
            : "request body is not valid JSON" + where;
    return problem(400, code, detail, uri, null);
  }

  @ServerExceptionMapper
  public Response otherJson(JsonProcessingException e, UriInfo uri) {
    return problem(400, "MALFORMED_REQUEST", "request body is not valid JSON", uri, null);
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e, UriInfo uri) {
    return problem(404, "NOT_FOUND", "no such resource", uri, null);
  }

  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e, UriInfo uri) {
    return problem(405, "METHOD_NOT_ALLOWED", "method not allowed on this resource", uri, null);
  }

  @ServerExceptionMapper
  public Response unsupportedMediaType(NotSupportedException e, UriInfo uri) {
    return problem(
        415, "UNSUPPORTED_MEDIA_TYPE", "request bodies must be application/json", uri, null);
  }

  @ServerExceptionMapper
  public Response notAcceptable(NotAcceptableException e, UriInfo uri, Request request) {
    List<String> produced =
        uri == null || request == null
            ? List.of()
            : ProducedMediaTypes.of(request.getMethod(), uri.getPath());
    String detail =
        produced.isEmpty()
            ? "the Accept header asks for no media type this resource answers with"
            : "this resource answers with "
                + String.join(", ", produced)
                + "; the Accept header asks for none of them";
    return problem(406, "NOT_ACCEPTABLE", detail, uri, null);
  }

  @ServerExceptionMapper
  public Response unauthorized(UnauthorizedException e, UriInfo uri) {
    return problem(401, "UNAUTHORIZED", "a valid bearer token is required", uri, null);
  }

  @ServerExceptionMapper
  public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
    return problem(401, "UNAUTHORIZED", "a valid bearer token is required", uri, null);
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    return problem(403, "FORBIDDEN", "the caller's role does not allow this", uri, null);
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e, UriInfo uri) {
    for (Throwable cause = e.getCause();
        cause != null && cause != cause.getCause();
        cause = cause.getCause()) {
      // a body the JSON reader could not map arrives wrapped; answer for the real reason
      if (cause instanceof JsonMappingException mapping) {
        return jsonMapping(mapping, uri);
      }
      if (cause instanceof StreamReadException read) {
        return unreadableJson(read, uri);
      }
    }
    int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
    if (status >= 500) {
      return unexpected(e, uri);
    }
    String code =
        status == 400 ? "MALFORMED_REQUEST" : status == 413 ? "BODY_TOO_LARGE" : "HTTP_" + status;
    return problem(
        status, code, status == 400 ? "malformed request" : "request refused", uri, null);
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    java.sql.SQLException sql = transientDatabaseFailure(e, 0);
    if (sql != null) {
      // the database gave up on a lock, a deadlock victim, a timed-out statement, or it is away.
      // Mostly nothing
      // was changed, but a connection lost during the commit leaves the outcome unknown: the
      // client's retry with
      // the same Idempotency-Key returns the stored result if the change did commit
      Log.warnf("transient database refusal %s: %s", sql.getSQLState(), sql.getMessage());
      return Response.fromResponse(
              problem(
                  503,
                  "TRY_AGAIN",
                  "the request could not be completed now; retry it with the same Idempotency-Key",
                  uri,
                  null))
          .header("Retry-After", "1")
          .build();
    }
    String reference = UUID.randomUUID().toString();
    Log.errorf(e, "unexpected failure, reference %s", reference);
    return problem(500, "INTERNAL_ERROR", "internal error; reference " + reference, uri, null);
  }

  /**
   * The first SQL exception with a transient state among the causes of {@code e} and the exceptions
   * suppressed along them: a commit the database refused on shutdown arrives as a rollback whose
   * suppressed XA exception carries the driver's error.
   */
  private static java.sql.SQLException transientDatabaseFailure(Throwable e, int depth) {
    for (Throwable cause = e;
        cause != null && depth < 20;
        cause = cause.getCause() == cause ? null : cause.getCause(), depth++) {
      if (cause instanceof java.sql.SQLException sql
          && (transientDatabaseState(sql.getSQLState()) || poolExhausted(sql))) {
        return sql;
      }
      for (Throwable suppressed : cause.getSuppressed()) {
        java.sql.SQLException found = transientDatabaseFailure(suppressed, depth + 1);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /**
   * Every connection of the pool stayed busy for its acquisition timeout: the pool (Agroal) says so
   * only in words, without an SQL state.
   */
  private static boolean poolExhausted(java.sql.SQLException e) {
    return e.getSQLState() == null
        && e.getMessage() != null
        && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("acquisition timeout");
  }

  /**
   * Lock not available, statement timeout, deadlock or serialization failure, lost connection, the
   * server shutting down or starting up.
   */
  static boolean transientDatabaseState(String state) {
    return state != null
        && (state.equals("55P03")
            || state.equals("57014")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03")
            || state.startsWith("40")
            || state.startsWith("08"));
  }

  private static Response jsonMapping(JsonMappingException e, UriInfo uri) {
    String field = path(e);
    String code = FIELD_CODES.getOrDefault(lastSegment(field), "MALFORMED_REQUEST");
    String detail =
        field.isEmpty()
            ? "request body does not have the expected shape"
            : "invalid value for '" + field + "'";
    return problem(
        400,
        code,
        detail,
        uri,
        field.isEmpty() ? null : List.of(new Problem.FieldError(field, "invalid value")));
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /**
   * The field as the client wrote it: a resource method's parameter path such as
   * "transfer.request.serials[0].start" (method, parameter, then the body's path) becomes
   * "serials[0].start"; a constraint on the parameter itself names the parameter.
   */
  private static String field(ConstraintViolation<?> violation) {
    String path = violation.getPropertyPath().toString();
    StringBuilder prefix = new StringBuilder();
    String parameter = null;
    for (jakarta.validation.Path.Node node : violation.getPropertyPath()) {
      jakarta.validation.ElementKind kind = node.getKind();
      if (kind != jakarta.validation.ElementKind.METHOD
          && kind != jakarta.validation.ElementKind.CONSTRUCTOR
          && kind != jakarta.validation.ElementKind.PARAMETER) {
        break;
      }
      if (kind == jakarta.validation.ElementKind.PARAMETER) {
        parameter = node.getName();
      }
      prefix.append(prefix.length() == 0 ? "" : ".").append(node.getName());
    }
    if (prefix.length() == 0) {
      return path;
    }
    if (path.startsWith(prefix + ".")) {
      return path.substring(prefix.length() + 1);
    }
    return parameter != null ? parameter : path;
  }

  private static String lastSegment(String field) {
    int dot = field.lastIndexOf('.');
    String last = dot < 0 ? field : field.substring(dot + 1);
    int bracket = last.indexOf('[');
    return bracket < 0 ? last : last.substring(0, bracket);
  }
}
