package org.tanso.issuance.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tanso.issuance.project.domain.AccountNumbers;
import org.tanso.issuance.project.domain.AllocationTable;

class IssuanceDomainTest {

  @Test
  void periodsOverlapWhenTheyShareADayEvenAtTheEdge() {
    MonitoringPeriod h1 = new MonitoringPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 6, 30));
    assertTrue(
        h1.overlaps(new MonitoringPeriod(LocalDate.of(2025, 6, 30), LocalDate.of(2025, 12, 31))));
    assertFalse(
        h1.overlaps(new MonitoringPeriod(LocalDate.of(2025, 7, 1), LocalDate.of(2025, 12, 31))));
    assertTrue(
        h1.overlaps(new MonitoringPeriod(LocalDate.of(2024, 1, 1), LocalDate.of(2026, 1, 1))));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MonitoringPeriod(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 1, 31)));
  }

  @Test
  void vintageIsAYearThePeriodTouches() {
    MonitoringPeriod span =
        new MonitoringPeriod(LocalDate.of(2024, 10, 1), LocalDate.of(2025, 3, 31));
    assertTrue(span.admitsVintage(2024));
    assertTrue(span.admitsVintage(2025));
    assertFalse(span.admitsVintage(2023));
    assertFalse(span.admitsVintage(2026));
  }

  @Test
  void workflowTransitions() {
    assertTrue(RequestStatus.SUBMITTED.mayBecome(RequestStatus.APPROVED));
    assertTrue(RequestStatus.SUBMITTED.mayBecome(RequestStatus.REJECTED));
    assertTrue(RequestStatus.APPROVED.mayBecome(RequestStatus.ISSUED));
    assertTrue(RequestStatus.APPROVED.mayBecome(RequestStatus.FAILED));
    for (RequestStatus terminal :
        List.of(RequestStatus.REJECTED, RequestStatus.ISSUED, RequestStatus.FAILED)) {
      for (RequestStatus next : RequestStatus.values()) {
        assertFalse(terminal.mayBecome(next), terminal + " -> " + next);
      }
    }
    assertFalse(RequestStatus.SUBMITTED.mayBecome(RequestStatus.ISSUED));
  }

  @Test
  void allocationTables() {
    assertNull(
        AllocationTable.problem(List.of(row("A", "33.33"), row("B", "33.33"), row("C", "33.34"))));
    assertNotNull(AllocationTable.problem(List.of(row("A", "50"), row("B", "49.99"))));
    assertNotNull(AllocationTable.problem(List.of(row("A", "50"), row("A", "50"))));
    assertNotNull(AllocationTable.problem(List.of(row("A", "0"), row("B", "100"))));
    assertNotNull(AllocationTable.problem(List.of(row("A", "100.00001"))));
    assertNotNull(AllocationTable.problem(List.of()));
  }

  /**
   * DESIGN.md: two ISO 7064 MOD 97-10 check digits over {@code JP100000042}, letters as A=10..Z=35.
   * The expected digits are computed here digit by digit (Horner's rule modulo 97), not with the
   * production code's big-integer arithmetic; every valid number is accepted, and every single
   * substitution and every transposition of two neighbouring characters is refused.
   */
  @Test
  void accountNumbersCarryCheckDigits() {
    assertEquals("JP-100-000042-95", numberWithCheckDigits("JP", 100, 42), "the design's example");
    java.util.Random random = new java.util.Random(20250115L);
    List<String> parties = List.of("JP", "VN", "MN", "KH", "TH", "ID", "KE", "AZ", "ZA", "QQ");
    java.util.regex.Pattern format =
        java.util.regex.Pattern.compile("[A-Z]{2}-[1-6]00-\\d{6}-\\d{2}");
    int checked = 0;
    int formatValidMutants = 0;
    for (int i = 0; i < 300; i++) {
      String party =
          i < parties.size()
              ? parties.get(i)
              : "" + (char) ('A' + random.nextInt(26)) + (char) ('A' + random.nextInt(26));
      int type = 100 * (1 + random.nextInt(6));
      int sequence =
          switch (i % 10) {
            case 0 -> 0;
            case 1 -> 999_999;
            default -> random.nextInt(1_000_000);
          };
      String valid = numberWithCheckDigits(party, type, sequence);
      assertEquals(
          1,
          mod97(valid.replace("-", "")),
          "ISO 7064 check: the whole number is 1 modulo 97 (" + valid + ")");
      assertTrue(AccountNumbers.isWellFormed(valid), valid + " is valid and must be accepted");
      char[] chars = valid.toCharArray();
      for (int at = 0; at < chars.length; at++) {
        char original = chars[at];
        if (original == '-') {
          continue;
        }
        String alphabet = Character.isDigit(original) ? "0123456789" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (char replacement : alphabet.toCharArray()) {
          if (replacement == original) {
            continue;
          }
          chars[at] = replacement;
          String mutant = new String(chars);
          formatValidMutants += format.matcher(mutant).matches() ? 1 : 0;
          assertFalse(
              AccountNumbers.isWellFormed(mutant),
              mutant + " (one character of " + valid + " changed) must be refused");
          checked++;
        }
        chars[at] = original;
      }
      // neighbours in the character sequence without the hyphens: a swap may span a hyphen
      List<Integer> positions = new java.util.ArrayList<>();
      for (int at = 0; at < chars.length; at++) {
        if (chars[at] != '-') {
          positions.add(at);
        }
      }
      for (int k = 0; k + 1 < positions.size(); k++) {
        int a = positions.get(k);
        int b = positions.get(k + 1);
        if (chars[a] == chars[b]) {
          continue;
        }
        char[] swapped = chars.clone();
        swapped[a] = chars[b];
        swapped[b] = chars[a];
        String mutant = new String(swapped);
        formatValidMutants += format.matcher(mutant).matches() ? 1 : 0;
        assertFalse(
            AccountNumbers.isWellFormed(mutant),
            mutant + " (neighbours of " + valid + " swapped) must be refused");
        checked++;
      }
    }
    assertTrue(
        formatValidMutants > checked / 2,
        "most mutants are well-formed in shape, so only the check digits can refuse them: "
            + formatValidMutants
            + " of "
            + checked);
    assertFalse(AccountNumbers.isWellFormed("JP-700-000042-95"), "type code outside 100..600");
    assertFalse(AccountNumbers.isWellFormed("jp-100-000042-95"), "lower-case party");
    assertFalse(AccountNumbers.isWellFormed("JP-100-000042-095"));
    assertFalse(AccountNumbers.isWellFormed("JP100000042 95"));
    assertFalse(AccountNumbers.isWellFormed(null));
  }

  private static String numberWithCheckDigits(String party, int type, int sequence) {
    String body = party + type + String.format(java.util.Locale.ROOT, "%06d", sequence);
    int check = 98 - mod97(body + "00");
    return party
        + "-"
        + type
        + "-"
        + String.format(java.util.Locale.ROOT, "%06d", sequence)
        + "-"
        + String.format(java.util.Locale.ROOT, "%02d", check);
  }

  /** The value of {@code text} modulo 97, letters as A=10..Z=35, one decimal digit at a time. */
  private static int mod97(String text) {
    int remainder = 0;
    for (char c : text.toCharArray()) {
      String digits =
          Character.isLetter(c) ? Integer.toString(c - 'A' + 10) : Character.toString(c);
      for (char d : digits.toCharArray()) {
        remainder = (remainder * 10 + (d - '0')) % 97;
      }
    }
    return remainder;
  }

  private static AllocationTable.Row row(String account, String percent) {
    return new AllocationTable.Row(account, new BigDecimal(percent));
  }
}
