package org.tanso.registry.account.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AccountNumberTest {

  private static final String EXAMPLE = "JP-100-000042-95";

  /** Type codes as documented for the account types. */
  private static final Set<Integer> TYPE_CODES = Set.of(100, 200, 300, 400, 500, 600);

  // ---------------------------------------------------------------------------------------------
  // an independent ISO 7064 MOD 97-10 implementation (digit by digit, no BigInteger)

  private static int mod97(String lettersAndDigits) {
    int remainder = 0;
    for (char c : lettersAndDigits.toCharArray()) {
      if (c >= 'A' && c <= 'Z') {
        remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
      } else if (c >= '0' && c <= '9') {
        remainder = (remainder * 10 + (c - '0')) % 97;
      } else {
        throw new IllegalArgumentException("not a letter or digit: " + c);
      }
    }
    return remainder;
  }

  /** The two check digits that make {@code body} followed by them equal 1 modulo 97. */
  private static String expectedCheckDigits(String body) {
    int check = 98 - mod97(body + "00");
    return check < 10 ? "0" + check : Integer.toString(check);
  }

  /**
   * Whether {@code text} is {@code AA-ttt-ssssss-cc} with ASCII digits, a known type code and a
   * correct check.
   */
  private static boolean independentlyValid(String text) {
    if (text == null || text.length() != 16) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          switch (i) {
            case 0, 1 -> c >= 'A' && c <= 'Z';
            case 2, 6, 13 -> c == '-';
            default -> c >= '0' && c <= '9';
          };
      if (!ok) {
        return false;
      }
    }
    if (!TYPE_CODES.contains(Integer.parseInt(text.substring(3, 6)))) {
      return false;
    }
    return mod97(text.replace("-", "")) == 1;
  }

  private static String format(String party, int typeCode, int sequence) {
    String code = Integer.toString(typeCode);
    String seq = Integer.toString(sequence);
    String paddedSeq = "0".repeat(6 - seq.length()) + seq;
    return party
        + "-"
        + code
        + "-"
        + paddedSeq
        + "-"
        + expectedCheckDigits(party + code + paddedSeq);
  }

  // ---------------------------------------------------------------------------------------------
  // the example and round trips

  @Test
  void parsesTheDesignExample() {
    AccountNumber number = AccountNumber.parse(EXAMPLE).orElseThrow();

    assertEquals("JP", number.party());
    assertEquals(AccountType.HOLDING, number.type());
    assertEquals(42, number.sequence());
    assertEquals(EXAMPLE, number.toString());
    assertEquals(new AccountNumber("JP", AccountType.HOLDING, 42), number);
    assertTrue(AccountNumber.isValid(EXAMPLE));
  }

  @Test
  void theExampleCheckDigitsAreTheIso7064Ones() {
    // J=19, P=25: 19 25 100 000042 00 mod 97 = 3, and 98 - 3 = 95
    assertEquals(3, mod97("JP10000004200"));
    assertEquals("95", expectedCheckDigits("JP100000042"));
    assertEquals("95", AccountNumber.checkDigits("JP100000042"));
    assertEquals(1, mod97("JP10000004295"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "JP-600-000001-70",
        "JP-500-000002-19",
        "VN-100-000015-06",
        "VN-200-000003-90",
        "MN-100-000008-65",
        "JP-200-000004-63"
      })
  void parsesOtherWellFormedNumbers(String text) {
    assertTrue(independentlyValid(text), "fixture itself must be valid: " + text);
    AccountNumber number = AccountNumber.parse(text).orElseThrow();
    assertEquals(text, number.toString());
    assertEquals(text.substring(0, 2), number.party());
    assertEquals(Integer.parseInt(text.substring(3, 6)), number.type().code());
    assertEquals(Integer.parseInt(text.substring(7, 13)), number.sequence());
  }

  @Test
  void randomNumbersRoundTrip() {
    Random random = new Random(7064);
    AccountType[] types = AccountType.values();
    for (int i = 0; i < 5_000; i++) {
      String party = "" + (char) ('A' + random.nextInt(26)) + (char) ('A' + random.nextInt(26));
      AccountType type = types[random.nextInt(types.length)];
      int sequence =
          switch (i) {
            case 0 -> 0;
            case 1 -> 999_999;
            default -> random.nextInt(1_000_000);
          };
      AccountNumber number = new AccountNumber(party, type, sequence);

      String text = number.toString();

      assertEquals(format(party, type.code(), sequence), text);
      assertTrue(independentlyValid(text), text);
      assertEquals(Optional.of(number), AccountNumber.parse(text), text);
    }
  }

  @ParameterizedTest
  @EnumSource(AccountType.class)
  void everyTypeRoundTripsThroughItsCode(AccountType type) {
    assertTrue(TYPE_CODES.contains(type.code()), type + " has code " + type.code());
    assertEquals(Optional.of(type), AccountType.ofCode(type.code()));
    AccountNumber number = new AccountNumber("VN", type, 15);
    assertEquals(Optional.of(number), AccountNumber.parse(number.toString()));
    assertEquals(type.code(), Integer.parseInt(number.toString().substring(3, 6)));
  }

  // ---------------------------------------------------------------------------------------------
  // mistyped digits

  /** Positions of the digits in {@code AA-ttt-ssssss-cc}. */
  private static final int[] TYPE_POSITIONS = {3, 4, 5};

  private static final int[] SEQUENCE_POSITIONS = {7, 8, 9, 10, 11, 12};
  private static final int[] CHECK_POSITIONS = {14, 15};

  private static List<String> singleDigitChanges(String text, int[]... positionGroups) {
    List<String> changed = new ArrayList<>();
    for (int[] positions : positionGroups) {
      for (int position : positions) {
        for (char digit = '0'; digit <= '9'; digit++) {
          if (digit != text.charAt(position)) {
            char[] chars = text.toCharArray();
            chars[position] = digit;
            changed.add(new String(chars));
          }
        }
      }
    }
    return changed;
  }

  @Test
  void everySingleDigitChangeOfTheExampleIsJudgedLikeTheStandard() {
    List<String> changes =
        singleDigitChanges(EXAMPLE, TYPE_POSITIONS, SEQUENCE_POSITIONS, CHECK_POSITIONS);
    assertEquals(11 * 9, changes.size());
    int accepted = 0;
    for (String changed : changes) {
      boolean expected = independentlyValid(changed);
      assertEquals(expected, AccountNumber.isValid(changed), changed);
      if (expected) {
        accepted++;
      }
    }
    // MOD 97-10 changes the remainder for any single digit substitution: d * 10^k is never a
    // multiple of the prime 97 for 0 < |d| < 10
    assertEquals(0, accepted);
  }

  @Test
  void everySingleDigitChangeOfAnyNumberIsRejected() {
    Random random = new Random(9710);
    AccountType[] types = AccountType.values();
    for (int i = 0; i < 300; i++) {
      String party = "" + (char) ('A' + random.nextInt(26)) + (char) ('A' + random.nextInt(26));
      String text =
          new AccountNumber(party, types[random.nextInt(types.length)], random.nextInt(1_000_000))
              .toString();
      for (String changed :
          singleDigitChanges(text, TYPE_POSITIONS, SEQUENCE_POSITIONS, CHECK_POSITIONS)) {
        assertFalse(AccountNumber.isValid(changed), changed + " (a mistyped " + text + ")");
      }
    }
  }

  /**
   * {@code text} with each pair of neighbouring, different digits at {@code positions} swapped, one
   * pair at a time.
   */
  private static List<String> adjacentSwaps(String text, int[] positions) {
    List<String> swapped = new ArrayList<>();
    for (int i = 0; i + 1 < positions.length; i++) {
      int a = positions[i];
      int b = positions[i + 1];
      if (text.charAt(a) != text.charAt(b)) {
        char[] chars = text.toCharArray();
        chars[a] = text.charAt(b);
        chars[b] = text.charAt(a);
        swapped.add(new String(chars));
      }
    }
    return swapped;
  }

  /**
   * The digits 100000042 of the example as positions in the text, across the dash between type and
   * sequence.
   */
  private static final int[] TYPE_AND_SEQUENCE = {3, 4, 5, 7, 8, 9, 10, 11, 12};

  /** Every digit of the number in order, across dashes. */
  private static final int[] ALL_DIGITS = {3, 4, 5, 7, 8, 9, 10, 11, 12, 14, 15};

  @Test
  void swappedAdjacentDigitsOfTheExampleAreRejected() {
    List<String> swaps = adjacentSwaps(EXAMPLE, TYPE_AND_SEQUENCE);
    swaps.addAll(adjacentSwaps(EXAMPLE, CHECK_POSITIONS));
    // in 1 0 0 0 0 0 0 4 2 the differing neighbours are 1|0, 0|4 and 4|2; then 9|5
    assertEquals(
        List.of("JP-010-000042-95", "JP-100-000402-95", "JP-100-000024-95", "JP-100-000042-59"),
        swaps);
    for (String swapped : swaps) {
      assertFalse(independentlyValid(swapped), swapped);
      assertFalse(AccountNumber.isValid(swapped), swapped);
    }
  }

  @Test
  void swappedAdjacentDigitsOfAnyNumberAreRejected() {
    Random random = new Random(1997);
    AccountType[] types = AccountType.values();
    int checked = 0;
    for (int i = 0; i < 500; i++) {
      String party = "" + (char) ('A' + random.nextInt(26)) + (char) ('A' + random.nextInt(26));
      String text =
          new AccountNumber(party, types[random.nextInt(types.length)], random.nextInt(1_000_000))
              .toString();
      for (String swapped : adjacentSwaps(text, ALL_DIGITS)) {
        assertFalse(AccountNumber.isValid(swapped), swapped + " (swapped digits of " + text + ")");
        checked++;
      }
    }
    assertTrue(checked > 1_000, "too few swaps exercised: " + checked);
  }

  // ---------------------------------------------------------------------------------------------
  // malformed text

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "jp-100-000042-95",
        "Jp-100-000042-95",
        "JP100000042-95",
        "JP-100000042-95",
        "JP-100-00004295",
        "JP10000004295",
        "JP 100 000042 95",
        "JP_100_000042_95",
        "JP-100-00042-95",
        "JP-100-0000042-95",
        "JP-10-000042-95",
        "JP-1000-000042-95",
        "JP-100-000042-9",
        "JP-100-000042-950",
        "J-100-000042-95",
        "JPN-100-000042-95",
        "12-100-000042-95",
        " JP-100-000042-95",
        "JP-100-000042-95 ",
        "JP-100-000042-95\n",
        "JP-100-000042-95\u0000",
        "\u0000JP-100-000042-95",
        "JP-100-\t00042-95",
        "JP\u2013100\u2013000042\u201395",
        "JP-100-00004\u0662-95",
        "JP-100-0000\u0664\u0662-95",
        "JP-\u0661\u0660\u0660-000042-95",
        "JP-100-000042-\u0669\u0665",
        "JP-100-000042-\uff19\uff15",
        "\uff2a\uff30-100-000042-95",
        "JP-100-+00042-95",
        "JP-100--00042-95",
        "-",
        "JP-100-000042-95-95"
      })
  void rejectsMalformedText(String text) {
    assertFalse(AccountNumber.isValid(text), String.valueOf(text));
    assertEquals(Optional.empty(), AccountNumber.parse(text));
  }

  @Test
  void unicodeDigitsThatWouldCarryTheRightValueAreStillRejected() {
    // U+0664 and U+0662 are the Arabic-Indic 4 and 2: read numerically they give exactly the valid
    // example, so only the format check stands between them and acceptance
    String lookalike = "JP-100-0000\u0664\u0662-95";
    assertEquals(42, Integer.parseInt("0000\u0664\u0662"));
    assertFalse(AccountNumber.isValid(lookalike));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 99, 101, 150, 250, 700, 900, 999})
  void rejectsUnknownTypeCodesEvenWithCorrectCheckDigits(int code) {
    assertFalse(TYPE_CODES.contains(code));
    String padded = code < 10 ? "00" + code : code < 100 ? "0" + code : Integer.toString(code);
    String body = "JP" + padded + "000042";
    String text = "JP-" + padded + "-000042-" + expectedCheckDigits(body);
    assertEquals(1, mod97(text.replace("-", "")), "the check digits of " + text + " are right");

    assertFalse(AccountNumber.isValid(text), text);
    assertEquals(Optional.empty(), AccountType.ofCode(code));
  }

  // ---------------------------------------------------------------------------------------------
  // constructor

  @ParameterizedTest
  @ValueSource(strings = {"jp", "J", "JPN", "", "1P", "J-"})
  void refusesAPartyThatIsNotTwoCapitals(String party) {
    assertThrows(
        IllegalArgumentException.class, () -> new AccountNumber(party, AccountType.HOLDING, 1));
  }

  @Test
  void refusesANullPartyAndSequencesOutsideSixDigits() {
    assertThrows(
        IllegalArgumentException.class, () -> new AccountNumber(null, AccountType.HOLDING, 1));
    assertThrows(
        IllegalArgumentException.class, () -> new AccountNumber("JP", AccountType.HOLDING, -1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new AccountNumber("JP", AccountType.HOLDING, 1_000_000));
    assertEquals(
        "JP-100-999999-" + expectedCheckDigits("JP100999999"),
        new AccountNumber("JP", AccountType.HOLDING, 999_999).toString());
    assertEquals(
        "JP-100-000000-" + expectedCheckDigits("JP100000000"),
        new AccountNumber("JP", AccountType.HOLDING, 0).toString());
  }

  // ---------------------------------------------------------------------------------------------
  // account types

  @Test
  void unitsInRetirementAndCancellationAccountsNeverMove() {
    assertFalse(AccountType.RETIREMENT.maySend());
    assertFalse(AccountType.CANCELLATION.maySend());
    assertFalse(AccountType.RETIREMENT.mayReceive());
    assertFalse(AccountType.CANCELLATION.mayReceive());
    assertTrue(AccountType.HOLDING.maySend());
    assertTrue(AccountType.HOLDING.mayReceive());
    assertTrue(AccountType.GOVERNMENT_HOLDING.maySend());
    assertTrue(AccountType.GOVERNMENT_HOLDING.mayReceive());
  }
}
