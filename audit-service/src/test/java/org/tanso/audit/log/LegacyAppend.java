package org.tanso.audit.log;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Appends as the log did before it had the retirements' public records, for catch-up tests. */
public final class LegacyAppend {

  private LegacyAppend() {}

  public static Optional<Long> append(AuditLog log, AuditLog.Event event) throws SQLException {
    return log.appendWithoutPublicRecords(List.of(event)).get(0);
  }
}
