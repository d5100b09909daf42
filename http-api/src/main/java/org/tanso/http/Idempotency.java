package org.tanso.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} for POST requests, stored durably in the service's database (table
 * {@code idempotency_record}) in the same transaction as the change it protects. The same key
 * with the same body returns the first result; with another body or endpoint it is 409
 * {@code IDEMPOTENCY_CONFLICT}. Keys are scoped to the caller, so callers never see each other's
 * results. A request that fails stores nothing, so retrying it is a new attempt.
 */
@ApplicationScoped
public class Idempotency {

  public static final String HEADER = "Idempotency-Key";
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

  private final EntityManager em;
  private final ObjectMapper mapper;

  Idempotency(EntityManager em, ObjectMapper mapper) {
    this.em = em;
    this.mapper = mapper;
  }

  /**
   * Runs {@code action} once per (caller, key): returns its result as a response with {@code
   * status}, or the stored response of the first run. Without a key it just runs the action.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Response execute(String caller, String key, String endpoint, Object request, int status, Supplier<?> action) {
    if (key == null) {
      return json(status, serialize(action.get()));
    }
    if (!KEY.matcher(key).matches()) {
      throw ApiException.malformed("Idempotency-Key must be 1 to 255 visible ASCII characters");
    }
    String hash = sha256(endpoint + "\n" + serialize(request));
    int inserted =
        em.createNativeQuery(
                "INSERT INTO idempotency_record (caller, idem_key, request_hash, created_at) VALUES (?1, ?2, ?3, now()) ON CONFLICT DO NOTHING")
            .setParameter(1, caller)
            .setParameter(2, key)
            .setParameter(3, hash)
            .executeUpdate();
    if (inserted == 0) {
      @SuppressWarnings("unchecked")
      List<Object[]> rows =
          em.createNativeQuery("SELECT request_hash, response_status, response_body FROM idempotency_record WHERE caller = ?1 AND idem_key = ?2")
              .setParameter(1, caller)
              .setParameter(2, key)
              .getResultList();
      Object[] row = rows.get(0);
      if (!hash.equals(row[0])) {
        throw ApiException.conflict("IDEMPOTENCY_CONFLICT", "this Idempotency-Key was used with a different request");
      }
      return json(((Number) row[1]).intValue(), (String) row[2]);
    }
    String body = serialize(action.get());
    em.createNativeQuery("UPDATE idempotency_record SET response_status = ?3, response_body = ?4 WHERE caller = ?1 AND idem_key = ?2")
        .setParameter(1, caller)
        .setParameter(2, key)
        .setParameter(3, status)
        .setParameter(4, body)
        .executeUpdate();
    return json(status, body);
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
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
