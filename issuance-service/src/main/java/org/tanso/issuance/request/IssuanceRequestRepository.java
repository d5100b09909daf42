package org.tanso.issuance.request;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tanso.issuance.request.domain.RequestStatus;

@ApplicationScoped
public class IssuanceRequestRepository
    implements PanacheRepositoryBase<IssuanceRequestEntity, String> {

  public IssuanceRequestEntity lock(String id) {
    return getEntityManager().find(IssuanceRequestEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
  }

  public List<IssuanceRequestEntity> ofProject(
      String projectId, java.util.Collection<RequestStatus> statuses) {
    return list("projectId = ?1 and status in ?2", projectId, statuses);
  }

  public long inFlightQuantity(String projectId) {
    return ofProject(projectId, RequestStatus.IN_FLIGHT).stream().mapToLong(r -> r.quantity).sum();
  }

  /** {@link #inFlightQuantity} of each of {@code projectIds} that has any, in one query. */
  public Map<String, Long> inFlightQuantities(Collection<String> projectIds) {
    Map<String, Long> quantities = new HashMap<>();
    getEntityManager()
        .createQuery(
            "select r.projectId, sum(r.quantity) from IssuanceRequestEntity r"
                + " where r.projectId in :ids and r.status in :statuses group by r.projectId",
            Object[].class)
        .setParameter("ids", projectIds)
        .setParameter("statuses", RequestStatus.IN_FLIGHT)
        .getResultList()
        .forEach(r -> quantities.put((String) r[0], ((Number) r[1]).longValue()));
    return quantities;
  }
}
