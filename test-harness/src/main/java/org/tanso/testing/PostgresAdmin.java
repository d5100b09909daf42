package org.tanso.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Creates and drops whole databases on the test PostgreSQL server, as its superuser. */
public record PostgresAdmin(String adminUrl, String user, String password) {

  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(adminUrl, user, password);
  }

  /** Creates a database named {@code prefix_<random>} and returns its name. */
  public String createFreshDatabase(String prefix) {
    String name =
        (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
            .toLowerCase(Locale.ROOT);
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("unusable database name: " + name);
    }
    execute("CREATE DATABASE " + name);
    return name;
  }

  public void dropDatabase(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("unusable database name: " + name);
    }
    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /** JDBC URL of {@code database} on the same server. */
  public String urlOf(String database) {
    int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
    int query = adminUrl.indexOf('?', slash);
    String server = adminUrl.substring(0, slash);
    String params = query < 0 ? "" : adminUrl.substring(query);
    return server + "/" + database + params;
  }

  private void execute(String sql) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL refused: " + sql, e);
    }
  }
}
