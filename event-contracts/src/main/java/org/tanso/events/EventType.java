package org.tanso.events;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CloudEvents {@code type} of the form {@code tanso.<service>.<Name>.v<major>}, for example
 * {@code tanso.registry.CreditsTransferred.v1}. Inside one major version payloads change only by
 * adding fields.
 */
public record EventType(String service, String name, int version) {

  private static final Pattern FORMAT =
      Pattern.compile("tanso\\.([a-z]+)\\.([A-Z][A-Za-z0-9]*)\\.v([1-9][0-9]*)");

  public EventType {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(name, "name");
    if (!FORMAT.matcher("tanso." + service + "." + name + ".v" + version).matches()) {
      throw new IllegalArgumentException(
          "not a Tanso event type: service=" + service + " name=" + name + " version=" + version);
    }
  }

  public static EventType registry(String name) {
    return new EventType("registry", name, 1);
  }

  public static EventType issuance(String name) {
    return new EventType("issuance", name, 1);
  }

  /** A message between two registries (topic {@code tanso.interregistry.<receiving registry>}). */
  public static EventType interRegistry(String name) {
    return new EventType("interregistry", name, 1);
  }

  public static EventType parse(String type) {
    Matcher matcher = FORMAT.matcher(type == null ? "" : type);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("not a Tanso event type: " + type);
    }
    return new EventType(matcher.group(1), matcher.group(2), Integer.parseInt(matcher.group(3)));
  }

  @Override
  public String toString() {
    return "tanso." + service + "." + name + ".v" + version;
  }
}
