package org.tanso.registry.account.domain;

/** Only OPEN accounts send or receive units. */
public enum AccountStatus {
  OPEN,
  SUSPENDED,
  CLOSED
}
