package org.tanso.registry.account.domain;

import java.util.Arrays;
import java.util.Optional;

/** Kinds of account; the type code is the middle part of an account number. */
public enum AccountType {
  HOLDING(100, true, true),
  GOVERNMENT_HOLDING(200, true, true),
  PENDING(300, true, true),
  RETIREMENT(400, false, false),
  CANCELLATION(500, false, false),
  SHARE_OF_PROCEEDS(600, true, true);

  private final int code;
  private final boolean maySend;
  private final boolean mayReceive;

  AccountType(int code, boolean maySend, boolean mayReceive) {
    this.code = code;
    this.maySend = maySend;
    this.mayReceive = mayReceive;
  }

  public int code() {
    return code;
  }

  /** May ACTIVE units leave this account by transfer, retirement or cancellation. */
  public boolean maySend() {
    return maySend;
  }

  /** May units arrive in this account by transfer. */
  public boolean mayReceive() {
    return mayReceive;
  }

  public static Optional<AccountType> ofCode(int code) {
    return Arrays.stream(values()).filter(t -> t.code == code).findFirst();
  }
}
