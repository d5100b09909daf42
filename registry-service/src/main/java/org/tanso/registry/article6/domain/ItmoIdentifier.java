package org.tanso.registry.article6.domain;

import java.util.Locale;

/**
 * The ITMO unique identifier of one unit, from the five elements of decision 2/CMA.3 annex (chapter
 * VI): (a) cooperative approach, (b) originating party's registry, (c) first transferring party,
 * (d) serial number, (e) vintage. The format is not fixed by the decision text; this is the one
 * place that chooses it: {@code {a}-{b}-{c}-{unit id}.{serial, six digits or more}-{e}}, an element
 * that is unknown written as {@code NA}.
 */
public final class ItmoIdentifier {

  private ItmoIdentifier() {}

  public static String of(
      String cooperativeApproach,
      String originatingRegistry,
      String firstTransferringParty,
      String unitId,
      long serial,
      int vintage) {
    return element(cooperativeApproach)
        + "-"
        + element(originatingRegistry)
        + "-"
        + element(firstTransferringParty)
        + "-"
        + unitId
        + "."
        + String.format(Locale.ROOT, "%06d", serial)
        + "-"
        + vintage;
  }

  private static String element(String value) {
    return value == null || value.isBlank() ? "NA" : value.replace(' ', '_');
  }
}
