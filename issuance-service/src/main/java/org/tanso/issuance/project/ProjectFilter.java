package org.tanso.issuance.project;

import org.tanso.http.ApiException;
import org.tanso.issuance.project.domain.Parties;

/**
 * A filter on the project list: mechanism and host party, each optional (null: any). Built from
 * query parameters; an empty parameter is an absent one, any other value that is not a mechanism or
 * an ISO 3166-1 alpha-2 code is a malformed request.
 */
public record ProjectFilter(ProjectViews.Mechanism mechanism, String hostParty) {

  public static ProjectFilter of(String mechanism, String hostParty) {
    ProjectViews.Mechanism m = null;
    if (mechanism != null && !mechanism.isEmpty()) {
      try {
        m = ProjectViews.Mechanism.valueOf(mechanism);
      } catch (IllegalArgumentException e) {
        throw ApiException.malformed(
            "mechanism '" + ApiException.echo(mechanism) + "' is not JCM or A6_4");
      }
    }
    String party = hostParty == null || hostParty.isEmpty() ? null : hostParty;
    if (party != null && !Parties.isParty(party)) {
      throw ApiException.malformed(
          "hostParty '" + ApiException.echo(party) + "' is not an ISO 3166-1 alpha-2 code");
    }
    return new ProjectFilter(m, party);
  }
}
