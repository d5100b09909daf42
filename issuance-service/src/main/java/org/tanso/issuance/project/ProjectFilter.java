package org.tanso.issuance.project;

import org.tanso.http.ApiException;
import org.tanso.http.ListQuery;
import org.tanso.issuance.project.domain.Parties;

/**
 * A filter on a project list: mechanism and host party, each optional (null: any). A value that is
 * not a mechanism or an ISO 3166-1 alpha-2 code is a malformed request.
 */
public record ProjectFilter(ProjectViews.Mechanism mechanism, String hostParty) {

  /** The query parameters every project list takes besides {@code limit} and {@code after}. */
  public static final String[] PARAMETERS = {"mechanism", "hostParty"};

  public static ProjectFilter of(ListQuery query) {
    ProjectViews.Mechanism mechanism = query.oneOf("mechanism", ProjectViews.Mechanism.class);
    String party = query.text("hostParty");
    if (party != null && !Parties.isParty(party)) {
      throw ApiException.malformed(
          "hostParty '" + ApiException.echo(party) + "' is not an ISO 3166-1 alpha-2 code");
    }
    return new ProjectFilter(mechanism, party);
  }
}
