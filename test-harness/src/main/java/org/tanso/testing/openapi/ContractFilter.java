package org.tanso.testing.openapi;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.restassured.RestAssuredRequest;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;
import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Holds every RestAssured exchange to the {@link OpenApiContract}; runs last, next to the wire. */
final class ContractFilter implements OrderedFilter {

  private final OpenApiContract contract;

  ContractFilter(OpenApiContract contract) {
    this.contract = contract;
  }

  @Override
  public Response filter(
      FilterableRequestSpecification request,
      FilterableResponseSpecification responseSpec,
      FilterContext context) {
    // RestAssuredRequest misses query parameters written into the path ("/x?year=2026"): take the
    // query from the URI that is sent, the headers and body as RestAssured serialised them
    Request serialised = RestAssuredRequest.of(request);
    Request sent =
        OpenApiContract.request(
            request.getMethod(),
            URI.create(request.getURI()),
            serialised.getHeaders(),
            body(serialised));
    Response response = context.next(request, responseSpec);
    contract.check(sent, RestAssuredResponse.of(response));
    return response;
  }

  private static String body(Request serialised) {
    try {
      return serialised.getRequestBody().isPresent() && serialised.getRequestBody().get().hasBody()
          ? serialised.getRequestBody().get().toString(StandardCharsets.UTF_8)
          : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int getOrder() {
    return LOWEST_PRECEDENCE;
  }
}
