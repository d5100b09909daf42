package org.tanso.registry.international;

/** What handling one registry-to-registry message came to. */
record Handled(Kind kind, String detail) {

  enum Kind {
    APPLIED,
    IGNORED,
    /**
     * not addressed to this registry, from outside its directory, or about a transfer it does not
     * know: dead-letter it
     */
    REFUSED
  }

  static Handled applied(String detail) {
    return new Handled(Kind.APPLIED, detail);
  }

  static Handled ignored(String detail) {
    return new Handled(Kind.IGNORED, detail);
  }

  static Handled refused(String detail) {
    return new Handled(Kind.REFUSED, detail);
  }
}
