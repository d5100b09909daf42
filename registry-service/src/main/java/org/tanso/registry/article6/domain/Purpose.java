package org.tanso.registry.article6.domain;

/** What an authorisation allows units to be used for (AEF nomenclature). */
public enum Purpose {
  /** towards a party's nationally determined contribution */
  NDC,
  /** other international mitigation purposes, e.g. CORSIA or voluntary use */
  OIMP
}
