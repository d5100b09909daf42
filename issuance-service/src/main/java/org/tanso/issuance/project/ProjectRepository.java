package org.tanso.issuance.project;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

@ApplicationScoped
public class ProjectRepository implements PanacheRepositoryBase<ProjectEntity, String> {

  /** The project with its row locked for the rest of the transaction, or null. */
  public ProjectEntity lock(String id) {
    return getEntityManager().find(ProjectEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
  }
}
