package io.chainseal.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chainseal.chain.JournalException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A database password never reaches a journal's exception messages, down to the causes a host logs. */
class JournalSecretsTest {

  private static String everything(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  @Test
  void aUrlTheDriverCannotParseIsQuotedWithoutItsPassword() {
    JournalException e = assertThrows(JournalException.class,
        () -> PostgresAnchorJournal.builder("jdbc:postgresql://db:54x2/chat?user=anchor&password=s3cret")
            .connectTimeout(Duration.ofSeconds(2)).open());
    assertFalse(everything(e).contains("s3cret"), everything(e));
  }

  @Test
  void anUnreachableServerIsReportedWithoutThePassword() {
    JournalException e = assertThrows(JournalException.class,
        () -> PostgresAnchorJournal.builder("jdbc:postgresql://127.0.0.1:9/none?user=x&password=s3cret")
            .connectTimeout(Duration.ofSeconds(2)).open());
    assertFalse(everything(e).contains("s3cret"), everything(e));
  }

  @Test
  void passwordsInQueriesAndUserInfoAreBlanked() {
    assertEquals("jdbc:postgresql://h/d?user=u&password=***&ssl=true",
        io.chainseal.chain.jdbc.JdbcJournal.redact("jdbc:postgresql://h/d?user=u&password=hunter2&ssl=true"));
    assertEquals("for jdbc:postgresql://***@h/d", io.chainseal.chain.jdbc.JdbcJournal.redact("for jdbc:postgresql://u:hunter2@h/d"));
    SQLException chained = new SQLException("No suitable driver found for jdbc:x://h?PASSWORD=hunter2",
        new IllegalStateException("while parsing password=hunter2;"));
    assertFalse(everything(io.chainseal.chain.jdbc.JdbcJournal.redacted(chained)).contains("hunter2"));
  }
}
