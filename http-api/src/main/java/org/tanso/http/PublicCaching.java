package org.tanso.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * {@code ETag} and {@code Cache-Control} on every answer of a public route ({@link PublicRoutes}),
 * and {@code If-None-Match} answered with 304 and no body.
 *
 * <ul>
 *   <li>A successful answer carries a strong ETag: the one the resource set (a streamed body sets
 *       one from a fingerprint of its data, see {@link CsvExport}), else one computed over the JSON
 *       representation. It is cacheable by anyone for {@code tanso.public.max-age} seconds (default
 *       60) and varies by {@code Accept} (JSON and CSV share a URL).
 *   <li>A problem (4xx, 5xx, including 429) carries {@code Cache-Control: no-store}, so a cache
 *       never keeps an error for a resource that may exist a moment later, and an ETag over its
 *       body. {@code If-None-Match} applies only to successful answers (RFC 9110 13.1.2).
 * </ul>
 */
public class PublicCaching {

  private final ObjectMapper mapper;
  private final String cacheControl;

  PublicCaching(
      ObjectMapper mapper,
      @ConfigProperty(name = "tanso.public.max-age", defaultValue = "60") long maxAge) {
    this.mapper = mapper;
    this.cacheControl = "public, max-age=" + maxAge;
  }

  /** A strong entity tag (quoted) for a fingerprint of what an answer shows. */
  public static String etag(String fingerprint) {
    return etag(fingerprint.getBytes(StandardCharsets.UTF_8));
  }

  static String etag(byte[] representation) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(representation);
      return '"'
          + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 18))
          + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @ServerResponseFilter
  public void headers(
      ContainerRequestContext request, ContainerResponseContext response, RoutingContext routing) {
    if (!PublicRoutes.isPublic(routing)) {
      return;
    }
    int status = response.getStatus();
    String etag = response.getHeaderString(HttpHeaders.ETAG);
    if (etag == null) {
      etag = etagOf(response.getEntity());
      if (etag != null) {
        response.getHeaders().putSingle(HttpHeaders.ETAG, etag);
      }
    }
    if (status < 200 || status >= 300) {
      response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
      return;
    }
    if (etag == null) {
      // a streamed body without a fingerprint of its data: it cannot be validated, so not cached
      Log.warnf("public answer of %s has no ETag", routing.normalizedPath());
      response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
      return;
    }
    if (response.getHeaderString(HttpHeaders.CACHE_CONTROL) == null) {
      response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, cacheControl);
    }
    response.getHeaders().putSingle(HttpHeaders.VARY, HttpHeaders.ACCEPT);
    if (matches(request.getHeaderString(HttpHeaders.IF_NONE_MATCH), etag)) {
      // the body is never produced: a streamed export does not even open its cursor
      response.setStatus(304);
      response.setEntity(null);
      response.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
      response.getHeaders().remove("Content-Disposition");
    }
  }

  private String etagOf(Object entity) {
    if (entity == null) {
      return etag(new byte[0]);
    }
    if (entity instanceof byte[] bytes) {
      return etag(bytes);
    }
    if (entity instanceof String text) {
      return etag(text);
    }
    if (entity instanceof jakarta.ws.rs.core.StreamingOutput) {
      return null;
    }
    try {
      return etag(mapper.writeValueAsBytes(entity));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + entity.getClass().getName(), e);
    }
  }

  /** If-None-Match by the weak comparison (RFC 9110 8.8.3.2), {@code *} matching any. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || etag == null) {
      return false;
    }
    String mine = opaque(etag);
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*") || opaque(tag).equals(mine)) {
        return true;
      }
    }
    return false;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }
}
