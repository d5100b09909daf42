package org.tanso.registry.unit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.tanso.http.StrictJson;
import org.tanso.registry.account.domain.AccountNumber;

/**
 * Generated request bodies, most of them hostile, read the way the REST layer reads them (strict
 * JSON, then bean validation): each is either refused with a JSON or validation error, or is a
 * request whose every field is usable. Nothing else may happen: no other exception, no accepted
 * quantity below 1, no accepted text with a NUL.
 */
class RequestFuzzTest {

  private static final ObjectMapper JSON = strictMapper();
  private static final Validator VALIDATOR =
      Validation.byDefaultProvider()
          .configure()
          .messageInterpolator(new ParameterMessageInterpolator())
          .buildValidatorFactory()
          .getValidator();

  @Property
  void transferBodiesAreRefusedCleanlyOrUsable(
      @ForAll("values") String from,
      @ForAll("values") String to,
      @ForAll("values") String quantity,
      @ForAll("values") String serials,
      @ForAll("shapes") int shape) {
    String body =
        switch (shape) {
          case 0 -> "{\"from\":" + from + ",\"to\":" + to + ",\"quantity\":" + quantity + "}";
          case 1 -> "{\"from\":" + from + ",\"to\":" + to + ",\"serials\":" + serials + "}";
          case 2 -> "{\"from\":" + from + ",\"quantity\":" + quantity + ",\"extra\":" + to + "}";
          default -> "[" + from + "," + quantity + "]";
        };
    MovementViews.TransferRequest request;
    try {
      request = JSON.readValue(body, MovementViews.TransferRequest.class);
    } catch (JsonProcessingException refused) {
      return;
    }
    if (request == null || !VALIDATOR.validate(request).isEmpty()) {
      return;
    }
    // accepted by the readers: everything the service relies on holds
    assertTrue(request.quantity() == null || request.quantity() >= 1, body);
    for (String text : new String[] {request.from(), request.to()}) {
      assertTrue(
          text != null && !text.isBlank() && text.indexOf('\u0000') < 0 && text.length() <= 32,
          body);
      AccountNumber.parse(text); // never throws, whatever the text
    }
    if (request.serials() != null) {
      for (MovementViews.SerialRangeRequest range : request.serials()) {
        assertTrue(
            range.start() >= 1 && range.end() >= 1 && range.unitId().indexOf('\u0000') < 0, body);
      }
    }
  }

  @Property
  void retirementBodiesAreRefusedCleanlyOrUsable(
      @ForAll("values") String account,
      @ForAll("values") String quantity,
      @ForAll("values") String beneficiary,
      @ForAll("values") String purpose,
      @ForAll("values") String party) {
    String body =
        "{\"account\":"
            + account
            + ",\"quantity\":"
            + quantity
            + ",\"beneficiary\":"
            + beneficiary
            + ",\"purpose\":"
            + purpose
            + ",\"usingParty\":"
            + party
            + "}";
    MovementViews.RetirementRequest request;
    try {
      request = JSON.readValue(body, MovementViews.RetirementRequest.class);
    } catch (JsonProcessingException refused) {
      return;
    }
    if (!VALIDATOR.validate(request).isEmpty()) {
      return;
    }
    assertTrue(request.quantity() >= 1, body);
    assertTrue(request.usingParty().matches("[A-Z]{2}") && request.purpose() != null, body);
    assertTrue(request.beneficiary().chars().noneMatch(Character::isISOControl), body);
  }

  @Provide
  Arbitrary<Integer> shapes() {
    return Arbitraries.integers().between(0, 3);
  }

  @Provide
  Arbitrary<String> values() {
    Arbitrary<String> fixed =
        Arbitraries.of(
            "null",
            "true",
            "0",
            "-1",
            "1",
            "7",
            "1.5",
            "1e3",
            "-0.0",
            "99999999999999999999",
            "9223372036854775807",
            "\"\"",
            "\"JP-100-000042-95\"",
            "\"jp-100-000042-95\"",
            "\"JP-100-000042-96\"",
            "\"NDC\"",
            "\"OIMP\"",
            "\"JP\"",
            "\"XX\"",
            "\"\\u0000\"",
            "\"\\u202eJP\"",
            "\"../../etc\"",
            "[]",
            "{}",
            "[{\"unitId\":\"U\",\"start\":1,\"end\":2}]",
            "[{\"unitId\":\"U\",\"start\":2,\"end\":1}]",
            "[{\"unitId\":\"U\",\"start\":\"1\",\"end\":2}]",
            "[null]",
            "{\"a\":[1,{\"b\":null}]}");
    Arbitrary<String> text =
        Arbitraries.strings()
            .all()
            .ofMaxLength(40)
            .map(
                s -> {
                  try {
                    return JSON.writeValueAsString(s);
                  } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                  }
                });
    Arbitrary<String> numbers = Arbitraries.longs().map(n -> Long.toString(n));
    Arbitrary<String> garbage =
        Arbitraries.strings().withChars("{}[]\",:0123456789.-eE ntrufals\\").ofMaxLength(12);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, fixed),
        net.jqwik.api.Tuple.of(3, text),
        net.jqwik.api.Tuple.of(2, numbers),
        net.jqwik.api.Tuple.of(1, garbage));
  }

  private static ObjectMapper strictMapper() {
    ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
    new StrictJson().customize(mapper);
    return mapper;
  }
}
