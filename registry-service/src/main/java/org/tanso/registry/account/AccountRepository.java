package org.tanso.registry.account;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<AccountEntity, String> {

  /**
   * Locks the named accounts (those that exist) for update, always in account-number order, so two
   * transactions locking the same accounts can never deadlock.
   */
  public Map<String, AccountEntity> lockInOrder(Collection<String> numbers) {
    List<AccountEntity> locked =
        getEntityManager()
            .createQuery(
                "from AccountEntity a where a.number in :numbers order by a.number",
                AccountEntity.class)
            .setParameter("numbers", numbers)
            .setLockMode(LockModeType.PESSIMISTIC_WRITE)
            .getResultList();
    Map<String, AccountEntity> byNumber = new LinkedHashMap<>();
    locked.forEach(a -> byNumber.put(a.number, a));
    return byNumber;
  }

  public long nextSequence() {
    return ((Number)
            getEntityManager()
                .createNativeQuery("SELECT nextval('account_number_seq')")
                .getSingleResult())
        .longValue();
  }
}
