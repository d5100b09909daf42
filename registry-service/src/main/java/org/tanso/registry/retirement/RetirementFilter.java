package org.tanso.registry.retirement;

import java.util.regex.Pattern;
import org.tanso.http.ApiException;
import org.tanso.http.ListQuery;

/**
 * The filters of a retirement list, each optional: the beneficiary exactly as recorded, the UTC
 * year of retirement, and a project whose units were retired. Anything else is a malformed request.
 */
record RetirementFilter(String beneficiary, Integer year, String project) {

  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final Pattern YEAR = Pattern.compile("[0-9]{4}");

  /** The filters a retirement list takes, besides paging. */
  static final String[] PARAMETERS = {"beneficiary", "year", "project"};

  static RetirementFilter of(ListQuery query) {
    return of(query.text("beneficiary"), query.text("year"), query.text("project"));
  }

  static RetirementFilter of(String beneficiary, String year, String project) {
    if (beneficiary != null
        && (beneficiary.isBlank()
            || beneficiary.length() > 200
            || beneficiary.chars().anyMatch(Character::isISOControl))) {
      throw ApiException.malformed("beneficiary must be 1 to 200 characters without controls");
    }
    if (year != null && !YEAR.matcher(year).matches()) {
      throw ApiException.malformed(
          "year must be four digits, e.g. 2026, not " + ApiException.echo(year));
    }
    if (project != null && !PROJECT.matcher(project).matches()) {
      throw ApiException.malformed(
          "project must be a project id (letters, digits, '_' or '-', at most 32), not "
              + ApiException.echo(project));
    }
    return new RetirementFilter(beneficiary, year == null ? null : Integer.valueOf(year), project);
  }

  /** The filter as text, for fingerprints of what a list shows. */
  String describe() {
    return "beneficiary=" + beneficiary + "\nyear=" + year + "\nproject=" + project;
  }
}
