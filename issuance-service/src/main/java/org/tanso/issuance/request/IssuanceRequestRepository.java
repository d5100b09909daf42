package org.tanso.issuance.request;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
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
}
