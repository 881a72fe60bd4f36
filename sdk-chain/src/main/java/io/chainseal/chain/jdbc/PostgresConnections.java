package io.chainseal.chain.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;

/**
 * Connections to a journal in PostgreSQL with timeouts everywhere, so a partition fails a call instead
 * of hanging it: connect and login, socket reads, statements; TCP keepalives on. Needs the PostgreSQL
 * JDBC driver ({@code org.postgresql:postgresql}) on the class path.
 */
public final class PostgresConnections {
  private PostgresConnections() {}

  /**
   * A connector for {@code jdbcUrl} with the given timeouts (whole seconds, at least 1).
   *
   * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL or a timeout is under a second
   */
  public static JdbcJournal.Connector connector(String jdbcUrl, Duration connectTimeout, Duration socketTimeout, Duration statementTimeout) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl == null");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + JdbcJournal.redact(jdbcUrl));
    }
    seconds(connectTimeout, "connectTimeout");
    seconds(socketTimeout, "socketTimeout");
    seconds(statementTimeout, "statementTimeout");
    String separator = jdbcUrl.contains("?") ? "&" : "?";
    String withTimeouts = jdbcUrl + separator + "connectTimeout=" + connectTimeout.toSeconds() + "&loginTimeout="
        + connectTimeout.toSeconds() + "&socketTimeout=" + socketTimeout.toSeconds() + "&tcpKeepAlive=true";
    long statementMillis = statementTimeout.toMillis();
    return () -> {
      Connection connection = DriverManager.getConnection(withTimeouts);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET statement_timeout = " + statementMillis);
      } catch (java.sql.SQLException e) {
        connection.close();
        throw e;
      }
      connection.setAutoCommit(false);
      return connection;
    };
  }

  /** Checks a timeout is at least one second. */
  public static Duration seconds(Duration value, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.toSeconds() < 1) {
      throw new IllegalArgumentException(name + " must be at least 1 s, got " + value);
    }
    return value;
  }
}
