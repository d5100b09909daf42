package org.tanso.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tanso.events.issuance.IssuanceApproved;
import org.tanso.events.registry.AccountOpened;
import org.tanso.events.registry.AccountStatusChanged;
import org.tanso.events.registry.Block;
import org.tanso.events.registry.CreditsCancelled;
import org.tanso.events.registry.CreditsIssued;
import org.tanso.events.registry.CreditsRetired;
import org.tanso.events.registry.CreditsTransferred;
import org.tanso.events.registry.IssuanceFailed;
import org.tanso.events.registry.ParticipantRegistered;

/**
 * The golden JSON samples are the contract that producers and consumers both test against: each
 * must read into its payload record under strict settings, write back to the same JSON, name
 * every field of the record and tell a consistent story about accounts and serial numbers.
 *
 * <p>Samples live in {@code org/tanso/events/samples/} as {@code <EventName>.v1.json} (the
 * complete sample, no null anywhere) and optionally {@code <EventName>.v1.<variant>.json}.
 */
class GoldenSamplesTest {

  private static final String SAMPLES = "org/tanso/events/samples";

  private static final Map<String, Class<? extends Record>> EVENTS =
      Map.ofEntries(
          Map.entry("ProjectRegistered", org.tanso.events.issuance.ProjectRegistered.class),
          Map.entry("IssuanceRequested", org.tanso.events.issuance.IssuanceRequested.class),
          Map.entry("IssuanceApproved", IssuanceApproved.class),
          Map.entry("IssuanceRejected", org.tanso.events.issuance.IssuanceRejected.class),
          Map.entry("IssuanceOutcomeRecorded", org.tanso.events.issuance.IssuanceOutcomeRecorded.class),
          Map.entry("ParticipantRegistered", ParticipantRegistered.class),
          Map.entry("AccountOpened", AccountOpened.class),
          Map.entry("AccountStatusChanged", AccountStatusChanged.class),
          Map.entry("CreditsIssued", CreditsIssued.class),
          Map.entry("CreditsTransferred", CreditsTransferred.class),
          Map.entry("CreditsRetired", CreditsRetired.class),
          Map.entry("CreditsCancelled", CreditsCancelled.class),
          Map.entry("IssuanceFailed", IssuanceFailed.class));

  private static final Pattern FILE_NAME = Pattern.compile("([A-Z][A-Za-z0-9]*)\\.v1(\\.[a-z0-9]+(?:-[a-z0-9]+)*)?\\.json");

  /** JSON fields that always hold an account number, wherever they appear. */
  private static final Set<String> ACCOUNT_FIELDS = Set.of("account", "from", "to", "number", "cancellationAccount");

  private static final Pattern ACCOUNT_NUMBER = Pattern.compile("[A-Z]{2}-(100|200|300|400|500|600)-[0-9]{6}-[0-9]{2}");
  private static final Set<String> BLOCK_STATES = Set.of("ACTIVE", "RETIRED", "CANCELLED");
  private static final Set<String> MECHANISMS = Set.of("JCM", "A6_4");
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  // ---------------------------------------------------------------------------------------------
  // which samples exist

  static Stream<String> samples() {
    return sampleFileNames().stream();
  }

  static Stream<String> creditsIssuedSamples() {
    return samplesOf("CreditsIssued");
  }

  static Stream<String> issuanceApprovedSamples() {
    return samplesOf("IssuanceApproved");
  }

  static Stream<String> movementSamples() {
    return Stream.of("CreditsTransferred", "CreditsRetired", "CreditsCancelled").flatMap(GoldenSamplesTest::samplesOf);
  }

  @Test
  void everyEventHasACompleteSample() {
    List<String> files = sampleFileNames();
    for (String event : EVENTS.keySet()) {
      String complete = event + ".v1.json";
      assertTrue(files.contains(complete), "missing golden sample " + complete + " among " + files);
      List<String> nulls = new ArrayList<>();
      collectNulls(readTree(complete), "$", nulls);
      assertEquals(List.of(), nulls, complete + " is the complete sample of " + event + " and must not leave any field null");
    }
  }

  @Test
  void everySampleFileNamesAKnownEvent() {
    List<String> files = sampleFileNames();
    assertTrue(files.size() >= EVENTS.size(), "expected at least one sample per event, found " + files);
    for (String file : files) {
      Matcher m = FILE_NAME.matcher(file);
      assertTrue(m.matches(), file + " is not named <EventName>.v1[.variant].json");
      assertTrue(EVENTS.containsKey(m.group(1)), file + " names no known event; known: " + new TreeSet<>(EVENTS.keySet()));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // wire format

  @ParameterizedTest
  @MethodSource("samples")
  void readsIntoItsRecordAndWritesBackTheSameJson(String file) throws IOException {
    JsonNode golden = readTree(file);
    Record event = read(file);

    JsonNode written = MAPPER.readTree(MAPPER.writeValueAsString(event));

    List<String> differences = new ArrayList<>();
    compare(golden, written, "$", differences);
    assertEquals(List.of(), differences, file + " does not survive a round trip through " + typeOf(file).getSimpleName());
    assertEquals(event, MAPPER.readValue(MAPPER.writeValueAsString(event), typeOf(file)), "record -> JSON -> record changed " + file);
  }

  @ParameterizedTest
  @MethodSource("samples")
  void namesExactlyTheRecordComponents(String file) {
    List<String> problems = new ArrayList<>();
    checkComponents(typeOf(file), readTree(file), "$", problems);
    assertEquals(List.of(), problems, file);
  }

  @Test
  void comparisonSpotsChangedValuesTypesAndFields() throws IOException {
    // the round-trip assertion is only as good as this comparison
    JsonNode base = MAPPER.readTree("{\"a\": 1, \"b\": [\"x\", 33.33], \"c\": {\"d\": null}}");
    List<String> none = new ArrayList<>();
    compare(base, MAPPER.readTree("{\"c\": {\"d\": null}, \"b\": [\"x\", 33.330], \"a\": 1}"), "$", none);
    assertEquals(List.of(), none);
    for (String changed :
        List.of(
            "{\"a\": 2, \"b\": [\"x\", 33.33], \"c\": {\"d\": null}}",
            "{\"a\": \"1\", \"b\": [\"x\", 33.33], \"c\": {\"d\": null}}",
            "{\"a\": 1.0, \"b\": [\"x\", 33.33], \"c\": {\"d\": null}}",
            "{\"a\": 1, \"b\": [\"x\", 33.34], \"c\": {\"d\": null}}",
            "{\"a\": 1, \"b\": [33.33, \"x\"], \"c\": {\"d\": null}}",
            "{\"a\": 1, \"b\": [\"x\", 33.33], \"c\": {}}",
            "{\"a\": 1, \"b\": [\"x\", 33.33], \"c\": {\"d\": null, \"e\": 0}}",
            "{\"a\": 1, \"b\": [\"x\", 33.33, 1], \"c\": {\"d\": null}}")) {
      List<String> differences = new ArrayList<>();
      compare(base, MAPPER.readTree(changed), "$", differences);
      assertFalse(differences.isEmpty(), "no difference found between the base and " + changed);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // account numbers

  @ParameterizedTest
  @MethodSource("samples")
  void everyAccountFieldCarriesValidCheckDigits(String file) {
    List<String> problems = new ArrayList<>();
    checkAccountFields(readTree(file), "$", problems);
    assertEquals(List.of(), problems, file);
  }

  @ParameterizedTest
  @ValueSource(strings = {"JP-100-000042-95", "JP-600-000001-70", "JP-500-000002-19", "VN-100-000015-06", "MN-200-000002-34"})
  void checkDigitRuleAcceptsWellFormedNumbers(String number) {
    assertTrue(isValidAccountNumber(number), number);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "JP-100-000042-96", // check digit off by one
        "JP-100-000043-95", // sequence digit changed
        "JP-100-000024-95", // sequence digits swapped
        "JP-100-000042-59", // check digits swapped
        "JP-200-000042-95", // type code changed
        "PJ-100-000042-95", // party letters swapped
        "JP-700-000042-95", // unknown type code
        "jp-100-000042-95",
        "JP100000042-95",
        "JP-100-00042-95",
        ""
      })
  void checkDigitRuleRejectsDamagedNumbers(String number) {
    assertFalse(isValidAccountNumber(number), number);
  }

  // ---------------------------------------------------------------------------------------------
  // serial numbers and quantities

  @ParameterizedTest
  @MethodSource("creditsIssuedSamples")
  void issuedBlocksCoverOneToQuantityInOrder(String file) {
    CreditsIssued issued = (CreditsIssued) read(file);
    assertTrue(MECHANISMS.contains(issued.mechanism()), file + ": mechanism " + issued.mechanism());
    assertTrue(issued.quantity() > 0, file);
    assertFalse(issued.blocks().isEmpty(), file);

    String expectedPrefix = issued.mechanism() + "-" + issued.hostParty() + "-" + issued.project() + "-" + issued.vintage() + "-";
    assertTrue(issued.unitId().startsWith(expectedPrefix), file + ": unit id " + issued.unitId() + " should start with " + expectedPrefix);
    assertTrue(issued.unitId().substring(expectedPrefix.length()).matches("[0-9]{4,}"), file + ": issuance number of " + issued.unitId());
    assertFalse(issued.monitoringStart().isAfter(issued.monitoringEnd()), file + ": monitoring period reversed");

    long next = 1;
    for (Block block : issued.blocks()) {
      assertBlockWellFormed(file, block);
      assertEquals(issued.unitId(), block.unitId(), file + ": " + block.serial());
      assertEquals(next, block.start(), file + ": blocks must be contiguous from serial 1, " + block.serial());
      next = block.end() + 1;
    }
    assertEquals(issued.quantity(), next - 1, file + ": the last block must end at the issued quantity");
    assertEquals(issued.quantity(), sum(issued.blocks()), file + ": block quantities must sum to the issued quantity");
  }

  @ParameterizedTest
  @MethodSource("creditsIssuedSamples")
  void issuedDeductionsAndAuthorisationMatchTheMechanism(String file) {
    CreditsIssued issued = (CreditsIssued) read(file);
    List<Block> blocks = issued.blocks();
    long q = issued.quantity();
    List<Block> allocated;
    if ("A6_4".equals(issued.mechanism())) {
      assertTrue(blocks.size() >= 3, file + ": share of proceeds, OMGE and at least one allocation block");
      Block sop = blocks.get(0);
      Block omge = blocks.get(1);
      // integer division floors for positive quantities: 5 % and 2 % of q, rounded down
      assertEquals(q * 5 / 100, sop.quantity(), file + ": share of proceeds is 5 % floored");
      assertEquals("ACTIVE", sop.state(), file + ": share of proceeds stays ACTIVE");
      assertEquals("600", typeCode(sop.account()), file + ": share of proceeds goes to a SHARE_OF_PROCEEDS account");
      assertEquals(q * 2 / 100, omge.quantity(), file + ": overall mitigation cancellation is 2 % floored");
      assertEquals("CANCELLED", omge.state(), file + ": OMGE units are cancelled at issuance");
      assertEquals("500", typeCode(omge.account()), file + ": OMGE goes to a CANCELLATION account");
      allocated = blocks.subList(2, blocks.size());
    } else {
      allocated = blocks;
    }
    for (Block block : allocated) {
      assertEquals("ACTIVE", block.state(), file + ": allocated units are ACTIVE, " + block.serial());
      assertFalse(Set.of("500", "600").contains(typeCode(block.account())), file + ": allocation to a registry deduction account " + block.account());
    }

    if (issued.article6() == null) {
      assertEquals("MITIGATION_CONTRIBUTION", issued.authorisationStatus(), file);
      assertEquals("NOT_APPLICABLE", issued.correspondingAdjustment(), file);
    } else {
      assertEquals("AUTHORISED", issued.authorisationStatus(), file);
      assertEquals("REQUIRED", issued.correspondingAdjustment(), file);
      assertEquals(1, issued.article6().firstSerial(), file);
      assertEquals(q, issued.article6().lastSerial(), file);
      assertEquals(issued.vintage(), issued.article6().vintage(), file);
      assertEquals(issued.hostParty(), issued.article6().firstTransferringParty(), file);
      assertTrue(Set.of("NDC", "OIMP").contains(issued.article6().purpose()), file);
    }
  }

  @ParameterizedTest
  @MethodSource("creditsIssuedSamples")
  void issuedSamplesFollowTheApprovalOfTheSameRequest(String file) {
    CreditsIssued issued = (CreditsIssued) read(file);
    List<IssuanceApproved> approvals =
        samplesOf("IssuanceApproved")
            .map(f -> (IssuanceApproved) read(f))
            .filter(a -> a.requestId().equals(issued.requestId()))
            .toList();
    assertEquals(1, approvals.size(), file + ": exactly one IssuanceApproved sample should carry request " + issued.requestId());
    IssuanceApproved approved = approvals.get(0);

    assertEquals(approved.project(), issued.project());
    assertEquals(approved.mechanism(), issued.mechanism());
    assertEquals(approved.hostParty(), issued.hostParty());
    assertEquals(approved.vintage(), issued.vintage());
    assertEquals(approved.monitoringPeriod().start(), issued.monitoringStart());
    assertEquals(approved.monitoringPeriod().end(), issued.monitoringEnd());
    assertEquals(approved.quantity(), issued.quantity());
    assertEquals(approved.authorisation() == null, issued.article6() == null, file + ": article 6 elements exactly for authorised units");
    if (approved.authorisation() != null) {
      assertEquals(approved.authorisation().id(), issued.article6().authorisationId());
      assertEquals(approved.authorisation().purpose(), issued.article6().purpose());
      assertEquals(approved.authorisation().cooperativeApproach(), issued.article6().cooperativeApproach());
      assertTrue(issued.quantity() <= approved.authorisation().quantity(), file + ": issued above the authorised quantity");
    }

    // allocation after the deductions: floor per share, the remainder to the first share
    boolean deductions = "A6_4".equals(approved.mechanism());
    long rest = approved.quantity() - (deductions ? approved.quantity() * 5 / 100 + approved.quantity() * 2 / 100 : 0);
    long[] expected = new long[approved.allocation().size()];
    long floors = 0;
    for (int i = 0; i < expected.length; i++) {
      expected[i] = BigDecimal.valueOf(rest).multiply(approved.allocation().get(i).percent()).divide(HUNDRED, 0, RoundingMode.FLOOR).longValueExact();
      floors += expected[i];
    }
    expected[0] += rest - floors;
    List<Block> allocated = issued.blocks().subList(deductions ? 2 : 0, issued.blocks().size());
    List<String> expectedAccounts = new ArrayList<>();
    List<Long> expectedQuantities = new ArrayList<>();
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] > 0) {
        expectedAccounts.add(approved.allocation().get(i).account());
        expectedQuantities.add(expected[i]);
      }
    }
    assertEquals(expectedAccounts, allocated.stream().map(Block::account).toList(), file + ": allocation accounts in table order");
    assertEquals(expectedQuantities, allocated.stream().map(Block::quantity).toList(), file + ": allocation quantities");
  }

  @ParameterizedTest
  @MethodSource("issuanceApprovedSamples")
  void approvalsAllocateOneHundredPercent(String file) {
    IssuanceApproved approved = (IssuanceApproved) read(file);
    assertTrue(MECHANISMS.contains(approved.mechanism()), file);
    assertTrue(approved.quantity() > 0, file);
    assertFalse(approved.monitoringPeriod().start().isAfter(approved.monitoringPeriod().end()), file);
    BigDecimal total = BigDecimal.ZERO;
    Set<String> accounts = new LinkedHashSet<>();
    for (IssuanceApproved.AllocationShare share : approved.allocation()) {
      assertTrue(share.percent().signum() > 0, file + ": percent must be positive");
      assertTrue(accounts.add(share.account()), file + ": account named twice " + share.account());
      total = total.add(share.percent());
    }
    assertEquals(0, total.compareTo(HUNDRED), file + ": allocation sums to " + total);
  }

  @ParameterizedTest
  @MethodSource("movementSamples")
  void movementBlocksMatchTheMovement(String file) {
    Record event = read(file);
    if (event instanceof CreditsTransferred t) {
      assertNotEquals(t.from(), t.to(), file);
      assertMovedBlocks(file, t.blocks(), t.quantity(), t.to(), "ACTIVE");
    } else if (event instanceof CreditsRetired r) {
      assertTrue(Set.of("NDC", "OIMP").contains(r.purpose()), file);
      assertFalse(r.retirementId().isBlank(), file);
      assertMovedBlocks(file, r.blocks(), r.quantity(), r.account(), "RETIRED");
    } else if (event instanceof CreditsCancelled c) {
      assertEquals("500", typeCode(c.cancellationAccount()), file + ": cancellation account type");
      assertNotEquals(c.account(), c.cancellationAccount(), file);
      assertMovedBlocks(file, c.blocks(), c.quantity(), c.cancellationAccount(), "CANCELLED");
    } else {
      fail(file + " is not a movement");
    }
  }

  private static void assertMovedBlocks(String file, List<Block> blocks, long quantity, String account, String state) {
    assertTrue(quantity > 0, file);
    assertFalse(blocks.isEmpty(), file);
    for (Block block : blocks) {
      assertBlockWellFormed(file, block);
      assertEquals(account, block.account(), file + ": " + block.serial() + " should now be held by " + account);
      assertEquals(state, block.state(), file + ": " + block.serial());
    }
    for (int i = 0; i < blocks.size(); i++) {
      for (int j = i + 1; j < blocks.size(); j++) {
        Block a = blocks.get(i);
        Block b = blocks.get(j);
        boolean overlap = a.unitId().equals(b.unitId()) && a.start() <= b.end() && b.start() <= a.end();
        assertFalse(overlap, file + ": " + a.serial() + " overlaps " + b.serial());
      }
    }
    assertEquals(quantity, sum(blocks), file + ": block quantities must sum to the moved quantity");
  }

  private static void assertBlockWellFormed(String file, Block block) {
    assertTrue(block.start() >= 1, file + ": " + block.serial());
    assertTrue(block.end() >= block.start(), file + ": " + block.serial());
    assertEquals(block.end() - block.start() + 1, block.quantity(), file + ": quantity of " + block.serial());
    assertEquals(expectedSerial(block.unitId(), block.start(), block.end()), block.serial(), file);
    assertTrue(BLOCK_STATES.contains(block.state()), file + ": state " + block.state());
  }

  /** {@code {unitId}-{start}-{end}}, both zero-padded to the same width, at least six digits. */
  private static String expectedSerial(String unitId, long start, long end) {
    String s = Long.toString(start);
    String e = Long.toString(end);
    int width = Math.max(6, e.length());
    StringBuilder serial = new StringBuilder(unitId).append('-');
    serial.append("0".repeat(width - s.length())).append(s).append('-');
    serial.append("0".repeat(width - e.length())).append(e);
    return serial.toString();
  }

  private static long sum(List<Block> blocks) {
    return blocks.stream().mapToLong(Block::quantity).sum();
  }

  // ---------------------------------------------------------------------------------------------
  // checks over the JSON tree

  /** ISO 7064 MOD 97-10 validation: the whole number, letters as A=10..Z=35, is 1 modulo 97. */
  static boolean isValidAccountNumber(String text) {
    if (text == null || !ACCOUNT_NUMBER.matcher(text).matches()) {
      return false;
    }
    int remainder = 0;
    for (char c : text.replace("-", "").toCharArray()) {
      if (c >= 'A' && c <= 'Z') {
        remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
      } else {
        remainder = (remainder * 10 + (c - '0')) % 97;
      }
    }
    return remainder == 1;
  }

  private static String typeCode(String accountNumber) {
    assertTrue(isValidAccountNumber(accountNumber), "not an account number: " + accountNumber);
    return accountNumber.substring(3, 6);
  }

  private static void checkAccountFields(JsonNode node, String path, List<String> problems) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String fieldPath = path + "." + field.getKey();
        JsonNode value = field.getValue();
        if (ACCOUNT_FIELDS.contains(field.getKey())) {
          if (!value.isTextual()) {
            problems.add(fieldPath + " should be an account number, is " + value);
          } else if (!isValidAccountNumber(value.textValue())) {
            problems.add(fieldPath + " = " + value.textValue() + " fails the account number check");
          }
        }
        checkAccountFields(value, fieldPath, problems);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkAccountFields(node.get(i), path + "[" + i + "]", problems);
      }
    }
  }

  private static void collectNulls(JsonNode node, String path, List<String> nulls) {
    if (node.isNull()) {
      nulls.add(path);
    } else if (node.isObject()) {
      node.properties().forEach(e -> collectNulls(e.getValue(), path + "." + e.getKey(), nulls));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectNulls(node.get(i), path + "[" + i + "]", nulls);
      }
    }
  }

  /** The object's field names are exactly the record's component names, and so on down nested records. */
  private static void checkComponents(Class<?> type, JsonNode node, String path, List<String> problems) {
    if (!node.isObject()) {
      problems.add(path + " should be a JSON object for " + type.getSimpleName() + ", is " + node.getNodeType());
      return;
    }
    Set<String> components = new TreeSet<>();
    for (RecordComponent component : type.getRecordComponents()) {
      components.add(component.getName());
      JsonNode value = node.get(component.getName());
      if (value == null || value.isNull()) {
        continue;
      }
      if (component.getType().isRecord()) {
        checkComponents(component.getType(), value, path + "." + component.getName(), problems);
      } else if (List.class.isAssignableFrom(component.getType())) {
        Class<?> element = elementType(component.getGenericType());
        if (element != null && element.isRecord()) {
          for (int i = 0; i < value.size(); i++) {
            checkComponents(element, value.get(i), path + "." + component.getName() + "[" + i + "]", problems);
          }
        }
      }
    }
    Set<String> fields = new TreeSet<>();
    node.fieldNames().forEachRemaining(fields::add);
    if (!fields.equals(components)) {
      Set<String> missing = new TreeSet<>(components);
      missing.removeAll(fields);
      Set<String> extra = new TreeSet<>(fields);
      extra.removeAll(components);
      problems.add(path + " (" + type.getSimpleName() + "): missing " + missing + ", unknown " + extra);
    }
  }

  private static Class<?> elementType(Type listType) {
    if (listType instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c) {
      return c;
    }
    return null;
  }

  /**
   * Structural comparison: same fields (in any order), same array order, same text, and numbers
   * equal in value and both integral or both not, so that 33.33 and 33.330 match but 1 and 1.0
   * do not.
   */
  private static void compare(JsonNode expected, JsonNode actual, String path, List<String> differences) {
    if (expected.isNumber() && actual.isNumber()) {
      if (expected.isIntegralNumber() != actual.isIntegralNumber() || expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
        differences.add(path + ": expected " + expected + " but was " + actual);
      }
      return;
    }
    if (expected.getNodeType() != actual.getNodeType()) {
      differences.add(path + ": expected " + expected.getNodeType() + " " + expected + " but was " + actual.getNodeType() + " " + actual);
      return;
    }
    if (expected.isObject()) {
      Set<String> names = new TreeSet<>();
      expected.fieldNames().forEachRemaining(names::add);
      actual.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode e = expected.get(name);
        JsonNode a = actual.get(name);
        if (e == null) {
          differences.add(path + "." + name + ": not expected, was " + a);
        } else if (a == null) {
          differences.add(path + "." + name + ": expected " + e + ", missing");
        } else {
          compare(e, a, path + "." + name, differences);
        }
      }
    } else if (expected.isArray()) {
      if (expected.size() != actual.size()) {
        differences.add(path + ": expected " + expected.size() + " elements but was " + actual.size());
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        compare(expected.get(i), actual.get(i), path + "[" + i + "]", differences);
      }
    } else if (!expected.equals(actual)) {
      differences.add(path + ": expected " + expected + " but was " + actual);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // loading

  private static Stream<String> samplesOf(String event) {
    return sampleFileNames().stream().filter(f -> f.startsWith(event + ".v1."));
  }

  private static Class<? extends Record> typeOf(String file) {
    Matcher m = FILE_NAME.matcher(file);
    assertTrue(m.matches(), "not a sample file name: " + file);
    Class<? extends Record> type = EVENTS.get(m.group(1));
    assertNotNull(type, "no event record for " + file);
    return type;
  }

  private static Record read(String file) {
    try (InputStream in = open(file)) {
      return MAPPER.readValue(in, typeOf(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " as " + typeOf(file).getSimpleName(), e);
    }
  }

  private static JsonNode readTree(String file) {
    try (InputStream in = open(file)) {
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  private static InputStream open(String file) {
    InputStream in = GoldenSamplesTest.class.getClassLoader().getResourceAsStream(SAMPLES + "/" + file);
    assertNotNull(in, "no resource " + SAMPLES + "/" + file);
    return in;
  }

  private static final Map<String, List<String>> LISTING = new HashMap<>();

  /** File names in the samples folder on the class path, sorted; works from a folder or a jar. */
  private static synchronized List<String> sampleFileNames() {
    return LISTING.computeIfAbsent(SAMPLES, GoldenSamplesTest::list);
  }

  private static List<String> list(String folder) {
    URL url = GoldenSamplesTest.class.getClassLoader().getResource(folder);
    assertNotNull(url, "no folder " + folder + " on the class path");
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
          return namesIn(jar.getPath(folder));
        }
      }
      return namesIn(Path.of(uri));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> namesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().collect(Collectors.toList());
    }
  }
}
