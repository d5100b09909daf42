package org.tanso.issuance.request.domain;

import java.time.LocalDate;
import java.util.Objects;

/** A monitoring period, both days included. */
public record MonitoringPeriod(LocalDate start, LocalDate end) {

  public MonitoringPeriod {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.isAfter(end)) {
      throw new IllegalArgumentException("the monitoring period ends before it starts");
    }
  }

  public boolean overlaps(MonitoringPeriod other) {
    return !start.isAfter(other.end) && !other.start.isAfter(end);
  }

  /** A vintage is a calendar year the period touches. */
  public boolean admitsVintage(int vintage) {
    return vintage >= start.getYear() && vintage <= end.getYear();
  }
}
