package org.tanso.registry.account;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ParticipantRepository implements PanacheRepositoryBase<ParticipantEntity, String> {}
