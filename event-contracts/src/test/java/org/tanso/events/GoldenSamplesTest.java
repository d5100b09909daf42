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
import org.tanso.events.interregistry.TransferAnswered;
import org.tanso.events.interregistry.TransferCompleted;
import org.tanso.events.interregistry.TransferProposed;
import org.tanso.events.interregistry.TransferTerminated;
import org.tanso.events.interregistry.TransferredUnits;
import org.tanso.events.issuance.IssuanceApproved;
import org.tanso.events.registry.AccountOpened;
import org.tanso.events.registry.AccountStatusChanged;
import org.tanso.events.registry.Block;
import org.tanso.events.registry.CreditsCancelled;
import org.tanso.events.registry.CreditsIssued;
import org.tanso.events.registry.CreditsRetired;
import org.tanso.events.registry.CreditsTransferred;
import org.tanso.events.registry.FirstTransferRecorded;
import org.tanso.events.registry.InternationalTransferAnswered;
import org.tanso.events.registry.InternationalTransferCompleted;
import org.tanso.events.registry.InternationalTransferProposed;
import org.tanso.events.registry.InternationalTransferTerminated;
import org.tanso.events.registry.IssuanceFailed;
import org.tanso.events.registry.ParticipantRegistered;
import org.tanso.events.registry.UnitsAcquired;

/**
 * The golden JSON samples are the contract that producers and consumers both test against: each
 * must read into its payload record under strict settings, write back to the same JSON, name every
 * field of the record and tell a consistent story about accounts and serial numbers.
 *
 * <p>Samples live in {@code org/tanso/events/samples/} as {@code <EventName>.v1.json} (the complete
 * sample, no null anywhere) and optionally {@code <EventName>.v1.<variant>.json}.
 */
class GoldenSamplesTest {

  private static final String SAMPLES = "org/tanso/events/samples";

  static final Map<String, Class<? extends Record>> EVENTS =
      Map.ofEntries(
          Map.entry("ProjectRegistered", org.tanso.events.issuance.ProjectRegistered.class),
          Map.entry("IssuanceRequested", org.tanso.events.issuance.IssuanceRequested.class),
          Map.entry("IssuanceApproved", IssuanceApproved.class),
          Map.entry("IssuanceRejected", org.tanso.events.issuance.IssuanceRejected.class),
          Map.entry(
              "IssuanceOutcomeRecorded", org.tanso.events.issuance.IssuanceOutcomeRecorded.class),
          Map.entry("ParticipantRegistered", ParticipantRegistered.class),
          Map.entry("AccountOpened", AccountOpened.class),
          Map.entry("AccountStatusChanged", AccountStatusChanged.class),
          Map.entry("CreditsIssued", CreditsIssued.class),
          Map.entry("CreditsTransferred", CreditsTransferred.class),
          Map.entry("CreditsRetired", CreditsRetired.class),
          Map.entry("CreditsCancelled", CreditsCancelled.class),
          Map.entry("IssuanceFailed", IssuanceFailed.class),
          Map.entry("FirstTransferRecorded", FirstTransferRecorded.class),
          Map.entry("InternationalTransferProposed", InternationalTransferProposed.class),
          Map.entry("InternationalTransferAnswered", InternationalTransferAnswered.class),
          Map.entry("InternationalTransferCompleted", InternationalTransferCompleted.class),
          Map.entry("InternationalTransferTerminated", InternationalTransferTerminated.class),
          Map.entry("UnitsAcquired", UnitsAcquired.class),
          Map.entry("TransferProposed", TransferProposed.class),
          Map.entry("TransferAnswered", TransferAnswered.class),
          Map.entry("TransferCompleted", TransferCompleted.class),
          Map.entry("TransferTerminated", TransferTerminated.class));

  private static final Pattern FILE_NAME =
      Pattern.compile("([A-Z][A-Za-z0-9]*)\\.v1(\\.[a-z0-9]+(?:-[a-z0-9]+)*)?\\.json");

  /** JSON fields that always hold an account number, wherever they appear. */
  private static final Set<String> ACCOUNT_FIELDS =
      Set.of("account", "from", "to", "number", "cancellationAccount", "fromAccount", "toAccount");

  private static final Pattern ACCOUNT_NUMBER =
      Pattern.compile("[A-Z]{2}-(100|200|300|400|500|600)-[0-9]{6}-[0-9]{2}");
  private static final Set<String> BLOCK_STATES =
      Set.of("ACTIVE", "RETIRED", "CANCELLED", "RESERVED", "TRANSFERRED_OUT");

  /** A registry id: its party, then what it registers, e.g. {@code VN-JCM}. */
  private static final Pattern REGISTRY_ID = Pattern.compile("([A-Z]{2})-[A-Z0-9_]+");

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

  static Stream<String> internationalTransferSamples() {
    return Stream.of(
            "InternationalTransferProposed",
            "InternationalTransferAnswered",
            "InternationalTransferCompleted",
            "InternationalTransferTerminated",
            "UnitsAcquired",
            "TransferProposed",
            "TransferAnswered",
            "TransferCompleted",
            "TransferTerminated")
        .flatMap(GoldenSamplesTest::samplesOf);
  }

  static Stream<String> firstTransferSamples() {
    return samplesOf("FirstTransferRecorded");
  }

  static Stream<String> movementSamples() {
    return Stream.of("CreditsTransferred", "CreditsRetired", "CreditsCancelled")
        .flatMap(GoldenSamplesTest::samplesOf);
  }

  @Test
  void everyEventHasACompleteSample() {
    List<String> files = sampleFileNames();
    for (String event : EVENTS.keySet()) {
      String complete = event + ".v1.json";
      assertTrue(files.contains(complete), "missing golden sample " + complete + " among " + files);
      List<String> nulls = new ArrayList<>();
      collectNulls(readTree(complete), "$", nulls);
      assertEquals(
          List.of(),
          nulls,
          complete + " is the complete sample of " + event + " and must not leave any field null");
    }
  }

  @Test
  void everySampleFileNamesAKnownEvent() {
    List<String> files = sampleFileNames();
    assertTrue(
        files.size() >= EVENTS.size(), "expected at least one sample per event, found " + files);
    for (String file : files) {
      Matcher m = FILE_NAME.matcher(file);
      assertTrue(m.matches(), file + " is not named <EventName>.v1[.variant].json");
      assertTrue(
          EVENTS.containsKey(m.group(1)),
          file + " names no known event; known: " + new TreeSet<>(EVENTS.keySet()));
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
    assertEquals(
        List.of(),
        differences,
        file + " does not survive a round trip through " + typeOf(file).getSimpleName());
    assertEquals(
        event,
        MAPPER.readValue(MAPPER.writeValueAsString(event), typeOf(file)),
        "record -> JSON -> record changed " + file);
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
    compare(
        base,
        MAPPER.readTree("{\"c\": {\"d\": null}, \"b\": [\"x\", 33.330], \"a\": 1}"),
        "$",
        none);
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
  @ValueSource(
      strings = {
        "JP-100-000042-95",
        "JP-600-000001-70",
        "JP-500-000002-19",
        "VN-100-000015-06",
        "MN-200-000002-34"
      })
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

    String expectedPrefix =
        issued.mechanism()
            + "-"
            + issued.hostParty()
            + "-"
            + issued.project()
            + "-"
            + issued.vintage()
            + "-";
    assertTrue(
        issued.unitId().startsWith(expectedPrefix),
        file + ": unit id " + issued.unitId() + " should start with " + expectedPrefix);
    assertTrue(
        issued.unitId().substring(expectedPrefix.length()).matches("[0-9]{4,}"),
        file + ": issuance number of " + issued.unitId());
    assertFalse(
        issued.monitoringStart().isAfter(issued.monitoringEnd()),
        file + ": monitoring period reversed");

    long next = 1;
    for (Block block : issued.blocks()) {
      assertBlockWellFormed(file, block);
      assertEquals(issued.unitId(), block.unitId(), file + ": " + block.serial());
      assertEquals(
          next,
          block.start(),
          file + ": blocks must be contiguous from serial 1, " + block.serial());
      next = block.end() + 1;
    }
    assertEquals(
        issued.quantity(), next - 1, file + ": the last block must end at the issued quantity");
    assertEquals(
        issued.quantity(),
        sum(issued.blocks()),
        file + ": block quantities must sum to the issued quantity");
  }

  @ParameterizedTest
  @MethodSource("creditsIssuedSamples")
  void issuedDeductionsAndAuthorisationMatchTheMechanism(String file) {
    CreditsIssued issued = (CreditsIssued) read(file);
    List<Block> blocks = issued.blocks();
    long q = issued.quantity();
    List<Block> allocated;
    if ("A6_4".equals(issued.mechanism())) {
      assertTrue(
          blocks.size() >= 3, file + ": share of proceeds, OMGE and at least one allocation block");
      Block sop = blocks.get(0);
      Block omge = blocks.get(1);
      // integer division floors for positive quantities: 5 % and 2 % of q, rounded down
      assertEquals(q * 5 / 100, sop.quantity(), file + ": share of proceeds is 5 % floored");
      assertEquals("ACTIVE", sop.state(), file + ": share of proceeds stays ACTIVE");
      assertEquals(
          "600",
          typeCode(sop.account()),
          file + ": share of proceeds goes to a SHARE_OF_PROCEEDS account");
      assertEquals(
          q * 2 / 100, omge.quantity(), file + ": overall mitigation cancellation is 2 % floored");
      assertEquals("CANCELLED", omge.state(), file + ": OMGE units are cancelled at issuance");
      assertEquals("500", typeCode(omge.account()), file + ": OMGE goes to a CANCELLATION account");
      allocated = blocks.subList(2, blocks.size());
    } else {
      allocated = blocks;
    }
    for (Block block : allocated) {
      assertEquals(
          "ACTIVE", block.state(), file + ": allocated units are ACTIVE, " + block.serial());
      assertFalse(
          Set.of("500", "600").contains(typeCode(block.account())),
          file + ": allocation to a registry deduction account " + block.account());
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
    assertEquals(
        1,
        approvals.size(),
        file + ": exactly one IssuanceApproved sample should carry request " + issued.requestId());
    IssuanceApproved approved = approvals.get(0);

    assertEquals(approved.project(), issued.project());
    assertEquals(approved.mechanism(), issued.mechanism());
    assertEquals(approved.hostParty(), issued.hostParty());
    assertEquals(approved.vintage(), issued.vintage());
    assertEquals(approved.monitoringPeriod().start(), issued.monitoringStart());
    assertEquals(approved.monitoringPeriod().end(), issued.monitoringEnd());
    assertEquals(approved.quantity(), issued.quantity());
    assertEquals(
        approved.authorisation() == null,
        issued.article6() == null,
        file + ": article 6 elements exactly for authorised units");
    if (approved.authorisation() != null) {
      assertEquals(approved.authorisation().id(), issued.article6().authorisationId());
      assertEquals(approved.authorisation().purpose(), issued.article6().purpose());
      assertEquals(
          approved.authorisation().cooperativeApproach(), issued.article6().cooperativeApproach());
      assertTrue(
          issued.quantity() <= approved.authorisation().quantity(),
          file + ": issued above the authorised quantity");
    }

    // allocation after the deductions: floor per share, the remainder to the first share
    boolean deductions = "A6_4".equals(approved.mechanism());
    long rest =
        approved.quantity()
            - (deductions ? approved.quantity() * 5 / 100 + approved.quantity() * 2 / 100 : 0);
    long[] expected = new long[approved.allocation().size()];
    long floors = 0;
    for (int i = 0; i < expected.length; i++) {
      expected[i] =
          BigDecimal.valueOf(rest)
              .multiply(approved.allocation().get(i).percent())
              .divide(HUNDRED, 0, RoundingMode.FLOOR)
              .longValueExact();
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
    assertEquals(
        expectedAccounts,
        allocated.stream().map(Block::account).toList(),
        file + ": allocation accounts in table order");
    assertEquals(
        expectedQuantities,
        allocated.stream().map(Block::quantity).toList(),
        file + ": allocation quantities");
  }

  @ParameterizedTest
  @MethodSource("issuanceApprovedSamples")
  void approvalsAllocateOneHundredPercent(String file) {
    IssuanceApproved approved = (IssuanceApproved) read(file);
    assertTrue(MECHANISMS.contains(approved.mechanism()), file);
    assertTrue(approved.quantity() > 0, file);
    assertFalse(
        approved.monitoringPeriod().start().isAfter(approved.monitoringPeriod().end()), file);
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

  // ---------------------------------------------------------------------------------------------
  // international transfers: the sender's and the receiver's events and the messages between them

  private static final Set<String> ANSWERS = Set.of("ACCEPTED", "REJECTED");
  private static final Set<String> FIRST_TRANSFER_TRIGGERS =
      Set.of("INTERNATIONAL_TRANSFER", "AUTHORISATION", "ISSUANCE", "USE_OR_CANCELLATION");
  private static final Set<String> FIRST_TRANSFER_DEFINITIONS =
      Set.of("AUTHORISATION", "ISSUANCE", "USE_OR_CANCELLATION");

  /**
   * What one sample says about its transfer; null where it says nothing. {@code sender} and {@code
   * receiver} are the registries of the transfer, whichever way the message goes.
   */
  private record TransferView(
      String transferId,
      String sender,
      String receiver,
      String fromAccount,
      String toAccount,
      Long quantity,
      List<String> ranges,
      String answer,
      String code) {}

  private static TransferView view(Record event) {
    if (event instanceof InternationalTransferProposed p) {
      return new TransferView(
          p.transferId(),
          p.fromRegistry(),
          p.toRegistry(),
          p.from(),
          p.toAccount(),
          p.quantity(),
          blockRanges(p.blocks()),
          null,
          null);
    }
    if (event instanceof InternationalTransferCompleted c) {
      return new TransferView(
          c.transferId(),
          c.fromRegistry(),
          c.toRegistry(),
          c.from(),
          c.toAccount(),
          c.quantity(),
          blockRanges(c.blocks()),
          null,
          null);
    }
    if (event instanceof InternationalTransferTerminated t) {
      return new TransferView(
          t.transferId(),
          t.fromRegistry(),
          t.toRegistry(),
          t.from(),
          t.toAccount(),
          t.quantity(),
          blockRanges(t.blocks()),
          null,
          t.code());
    }
    if (event instanceof UnitsAcquired a) {
      return new TransferView(
          a.transferId(),
          a.fromRegistry(),
          a.toRegistry(),
          a.from(),
          a.toAccount(),
          a.quantity(),
          blockRanges(a.blocks()),
          null,
          null);
    }
    if (event instanceof InternationalTransferAnswered a) {
      return new TransferView(
          a.transferId(),
          a.fromRegistry(),
          a.toRegistry(),
          null,
          a.toAccount(),
          a.quantity(),
          null,
          a.answer(),
          a.code());
    }
    if (event instanceof TransferProposed p) {
      return new TransferView(
          p.transferId(),
          p.fromRegistry(),
          p.toRegistry(),
          p.fromAccount(),
          p.toAccount(),
          p.quantity(),
          unitRanges(p.units()),
          null,
          null);
    }
    if (event instanceof TransferAnswered a) {
      // the answer travels from the receiver back to the sender
      return new TransferView(
          a.transferId(),
          a.toRegistry(),
          a.fromRegistry(),
          null,
          null,
          null,
          null,
          a.answer(),
          a.code());
    }
    if (event instanceof TransferCompleted c) {
      long quantity = c.units().stream().mapToLong(TransferredUnits::quantity).sum();
      return new TransferView(
          c.transferId(),
          c.fromRegistry(),
          c.toRegistry(),
          null,
          null,
          quantity,
          unitRanges(c.units()),
          null,
          null);
    }
    if (event instanceof TransferTerminated t) {
      return new TransferView(
          t.transferId(), t.fromRegistry(), t.toRegistry(), null, null, null, null, null, t.code());
    }
    throw new AssertionError("not an international transfer sample: " + event);
  }

  @ParameterizedTest
  @MethodSource("internationalTransferSamples")
  void internationalTransferSamplesAreConsistent(String file) {
    Record event = read(file);
    TransferView v = view(event);
    assertFalse(v.transferId().isBlank(), file);
    String senderParty = registryParty(file, v.sender());
    String receiverParty = registryParty(file, v.receiver());
    assertNotEquals(v.sender(), v.receiver(), file + ": a transfer between two registries");
    if (v.fromAccount() != null) {
      assertEquals(
          senderParty,
          partyOf(v.fromAccount()),
          file + ": the sending account belongs to the sending registry's party");
    }
    if (v.toAccount() != null) {
      assertEquals(
          receiverParty,
          partyOf(v.toAccount()),
          file + ": the receiving account belongs to the receiving registry's party");
    }
    if (event instanceof InternationalTransferProposed p) {
      assertMovedBlocks(file, p.blocks(), p.quantity(), p.from(), "RESERVED");
    } else if (event instanceof InternationalTransferCompleted c) {
      assertMovedBlocks(file, c.blocks(), c.quantity(), c.from(), "TRANSFERRED_OUT");
    } else if (event instanceof InternationalTransferTerminated t) {
      assertFalse(t.code().isBlank(), file + ": a termination has a code");
      assertMovedBlocks(file, t.blocks(), t.quantity(), t.from(), "ACTIVE");
    } else if (event instanceof UnitsAcquired a) {
      assertMovedBlocks(file, a.blocks(), a.quantity(), a.toAccount(), "ACTIVE");
    } else if (event instanceof InternationalTransferAnswered a) {
      assertTrue(a.quantity() > 0, file);
      assertAnswer(file, a.answer(), a.code(), a.detail());
    } else if (event instanceof TransferProposed p) {
      assertTransferredUnits(file, p.units(), p.quantity());
    } else if (event instanceof TransferAnswered a) {
      assertAnswer(file, a.answer(), a.code(), a.detail());
    } else if (event instanceof TransferCompleted c) {
      assertTransferredUnits(file, c.units(), v.quantity());
    } else if (event instanceof TransferTerminated t) {
      assertFalse(t.code().isBlank(), file + ": a termination has a code");
    } else {
      fail(file);
    }

    // every other sample of the same transfer tells the same story
    Set<String> outcomes = new TreeSet<>();
    for (String other : internationalTransferSamples().toList()) {
      Record otherEvent = read(other);
      TransferView w = view(otherEvent);
      if (!w.transferId().equals(v.transferId())) {
        continue;
      }
      if (otherEvent instanceof InternationalTransferCompleted
          || otherEvent instanceof TransferCompleted
          || otherEvent instanceof UnitsAcquired) {
        outcomes.add("COMPLETED");
      } else if (otherEvent instanceof InternationalTransferTerminated
          || otherEvent instanceof TransferTerminated) {
        outcomes.add("TERMINATED");
      }
      String pair = file + " and " + other + " (transfer " + v.transferId() + ")";
      assertEquals(v.sender(), w.sender(), pair + ": sending registry");
      assertEquals(v.receiver(), w.receiver(), pair + ": receiving registry");
      assertSameWhereBothSay(pair + ": sending account", v.fromAccount(), w.fromAccount());
      assertSameWhereBothSay(pair + ": receiving account", v.toAccount(), w.toAccount());
      assertSameWhereBothSay(pair + ": quantity", v.quantity(), w.quantity());
      assertSameWhereBothSay(pair + ": serial ranges", v.ranges(), w.ranges());
      assertSameWhereBothSay(pair + ": answer", v.answer(), w.answer());
      assertSameWhereBothSay(pair + ": code", v.code(), w.code());
      if ("ACCEPTED".equals(v.answer()) || "ACCEPTED".equals(w.answer())) {
        assertFalse(
            otherEvent instanceof InternationalTransferTerminated
                || otherEvent instanceof TransferTerminated
                || event instanceof InternationalTransferTerminated
                || event instanceof TransferTerminated,
            pair + ": rejected transfers are terminated, accepted ones here complete");
      }
    }
    assertTrue(
        outcomes.size() <= 1,
        file + ": transfer " + v.transferId() + " both completed and terminated");
  }

  private static void assertAnswer(String file, String answer, String code, String detail) {
    assertTrue(ANSWERS.contains(answer), file + ": answer " + answer);
    if ("ACCEPTED".equals(answer)) {
      assertEquals(null, code, file + ": an acceptance has no code");
      assertEquals(null, detail, file + ": an acceptance has no detail");
    } else {
      assertNotNull(code, file + ": a rejection has a stable code");
      assertFalse(code.isBlank(), file);
    }
  }

  private static void assertTransferredUnits(
      String file, List<TransferredUnits> units, long quantity) {
    assertFalse(units.isEmpty(), file);
    for (TransferredUnits u : units) {
      TransferredUnits.Origin o = u.origin();
      String range = u.unitId() + " " + u.start() + ".." + u.end();
      String prefix =
          o.mechanism() + "-" + o.hostParty() + "-" + o.project() + "-" + o.vintage() + "-";
      assertTrue(
          u.unitId().startsWith(prefix)
              && u.unitId().substring(prefix.length()).matches("[0-9]{4,}"),
          file + ": unit id " + u.unitId() + " should be " + prefix + "<issuance no>");
      assertTrue(MECHANISMS.contains(o.mechanism()), file + ": mechanism " + o.mechanism());
      assertTrue(u.start() >= 1 && u.end() >= u.start(), file + ": " + range);
      assertTrue(
          u.end() <= o.issuedQuantity(),
          file + ": " + range + " beyond the " + o.issuedQuantity() + " units issued");
      assertFalse(
          o.monitoringStart().isAfter(o.monitoringEnd()), file + ": monitoring period reversed");
      assertFalse(o.purposes().isEmpty(), file + ": purposes");
      assertTrue(
          Set.of("NDC", "OIMP").containsAll(o.purposes()), file + ": purposes " + o.purposes());
      if (o.purposes().contains("OIMP")) {
        assertTrue(
            FIRST_TRANSFER_DEFINITIONS.contains(o.firstTransferDefinition()),
            file + ": OIMP needs a first transfer definition, is " + o.firstTransferDefinition());
      } else {
        assertEquals(
            null,
            o.firstTransferDefinition(),
            file + ": a first transfer definition only for OIMP");
      }
      assertEquals(
          o.hostParty(), o.firstTransferringParty(), file + ": the host party transfers first");
      assertEquals(
          o.hostParty(),
          registryParty(file, o.originatingRegistry()),
          file + ": the originating registry is the host party's");
      TransferredUnits.CorrespondingAdjustment ca = u.correspondingAdjustment();
      switch (ca.status()) {
        case "PENDING" -> {
          assertEquals(null, ca.appliedAt(), file + ": " + range + " PENDING has no appliedAt");
          assertEquals(null, ca.appliedBy(), file + ": " + range + " PENDING has no appliedBy");
        }
        case "APPLIED" -> {
          assertNotNull(ca.appliedAt(), file + ": " + range + " APPLIED needs appliedAt");
          assertEquals(
              o.firstTransferringParty(),
              ca.appliedBy(),
              file + ": " + range + " the first transferring party applies the adjustment");
          assertFalse(
              ca.appliedAt()
                  .isBefore(
                      o.authorisationDate().atStartOfDay(java.time.ZoneOffset.UTC).toInstant()),
              file + ": " + range + " adjusted before it was authorised");
        }
        default -> fail(file + ": corresponding adjustment status " + ca.status());
      }
    }
    List<String> ranges = unitRanges(units);
    for (int i = 0; i < units.size(); i++) {
      for (int j = i + 1; j < units.size(); j++) {
        TransferredUnits a = units.get(i);
        TransferredUnits b = units.get(j);
        assertFalse(
            a.unitId().equals(b.unitId()) && a.start() <= b.end() && b.start() <= a.end(),
            file + ": overlapping ranges " + ranges);
      }
    }
    assertEquals(
        quantity,
        units.stream().mapToLong(TransferredUnits::quantity).sum(),
        file + ": ranges must sum to the quantity");
  }

  @ParameterizedTest
  @MethodSource("firstTransferSamples")
  void firstTransferMatchesWhatTriggeredIt(String file) {
    FirstTransferRecorded first = (FirstTransferRecorded) read(file);
    assertTrue(
        FIRST_TRANSFER_TRIGGERS.contains(first.trigger()), file + ": trigger " + first.trigger());
    assertEquals(
        registryParty(file, first.registry()),
        first.firstTransferringParty(),
        file + ": the registry's own party transfers first");
    assertTrue(first.quantity() > 0, file);
    for (Block block : first.blocks()) {
      assertBlockWellFormed(file, block);
    }
    assertEquals(
        first.quantity(),
        sum(first.blocks()),
        file + ": block quantities must sum to the quantity");
    if (!first.trigger().equals("INTERNATIONAL_TRANSFER")) {
      return;
    }
    // the blocks as the completed transfer left them, and the messages say the same
    List<InternationalTransferCompleted> completions =
        samplesOf("InternationalTransferCompleted")
            .map(f -> (InternationalTransferCompleted) read(f))
            .filter(c -> c.transferId().equals(first.triggeredBy()))
            .toList();
    assertEquals(
        1,
        completions.size(),
        file
            + ": exactly one InternationalTransferCompleted sample should be transfer "
            + first.triggeredBy());
    InternationalTransferCompleted completed = completions.get(0);
    assertEquals(
        first.registry(),
        completed.fromRegistry(),
        file + ": the sending registry records the first transfer");
    assertEquals(
        completed.blocks(), first.blocks(), file + ": the blocks of the completed transfer");
    assertEquals(completed.at(), first.at(), file + ": recorded as the transfer completes");
    samplesOf("TransferProposed")
        .map(f -> (TransferProposed) read(f))
        .filter(p -> p.transferId().equals(first.triggeredBy()))
        .flatMap(p -> p.units().stream())
        .forEach(
            u ->
                assertEquals(
                    "PENDING",
                    u.correspondingAdjustment().status(),
                    file + ": a first transfer was not adjusted at proposal"));
    samplesOf("TransferCompleted")
        .map(f -> (TransferCompleted) read(f))
        .filter(c -> c.transferId().equals(first.triggeredBy()))
        .flatMap(c -> c.units().stream())
        .forEach(
            u ->
                assertEquals(
                    new TransferredUnits.CorrespondingAdjustment(
                        "APPLIED", first.at(), first.firstTransferringParty()),
                    u.correspondingAdjustment(),
                    file + ": the completion carries the adjustment just applied"));
  }

  private static <T> void assertSameWhereBothSay(String what, T a, T b) {
    if (a != null && b != null) {
      assertEquals(a, b, what);
    }
  }

  private static String registryParty(String file, String registryId) {
    Matcher m = REGISTRY_ID.matcher(registryId == null ? "" : registryId);
    assertTrue(m.matches(), file + ": not a registry id: " + registryId);
    return m.group(1);
  }

  private static String partyOf(String accountNumber) {
    assertTrue(isValidAccountNumber(accountNumber), "not an account number: " + accountNumber);
    return accountNumber.substring(0, 2);
  }

  private static List<String> blockRanges(List<Block> blocks) {
    return blocks.stream().map(b -> b.unitId() + ":" + b.start() + "-" + b.end()).sorted().toList();
  }

  private static List<String> unitRanges(List<TransferredUnits> units) {
    return units.stream().map(u -> u.unitId() + ":" + u.start() + "-" + u.end()).sorted().toList();
  }

  private static void assertMovedBlocks(
      String file, List<Block> blocks, long quantity, String account, String state) {
    assertTrue(quantity > 0, file);
    assertFalse(blocks.isEmpty(), file);
    for (Block block : blocks) {
      assertBlockWellFormed(file, block);
      assertEquals(
          account,
          block.account(),
          file + ": " + block.serial() + " should now be held by " + account);
      assertEquals(state, block.state(), file + ": " + block.serial());
    }
    for (int i = 0; i < blocks.size(); i++) {
      for (int j = i + 1; j < blocks.size(); j++) {
        Block a = blocks.get(i);
        Block b = blocks.get(j);
        boolean overlap =
            a.unitId().equals(b.unitId()) && a.start() <= b.end() && b.start() <= a.end();
        assertFalse(overlap, file + ": " + a.serial() + " overlaps " + b.serial());
      }
    }
    assertEquals(quantity, sum(blocks), file + ": block quantities must sum to the moved quantity");
  }

  private static void assertBlockWellFormed(String file, Block block) {
    assertTrue(block.start() >= 1, file + ": " + block.serial());
    assertTrue(block.end() >= block.start(), file + ": " + block.serial());
    assertEquals(
        block.end() - block.start() + 1,
        block.quantity(),
        file + ": quantity of " + block.serial());
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

  /**
   * The object's field names are exactly the record's component names, and so on down nested
   * records.
   */
  private static void checkComponents(
      Class<?> type, JsonNode node, String path, List<String> problems) {
    if (!node.isObject()) {
      problems.add(
          path
              + " should be a JSON object for "
              + type.getSimpleName()
              + ", is "
              + node.getNodeType());
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
            checkComponents(
                element, value.get(i), path + "." + component.getName() + "[" + i + "]", problems);
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
      problems.add(
          path + " (" + type.getSimpleName() + "): missing " + missing + ", unknown " + extra);
    }
  }

  private static Class<?> elementType(Type listType) {
    if (listType instanceof ParameterizedType p
        && p.getActualTypeArguments()[0] instanceof Class<?> c) {
      return c;
    }
    return null;
  }

  /**
   * Structural comparison: same fields (in any order), same array order, same text, and numbers
   * equal in value and both integral or both not, so that 33.33 and 33.330 match but 1 and 1.0 do
   * not.
   */
  private static void compare(
      JsonNode expected, JsonNode actual, String path, List<String> differences) {
    if (expected.isNumber() && actual.isNumber()) {
      if (expected.isIntegralNumber() != actual.isIntegralNumber()
          || expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
        differences.add(path + ": expected " + expected + " but was " + actual);
      }
      return;
    }
    if (expected.getNodeType() != actual.getNodeType()) {
      differences.add(
          path
              + ": expected "
              + expected.getNodeType()
              + " "
              + expected
              + " but was "
              + actual.getNodeType()
              + " "
              + actual);
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
        differences.add(
            path + ": expected " + expected.size() + " elements but was " + actual.size());
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
      throw new UncheckedIOException(
          "cannot read " + file + " as " + typeOf(file).getSimpleName(), e);
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
    InputStream in =
        GoldenSamplesTest.class.getClassLoader().getResourceAsStream(SAMPLES + "/" + file);
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
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
