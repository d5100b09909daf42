package org.tanso.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@code Idempotency-Key} for POST requests, stored durably in the service's database (table {@code
 * idempotency_record}) in the same transaction as the change it protects. The same key with the
 * same body returns the first result; with another body or endpoint it is 409 {@code
 * IDEMPOTENCY_CONFLICT}. Keys are scoped to the caller, so callers never see each other's results.
 * A request that fails stores nothing, so retrying it is a new attempt. Plain JDBC on the
 * transaction's connection: every POST passes here.
 */
@ApplicationScoped
public class Idempotency {

  public static final String HEADER = "Idempotency-Key";
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

  private final DataSource dataSource;
  private final ObjectMapper mapper;

  Idempotency(DataSource dataSource, ObjectMapper mapper) {
    this.dataSource = dataSource;
    this.mapper = mapper;
  }

  /**
   * Runs {@code action} once per (caller, key): returns its result as a response with {@code
   * status}, or the stored response of the first run. Without a key it just runs the action.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Response execute(
      String caller, String key, String endpoint, Object request, int status, Supplier<?> action) {
    if (key == null) {
      return json(status, serialize(action.get()));
    }
    if (!KEY.matcher(key).matches()) {
      throw ApiException.malformed("Idempotency-Key must be 1 to 255 visible ASCII characters");
    }
    String hash = sha256(endpoint + "\n" + serialize(request));
    try {
      // the first request with a key claims it; a concurrent twin waits on the row until the first
      // commits
      if (!claim(caller, key, hash)) {
        try (Connection c = dataSource.getConnection();
            PreparedStatement s =
                c.prepareStatement(
                    "SELECT request_hash, response_status, response_body FROM idempotency_record WHERE caller = ? AND idem_key = ?")) {
          s.setString(1, caller);
          s.setString(2, key);
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            if (!hash.equals(rs.getString(1))) {
              throw ApiException.conflict(
                  "IDEMPOTENCY_CONFLICT", "this Idempotency-Key was used with a different request");
            }
            return json(rs.getInt(2), rs.getString(3));
          }
        }
      }
      String body = serialize(action.get());
      try (Connection c = dataSource.getConnection();
          PreparedStatement s =
              c.prepareStatement(
                  "UPDATE idempotency_record SET response_status = ?, response_body = ? WHERE caller = ? AND idem_key = ?")) {
        s.setInt(1, status);
        s.setString(2, body);
        s.setString(3, caller);
        s.setString(4, key);
        s.executeUpdate();
      }
      return json(status, body);
    } catch (SQLException e) {
      throw new IllegalStateException("idempotency record of " + endpoint + " failed", e);
    }
  }

  private boolean claim(String caller, String key, String hash) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO idempotency_record (caller, idem_key, request_hash, created_at) VALUES (?, ?, ?, now()) ON CONFLICT DO NOTHING")) {
      s.setString(1, caller);
      s.setString(2, key);
      s.setString(3, hash);
      return s.executeUpdate() == 1;
    }
  }

  private static Response json(int status, String body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
  }

  private String serialize(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
