package org.tanso.registry.article6.domain;

/** Where a serial range stands with respect to the host party's corresponding adjustment. */
public enum CorrespondingAdjustment {
  /** mitigation-contribution units: not authorised, never adjusted */
  NOT_APPLICABLE,
  /** authorised, not yet first transferred */
  PENDING,
  /** first transferred: the first transferring party applied the adjustment, for good */
  APPLIED;

  /** The status a unit starts with: PENDING when authorised, else NOT_APPLICABLE. */
  public static CorrespondingAdjustment initial(Authorisation authorisation) {
    return authorisation == null ? NOT_APPLICABLE : PENDING;
  }
}
