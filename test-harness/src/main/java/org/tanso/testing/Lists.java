package org.tanso.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Reading a paged list ({@code limit}, {@code after} → {@code {items, next}}) in a test. */
public final class Lists {

  private Lists() {}

  /**
   * Every item of the list at {@code path}, read {@code limit} at a time by following {@code next};
   * checks that no page is larger than asked and every page before the last is full.
   */
  public static List<Map<String, Object>> walk(
      String token, String path, Map<String, ?> filters, int limit) {
    List<Map<String, Object>> all = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      RequestSpecification request =
          given().auth().oauth2(token).queryParams(filters).queryParam("limit", limit);
      if (after != null) {
        request.queryParam("after", after);
      }
      JsonPath page = request.get(path).then().statusCode(200).extract().jsonPath();
      List<Map<String, Object>> items = page.getList("items");
      after = page.getString("next");
      assertTrue(items.size() <= limit, path + " answered more than " + limit + " items");
      if (after != null) {
        assertEquals(limit, items.size(), "a page before the last is full");
      }
      all.addAll(items);
      pages++;
      assertTrue(pages < 10_000, "paging never ends");
    } while (after != null);
    return all;
  }

  /** The {@code name} field of each item, as text. */
  public static List<String> field(List<Map<String, Object>> items, String name) {
    return items.stream().map(i -> String.valueOf(i.get(name))).toList();
  }

  public static void assertNoRepeats(List<String> keys) {
    assertEquals(keys.size(), new HashSet<>(keys).size(), "an item came twice: " + keys);
  }

  /**
   * No item of {@code listed} comes twice, and {@code expected} all appear in it in this order
   * (others may come between them).
   */
  public static void assertInOrder(List<String> expected, List<String> listed) {
    assertNoRepeats(listed);
    List<String> seen = listed.stream().filter(expected::contains).toList();
    assertEquals(expected, seen, "missing, repeated or out of order in " + listed);
  }

  /** GET {@code path} with {@code query} is 400 MALFORMED_REQUEST problem+json. */
  public static void assertMalformed(String token, String path, Map<String, ?> query) {
    given()
        .auth()
        .oauth2(token)
        .queryParams(query)
        .get(path)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", is("MALFORMED_REQUEST"));
  }
}
